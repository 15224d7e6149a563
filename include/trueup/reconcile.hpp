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
#include <exception>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <optional>
#include <vector>

#include "trueup/demand/eligibility.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/detail/parallel.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/assignments.hpp"
#include "trueup/position/position.hpp"
#include "trueup/rules/metric_units.hpp"
#include "trueup/solver/host_solver.hpp"
#include "trueup/solver/solver.hpp"

namespace trueup {

/// The stages of a run, in order, as reported when each ends (ReconcileOptions::on_stage).
/// `read` and `write` belong to the callers that read the files and write the report.
enum class Stage : std::uint8_t { read, normalise, supply, classify, solve, deaggregate, verdicts, write };

constexpr std::string_view name(Stage s) {
  switch (s) {
    case Stage::read: return "read";
    case Stage::normalise: return "normalise";
    case Stage::supply: return "supply";
    case Stage::classify: return "classify";
    case Stage::solve: return "solve";
    case Stage::deaggregate: return "de-aggregate";
    case Stage::verdicts: return "verdicts";
    case Stage::write: return "write";
  }
  return "?";
}

struct ReconcileOptions {
  SolveOptions solve{};
  /// Threads the stages that split by install may use (recognition and exclusion in
  /// normalise). The result does not depend on it: each thread works on a contiguous range
  /// of installs and the ranges are joined in order.
  unsigned threads = 1;
  /// Called as each stage ends, on the calling thread: for progress reporting and timing.
  /// It observes only; the result does not depend on it.
  std::function<void(Stage)> on_stage;
  /// The date the position is taken on (default: today, UTC). Devices retired after it still
  /// count, installs first seen after it do not, licences bought after it do not, subscriptions
  /// count within their term, Software Assurance grants the versions made available during its
  /// term up to it, and the 90-day reassignment rule is read from it.
  std::optional<Date> as_of;
  /// Fill Position::assignments (and Position::history): the assignments to record for the
  /// next run (the state store, `--write-assignments`). Off by default: one record per licence
  /// and holder is work a one-off report does not need.
  bool record_assignments = false;
};

namespace detail {

// One demand's share of the licences, built up by the bound stage and the solver.
struct DemandFill {
  Metric metric = Metric::device;  ///< what the units count (a host's model, a user licence)
  Units demanded = 0;
  Units remaining = 0;
  std::uint32_t carrier = UINT32_MAX;  ///< per-user: the demand whose user licence covers this one
  std::vector<Allocation> licences;
  std::vector<RuleStep> evidence;
};

/// The device a licence was on before this run, if any: its free holdings (rules/
/// reassignment.hpp), or, without history, the device a retail record names.
inline void previous_devices(const Fleet& fleet, const Holdings& holdings, EntitlementIndex e,
                             std::vector<DeviceIndex>& out) {
  out.clear();
  if (!holdings.of_licence.empty())
    for (const Holding& h : holdings.of(e))
      if (h.device.valid() && !h.locked()) out.push_back(h.device);
  const Entitlement& ent = fleet.entitlement(e);
  if (out.empty() && (holdings.of_licence.empty() || holdings.of(e).empty()) && ent.channel == Channel::retail &&
      ent.device.valid())
    out.push_back(ent.device);
}

// What is left of a pool: units per member, and the first member with any left. Units are
// handed out member by member in id order; a licence that was on the demand's own device
// before (its history, or a retail record's device) is handed out first, so that licences stay
// where they were and the evidence never claims a move that did not happen (units of one pool
// are interchangeable, so this changes no count).
struct PoolState {
  std::vector<Units> left;  ///< per member
  std::size_t next = 0;
  std::vector<std::pair<DeviceIndex, std::uint32_t>> by_device;  ///< (previous device, member), sorted

