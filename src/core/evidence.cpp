// SPDX-License-Identifier: BSL-1.0
// File: src/core/evidence.cpp
//
// Shared evidence steps (core/evidence.hpp).
#include "core/evidence.hpp"

#include <algorithm>
#include <string>

#include "core/ledger.hpp"

namespace trueup::core {

void append_bound_evidence(const Coverage& cov, const Pool& pool, std::vector<RuleStep>& evidence) {
  evidence.push_back(cov.chain.front());
  if (pool.binding) evidence.push_back(*pool.binding);
  evidence.insert(evidence.end(), cov.chain.begin() + 1, cov.chain.end());
}

void note_reassignment(const Fleet& fleet, const Holdings& holdings, Date as_of, const std::vector<Allocation>& allocs,
                       std::size_t from, DeviceIndex device, std::vector<RuleStep>& evidence) {
  std::vector<DeviceIndex> before;
  for (std::size_t i = from; i < allocs.size(); ++i) {
    const Entitlement& e = fleet.entitlement(allocs[i].entitlement);
    // A unit of a licence of several units may be one never assigned: only a one-unit licence
    // with a history names its move here (Position::assignments counts every move).
    const bool history = !holdings.of_licence.empty() && !holdings.of(allocs[i].entitlement).empty();
    if (history && e.quantity != 1) continue;
    previous_devices(fleet, holdings, allocs[i].entitlement, before);
    if (before.empty() || std::find(before.begin(), before.end(), device) != before.end()) continue;
    const Device& old = fleet.device(before.front());
    const DeviceStatus status = old.status_on(as_of);
    std::string text = std::string(name(e.channel)) + " licence " + e.id + " reassigned from " + old.id;
    if (status != DeviceStatus::active)
      text += " (" + std::string(name(status)) + (old.status_date ? " " + old.status_date->iso() : "") + ")";
    text +=
        " to " + fleet.device(device).id +
        (e.channel == Channel::retail ? ": a retail licence may move to another owned device (licensing-rules R1, R5)"
                                      : ": a licence may be reassigned (licensing-rules V1)");
    evidence.push_back({RuleStep::Kind::reassignment, std::move(text)});
  }
}

}  // namespace trueup::core
