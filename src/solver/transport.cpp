// SPDX-License-Identifier: BSL-1.0
// File: src/solver/transport.cpp
//
// The transport solve of solver/solver.hpp: the class graph split into connected components
// (Boost.Graph), each solved in two exact phases by a min-cost-flow back end (LEMON's network
// simplex in production, Boost.Graph's successive shortest path as the reference), every
// phase checked against its optimality certificate. The header's essay states the problem,
// the costs and why they cannot overflow.
#include "trueup/solver/solver.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "solver/detail/bgl_successive_shortest_path.hpp"
#include "solver/detail/flow_network.hpp"
#include "solver/detail/lemon_network_simplex.hpp"
#include "trueup/check.hpp"

namespace trueup {
namespace {

using detail::Cost;
using detail::FlowNetwork;

/// Solves one phase on `net`, checks it, and returns flow and potentials.
template <detail::MinCostFlowBackend Backend>
detail::FlowSolution solve_phase(const Backend& backend, const FlowNetwork& net, bool verify) {
  detail::FlowSolution s = backend.solve(net);
  TRUEUP_CHECK(s.feasible, "the shortfall arcs keep every transport network feasible");
  TRUEUP_CHECK(detail::is_feasible(net, s.flow), "back end returned a flow that violates bounds or conservation");
  if (s.potential.empty()) s.potential = detail::residual_potentials(net, s.flow);
  if (verify)
    TRUEUP_CHECK(detail::is_certified_optimal(net, s.flow, s.potential),
                 "back end returned a flow without an optimality certificate");
  return s;
}

/// One connected component of the class-pool graph, by index into the problem's vectors.
struct Component {
  std::vector<std::uint32_t> classes, pools, arcs;
};

/// The components in index order (Boost.Graph connected_components numbers them by their
/// smallest vertex, classes first).
std::vector<Component> components(const TransportProblem& p) {
  const std::size_t C = p.classes.size(), P = p.pools.size();
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> g(C + P);
  for (const auto& a : p.arcs) boost::add_edge(a.cls, C + a.pool, g);
  std::vector<int> comp(C + P);
  const int n = C + P == 0 ? 0 : boost::connected_components(g, comp.data());
  std::vector<Component> out(static_cast<std::size_t>(n));
  for (std::uint32_t c = 0; c < C; ++c) out[static_cast<std::size_t>(comp[c])].classes.push_back(c);
  for (std::uint32_t q = 0; q < P; ++q) out[static_cast<std::size_t>(comp[C + q])].pools.push_back(q);
  for (std::uint32_t a = 0; a < p.arcs.size(); ++a)
    out[static_cast<std::size_t>(comp[p.arcs[a].cls])].arcs.push_back(a);
  return out;
}

/// The weights of phase 2 (the essay's W and 2N+1), or nullopt when some cost times the
/// component's supply could leave 62 bits.
struct Weights {
  Cost exact = 0;  ///< one exactness step
  Cost move = 0;   ///< one unit moved (0 when nothing in the component can move)
};
std::optional<Weights> weights(const TransportProblem& p, const Component& k, std::uint32_t nodes) {
  constexpr Cost limit = Cost{1} << 62;
  Units total = 0;
  Cost max_price = 0, max_exact = 0;
  bool any_moves = false;
  for (auto c : k.classes) {
    TRUEUP_CHECK(p.classes[c].supply >= 0 && p.classes[c].shortfall_price >= 0, "supplies and prices are >= 0");
    total += p.classes[c].supply;
    max_price = std::max(max_price, p.classes[c].shortfall_price);
    any_moves = any_moves || p.classes[c].shortfall_moves != 0;
  }
  for (auto a : k.arcs) {
    max_exact = std::max<Cost>(max_exact, p.arcs[a].exactness);
    any_moves = any_moves || p.arcs[a].moves != 0;
  }
  const Cost w_exact = Cost{p.max_flexibility} * nodes + 1;
  const auto fits = [&](Cost per_unit) {
    return per_unit >= 0 && per_unit < limit && (total == 0 || per_unit <= limit / std::max<Units>(total, 1));
  };
  const bool exact_fits = max_exact <= limit / w_exact && fits(max_exact * w_exact + p.max_flexibility);
  const Cost preference = exact_fits ? max_exact * w_exact + p.max_flexibility : 0;
  const Cost w_move = any_moves && preference <= (limit - 1) / nodes ? Cost{nodes} * preference + 1 : 0;
  if (max_price >= limit || !fits(max_price + 1) || !exact_fits ||
      (any_moves && (w_move == 0 || w_move > limit - preference || !fits(w_move + preference))))
    return std::nullopt;
  return Weights{w_exact, w_move};
}

/// Solves one component in two phases and writes its arcs' flow and its classes' shortfall.
template <detail::MinCostFlowBackend Backend>
void solve_component(const TransportProblem& p, const Component& k, const Weights& w, SolveOptions options,
                     const Backend& backend, TransportSolution& out) {
  const std::size_t C = p.classes.size(), P = p.pools.size();
  const auto& [cls, pools, arcs] = k;
  // Node numbering: classes, then pools, then the sink.
  std::vector<std::uint32_t> local(C + P);
  for (std::uint32_t i = 0; i < cls.size(); ++i) local[cls[i]] = i;
  for (std::uint32_t i = 0; i < pools.size(); ++i) local[C + pools[i]] = static_cast<std::uint32_t>(cls.size()) + i;
  const auto N = static_cast<std::uint32_t>(cls.size() + pools.size() + 1);
  const std::uint32_t sink = N - 1;
  Units total = 0;
  for (auto c : cls) total += p.classes[c].supply;

  // Phase 1: coverage, then spend.
  FlowNetwork net;
  net.supply.assign(N, 0);
  for (auto c : cls) net.supply[local[c]] = p.classes[c].supply;
  net.supply[sink] = -total;
  const Units unbounded = total + 1;  // never saturated, so its reduced cost is >= 0 at an optimum
  for (auto a : arcs) net.arcs.push_back({local[p.arcs[a].cls], local[C + p.arcs[a].pool], unbounded, 0});
  for (auto q : pools) net.arcs.push_back({local[C + q], sink, p.pools[q], 0});
  for (auto c : cls) net.arcs.push_back({local[c], sink, unbounded, 1 + p.classes[c].shortfall_price});
  const detail::FlowSolution s1 = solve_phase(backend, net, options.verify);

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
    net2.arcs[i].cost =
        Cost{p.arcs[arcs[i]].moves} * w.move + Cost{p.arcs[arcs[i]].exactness} * w.exact + p.arcs[arcs[i]].flexibility;
  const std::size_t first_short = arcs.size() + pools.size();
  for (std::size_t i = 0; i < cls.size(); ++i)
    net2.arcs[first_short + i].cost = Cost{p.classes[cls[i]].shortfall_moves} * w.move;
  const detail::FlowSolution s2 = solve_phase(backend, net2, options.verify);

  for (std::size_t i = 0; i < arcs.size(); ++i) out.arc_flow[arcs[i]] = s2.flow[i] + lower[i];
  for (std::size_t i = 0; i < cls.size(); ++i)
    out.shortfall[cls[i]] = s2.flow[first_short + i] + lower[first_short + i];
}

template <detail::MinCostFlowBackend Backend>
TransportSolution solve_with(const TransportProblem& p, SolveOptions options, const Backend& backend) {
  const std::size_t C = p.classes.size(), P = p.pools.size();
  TransportSolution out;
  out.arc_flow.assign(p.arcs.size(), 0);
  out.shortfall.assign(C, 0);
  for (const auto& a : p.arcs) {
    TRUEUP_CHECK(a.cls < C && a.pool < P, "transport arc endpoints are in range");
    TRUEUP_CHECK(a.flexibility <= p.max_flexibility, "arc flexibility within max_flexibility");
  }
  const std::vector<Component> parts = components(p);
  out.components = parts.size();
  for (const Component& k : parts) {
    if (k.arcs.empty()) {  // a class with no eligible pool, or a pool no class can use
      for (auto c : k.classes) out.shortfall[c] = p.classes[c].supply;
      continue;
    }
    const auto nodes = static_cast<std::uint32_t>(k.classes.size() + k.pools.size() + 1);
    const std::optional<Weights> w = weights(p, k, nodes);
    if (!w) {
      TransportSolution bad;
      bad.status = SolveStatus::bad_cost_range;
      return bad;
    }
    solve_component(p, k, *w, options, backend, out);
  }
  for (std::size_t c = 0; c < C; ++c) {
    out.shortfall_units += out.shortfall[c];
    out.covered_units += p.classes[c].supply - out.shortfall[c];
  }
  return out;
}

}  // namespace

TransportSolution solve(const TransportProblem& p, SolveOptions options) {
  return solve_with(p, options, detail::LemonNetworkSimplex{});
}

TransportSolution solve_reference(const TransportProblem& p, SolveOptions options) {
  return solve_with(p, options, detail::BglSuccessiveShortestPath{});
}

}  // namespace trueup
