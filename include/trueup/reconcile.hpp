// SPDX-License-Identifier: BSL-1.0
// File: trueup/reconcile.hpp
//
// The pipeline, one pure function: normalise installs into demands, group entitlements into
// pools, apply bound (OEM) licences on their own devices, compress the remaining demands
// into classes, solve the class x pool assignment exactly, and hand the units back to
// installs in id order. Same inputs, same Position, byte for byte.
//
// **Example**:
//
//     trueup::Position p = trueup::reconcile(pack, fleet);
//     for (const auto& row : p.products)
//       fmt::print("{}: short {}\n", pack.product_name(row.product), row.shortfall_units);
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "trueup/demand/eligibility.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/position.hpp"
#include "trueup/solver/solver.hpp"

namespace trueup {

struct ReconcileOptions {
  SolveOptions solve{};
};

namespace detail {

// One demand's share of the licences, built up by the bound stage and the solver.
struct DemandFill {
  Units remaining = 0;
  std::vector<Allocation> licences;
  std::vector<RuleStep> evidence;
};

// What is left of a pool: units per member, and the first member with any left. Units are
// handed out member by member in id order; a retail licence recorded on the demand's own
// device is handed out first, so that the evidence never claims a move that did not happen
// (units of one pool are interchangeable, so this changes no count).
struct PoolState {
  std::vector<Units> left;  ///< per member
  std::size_t next = 0;
  std::vector<std::pair<DeviceIndex, std::uint32_t>> by_device;  ///< retail: (recorded device, member), sorted

  PoolState(const Fleet& fleet, const Pool& pool) {
    for (auto m : pool.members) left.push_back(fleet.entitlement(m).quantity);
    if (pool.channel == Channel::retail)
      for (std::uint32_t i = 0; i < pool.members.size(); ++i)
        if (fleet.entitlement(pool.members[i]).device.valid())
          by_device.emplace_back(fleet.entitlement(pool.members[i]).device, i);
    std::sort(by_device.begin(), by_device.end());
  }
};

inline void take_member(const Pool& pool, PoolState& st, std::size_t m, Units& units, std::vector<Allocation>& out,
                        std::vector<EntitlementUse>& uses) {
  const Units take = std::min(st.left[m], units);
  if (take == 0) return;  // a zero-quantity record holds a price, never a unit
  const EntitlementIndex e = pool.members[m];
  if (!out.empty() && out.back().entitlement == e)
    out.back().units += take;
  else
    out.push_back({e, take});
  uses[e.value].consumed += take;
  st.left[m] -= take;
  units -= take;
}

/// Units of `pool` recorded on `device` (retail only), handed to a demand on that device.
inline Units take_own_device(const Pool& pool, PoolState& st, DeviceIndex device, Units units,
                             std::vector<Allocation>& out, std::vector<EntitlementUse>& uses) {
  const Units wanted = units;
  auto it = std::lower_bound(st.by_device.begin(), st.by_device.end(), std::make_pair(device, std::uint32_t{0}));
  for (; it != st.by_device.end() && it->first == device && units > 0; ++it)
    take_member(pool, st, it->second, units, out, uses);
  return wanted - units;
}

inline void take_from_pool(const Pool& pool, PoolState& st, Units units, std::vector<Allocation>& out,
                           std::vector<EntitlementUse>& uses) {
  while (units > 0) {
    while (st.next < st.left.size() && st.left[st.next] == 0) ++st.next;
    TRUEUP_CHECK(st.next < st.left.size(), "a pool never hands out more than its quantity");
    take_member(pool, st, st.next, units, out, uses);
  }
}

// Evidence for an OEM licence on its own device: the licence, its binding, then any downgrade
// or down-edition it needs.
inline void append_bound_evidence(const Fleet& fleet, const Coverage& cov, const std::string& licence_id,
                                  DeviceIndex device, std::vector<RuleStep>& evidence) {
  evidence.push_back(cov.chain.front());
  evidence.push_back({RuleStep::Kind::oem_binding, "OEM licence " + licence_id + " bound to " + fleet.device(device).id});
  evidence.insert(evidence.end(), cov.chain.begin() + 1, cov.chain.end());
}

// Evidence for a retail licence now covering a device other than the one on its record.
inline void note_reassignment(const Fleet& fleet, const Pool& pool, const std::vector<Allocation>& allocs,
                              std::size_t from, DeviceIndex device, std::vector<RuleStep>& evidence) {
  if (pool.channel != Channel::retail) return;
  for (std::size_t i = from; i < allocs.size(); ++i) {
    const Entitlement& e = fleet.entitlement(allocs[i].entitlement);
    if (!e.device.valid() || e.device == device) continue;
    const Device& old = fleet.device(e.device);
    std::string text = "retail licence " + e.id + " reassigned from " + old.id;
    if (old.status != DeviceStatus::active)
      text += " (" + std::string(name(old.status)) + (old.status_date ? " " + old.status_date->iso() : "") + ")";
    text += " to " + fleet.device(device).id + ": a retail licence may move to another owned device";
    evidence.push_back({RuleStep::Kind::reassignment, std::move(text)});
  }
}

}  // namespace detail

/// Reconciles a fleet against its entitlements under the pack's rules. \pre `fleet` was
/// validated against `pack` (the readers do this). Throws InvariantError only on a bug.
[[nodiscard]] inline Position reconcile(const RulePack& pack, const Fleet& fleet, ReconcileOptions options = {}) {
  Position pos;
  pos.rule_pack = pack.name + " " + pack.revision;
  const Normalised norm = normalise(pack, fleet);
  const Supply supply = build_supply(pack, fleet);
  const auto& demands = norm.demands;

  pos.entitlements.resize(fleet.entitlements.size());
  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    pos.entitlements[i].counted = supply.entitlements[i].counted;
    pos.entitlements[i].reason = supply.entitlements[i].reason;
  }

