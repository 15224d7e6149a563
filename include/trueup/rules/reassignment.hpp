// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/reassignment.hpp
//
// Rule: a licence may be reassigned, but not within 90 days of its last assignment.
//
// "Customer may reassign a License to another device or user, but not less than 90 days since
// the last reassignment of that same License, unless the reassignment is due to: Permanent
// hardware failure or loss; Termination of the user's employment or contract; ..." (licensing-
// rules V1, Product Terms, Universal License Terms). Office retail: "not more than one time
// every 90 days (except due to hardware failure...)" (R2). Windows Server: "as often as every
// 90 days" (V4). The pack states which channels of which family have the limit
// (`Family::reassignment`); the exemptions are fixed here.
//
// The history (`Fleet::assignments`, from assignments.csv or the state store) says where each
// licence's units were assigned and since when. It is replayed in date order: a row gives its
// holder units the licence has free, else takes them from the other holders, the longest-held
// first (a licence moved from PC-1 to PC-2 is on PC-2). A move that did not lawfully happen is
// undone, and reported (`early-reassignment`, naming both holders and the dates): a
// `reassigned` row within the limit of the last *re*assignment of the units it takes (V1
// counts "since the last reassignment": a first assignment starts no clock), unless the device
// that held them had failed (permanent hardware failure). The licence then stays with its
// previous holder, and the new holder needs a licence of its own (V1, V6). Licences of several
// units (core licences moved between hosts) are replayed unit by unit in the same way.
//
// An upgrade licence without active Software Assurance (UpgradeRule::bound_without_sa: volume
// Windows desktop upgrades, O5) never moves: it stays on the device it was first assigned to,
// and dies with it; a later row that moves it is reported (`moved-bound-licence`).
//
// On the as-of date each holding is then either
//
// - **locked**: *re*assigned less than the limit ago to a holder that is not exempt, or an
//   upgrade licence bound by O5. Its units may cover only that holder (the solver treats them
//   as bound, like an OEM licence), and cover nothing if the holder no longer needs them:
//   "inside the 90 days the licence stays where it was" (V6);
// - **free**: older than the limit, no limit for its channel, or exempt (the holder device
//   failed: permanent hardware failure or loss; a user holder left: no device in service has
//   them as its primary user). Free holdings steer stability: among optimal assignments the
//   solver keeps units where they were (solver/solver.hpp, level 3).
//
// Units are counted as the licence counts them: a licence converted by Software Assurance to
// core licences (SA5) holds core licences. OEM licences are never locked (they are bound to
// their device for good, rules/oem_binding.hpp), and client access licences are not locked
// (their reassignment is not tracked per holder here); their holdings only keep the history
// continuous.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trueup/diagnostic.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup {

/// Units of one licence held by one device or user on the as-of date.
struct Holding {
  EntitlementIndex licence;
  DeviceIndex device;     ///< the holder device, when it is in the fleet
  std::string device_id;  ///< the holder device as recorded (empty for a user)
  std::string user;       ///< the holder user (empty for a device)
  Units units = 0;
  Date since;
  AssignmentReason reason = AssignmentReason::initial;
  std::optional<Date> locked_until;  ///< set when the rule keeps the units where they are
  std::string why;                   ///< the lock, or the exemption that frees the units

  [[nodiscard]] bool locked() const { return locked_until.has_value(); }
  [[nodiscard]] std::string holder() const { return user.empty() ? device_id : "user " + user; }
};

struct Holdings {
  std::vector<Holding> held;  ///< by licence index, then newest first
  Diagnostics warnings;
  /// Per entitlement: the range of `held` that is its holdings.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> of_licence;

  [[nodiscard]] std::span<const Holding> of(EntitlementIndex e) const {
    const auto [first, last] = of_licence.at(e.value);
    return {held.data() + first, held.data() + last};
  }
};

namespace rules {

/// The users still with the organisation on `as_of`: the primary users of owned devices in
/// service. A user holder not among them has left (V1: "Termination of the user's employment").
class ActiveUsers {
 public:
  ActiveUsers(const Fleet& fleet, Date as_of);
  [[nodiscard]] bool left(std::string_view user) const;

 private:
  std::vector<std::string_view> users_;  ///< sorted, into the fleet's devices
};

/// The holdings of every licence on `as_of`, each locked or free (see the file comment), and
/// the history's warnings (assignments of licences not on file, moves made too early).
[[nodiscard]] Holdings holdings_on(const RulePack& pack, const Fleet& fleet, Date as_of);

}  // namespace rules
}  // namespace trueup
