// SPDX-License-Identifier: BSL-1.0
// File: src/core/transport_stage.cpp
//
// Transport stage: the per-device demands still needing units after the bound stage, solved
// exactly as the class x pool transportation problem of solver/solver.hpp.
//
// 1. Classes: demands keyed by every attribute eligibility reads (product, metric, units
//    needed); a contested demand is a class of its own (its device is part of the key); a
//    demand whose device held a unit of a shared pool that may still cover it is keyed by that
//    pool (stability, solver level 3).
// 2. Arcs: a contested class to its device's bound pools (no preference cost: a bound licence
//    has no other use), every class to the shared pools of its family that eligibility allows,
//    each with its evidence; a class's shortfall price is the cheapest known unit cost among
//    its shared pools (core/pricing.hpp).
// 3. Solve; prices so large that the costs could overflow: solve again without the spend and
//    stability levels, and say so.
// 4. De-aggregation: classes in key order, arcs in pool order, demands in install-id order.
//    First, licences go back to the demands on the device they were on before (history, or a
//    retail record's device); then every arc's remaining flow goes to the class's demands in
//    id order.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "core/evidence.hpp"
#include "core/pricing.hpp"
#include "core/stages.hpp"
#include "trueup/check.hpp"
#include "trueup/demand/eligibility.hpp"
#include "trueup/solver/solver.hpp"