  PoolState(const Fleet& fleet, const Pool& pool, const Holdings& holdings) : left(pool.units) {
    std::vector<DeviceIndex> before;
    if (!pool.is_bound())
      for (std::uint32_t i = 0; i < pool.members.size(); ++i) {
        previous_devices(fleet, holdings, pool.members[i], before);
        for (DeviceIndex d : before) by_device.emplace_back(d, i);
      }
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

// Evidence for a bound licence on its own device or user: the licence, its binding (OEM, or
// the 90-day rule), then any new-version right, downgrade or down-edition it needs.
inline void append_bound_evidence(const Coverage& cov, const Pool& pool, std::vector<RuleStep>& evidence) {
  evidence.push_back(cov.chain.front());
  if (pool.binding) evidence.push_back(*pool.binding);
  evidence.insert(evidence.end(), cov.chain.begin() + 1, cov.chain.end());
}

// Evidence for a licence now covering a device other than the one it was on before.
inline void note_reassignment(const Fleet& fleet, const Holdings& holdings, Date as_of,
                              const std::vector<Allocation>& allocs, std::size_t from, DeviceIndex device,
                              std::vector<RuleStep>& evidence) {
  std::vector<DeviceIndex> before;
  for (std::size_t i = from; i < allocs.size(); ++i) {
    const Entitlement& e = fleet.entitlement(allocs[i].entitlement);
    // A unit of a licence of several units may be one never assigned: only a one-unit licence
    // with a history names its move here (Position::assignments counts every move).
    const bool history = !holdings.of_licence.empty() && !holdings.of(allocs[i].entitlement).empty();
    if (history && e.quantity != 1) continue;
    previous_devices(fleet, holdings, allocs[i].entitlement, before);
    if (before.empty() || std::find(before.begin(), before.end(), device) != before.end()) continue;
    const Device& old = fleet.device(before.front());
    const DeviceStatus status = old.status_on(as_of);
    std::string text = std::string(name(e.channel)) + " licence " + e.id + " reassigned from " + old.id;
    if (status != DeviceStatus::active)
      text += " (" + std::string(name(status)) + (old.status_date ? " " + old.status_date->iso() : "") + ")";
    text += " to " + fleet.device(device).id +
            (e.channel == Channel::retail ? ": a retail licence may move to another owned device (licensing-rules R1, R5)"
                                          : ": a licence may be reassigned (licensing-rules V1)");
    evidence.push_back({RuleStep::Kind::reassignment, std::move(text)});
  }
}


/// What the pipeline's stages share: the demands' fills, the pools' remaining units, the
/// entitlements' use.
/// Shortfall units of a stage and the unit price that buys them (nullopt: unknown).
struct TrueUp {
  ProductRef product;
  Metric metric;
  std::optional<std::int64_t> price;
  Units units;
};

struct Ledger {
  std::vector<DemandFill>& fill;
  std::vector<PoolState>& states;
  std::vector<Units>& pool_left;
  std::vector<EntitlementUse>& uses;
  std::vector<TrueUp>& true_ups;
  const Holdings& holdings;
};

/// The cheapest known unit cost among `pools`' members; nullopt when none is known.
inline std::optional<std::int64_t> cheapest(const Fleet& fleet, const Supply& supply,
                                            const std::vector<std::size_t>& pools) {
  std::optional<std::int64_t> best;
  for (std::size_t q : pools)
    for (auto m : supply.pools[q].members)
      if (const auto& cost = fleet.entitlement(m).unit_cost) best = std::min(best.value_or(cost->amount), cost->amount);
  return best;
}

/// The rank of an unknown price: above every known one, so that what can be priced is left short
/// first; 0 when no price is known at all.
inline std::int64_t unknown_price(const std::vector<std::optional<std::int64_t>>& prices) {
  std::optional<std::int64_t> most;
  for (const auto& p : prices)
    if (p) most = std::max(most.value_or(*p), *p);
  return most ? *most + 1 : 0;
}

/// The pools bound to `device` (supply.pools is sorted by bound device in its bound range).
inline std::vector<std::size_t> bound_pools_of(const Supply& supply, DeviceIndex device) {
  const auto bound_end = supply.pools.begin() + static_cast<std::ptrdiff_t>(supply.bound_pools);
  auto it = std::lower_bound(supply.pools.begin(), bound_end, device,
                             [](const Pool& p, DeviceIndex x) { return p.bound < x; });
  std::vector<std::size_t> out;
  for (; it != bound_end && it->bound == device; ++it)
    out.push_back(static_cast<std::size_t>(it - supply.pools.begin()));
  return out;
}

/// Host stage (solver/host_solver.hpp): every physical server of a host-licensed family is
/// licensed whole under one model. Options per server: each licensing model (terms, edition)
/// for which some pool may cover it, plus the model of its own product (what it would buy).
inline void license_hosts(const RulePack& pack, const Fleet& fleet, const Normalised& norm, const Supply& supply,
                          Ledger ledger, Position& pos) {
  const auto& demands = norm.demands;
  struct OptionSpec {
    const LicensingTerms* terms;  // null: the version's metric, one unit
    std::uint16_t edition;
    rules::UnitCount units;
    Metric metric;
    std::string name;
    std::vector<std::size_t> pools;  // supply pools
    std::vector<Coverage> coverage;  // parallel to pools
  };
  struct Server {
    std::uint32_t demand;
    std::vector<OptionSpec> options;
    DeviceIndex bound;  // a device whose bound licences may cover it
  };
  std::vector<Server> servers;
  std::map<FamilyIndex, std::vector<std::size_t>> shared_of_family;
  for (std::size_t q = supply.bound_pools; q < supply.pools.size(); ++q)
    if (pack.family(supply.pools[q].product.family).assignment == Assignment::host)
      shared_of_family[supply.pools[q].product.family].push_back(q);
  for (std::uint32_t d = 0; d < demands.size(); ++d) {
    const Demand& dem = demands[d];
    if (dem.assignment != Assignment::host) continue;
    const Family& f = pack.family(dem.product.family);
    const Device& hw = fleet.device(dem.device);
    Server server{d, {}, {}};
    auto option_for = [&](const LicensingTerms* t, std::uint16_t edition) -> OptionSpec& {
      for (auto& o : server.options)
        if (o.terms == t && o.edition == edition) return o;
      rules::UnitCount units = t != nullptr ? rules::host_units(*t, hw.processors, hw.cores, dem.oses)
                                            : rules::UnitCount{1, "one licence per server"};
      server.options.push_back(OptionSpec{t, edition, std::move(units),
                                          t ? t->metric : pack.version(dem.product).metric,
                                          t ? t->name : std::string(name(pack.version(dem.product).metric)), {}, {}});
      return server.options.back();
    };
    // The pools that may cover it: its own device's bound pools, then its family's shared ones.
    std::vector<std::size_t> candidates = bound_pools_of(supply, dem.device);
    if (auto it = shared_of_family.find(dem.product.family); it != shared_of_family.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    for (std::size_t q : candidates) {
      const Pool& pool = supply.pools[q];
      if (pool.product.family != dem.product.family) continue;
      const LicensingTerms* t = pack.terms(pool.product);
      if ((t ? t->metric : pack.version(pool.product).metric) != pool.metric) continue;  // not a server licence
      Coverage cov = eligibility(pack, dem.product, pool.metric, pool);
      if (!cov.allowed) continue;
      OptionSpec& o = option_for(t, pool.product.edition);
      o.pools.push_back(q);
      o.coverage.push_back(std::move(cov));
      if (pool.is_bound()) server.bound = dem.device;
    }
    // What it would buy: its own product's terms; where the editions its OSEs run have none
    // in common (a 2019 Standard VM next to a 2008 R2 Enterprise VM), the highest edition of
    // its version that has terms, and the position says so.
    if (const LicensingTerms* own = pack.terms(dem.product); own != nullptr || f.terms.empty()) {
      (void)option_for(own, dem.product.edition);
    } else {
      for (std::uint16_t e = static_cast<std::uint16_t>(f.editions.size()); e-- > 0;)
        if (const LicensingTerms* t = f.terms_for(dem.product.version, e)) {
          (void)option_for(t, e);
          break;
        }
      pos.warnings.push_back({Severity::warning, "installs.csv", 0, 0, "no-licensing-terms",
                              "expected the OSEs on " + fleet.device(dem.device).id +
                                  " to run editions one licence may cover, found " + pack.product_name(dem.product) +
                                  ", which the rule pack gives no licensing terms; counted as the highest edition with terms"});
    }
    servers.push_back(std::move(server));
  }
  if (servers.empty()) return;

  // Classes: servers with the same product, the same options (model, edition, units, pools)
  // and the same bound device.
  // Terms by index in their family (-1: none), so that the key orders by data, not addresses.
  using OptionKey = std::tuple<std::ptrdiff_t, std::uint16_t, Units, std::vector<std::size_t>>;
  using Key = std::tuple<std::uint32_t, std::uint16_t, std::uint16_t, std::vector<OptionKey>, DeviceIndex>;
  std::map<Key, std::vector<std::uint32_t>> classes;  // -> indices into servers
  for (std::uint32_t i = 0; i < servers.size(); ++i) {
    const Demand& dem = demands[servers[i].demand];
    std::vector<OptionKey> ok;
    const Family& fam = pack.family(dem.product.family);
    for (const auto& o : servers[i].options)
      ok.emplace_back(o.terms ? o.terms - fam.terms.data() : -1, o.edition, o.units.units, o.pools);
    classes[{dem.product.family.value, dem.product.version, dem.product.edition, std::move(ok), servers[i].bound}]
        .push_back(i);
  }
  HostProblem problem;
  std::vector<std::size_t> pool_index;  // solver pool -> supply pool
  std::map<std::size_t, std::uint32_t> solver_pool;
  std::vector<std::vector<std::uint32_t>> class_servers;
  std::vector<std::uint32_t> option_class_first;  // per class: its first option
  std::vector<std::optional<std::int64_t>> option_price;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> option_of;  // solver option -> (class, option in spec)
  for (auto& [key, members] : classes) {
    std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) {
      return fleet.device(demands[servers[a].demand].device).id < fleet.device(demands[servers[b].demand].device).id;
    });
    const auto c = static_cast<std::uint32_t>(problem.classes.size());
    problem.classes.push_back(static_cast<std::uint32_t>(members.size()));
    const Server& proto = servers[members.front()];
    for (std::uint32_t k = 0; k < proto.options.size(); ++k) {
      const OptionSpec& o = proto.options[k];
      const auto opt = static_cast<std::uint32_t>(problem.options.size());
      problem.options.push_back({c, o.units.units, 0});
      option_of.emplace_back(c, k);
      std::vector<std::size_t> shared;
      for (std::size_t j = 0; j < o.pools.size(); ++j) {
        const std::size_t q = o.pools[j];
        auto [it, fresh] = solver_pool.try_emplace(q, static_cast<std::uint32_t>(pool_index.size()));
        if (fresh) {
          pool_index.push_back(q);
          problem.pools.push_back(ledger.pool_left[q]);
        }
        problem.arcs.push_back({opt, it->second, o.coverage[j].exactness_penalty(), o.coverage[j].flexibility});
        if (!supply.pools[q].is_bound()) shared.push_back(q);
      }
      option_price.push_back(cheapest(fleet, supply, shared));
    }
    class_servers.push_back(members);
  }
  const std::int64_t unknown = unknown_price(option_price);
  for (std::size_t o = 0; o < problem.options.size(); ++o)
    problem.options[o].shortfall_price = option_price[o].value_or(unknown);

  HostSolution sol = solve_hosts(problem);
  if (sol.prices_out_of_range) {
    for (auto& o : problem.options) o.shortfall_price = 0;
    sol = solve_hosts(problem);
    pos.warnings.push_back({Severity::warning, "entitlements.csv", 0, 0, "prices-out-of-range",
                            "expected server licence prices whose products with the units fit in 52 bits, found "
                            "larger ones; servers' shortfalls are placed without regard to price"});
  }

  // De-aggregation: within a class, servers in device-id order take the options in order;
  // within an option, arcs in order fill servers one after the other.
  std::vector<std::size_t> first_arc(problem.options.size() + 1, problem.arcs.size());
  for (std::size_t a = problem.arcs.size(); a-- > 0;) first_arc[problem.arcs[a].option] = a;
  for (std::size_t o = problem.options.size(); o-- > 0;) first_arc[o] = std::min(first_arc[o], first_arc[o + 1]);
  std::vector<std::size_t> next_server(problem.classes.size(), 0);
  for (std::uint32_t o = 0; o < problem.options.size(); ++o) {
    const auto [c, k] = option_of[o];
    std::vector<std::uint32_t> mine;
    for (std::uint32_t n = 0; n < sol.servers[o]; ++n) mine.push_back(class_servers[c][next_server[c]++]);
    std::vector<Units> flow(sol.arc_flow.begin() + static_cast<std::ptrdiff_t>(first_arc[o]),
                            sol.arc_flow.begin() + static_cast<std::ptrdiff_t>(first_arc[o + 1]));
    std::size_t arc = 0;
    for (std::uint32_t si : mine) {
      const Server& server = servers[si];
      const OptionSpec& spec = server.options[k];
      const Demand& dem = demands[server.demand];
      DemandFill& f = ledger.fill[server.demand];
      f.metric = spec.metric;
      f.demanded = spec.units.units;
      f.remaining = spec.units.units;
      const Family& fam = pack.family(dem.product.family);
      f.evidence.push_back({RuleStep::Kind::model,
                            "licensed " + spec.name + " with " + fam.editions[spec.edition].name + " licences: " +
                                spec.units.why + (spec.terms && !spec.terms->source.empty() ? " (" + spec.terms->source + ")" : "")});
      while (f.remaining > 0 && arc < flow.size()) {
        if (flow[arc] == 0) {
          ++arc;
          continue;
        }
        const std::size_t q = spec.pools[arc];
        const Units take = std::min(flow[arc], f.remaining);
        take_from_pool(supply.pools[q], ledger.states[q], take, f.licences, ledger.uses);
        ledger.pool_left[q] -= take;
        flow[arc] -= take;
        f.remaining -= take;
        if (supply.pools[q].is_bound())
          append_bound_evidence(spec.coverage[arc], supply.pools[q], f.evidence);
        else
          f.evidence.insert(f.evidence.end(), spec.coverage[arc].chain.begin(), spec.coverage[arc].chain.end());
      }
      if (f.remaining > 0)  // on the carrying install's row, where the shortfall is counted
        ledger.true_ups.push_back(
            {norm.installs[dem.install.value].product, spec.metric, option_price[o], f.remaining});
      ServerPosition sp;
      sp.device = dem.device;
      sp.install = dem.install;
      sp.product = dem.product;
      sp.oses = dem.oses;
      sp.model = spec.name;
      sp.edition = spec.edition;
      sp.metric = spec.metric;
      sp.required = spec.units.units;
      sp.covered = spec.units.units - f.remaining;
      sp.why = spec.units.why;
      sp.source = spec.terms ? spec.terms->source : std::string();
      pos.servers.push_back(std::move(sp));
    }
  }
  std::sort(pos.servers.begin(), pos.servers.end(), [&](const ServerPosition& a, const ServerPosition& b) {
    return std::tie(a.product.family, fleet.device(a.device).id) < std::tie(b.product.family, fleet.device(b.device).id);
  });
}


/// User stage (Microsoft 365 Apps, DT3): a user licence covers the user's devices up to the
/// allowances of its terms (PCs, tablets, phones); any other device needs a per-device licence.
/// Solved exactly per product: for a fixed number k of user licences, giving them to the k users
/// whose licence would cover the most devices leaves the fewest devices to license (an exchange
/// argument: swapping a user for one who covers more never adds a device licence), and both
/// what must be bought and what it costs fall as the devices covered rise. So trying every k
/// from 0 to the number of users and keeping the best (fewest licences to buy, then the lowest
/// cost, then the smallest k) is optimal. O(U log U + U) per product, U users.
inline void license_users(const RulePack& pack, const Fleet& fleet, const Normalised& norm, const Supply& supply,
                          Ledger ledger, Position& pos, std::vector<std::string>& carrier_reason) {
  const auto& demands = norm.demands;
  std::map<ProductRef, std::vector<std::uint32_t>> by_product;
  for (std::uint32_t d = 0; d < demands.size(); ++d)
    if (demands[d].assignment == Assignment::user) by_product[demands[d].product].push_back(d);
  for (auto& [product, ds] : by_product) {
    const Family& f = pack.family(product.family);
    const LicensingTerms* terms = nullptr;
    std::vector<std::size_t> user_pools, device_pools;
    std::vector<std::vector<RuleStep>> user_chain, device_chain;
    // User licences the 90-day rule keeps with their user (rules/reassignment.hpp): that user
    // holds one whatever else is best.
    std::map<std::string, std::vector<std::pair<std::size_t, std::vector<RuleStep>>>> locked;
    for (std::size_t q = 0; q < supply.bound_pools; ++q) {
      const Pool& pool = supply.pools[q];
      if (pool.bound_user.empty() || pool.product.family != product.family || pool.metric != Metric::user) continue;
      Coverage cov = eligibility(pack, product, pool.metric, pool);
      if (!cov.allowed || ledger.pool_left[q] == 0) continue;
      std::vector<RuleStep> chain;
      append_bound_evidence(cov, pool, chain);
      locked[pool.bound_user].emplace_back(q, std::move(chain));
      if (terms == nullptr) terms = pack.terms(pool.product);
    }
    std::set<std::string> held_before;  // users whose free user licence stays with them if it may
    for (std::size_t q = supply.bound_pools; q < supply.pools.size(); ++q) {
      const Pool& pool = supply.pools[q];
      if (pool.product.family != product.family) continue;
      Coverage cov = eligibility(pack, product, pool.metric, pool);
      if (!cov.allowed) continue;
      if (pool.metric == Metric::user && !ledger.holdings.of_licence.empty())
        for (auto m : pool.members)
          for (const Holding& h : ledger.holdings.of(m))
            if (!h.user.empty()) held_before.insert(h.user);
      if (pool.metric == Metric::user) {
        user_pools.push_back(q);
        user_chain.push_back(std::move(cov.chain));
        if (terms == nullptr) terms = pack.terms(pool.product);
      } else if (pool.metric == Metric::device) {
        device_pools.push_back(q);
        device_chain.push_back(std::move(cov.chain));
      }
    }
    if (terms == nullptr) terms = pack.terms(product);
    const std::uint32_t allow[3] = {terms ? terms->user_pcs : 0, terms ? terms->user_tablets : 0,
                                    terms ? terms->user_phones : 0};
    auto category = [&](DeviceIndex dev) {
      const DeviceKind k = fleet.device(dev).kind;
      return k == DeviceKind::tablet ? 1 : k == DeviceKind::phone ? 2 : 0;
    };
    // A per-device licence bound to its device (the 90-day rule keeps it there) covers that
    // device first: it has no other use (the exchange argument of solver.hpp).
    std::vector<bool> bound_covered(ds.size(), false);
    for (std::size_t i = 0; i < ds.size(); ++i) {
      const DeviceIndex dev = demands[ds[i]].device;
      for (std::size_t q : bound_pools_of(supply, dev)) {
        const Pool& pool = supply.pools[q];
        if (pool.product.family != product.family || pool.metric != Metric::device || ledger.pool_left[q] == 0) continue;
        const Coverage cov = eligibility(pack, product, pool.metric, pool);
        if (!cov.allowed) continue;
        DemandFill& fill = ledger.fill[ds[i]];
        fill.metric = Metric::device;
        fill.demanded = 1;
        fill.remaining = 0;
        take_from_pool(pool, ledger.states[q], 1, fill.licences, ledger.uses);
        --ledger.pool_left[q];
        append_bound_evidence(cov, pool, fill.evidence);
        bound_covered[i] = true;
        break;
      }
    }
    // Users and their devices (device-id order); devices without a user stand alone.
    std::map<std::string, std::vector<std::uint32_t>> users;
    std::vector<std::uint32_t> alone;
    std::map<std::string, std::uint32_t> bound_devices;  // per user: devices covered that way
    for (std::size_t i = 0; i < ds.size(); ++i) {
      if (bound_covered[i]) {
        ++bound_devices[fleet.device(demands[ds[i]].device).primary_user];
        continue;
      }
      const std::uint32_t d = ds[i];
      const std::string& u = fleet.device(demands[d].device).primary_user;
      (u.empty() ? alone : users[u]).push_back(d);
    }
    struct UserValue {
      std::uint32_t covers;
      const std::string* user;
      bool forced;  // holds a locked user licence
      bool before;  // held a user licence before
    };
    std::vector<UserValue> order;
    Units total = static_cast<Units>(alone.size());
    for (auto& [u, uds] : users) {
      std::sort(uds.begin(), uds.end(), [&](std::uint32_t a, std::uint32_t b) {
        return fleet.device(demands[a].device).id < fleet.device(demands[b].device).id;
      });
      std::uint32_t count[3] = {0, 0, 0};
      for (std::uint32_t d : uds) ++count[category(demands[d].device)];
      std::uint32_t covers = 0;
      for (int c = 0; c < 3; ++c) covers += std::min(count[c], allow[c]);
      total += static_cast<Units>(uds.size());
      order.push_back({covers, &u, locked.count(u) != 0, held_before.count(u) != 0});
    }
    // Forced users first; then by devices covered, and among equals those who held a user
    // licence before (stability: same count, fewer moves).
    std::stable_sort(order.begin(), order.end(), [](const UserValue& a, const UserValue& b) {
      return std::tuple(!a.forced, -static_cast<std::int64_t>(a.covers), !a.before) <
             std::tuple(!b.forced, -static_cast<std::int64_t>(b.covers), !b.before);
    });
    const auto forced = static_cast<std::size_t>(
        std::count_if(order.begin(), order.end(), [](const UserValue& v) { return v.forced; }));
    Units owned_user = 0, owned_device = 0;
    for (std::size_t q : user_pools) owned_user += ledger.pool_left[q];
    for (std::size_t q : device_pools) owned_device += ledger.pool_left[q];
    const auto pu = cheapest(fleet, supply, user_pools), pd = cheapest(fleet, supply, device_pools);
    const std::int64_t unknown = unknown_price({pu, pd});
    const std::int64_t price_user = pu.value_or(unknown), price_device = pd.value_or(unknown);
    using Score = std::tuple<Units, MoneyTotal, std::size_t>;
    std::optional<Score> best;
    std::size_t best_k = 0;
    Units covered = 0;
    for (std::size_t k = 0; k < forced; ++k) covered += order[k].covers;
    for (std::size_t k = forced; k <= order.size(); ++k) {
      if (k > forced) {
        if (order[k - 1].covers == 0) break;  // a licence that covers nothing is never worth it
        covered += order[k - 1].covers;
      }
      const Units buy_user = std::max<Units>(0, static_cast<Units>(k - forced) - owned_user);
      const Units buy_device = std::max<Units>(0, total - covered - owned_device);
      const Score score{buy_user + buy_device,
                        MoneyTotal::times(Money{price_user}, buy_user) + MoneyTotal::times(Money{price_device}, buy_device), k};
      if (!best || score < *best) {
        best = score;
        best_k = k;
      }
    }
    // Hand out: the first best_k users (by coverage, then name) take a user licence.
    std::set<const std::string*> licensed;
    for (std::size_t k = 0; k < best_k; ++k) licensed.insert(order[k].user);
    // Stability: the user licence a user held before (a free holding) goes back to them.
    std::map<std::string, std::pair<std::size_t, std::size_t>> held_by;  // user -> (user_pools index, member)
    if (!ledger.holdings.of_licence.empty())
      for (std::size_t i = 0; i < user_pools.size(); ++i) {
        const Pool& pool = supply.pools[user_pools[i]];
        for (std::size_t m = 0; m < pool.members.size(); ++m)
          for (const Holding& h : ledger.holdings.of(pool.members[m]))
            if (!h.user.empty() && !h.locked()) held_by.try_emplace(h.user, i, m);
      }
    std::size_t up = 0, dp = 0;  // next user pool, device pool with units
    auto take_user = [&](DemandFill& fill, const std::string& user) {
      if (auto it = locked.find(user); it != locked.end()) {
        const auto& [q, chain] = it->second.front();
        take_from_pool(supply.pools[q], ledger.states[q], 1, fill.licences, ledger.uses);
        --ledger.pool_left[q];
        fill.evidence.insert(fill.evidence.end(), chain.begin(), chain.end());
        return true;
      }
      if (auto it = held_by.find(user); it != held_by.end()) {
        const auto [i, m] = it->second;
        const std::size_t q = user_pools[i];
        if (ledger.states[q].left[m] > 0) {
          Units one = 1;
          take_member(supply.pools[q], ledger.states[q], m, one, fill.licences, ledger.uses);
          --ledger.pool_left[q];
          fill.evidence.insert(fill.evidence.end(), user_chain[i].begin(), user_chain[i].end());
          return true;
        }
      }
      while (up < user_pools.size() && ledger.pool_left[user_pools[up]] == 0) ++up;
      if (up == user_pools.size()) return false;
      const std::size_t q = user_pools[up];
      take_from_pool(supply.pools[q], ledger.states[q], 1, fill.licences, ledger.uses);
      --ledger.pool_left[q];
      fill.evidence.insert(fill.evidence.end(), user_chain[up].begin(), user_chain[up].end());
      return true;
    };
    auto take_device = [&](std::uint32_t d) {
      DemandFill& fill = ledger.fill[d];
      fill.metric = Metric::device;
      fill.demanded = 1;
      fill.remaining = 1;
      while (dp < device_pools.size() && ledger.pool_left[device_pools[dp]] == 0) ++dp;
      if (dp == device_pools.size()) return false;
      const std::size_t q = device_pools[dp];
      take_from_pool(supply.pools[q], ledger.states[q], 1, fill.licences, ledger.uses);
      --ledger.pool_left[q];
      fill.remaining = 0;
      fill.evidence.insert(fill.evidence.end(), device_chain[dp].begin(), device_chain[dp].end());
      return true;
    };
    for (auto& [u, uds] : users) {
      UserPosition up_row;
      up_row.user = u;
      up_row.product = product;
      up_row.devices = static_cast<std::uint32_t>(uds.size());
      if (auto b = bound_devices.find(u); b != bound_devices.end()) {
        up_row.devices += b->second;
        up_row.device_licences += b->second;
      }
      if (licensed.count(&u) != 0) {
        up_row.user_licence = true;
        // The user licence is carried by the first device it covers (a kind with an allowance).
        std::uint32_t carrier = uds.front();
        for (std::uint32_t d : uds)
          if (allow[category(demands[d].device)] > 0) {
            carrier = d;
            break;
          }
        DemandFill& cf = ledger.fill[carrier];
        cf.metric = Metric::user;
        cf.demanded = 1;
        cf.remaining = 1;
        std::uint32_t used[3] = {0, 0, 0};
        std::string covered_list;
        for (std::uint32_t d : uds) {
          const int c = category(demands[d].device);
          if (used[c] < allow[c]) {
            ++used[c];
            ++up_row.under_user_licence;
            if (d != carrier) {
              carrier_reason[d] = "covered by the user licence of " + u + " (carried by install " +
                                  fleet.install(demands[carrier].install).id + "): a per-user licence covers up to " +
                                  std::to_string(allow[0]) + " PCs/Macs, " + std::to_string(allow[1]) + " tablets and " +
                                  std::to_string(allow[2]) + " phones (" + (terms ? terms->source : std::string()) + ")";
              ledger.fill[d].carrier = carrier;
            }
          } else {
            ++up_row.device_licences;
            if (!take_device(d)) ++up_row.device_short;
          }
        }
        if (take_user(cf, u)) {
          cf.remaining = 0;
          up_row.user_licence_owned = true;
        }
        cf.evidence.push_back({RuleStep::Kind::user_licence,
                               "user licence of " + u + " covers " + std::to_string(up_row.under_user_licence) + " of " +
                                   std::to_string(uds.size()) + " device(s) (" + f.name + ": " +
                                   std::to_string(allow[0]) + " PCs/Macs, " + std::to_string(allow[1]) + " tablets, " +
                                   std::to_string(allow[2]) + " phones per user" +
                                   (terms && !terms->source.empty() ? "; " + terms->source : std::string()) + ")"});
      } else {
        for (std::uint32_t d : uds) {
          ++up_row.device_licences;
          if (!take_device(d)) ++up_row.device_short;
        }
      }
      pos.users.push_back(std::move(up_row));
    }
    for (std::uint32_t d : alone) (void)take_device(d);
    Units short_user = 0, short_device = 0;
    for (std::uint32_t d : ds) {
      const DemandFill& fill = ledger.fill[d];
      if (fill.carrier != UINT32_MAX || fill.remaining == 0) continue;
      (fill.metric == Metric::user ? short_user : short_device) += fill.remaining;
    }
    if (short_user > 0) ledger.true_ups.push_back({product, Metric::user, pu, short_user});
    if (short_device > 0) ledger.true_ups.push_back({product, Metric::device, pd, short_device});
  }
}

/// CAL stage (CAL1, CAL2): every access (a user from a device to a server) needs a CAL of the
/// server's version or later, for the user or for the device; user and device CALs are
/// alternatives. Which users and devices hold CALs, and of which version, is solved exactly
/// as an integer program (detail/glpk_mip.hpp): x(h, l) = 1 when holder h has a CAL of
/// version l or later, monotone in l; every access at level l needs x(user, l) + x(device, l)
/// >= 1; owned CALs cover holders of versions up to their own (Hall's condition on nested
/// sets: for every level l, holders needing >= l minus owned CALs of version >= l is what must
/// be bought). Objective: fewest CALs to buy, then the lowest cost, then the fewest holders.
/// Checked against enumeration of every holder and version on small random estates
/// (tests/solver/cal_optimality_test.cpp).
inline void license_access(const RulePack& pack, const Fleet& fleet, const Normalised& norm, const Supply& supply,
                           Ledger ledger, Position& pos) {
  for (std::size_t fi = 0; fi < pack.families.size(); ++fi) {
    const Family& cal = pack.families[fi];
    if (cal.assignment != Assignment::access || !cal.serves) continue;
    const FamilyIndex cal_family{static_cast<FamilyIndex::value_type>(fi)};
    // The newest version of the served product each server runs (in-scope installs only).
    std::map<DeviceIndex, std::uint16_t> server_version;
    for (std::size_t i = 0; i < norm.installs.size(); ++i) {
      const InstallDisposition& d = norm.installs[i];
      if (d.kind == InstallDisposition::Kind::excluded || d.product.family != *cal.serves) continue;
      auto [it, fresh] = server_version.try_emplace(fleet.installs[i].device, d.product.version);
      if (!fresh) it->second = std::max(it->second, d.product.version);
    }
    // The CAL version a server version needs: the latest released on or before it (CAL2).
    const Family& served = pack.family(*cal.serves);
    auto cal_level = [&](std::uint16_t v) -> std::uint16_t {
      std::optional<std::uint16_t> best;
      for (std::uint16_t c = 0; c < cal.versions.size(); ++c)
        if (!(served.versions[v].released < cal.versions[c].released)) best = c;
      // A server older than every CAL version: any CAL gives access to it (CAL2).
      return best.value_or(std::uint16_t{0});
    };
    // Distinct (user, device, level) accesses, and how many servers each holder reaches.
    std::set<std::tuple<std::string, DeviceIndex, std::uint16_t>> accesses;
    std::map<std::string, std::set<DeviceIndex>> user_servers;  // distinct servers each reaches
    std::map<DeviceIndex, std::set<DeviceIndex>> device_servers;
    for (const Access& a : fleet.access) {
      const auto sv = server_version.find(a.server);
      if (sv == server_version.end()) continue;  // the server runs no licensed server product
      const std::uint16_t level = cal_level(sv->second);
      accesses.emplace(a.user, a.device, level);
      if (!a.user.empty()) user_servers[a.user].insert(a.server);
      if (a.device.valid()) device_servers[a.device].insert(a.server);
    }
    if (accesses.empty()) continue;
    // An access whose user and device appear in no other access is a component of its own: it
    // needs exactly one CAL of its level, the user's or the device's. Such pairs (most users on
    // their own PC) are counted per level (a_l of t_l by user CALs) instead of two binaries
    // each: the same optimum, a program that grows with the shared users and devices only.
    std::map<std::string, std::uint32_t> user_uses;
    std::map<DeviceIndex, std::uint32_t> device_uses;
    for (const auto& [u, d, l] : accesses) {
      if (!u.empty()) ++user_uses[u];
      if (d.valid()) ++device_uses[d];
    }
    auto lone = [&](const std::string& u, DeviceIndex d) {
      return !u.empty() && d.valid() && user_uses[u] == 1 && device_uses[d] == 1;
    };
    std::vector<std::uint16_t> levels;
    std::map<std::string, std::set<std::uint16_t>> user_levels;
    std::map<DeviceIndex, std::set<std::uint16_t>> device_levels;
    std::map<std::uint16_t, std::vector<std::pair<std::string, DeviceIndex>>> lone_pairs;  // by level
    for (const auto& [u, d, l] : accesses) {
      levels.push_back(l);
      if (lone(u, d)) {
        lone_pairs[l].emplace_back(u, d);
        continue;
      }
      if (!u.empty()) user_levels[u].insert(l);
      if (d.valid()) device_levels[d].insert(l);
    }
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());

    // Owned CALs by metric and version (shared pools; CALs are never bound).
    std::vector<std::size_t> pools[2];  // user_cal, device_cal; by version
    for (std::size_t q = supply.bound_pools; q < supply.pools.size(); ++q) {
      const Pool& pool = supply.pools[q];
      if (pool.product.family != cal_family) continue;
      if (pool.metric == Metric::user_cal) pools[0].push_back(q);
      if (pool.metric == Metric::device_cal) pools[1].push_back(q);
    }
    for (auto& ps : pools)
      std::stable_sort(ps.begin(), ps.end(), [&](std::size_t a, std::size_t b) {
        return supply.pools[a].product.version < supply.pools[b].product.version;
      });
    auto owned_at_least = [&](int side, std::uint16_t level) {
      Units n = 0;
      for (std::size_t q : pools[side])
        if (supply.pools[q].product.version >= level) n += ledger.pool_left[q];
      return n;
    };

    LexMip mip;
    std::map<std::pair<std::string, std::uint16_t>, int> xu;
    std::map<std::pair<DeviceIndex, std::uint16_t>, int> xd;
    // x(h, l) per level h accesses, monotone: a CAL of a later version covers the earlier ones.
    auto holder_columns = [&](const auto& levels_of, auto& columns) {
      for (const auto& [h, ls] : levels_of) {
        int prev = -1;
        for (auto l : ls) {
          const int col = mip.add_column(0, 1);
          columns[{h, l}] = col;
          if (prev >= 0) mip.add_row({{prev, 1}, {col, -1}}, 0, std::nullopt);
          prev = col;
        }
      }
    };
    holder_columns(user_levels, xu);
    holder_columns(device_levels, xd);
    std::map<std::uint16_t, int> lone_by_user;  // level -> a_l
    for (const auto& [l, pairs] : lone_pairs)
      lone_by_user[l] = mip.add_column(0, static_cast<std::int64_t>(pairs.size()));
    for (const auto& [u, d, l] : accesses) {
      if (lone(u, d)) continue;  // counted per level above
      std::vector<LexMip::Term> terms;
      if (!u.empty()) terms.push_back({xu.at({u, l}), 1});
      if (d.valid()) terms.push_back({xd.at({d, l}), 1});
      mip.add_row(std::move(terms), 1, std::nullopt);
    }
    // CALs bought, per side and version level; a bought CAL of level l covers every level <= l.
    // Its price: the cheapest known unit cost of a CAL of that side and a version >= l (a newer
    // CAL may be bought to cover an older server), else above every known price.
    std::vector<std::optional<std::int64_t>> known;
    for (const auto& ps : pools)
      for (std::size_t q : ps)
        for (auto m : supply.pools[q].members)
          if (const auto& c = fleet.entitlement(m).unit_cost) known.push_back(c->amount);
    const std::int64_t unknown = unknown_price(known);
    // Spend must stay exact in GLPK's doubles: price x CALs below 2^52, else solved without
    // prices (and said), as the other stages do.
    const double most_bought = static_cast<double>(user_levels.size() + device_levels.size() + accesses.size());
    const bool priced = static_cast<double>(unknown) * most_bought < 4503599627370496.0;
    if (!priced)
      pos.warnings.push_back({Severity::warning, "entitlements.csv", 0, 0, "prices-out-of-range",
                              "expected CAL prices whose products with the CALs needed fit in 52 bits, found larger "
                              "ones; CALs to buy are chosen without regard to price"});
    std::vector<std::optional<std::int64_t>> level_price[2];
    std::vector<int> buy[2];
    std::vector<LexMip::Term> count_bought, spend;
    for (int k = 0; k < 2; ++k)
      for (std::uint16_t l : levels) {
        std::vector<std::size_t> newer;
        for (std::size_t q : pools[k])
          if (supply.pools[q].product.version >= l) newer.push_back(q);
        level_price[k].push_back(cheapest(fleet, supply, newer));
        buy[k].push_back(mip.add_column(0, -1));
        count_bought.push_back({buy[k].back(), 1});
        if (priced) spend.push_back({buy[k].back(), level_price[k].back().value_or(unknown)});
      }
    for (std::size_t li = 0; li < levels.size(); ++li) {
      const std::uint16_t l = levels[li];
      std::vector<LexMip::Term> side[2];
      for (const auto& [u, ls] : user_levels)
        if (auto it = ls.lower_bound(l); it != ls.end()) side[0].push_back({xu.at({u, *it}), 1});
      for (const auto& [d, ls] : device_levels)
        if (auto it = ls.lower_bound(l); it != ls.end()) side[1].push_back({xd.at({d, *it}), 1});
      // Lone pairs of level >= l: a_m hold user CALs, t_m - a_m device CALs.
      Units lone_devices = 0;
      for (const auto& [m, pairs] : lone_pairs) {
        if (m < l) continue;
        side[0].push_back({lone_by_user.at(m), 1});
        side[1].push_back({lone_by_user.at(m), -1});
        lone_devices += static_cast<Units>(pairs.size());
      }
      for (int k = 0; k < 2; ++k) {
        if (side[k].empty()) continue;
        for (std::size_t m = li; m < levels.size(); ++m) side[k].push_back({buy[k][m], -1});
        mip.add_row(std::move(side[k]), std::nullopt, owned_at_least(k, l) - (k == 1 ? lone_devices : 0));
      }
    }
    mip.add_objective(std::move(count_bought));
    mip.add_objective(std::move(spend));
    // A holder holds a CAL iff it holds one of its lowest level (x is monotone in the level).
    std::vector<LexMip::Term> holders;
    for (const auto& [u, ls] : user_levels) holders.push_back({xu.at({u, *ls.begin()}), 1});
    for (const auto& [d, ls] : device_levels) holders.push_back({xd.at({d, *ls.begin()}), 1});
    mip.add_objective(std::move(holders));
    const auto x = mip.solve();
    TRUEUP_CHECK(x.has_value(), "CAL assignment is always feasible (CALs may be bought)");

    // Holders and the version each needs, then owned CALs by decreasing need (Hall order).
    struct Holder {
      int side;
      std::string name;
      std::uint16_t level;
    };
    std::vector<Holder> hs;
    std::map<std::string, std::uint16_t> ulevel;
    std::map<DeviceIndex, std::uint16_t> dlevel;
    for (const auto& [k, col] : xu)
      if ((*x)[static_cast<std::size_t>(col)] == 1) ulevel[k.first] = k.second;
    for (const auto& [k, col] : xd)
      if ((*x)[static_cast<std::size_t>(col)] == 1) dlevel[k.first] = k.second;
    std::map<std::string, std::uint32_t> holder_servers[2];
    for (const auto& [u, l] : ulevel) {
      hs.push_back({0, u, l});
      holder_servers[0][u] = static_cast<std::uint32_t>(user_servers[u].size());
    }
    for (const auto& [d, l] : dlevel) {
      hs.push_back({1, fleet.device(d).id, l});
      holder_servers[1][fleet.device(d).id] = static_cast<std::uint32_t>(device_servers[d].size());
    }
    for (const auto& [l, pairs] : lone_pairs) {  // the first a_l (by user) take user CALs
      auto sorted = pairs;
      std::sort(sorted.begin(), sorted.end());
      const auto a = static_cast<std::size_t>((*x)[static_cast<std::size_t>(lone_by_user.at(l))]);
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        const auto& [u, d] = sorted[i];
        if (i < a) {
          hs.push_back({0, u, l});
          holder_servers[0][u] = static_cast<std::uint32_t>(user_servers[u].size());
        } else {
          hs.push_back({1, fleet.device(d).id, l});
          holder_servers[1][fleet.device(d).id] = static_cast<std::uint32_t>(device_servers[d].size());
        }
      }
    }
    std::stable_sort(hs.begin(), hs.end(), [](const Holder& a, const Holder& b) {
      return std::tie(b.level, a.side, a.name) < std::tie(a.level, b.side, b.name);
    });
    for (const Holder& h : hs) {
      CalPosition c;
      c.metric = h.side == 0 ? Metric::user_cal : Metric::device_cal;
      c.holder = h.name;
      c.product = ProductRef{cal_family, h.level, 0};
      c.servers = holder_servers[h.side][h.name];
      for (std::size_t q : pools[h.side]) {
        if (supply.pools[q].product.version < h.level || ledger.pool_left[q] == 0) continue;
        Units one = 1;
        take_from_pool(supply.pools[q], ledger.states[q], one, c.licences, ledger.uses);
        --ledger.pool_left[q];
        c.covered = 1;
        break;
      }
      if (c.covered == 0) {
        const auto li = static_cast<std::size_t>(std::lower_bound(levels.begin(), levels.end(), h.level) - levels.begin());
        ledger.true_ups.push_back({c.product, c.metric, level_price[h.side][li], 1});
      }
      pos.cals.push_back(std::move(c));
    }
  }
  std::stable_sort(pos.cals.begin(), pos.cals.end(), [](const CalPosition& a, const CalPosition& b) {
    return std::tie(a.product.family, a.metric, a.holder) < std::tie(b.product.family, b.metric, b.holder);
  });
}
}  // namespace detail

