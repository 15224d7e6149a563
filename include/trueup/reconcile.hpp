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

// Hands out a pool's units member by member, in id order.
struct PoolCursor {
  std::size_t member = 0;
  Units used_in_member = 0;
};

inline void take_from_pool(const Fleet& fleet, const Pool& pool, PoolCursor& cur, Units units,
                           std::vector<Allocation>& out, std::vector<EntitlementUse>& uses) {
  while (units > 0) {
    TRUEUP_CHECK(cur.member < pool.members.size(), "a pool never hands out more than its quantity");
    const EntitlementIndex e = pool.members[cur.member];
    const Units left = fleet.entitlement(e).quantity - cur.used_in_member;
    const Units take = std::min(left, units);
    if (take == 0) {  // a zero-quantity record holds a price, never a unit
      ++cur.member;
      cur.used_in_member = 0;
      continue;
    }
    if (!out.empty() && out.back().entitlement == e)
      out.back().units += take;
    else
      out.push_back({e, take});
    uses[e.value].consumed += take;
    units -= take;
    cur.used_in_member += take;
    if (cur.used_in_member == fleet.entitlement(e).quantity) {
      ++cur.member;
      cur.used_in_member = 0;
    }
  }
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
  std::vector<detail::PoolCursor> cursors(supply.pools.size());
  std::vector<Units> pool_left(supply.pools.size());
  for (std::size_t p = 0; p < supply.pools.size(); ++p) pool_left[p] = supply.pools[p].quantity;

  // Bound stage: an OEM licence covers its own device first. Bound pools are sorted by device,
  // demands by device, so one merge pass pairs them.
  {
    std::size_t b = 0;
    for (std::size_t d = 0; d < demands.size(); ++d) {
      const Demand& dem = demands[d];
      while (b < supply.bound_pools && supply.pools[b].bound < dem.device) ++b;
      struct Candidate {
        std::uint32_t exactness;
        std::string id;
        std::size_t pool;
        Coverage cov;
      };
      std::vector<Candidate> cands;
      for (std::size_t q = b; q < supply.bound_pools && supply.pools[q].bound == dem.device; ++q) {
        Coverage cov = eligibility(pack, dem.product, dem.metric, supply.pools[q]);
        if (cov.allowed)
          cands.push_back({cov.exactness_penalty(), fleet.entitlement(supply.pools[q].members[0]).id, q, std::move(cov)});
      }
      std::sort(cands.begin(), cands.end(),
                [](const Candidate& x, const Candidate& y) { return std::tie(x.exactness, x.id) < std::tie(y.exactness, y.id); });
      for (auto& c : cands) {
        if (fill[d].remaining == 0) break;
        const Units take = std::min(fill[d].remaining, pool_left[c.pool]);
        if (take == 0) continue;
        detail::take_from_pool(fleet, supply.pools[c.pool], cursors[c.pool], take, fill[d].licences, pos.entitlements);
        pool_left[c.pool] -= take;
        fill[d].remaining -= take;
        // licence, then its binding, then any downgrade or down-edition it needs
        fill[d].evidence.push_back(c.cov.chain.front());
        fill[d].evidence.push_back({RuleStep::Kind::oem_binding, "OEM licence " + c.id + " bound to " +
                                                                     fleet.device(dem.device).id});
        fill[d].evidence.insert(fill[d].evidence.end(), c.cov.chain.begin() + 1, c.cov.chain.end());
      }
    }
  }

  // Classes: demands still needing units, keyed by every attribute eligibility reads.
  using ClassKey = std::tuple<ProductRef, Metric, Units>;
  std::map<ClassKey, std::vector<std::uint32_t>> class_members;
  for (std::uint32_t d = 0; d < demands.size(); ++d)
    if (fill[d].remaining > 0) class_members[{demands[d].product, demands[d].metric, fill[d].remaining}].push_back(d);

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
  const std::size_t first_shared = supply.bound_pools;
  for (std::size_t p = first_shared; p < supply.pools.size(); ++p) problem.pools.push_back(pool_left[p]);

  // Arcs, with the coverage kept for evidence; shared pools indexed by family.
  std::map<FamilyIndex, std::vector<std::uint32_t>> pools_of_family;
  for (std::size_t p = first_shared; p < supply.pools.size(); ++p)
    pools_of_family[supply.pools[p].product.family].push_back(static_cast<std::uint32_t>(p - first_shared));
  std::vector<Coverage> arc_coverage;
  bool any_price = false;
  std::int64_t max_price = 0;
  std::vector<std::optional<std::int64_t>> class_price(problem.classes.size());
  for (std::uint32_t c = 0; c < problem.classes.size(); ++c) {
    const auto& [product, metric, units] = class_keys[c];
    (void)units;
    for (std::uint32_t q : pools_of_family[product.family]) {
      const Pool& pool = supply.pools[first_shared + q];
      Coverage cov = eligibility(pack, product, metric, pool);
      if (!cov.allowed) continue;
      problem.arcs.push_back({c, q, cov.exactness_penalty(), cov.flexibility});
      arc_coverage.push_back(std::move(cov));
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
  for (const auto& arc : problem.arcs) eligible_units[arc.cls] += supply.pools[first_shared + arc.pool].quantity;

  const TransportSolution sol = solve(problem, options.solve);
  pos.status = sol.status;
  TRUEUP_CHECK(sol.status == SolveStatus::optimal, "class costs fit comfortably in 62 bits");
  pos.demand_classes = problem.classes.size();
  pos.pools = supply.pools.size();
  pos.components = sol.components;

  // De-aggregation: classes in key order, arcs in pool order, demands in install-id order.
  {
    std::size_t a = 0;
    for (std::uint32_t c = 0; c < problem.classes.size(); ++c) {
      std::size_t m = 0;  // next member that still needs units
      for (; a < problem.arcs.size() && problem.arcs[a].cls == c; ++a) {
        Units flow = sol.arc_flow[a];
        const std::size_t p = first_shared + problem.arcs[a].pool;
        while (flow > 0) {
          TRUEUP_CHECK(m < members[c].size(), "class flow never exceeds the class's demand");
          const std::uint32_t d = members[c][m];
          const Units take = std::min(flow, fill[d].remaining);
          const std::size_t before = fill[d].licences.size();
          detail::take_from_pool(fleet, supply.pools[p], cursors[p], take, fill[d].licences, pos.entitlements);
          fill[d].evidence.insert(fill[d].evidence.end(), arc_coverage[a].chain.begin(), arc_coverage[a].chain.end());
          detail::note_reassignment(fleet, supply.pools[p], fill[d].licences, before, demands[d].device,
                                    fill[d].evidence);
          fill[d].remaining -= take;
          flow -= take;
          if (fill[d].remaining == 0) ++m;
        }
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
                   ": one licence per device covers every copy and version of the family";
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
          v.reason += pooled == 0 ? "no licence held may cover " + pack.product_name(dem.product)
                                  : "all " + std::to_string(pooled) +
                                        " unit(s) of the licences that may cover it are in use";
        }
        break;
      }
    }
  }

  // Per-product rows and totals.
  std::map<std::tuple<FamilyIndex, std::uint16_t, std::uint16_t>, ProductPosition> rows;
  auto row = [&](ProductRef p) -> ProductPosition& {
    ProductPosition& r = rows[{p.family, p.version, p.edition}];
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
    t.demand_units += r.demand_units;
    t.covered_units += r.covered_units;
    t.shortfall_units += r.shortfall_units;
    t.licences += r.licences;
    t.consumed += r.consumed;
    t.surplus += r.surplus;
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
  TRUEUP_CHECK(check_accounting(pos), "covered + short + excluded + duplicate = installs read");
  return pos;
}

}  // namespace trueup
