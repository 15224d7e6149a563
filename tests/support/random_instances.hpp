// SPDX-License-Identifier: BSL-1.0
// File: tests/support/random_instances.hpp
//
// Fixed-seed random instances for the solver's oracle tests: transportation problems (class x
// pool, the solver's own input), raw min-cost-flow networks with a known feasible flow (for
// the certificate functions), and tiny estates (a rule pack built in code plus a fleet) for
// the pipeline. Every generator draws from a caller-owned std::mt19937 through `uniform`,
// which uses only the engine's specified output sequence (never a standard distribution,
// whose algorithm is implementation-defined), so a seed gives the same instance on every
// platform and standard library.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "solver/detail/flow_network.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/solver/solver.hpp"

namespace trueup::test {

/// A uniform integer in [lo, hi] from two 32-bit draws, in a fixed order. \pre lo <= hi.
inline std::int64_t uniform(std::mt19937& rng, std::int64_t lo, std::int64_t hi) {
  const std::uint64_t high = rng();  // two statements: the draw order is part of the seed's meaning
  const std::uint64_t low = rng();
  const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<std::int64_t>(((high << 32) | low) % span);
}

/// True with probability percent / 100.
inline bool chance(std::mt19937& rng, int percent) { return uniform(rng, 0, 99) < percent; }

/// Fisher-Yates with `uniform`, so the permutation is fixed by the seed.
template <class T>
void shuffle_in_place(std::vector<T>& v, std::mt19937& rng) {
  for (std::size_t i = v.size(); i > 1; --i)
    std::swap(v[i - 1], v[static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(i) - 1))]);
}

// --- Transportation problems -------------------------------------------------------------

/// Bounds for `random_transport_problem`; every bound is inclusive.
struct TransportShape {
  std::uint32_t min_classes = 1, max_classes = 3;
  std::uint32_t min_pools = 1, max_pools = 3;
  Units max_supply = 3;
  Units max_capacity = 3;
  std::int64_t max_price = 5;
  std::uint32_t max_exactness = 3;
  std::uint8_t max_flexibility = 2;
  int arc_percent = 60;      ///< chance of an arc for each (class, pool) pair
  int parallel_percent = 0;  ///< chance of a second, parallel arc next to an existing one
  int moves_percent = 0;     ///< chance that an arc moves a licence from its last holder (stability)
};

/// A random problem: classes and pools (some with zero supply or capacity), arcs in a random
/// order. Prices are drawn from few values half the time, so that spend ties
/// (where the later levels decide) are common.
inline TransportProblem random_transport_problem(std::mt19937& rng, const TransportShape& shape) {
  TransportProblem p;
  p.max_flexibility = shape.max_flexibility;
  const auto classes = uniform(rng, shape.min_classes, shape.max_classes);
  const auto pools = uniform(rng, shape.min_pools, shape.max_pools);
  const bool few_prices = chance(rng, 50);
  for (std::int64_t c = 0; c < classes; ++c) {
    const Units supply = uniform(rng, 0, shape.max_supply);
    const std::int64_t price =
        few_prices ? uniform(rng, 0, 2) * (shape.max_price / 2) : uniform(rng, 0, shape.max_price);
    const auto moves = static_cast<std::uint8_t>(shape.moves_percent > 0 && chance(rng, shape.moves_percent));
    p.classes.push_back({supply, price, moves});
  }
  for (std::int64_t q = 0; q < pools; ++q) p.pools.push_back(uniform(rng, 0, shape.max_capacity));
  auto arc = [&](std::uint32_t c, std::uint32_t q) {
    return TransportProblem::Arc{
        c, q, static_cast<std::uint32_t>(uniform(rng, 0, shape.max_exactness)),
        static_cast<std::uint8_t>(uniform(rng, 0, shape.max_flexibility)),
        static_cast<std::uint8_t>(shape.moves_percent > 0 && chance(rng, shape.moves_percent))};
  };
  for (std::uint32_t c = 0; c < p.classes.size(); ++c)
    for (std::uint32_t q = 0; q < p.pools.size(); ++q)
      if (chance(rng, shape.arc_percent)) {
        p.arcs.push_back(arc(c, q));
        if (chance(rng, shape.parallel_percent)) p.arcs.push_back(arc(c, q));
      }
  shuffle_in_place(p.arcs, rng);
  return p;
}

// --- Raw min-cost-flow networks ----------------------------------------------------------

