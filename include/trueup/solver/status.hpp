// SPDX-License-Identifier: BSL-1.0
// File: trueup/solver/status.hpp
//
// How an exact stage ended, and the options of the transport solve. Every engine (the
// transport solve, whole servers, CALs) reports one `SolveStatus`; a position's status is the
// worst of its engines' (`combine`), so one field says whether every part of it is optimal.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "trueup/enum_table.hpp"

namespace trueup {

enum class SolveStatus : std::uint8_t {
  optimal,  ///< lexicographically optimal (certified)
  /// Prices times units could overflow the engine's exact range: the engine solved again
  /// without the spend level (and stability, for the transport solve), and the position warns.
  bad_cost_range,
};

template <>
struct EnumTable<SolveStatus> {
  static constexpr std::array<EnumEntry<SolveStatus>, 2> entries{
      {{SolveStatus::optimal, "optimal", "optimal"},
       {SolveStatus::bad_cost_range, "bad_cost_range", "bad-cost-range"}}};
};

/// The worse of two statuses.
[[nodiscard]] constexpr SolveStatus combine(SolveStatus a, SolveStatus b) { return std::max(a, b); }

struct SolveOptions {
  /// Verify each phase's optimality certificate (O(arcs)); on in every build by default.
  bool verify = true;
};

}  // namespace trueup
