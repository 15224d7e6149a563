// SPDX-License-Identifier: BSL-1.0
// File: src/rules/reassignment.cpp
//
// The 90-day reassignment rule (rules/reassignment.hpp): the history read on the as-of date,
// each licence's holdings newest first up to its quantity, each holding locked or free.
#include "trueup/rules/reassignment.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace trueup::rules {

ActiveUsers::ActiveUsers(const Fleet& fleet, Date as_of) {
  for (const Device& d : fleet.devices)
    if (!d.primary_user.empty() && d.ownership == Ownership::owned && d.status_on(as_of) == DeviceStatus::active)
      users_.push_back(d.primary_user);
  std::sort(users_.begin(), users_.end());
  users_.erase(std::unique(users_.begin(), users_.end()), users_.end());
}

bool ActiveUsers::left(std::string_view user) const { return !std::binary_search(users_.begin(), users_.end(), user); }

namespace {

/// A history row of a licence on file, with the licence's index.
using Row = std::pair<std::uint32_t, const LicenceAssignment*>;

/// The rows of licences on file that began on or before `as_of`, per licence newest first
/// (ties by source line, later rows win, then holder); counts the rows of licences not on file.
std::vector<Row> history_rows(const Fleet& fleet, Date as_of, std::size_t& unknown) {
  std::unordered_map<std::string_view, std::uint32_t> licence_of;
  for (std::uint32_t i = 0; i < fleet.entitlements.size(); ++i) licence_of.emplace(fleet.entitlements[i].id, i);
  std::vector<Row> rows;
  for (const LicenceAssignment& a : fleet.assignments) {
    const auto it = licence_of.find(a.licence);
    if (it == licence_of.end()) {
      ++unknown;
      continue;
    }
    if (a.from <= as_of) rows.emplace_back(it->second, &a);
  }
  std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    const LicenceAssignment& a = *x.second;
    const LicenceAssignment& b = *y.second;
    if (x.first != y.first) return x.first < y.first;
    if (a.from != b.from) return a.from > b.from;
    if (a.line != b.line) return a.line > b.line;
    return std::tie(a.device, a.user) < std::tie(b.device, b.user);
  });
  return rows;
}

/// V6: moves of a one-unit licence that the history made again within the limit, for no
/// exempt reason, among its rows [first, last). Returns how many; describes the first.
std::size_t early_moves(const std::vector<Row>& rows, std::size_t first, std::size_t last, const Entitlement& ent,
                        const ReassignmentRule& rule, std::string& first_early) {
  std::size_t early = 0;
  for (std::size_t k = first; k + 1 < last; ++k) {
    const LicenceAssignment& later = *rows[k].second;
    const LicenceAssignment& earlier = *rows[k + 1].second;
    if (later.reason != AssignmentReason::reassigned ||
        (earlier.device == later.device && earlier.user == later.user) ||
        !(later.from < earlier.from.plus_days(static_cast<std::int32_t>(rule.days))))
      continue;
    if (++early == 1 && first_early.empty())
      first_early = ent.id + " moved from " + (earlier.device.empty() ? "user " + earlier.user : earlier.device) +
                    " (" + earlier.from.iso() + ") to " + (later.device.empty() ? "user " + later.user : later.device) +
                    " (" + later.from.iso() + ")";
  }
  return early;
}

/// Locks a holding *re*assigned less than the limit ago, unless its holder is exempt: a
/// device that failed (permanent hardware failure or loss) or a user who left.
void apply_limit(const Fleet& fleet, Date as_of, const ReassignmentRule& rule, const ActiveUsers& active, Holding& h) {
  const Date until = h.since.plus_days(static_cast<std::int32_t>(rule.days));
  if (h.reason == AssignmentReason::initial || !(as_of < until)) return;
  const std::string since = " since " + h.since.iso() + ", less than " + std::to_string(rule.days) + " days";
  if (h.device.valid() && fleet.device(h.device).status_on(as_of) == DeviceStatus::failed) {
    const Device& dev = fleet.device(h.device);
    h.why = "assigned to " + dev.id + since + ", but " + dev.id + " failed" +
            (dev.status_date ? " on " + dev.status_date->iso() : std::string()) +
            ": permanent hardware failure frees it (" + rule.source + ")";
  } else if (!h.user.empty() && active.left(h.user)) {
    h.why = "assigned to user " + h.user + since +
            ", but the user has left (no device in service): a leaver's licence may move at once (" + rule.source + ")";
  } else {
    h.locked_until = until;
    h.why = "assigned to " + h.holder() + " on " + h.since.iso() + ": may not be reassigned before " + until.iso() +
            " (" + std::to_string(rule.days) + "-day rule; " + rule.source + ")";
  }
}

}  // namespace

Holdings holdings_on(const RulePack& pack, const Fleet& fleet, Date as_of) {
  Holdings out;
  out.of_licence.assign(fleet.entitlements.size(), {0, 0});
  if (fleet.assignments.empty()) return out;
  const ActiveUsers active(fleet, as_of);
  std::unordered_map<std::string_view, std::uint32_t> device_of;
  for (std::uint32_t i = 0; i < fleet.devices.size(); ++i) device_of.emplace(fleet.devices[i].id, i);
  std::size_t unknown = 0, early = 0;
  std::string first_early;
  const std::vector<Row> rows = history_rows(fleet, as_of, unknown);
  if (unknown > 0)
    out.warnings.push_back(
        Diagnostic::about(Subject::history, "unknown-licence",
                          "expected the licences of the assignment history in entitlements.csv, found " +
                              std::to_string(unknown) + " assignment(s) of licences not listed; they are ignored"));

  for (std::size_t r = 0; r < rows.size();) {
    const std::uint32_t e = rows[r].first;
    std::size_t last = r;
    while (last < rows.size() && rows[last].first == e) ++last;
    const Entitlement& ent = fleet.entitlements[e];
    const Family& family = pack.family(ent.product.family);
    // OEM licences never move (oem_binding.hpp); CALs are not tracked per holder.
    const ReassignmentRule* rule = ent.channel == Channel::oem || family.assignment == Assignment::access
                                       ? nullptr
                                       : family.reassignment_rule(ent.channel);
    if (rule != nullptr && ent.quantity == 1) early += early_moves(rows, r, last, ent, *rule, first_early);
    const auto first = static_cast<std::uint32_t>(out.held.size());
    Units left = ent.quantity;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;  // holder -> index in out.held
    for (; r < last; ++r) {
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
      if (rule != nullptr) apply_limit(fleet, as_of, *rule, active, h);
      out.held.push_back(std::move(h));
    }
    out.of_licence[e] = {first, static_cast<std::uint32_t>(out.held.size())};
  }
  if (early > 0)
    out.warnings.push_back(Diagnostic::about(
        Subject::history, "early-reassignment",
        "expected licences to stay at least the reassignment limit with their holder, found " + std::to_string(early) +
            " move(s) in the history made sooner for no exempt reason (" + first_early +
            "); such a move is not compliant (licensing-rules V1, V6), the licence is counted where the history puts "
            "it"));
  return out;
}

}  // namespace trueup::rules
