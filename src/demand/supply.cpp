// SPDX-License-Identifier: BSL-1.0
// File: src/demand/supply.cpp
//
// Supply (demand/pool.hpp): every entitlement either void with its reason or counted, and the
// counted ones grouped into pools: OEM licences and units locked by the 90-day rule as bound
// pools, the rest in shared pools by eligibility key.
#include "trueup/demand/pool.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "trueup/check.hpp"
#include "trueup/rules/oem_binding.hpp"
#include "trueup/rules/software_assurance.hpp"

namespace trueup {
namespace {

/// Why an entitlement counts for nothing on `as_of`, or nullopt.
std::optional<std::string> void_reason(const Fleet& fleet, const Entitlement& e, Date as_of) {
  if (e.purchased && *e.purchased > as_of)
    return "purchased " + e.purchased->iso() + ", after the as-of date " + as_of.iso();
  if (e.channel == Channel::subscription) {
    // X9: expired subscriptions must not be counted; DT3: a subscription covers its term.
    if (e.subscription_start && *e.subscription_start > as_of)
      return "subscription starts " + e.subscription_start->iso() + ", after the as-of date " + as_of.iso();
    if (e.subscription_end && *e.subscription_end < as_of)
      return "subscription ended " + e.subscription_end->iso() + ", before the as-of date " + as_of.iso() +
             ": an expired subscription covers nothing (licensing-rules X9)";
  }
  if (e.channel == Channel::oem)
    return rules::oem_void_reason(e.device.valid() ? &fleet.device(e.device) : nullptr, as_of);
  return std::nullopt;
}
/// Records `e` as a qualifying licence of its device when some upgrade rule of its family
/// accepts its channel and edition (UpgradeRule, O4): an OEM or retail licence on record for a
/// device, counted on the as-of date.
void qualify(const RulePack& pack, const Entitlement& e, EntitlementIndex ei,
             std::vector<std::tuple<DeviceIndex, FamilyIndex, EntitlementIndex>>& out) {
  if (!e.device.valid()) return;
  for (const UpgradeRule& u : pack.family(e.product.family).upgrades) {
    const bool channel =
        std::find(u.qualifying_channels.begin(), u.qualifying_channels.end(), e.channel) != u.qualifying_channels.end();
    const bool edition = u.qualifying_editions.empty() ||
                         std::find(u.qualifying_editions.begin(), u.qualifying_editions.end(), e.product.edition) !=
                             u.qualifying_editions.end();
    if (channel && edition) {
      out.emplace_back(e.device, e.product.family, ei);
      return;
    }
  }
}

/// Within one device and family, the qualifying licence named in evidence is the one with the
/// least id, whatever the row order of the entitlements table.
void sort_qualifying(const Fleet& fleet, std::vector<std::tuple<DeviceIndex, FamilyIndex, EntitlementIndex>>& q) {
  auto id_of = [&](EntitlementIndex e) -> const std::string& { return fleet.entitlement(e).id; };
  std::sort(q.begin(), q.end(), [&](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a), id_of(std::get<2>(a))) <
           std::tie(std::get<0>(b), std::get<1>(b), id_of(std::get<2>(b)));
  });
}

}  // namespace

