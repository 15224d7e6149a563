// SPDX-License-Identifier: BSL-1.0
// File: trueup/solver/solver.hpp
//
// The assignment of licences to demands, solved exactly as a min-cost flow.
//
// ## The problem
//
// A *demand class* is a set of demands that share every attribute eligibility reads (product,
// metric, units per demand): its members are interchangeable, so it is one node with supply
// `s_c` = the units its demands need. A *pool* is a set of licence units with one product and
// channel, capacity `q_p`. An arc c -> p exists where eligibility (demand/eligibility.hpp)
// allows it, with an *exactness* (version + edition steps of downgrade and down-edition) and
// a *flexibility* (OEM 0, retail 1, volume 2). Every class also has a *shortfall* arc to the
// sink with a unit *price*: the cheapest known unit cost of a licence that would cover it. So
// a million installs become a few hundred class nodes; the graph's size depends on how many
// distinct products and pools there are, not on the fleet (research/solver-performance.md §3).
//
//     class c (supply s_c) --[exactness, flexibility]--> pool p --[cap q_p]--> sink T
//             \------------------[shortfall, price_c]---------------------------/
//
// ## The objective, lexicographically
//
// 1. cover as many demand units as possible;
// 2. then spend the least on what remains short (sum of price_c over shortfall units);
// 3. then move the fewest licence units away from where the last run put them (stability: an
//    arc marked `moves` takes units for demands that held another pool's units before and may
//    keep them, and a unit of such a class left short moved away too (`shortfall_moves`); the
//    position must not churn from run to run, and this costs no coverage or spend because
//    levels 1 and 2 are fixed first);
// 4. then prefer exact version and edition over downgrade and down-edition;
// 5. then keep the more flexible licences free (volume over retail over OEM).
//
// ## Bound licences come first (an exchange argument)
//
// Licences bound to one device (OEM, rules/oem_binding.hpp) never enter this problem:
// reconcile() applies each to its own device's demand first (least exactness, then id) and
// passes on only what remains. That is optimal for levels 1, 2 and 4: a bound licence can
// serve no other demand, so in any assignment where its device's demand uses a shared licence
// instead, swapping the two keeps every other demand covered and frees the shared licence.
// For level 3 the objective is read on what competes: exactness is the preference that keeps
// newer shared licences free for newer installs (licensing-rules §5.5), and a bound licence
// competes with nothing, so an OEM Windows 11 Pro licence covering its own PC's Windows 10 Pro
// under downgrade rights is preferred to spending a shared Windows 10 Pro unit.
//
// ## How the objective becomes integer costs (no big-M)
//
// Phase 1 solves levels 1 and 2 together: class->pool arcs cost 0 and each shortfall unit
// costs 1 + price_c (prices >= 0). That is exactly lexicographic, whatever the prices: a
// simple cycle of the residual network passes the sink at most once, so it changes the
// number of shortfall units by -1, 0 or +1. A cycle that removes a shortfall unit leaves
// through a reversed shortfall arc and enters through a pool arc, so it costs -(1 + price) < 0:
// an optimum has no such cycle, so it covers the most; among equal coverage the cycles swap
// one shortfall for another and cost the difference in price, so it spends the least.
//
// Phase 2 keeps only the arcs that some phase-1 optimum may use: with phase-1 potentials pi
// (the duals, checked by complementary slackness), an arc of reduced cost > 0 carries no flow
// in any phase-1 optimum and is closed, and one of reduced cost < 0 is full in every optimum
// and is fixed at its capacity. Every feasible flow of the restricted network is phase-1
// optimal, and every phase-1 optimum is feasible in it. Phase 2 then minimises
// moves * W + exactness * (2 N + 1) + flexibility on class->pool arcs, N the nodes of the
// component, W = N (E (2 N + 1) + 2) + 1 with E the largest exactness: a simple residual
// cycle has at most N arcs, so its flexibility changes by at most 2 N and one exactness step
// outweighs any flexibility gain, and its exactness-and-flexibility cost changes by less than
// W, so one unit moved outweighs both.
//
// ## Overflow
//
// Costs are int64. Before solving, every component checks that its largest arc cost times its
// total supply fits in 62 bits; if not, solve() returns SolveStatus::bad_cost_range and no
// flow (prices beyond 10^12 minor units, or components of 10^7 nodes, would be needed; with
// stability, whose weight grows with N squared, a component of about 10^5 nodes and 10^6 units).
//
// ## Structure and complexity
//
// The class graph splits into connected components (Boost.Graph connected_components); each
// is solved on its own, smallest index first. Per component the back end is LEMON's network
// simplex (detail/lemon_network_simplex.hpp; empirically near-linear on these graphs) or, as a
// test oracle, Boost.Graph's successive shortest path (O(U (E + V log V))). Building the
// network is O(C + P + A) for C classes, P pools, A arcs.
//
// ## Determinism
//
// The same problem (classes, pools and arcs in the same order) gives the same flow, bit for
// bit: components are solved in index order, the back ends are deterministic, and nothing
// depends on addresses, hashing or threads. Callers build problems in a canonical order
// (classes and pools sorted by key, ties by id), so shuffled input rows give identical output.
//
// References: R. K. Ahuja, T. L. Magnanti, J. B. Orlin, "Network Flows" (1993), ch. 9-11;
// Boost.Graph "successive_shortest_path_nonnegative_weights"; LEMON "NetworkSimplex";
// P. Kovács, "Minimum-cost flow algorithms: an experimental evaluation" (2015).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "trueup/check.hpp"
#include "trueup/detail/flow_network.hpp"
#include "trueup/detail/lemon_network_simplex.hpp"

