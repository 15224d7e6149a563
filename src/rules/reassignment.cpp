// SPDX-License-Identifier: BSL-1.0
// File: src/rules/reassignment.cpp
//
// The 90-day reassignment rule (rules/reassignment.hpp): each licence's history replayed in
// date order, moves that did not lawfully happen undone, and each holding on the as-of date
// locked or free.
#include "trueup/rules/reassignment.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "trueup/rules/software_assurance.hpp"

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

/// The rows of licences on file that began on or before `as_of`, per licence in date order
/// (ties by source line, then holder); counts the rows of licences not on file.
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
    return std::tie(x.first, a.from, a.line, a.device, a.user) < std::tie(y.first, b.from, b.line, b.device, b.user);
  });
  return rows;
}

/// How a licence's units may move: the family's limit for its channel (nullptr: no limit), or
/// not at all (an upgrade licence without Software Assurance, O5).
struct Mobility {
  const ReassignmentRule* limit = nullptr;
  const UpgradeRule* bound = nullptr;  ///< set: its units stay where they were first assigned
};

Mobility mobility_of(const RulePack& pack, const Entitlement& ent, Date as_of) {
  const Family& family = pack.family(ent.product.family);
  // OEM licences never move (oem_binding.hpp); CALs are not tracked per holder.
  if (ent.channel == Channel::oem || family.assignment == Assignment::access) return {};
  Mobility m{family.reassignment_rule(ent.channel), nullptr};
  if (const UpgradeRule* u = family.upgrade_rule(ent.channel); u != nullptr && u->bound_without_sa) {
    const bool sa_active = (ent.sa_start || ent.sa_end) && !(ent.sa_start && as_of < *ent.sa_start) &&
                           !(ent.sa_end && *ent.sa_end < as_of);
    if (!sa_active) m.bound = u;
  }
  return m;
}

/// The units a licence holds in the history's terms: what it counts as (a licence converted by
/// Software Assurance to core licences holds core licences, SA5).
Units counted_units(const RulePack& pack, const Entitlement& ent, Date as_of) {
  if (const auto right = new_version_right(pack, ent, as_of); right && right->conversion != nullptr)
    return ent.quantity * right->units_per_licence;
  return ent.quantity;
}

std::string holder_of(const LicenceAssignment& a) { return a.device.empty() ? "user " + a.user : a.device; }

/// One licence's history replayed in date order (see the file comment of the header).
class Replay {
 public:
  Replay(const Fleet& fleet, const Entitlement& ent, EntitlementIndex e, Units quantity, Mobility m,
         const std::unordered_map<std::string_view, std::uint32_t>& device_of, Diagnostics& findings)
      : fleet_(fleet), ent_(ent), e_(e), left_(quantity), m_(m), device_of_(device_of), findings_(findings) {}

  void row(const LicenceAssignment& a) {
    const Units units = std::min(a.units, left_ + held_units());
    const Units free_units = std::min(units, left_);
    left_ -= free_units;
    Units moved = 0;
    for (Holding& src : held_) {  // oldest first
      if (moved == units - free_units) break;
      if (src.units == 0 || (src.device_id == a.device && src.user == a.user)) continue;
      const Units m = std::min(src.units, units - free_units - moved);
      if (const std::string why = unlawful(src, a); !why.empty()) {
        findings_.push_back(
            Diagnostic::about(Subject::history, m_.bound ? "moved-bound-licence" : "early-reassignment", why));
        continue;
      }
      src.units -= m;
      moved += m;
    }
    if (free_units + moved > 0) gain(a, free_units + moved);
  }

  /// The holdings left, in the order their holders first held units.
  std::vector<Holding> take() && {
    std::erase_if(held_, [](const Holding& h) { return h.units == 0; });
    return std::move(held_);
  }

 private:
  [[nodiscard]] Units held_units() const {
    Units n = 0;
    for (const Holding& h : held_) n += h.units;
    return n;
  }

