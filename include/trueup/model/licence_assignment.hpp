// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/licence_assignment.hpp
//
// Where a licence was assigned, and since when: the history that the 90-day reassignment rule
// reads (licensing-rules V1, R2, V6). A record says that `units` units of licence `licence`
// were assigned to a device or to a user from a date, for a reason. Records come from
// assignments.csv (docs/formats.md) or from the state store of earlier runs (docs/state.md);
// both speak in the users' string ids, so that history survives changes to the input files.
//
// Invariant: exactly one of `device` and `user` is non-empty; `units` > 0.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trueup/enum_table.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/date.hpp"

namespace trueup {

/// Why a licence came to its holder. `hardware_failure` and `user_left` are the exemptions of
/// the 90-day rule (V1: "Permanent hardware failure or loss; Termination of the user's
/// employment or contract"; R2: Office retail "except due to hardware failure").
enum class AssignmentReason : std::uint8_t { initial, reassigned, hardware_failure, user_left };

struct LicenceAssignment {
  std::string licence;  ///< licence_id of the entitlement
  std::string device;   ///< the device holding it, or empty
  std::string user;     ///< the user holding it (per-user licences), or empty
  Units units = 1;
  Date from;
  AssignmentReason reason = AssignmentReason::initial;
  std::uint32_t line = 0;  ///< source line in assignments.csv; 0 from the state store

  friend bool operator==(const LicenceAssignment&, const LicenceAssignment&) = default;
};

template <>
struct EnumTable<AssignmentReason> {
  static constexpr std::array<EnumEntry<AssignmentReason>, 4> entries{
      {{AssignmentReason::initial, "initial", "initial"},
       {AssignmentReason::reassigned, "reassigned", "reassigned"},
       {AssignmentReason::hardware_failure, "hardware_failure", "hardware-failure"},
       {AssignmentReason::user_left, "user_left", "user-left"}}};
};

}  // namespace trueup
