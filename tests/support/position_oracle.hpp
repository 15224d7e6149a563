// SPDX-License-Identifier: BSL-1.0
// File: tests/support/position_oracle.hpp
//
// An independent solver for the tiny estates of tests/support/random_instances.hpp: the rules
// derived from first principles, without normalise() or eligibility(), and a brute force over
// every assignment of licence units to demands (used by tests/solver/reconcile_optimality_test.cpp
// and tests/position/properties_test.cpp).
//
// - demands come from (device, family) pairs of owned, active devices with licensable
//   installs, taken highest version, then edition, then smallest id: an install is a
//   duplicate of the first demand of its pair whose edition is its own or covers it, and
//   otherwise a demand of its own (licensing-rules X4, X5, DT1, D3; leased X1; retired and
//   failed devices O8);
// - a licence unit may cover a demand when it is the same family, the same or a later version
//   (a later one only under a downgrade right of its channel: volume any earlier D1, OEM the
//   listed versions §5.2, retail none R4), the same edition or one its edition covers (§5.3);
//   an OEM licence only on the live device it is bound to (O1, O8); retail and volume on any
//   demand (R1, R5, V1).
// The brute force assigns at most one licence unit to every demand, minimising
// lexicographically (1) demands left short, (2) the spend on them, (3) exactness steps of the
// non-OEM licences used, (4) their flexibility (retail 1, volume 2). OEM licences carry no
// preference cost: bound to one device, each can serve only one demand.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/random_instances.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup::test {

/// The pipeline's objective vector, compared lexicographically (member order = priority).
struct Objective {
  std::int64_t shortfall = 0;    ///< demands left short (one unit each: per-device metric)
  std::int64_t spend = 0;        ///< their prices, in Money's minor units
  std::int64_t exactness = 0;    ///< version + edition steps of the non-OEM licences used
  std::int64_t flexibility = 0;  ///< retail 1, volume 2, of the licences used

  friend auto operator<=>(const Objective&, const Objective&) = default;
  Objective& operator+=(const Objective& o) {
    shortfall += o.shortfall;
    spend += o.spend;
    exactness += o.exactness;
    flexibility += o.flexibility;
    return *this;
  }
  friend std::ostream& operator<<(std::ostream& os, const Objective& o) {
    return os << "{short " << o.shortfall << ", spend " << o.spend << ", exactness " << o.exactness << ", flexibility "
              << o.flexibility << "}";
  }
};

// --- The rules, from first principles --------------------------------------------------------

inline bool in_scope(const Device& d) {
  return d.ownership == trueup::Ownership::owned && d.status == trueup::DeviceStatus::active;
}

