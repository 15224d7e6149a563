// SPDX-License-Identifier: BSL-1.0
// File: src/core/host_stage.cpp
//
// Host stage (solver/host_solver.hpp): every physical server of a host-licensed family
// (Windows Server, WS8) is licensed whole under one model. A server's *options* are each
// licensing model (terms, edition) under which some pool may cover it, plus the model of its
// own product (what it would buy). Servers with the same product, options and bound device
// form a class; the classes are solved exactly as one integer program, then handed out:
// within a class, servers in device-id order take the options in order; within an option,
// arcs in order fill servers one after the other.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "core/evidence.hpp"
#include "core/pricing.hpp"
#include "core/stages.hpp"
#include "trueup/demand/eligibility.hpp"
#include "trueup/rules/metric_units.hpp"
#include "trueup/solver/host_solver.hpp"

namespace trueup::core {
namespace {

struct Option {
  const LicensingTerms* terms;  // null: the version's metric, one unit
  std::uint16_t edition;
  rules::UnitCount units;
  Metric metric;
  std::string name;
  std::vector<std::size_t> pools;                  // supply pools
  std::vector<Coverage> coverage;                  // parallel to pools
  std::optional<Quote> list_price = std::nullopt;  // the cheapest price-list offer of this model
};

struct Server {
  std::uint32_t demand;
  std::vector<Option> options;
  DeviceIndex bound;  // a device whose bound licences may cover it
};

/// One server's options: each model some pool may cover it under, and its own product's.
Server server_options(const Run& run, std::uint32_t d, const std::map<FamilyIndex, std::vector<std::size_t>>& shared,
                      Position& pos) {
  const Demand& dem = run.norm.demands[d];
  const RulePack& pack = run.pack;
  const Family& f = pack.family(dem.product.family);
  const Device& hw = run.fleet.device(dem.device);
  Server server{d, {}, {}};
  auto option_for = [&](const LicensingTerms* t, std::uint16_t edition) -> Option& {
    for (auto& o : server.options)
      if (o.terms == t && o.edition == edition) return o;
    rules::UnitCount units = t != nullptr ? rules::host_units(*t, hw.processors, hw.cores, dem.oses, dem.host_also)
                                          : rules::UnitCount{1, "one licence per server"};
    const Metric metric = t ? t->metric : pack.version(dem.product).metric;
    server.options.push_back(Option{t,
                                    edition,
                                    std::move(units),
                                    metric,
                                    t ? t->name : std::string(name(pack.version(dem.product).metric)),
                                    {},
                                    {}});
    return server.options.back();
  };
  // The pools that may cover it: its own device's bound pools, then its family's shared ones.
  std::vector<std::size_t> candidates = run.supply.bound_to(dem.device);
  if (auto it = shared.find(dem.product.family); it != shared.end())
    candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  for (std::size_t q : candidates) {
    const Pool& pool = run.supply.pools[q];
    if (pool.product.family != dem.product.family) continue;
    const LicensingTerms* t = pack.terms(pool.product);
    if ((t ? t->metric : pack.version(pool.product).metric) != pool.metric) continue;  // not a server licence
    Coverage cov = eligibility(pack, dem.product, pool.metric, pool, run.as_of);
    if (!cov.allowed) continue;
    Option& o = option_for(t, pool.product.edition);
    o.pools.push_back(q);
    o.coverage.push_back(std::move(cov));
    if (pool.is_bound()) server.bound = dem.device;
  }
  // What it would buy: its own product's terms; where the editions its OSEs run have none in
  // common (a 2019 Standard VM next to a 2008 R2 Enterprise VM), the highest edition of its
  // version that has terms, and the position says so.
  if (const LicensingTerms* own = pack.terms(dem.product); own != nullptr || f.terms.empty()) {
    (void)option_for(own, dem.product.edition);
  } else {
    for (std::uint16_t e = static_cast<std::uint16_t>(f.editions.size()); e-- > 0;)
      if (const LicensingTerms* t = f.terms_for(dem.product.version, e)) {
        (void)option_for(t, e);
        break;
      }
    pos.warnings.push_back(Diagnostic::about(
        Subject::installs, "no-licensing-terms",
        "expected the OSEs on " + hw.id + " to run editions one licence may cover, found " +
            pack.product_name(dem.product) +
            ", which the rule pack gives no licensing terms; counted as the highest edition with terms"));
  }
  // What the price list could buy: a model no licence held offers (a new version's Datacenter
  // licence, bought for a host whose Standard VMs it would cover cheaper).
  for (const PriceOffer& offer : run.supply.offers) {
    const Pool& pool = offer.pool;
    if (pool.product.family != dem.product.family) continue;
    const LicensingTerms* t = pack.terms(pool.product);
    if ((t ? t->metric : pack.version(pool.product).metric) != pool.metric) continue;
    if (eligibility(pack, dem.product, pool.metric, pool, run.as_of).allowed) (void)option_for(t, pool.product.edition);
  }
  // The price list: offers of each option's model and edition that may cover the server.
  for (Option& o : server.options)
    o.list_price = cheapest_offer(run.supply, dem.product.family, [&](const Pool& offer) {
      return pack.terms(offer.product) == o.terms && offer.product.edition == o.edition && offer.metric == o.metric &&
             eligibility(pack, dem.product, offer.metric, offer, run.as_of).allowed;
    });
  return server;
}

/// The integer program over classes of identical servers, and the maps back to them.
struct Plan {
  HostProblem problem;
  std::vector<std::size_t> pool_index;                             ///< solver pool -> supply pool
  std::vector<std::vector<std::uint32_t>> class_servers;           ///< per class: servers in device-id order
  std::vector<std::optional<Quote>> option_price;                  ///< per solver option
  std::vector<std::pair<std::uint32_t, std::uint32_t>> option_of;  ///< solver option -> (class, option in spec)
};

Plan plan(const Run& run, const std::vector<Server>& servers, const Work& work) {
  const auto& demands = run.norm.demands;
  // Classes: the same product, the same options (model, edition, units, pools) and the same
  // bound device; members in server order, that is by device id.
  using OptionKey = std::tuple<std::ptrdiff_t, std::uint16_t, Units, std::vector<std::size_t>>;
  using Key = std::tuple<std::uint32_t, std::uint16_t, std::uint16_t, std::vector<OptionKey>, DeviceIndex>;
  std::map<Key, std::vector<std::uint32_t>> classes;
  for (std::uint32_t i = 0; i < servers.size(); ++i) {
    const Demand& dem = demands[servers[i].demand];
    const Family& fam = run.pack.family(dem.product.family);
    std::vector<OptionKey> ok;
    for (const auto& o : servers[i].options)
      ok.emplace_back(o.terms ? o.terms - fam.terms.data() : -1, o.edition, o.units.units, o.pools);
    classes[{dem.product.family.value, dem.product.version, dem.product.edition, std::move(ok), servers[i].bound}]
        .push_back(i);
  }
  // The classes in the order of their first server (servers come in device-id order), never in
  // the key's: its pool indices and bound device follow devices.csv's row order, and the order
  // of the classes decides how equal-cost volume units are split over servers (the same fleet
  // with its devices shuffled split them differently).
  std::vector<std::vector<std::uint32_t>> ordered;
  ordered.reserve(classes.size());
  for (auto& entry : classes) ordered.push_back(std::move(entry.second));
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  Plan p;
  std::map<std::size_t, std::uint32_t> solver_pool;
  PriceRank rank;
  for (auto& members : ordered) {
    const auto c = static_cast<std::uint32_t>(p.problem.classes.size());
    p.problem.classes.push_back(static_cast<std::uint32_t>(members.size()));
    const Server& proto = servers[members.front()];
    for (std::uint32_t k = 0; k < proto.options.size(); ++k) {
      const Option& o = proto.options[k];
      const auto opt = static_cast<std::uint32_t>(p.problem.options.size());
      p.problem.options.push_back({c, o.units.units, 0});
      p.option_of.emplace_back(c, k);
      std::vector<std::size_t> shared;
      for (std::size_t j = 0; j < o.pools.size(); ++j) {
        const std::size_t q = o.pools[j];
        auto [it, fresh] = solver_pool.try_emplace(q, static_cast<std::uint32_t>(p.pool_index.size()));
        if (fresh) {
          p.pool_index.push_back(q);
          p.problem.pools.push_back(work.ledger.left(q));
        }
        p.problem.arcs.push_back({opt, it->second, o.coverage[j].exactness_penalty(), o.coverage[j].flexibility});
        if (!run.supply.pools[q].is_bound()) {
          shared.push_back(q);
          rank.see_pool(run.fleet, run.supply, q);
        }
      }
      p.option_price.push_back(lower(cheapest(run.fleet, run.supply, shared), o.list_price));
      rank.see(o.list_price);
    }
    p.class_servers.push_back(members);
  }
  for (std::size_t o = 0; o < p.problem.options.size(); ++o)
    p.problem.options[o].shortfall_price = rank.rank(p.option_price[o]);
  return p;
}

/// One server licensed under option `spec` with `flow[arc..]` units of its option's arcs.
void license_server(const Run& run, const Server& server, const Option& spec, const std::optional<Quote>& price,
                    std::vector<Units>& flow, std::size_t& arc, Work& work, Position& pos) {
  const Demand& dem = run.norm.demands[server.demand];
  DemandFill& f = work.fills[server.demand];
  f.metric = spec.metric;
  f.demanded = spec.units.units;
  f.remaining = spec.units.units;
  const Family& fam = run.pack.family(dem.product.family);
  f.evidence.push_back(
      {RuleStep::Kind::model, "licensed " + spec.name + " with " + fam.editions[spec.edition].name +
                                  " licences: " + spec.units.why +
                                  (spec.terms && !spec.terms->source.empty() ? " (" + spec.terms->source + ")" : "")});
  while (f.remaining > 0 && arc < flow.size()) {
    if (flow[arc] == 0) {
      ++arc;
      continue;
    }
    const std::size_t q = spec.pools[arc];
    const Units take = std::min(flow[arc], f.remaining);
    work.ledger.take(q, take, f.licences);
    flow[arc] -= take;
    f.remaining -= take;
    if (run.supply.pools[q].is_bound())
      append_bound_evidence(spec.coverage[arc], run.supply.pools[q], f.evidence);
    else
      f.evidence.insert(f.evidence.end(), spec.coverage[arc].chain.begin(), spec.coverage[arc].chain.end());
  }
  if (f.remaining > 0)  // on the carrying install's row, where the shortfall is counted
    work.true_ups.push_back({run.norm.installs[dem.install.value].product, spec.metric, price, f.remaining,
                             spec.edition != run.norm.installs[dem.install.value].product.edition
                                 ? std::optional(spec.edition)
                                 : std::nullopt});
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
  sp.needs_cals = spec.terms == nullptr || spec.terms->needs_cals;
  pos.servers.push_back(std::move(sp));
}

}  // namespace

SolveStatus host_stage(const Run& run, Work& work, Position& pos) {
  const auto& demands = run.norm.demands;
  std::map<FamilyIndex, std::vector<std::size_t>> shared_of_family;
  for (std::size_t q = run.supply.bound_pools; q < run.supply.pools.size(); ++q)
    if (run.pack.family(run.supply.pools[q].product.family).assignment == Assignment::host)
      shared_of_family[run.supply.pools[q].product.family].push_back(q);
  // Servers in (device id, family) order, never in row order: what they write (their warnings)
  // and the order the solver sees them in are the same for the same fleet in any row order.
  std::vector<std::uint32_t> host_demands;
  for (std::uint32_t d = 0; d < demands.size(); ++d)
    if (demands[d].assignment == Assignment::host) host_demands.push_back(d);
  std::sort(host_demands.begin(), host_demands.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(run.fleet.device(demands[a].device).id, demands[a].product.family.value) <
           std::tie(run.fleet.device(demands[b].device).id, demands[b].product.family.value);
  });
  std::vector<Server> servers;
  servers.reserve(host_demands.size());
  for (const std::uint32_t d : host_demands) servers.push_back(server_options(run, d, shared_of_family, pos));
  if (servers.empty()) return SolveStatus::optimal;

