// SPDX-License-Identifier: BSL-1.0
// File: src/core/evidence.hpp
//
// Evidence steps several stages write the same way: a bound licence on its own device or user,
// and a licence that moved from the device it was on before.
#pragma once

#include <cstddef>
#include <vector>

#include "trueup/demand/eligibility.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/rules/reassignment.hpp"

namespace trueup::core {

/// Evidence for a bound licence on its own device or user: the licence, its binding (OEM, or
/// the 90-day rule), then any new-version right, downgrade or down-edition it needs.
void append_bound_evidence(const Coverage& cov, const Pool& pool, std::vector<RuleStep>& evidence);

/// Evidence for the licences `allocs[from..]` now covering `device` where they were on another
/// device before (R1, R5 for retail; V1 for volume).
void note_reassignment(const Fleet& fleet, const Holdings& holdings, Date as_of, const std::vector<Allocation>& allocs,
                       std::size_t from, DeviceIndex device, std::vector<RuleStep>& evidence);

}  // namespace trueup::core
