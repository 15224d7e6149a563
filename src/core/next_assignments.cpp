// SPDX-License-Identifier: BSL-1.0
// File: src/core/next_assignments.cpp
//
// The assignments a position leaves behind: which device or user holds which licence's units
// after this run, since when, and why. They are what the next run reads as history (the state
// store, docs/state.md, or assignments.csv written by `--write-assignments`), so that the
// 90-day rule (rules/reassignment.hpp) sees this run's moves.
//
// For each licence: the units in use now, by holder (the device of the install they cover,
// the server for a host licence, the user for a user licence or user CAL); a holder that held
// units before keeps its `from` date and reason for as many units as it held; every other unit
// is a new assignment from the as-of date: as many as former holders lost are moves, whose
// reason is the exemption that allowed them when every holder that lost units failed
// (`hardware-failure`) or left (`user-left`), and `reassigned` otherwise; the rest are
// `initial` (units never assigned before). A locked holder keeps every unit it held, used or
// not, and units held before and not in use now stay with their holder (locked ones must;
// free ones have not moved), up to the licence's quantity. Void licences hold nothing.
//
// Invariant: per licence, the units recorded never exceed its quantity.
#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <tuple>

#include "core/stages.hpp"
#include "trueup/check.hpp"

namespace trueup::core {
namespace {

/// Units in use, by (licence, device, user): the device of the install they cover, the server
/// for a host licence, the user for a user licence or user CAL.
using InUse = std::map<std::tuple<std::uint32_t, std::string, std::string>, Units>;

InUse units_in_use(const Run& run, const Position& pos) {
  InUse used;
  for (std::size_t i = 0; i < pos.installs.size(); ++i) {
    const InstallVerdict& v = pos.installs[i];
    if (v.licences.empty()) continue;
    const Device& dev = run.fleet.device(run.norm.demands[run.norm.installs[i].demand].device);
    for (const Allocation& a : v.licences) {
      const Entitlement& e = run.fleet.entitlement(a.entitlement);
      if (e.metric == Metric::user && !dev.primary_user.empty())
        used[{a.entitlement.value, std::string(), dev.primary_user}] += a.units;
      else
        used[{a.entitlement.value, dev.id, std::string()}] += a.units;
    }
  }
  for (const CalPosition& c : pos.cals)
    for (const Allocation& a : c.licences)
      used[{a.entitlement.value, c.metric == Metric::device_cal ? c.holder : std::string(),
            c.metric == Metric::device_cal ? std::string() : c.holder}] += a.units;
  return used;
}

/// The records of one licence (the file comment's rules), appended to `out`.
class LicenceRecords {
 public:
  LicenceRecords(const Run& run, const InUse& used, const rules::ActiveUsers& active, std::uint32_t e,
                 std::vector<LicenceAssignment>& out)
      : run_(run),
        used_(used),
        e_(e),
        ent_(run.fleet.entitlements[e]),
        capacity_(run.supply.entitlements[e].counted ? run.supply.entitlements[e].units : ent_.quantity),
        out_(out) {
    if (!run.holdings.of_licence.empty()) before_ = run.holdings.of(EntitlementIndex{e});
    for (const Holding& h : before_) by_holder_.push_back(&h);
    std::sort(by_holder_.begin(), by_holder_.end(), [](const Holding* a, const Holding* b) { return key(a) < key(b); });
    lost_and_why(active);
  }

  /// Records the units in use [it, end) of this licence.
  void in_use(InUse::const_iterator it, InUse::const_iterator end, AssignmentChanges& history) {
    for (; it != end; ++it) {
      const auto& [licence, device, user] = it->first;
      Units units = it->second;
      if (const Holding* h = find(device, user)) {
        // A holder assigned on the as-of date itself (a second run that day) takes the units it
        // gains into the same record; a locked holder keeps every unit it held, used or not.
        const Units kept = h->since == run_.as_of ? units : std::min(units, h->units);
        const Units idle = h->locked() && kept < h->units ? h->units - kept : 0;
        emit(device, user, kept + idle, h->since, h->reason);
        history.kept += std::min(kept, h->units);
        history.assigned += kept - std::min(kept, h->units);
        history.locked += idle;
        recorded_ += idle;
        units -= kept;
      } else if (before_.empty() && ent_.channel == Channel::retail && ent_.device.valid() &&
                 run_.fleet.device(ent_.device).id == device) {
        emit(device, user, units, run_.as_of, AssignmentReason::initial);
        history.kept += units;
        units = 0;
      }
      if (units > 0) {
        const Units moved = std::min(units, lost_);
        lost_ -= moved;
        if (moved > 0) emit(device, user, moved, run_.as_of, move_);
        if (units > moved) emit(device, user, units - moved, run_.as_of, AssignmentReason::initial);
        history.moved += moved;
        history.assigned += units - moved;
      }
      recorded_ += it->second;
    }
  }

