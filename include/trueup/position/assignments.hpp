// SPDX-License-Identifier: BSL-1.0
// File: trueup/position/assignments.hpp
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
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "trueup/model/fleet.hpp"
#include "trueup/model/licence_assignment.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/position.hpp"
#include "trueup/rules/reassignment.hpp"

namespace trueup::detail {

[[nodiscard]] inline std::vector<LicenceAssignment> next_assignments(const Fleet& fleet, const Normalised& norm,
                                                                     const Holdings& holdings, Position& pos,
                                                                     Date as_of) {
  // Units in use, by (licence, device, user).
  std::map<std::tuple<std::uint32_t, std::string, std::string>, Units> used;
  for (std::size_t i = 0; i < pos.installs.size(); ++i) {
    const InstallVerdict& v = pos.installs[i];
    if (v.licences.empty()) continue;
    const Device& dev = fleet.device(norm.demands[norm.installs[i].demand].device);
    for (const Allocation& a : v.licences) {
      const Entitlement& e = fleet.entitlement(a.entitlement);
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

  std::vector<LicenceAssignment> out;
  auto held_before = [&](std::uint32_t e) -> std::span<const Holding> {
    if (holdings.of_licence.empty()) return {};
    return holdings.of(EntitlementIndex{e});
  };
  // A licence's holdings by holder, for lookups in O(log n) (a volume record may have thousands).
  std::vector<const Holding*> by_holder;
  auto holder_key = [](const Holding* h) { return std::tie(h->device_id, h->user); };
  auto find = [&](const std::string& device, const std::string& user) -> const Holding* {
    auto at = std::lower_bound(by_holder.begin(), by_holder.end(), std::tie(device, user),
                               [&](const Holding* h, const auto& key) { return holder_key(h) < key; });
    return at != by_holder.end() && holder_key(*at) == std::tie(device, user) ? *at : nullptr;
  };
  auto emit = [&](std::uint32_t e, const std::string& device, const std::string& user, Units units, Date from,
                  AssignmentReason reason) {
    out.push_back({fleet.entitlements[e].id, device, user, units, from, reason, 0});
  };

  const rules::ActiveUsers active(fleet, as_of);
  auto it = used.begin();
  for (std::uint32_t e = 0; e < fleet.entitlements.size(); ++e) {
    const Entitlement& ent = fleet.entitlements[e];
    const std::span<const Holding> before = held_before(e);
    by_holder.clear();
    for (const Holding& h : before) by_holder.push_back(&h);
    std::sort(by_holder.begin(), by_holder.end(),
              [&](const Holding* a, const Holding* b) { return holder_key(a) < holder_key(b); });
    Units recorded = 0;
    // Units former holders lost are the ones that moved; why they could: the exemption, when
    // every holder that lost units was exempt for the same reason.
    Units lost = 0;
    AssignmentReason move = AssignmentReason::reassigned;
    {
      bool failed = true, left = true;
      for (const Holding& h : before) {
        const auto u = used.find({e, h.device_id, h.user});
        const Units still = u == used.end() ? 0 : u->second;
        if (still >= h.units || h.locked()) continue;  // a locked holding stays (below)
        lost += h.units - still;
        failed = failed && h.device.valid() && fleet.device(h.device).status_on(as_of) == DeviceStatus::failed;
        left = left && !h.user.empty() && active.left(h.user);
      }
      if (lost > 0 && failed) move = AssignmentReason::hardware_failure;
      else if (lost > 0 && left) move = AssignmentReason::user_left;
    }
    // Without history, a retail record's device is where the licence was (one unit per record).
    if (before.empty() && ent.channel == Channel::retail && ent.device.valid() &&
        used.find({e, fleet.device(ent.device).id, std::string()}) == used.end())
      lost = std::min<Units>(ent.quantity, 1);
    for (; it != used.end() && std::get<0>(it->first) == e; ++it) {
      const auto& [licence, device, user] = it->first;
      Units units = it->second;
      if (const Holding* h = find(device, user)) {
        // A holder assigned on the as-of date itself (a second run that day) takes the units it
        // gains into the same record; a locked holder keeps every unit it held, used or not.
        const Units kept = h->since == as_of ? units : std::min(units, h->units);
        const Units idle = h->locked() && kept < h->units ? h->units - kept : 0;
        emit(e, device, user, kept + idle, h->since, h->reason);
        pos.history.kept += std::min(kept, h->units);
        pos.history.assigned += kept - std::min(kept, h->units);
        pos.history.locked += idle;
        recorded += idle;
        units -= kept;
      } else if (before.empty() && ent.channel == Channel::retail && ent.device.valid() &&
                 fleet.device(ent.device).id == device) {
        emit(e, device, user, units, as_of, AssignmentReason::initial);
        pos.history.kept += units;
        units = 0;
      }
      if (units > 0) {
        const Units moved = std::min(units, lost);
        lost -= moved;
        if (moved > 0) emit(e, device, user, moved, as_of, move);
        if (units > moved) emit(e, device, user, units - moved, as_of, AssignmentReason::initial);
        pos.history.moved += moved;
        pos.history.assigned += units - moved;
      }
      recorded += it->second;
    }
    if (!pos.entitlements[e].counted) continue;
    // Units held before and idle now stay where they were, locked ones first.
    std::vector<const Holding*> idle;
    for (const Holding& h : before)
      if (used.find({e, h.device_id, h.user}) == used.end()) idle.push_back(&h);
    std::stable_partition(idle.begin(), idle.end(), [](const Holding* h) { return h->locked(); });
    for (const Holding* h : idle) {
      const Units units = std::min(h->units, ent.quantity - recorded);
      if (units <= 0) break;
      emit(e, h->device_id, h->user, units, h->since, h->reason);
      recorded += units;
      if (h->locked()) pos.history.locked += units;
    }
    TRUEUP_CHECK(recorded <= ent.quantity, "a licence's recorded units never exceed its quantity");
  }
  std::sort(out.begin(), out.end(), [](const LicenceAssignment& a, const LicenceAssignment& b) {
    return std::tie(a.licence, a.device, a.user, a.from) < std::tie(b.licence, b.device, b.user, b.from);
  });
  return out;
}

}  // namespace trueup::detail
