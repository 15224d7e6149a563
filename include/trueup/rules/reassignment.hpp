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
// licence's units were assigned and since when. On the as-of date a licence of quantity Q is
// held by its most recent assignments that began on or before that date, newest first, up to
// Q units (an assignment supersedes the oldest one still counted: a licence moved from PC-1
// to PC-2 is on PC-2). Each holding is then either
//
// - **locked**: *re*assigned less than the limit ago (V1 counts "since the last reassignment";
//   a first assignment, reason `initial`, does not start the clock) to a holder that is not
//   exempt. Its units may
//   cover only that holder (the solver treats them as bound, like an OEM licence), and cover
//   nothing if the holder no longer needs them: "inside the 90 days the licence stays where it
//   was" (V6: the former device still counts as licensed by it);
// - **free**: older than the limit, no limit for its channel, or exempt (the holder device
//   failed: permanent hardware failure or loss; a user holder left: no device in service has
//   them as its primary user). Free holdings steer stability: among optimal assignments the
//   solver keeps units where they were (solver/solver.hpp, level 3).
//
// A history that itself moved a licence too early (a `reassigned` row less than the limit
// after the previous row, the previous holder not exempt) is reported as an
// `early-reassignment` warning: the move was not compliant (V6).
//
// OEM licences are never locked (they are bound to their device for good, rules/
// oem_binding.hpp), and client access licences are not locked (their reassignment is not
// tracked per holder here); their holdings only keep the history continuous.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "trueup/io/diagnostic.hpp"
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
  ActiveUsers(const Fleet& fleet, Date as_of) {
    for (const Device& d : fleet.devices)
      if (!d.primary_user.empty() && d.ownership == Ownership::owned && d.status_on(as_of) == DeviceStatus::active)
        users_.push_back(d.primary_user);
    std::sort(users_.begin(), users_.end());
    users_.erase(std::unique(users_.begin(), users_.end()), users_.end());
  }
  [[nodiscard]] bool left(std::string_view user) const {
    return !std::binary_search(users_.begin(), users_.end(), user);
  }

 private:
  std::vector<std::string_view> users_;
};

