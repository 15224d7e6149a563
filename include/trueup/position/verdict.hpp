// SPDX-License-Identifier: BSL-1.0
// File: trueup/position/verdict.hpp
//
// The state every install leaves the pipeline in. Exactly one per install; the position
// checks on every run that covered + shortfall + excluded + duplicate = installs read.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "trueup/enum_table.hpp"

namespace trueup {

/// `shortfall` is the design's "short" (a C++ keyword): some unit of its demand is unlicensed.
enum class Verdict : std::uint8_t { covered, shortfall, excluded, duplicate };

template <>
struct EnumTable<Verdict> {
  static constexpr std::array<EnumEntry<Verdict>, 4> entries{{{Verdict::covered, "covered", "covered"},
                                                              {Verdict::shortfall, "shortfall", "short"},
                                                              {Verdict::excluded, "excluded", "excluded"},
                                                              {Verdict::duplicate, "duplicate", "duplicate"}}};
};

}  // namespace trueup