inline bool contains(const std::vector<std::uint16_t>& v, std::uint16_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

/// Version steps + edition steps when a licence for `licence` of `channel` may run
/// `installed`; nullopt when the pack grants no right for it.
inline std::optional<std::int64_t> exactness_if_allowed(const RulePack& pack, ProductRef licence, Channel channel,
                                                        ProductRef installed) {
  if (licence.family != installed.family || licence.version < installed.version) return std::nullopt;
  const trueup::Family& f = pack.families[licence.family.value];
  if (licence.edition != installed.edition && !contains(f.editions[licence.edition].covers, installed.edition))
    return std::nullopt;
  if (licence.version > installed.version) {
    bool granted = false;
    for (const trueup::DowngradeRight& r : f.downgrades)
      if (r.channel == channel && (r.editions.empty() || contains(r.editions, licence.edition)) &&
          (r.any_earlier || (r.from == licence.version && contains(r.to, installed.version))))
        granted = true;
    if (!granted) return std::nullopt;
  }
  return std::int64_t{licence.version} - installed.version + (licence.edition != installed.edition ? 1 : 0);
}

inline std::int64_t flexibility_of(Channel c) { return c == Channel::volume ? 2 : c == Channel::retail ? 1 : 0; }

/// Whether an entitlement counts at all: an OEM licence only while its device is owned and
/// in service (O1, O8); retail and volume always (a zero-seat record counts, with no seats).
inline bool counted(const Fleet& fleet, const Entitlement& e) {
  return e.channel != Channel::oem || (e.device.valid() && in_scope(fleet.device(e.device)));
}

struct TestDemand {
  DeviceIndex device;
  ProductRef product;
  std::size_t representative = 0;       ///< install index
  std::vector<std::size_t> duplicates;  ///< install indices
};

struct Analysis {
  std::vector<TestDemand> demands;
  std::map<std::size_t, std::size_t> demand_of_install;  ///< representative install -> demand
  std::map<std::size_t, std::size_t> duplicate_of;       ///< duplicate install -> representative install
  /// usable[d]: (entitlement index, exactness) of every licence that may cover demand d.
  std::vector<std::vector<std::pair<std::size_t, std::int64_t>>> usable;
  std::vector<bool> has_oem;        ///< a usable OEM licence: the bound stage covers it
  std::vector<std::int64_t> price;  ///< per demand, as reconcile prices its shortfall
  std::vector<bool> priced;         ///< a known unit cost, rather than a stand-in
};

inline Analysis analyse(const RandomEstate& es, const Fleet& fleet) {
  const RulePack& pack = es.pack;
  Analysis an;
  std::map<std::pair<DeviceIndex, trueup::FamilyIndex>, std::vector<std::size_t>> by_pair;
  for (std::size_t i = 0; i < fleet.installs.size(); ++i) {
    const auto& product = es.product_of.at(fleet.installs[i].id);
    if (product && in_scope(fleet.device(fleet.installs[i].device)))
      by_pair[{fleet.installs[i].device, product->family}].push_back(i);
  }
  for (auto& [pair, installs] : by_pair) {
    std::sort(installs.begin(), installs.end(), [&](std::size_t a, std::size_t b) {
      const ProductRef pa = *es.product_of.at(fleet.installs[a].id), pb = *es.product_of.at(fleet.installs[b].id);
      return std::tuple(-pa.version, -pa.edition, fleet.installs[a].id) <
             std::tuple(-pb.version, -pb.edition, fleet.installs[b].id);
    });
    // Each install joins the first demand of the pair whose edition is its own or covers it
    // (down-edition); otherwise it is a demand of its own (editions that do not cover each
    // other are different products, D3).
    std::vector<TestDemand> pair_demands;
    for (std::size_t i : installs) {
      const ProductRef p = *es.product_of.at(fleet.installs[i].id);
      const auto& covers_of = [&](std::uint16_t e) -> const std::vector<std::uint16_t>& {
        return pack.family(p.family).editions[e].covers;
      };
      auto joined = std::find_if(pair_demands.begin(), pair_demands.end(), [&](const TestDemand& d) {
        const auto& cov = covers_of(d.product.edition);
        return d.product.edition == p.edition || std::find(cov.begin(), cov.end(), p.edition) != cov.end();
      });
      if (joined == pair_demands.end())
        pair_demands.push_back(TestDemand{pair.first, p, i, {}});
      else
        joined->duplicates.push_back(i);
    }
    for (auto& d : pair_demands) {
      an.demand_of_install[d.representative] = an.demands.size();
      for (auto dup : d.duplicates) an.duplicate_of[dup] = d.representative;
      an.demands.push_back(std::move(d));
    }
  }

  an.usable.resize(an.demands.size());
  an.has_oem.assign(an.demands.size(), false);
  for (std::size_t d = 0; d < an.demands.size(); ++d)
    for (std::size_t e = 0; e < fleet.entitlements.size(); ++e) {
      const Entitlement& ent = fleet.entitlements[e];
      if (ent.quantity <= 0 || !counted(fleet, ent)) continue;
      if (ent.channel == Channel::oem && ent.device != an.demands[d].device) continue;
      if (const auto x = exactness_if_allowed(pack, ent.product, ent.channel, an.demands[d].product)) {
        an.usable[d].push_back({e, *x});
        if (ent.channel == Channel::oem) an.has_oem[d] = true;
      }
    }

  // reconcile.hpp prices a short demand at the cheapest unit cost among the counted retail and
  // volume records that could cover it; with none, at one more than the dearest such price
  // seen by any demand left to the solver (an unknown price ranks above every known one), or
  // at 0 when no such demand sees a price at all.
  an.price.assign(an.demands.size(), 0);
  an.priced.assign(an.demands.size(), false);
  std::optional<std::int64_t> dearest;
  for (std::size_t d = 0; d < an.demands.size(); ++d)
    for (const Entitlement& ent : fleet.entitlements) {
      if (ent.channel == Channel::oem || !counted(fleet, ent) || !ent.unit_cost) continue;
      if (!exactness_if_allowed(pack, ent.product, ent.channel, an.demands[d].product)) continue;
      const std::int64_t p = ent.unit_cost->amount;
      an.price[d] = an.priced[d] ? std::min(an.price[d], p) : p;
      an.priced[d] = true;
      if (!an.has_oem[d]) dearest = std::max(dearest.value_or(p), p);
    }
  for (std::size_t d = 0; d < an.demands.size(); ++d)
    if (!an.priced[d]) an.price[d] = dearest ? *dearest + 1 : 0;
  return an;
}

// --- Brute force ----------------------------------------------------------------------------

/// One way to treat a demand: leave it short, or cover it with one unit of an entitlement.
struct Choice {
  std::optional<std::size_t> entitlement;
  Objective cost;
};

/// The lexicographic minimum over every assignment of at most one choice per demand within
/// the entitlements' quantities (dynamic programming over the remaining quantities).
inline Objective brute_force(const std::vector<std::vector<Choice>>& choices, std::vector<Units> left) {
  std::map<std::pair<std::size_t, std::vector<Units>>, Objective> memo;
  auto best = [&](auto& self, std::size_t d) -> Objective {
    if (d == choices.size()) return {};
    const auto key = std::make_pair(d, left);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    std::optional<Objective> out;
    for (const Choice& c : choices[d]) {
      if (c.entitlement && left[*c.entitlement] == 0) continue;
      if (c.entitlement) --left[*c.entitlement];
      Objective o = c.cost;
      o += self(self, d + 1);
      if (c.entitlement) ++left[*c.entitlement];
      if (!out || o < *out) out = o;
    }
    memo.emplace(key, *out);
    return *out;
  };
  return best(best, 0);
}

inline std::vector<Units> quantities(const Fleet& fleet) {
  std::vector<Units> q;
  for (const auto& e : fleet.entitlements) q.push_back(e.quantity);
  return q;
}

inline Choice short_choice(const Analysis& an, std::size_t d) { return {std::nullopt, {1, an.price[d], 0, 0}}; }

inline Choice cover_choice(const Fleet& fleet, std::size_t e, std::int64_t exactness) {
  const Channel c = fleet.entitlements[e].channel;
  if (c == Channel::oem) return {e, {}};  // bound: no other use, so no preference cost
  return {e, {0, 0, exactness, flexibility_of(c)}};
}

}  // namespace trueup::test
