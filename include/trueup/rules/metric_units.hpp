// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/metric_units.hpp
//
// Rule: how many licence units one device needs under a metric.
//
// - device, server: one (Office and Windows client per device, DT1; Windows Server 2008 R2
//   and earlier per server, §7.3).
// - processor: Windows Server 2012 / 2012 R2, one licence covers up to two physical
//   processors, so ceil(processors / 2) (W12-1, Windows Server 2012 R2 Licensing Datasheet).
// - core: Windows Server 2016 and later, every physical core, at least 8 core licences per
//   processor and 16 per server (WS1-WS3, Windows Server 2016 Licensing Datasheet; the
//   datasheet's pack table WS9 follows from it: 2 procs x 4 cores -> 16, 4 x 4 -> 32).
//
// Unknown hardware (0 processors or cores) counts as one processor with no cores, i.e. the
// minimums; the position warns when that happens. Virtualisation multipliers are not part
// of this rule.
#pragma once

#include <algorithm>
#include <cstdint>

#include "trueup/fwd.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup::rules {

inline constexpr Units core_minimum_per_processor = 8;  // WS2
inline constexpr Units core_minimum_per_server = 16;    // WS3
inline constexpr Units processors_per_licence = 2;      // W12-1

[[nodiscard]] constexpr Units units_required(Metric m, std::uint32_t processors, std::uint32_t cores) {
  const Units p = std::max<Units>(processors, 1);
  switch (m) {
    case Metric::device:
    case Metric::server: return 1;
    case Metric::processor: return (p + processors_per_licence - 1) / processors_per_licence;
    case Metric::core:  // every core, at least 8 per processor (identical sockets), 16 per server
      return std::max({core_minimum_per_server, p * core_minimum_per_processor, static_cast<Units>(cores)});
  }
  return 1;
}

}  // namespace trueup::rules
