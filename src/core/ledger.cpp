// SPDX-License-Identifier: BSL-1.0
// File: src/core/ledger.cpp
//
// The ledger of licence units handed out in a run (core/ledger.hpp).
#include "core/ledger.hpp"

#include <algorithm>

#include "trueup/check.hpp"

namespace trueup::core {

void previous_devices(const Fleet& fleet, const Holdings& holdings, EntitlementIndex e, std::vector<DeviceIndex>& out) {
  out.clear();
  if (!holdings.of_licence.empty())
    for (const Holding& h : holdings.of(e))
      if (h.device.valid() && !h.locked()) out.push_back(h.device);
  const Entitlement& ent = fleet.entitlement(e);
  if (out.empty() && (holdings.of_licence.empty() || holdings.of(e).empty()) && ent.channel == Channel::retail &&
      ent.device.valid())
    out.push_back(ent.device);
}

Ledger::Ledger(const Fleet& fleet, const Supply& supply, const Holdings& holdings, std::vector<EntitlementUse>& uses)
    : supply_(supply), uses_(uses) {
  pools_.reserve(supply.pools.size());
  std::vector<DeviceIndex> before;
  for (const Pool& pool : supply.pools) {
    PoolState& st = pools_.emplace_back();
    st.left = pool.units;
    st.total = pool.quantity;
    if (!pool.is_bound())
      for (std::uint32_t i = 0; i < pool.members.size(); ++i) {
        previous_devices(fleet, holdings, pool.members[i], before);
        for (DeviceIndex d : before) st.by_device.emplace_back(d, i);
      }
    std::sort(st.by_device.begin(), st.by_device.end());
  }
}

Units Ledger::take_member(std::size_t q, std::size_t m, Units units, std::vector<Allocation>& out) {
  PoolState& st = pools_[q];
  const Units take = std::min(st.left[m], units);
  if (take <= 0) return 0;  // a zero-quantity record holds a price, never a unit
  const EntitlementIndex e = supply_.pools[q].members[m];
  if (!out.empty() && out.back().entitlement == e)
    out.back().units += take;
  else
    out.push_back({e, take});
  uses_[e.value].consumed += take;
  st.left[m] -= take;
  st.total -= take;
  return take;
}

void Ledger::take(std::size_t q, Units units, std::vector<Allocation>& out) {
  PoolState& st = pools_[q];
  TRUEUP_CHECK(units <= st.total, "a pool never hands out more than its quantity");
  while (units > 0) {
    while (st.next < st.left.size() && st.left[st.next] == 0) ++st.next;
    TRUEUP_CHECK(st.next < st.left.size(), "a pool's units left are its members' units left");
    units -= take_member(q, st.next, units, out);
  }
}

Units Ledger::take_own_device(std::size_t q, DeviceIndex device, Units units, std::vector<Allocation>& out) {
  const PoolState& st = pools_[q];
  const Units wanted = units;
  auto it = std::lower_bound(st.by_device.begin(), st.by_device.end(), std::make_pair(device, std::uint32_t{0}));
  for (; it != st.by_device.end() && it->first == device && units > 0; ++it)
    units -= take_member(q, it->second, units, out);
  return wanted - units;
}

bool Ledger::balanced() const {
  std::vector<Units> handed(uses_.size(), 0);
  for (std::size_t q = 0; q < pools_.size(); ++q) {
    const Pool& pool = supply_.pools[q];
    const PoolState& st = pools_[q];
    Units total = 0;
    for (std::size_t m = 0; m < pool.members.size(); ++m) {
      if (st.left[m] < 0 || st.left[m] > pool.units[m]) return false;
      handed[pool.members[m].value] += pool.units[m] - st.left[m];
      total += st.left[m];
    }
    if (total != st.total) return false;
  }
  for (std::size_t e = 0; e < uses_.size(); ++e)
    if (handed[e] != uses_[e].consumed) return false;
  return true;
}

}  // namespace trueup::core
