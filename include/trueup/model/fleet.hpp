// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/fleet.hpp
//
// Everything read about one organisation: devices, installs and entitlements. Readers build a
// Fleet only from fully valid input, so every `DeviceIndex` in an install or entitlement is
// valid (or, for entitlements, deliberately absent) and every id is unique within its table.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trueup/model/device.hpp"
#include "trueup/model/entitlement.hpp"
#include "trueup/model/install.hpp"

namespace trueup {

struct Fleet {
  std::vector<Device> devices;
  std::vector<Install> installs;
  std::vector<Entitlement> entitlements;

  [[nodiscard]] const Device& device(DeviceIndex i) const { return devices.at(i.value); }
  [[nodiscard]] const Install& install(InstallIndex i) const { return installs.at(i.value); }
  [[nodiscard]] const Entitlement& entitlement(EntitlementIndex i) const {
    return entitlements.at(i.value);
  }

  /// Index of the device with that id, or an invalid index.
  [[nodiscard]] DeviceIndex find_device(std::string_view id) const {
    if (device_by_id_.size() != devices.size()) reindex();
    auto it = device_by_id_.find(std::string(id));
    return it == device_by_id_.end() ? DeviceIndex{} : it->second;
  }

 private:
  void reindex() const {
    device_by_id_.clear();
    for (std::size_t i = 0; i < devices.size(); ++i)
      device_by_id_.emplace(devices[i].id, DeviceIndex{static_cast<DeviceIndex::value_type>(i)});
  }
  mutable std::unordered_map<std::string, DeviceIndex> device_by_id_;
};

}  // namespace trueup
