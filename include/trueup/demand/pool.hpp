// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/pool.hpp
//
// Supply: entitlements grouped into pools of interchangeable licence units. Licences that
// share every eligibility-relevant attribute (product, channel, metric) form one pool whose quantity
// is the sum of theirs; the members are kept in id order so that units are handed out
// deterministically. An OEM licence is its own pool, bound to its device
// (rules/oem_binding.hpp). Every entitlement is either counted in a pool or void with its
// reason: nothing is dropped.
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
#include "trueup/rules/oem_binding.hpp"

namespace trueup {

struct Pool {
  ProductRef product;
  Channel channel = Channel::volume;
  Metric metric = Metric::device;
  Units quantity = 0;
  std::vector<EntitlementIndex> members;  ///< in entitlement-id order
  DeviceIndex bound;                      ///< OEM: the only device it may cover

  [[nodiscard]] bool is_bound() const { return bound.valid(); }
};

struct EntitlementDisposition {
  bool counted = false;
  std::string reason;  ///< why it is void
};

struct Supply {
  std::vector<Pool> pools;  ///< bound pools first (by device, then id), then shared pools by key
  std::vector<EntitlementDisposition> entitlements;  ///< parallel to Fleet::entitlements
  std::size_t bound_pools = 0;
};

[[nodiscard]] inline Supply build_supply([[maybe_unused]] const RulePack& pack, const Fleet& fleet) {
  Supply s;
  s.entitlements.resize(fleet.entitlements.size());
  std::vector<EntitlementIndex> bound;
  std::map<std::tuple<ProductRef, Channel, Metric>, std::vector<EntitlementIndex>> shared;

  for (std::size_t i = 0; i < fleet.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementIndex ei{static_cast<EntitlementIndex::value_type>(i)};
    TRUEUP_CHECK(e.quantity >= 0, "readers reject negative quantities");
    if (e.channel == Channel::oem) {
      const Device* dev = e.device.valid() ? &fleet.device(e.device) : nullptr;
      if (auto why = rules::oem_void_reason(dev)) {
        s.entitlements[i].reason = std::move(*why);
        continue;
      }
      bound.push_back(ei);
    } else {
      shared[{e.product, e.channel, e.metric}].push_back(ei);
    }
    s.entitlements[i].counted = true;
  }

  auto by_id = [&](EntitlementIndex a, EntitlementIndex b) {
    return fleet.entitlement(a).id < fleet.entitlement(b).id;
  };
  std::sort(bound.begin(), bound.end(), [&](EntitlementIndex a, EntitlementIndex b) {
    const auto& ea = fleet.entitlement(a);
    const auto& eb = fleet.entitlement(b);
    return std::tie(ea.device, ea.id) < std::tie(eb.device, eb.id);
  });
  auto add = [&](ProductRef product, Channel channel, Metric metric, std::vector<EntitlementIndex> members,
                 DeviceIndex dev) {
    Pool p{product, channel, metric, 0, std::move(members), dev};
    for (auto m : p.members) p.quantity += fleet.entitlement(m).quantity;
    s.pools.push_back(std::move(p));
  };
  for (auto ei : bound) {
    const Entitlement& e = fleet.entitlement(ei);
    add(e.product, e.channel, e.metric, {ei}, e.device);
  }
  s.bound_pools = s.pools.size();
  for (auto& [key, members] : shared) {
    std::sort(members.begin(), members.end(), by_id);
    add(std::get<0>(key), std::get<1>(key), std::get<2>(key), std::move(members), DeviceIndex{});
  }
  return s;
}

}  // namespace trueup
