// SPDX-License-Identifier: BSL-1.0
// File: src/core/ledger.hpp
//
// The ledger of a run: which licence units are still free, and which entitlement each unit
// handed out came from. Every stage takes units through it and only through it.
//
// Invariants (`balanced`, checked by reconcile() at the end of every run):
// - per pool, the units left = its quantity - the units handed out of it, member by member;
// - per entitlement, `EntitlementUse::consumed` = the units handed out of it;
// - no member hands out more than it put into its pool.
//
// Units of a pool are handed out member by member in id order; a licence that was on the
// demand's own device before (its history, or a retail record's device) is handed out to
// that device first (`take_own_device`), so that licences stay where they were and the
// evidence never claims a move that did not happen (units of one pool are interchangeable,
// so this changes no count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "trueup/demand/pool.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/rules/reassignment.hpp"

namespace trueup::core {

class Ledger {
 public:
  /// \pre `uses` is parallel to the fleet's entitlements and outlives the ledger.
  Ledger(const Fleet& fleet, const Supply& supply, const Holdings& holdings, std::vector<EntitlementUse>& uses);

  /// Units of pool `q` not handed out yet.
  [[nodiscard]] Units left(std::size_t q) const { return pools_[q].total; }
  /// Units of member `m` of pool `q` not handed out yet.
  [[nodiscard]] Units left(std::size_t q, std::size_t m) const { return pools_[q].left[m]; }
  /// Whether some member of pool `q` was on a device before this run.
  [[nodiscard]] bool remembers_devices(std::size_t q) const { return !pools_[q].by_device.empty(); }

  /// Hands out `units` of pool `q`, members in id order, appending them to `out`.
  /// \pre units <= left(q)
  void take(std::size_t q, Units units, std::vector<Allocation>& out);
  /// Hands out up to `units` of member `m` of pool `q`; returns how many it handed out.
  Units take_member(std::size_t q, std::size_t m, Units units, std::vector<Allocation>& out);
  /// Hands out up to `units` of the members of pool `q` that were on `device` before; returns
  /// how many it handed out.
  Units take_own_device(std::size_t q, DeviceIndex device, Units units, std::vector<Allocation>& out);

  /// The invariants of the file comment, recounted. To be used in a TRUEUP_CHECK.
  [[nodiscard]] bool balanced() const;

 private:
  struct PoolState {
    std::vector<Units> left;                                       ///< per member
    Units total = 0;                                               ///< sum of `left`
    std::size_t next = 0;                                          ///< no member before it has units left
    std::vector<std::pair<DeviceIndex, std::uint32_t>> by_device;  ///< (previous device, member), sorted
  };

  const Supply& supply_;
  std::vector<PoolState> pools_;
  std::vector<EntitlementUse>& uses_;
};

/// The devices licence `e` was on before this run: its free holdings (rules/reassignment.hpp),
/// or, without history, the device a retail record names.
void previous_devices(const Fleet& fleet, const Holdings& holdings, EntitlementIndex e, std::vector<DeviceIndex>& out);

}  // namespace trueup::core
