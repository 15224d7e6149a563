// SPDX-License-Identifier: BSL-1.0
// File: bench/per_install_peer.hpp
//
// The peer trueup's solver is measured against: the same instance solved without class
// compression, one node per demand (research/solver-performance.md §4.1, "per-install"
// graph), with LEMON's NetworkSimplex, the back end trueup itself uses on class graphs.
//
//     demand d (supply u_d) --[cap u_d, cost 0]--> pool p --[cap q_p, cost 0]--> sink T
//             \-----------------[cap u_d, cost 1 + price_d]----------------------/
//
// These are the costs of trueup's phase 1 (solver/solver.hpp): cover the most units, then
// spend the least on the rest. An OEM pool has arcs only from the demands of the device it
// is bound to (rules/oem_binding.hpp); shared pools have an arc from every demand that
// eligibility (demand/eligibility.hpp) lets them cover. price_d is the cheapest unit cost of
// an eligible shared pool, as trueup prices a class; a demand with no priced pool costs
// `unpriced_price`, one more than every known price, so that it is covered first.
//
// The phase-1 optimum is unique in (covered units, shortfall units priced and unpriced, their
// cost): two optimal flows differ by zero-cost cycles, and a cycle through the sink swaps one
// shortfall unit for another, which costs zero only between equal prices. So the peer, the
// class solve below and trueup::reconcile must report the same Phase1Outcome; the benchmark
// checks it once per size, outside the timed loop.
//
// `class_solve` mirrors the solver stage of trueup::reconcile on the same prepared instance,
// without its evidence and verdicts: OEM pools used on their own device first (exchange
// argument in solver/solver.hpp) unless several demands of the device want them, the
// remaining demands compressed into classes of identical eligibility and units, and
// trueup::solve (both phases). It is a copy of that stage's logic
// for timing, not a second implementation to trust: the equality check above guards it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "trueup/demand/eligibility.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/position.hpp"
#include "trueup/solver/solver.hpp"

namespace trueup::bench {

/// The assignment problem of one fleet, prepared outside the timed region: demands in
/// normalise() order, pools in build_supply() order (bound pools first), and per demand the
/// pools eligibility allows, bound ones first (CSR).
struct PeerInstance {
  struct Arc {
    std::uint32_t pool = 0;
    std::uint32_t exactness = 0;
    std::uint8_t flexibility = 0;
  };
  std::vector<Units> demand_units;
  std::vector<std::int64_t> price;             ///< per demand: unit price of its shortfall
  std::vector<std::uint8_t> priced;            ///< per demand: 0 when price == unpriced_price
  std::vector<std::uint32_t> eligibility_key;  ///< per demand: id of its (product, metric)
  std::vector<std::uint32_t> device;           ///< per demand: its device's index (demands are in device order)
  std::vector<std::uint32_t> first_arc;        ///< per demand, and one past the end
  std::vector<Arc> arcs;
  std::vector<Units> pool_units;
  std::size_t bound_pools = 0;
  std::int64_t unpriced_price = 0;
};

/// The phase-1 optimum: what any optimal assignment of the instance covers and leaves short.
struct Phase1Outcome {
  Units covered_units = 0;
  Units shortfall_units = 0;
  Units unpriced_shortfall_units = 0;
  std::int64_t priced_shortfall_cost = 0;  ///< sum of price x units, ten-thousandths
  friend bool operator==(const Phase1Outcome&, const Phase1Outcome&) = default;