  Plan p = plan(run, servers, work);
  const HostSolution sol = solve_hosts(p.problem);
  if (sol.status == SolveStatus::bad_cost_range)
    pos.warnings.push_back(
        prices_out_of_range("whole-server", "servers' shortfalls are placed without regard to price"));

  const auto& arcs = p.problem.arcs;
  const std::size_t O = p.problem.options.size();
  std::vector<std::size_t> first_arc(O + 1, arcs.size());
  for (std::size_t a = arcs.size(); a-- > 0;) first_arc[arcs[a].option] = a;
  for (std::size_t o = O; o-- > 0;) first_arc[o] = std::min(first_arc[o], first_arc[o + 1]);
  std::vector<std::size_t> next_server(p.problem.classes.size(), 0);
  for (std::uint32_t o = 0; o < O; ++o) {
    const auto [c, k] = p.option_of[o];
    std::vector<Units> flow(sol.arc_flow.begin() + static_cast<std::ptrdiff_t>(first_arc[o]),
                            sol.arc_flow.begin() + static_cast<std::ptrdiff_t>(first_arc[o + 1]));
    std::size_t arc = 0;
    for (std::uint32_t n = 0; n < sol.servers[o]; ++n) {
      const Server& server = servers[p.class_servers[c][next_server[c]++]];
      license_server(run, server, server.options[k], p.option_price[o], flow, arc, work, pos);
    }
  }
  std::sort(pos.servers.begin(), pos.servers.end(), [&](const ServerPosition& a, const ServerPosition& b) {
    return std::tie(a.product.family, run.fleet.device(a.device).id) <
           std::tie(b.product.family, run.fleet.device(b.device).id);
  });
  return sol.status;
}

}  // namespace trueup::core