  /// Units held before and idle now stay where they were, locked ones first, up to the quantity.
  void idle(AssignmentChanges& history) {
    std::vector<const Holding*> idle;
    for (const Holding& h : before_)
      if (used_.find({e_, h.device_id, h.user}) == used_.end()) idle.push_back(&h);
    std::stable_partition(idle.begin(), idle.end(), [](const Holding* h) { return h->locked(); });
    for (const Holding* h : idle) {
      const Units units = std::min(h->units, capacity_ - recorded_);
      if (units <= 0) break;
      emit(h->device_id, h->user, units, h->since, h->reason);
      recorded_ += units;
      if (h->locked()) history.locked += units;
    }
    TRUEUP_CHECK(recorded_ <= capacity_, "a licence's recorded units never exceed what it counts as");
  }

 private:
  static std::tuple<const std::string&, const std::string&> key(const Holding* h) {
    return std::tie(h->device_id, h->user);
  }

  /// Holdings are looked up by holder in O(log n) (a volume record may have thousands).
  [[nodiscard]] const Holding* find(const std::string& device, const std::string& user) const {
    auto at = std::lower_bound(by_holder_.begin(), by_holder_.end(), std::tie(device, user),
                               [](const Holding* h, const auto& k) { return key(h) < k; });
    return at != by_holder_.end() && key(*at) == std::tie(device, user) ? *at : nullptr;
  }

  /// Units former holders lost are the ones that moved; why they could: the exemption, when
  /// every holder that lost units was exempt for the same reason.
  void lost_and_why(const rules::ActiveUsers& active) {
    bool failed = true, left = true;
    for (const Holding& h : before_) {
      const auto u = used_.find({e_, h.device_id, h.user});
      const Units still = u == used_.end() ? 0 : u->second;
      if (still >= h.units || h.locked()) continue;  // a locked holding stays (idle)
      lost_ += h.units - still;
      failed = failed && h.device.valid() && run_.fleet.device(h.device).status_on(run_.as_of) == DeviceStatus::failed;
      left = left && !h.user.empty() && active.left(h.user);
    }
    if (lost_ > 0 && failed)
      move_ = AssignmentReason::hardware_failure;
    else if (lost_ > 0 && left)
      move_ = AssignmentReason::user_left;
    // Without history, a retail record's device is where the licence was (one unit per record).
    if (before_.empty() && ent_.channel == Channel::retail && ent_.device.valid() &&
        used_.find({e_, run_.fleet.device(ent_.device).id, std::string()}) == used_.end())
      lost_ = std::min<Units>(capacity_, 1);
  }

  void emit(const std::string& device, const std::string& user, Units units, Date from, AssignmentReason reason) {
    out_.push_back({ent_.id, device, user, units, from, reason, 0});
  }

  const Run& run_;
  const InUse& used_;
  std::uint32_t e_;
  const Entitlement& ent_;
  Units capacity_;  ///< units it counts as (its quantity, or a conversion's, SA5)
  std::vector<LicenceAssignment>& out_;
  std::span<const Holding> before_;
  std::vector<const Holding*> by_holder_;
  Units recorded_ = 0;
  Units lost_ = 0;
  AssignmentReason move_ = AssignmentReason::reassigned;
};

}  // namespace

std::vector<LicenceAssignment> next_assignments(const Run& run, Position& pos) {
  const InUse used = units_in_use(run, pos);
  const rules::ActiveUsers active(run.fleet, run.as_of);
  std::vector<LicenceAssignment> out;
  auto it = used.begin();
  for (std::uint32_t e = 0; e < run.fleet.entitlements.size(); ++e) {
    LicenceRecords records(run, used, active, e, out);
    auto end = it;
    while (end != used.end() && std::get<0>(end->first) == e) ++end;
    records.in_use(it, end, pos.history);
    it = end;
    if (pos.entitlements[e].counted) records.idle(pos.history);
  }
  std::sort(out.begin(), out.end(), [](const LicenceAssignment& a, const LicenceAssignment& b) {
    return std::tie(a.licence, a.device, a.user, a.from) < std::tie(b.licence, b.device, b.user, b.from);
  });
  return out;
}

}  // namespace trueup::core