  std::vector<detail::DemandFill> fill(demands.size());
  for (std::size_t d = 0; d < demands.size(); ++d) fill[d].remaining = demands[d].quantity;
  std::vector<detail::PoolState> states;
  std::vector<Units> pool_left(supply.pools.size());
  states.reserve(supply.pools.size());
  for (std::size_t p = 0; p < supply.pools.size(); ++p) {
    states.emplace_back(fleet, supply.pools[p]);
    pool_left[p] = supply.pools[p].quantity;
  }

  // Bound stage: an OEM licence covers its own device first. Bound pools are sorted by device,
  // demands by device, so one merge pass pairs them. Where a device has several demands that
  // its bound licences could cover (two editions of one family that do not cover each other),
  // which demand gets which licence is a choice for the solver: those demands become classes
  // of their own and the device's bound pools join the problem, with arcs only to them.
  std::vector<bool> contested(demands.size(), false);
  std::map<DeviceIndex, std::vector<std::size_t>> contested_pools;  // device -> bound pools
  {
    struct Candidate {
      std::uint32_t exactness;
      std::string id;
      std::size_t pool;
      Coverage cov;
    };
    std::size_t b = 0;
    for (std::size_t first = 0; first < demands.size();) {
      const DeviceIndex device = demands[first].device;
      std::size_t last = first;
      while (last < demands.size() && demands[last].device == device) ++last;
      while (b < supply.bound_pools && supply.pools[b].bound < device) ++b;
      std::size_t bound_end = b;
      while (bound_end < supply.bound_pools && supply.pools[bound_end].bound == device) ++bound_end;

      std::vector<std::vector<Candidate>> cands(last - first);
      std::size_t wanting = 0;
      for (std::size_t d = first; d < last; ++d) {
        for (std::size_t q = b; q < bound_end; ++q) {
          Coverage cov = eligibility(pack, demands[d].product, demands[d].metric, supply.pools[q]);
          if (cov.allowed)
            cands[d - first].push_back(
                {cov.exactness_penalty(), fleet.entitlement(supply.pools[q].members[0]).id, q, std::move(cov)});
        }
        wanting += !cands[d - first].empty();
      }
      if (wanting > 1) {
        for (std::size_t d = first; d < last; ++d) contested[d] = !cands[d - first].empty();
        for (std::size_t q = b; q < bound_end; ++q) contested_pools[device].push_back(q);
        first = last;
        continue;
      }
      for (std::size_t d = first; d < last; ++d) {
        auto& cs = cands[d - first];
        std::sort(cs.begin(), cs.end(), [](const Candidate& x, const Candidate& y) {
          return std::tie(x.exactness, x.id) < std::tie(y.exactness, y.id);
        });
        for (auto& c : cs) {
          if (fill[d].remaining == 0) break;
          const Units take = std::min(fill[d].remaining, pool_left[c.pool]);
          if (take == 0) continue;
          detail::take_from_pool(supply.pools[c.pool], states[c.pool], take, fill[d].licences, pos.entitlements);
          pool_left[c.pool] -= take;
          fill[d].remaining -= take;
          detail::append_bound_evidence(fleet, c.cov, c.id, demands[d].device, fill[d].evidence);
        }
      }
      first = last;
    }
  }

