// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/pool.hpp
//
// Supply: entitlements grouped into pools of interchangeable licence units. Licences that
// share every eligibility-relevant attribute (product, channel, metric, version on record) form
// one pool whose quantity is the sum of theirs; the members are kept in id order so that units
// are handed out deterministically. An OEM licence is its own pool, bound to its device
// (rules/oem_binding.hpp), and so are units the 90-day rule keeps with their holder
// (rules/reassignment.hpp). Everything is judged on the as-of date: a licence bought after it,
// or a subscription outside its term, counts for nothing. Every entitlement is either counted
// in pools or void with its reason: nothing is dropped.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "trueup/check.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/demand/rule_step.hpp"
#include "trueup/rules/oem_binding.hpp"
#include "trueup/rules/reassignment.hpp"
#include "trueup/rules/software_assurance.hpp"

namespace trueup {

struct Pool {
  ProductRef product;  ///< what its licences may run: the version on record, or a later one by SA
  Channel channel = Channel::volume;
  Metric metric = Metric::device;
  Units quantity = 0;
  std::vector<EntitlementIndex> members;  ///< in entitlement-id order
  std::vector<Units> units;               ///< parallel to members: the units each puts in
  /// Bound pools: the only device (OEM, or a licence locked by the 90-day rule) or user (a
  /// locked user licence) its units may cover.
  DeviceIndex bound;
  std::string bound_user;
  /// The version on the licences' records, when Software Assurance lets them run `product`'s
  /// later one (rules/software_assurance.hpp).
  std::uint16_t licensed_version = 0;
  /// A bound pool's binding, as evidence: the OEM binding or the reassignment lock.
  std::optional<RuleStep> binding;

  [[nodiscard]] bool is_bound() const { return bound.valid() || !bound_user.empty(); }
  [[nodiscard]] bool by_software_assurance() const { return licensed_version != product.version; }
};

struct EntitlementDisposition {
  bool counted = false;
  std::string reason;  ///< why it is void
  std::string note;    ///< when counted: Software Assurance rights, locks by the 90-day rule
};

struct Supply {
  /// Device-bound pools first (by device, then id), then user-bound pools (by user, then id),
  /// then shared pools by key.
  std::vector<Pool> pools;
  std::vector<EntitlementDisposition> entitlements;  ///< parallel to Fleet::entitlements
  std::size_t bound_pools = 0;  ///< device- and user-bound pools: [0, bound_pools)
};

namespace detail {
/// Why an entitlement counts for nothing on `as_of`, or nullopt.
inline std::optional<std::string> void_reason(const Fleet& fleet, const Entitlement& e, Date as_of) {
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
}  // namespace detail

/// Groups the entitlements counted on `as_of` into pools. Units that the 90-day rule keeps with
/// their holder (`holdings`, rules/reassignment.hpp) form bound pools of their own; the rest of
/// each licence joins its shared pool, keyed by (product it may run, channel, metric, version
/// on record).
[[nodiscard]] inline Supply build_supply(const RulePack& pack, const Fleet& fleet, Date as_of,
                                         const Holdings& holdings = {}) {
  Supply s;
  s.entitlements.resize(fleet.entitlements.size());
  struct Bound {
    EntitlementIndex e;
    DeviceIndex device;
    std::string user;
    Units units;
    std::optional<RuleStep> binding;
  };
  std::vector<Bound> bound;
  std::map<std::tuple<ProductRef, Channel, Metric, std::uint16_t>, std::vector<std::pair<EntitlementIndex, Units>>> shared;
  std::vector<ProductRef> runs(fleet.entitlements.size());

  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementIndex ei{static_cast<EntitlementIndex::value_type>(i)};
    TRUEUP_CHECK(e.quantity >= 0, "readers reject negative quantities");
    EntitlementDisposition& disp = s.entitlements[i];
    if (auto why = detail::void_reason(fleet, e, as_of)) {
      disp.reason = std::move(*why);
      continue;
    }
    disp.counted = true;
    ProductRef product = e.product;
    if (auto right = rules::new_version_right(pack, e, as_of)) {
      product.version = right->version;
      disp.note = std::move(right->why);
    }
    runs[i] = product;
    if (e.channel == Channel::oem) {
      bound.push_back({ei, e.device, {}, e.quantity,
                       RuleStep{RuleStep::Kind::oem_binding, "OEM licence " + e.id + " bound to " + fleet.device(e.device).id +
                                                                 (fleet.device(e.device).motherboard == MotherboardChange::after_failure
                                                                      ? " (its motherboard was replaced after a failure: "
                                                                        "the same computer, licensing-rules O3)"
                                                                      : "")}});
      continue;
    }
    Units free_units = e.quantity;
    if (!holdings.of_licence.empty())
      for (const Holding& h : holdings.of(ei)) {
        if (!h.locked()) continue;
        free_units -= h.units;
        disp.note += (disp.note.empty() ? "" : "; ") + std::to_string(h.units) + " unit(s) " + h.why;
        if (h.device.valid() || !h.user.empty())
          bound.push_back({ei, h.device, h.user, h.units,
                           RuleStep{RuleStep::Kind::reassignment, std::string(name(e.channel)) + " licence " + e.id + " " + h.why}});
        // A holder no longer in the fleet: the units stay with it and cover nothing here.
      }
    TRUEUP_CHECK(free_units >= 0, "holdings never exceed the licence's quantity");
    shared[{product, e.channel, e.metric, e.product.version}].emplace_back(ei, free_units);
  }

  auto id_of = [&](EntitlementIndex a) -> const std::string& { return fleet.entitlement(a).id; };
  std::sort(bound.begin(), bound.end(), [&](const Bound& a, const Bound& b) {
    return std::tie(a.device, a.user, id_of(a.e)) < std::tie(b.device, b.user, id_of(b.e));
  });
  for (auto& b : bound) {
    const Entitlement& e = fleet.entitlement(b.e);
    Pool p{runs[b.e.value], e.channel, e.metric, b.units, {b.e}, {b.units}, b.device, b.user, e.product.version,
           std::move(b.binding)};
    s.pools.push_back(std::move(p));
  }
  s.bound_pools = s.pools.size();
  for (auto& [key, members] : shared) {
    std::sort(members.begin(), members.end(), [&](const auto& a, const auto& b) { return id_of(a.first) < id_of(b.first); });
    Pool p{std::get<0>(key), std::get<1>(key), std::get<2>(key), 0, {}, {}, {}, {}, std::get<3>(key), std::nullopt};
    for (const auto& [m, u] : members) {
      p.members.push_back(m);
      p.units.push_back(u);
      p.quantity += u;
    }
    s.pools.push_back(std::move(p));
  }
  return s;
}

}  // namespace trueup
