// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/limits.hpp
//
// The largest values a fleet may state, checked where each is read (the readers report
// `out-of-range` naming the limit) and relied on by the engines, whose arithmetic they keep
// exact and fast. Each limit is far above any real estate (the largest server sold has 32
// sockets and under 2,000 cores; the largest licence agreements count millions of units) and
// far below where an engine would lose exactness:
//
// - The whole-server stage (core/host_stage.cpp, rules/metric_units.cpp) needs per server
//   max(cores, 16 per server, processors x 8 per processor) core licences per OSE pair, so a
//   server needs at most 65,536 x ceil(OSEs / 2) units; summed over every server of a fleet
//   that is below 2^47, and its integer program (solver/host_solver.hpp), computed in GLPK's
//   doubles, stays exact below 2^52. GLPK's branch and cut also stays fast only while a row's
//   coefficients (the units one server needs) are modest: a server of 10^7 cores made it run
//   for hours.
// - Licence quantities are summed per pool and in the ledger in 64 bits: at most 2^32 records
//   of at most 10^9 units each stay below 2^62. A pool can never hand out more than the
//   demand, so its size above that changes nothing but the bounds.
// - Money is counted in ten-thousandths in 64 bits (model/money.hpp) and totals in 128 bits:
//   a unit price of at most 10^9 (10^13 ten-thousandths) times at most 2^62 units fits, and the
//   solvers' price ranks (core/pricing.hpp) keep their costs small whatever the prices.
#pragma once

#include <cstdint>

namespace trueup::limits {

/// Physical processors (sockets) of one device.
inline constexpr std::uint32_t max_processors = 1024;
/// Physical cores of one device (a VM's virtual cores).
inline constexpr std::uint32_t max_cores = 65536;
/// Units of one licence record (entitlements.csv `quantity`) or one assignment (`units`).
inline constexpr std::int64_t max_quantity = 1'000'000'000;
/// Whole currency units of one unit price (`unit_cost`); with its 4 decimals.
inline constexpr std::int64_t max_unit_cost = 1'000'000'000;

}  // namespace trueup::limits