namespace trueup {

/// The class x pool transportation problem (see the file comment).
struct TransportProblem {
  struct Class {
    Units supply = 0;               ///< units its demands need
    std::int64_t shortfall_price = 0;  ///< >= 0, per unit left short
    /// 1: its demands held licences before, so each unit left short is a licence moved away
    /// from its last holder (stability counts it as a move, like an arc with `moves`).
    std::uint8_t shortfall_moves = 0;
  };
  struct Arc {
    std::uint32_t cls = 0;
    std::uint32_t pool = 0;
    std::uint32_t exactness = 0;    ///< version + edition steps
    std::uint8_t flexibility = 0;   ///< 0 .. max_flexibility
    std::uint8_t moves = 0;         ///< 1: each unit moves a licence away from its last holder
  };
  std::vector<Class> classes;
  std::vector<Units> pools;  ///< capacity per pool
  std::vector<Arc> arcs;
  std::uint8_t max_flexibility = 2;
};

enum class SolveStatus : std::uint8_t {
  optimal,         ///< flow is lexicographically optimal (certified)
  bad_cost_range,  ///< costs could overflow int64; nothing solved
};

struct SolveOptions {
  /// Verify each phase's optimality certificate (O(arcs)); on in every build by default.
  bool verify = true;
};

struct TransportSolution {
  SolveStatus status = SolveStatus::optimal;
  std::vector<Units> arc_flow;    ///< per TransportProblem::arcs entry
  std::vector<Units> shortfall;   ///< per class
  Units covered_units = 0;
  Units shortfall_units = 0;
  std::size_t components = 0;
};

namespace detail {

/// Solves one phase on `net`, checks it, and returns flow and potentials.
template <MinCostFlowBackend Backend>
FlowSolution solve_phase(const Backend& backend, const FlowNetwork& net, bool verify) {
  FlowSolution s = backend.solve(net);
  TRUEUP_CHECK(s.feasible, "the shortfall arcs keep every transport network feasible");
  TRUEUP_CHECK(is_feasible(net, s.flow), "back end returned a flow that violates bounds or conservation");
  if (s.potential.empty()) s.potential = residual_potentials(net, s.flow);
  if (verify)
    TRUEUP_CHECK(is_certified_optimal(net, s.flow, s.potential),
                 "back end returned a flow without an optimality certificate");
  return s;
}

}  // namespace detail

/// Solves the transportation problem lexicographically (coverage, spend, stability, exactness,
/// flexibility). Returns SolveStatus::bad_cost_range, with no flow, if costs could overflow.
///
/// **Example**:
///
///     TransportProblem p{.classes = {{2, 100}}, .pools = {1}, .arcs = {{0, 0, 0, 2}}};
///     TransportSolution s = solve(p);   // s.arc_flow == {1}, s.shortfall == {1}
template <detail::MinCostFlowBackend Backend = detail::LemonNetworkSimplex>
[[nodiscard]] TransportSolution solve(const TransportProblem& p, SolveOptions options = {},
                                      const Backend& backend = {}) {
  using detail::Cost;
  using detail::FlowNetwork;
  const std::size_t C = p.classes.size(), P = p.pools.size();
  TransportSolution out;
  out.arc_flow.assign(p.arcs.size(), 0);
  out.shortfall.assign(C, 0);

  for (const auto& a : p.arcs) {
    TRUEUP_CHECK(a.cls < C && a.pool < P, "transport arc endpoints are in range");
    TRUEUP_CHECK(a.flexibility <= p.max_flexibility, "arc flexibility within max_flexibility");
  }

  // Connected components of the bipartite class-pool graph (Boost.Graph).
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> g(C + P);
  for (const auto& a : p.arcs) boost::add_edge(a.cls, C + a.pool, g);
  std::vector<int> comp(C + P);
  const int ncomp = C + P == 0 ? 0 : boost::connected_components(g, comp.data());
  out.components = static_cast<std::size_t>(ncomp);

  std::vector<std::vector<std::uint32_t>> comp_classes(static_cast<std::size_t>(ncomp)),
      comp_pools(static_cast<std::size_t>(ncomp)), comp_arcs(static_cast<std::size_t>(ncomp));
  for (std::uint32_t c = 0; c < C; ++c) comp_classes[static_cast<std::size_t>(comp[c])].push_back(c);
  for (std::uint32_t q = 0; q < P; ++q) comp_pools[static_cast<std::size_t>(comp[C + q])].push_back(q);
  for (std::uint32_t a = 0; a < p.arcs.size(); ++a)
    comp_arcs[static_cast<std::size_t>(comp[p.arcs[a].cls])].push_back(a);

  constexpr Cost limit = Cost{1} << 62;
  for (std::size_t k = 0; k < static_cast<std::size_t>(ncomp); ++k) {
    const auto& cls = comp_classes[k];
    const auto& pools = comp_pools[k];
    const auto& arcs = comp_arcs[k];
    if (arcs.empty()) {  // a class with no eligible pool, or a pool no class can use
      for (auto c : cls) out.shortfall[c] = p.classes[c].supply;
      continue;
    }
    // Node numbering: classes, then pools, then the sink.
    std::vector<std::uint32_t> local(C + P);
    for (std::uint32_t i = 0; i < cls.size(); ++i) local[cls[i]] = i;
    for (std::uint32_t i = 0; i < pools.size(); ++i) local[C + pools[i]] = static_cast<std::uint32_t>(cls.size()) + i;
    const auto N = static_cast<std::uint32_t>(cls.size() + pools.size() + 1);
    const std::uint32_t sink = N - 1;

    Units total = 0;
    Cost max_price = 0, max_exact = 0;
    for (auto c : cls) {
      TRUEUP_CHECK(p.classes[c].supply >= 0 && p.classes[c].shortfall_price >= 0, "supplies and prices are >= 0");
      total += p.classes[c].supply;
      max_price = std::max(max_price, p.classes[c].shortfall_price);
    }
    bool any_moves = false;
    for (auto a : arcs) {
      max_exact = std::max<Cost>(max_exact, p.arcs[a].exactness);
      any_moves = any_moves || p.arcs[a].moves != 0;
    }
    for (auto c : cls) any_moves = any_moves || p.classes[c].shortfall_moves != 0;
    const Cost w_exact = Cost{p.max_flexibility} * N + 1;
    const auto fits = [&](Cost per_unit) {
      return per_unit >= 0 && per_unit < limit && (total == 0 || per_unit <= limit / std::max<Units>(total, 1));
    };
    const bool exact_fits = max_exact <= limit / w_exact && fits(max_exact * w_exact + p.max_flexibility);
    const Cost preference = exact_fits ? max_exact * w_exact + p.max_flexibility : 0;
    const Cost w_move = any_moves && preference <= (limit - 1) / N ? Cost{N} * preference + 1 : 0;
    if (max_price >= limit || !fits(max_price + 1) || !exact_fits ||
        (any_moves && (w_move == 0 || w_move > limit - preference || !fits(w_move + preference)))) {
      TransportSolution bad;
      bad.status = SolveStatus::bad_cost_range;
      return bad;
    }

    // Phase 1: coverage, then spend.
    FlowNetwork net;
    net.supply.assign(N, 0);
    for (auto c : cls) net.supply[local[c]] = p.classes[c].supply;
    net.supply[sink] = -total;
    const Units unbounded = total + 1;  // never saturated, so its reduced cost is >= 0 at an optimum
    for (auto a : arcs) net.arcs.push_back({local[p.arcs[a].cls], local[C + p.arcs[a].pool], unbounded, 0});
    for (auto q : pools) net.arcs.push_back({local[C + q], sink, p.pools[q], 0});
    for (auto c : cls) net.arcs.push_back({local[c], sink, unbounded, 1 + p.classes[c].shortfall_price});

    const detail::FlowSolution s1 = detail::solve_phase(backend, net, options.verify);

    // Phase 2: restrict to phase-1-optimal arcs; lower bounds become shifted supplies.
    FlowNetwork net2 = net;
    std::vector<Units> lower(net.arcs.size(), 0);
    for (std::size_t i = 0; i < net.arcs.size(); ++i) {
      const Cost rc = detail::reduced_cost(net, s1.potential, i);
      if (rc > 0) {
        net2.arcs[i].upper = 0;
      } else if (rc < 0) {
        lower[i] = net.arcs[i].upper;
        net2.arcs[i].upper = 0;
        net2.supply[net.arcs[i].tail] -= lower[i];
        net2.supply[net.arcs[i].head] += lower[i];
      }
      net2.arcs[i].cost = 0;
    }
    for (std::size_t i = 0; i < arcs.size(); ++i)
      net2.arcs[i].cost = Cost{p.arcs[arcs[i]].moves} * w_move + Cost{p.arcs[arcs[i]].exactness} * w_exact +
                          p.arcs[arcs[i]].flexibility;
    const std::size_t first_shortfall_arc = arcs.size() + pools.size();
    for (std::size_t i = 0; i < cls.size(); ++i)
      net2.arcs[first_shortfall_arc + i].cost = Cost{p.classes[cls[i]].shortfall_moves} * w_move;

    const detail::FlowSolution s2 = detail::solve_phase(backend, net2, options.verify);

    for (std::size_t i = 0; i < arcs.size(); ++i) out.arc_flow[arcs[i]] = s2.flow[i] + lower[i];
    const std::size_t first_short = arcs.size() + pools.size();
    for (std::size_t i = 0; i < cls.size(); ++i)
      out.shortfall[cls[i]] = s2.flow[first_short + i] + lower[first_short + i];
  }
  for (std::size_t c = 0; c < C; ++c) {
    out.shortfall_units += out.shortfall[c];
    out.covered_units += p.classes[c].supply - out.shortfall[c];
  }
  return out;
}

}  // namespace trueup