namespace trueup::core {
namespace {

constexpr std::size_t no_pool = SIZE_MAX;
/// (product, metric, units per demand, contested device, pool held before, qualified for
/// upgrade licences: the device has a qualifying licence of its own, O4; a VM licensed on its
/// own, SQL3; counted with the core factor, SQL7)
using ClassKey = std::tuple<ProductRef, Metric, Units, DeviceIndex, std::size_t, bool, bool, bool>;

/// The problem with what maps it back to the fleet.
struct Transport {
  TransportProblem problem;
  std::vector<ClassKey> keys;                       ///< per class
  std::vector<std::vector<std::uint32_t>> members;  ///< per class: demands in install-id order
  std::vector<std::size_t> pool_of;                 ///< solver pool -> supply pool
  std::vector<std::vector<RuleStep>> arc_evidence;  ///< per arc
  std::vector<std::optional<Quote>> price;          ///< per class: cheapest known unit cost
};

/// The shared pools each device's licences were in before this run (free holdings of the
/// history), sorted, so that the solver may keep them there.
std::map<DeviceIndex, std::vector<std::size_t>> held_pools(const Run& run) {
  std::map<DeviceIndex, std::vector<std::size_t>> out;
  if (run.holdings.held.empty()) return out;
  for (std::size_t q = run.supply.bound_pools; q < run.supply.pools.size(); ++q)
    for (auto m : run.supply.pools[q].members)
      for (const Holding& h : run.holdings.of(m))
        if (h.device.valid() && !h.locked()) out[h.device].push_back(q);
  for (auto& [dev, qs] : out) {
    std::sort(qs.begin(), qs.end());
    qs.erase(std::unique(qs.begin(), qs.end()), qs.end());
  }
  return out;
}

/// Step 1: the classes, and which class each demand is in.
void classify(const Run& run, const Contested& contested, Work& work, Transport& t) {
  const auto& demands = run.norm.demands;
  const auto held = held_pools(run);
  std::map<ClassKey, std::vector<std::uint32_t>> classes;
  for (std::uint32_t d = 0; d < demands.size(); ++d) {
    if (work.fills[d].remaining == 0) continue;
    const bool qualified = !run.pack.family(demands[d].product.family).upgrades.empty() &&
                           run.supply.qualifying_licence(demands[d].device, demands[d].product.family).has_value();
    std::size_t stay = no_pool;
    if (auto it = held.find(demands[d].device); it != held.end())
      for (std::size_t q : it->second)
        if (eligibility(run.pack, demands[d].product, demands[d].metric, run.supply.pools[q], run.as_of, qualified,
                        demands[d].individual_vm, demands[d].factored)
                .allowed) {
          stay = q;
          break;
        }
    classes[{demands[d].product, demands[d].metric, work.fills[d].remaining,
             contested.demand[d] ? demands[d].device : DeviceIndex{}, stay, qualified, demands[d].individual_vm,
             demands[d].factored}]
        .push_back(d);
  }
  for (auto& [key, ms] : classes) {
    const auto c = static_cast<std::uint32_t>(t.problem.classes.size());
    for (auto d : ms) work.demand_note[d] = c;
    std::sort(ms.begin(), ms.end(), [&](std::uint32_t a, std::uint32_t b) {
      return run.fleet.install(demands[a].install).id < run.fleet.install(demands[b].install).id;
    });
    t.problem.classes.push_back(
        {std::get<2>(key) * static_cast<Units>(ms.size()), 0, static_cast<std::uint8_t>(std::get<4>(key) != no_pool)});
    t.keys.push_back(key);
    t.members.push_back(std::move(ms));
  }
}

/// Step 2: the solver pools (the shared pools, then the contested devices' bound pools), the
/// arcs with their evidence, and the classes' shortfall prices.
void connect(const Run& run, const Contested& contested, Work& work, Transport& t) {
  const auto& pools = run.supply.pools;
  for (std::size_t p = run.supply.bound_pools; p < pools.size(); ++p) t.pool_of.push_back(p);
  std::map<DeviceIndex, std::vector<std::uint32_t>> bound_of_device;  // device -> solver pools
  for (const auto& [device, qs] : contested.pools)
    for (std::size_t q : qs) {
      bound_of_device[device].push_back(static_cast<std::uint32_t>(t.pool_of.size()));
      t.pool_of.push_back(q);
    }
  for (std::size_t q : t.pool_of) t.problem.pools.push_back(work.ledger.left(q));
  // Prices come from shared pools: a bound licence cannot be bought for another device.
  std::map<FamilyIndex, std::vector<std::uint32_t>> pools_of_family;
  for (std::uint32_t q = 0; q < t.pool_of.size(); ++q)
    if (!pools[t.pool_of[q]].is_bound()) pools_of_family[pools[t.pool_of[q]].product.family].push_back(q);

  PriceRank rank;
  t.price.assign(t.problem.classes.size(), std::nullopt);
  work.notes.assign(t.problem.classes.size(), {});
  for (std::uint32_t c = 0; c < t.problem.classes.size(); ++c) {
    const auto& [product, metric, units, device, stay, qualified, vm, factored] = t.keys[c];
    if (device.valid())
      for (std::uint32_t q : bound_of_device[device]) {
        const Pool& pool = pools[t.pool_of[q]];
        const Coverage cov = eligibility(run.pack, product, metric, pool, run.as_of, qualified, vm, factored);
        if (!cov.allowed) continue;
        t.problem.arcs.push_back({c, q, 0, 0, 0});
        t.arc_evidence.emplace_back();
        append_bound_evidence(cov, pool, t.arc_evidence.back());
      }
    for (std::uint32_t q : pools_of_family[product.family]) {
      const std::size_t sq = t.pool_of[q];
      Coverage cov = eligibility(run.pack, product, metric, pools[sq], run.as_of, qualified, vm, factored);
      if (!cov.allowed) {
        // The first refusal, or the first of a licence of the demand's own edition (why a
        // licence of the very product may not cover it says more than another edition's).
        ShortfallNote& note = work.notes[c];
        const bool own_edition = pools[sq].product.edition == product.edition;
        if (note.refusal.empty() || (own_edition && !note.refusal_of_own_edition)) {
          note.refusal = std::move(cov.refusal);
          note.refusal_of_own_edition = own_edition;
        }
        continue;
      }
      const bool moves = stay != no_pool && sq != stay;
      t.problem.arcs.push_back({c, q, cov.exactness_penalty(), cov.flexibility, static_cast<std::uint8_t>(moves)});
      t.arc_evidence.push_back(std::move(cov.chain));
      t.price[c] = lower(t.price[c], cheapest(run.fleet, pools[sq]));
      rank.see_pool(run.fleet, run.supply, sq);
    }
  }
  // The price list prices what no licence held names a price for (prices.csv).
  for (std::uint32_t c = 0; c < t.problem.classes.size(); ++c) {
    const ProductRef& product = std::get<0>(t.keys[c]);
    const Metric metric = std::get<1>(t.keys[c]);
    const bool qualified = std::get<5>(t.keys[c]);
    const bool vm = std::get<6>(t.keys[c]);
    const bool factored = std::get<7>(t.keys[c]);
    t.price[c] =
        lower(t.price[c], cheapest_offer(run.supply, product.family, [&](const Pool& offer) {
                return eligibility(run.pack, product, metric, offer, run.as_of, qualified, vm, factored).allowed;
              }));
    rank.see_offers(run.supply, product.family);
  }
  for (std::size_t c = 0; c < t.problem.classes.size(); ++c)
    t.problem.classes[c].shortfall_price = rank.rank(t.price[c]);
  for (const auto& arc : t.problem.arcs) work.notes[arc.cls].eligible_units += pools[t.pool_of[arc.pool]].quantity;
}

/// Step 4: the solution handed out to the demands (see the file comment).
void deaggregate(const Run& run, const Transport& t, const TransportSolution& sol, Work& work) {
  const auto& demands = run.norm.demands;
  const auto& arcs = t.problem.arcs;
  std::vector<Units> flow = sol.arc_flow;
  auto hand_out = [&](std::size_t a, std::uint32_t d, Units units, bool own_device) {
    const std::size_t p = t.pool_of[arcs[a].pool];
    DemandFill& fill = work.fills[d];
    const std::size_t before = fill.licences.size();
    Units taken = units;
    if (own_device)
      taken = work.ledger.take_own_device(p, demands[d].device, units, fill.licences);
    else
      work.ledger.take(p, units, fill.licences);
    if (taken == 0) return;
    fill.evidence.insert(fill.evidence.end(), t.arc_evidence[a].begin(), t.arc_evidence[a].end());
    if (std::get<5>(t.keys[arcs[a].cls]) &&
        run.pack.family(demands[d].product.family).upgrade_rule(run.supply.pools[p].channel))
      if (const auto q = run.supply.qualifying_licence(demands[d].device, demands[d].product.family)) {
        const Entitlement& base = run.fleet.entitlement(*q);
        fill.evidence.push_back({RuleStep::Kind::upgrade, "qualifying licence " + base.id + " (" +
                                                              std::string(name(base.channel)) + " " +
                                                              run.pack.product_name(base.product) + ") on " +
                                                              run.fleet.device(demands[d].device).id});
      }
    note_reassignment(run.fleet, run.holdings, run.as_of, fill.licences, before, demands[d].device, fill.evidence);
    fill.remaining -= taken;
    flow[a] -= taken;
  };
  const std::size_t C = t.problem.classes.size();
  std::vector<std::size_t> first_arc(C + 1, arcs.size());
  for (std::size_t a = arcs.size(); a-- > 0;) first_arc[arcs[a].cls] = a;
  for (std::size_t c = C; c-- > 0;) first_arc[c] = std::min(first_arc[c], first_arc[c + 1]);
  for (std::uint32_t c = 0; c < C; ++c)
    for (std::size_t a = first_arc[c]; a < first_arc[c + 1]; ++a)
      if (const std::size_t q = t.pool_of[arcs[a].pool];
          work.ledger.remembers_devices(q) &&
          (q == std::get<4>(t.keys[c]) || run.supply.pools[q].channel == Channel::retail))
        for (std::uint32_t d : t.members[c])
          if (flow[a] > 0 && work.fills[d].remaining > 0)
            hand_out(a, d, std::min(flow[a], work.fills[d].remaining), true);
  for (std::uint32_t c = 0; c < C; ++c) {
    std::size_t m = 0;  // next member that may still need units
    for (std::size_t a = first_arc[c]; a < first_arc[c + 1]; ++a)
      while (flow[a] > 0) {
        while (m < t.members[c].size() && work.fills[t.members[c][m]].remaining == 0) ++m;
        TRUEUP_CHECK(m < t.members[c].size(), "class flow never exceeds the class's demand");
        hand_out(a, t.members[c][m], std::min(flow[a], work.fills[t.members[c][m]].remaining), false);
      }
  }
}

}  // namespace

SolveStatus transport_stage(const Run& run, const Contested& contested, SolveOptions options, const StageDone& done,
                            Work& work, Position& pos) {
  Transport t;
  classify(run, contested, work, t);
  connect(run, contested, work, t);
  done(Stage::classify);
  TransportSolution sol = solve(t.problem, options);
  const SolveStatus status = sol.status;
  if (status == SolveStatus::bad_cost_range) {
    // Coverage, exactness and flexibility stay exact; spend and stability are left out.
    for (auto& c : t.problem.classes) {
      c.shortfall_price = 0;
      c.shortfall_moves = 0;
    }
    for (auto& a : t.problem.arcs) a.moves = 0;
    sol = solve(t.problem, options);
    TRUEUP_CHECK(sol.status == SolveStatus::optimal, "without prices, costs are bounded by the graph's size");
    pos.warnings.push_back(prices_out_of_range(
        "licence assignment", "the shortfall is placed without regard to price or to where licences were before"));
  }
  pos.demand_classes = t.problem.classes.size();
  pos.pools = run.supply.pools.size();
  pos.components = sol.components;
  done(Stage::solve);
  deaggregate(run, t, sol, work);
  for (std::size_t c = 0; c < t.problem.classes.size(); ++c)
    if (sol.shortfall[c] > 0)
      work.true_ups.push_back({std::get<0>(t.keys[c]), std::get<1>(t.keys[c]), t.price[c], sol.shortfall[c]});
  return status;
}

}  // namespace trueup::core