  // Classes: demands still needing units, keyed by every attribute eligibility reads; a
  // contested demand is a class of its own (its device is part of the key).
  using ClassKey = std::tuple<ProductRef, Metric, Units, DeviceIndex>;
  std::map<ClassKey, std::vector<std::uint32_t>> class_members;
  for (std::uint32_t d = 0; d < demands.size(); ++d)
    if (fill[d].remaining > 0)
      class_members[{demands[d].product, demands[d].metric, fill[d].remaining,
                     contested[d] ? demands[d].device : DeviceIndex{}}]
          .push_back(d);

  TransportProblem problem;
  std::vector<ClassKey> class_keys;
  std::vector<std::vector<std::uint32_t>> members;
  std::vector<std::uint32_t> demand_class(demands.size(), UINT32_MAX);
  for (auto& [key, ms] : class_members) {
    for (auto d : ms) demand_class[d] = static_cast<std::uint32_t>(problem.classes.size());
    std::sort(ms.begin(), ms.end(), [&](std::uint32_t a, std::uint32_t b) {
      return fleet.install(demands[a].install).id < fleet.install(demands[b].install).id;
    });
    problem.classes.push_back({std::get<2>(key) * static_cast<Units>(ms.size()), 0});
    class_keys.push_back(key);
    members.push_back(std::move(ms));
  }
  // Solver pools: the shared pools, then the contested devices' bound pools.
  std::vector<std::size_t> pool_of;  // solver pool -> supply pool
  for (std::size_t p = supply.bound_pools; p < supply.pools.size(); ++p) pool_of.push_back(p);
  std::map<DeviceIndex, std::vector<std::uint32_t>> bound_of_device;  // device -> solver pools
  for (const auto& [device, qs] : contested_pools)
    for (std::size_t q : qs) {
      bound_of_device[device].push_back(static_cast<std::uint32_t>(pool_of.size()));
      pool_of.push_back(q);
    }
  for (std::size_t q : pool_of) problem.pools.push_back(pool_left[q]);

  // Arcs, with the evidence each carries; shared pools indexed by family. Prices come from
  // shared pools: a bound licence cannot be bought for another device.
  std::map<FamilyIndex, std::vector<std::uint32_t>> pools_of_family;
  for (std::uint32_t q = 0; q < pool_of.size(); ++q)
    if (!supply.pools[pool_of[q]].is_bound()) pools_of_family[supply.pools[pool_of[q]].product.family].push_back(q);
  std::vector<std::vector<RuleStep>> arc_evidence;
  bool any_price = false;
  std::int64_t max_price = 0;
  std::vector<std::optional<std::int64_t>> class_price(problem.classes.size());
  std::vector<std::string> class_refusal(problem.classes.size());  // why the first refused pool was
  for (std::uint32_t c = 0; c < problem.classes.size(); ++c) {
    const auto& [product, metric, units, device] = class_keys[c];
    (void)units;
    if (device.valid())  // a bound licence has no other use: no preference cost (solver.hpp)
      for (std::uint32_t q : bound_of_device[device]) {
        const Pool& pool = supply.pools[pool_of[q]];
        const Coverage cov = eligibility(pack, product, metric, pool);
        if (!cov.allowed) continue;
        problem.arcs.push_back({c, q, 0, 0});
        arc_evidence.emplace_back();
        detail::append_bound_evidence(fleet, cov, fleet.entitlement(pool.members[0]).id, device, arc_evidence.back());
      }
    for (std::uint32_t q : pools_of_family[product.family]) {
      const Pool& pool = supply.pools[pool_of[q]];
      Coverage cov = eligibility(pack, product, metric, pool);
      if (!cov.allowed) {
        if (class_refusal[c].empty()) class_refusal[c] = std::move(cov.refusal);
        continue;
      }
      problem.arcs.push_back({c, q, cov.exactness_penalty(), cov.flexibility});
      arc_evidence.push_back(std::move(cov.chain));
      for (auto m : pool.members)
        if (const auto& cost = fleet.entitlement(m).unit_cost) {
          class_price[c] = std::min(class_price[c].value_or(cost->amount), cost->amount);
          any_price = true;
          max_price = std::max(max_price, cost->amount);
        }
    }
  }
  // A shortfall with no known price ranks above every known one: prefer leaving short what
  // we know how to price, and price it cheapest.
  for (std::size_t c = 0; c < problem.classes.size(); ++c)
    problem.classes[c].shortfall_price = class_price[c].value_or(any_price ? max_price + 1 : 0);

