// SPDX-License-Identifier: BSL-1.0
// File: trueup/fwd.hpp
//
// Index types and number aliases shared by every stage. Records (devices, installs,
// entitlements) keep their users' string ids; inside the pipeline they are addressed by dense
// indices into the fleet's vectors, typed so that a device index cannot be passed where an
// install index is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace trueup {

/// A dense, typed index into one of the fleet's record vectors.
template <class Tag>
struct Index {
  using value_type = std::uint32_t;
  static constexpr value_type npos = std::numeric_limits<value_type>::max();

  value_type value = npos;

  constexpr Index() = default;
  constexpr explicit Index(value_type v) : value(v) {}
  [[nodiscard]] constexpr bool valid() const { return value != npos; }
  friend constexpr auto operator<=>(Index, Index) = default;
};

using DeviceIndex = Index<struct DeviceTag>;
using InstallIndex = Index<struct InstallTag>;
using EntitlementIndex = Index<struct EntitlementTag>;
using FamilyIndex = Index<struct FamilyTag>;

/// Licence units in a demand's or a pool's metric (devices, core licences, processors ...).
using Units = std::int64_t;

struct RulePack;
struct Device;
struct Install;
struct Entitlement;
struct Fleet;
struct Demand;
struct Pool;
struct Position;

}  // namespace trueup

template <class Tag>
struct std::hash<trueup::Index<Tag>> {
  std::size_t operator()(trueup::Index<Tag> i) const noexcept { return i.value; }
};