/// The holdings of every licence on `as_of`, each locked or free (see the file comment).
[[nodiscard]] inline Holdings holdings_on(const RulePack& pack, const Fleet& fleet, Date as_of) {
  Holdings out;
  out.of_licence.assign(fleet.entitlements.size(), {0, 0});
  if (fleet.assignments.empty()) return out;
  const ActiveUsers active(fleet, as_of);
  std::size_t early = 0;
  std::string first_early;
  std::unordered_map<std::string_view, std::uint32_t> licence_of, device_of;
  for (std::uint32_t i = 0; i < fleet.entitlements.size(); ++i) licence_of.emplace(fleet.entitlements[i].id, i);
  for (std::uint32_t i = 0; i < fleet.devices.size(); ++i) device_of.emplace(fleet.devices[i].id, i);

  // Newest first per licence; ties by source line (later rows win), then holder.
  std::vector<std::pair<std::uint32_t, const LicenceAssignment*>> rows;
  std::size_t unknown = 0;
  for (const LicenceAssignment& a : fleet.assignments) {
    const auto it = licence_of.find(a.licence);
    if (it == licence_of.end()) {
      ++unknown;
      continue;
    }
    if (a.from <= as_of) rows.emplace_back(it->second, &a);
  }
  if (unknown > 0)
    out.warnings.push_back({Severity::warning, "assignments", 0, 0, "unknown-licence",
                            "expected the licences of the assignment history in entitlements.csv, found " +
                                std::to_string(unknown) + " assignment(s) of licences not listed; they are ignored"});
  std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
    const LicenceAssignment& a = *x.second;
    const LicenceAssignment& b = *y.second;
    if (x.first != y.first) return x.first < y.first;
    if (a.from != b.from) return a.from > b.from;
    if (a.line != b.line) return a.line > b.line;
    return std::tie(a.device, a.user) < std::tie(b.device, b.user);
  });

  for (std::size_t r = 0; r < rows.size();) {
    const std::uint32_t e = rows[r].first;
    const Entitlement& ent = fleet.entitlements[e];
    const Family& family = pack.family(ent.product.family);
    const ReassignmentRule* rule =
        ent.channel == Channel::oem || family.assignment == Assignment::access ? nullptr : family.reassignment_rule(ent.channel);
    const auto first = static_cast<std::uint32_t>(out.held.size());
    // V6: a one-unit licence the history moved again within the limit, for no exempt reason.
    if (rule != nullptr && ent.quantity == 1)
      for (std::size_t k = r; k + 1 < rows.size() && rows[k + 1].first == e; ++k) {
        const LicenceAssignment& later = *rows[k].second;
        const LicenceAssignment& earlier = *rows[k + 1].second;
        if (later.reason != AssignmentReason::reassigned || (earlier.device == later.device && earlier.user == later.user) ||
            !(later.from < earlier.from.plus_days(static_cast<std::int32_t>(rule->days))))
          continue;
        if (++early == 1)
          first_early = ent.id + " moved from " + (earlier.device.empty() ? "user " + earlier.user : earlier.device) +
                        " (" + earlier.from.iso() + ") to " + (later.device.empty() ? "user " + later.user : later.device) +
                        " (" + later.from.iso() + ")";
      }
    Units left = ent.quantity;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;  // holder -> index in out.held
    for (; r < rows.size() && rows[r].first == e; ++r) {
      const LicenceAssignment& a = *rows[r].second;
      if (left == 0) continue;  // beyond the quantity: superseded
      Holding h;
      h.licence = EntitlementIndex{e};
      h.device_id = a.device;
      h.user = a.user;
      h.units = std::min(a.units, left);
      h.since = a.from;
      h.reason = a.reason;
      left -= h.units;
      if (!a.device.empty())
        if (const auto d = device_of.find(a.device); d != device_of.end()) h.device = DeviceIndex{d->second};
      // The same holder twice (two rows for one device): one holding, from the newest row.
      if (const auto [same, fresh] = seen.try_emplace({h.device_id, h.user}, out.held.size()); !fresh) {
        out.held[same->second].units += h.units;
        continue;
      }
      if (rule != nullptr && h.reason != AssignmentReason::initial &&
          as_of < h.since.plus_days(static_cast<std::int32_t>(rule->days))) {
        const Date until = h.since.plus_days(static_cast<std::int32_t>(rule->days));
        const std::string since = " since " + h.since.iso() + ", less than " + std::to_string(rule->days) + " days";
        if (h.device.valid() && fleet.device(h.device).status_on(as_of) == DeviceStatus::failed) {
          const Device& dev = fleet.device(h.device);
          h.why = "assigned to " + dev.id + since + ", but " + dev.id + " failed" +
                  (dev.status_date ? " on " + dev.status_date->iso() : std::string()) +
                  ": permanent hardware failure frees it (" + rule->source + ")";
        } else if (!h.user.empty() && active.left(h.user)) {
          h.why = "assigned to user " + h.user + since + ", but the user has left (no device in service): "
                  "a leaver's licence may move at once (" + rule->source + ")";
        } else {
          h.locked_until = until;
          h.why = "assigned to " + h.holder() + " on " + h.since.iso() + ": may not be reassigned before " +
                  until.iso() + " (" + std::to_string(rule->days) + "-day rule; " + rule->source + ")";
        }
      }
      out.held.push_back(std::move(h));
    }
    out.of_licence[e] = {first, static_cast<std::uint32_t>(out.held.size())};
  }
  if (early > 0)
    out.warnings.push_back({Severity::warning, "assignments", 0, 0, "early-reassignment",
                            "expected licences to stay at least the reassignment limit with their holder, found " +
                                std::to_string(early) + " move(s) in the history made sooner for no exempt reason (" +
                                first_early +
                                "); such a move is not compliant (licensing-rules V1, V6), the licence is counted "
                                "where the history puts it"});
  return out;
}

}  // namespace rules
}  // namespace trueup