  // What each class could draw on, to explain a shortfall.
  std::vector<Units> eligible_units(problem.classes.size(), 0);
  for (const auto& arc : problem.arcs) eligible_units[arc.cls] += supply.pools[pool_of[arc.pool]].quantity;

  TransportSolution sol = solve(problem, options.solve);
  pos.status = sol.status;
  if (sol.status == SolveStatus::bad_cost_range) {
    // Prices so large that price x units could overflow: solve coverage, exactness and
    // flexibility exactly without the spend level, and say so.
    for (auto& c : problem.classes) c.shortfall_price = 0;
    sol = solve(problem, options.solve);
    TRUEUP_CHECK(sol.status == SolveStatus::optimal, "without prices, costs are bounded by the graph's size");
    pos.warnings.push_back({Severity::warning, "entitlements.csv", 0, 0, "prices-out-of-range",
                            "expected unit costs whose products with the demand fit in 62 bits, found larger ones; "
                            "the shortfall is placed without regard to price"});
  }
  pos.demand_classes = problem.classes.size();
  pos.pools = supply.pools.size();
  pos.components = sol.components;

  // De-aggregation: classes in key order, arcs in pool order, demands in install-id order.
  // First, retail licences go to the demands on the device they are recorded on; then every
  // arc's remaining flow goes to the class's demands in id order.
  {
    std::vector<Units> flow = sol.arc_flow;
    auto hand_out = [&](std::size_t a, std::uint32_t d, Units units, bool own_device) {
      const std::size_t p = pool_of[problem.arcs[a].pool];
      const std::size_t before = fill[d].licences.size();
      Units taken = units;
      if (own_device)
        taken = detail::take_own_device(supply.pools[p], states[p], demands[d].device, units, fill[d].licences,
                                        pos.entitlements);
      else
        detail::take_from_pool(supply.pools[p], states[p], units, fill[d].licences, pos.entitlements);
      if (taken == 0) return;
      fill[d].evidence.insert(fill[d].evidence.end(), arc_evidence[a].begin(), arc_evidence[a].end());
      detail::note_reassignment(fleet, supply.pools[p], fill[d].licences, before, demands[d].device, fill[d].evidence);
      fill[d].remaining -= taken;
      flow[a] -= taken;
    };
    std::vector<std::size_t> first_arc(problem.classes.size() + 1, problem.arcs.size());
    for (std::size_t a = problem.arcs.size(); a-- > 0;) first_arc[problem.arcs[a].cls] = a;
    for (std::size_t c = problem.classes.size(); c-- > 0;) first_arc[c] = std::min(first_arc[c], first_arc[c + 1]);
    for (std::uint32_t c = 0; c < problem.classes.size(); ++c)
      for (std::size_t a = first_arc[c]; a < first_arc[c + 1]; ++a)
        if (supply.pools[pool_of[problem.arcs[a].pool]].channel == Channel::retail)
          for (std::uint32_t d : members[c])
            if (flow[a] > 0 && fill[d].remaining > 0) hand_out(a, d, std::min(flow[a], fill[d].remaining), true);
    for (std::uint32_t c = 0; c < problem.classes.size(); ++c) {
      std::size_t m = 0;  // next member that may still need units
      for (std::size_t a = first_arc[c]; a < first_arc[c + 1]; ++a)
        while (flow[a] > 0) {
          while (m < members[c].size() && fill[members[c][m]].remaining == 0) ++m;
          TRUEUP_CHECK(m < members[c].size(), "class flow never exceeds the class's demand");
          hand_out(a, members[c][m], std::min(flow[a], fill[members[c][m]].remaining), false);
        }
    }
  }