  /// Why moving units of `src` to the holder of row `a` did not lawfully happen; empty when it
  /// did. An upgrade licence without SA never moves (O5); otherwise a `reassigned` row within
  /// the limit of the last *re*assignment of those units (V1: the first assignment starts no
  /// clock), unless the source device had failed by then (permanent hardware failure).
  [[nodiscard]] std::string unlawful(const Holding& src, const LicenceAssignment& a) const {
    const std::string move = ent_.id + " moved from " + src.holder() + " (held since " + src.since.iso() + ") to " +
                             holder_of(a) + " on " + a.from.iso();
    const std::string outcome = ": the move did not lawfully happen; " + ent_.id + " is counted on " + src.holder() +
                                ", and " + holder_of(a) + " needs a licence of its own";
    if (m_.bound != nullptr)
      return move +
             ", without active Software Assurance: an upgrade licence without SA stays on the device it was "
             "first assigned to (licensing-rules O5; " +
             m_.bound->source + ")" + outcome;
    if (m_.limit == nullptr || a.reason != AssignmentReason::reassigned || src.reason == AssignmentReason::initial)
      return {};
    const Date until = src.since.plus_days(static_cast<std::int32_t>(m_.limit->days));
    if (!(a.from < until)) return {};
    if (src.device.valid() && fleet_.device(src.device).status_on(a.from) == DeviceStatus::failed) return {};
    return move + ", " + std::to_string(a.from.days - src.since.days) + " days after its last reassignment, for no " +
           "exempt reason: not within " + std::to_string(m_.limit->days) + " days (" + m_.limit->source +
           "; licensing-rules V6)" + outcome;
  }

  void gain(const LicenceAssignment& a, Units units) {
    for (Holding& h : held_)
      if (h.device_id == a.device && h.user == a.user) {  // the same holder again: its newest row
        h.units += units;
        h.since = a.from;
        h.reason = a.reason;
        return;
      }
    Holding h;
    h.licence = e_;
    h.device_id = a.device;
    h.user = a.user;
    h.units = units;
    h.since = a.from;
    h.reason = a.reason;
    if (!a.device.empty())
      if (const auto d = device_of_.find(a.device); d != device_of_.end()) h.device = DeviceIndex{d->second};
    held_.push_back(std::move(h));
  }

  const Fleet& fleet_;
  const Entitlement& ent_;
  EntitlementIndex e_;
  Units left_;  ///< units no holder holds yet
  Mobility m_;
  const std::unordered_map<std::string_view, std::uint32_t>& device_of_;
  Diagnostics& findings_;
  std::vector<Holding> held_;
};

/// On the as-of date: an upgrade licence without SA is locked on its holder for good (O5); a
/// holding *re*assigned less than the limit ago is locked unless its holder is exempt: a device
/// that failed (permanent hardware failure or loss) or a user who left.
void lock(const Fleet& fleet, Date as_of, const Mobility& m, const ActiveUsers& active, Holding& h) {
  if (m.bound != nullptr) {
    h.locked_until = Date::from_ymd(9999, 12, 31);
    h.why = "assigned to " + h.holder() + " on " + h.since.iso() +
            ": an upgrade licence without active Software Assurance stays on the device it was first assigned to, "
            "and dies with it (licensing-rules O5; " +
            m.bound->source + ")";
    return;
  }
  if (m.limit == nullptr) return;
  const ReassignmentRule& rule = *m.limit;
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
  std::size_t unknown = 0;
  const std::vector<Row> rows = history_rows(fleet, as_of, unknown);
  if (unknown > 0)
    out.warnings.push_back(
        Diagnostic::about(Subject::history, "unknown-licence",
                          "expected the licences of the assignment history in entitlements.csv, found " +
                              std::to_string(unknown) + " assignment(s) of licences not listed; they are ignored"));

  for (std::size_t r = 0; r < rows.size();) {
    const std::uint32_t e = rows[r].first;
    const Entitlement& ent = fleet.entitlements[e];
    const Mobility m = mobility_of(pack, ent, as_of);
    Replay replay(fleet, ent, EntitlementIndex{e}, counted_units(pack, ent, as_of), m, device_of, out.warnings);
    for (; r < rows.size() && rows[r].first == e; ++r) replay.row(*rows[r].second);
    const auto first = static_cast<std::uint32_t>(out.held.size());
    for (Holding& h : std::move(replay).take()) {
      lock(fleet, as_of, m, active, h);
      out.held.push_back(std::move(h));
    }
    // Newest first, as the holdings of a licence are read (the most recent holder first).
    std::stable_sort(out.held.begin() + first, out.held.end(),
                     [](const Holding& a, const Holding& b) { return b.since < a.since; });
    out.of_licence[e] = {first, static_cast<std::uint32_t>(out.held.size())};
  }
  return out;
}

}  // namespace trueup::rules