struct FlowNetworkShape {
  std::uint32_t max_nodes = 8;
  std::uint32_t max_arcs = 20;
  Units max_upper = 5;
  detail::Cost min_cost = -5;
  detail::Cost max_cost = 10;
};

/// A network and one feasible flow of it (the supplies are that flow's net outflows, so the
/// network is feasible by construction); the witness is usually not optimal.
struct RandomFlowNetwork {
  detail::FlowNetwork network;
  std::vector<Units> witness;
};

inline RandomFlowNetwork random_flow_network(std::mt19937& rng, const FlowNetworkShape& shape) {
  RandomFlowNetwork r;
  const auto nodes = static_cast<std::uint32_t>(uniform(rng, 2, shape.max_nodes));
  const auto arcs = uniform(rng, 1, shape.max_arcs);
  r.network.supply.assign(nodes, 0);
  for (std::int64_t a = 0; a < arcs; ++a) {
    const auto tail = static_cast<std::uint32_t>(uniform(rng, 0, nodes - 1));
    auto head = static_cast<std::uint32_t>(uniform(rng, 0, nodes - 2));
    if (head >= tail) ++head;  // no loops
    const Units upper = uniform(rng, 0, shape.max_upper);
    r.network.arcs.push_back({tail, head, upper, uniform(rng, shape.min_cost, shape.max_cost)});
    const Units flow = uniform(rng, 0, upper);
    r.witness.push_back(flow);
    r.network.supply[tail] += flow;
    r.network.supply[head] -= flow;
  }
  return r;
}

// --- Tiny estates: a rule pack built in code and a fleet ---------------------------------

/// Bounds for `random_estate`; every bound is inclusive.
struct EstateShape {
  std::uint32_t families = 2;
  std::uint32_t min_devices = 2, max_devices = 4;
  std::uint32_t min_installs = 4, max_installs = 8;
  std::uint32_t min_entitlements = 3, max_entitlements = 6;
  Units max_quantity = 2;
  /// Chance that an entitlement has a unit cost; -1: drawn per estate from 0, 35, 75, 100, so
  /// that some estates price nothing and some leave many shortfalls unpriced.
  int priced_percent = -1;
};

struct RandomEstate {
  RulePack pack;
  Fleet fleet;
  /// What each install was generated as, by install id: the ground truth the tests compare
  /// with, so they need not trust recognition. nullopt: another publisher's title.
  std::map<std::string, std::optional<ProductRef>> product_of;
};

/// A pack of one or two families with three versions each (release order = index order),
/// two or three editions each (higher index = higher edition), and:
/// - a volume downgrade right to any earlier version (licensing-rules D1), sometimes limited
///   to some editions (D2: same edition only, which eligibility enforces separately);
/// - an OEM downgrade right listing, for one licence version, the earlier versions it may run
///   (§5.2 and §5.3: OEM Windows Pro and Windows Server list their versions);
/// - no retail downgrade right (R4, O6);
/// - down-edition rights: each edition covers some lower ones, at least one grant per family
///   (§5.3 "Down-edition"; not transitive unless listed).
inline RulePack random_rule_pack(std::mt19937& rng, std::uint32_t families) {
  RulePack pack;
  pack.name = "tiny";
  pack.revision = "1";
  pack.publishers.push_back({"Contoso", {"Contoso Ltd"}});
  struct Names {
    const char* id;
    const char* name;
    std::vector<std::string> versions;
    std::vector<std::string> editions;
  };
  const std::vector<Names> names{{"suite", "Suite", {"2016", "2019", "2021"}, {"Standard", "Professional", "Premium"}},
                                 {"works", "Works", {"7", "8", "10"}, {"Home", "Pro", "Enterprise"}}};
  for (std::uint32_t fi = 0; fi < families && fi < names.size(); ++fi) {
    const Names& n = names[fi];
    Family f;
    f.id = n.id;
    f.name = n.name;
    f.match = {n.name};
    for (std::size_t v = 0; v < n.versions.size(); ++v)
      f.versions.push_back({n.versions[v],
                            {n.versions[v]},
                            "",
                            Date::from_ymd(2015 + 3 * static_cast<int>(v), 9, 1),
                            Metric::device,
                            {},
                            {},
                            {},
                            {}});
    const auto editions = static_cast<std::uint16_t>(uniform(rng, 2, 3));
    for (std::uint16_t e = 0; e < editions; ++e) f.editions.push_back({n.editions[e], {}, false, {}, "", {}, ""});
    bool any_cover = false;
    for (std::uint16_t e = 1; e < editions; ++e)
      for (std::uint16_t lower = 0; lower < e; ++lower)
        if (chance(rng, 50)) {
          f.editions[e].covers.push_back(lower);
          f.editions[e].covers_source = "down-edition grant (test pack)";
          any_cover = true;
        }
    if (!any_cover) {
      f.editions[editions - 1u].covers.push_back(0);
      f.editions[editions - 1u].covers_source = "down-edition grant (test pack)";
    }
    auto some_editions = [&] {
      std::vector<std::uint16_t> out;
      if (chance(rng, 60)) return out;  // every edition
      for (std::uint16_t e = 0; e < editions; ++e)
        if (chance(rng, 50)) out.push_back(e);
      if (out.empty()) out.push_back(static_cast<std::uint16_t>(uniform(rng, 0, editions - 1)));
      return out;
    };
    f.downgrades.push_back({Channel::volume, some_editions(), true, 0, {}, false, "volume: any earlier version (D1)"});
    DowngradeRight oem{Channel::oem,
                       some_editions(),
                       false,
                       static_cast<std::uint16_t>(uniform(rng, 1, 2)),
                       {},
                       false,
                       "OEM: listed versions (5.2)"};
    for (std::uint16_t v = 0; v < oem.from; ++v)
      if (chance(rng, 60)) oem.to.push_back(v);
    if (oem.to.empty()) oem.to.push_back(static_cast<std::uint16_t>(oem.from - 1));
    f.downgrades.push_back(std::move(oem));
    pack.families.push_back(std::move(f));
  }
  return pack;
}

