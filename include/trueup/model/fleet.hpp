// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/fleet.hpp
//
// Everything read about one organisation: devices, installs and entitlements. Readers build a
// Fleet only from fully valid input, so every `DeviceIndex` in an install or entitlement is
// valid (or, for entitlements, deliberately absent) and every id is unique within its table.
#pragma once

#include <vector>

#include "trueup/model/device.hpp"
#include "trueup/model/entitlement.hpp"
#include "trueup/model/install.hpp"
#include "trueup/model/licence_assignment.hpp"
#include "trueup/model/price.hpp"

namespace trueup {

/// Access to a server (access.csv): a user, from a device, uses a server. Each access needs a
/// CAL of the server's version or later, for the user or for the device (CAL1, CAL2); an access
/// through a service (a Remote Desktop session) also needs the CALs of that service (CAL3).
/// Either `user` or `device` may be absent, not both.
struct Access {
  DeviceIndex server;
  std::string user;
  DeviceIndex device;
  std::string service;  ///< a `service` of a CAL family of the pack ("remote-desktop"), or empty
  std::uint32_t line = 0;
};

struct Fleet {
  std::vector<Device> devices;
  std::vector<Install> installs;
  std::vector<Entitlement> entitlements;
  std::vector<Access> access;  ///< empty when access.csv was not given
  bool has_access = false;     ///< access.csv was given (even if empty)
  /// Where licences were assigned before this run (assignments.csv or the state store), in
  /// any order; rules/reassignment.hpp reads the holders on the as-of date from it.
  std::vector<LicenceAssignment> assignments;
  /// The price list (prices.csv), empty when not given: unit costs of licences one could buy.
  std::vector<Price> prices;

  [[nodiscard]] const Device& device(DeviceIndex i) const { return devices.at(i.value); }
  [[nodiscard]] const Install& install(InstallIndex i) const { return installs.at(i.value); }
  [[nodiscard]] const Entitlement& entitlement(EntitlementIndex i) const { return entitlements.at(i.value); }
};

}  // namespace trueup