  /// Phase-1 objective: each shortfall unit costs 1 + its price (`unpriced` when unpriced).
  [[nodiscard]] std::int64_t cost(std::int64_t unpriced) const {
    return shortfall_units + priced_shortfall_cost + unpriced_shortfall_units * unpriced;
  }
};

struct PeerRun {
  Phase1Outcome outcome;
  std::size_t nodes = 0;
  std::size_t arcs = 0;
};

[[nodiscard]] inline PeerInstance make_peer_instance(const RulePack& pack, const Fleet& fleet,
                                                     Date as_of = Date::today()) {
  const Normalised norm = normalise(pack, fleet, as_of);
  const Supply supply = build_supply(pack, fleet, as_of);
  PeerInstance inst;
  inst.bound_pools = supply.bound_pools;
  for (const Pool& p : supply.pools) inst.pool_units.push_back(p.quantity);

  std::map<FamilyIndex, std::vector<std::uint32_t>> shared_of_family;
  std::int64_t max_price = -1;
  for (std::size_t p = supply.bound_pools; p < supply.pools.size(); ++p) {
    shared_of_family[supply.pools[p].product.family].push_back(static_cast<std::uint32_t>(p));
    for (auto m : supply.pools[p].members)
      if (const auto& c = fleet.entitlement(m).unit_cost) max_price = std::max(max_price, c->amount);
  }
  inst.unpriced_price = max_price < 0 ? 0 : max_price + 1;

  // Eligibility depends only on (product, metric, qualified for upgrade licences) and the pool:
  // evaluate it once per key.
  struct Eligible {
    std::uint32_t id = 0;
    std::vector<PeerInstance::Arc> arcs;
    std::optional<std::int64_t> price;
  };
  auto qualified = [&](const Demand& d) {
    return !pack.family(d.product.family).upgrades.empty() &&
           supply.qualifying_licence(d.device, d.product.family).has_value();
  };
  std::map<std::tuple<ProductRef, Metric, bool>, Eligible> by_key;
  auto eligible = [&](const Demand& d) -> const Eligible& {
    const bool q = qualified(d);
    auto [it, fresh] = by_key.try_emplace({d.product, d.metric, q});
    if (fresh) {
      it->second.id = static_cast<std::uint32_t>(by_key.size() - 1);
      for (std::uint32_t p : shared_of_family[d.product.family]) {
        const Coverage cov = eligibility(pack, d.product, d.metric, supply.pools[p], as_of, q);
        if (!cov.allowed) continue;
        it->second.arcs.push_back({p, cov.exactness_penalty(), cov.flexibility});
        for (auto m : supply.pools[p].members)
          if (const auto& c = fleet.entitlement(m).unit_cost)
            it->second.price = std::min(it->second.price.value_or(c->amount), c->amount);
      }
    }
    return it->second;
  };

  std::size_t b = 0;  // bound pools are sorted by device, demands too
  inst.first_arc.push_back(0);
  for (const Demand& d : norm.demands) {
    // Per-user families (Microsoft 365 Apps) are licensed by the user stage, one user licence
    // for several devices: not a transportation problem over installs, so not in the peer's.
    if (d.assignment == Assignment::user) continue;
    while (b < supply.bound_pools && supply.pools[b].bound < d.device) ++b;
    for (std::size_t q = b; q < supply.bound_pools && supply.pools[q].bound == d.device; ++q) {
      const Coverage cov = eligibility(pack, d.product, d.metric, supply.pools[q], as_of, qualified(d));
      if (cov.allowed) inst.arcs.push_back({static_cast<std::uint32_t>(q), cov.exactness_penalty(), cov.flexibility});
    }
    const Eligible& e = eligible(d);
    inst.arcs.insert(inst.arcs.end(), e.arcs.begin(), e.arcs.end());
    inst.first_arc.push_back(static_cast<std::uint32_t>(inst.arcs.size()));
    inst.demand_units.push_back(d.quantity);
    inst.price.push_back(e.price.value_or(inst.unpriced_price));
    inst.priced.push_back(e.price ? 1 : 0);
    inst.eligibility_key.push_back(e.id);
    inst.device.push_back(d.device.value);
  }
  return inst;
}

/// The peer: builds the per-demand graph and solves phase 1 with LEMON's NetworkSimplex.
[[nodiscard]] inline PeerRun solve_per_install(const PeerInstance& inst) {
  using Graph = lemon::SmartDigraph;
  using Simplex = lemon::NetworkSimplex<Graph, Units, std::int64_t>;
  const std::size_t D = inst.demand_units.size(), P = inst.pool_units.size();
  Graph g;
  g.reserveNode(static_cast<int>(D + P + 1));
  g.reserveArc(static_cast<int>(inst.arcs.size() + P + D));
  for (std::size_t v = 0; v < D + P + 1; ++v) g.addNode();
  const Graph::Node sink = g.nodeFromId(static_cast<int>(D + P));
  Graph::ArcMap<Units> upper(g);
  Graph::ArcMap<std::int64_t> cost(g);
  Graph::NodeMap<Units> supply(g, 0);
  Units total = 0;
  for (std::size_t d = 0; d < D; ++d) {
    const Graph::Node dn = g.nodeFromId(static_cast<int>(d));
    supply[dn] = inst.demand_units[d];
    total += inst.demand_units[d];
    for (std::uint32_t a = inst.first_arc[d]; a < inst.first_arc[d + 1]; ++a) {
      const Graph::Arc arc = g.addArc(dn, g.nodeFromId(static_cast<int>(D + inst.arcs[a].pool)));
      upper[arc] = inst.demand_units[d];
      cost[arc] = 0;
    }
  }
  for (std::size_t p = 0; p < P; ++p) {
    const Graph::Arc arc = g.addArc(g.nodeFromId(static_cast<int>(D + p)), sink);
    upper[arc] = inst.pool_units[p];
    cost[arc] = 0;
  }
  std::vector<Graph::Arc> short_arc(D);
  for (std::size_t d = 0; d < D; ++d) {
    short_arc[d] = g.addArc(g.nodeFromId(static_cast<int>(d)), sink);
    upper[short_arc[d]] = inst.demand_units[d];
    cost[short_arc[d]] = 1 + inst.price[d];
  }
  supply[sink] = -total;

  Simplex ns(g);
  ns.upperMap(upper).costMap(cost).supplyMap(supply);
  TRUEUP_CHECK(ns.run() == Simplex::OPTIMAL, "the shortfall arcs keep the per-install network feasible");
  PeerRun run;
  run.nodes = static_cast<std::size_t>(g.nodeNum());
  run.arcs = static_cast<std::size_t>(g.arcNum());
  Phase1Outcome& o = run.outcome;
  for (std::size_t d = 0; d < D; ++d) {
    const Units s = ns.flow(short_arc[d]);
    o.shortfall_units += s;
    if (inst.priced[d])
      o.priced_shortfall_cost += s * inst.price[d];
    else
      o.unpriced_shortfall_units += s;
  }
  o.covered_units = total - o.shortfall_units;
  return run;
}

/// The solver stage of trueup::reconcile on the same instance: bound pools first, then
/// classes x shared pools through trueup::solve (phase 1 and phase 2).
[[nodiscard]] inline PeerRun class_solve(const PeerInstance& inst, SolveOptions options = {}) {
  constexpr std::uint32_t shared = UINT32_MAX;  // class key of a demand not tied to its device
  const std::size_t D = inst.demand_units.size();
  std::vector<Units> left = inst.pool_units;
  std::vector<Units> remaining = inst.demand_units;
  std::vector<std::uint32_t> tied(D, shared);            // contested demands: their device
  std::vector<std::uint8_t> in_problem(left.size(), 0);  // bound pools the solver shares out
  auto bound_arcs = [&](std::size_t d) {
    std::uint32_t a = inst.first_arc[d];
    while (a < inst.first_arc[d + 1] && inst.arcs[a].pool < inst.bound_pools) ++a;
    return std::pair{inst.first_arc[d], a};
  };
  // Bound stage, device by device. One demand wanting the device's OEM pools takes them, most
  // exact first (ties by pool order: build_supply sorts by licence id within a device). When
  // several demands of one device want them, the choice goes to the solver: those demands are
  // classes of their own and the device's bound pools join the problem.
  std::vector<PeerInstance::Arc> own;
  for (std::size_t first = 0; first < D;) {
    std::size_t last = first;
    while (last < D && inst.device[last] == inst.device[first]) ++last;
    std::size_t wanting = 0;
    for (std::size_t d = first; d < last; ++d) {
      const auto [b, e] = bound_arcs(d);
      wanting += b != e;
    }
    for (std::size_t d = first; d < last; ++d) {
      const auto [b, e] = bound_arcs(d);
      if (wanting > 1) {
        if (b != e) tied[d] = inst.device[d];
        for (std::uint32_t a = b; a < e; ++a) in_problem[inst.arcs[a].pool] = 1;
        continue;
      }
      own.assign(inst.arcs.begin() + b, inst.arcs.begin() + e);
      // Most exact first, ties in pool order: an insertion sort, stable, with no buffer (a
      // device has one or two OEM licences; std::stable_sort allocates one per call).
      for (std::size_t i = 1; i < own.size(); ++i)
        for (std::size_t j = i; j > 0 && own[j].exactness < own[j - 1].exactness; --j) std::swap(own[j], own[j - 1]);
      for (const auto& a : own) {
        const Units take = std::min(remaining[d], left[a.pool]);
        remaining[d] -= take;
        left[a.pool] -= take;
      }
    }
    first = last;
  }
  // Classes: demands with the same eligible pools (same eligibility key), the same units, and
  // for contested demands the same device.
  TransportProblem problem;
  std::map<std::tuple<std::uint32_t, Units, std::uint32_t>, std::uint32_t> class_of;
  std::vector<std::size_t> representative;
  for (std::size_t d = 0; d < D; ++d) {
    if (remaining[d] == 0) continue;
    auto [it, fresh] = class_of.try_emplace({inst.eligibility_key[d], remaining[d], tied[d]},
                                            static_cast<std::uint32_t>(problem.classes.size()));
    if (fresh) {
      problem.classes.push_back({0, inst.price[d]});
      representative.push_back(d);
    }
    problem.classes[it->second].supply += remaining[d];
  }
  // Solver pools: the shared pools, then the contested devices' bound pools.
  std::vector<std::uint32_t> problem_pool(left.size(), UINT32_MAX);
  for (std::size_t p = inst.bound_pools; p < left.size(); ++p) {
    problem_pool[p] = static_cast<std::uint32_t>(problem.pools.size());
    problem.pools.push_back(left[p]);
  }
  for (std::size_t p = 0; p < inst.bound_pools; ++p)
    if (in_problem[p]) {
      problem_pool[p] = static_cast<std::uint32_t>(problem.pools.size());
      problem.pools.push_back(left[p]);
    }
  for (std::uint32_t c = 0; c < problem.classes.size(); ++c) {
    const std::size_t d = representative[c];
    for (std::uint32_t a = inst.first_arc[d]; a < inst.first_arc[d + 1]; ++a) {
      const PeerInstance::Arc& arc = inst.arcs[a];
      if (arc.pool >= inst.bound_pools)
        problem.arcs.push_back({c, problem_pool[arc.pool], arc.exactness, arc.flexibility});
      else if (tied[d] != shared)  // a bound licence has no other use: no preference cost
        problem.arcs.push_back({c, problem_pool[arc.pool], 0, 0});
    }
  }
  const TransportSolution sol = solve(problem, options);
  TRUEUP_CHECK(sol.status == SolveStatus::optimal, "class costs fit in 62 bits");

  PeerRun run;
  run.nodes = problem.classes.size() + problem.pools.size() + 1;
  run.arcs = problem.arcs.size() + problem.pools.size() + problem.classes.size();
  Phase1Outcome& o = run.outcome;
  Units total = 0;
  for (Units u : inst.demand_units) total += u;
  for (std::uint32_t c = 0; c < problem.classes.size(); ++c) {
    const Units s = sol.shortfall[c];
    o.shortfall_units += s;
    if (inst.priced[representative[c]])
      o.priced_shortfall_cost += s * problem.classes[c].shortfall_price;
    else
      o.unpriced_shortfall_units += s;
  }
  o.covered_units = total - o.shortfall_units;
  return run;
}

/// The phase-1 outcome trueup::reconcile reported in a position, for the families the
/// transportation problem licenses: host-licensed families (whole servers, the host stage's
/// integer program; their demands carry no units before it) and per-user families (the user
/// stage) are left out, as the peer's instance leaves them out. Units of all metrics are summed, as phase 1 counts
/// them: one unit of cost per unit left short, whatever its metric.
[[nodiscard]] inline Phase1Outcome outcome_of(const Position& p, const RulePack& pack) {
  Phase1Outcome o;
  MoneyTotal cost;
  for (const ProductPosition& r : p.products) {
    if (pack.family(r.product.family).assignment != Assignment::device) continue;
    o.covered_units += r.covered_units;
    o.shortfall_units += r.shortfall_units;
    o.unpriced_shortfall_units += r.unpriced_shortfall;
    cost += r.true_up_cost;
  }
  o.priced_shortfall_cost = static_cast<std::int64_t>(cost.amount);
  return o;
}

}  // namespace trueup::bench