/// An estate over `random_rule_pack`: devices mostly owned and active, some leased, rented,
/// retired or failed; installs of random products (some another publisher's, some repeated on
/// one device, i.e. duplicates); entitlements of every channel with quantities 0..max, OEM
/// ones bound to a random device (or to none), some with a unit cost and some without.
inline RandomEstate random_estate(std::mt19937& rng, const EstateShape& shape = {}) {
  RandomEstate es;
  es.pack = random_rule_pack(rng, static_cast<std::uint32_t>(uniform(rng, 1, shape.families)));
  const RulePack& pack = es.pack;
  auto two_digits = [](std::int64_t i) { return (i < 10 ? "0" : "") + std::to_string(i); };

  const auto devices = uniform(rng, shape.min_devices, shape.max_devices);
  for (std::int64_t d = 0; d < devices; ++d) {
    Device dev;
    dev.id = "PC-" + two_digits(d + 1);
    dev.hostname = "pc" + std::to_string(d + 1);
    const auto own = uniform(rng, 0, 99);
    dev.ownership = own < 80 ? Ownership::owned : own < 92 ? Ownership::leased : Ownership::rented;
    const auto status = uniform(rng, 0, 99);
    dev.status = status < 78 ? DeviceStatus::active : status < 92 ? DeviceStatus::retired : DeviceStatus::failed;
    if (dev.status != DeviceStatus::active) dev.status_date = Date::from_ymd(2024, 3, 2);
    dev.line = static_cast<std::uint32_t>(d + 2);
    es.fleet.devices.push_back(std::move(dev));
  }
  auto random_device = [&] { return DeviceIndex{static_cast<DeviceIndex::value_type>(uniform(rng, 0, devices - 1))}; };
  auto random_product = [&] {
    ProductRef p;
    p.family = FamilyIndex{
        static_cast<FamilyIndex::value_type>(uniform(rng, 0, static_cast<std::int64_t>(pack.families.size()) - 1))};
    const Family& f = pack.family(p.family);
    p.version = static_cast<std::uint16_t>(uniform(rng, 0, static_cast<std::int64_t>(f.versions.size()) - 1));
    p.edition = static_cast<std::uint16_t>(uniform(rng, 0, static_cast<std::int64_t>(f.editions.size()) - 1));
    return p;
  };

  const auto installs = uniform(rng, shape.min_installs, shape.max_installs);
  for (std::int64_t i = 0; i < installs; ++i) {
    Install in;
    in.id = "IN-" + two_digits(i + 1);
    in.line = static_cast<std::uint32_t>(i + 2);
    if (i > 0 && chance(rng, 30)) {
      // Another copy on the device of an earlier install, of the same family when it has one.
      const Install& prev = es.fleet.installs[static_cast<std::size_t>(uniform(rng, 0, i - 1))];
      in.device = prev.device;
      ProductRef p = random_product();
      if (const auto& pp = es.product_of[prev.id]) {
        p.family = pp->family;
        const Family& f = pack.family(p.family);
        p.version = static_cast<std::uint16_t>(uniform(rng, 0, static_cast<std::int64_t>(f.versions.size()) - 1));
        p.edition = static_cast<std::uint16_t>(uniform(rng, 0, static_cast<std::int64_t>(f.editions.size()) - 1));
      }
      es.product_of[in.id] = p;
    } else {
      in.device = random_device();
      if (chance(rng, 10)) {
        es.product_of[in.id] = std::nullopt;
      } else {
        es.product_of[in.id] = random_product();
      }
    }
    if (const auto& p = es.product_of[in.id]) {
      const Family& f = pack.family(p->family);
      in.title = "Contoso " + f.name + " " + f.editions[p->edition].name + " " + f.versions[p->version].name;
      in.publisher = chance(rng, 80) ? "Contoso" : "";
    } else {
      in.title = "Initech Office Suite 2019";  // another vendor's suite (X7)
      in.publisher = "Initech";
    }
    es.fleet.installs.push_back(std::move(in));
  }

  const auto entitlements = uniform(rng, shape.min_entitlements, shape.max_entitlements);
  const std::vector<std::int64_t> prices{50, 100, 150, 200, 250, 400};
  const std::vector<int> priced_choices{0, 35, 75, 100};
  const int priced_percent =
      shape.priced_percent >= 0 ? shape.priced_percent : priced_choices[static_cast<std::size_t>(uniform(rng, 0, 3))];
  for (std::int64_t e = 0; e < entitlements; ++e) {
    Entitlement ent;
    ent.id = "E-" + two_digits(e + 1);
    ent.product = random_product();
    ent.channel = static_cast<Channel>(uniform(rng, 0, 2));
    ent.quantity = chance(rng, 15) ? 0 : uniform(rng, 1, shape.max_quantity);
    if (ent.channel == Channel::oem && chance(rng, 92)) ent.device = random_device();
    if (ent.channel == Channel::oem && chance(rng, 60)) {
      // Usually an OEM licence came with the software on its PC: that product, or a later
      // version of it (which may or may not downgrade to what is installed).
      const Install& in = es.fleet.installs[static_cast<std::size_t>(uniform(rng, 0, installs - 1))];
      if (const auto& p = es.product_of[in.id]) {
        ent.device = in.device;
        ent.product = *p;
        const auto versions = static_cast<std::int64_t>(pack.family(p->family).versions.size());
        if (chance(rng, 40)) ent.product.version = static_cast<std::uint16_t>(uniform(rng, p->version, versions - 1));
      }
    }
    if (ent.channel == Channel::retail && chance(rng, 50)) ent.device = random_device();
    if (chance(rng, priced_percent)) {
      ent.unit_cost = Money{prices[static_cast<std::size_t>(uniform(rng, 0, 5))] * Money::scale};
      ent.currency = "EUR";
    }
    ent.line = static_cast<std::uint32_t>(e + 2);
    es.fleet.entitlements.push_back(std::move(ent));
  }
  return es;
}