Supply build_supply(const RulePack& pack, const Fleet& fleet, Date as_of, const Holdings& holdings) {
  Supply s;
  s.entitlements.resize(fleet.entitlements.size());
  struct Bound {
    EntitlementIndex e;
    DeviceIndex device;
    std::string user;
    Units units;
    std::optional<RuleStep> binding;
  };
  // Shared pools by what eligibility reads: product it may run, channel, metric, version on
  // record, and whether its SA is active (SQL3).
  std::vector<Bound> bound;
  std::map<std::tuple<ProductRef, Channel, Metric, std::uint16_t, bool>,
           std::vector<std::pair<EntitlementIndex, Units>>>
      shared;
  std::vector<ProductRef> runs(fleet.entitlements.size());

  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementIndex ei{static_cast<EntitlementIndex::value_type>(i)};
    TRUEUP_CHECK(e.quantity >= 0, "readers reject negative quantities");
    EntitlementDisposition& disp = s.entitlements[i];
    if (auto why = void_reason(fleet, e, as_of)) {
      disp.reason = std::move(*why);
      continue;
    }
    disp.counted = true;
    disp.product = e.product;
    disp.metric = e.metric;
    disp.units = e.quantity;
    ProductRef product = e.product;
    if (auto right = rules::new_version_right(pack, e, as_of)) {
      product.version = right->version;
      disp.note = std::move(right->why);
      // SA5: counted from now on as licences of the new model, of the latest version they
      // may run (converted at `converted_to`, then SA1 carried them on).
      if (right->conversion != nullptr) {
        disp.converted = true;
        disp.product.version = right->version;
        disp.metric = right->metric;
        disp.units = e.quantity * right->units_per_licence;
      }
    }
    runs[i] = product;
    qualify(pack, e, ei, s.qualifying);
    if (e.channel == Channel::oem) {
      bound.push_back({ei,
                       e.device,
                       {},
                       e.quantity,
                       RuleStep{RuleStep::Kind::oem_binding,
                                "OEM licence " + e.id + " bound to " + fleet.device(e.device).id +
                                    (fleet.device(e.device).motherboard == MotherboardChange::after_failure
                                         ? " (its motherboard was replaced after a failure: "
                                           "the same computer, licensing-rules O3)"
                                         : "")}});
      continue;
    }
    Units free_units = disp.units;
    if (!holdings.of_licence.empty())
      for (const Holding& h : holdings.of(ei)) {
        if (!h.locked()) continue;
        free_units -= h.units;  // holdings count in what the licence counts as (rules/reassignment.hpp)
        disp.note += (disp.note.empty() ? "" : "; ") + std::to_string(h.units) + " unit(s) " + h.why;
        if (h.device.valid() || !h.user.empty())
          bound.push_back({ei, h.device, h.user, h.units,
                           RuleStep{RuleStep::Kind::reassignment,
                                    std::string(name(e.channel)) + " licence " + e.id + " " + h.why}});
        // A holder no longer in the fleet: the units stay with it and cover nothing here.
      }
    TRUEUP_CHECK(free_units >= 0, "holdings never exceed the licence's quantity");
    shared[{product, e.channel, disp.metric, disp.product.version, rules::software_assurance_active(e, as_of)}]
        .emplace_back(ei, free_units);
  }

  auto id_of = [&](EntitlementIndex a) -> const std::string& { return fleet.entitlement(a).id; };
  std::sort(bound.begin(), bound.end(), [&](const Bound& a, const Bound& b) {
    return std::tie(a.device, a.user, id_of(a.e)) < std::tie(b.device, b.user, id_of(b.e));
  });
  for (auto& b : bound) {
    const Entitlement& e = fleet.entitlement(b.e);
    const EntitlementDisposition& d = s.entitlements[b.e.value];
    Pool p{runs[b.e.value],
           e.channel,
           d.metric,
           b.units,
           {b.e},
           {b.units},
           b.device,
           b.user,
           d.product.version,
           std::move(b.binding),
           rules::software_assurance_active(e, as_of)};
    s.pools.push_back(std::move(p));
  }
  sort_qualifying(fleet, s.qualifying);
  // A price-list line prices a shortfall as bought today, with Software Assurance where the
  // licence needs it (SQL3): the price list states no SA, so an offer is taken to include it.
  for (const Price& price : fleet.prices)
    s.offers.push_back(
        {Pool{price.product, price.channel, price.metric, 0, {}, {}, {}, {}, price.product.version, std::nullopt, true},
         price.unit_cost.amount});
  s.bound_pools = s.pools.size();
  for (auto& [key, members] : shared) {
    std::sort(members.begin(), members.end(),
              [&](const auto& a, const auto& b) { return id_of(a.first) < id_of(b.first); });
    Pool p{std::get<0>(key), std::get<1>(key), std::get<2>(key), 0, {}, {}, {}, {},
           std::get<3>(key), std::nullopt,     std::get<4>(key)};
    for (const auto& [m, u] : members) {
      p.members.push_back(m);
      p.units.push_back(u);
      p.quantity += u;
    }
    s.pools.push_back(std::move(p));
  }
  return s;
}

std::optional<EntitlementIndex> Supply::qualifying_licence(DeviceIndex device, FamilyIndex family) const {
  const auto it = std::partition_point(qualifying.begin(), qualifying.end(), [&](const auto& q) {
    return std::tuple(std::get<0>(q), std::get<1>(q)) < std::tuple(device, family);
  });
  if (it != qualifying.end() && std::get<0>(*it) == device && std::get<1>(*it) == family) return std::get<2>(*it);
  return std::nullopt;
}

std::vector<std::size_t> Supply::bound_to(DeviceIndex device) const {
  const auto bound_end = pools.begin() + static_cast<std::ptrdiff_t>(bound_pools);
  auto it =
      std::lower_bound(pools.begin(), bound_end, device, [](const Pool& p, DeviceIndex x) { return p.bound < x; });
  std::vector<std::size_t> out;
  for (; it != bound_end && it->bound == device; ++it) out.push_back(static_cast<std::size_t>(it - pools.begin()));
  return out;
}

}  // namespace trueup
