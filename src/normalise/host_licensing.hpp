// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/host_licensing.hpp
//
// SQL4: a physical host licensed whole for the VMs on it, where that needs no more core
// licences than licensing its VMs one by one (normalise/normalise.hpp states the rule and why
// the choice is never worse).
#pragma once

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/normalise.hpp"

namespace trueup::detail {

/// Turns the per-VM demands of each host that is cheaper licensed whole into shares of the
/// host's units, and records the host in `out.hosts`. \pre `out.demands` are formed, in
/// (device, family) order; they stay in that order.
void license_hosts_whole(const RulePack& pack, const Fleet& fleet, Normalised& out);

}  // namespace trueup::detail