/// The same fleet with devices, installs and entitlements in a random order (indices
/// remapped); ids, and so the meaning, are unchanged.
inline Fleet shuffled(const Fleet& in, std::mt19937& rng) {
  auto permutation = [&](std::size_t n) {
    std::vector<std::uint32_t> p(n);
    for (std::uint32_t i = 0; i < n; ++i) p[i] = i;
    shuffle_in_place(p, rng);
    return p;  // p[new] = old
  };
  const auto pd = permutation(in.devices.size());
  const auto pi = permutation(in.installs.size());
  const auto pe = permutation(in.entitlements.size());
  std::vector<DeviceIndex::value_type> new_device(in.devices.size());
  for (std::uint32_t i = 0; i < pd.size(); ++i) new_device[pd[i]] = i;
  auto remap = [&](DeviceIndex d) { return d.valid() ? DeviceIndex{new_device[d.value]} : d; };
  Fleet out;
  for (auto o : pd) out.devices.push_back(in.devices[o]);
  for (auto o : pi) {
    out.installs.push_back(in.installs[o]);
    out.installs.back().device = remap(out.installs.back().device);
  }
  for (auto o : pe) {
    out.entitlements.push_back(in.entitlements[o]);
    out.entitlements.back().device = remap(out.entitlements.back().device);
  }
  return out;
}

}  // namespace trueup::test