  // Verdicts.
  pos.installs.resize(fleet.installs.size());
  for (std::size_t i = 0; i < fleet.installs.size(); ++i) {
    const InstallDisposition& disp = norm.installs[i];
    InstallVerdict& v = pos.installs[i];
    if (disp.recognised) {
      v.product = disp.product;
      v.metric = pack.version(disp.product).metric;
    }
    switch (disp.kind) {
      case InstallDisposition::Kind::excluded:
        v.verdict = Verdict::excluded;
        v.exclusion = disp.exclusion;
        v.reason = disp.reason;
        break;
      case InstallDisposition::Kind::duplicate:
        v.verdict = Verdict::duplicate;
        v.duplicate_of = demands[disp.demand].install;
        v.reason = "duplicate of " + fleet.install(v.duplicate_of).id + " on " +
                   fleet.device(demands[disp.demand].device).id +
                   ": one licence on a device covers every copy and earlier version of the product there";
        break;
      case InstallDisposition::Kind::demand: {
        const Demand& dem = demands[disp.demand];
        detail::DemandFill& f = fill[disp.demand];
        v.metric = dem.metric;
        v.demanded = dem.quantity;
        v.covered = dem.quantity - f.remaining;
        v.verdict = f.remaining == 0 ? Verdict::covered : Verdict::shortfall;
        v.licences = std::move(f.licences);
        v.evidence = std::move(f.evidence);
        if (f.remaining > 0) {
          v.reason = std::to_string(f.remaining) + " of " + std::to_string(dem.quantity) + " " +
                     std::string(name(dem.metric)) + " licence unit(s) uncovered: ";
          const Units pooled = eligible_units[demand_class[disp.demand]];
          const std::string& refusal = class_refusal[demand_class[disp.demand]];
          v.reason += pooled > 0 ? "all " + std::to_string(pooled) +
                                       " unit(s) of the licences that may cover it are in use"
                     : refusal.empty() ? "no licence of the organisation may cover " + pack.product_name(dem.product)
                                       : "no licence of the organisation may cover " + pack.product_name(dem.product) +
                                             " (" + refusal + ")";
        }
        break;
      }
    }
  }

  // Per-product rows and totals.
  std::map<ProductRef, ProductPosition> rows;
  auto row = [&](ProductRef p) -> ProductPosition& {
    ProductPosition& r = rows[p];
    r.product = p;
    r.metric = pack.version(p).metric;
    return r;
  };
  Totals& t = pos.totals;
  t.installs = static_cast<std::uint32_t>(fleet.installs.size());
  for (const auto& v : pos.installs) {
    t.covered += v.verdict == Verdict::covered;
    t.shortfall += v.verdict == Verdict::shortfall;
    t.excluded += v.verdict == Verdict::excluded;
    t.duplicate += v.verdict == Verdict::duplicate;
    if (!v.product) continue;
    ProductPosition& r = row(*v.product);
    ++r.installs;
    r.duplicates += v.verdict == Verdict::duplicate;
    r.excluded += v.verdict == Verdict::excluded;
    if (v.verdict == Verdict::covered || v.verdict == Verdict::shortfall) {
      ++r.demands;
      r.demand_units += v.demanded;
      r.covered_units += v.covered;
      r.shortfall_units += v.demanded - v.covered;
    }
  }
  for (std::size_t c = 0; c < problem.classes.size(); ++c) {
    if (sol.shortfall[c] == 0) continue;
    ProductPosition& r = row(std::get<0>(class_keys[c]));
    if (class_price[c])
      r.true_up_cost += MoneyTotal::times(Money{*class_price[c]}, sol.shortfall[c]);
    else
      r.unpriced_shortfall += sol.shortfall[c];
  }
  std::set<std::string> currencies;
  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    ProductPosition& r = row(e.product);
    (pos.entitlements[i].counted ? r.licences : r.void_licences) += e.quantity;
    r.consumed += pos.entitlements[i].consumed;
    if (e.unit_cost && !e.currency.empty()) currencies.insert(e.currency);
  }
  for (auto& [key, r] : rows) {
    r.surplus = r.licences - r.consumed;
    UnitTotals& u = t.in(r.metric);
    u.demand += r.demand_units;
    u.covered += r.covered_units;
    u.shortfall += r.shortfall_units;
    u.licences += r.licences;
    u.consumed += r.consumed;
    u.surplus += r.surplus;
    t.true_up_cost += r.true_up_cost;
    t.unpriced_shortfall += r.unpriced_shortfall;
    pos.products.push_back(r);
  }
  if (currencies.size() > 1) {
    std::string list;
    for (const auto& c : currencies) list += (list.empty() ? "" : ", ") + c;
    pos.warnings.push_back({Severity::warning, "entitlements.csv", 0, 0, "mixed-currencies",
                            "expected one currency for true-up prices, found " + list +
                                "; prices are compared as numbers"});
  }
  if (norm.unknown_hardware > 0)
    pos.warnings.push_back({Severity::warning, "devices.csv", 0, 0, "unknown-hardware",
                            "expected processor and core counts for " + std::to_string(norm.unknown_hardware) +
                                " server(s) licensed per processor or core, found none; the minimums were used"});
  TRUEUP_CHECK(check_accounting(pos, fleet), "every install and every licence unit is accounted for");
  return pos;
}

}  // namespace trueup