/// Reconciles a fleet against its entitlements under the pack's rules. \pre `fleet` was
/// validated against `pack` (the readers do this). Throws InvariantError only on a bug.
[[nodiscard]] inline Position reconcile(const RulePack& pack, const Fleet& fleet, ReconcileOptions options = {}) {
  Position pos;
  pos.rule_pack = pack.name + " " + pack.revision;
  const Date as_of = options.as_of.value_or(Date::today());
  pos.as_of = as_of;
  const Holdings holdings = rules::holdings_on(pack, fleet, as_of);
  pos.warnings.insert(pos.warnings.end(), holdings.warnings.begin(), holdings.warnings.end());
  auto stage_done = [&](Stage s) {
    if (options.on_stage) options.on_stage(s);
  };
  Normalised norm = normalise(pack, fleet, as_of, options.threads);  // its reasons move to the verdicts
  stage_done(Stage::normalise);
  // The verdicts' memory (128 bytes an install, faulted in page by page) is made on a second
  // thread while the single-threaded stages below run: nothing touches pos.installs before the
  // verdicts, which wait for it.
  const std::size_t verdict_ranges =
      detail::range_count(fleet.installs.size(), options.threads, detail::parallel_thresholds().verdict_installs);
  std::exception_ptr sizing_failure;
  std::jthread sizing;
  if (verdict_ranges > 1)
    sizing = std::jthread([&] {
      try {
        pos.installs.resize(fleet.installs.size());
      } catch (...) {
        sizing_failure = std::current_exception();
      }
    });
  else
    pos.installs.resize(fleet.installs.size());
  const Supply supply = build_supply(pack, fleet, as_of, holdings);
  stage_done(Stage::supply);
  const auto& demands = norm.demands;

  pos.entitlements.resize(fleet.entitlements.size());
  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    pos.entitlements[i].counted = supply.entitlements[i].counted;
    pos.entitlements[i].reason = supply.entitlements[i].reason;
    pos.entitlements[i].note = supply.entitlements[i].note;
  }

  std::vector<detail::DemandFill> fill(demands.size());
  for (std::size_t d = 0; d < demands.size(); ++d) {
    fill[d].metric = demands[d].metric;
    fill[d].demanded = demands[d].quantity;
    fill[d].remaining = demands[d].assignment == Assignment::device ? demands[d].quantity : 0;
  }
  std::vector<detail::PoolState> states;
  std::vector<Units> pool_left(supply.pools.size());
  states.reserve(supply.pools.size());
  for (std::size_t p = 0; p < supply.pools.size(); ++p) {
    states.emplace_back(fleet, supply.pools[p], holdings);
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
      std::vector<std::uint32_t> wanted_by(bound_end - b, 0);  // demands a bound pool may cover
      for (std::size_t d = first; d < last; ++d) {
        if (demands[d].assignment != Assignment::device) continue;  // host: solver/host_solver.hpp
        for (std::size_t q = b; q < bound_end; ++q) {
          Coverage cov = eligibility(pack, demands[d].product, demands[d].metric, supply.pools[q]);
          if (!cov.allowed) continue;
          ++wanted_by[q - b];
          cands[d - first].push_back(
              {cov.exactness_penalty(), fleet.entitlement(supply.pools[q].members[0]).id, q, std::move(cov)});
        }
      }
      // Only demands that compete for a bound pool are a choice for the solver, with every pool
      // they may use (a pool one of them may use and another demand too is wanted twice, so that
      // demand competes as well); the others take their own bound pools here.
      std::vector<bool> pool_contested(bound_end - b, false);
      for (std::size_t d = first; d < last; ++d)
        for (const auto& c : cands[d - first])
          if (wanted_by[c.pool - b] > 1) contested[d] = true;
      for (std::size_t d = first; d < last; ++d)
        if (contested[d])
          for (const auto& c : cands[d - first]) pool_contested[c.pool - b] = true;
      for (std::size_t q = b; q < bound_end; ++q)
        if (pool_contested[q - b]) contested_pools[device].push_back(q);
      for (std::size_t d = first; d < last; ++d) {
        if (contested[d]) continue;
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
          detail::append_bound_evidence(c.cov, supply.pools[c.pool], fill[d].evidence);
        }
      }
      first = last;
    }
  }

  // Stability: the shared pools each device's licences were in before this run (free holdings
  // of the assignment history), so that the solver may keep them there (solver.hpp level 3).
  std::map<DeviceIndex, std::vector<std::size_t>> held_pools;
  if (!holdings.held.empty()) {
    for (std::size_t q = supply.bound_pools; q < supply.pools.size(); ++q)
      for (auto m : supply.pools[q].members)
        for (const Holding& h : holdings.of(m))
          if (h.device.valid() && !h.locked()) held_pools[h.device].push_back(q);
    for (auto& [dev, qs] : held_pools) {
      std::sort(qs.begin(), qs.end());
      qs.erase(std::unique(qs.begin(), qs.end()), qs.end());
    }
  }
  constexpr std::size_t no_pool = SIZE_MAX;

  // Classes: demands still needing units, keyed by every attribute eligibility reads; a
  // contested demand is a class of its own (its device is part of the key); demands whose
  // device held a unit of a pool that may still cover them are keyed by that pool (the first).
  using ClassKey = std::tuple<ProductRef, Metric, Units, DeviceIndex, std::size_t>;
  std::map<ClassKey, std::vector<std::uint32_t>> class_members;
  for (std::uint32_t d = 0; d < demands.size(); ++d) {
    if (fill[d].remaining == 0) continue;
    std::size_t stay = no_pool;
    if (auto it = held_pools.find(demands[d].device); it != held_pools.end())
      for (std::size_t q : it->second)
        if (eligibility(pack, demands[d].product, demands[d].metric, supply.pools[q]).allowed) {
          stay = q;
          break;
        }
    class_members[{demands[d].product, demands[d].metric, fill[d].remaining,
                   contested[d] ? demands[d].device : DeviceIndex{}, stay}]
        .push_back(d);
  }

  TransportProblem problem;
  std::vector<ClassKey> class_keys;
  std::vector<std::vector<std::uint32_t>> members;
  std::vector<std::uint32_t> demand_class(demands.size(), UINT32_MAX);
  for (auto& [key, ms] : class_members) {
    for (auto d : ms) demand_class[d] = static_cast<std::uint32_t>(problem.classes.size());
    std::sort(ms.begin(), ms.end(), [&](std::uint32_t a, std::uint32_t b) {
      return fleet.install(demands[a].install).id < fleet.install(demands[b].install).id;
    });
    problem.classes.push_back({std::get<2>(key) * static_cast<Units>(ms.size()), 0,
                               static_cast<std::uint8_t>(std::get<4>(key) != no_pool)});
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
    const auto& [product, metric, units, device, stay] = class_keys[c];
    (void)units;
    if (device.valid())  // a bound licence has no other use: no preference cost (solver.hpp)
      for (std::uint32_t q : bound_of_device[device]) {
        const Pool& pool = supply.pools[pool_of[q]];
        const Coverage cov = eligibility(pack, product, metric, pool);
        if (!cov.allowed) continue;
        problem.arcs.push_back({c, q, 0, 0, 0});
        arc_evidence.emplace_back();
        detail::append_bound_evidence(cov, pool, arc_evidence.back());
      }
    for (std::uint32_t q : pools_of_family[product.family]) {
      const Pool& pool = supply.pools[pool_of[q]];
      Coverage cov = eligibility(pack, product, metric, pool);
      if (!cov.allowed) {
        if (class_refusal[c].empty()) class_refusal[c] = std::move(cov.refusal);
        continue;
      }
      const bool moves = stay != no_pool && pool_of[q] != stay;
      problem.arcs.push_back({c, q, cov.exactness_penalty(), cov.flexibility, static_cast<std::uint8_t>(moves)});
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

  stage_done(Stage::classify);
  TransportSolution sol = solve(problem, options.solve);
  pos.status = sol.status;
  if (sol.status == SolveStatus::bad_cost_range) {
    // Prices so large that price x units could overflow, or a component so large that the
    // stability weight could: solve coverage, exactness and flexibility exactly without the
    // spend and stability levels, and say so.
    for (auto& c : problem.classes) {
      c.shortfall_price = 0;
      c.shortfall_moves = 0;
    }
    for (auto& a : problem.arcs) a.moves = 0;
    sol = solve(problem, options.solve);
    TRUEUP_CHECK(sol.status == SolveStatus::optimal, "without prices, costs are bounded by the graph's size");
    pos.warnings.push_back({Severity::warning, "entitlements.csv", 0, 0, "prices-out-of-range",
                            "expected unit costs whose products with the demand fit in 62 bits (and a problem small "
                            "enough to weigh moves), found larger ones; the shortfall is placed without regard to "
                            "price or to where licences were before"});
  }
  pos.demand_classes = problem.classes.size();
  pos.pools = supply.pools.size();
  pos.components = sol.components;
  stage_done(Stage::solve);

  // De-aggregation: classes in key order, arcs in pool order, demands in install-id order.
  // First, licences go back to the demands on the device they were on before (history, or a
  // retail record's device); then every arc's remaining flow goes to the class's demands in id
  // order.
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
      detail::note_reassignment(fleet, holdings, as_of, fill[d].licences, before, demands[d].device, fill[d].evidence);
      fill[d].remaining -= taken;
      flow[a] -= taken;
    };
    std::vector<std::size_t> first_arc(problem.classes.size() + 1, problem.arcs.size());
    for (std::size_t a = problem.arcs.size(); a-- > 0;) first_arc[problem.arcs[a].cls] = a;
    for (std::size_t c = problem.classes.size(); c-- > 0;) first_arc[c] = std::min(first_arc[c], first_arc[c + 1]);
    for (std::uint32_t c = 0; c < problem.classes.size(); ++c)
      for (std::size_t a = first_arc[c]; a < first_arc[c + 1]; ++a)
        if (const std::size_t q = pool_of[problem.arcs[a].pool];
            !states[q].by_device.empty() && (q == std::get<4>(class_keys[c]) || supply.pools[q].channel == Channel::retail))
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

  // Whole servers, per-user licences, CALs: each its own exact stage over what is left.
  std::vector<std::string> carrier_reason(demands.size());
  std::vector<detail::TrueUp> true_ups;
  {
    const detail::Ledger ledger{fill, states, pool_left, pos.entitlements, true_ups, holdings};
    detail::license_hosts(pack, fleet, norm, supply, ledger, pos);
    detail::license_users(pack, fleet, norm, supply, ledger, pos, carrier_reason);
    detail::license_access(pack, fleet, norm, supply, ledger, pos);
  }

  stage_done(Stage::deaggregate);

  // Verdicts. Each install's verdict is its own (a demand has one install, and the texts read
  // here are only read): with `threads` > 1 they are written on contiguous ranges at once.
  if (sizing.joinable()) sizing.join();
  if (sizing_failure) std::rethrow_exception(sizing_failure);
  auto verdicts = [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      InstallDisposition& disp = norm.installs[i];
      InstallVerdict& v = pos.installs[i];
      if (disp.recognised) {
        v.product = disp.product;
        v.metric = pack.version(disp.product).metric;
      }
      switch (disp.kind) {
        case InstallDisposition::Kind::excluded:
          v.verdict = Verdict::excluded;
          v.exclusion = disp.exclusion;
          v.reason = std::move(disp.reason);
          break;
        case InstallDisposition::Kind::duplicate:
          v.verdict = Verdict::duplicate;
          v.duplicate_of = demands[disp.demand].install;
          v.metric = fill[disp.demand].metric;
          if (demands[disp.demand].assignment == Assignment::host &&
              fleet.install(InstallIndex{static_cast<InstallIndex::value_type>(i)}).device != demands[disp.demand].device)
            v.reason = "an OSE on host " + fleet.device(demands[disp.demand].device).id + ": " +
                       pack.family(demands[disp.demand].product.family).name +
                       " is licensed on the physical server for all its OSEs, with install " +
                       fleet.install(v.duplicate_of).id;
          else
            v.reason = "duplicate of " + fleet.install(v.duplicate_of).id + " on " +
                       fleet.device(demands[disp.demand].device).id +
                       ": one licence on a device covers every copy and earlier version of the product there";
          break;
        case InstallDisposition::Kind::demand: {
          const Demand& dem = demands[disp.demand];
          detail::DemandFill& f = fill[disp.demand];
          if (f.carrier != UINT32_MAX) {  // per-user: covered by another demand's user licence
            v.verdict = Verdict::duplicate;
            v.duplicate_of = demands[f.carrier].install;
            v.metric = Metric::user;
            v.reason = carrier_reason[disp.demand];
            break;
          }
          v.metric = f.metric;
          v.demanded = f.demanded;
          v.covered = f.demanded - f.remaining;
          v.verdict = f.remaining == 0 ? Verdict::covered : Verdict::shortfall;
          v.licences = std::move(f.licences);
          v.evidence = std::move(f.evidence);
          if (f.remaining > 0 && dem.assignment != Assignment::device) {
            v.reason = std::to_string(f.remaining) + " of " + std::to_string(f.demanded) + " " +
                       std::string(name(f.metric)) + " licence unit(s) uncovered: no free licence of " +
                       pack.family(dem.product.family).name + " may cover it";
          } else if (f.remaining > 0) {
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
  };
  detail::for_each_range(fleet.installs.size(), verdict_ranges, verdicts);

  // Per-product rows and totals.
  // Rows by product and the metric its units count in: a 2012 R2 server licensed with 2016
  // core licences is a core row, one licensed with 2012 R2 licences a processor row (G4).
  std::map<std::pair<ProductRef, Metric>, ProductPosition> rows;
  auto row = [&](ProductRef p, Metric m) -> ProductPosition& {
    ProductPosition& r = rows[{p, m}];
    r.product = p;
    r.metric = m;
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
    ProductPosition& r = row(*v.product, v.metric);
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
    ProductPosition& r = row(std::get<0>(class_keys[c]), std::get<1>(class_keys[c]));
    if (class_price[c])
      r.true_up_cost += MoneyTotal::times(Money{*class_price[c]}, sol.shortfall[c]);
    else
      r.unpriced_shortfall += sol.shortfall[c];
  }
  for (const detail::TrueUp& u : true_ups) {
    ProductPosition& r = row(u.product, u.metric);
    if (u.price)
      r.true_up_cost += MoneyTotal::times(Money{*u.price}, u.units);
    else
      r.unpriced_shortfall += u.units;
  }
  for (const CalPosition& c : pos.cals) {
    ProductPosition& r = row(c.product, c.metric);
    ++r.installs;
    ++r.demands;
    ++r.demand_units;
    r.covered_units += c.covered;
    r.shortfall_units += 1 - c.covered;
  }
  std::set<std::string> currencies;
  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    ProductPosition& r = row(e.product, e.metric);
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
  // Host-licensed families are grouped by model (per server, per processor, per core), so a
  // report shows at a glance which servers are counted by which rules.
  std::stable_sort(pos.products.begin(), pos.products.end(), [&](const ProductPosition& a, const ProductPosition& b) {
    auto key = [&](const ProductPosition& r) {
      const bool host = pack.family(r.product.family).assignment == Assignment::host;
      return std::pair(r.product.family, host ? static_cast<int>(r.metric) : 0);
    };
    return key(a) < key(b);
  });
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
  if (options.record_assignments) pos.assignments = detail::next_assignments(fleet, norm, holdings, pos, as_of);
  TRUEUP_CHECK(check_accounting(pos, fleet), "every install and every licence unit is accounted for");
  stage_done(Stage::verdicts);
  return pos;
}

}  // namespace trueup
