// SPDX-License-Identifier: BSL-1.0
// File: trueup/position/verdict.hpp
//
// The state every install leaves the pipeline in. Exactly one per install; the position
// checks on every run that covered + shortfall + excluded + duplicate = installs read.
#pragma once

#include <cstdint>
#include <string_view>

namespace trueup {

/// `shortfall` is the design's "short" (a C++ keyword): some unit of its demand is unlicensed.
enum class Verdict : std::uint8_t { covered, shortfall, excluded, duplicate };

constexpr std::string_view name(Verdict v) {
  switch (v) {
    case Verdict::covered: return "covered";
    case Verdict::shortfall: return "short";
    case Verdict::excluded: return "excluded";
    case Verdict::duplicate: return "duplicate";
  }
  return "?";
}

}  // namespace trueup
