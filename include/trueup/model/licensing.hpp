// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/licensing.hpp
//
// The vocabulary of use rights: how a licence was acquired (channel) and what it counts
// (metric). Every other stage speaks in these terms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace trueup {

/// How a licence was acquired. The channel decides transfer and downgrade rights
/// (licensing-rules G3): OEM is bound to its device (O1), retail moves between owned devices
/// (R1, R5), volume is a pool of N for any owned device (D1, V1).
enum class Channel : std::uint8_t { oem, retail, volume };

/// What one licence unit counts. A demand and a pool are measured in the same metric.
/// `device` and `server`: one unit per device; `processor`: Windows Server 2012/2012 R2, one
/// licence per two physical processors (W12-1); `core`: Windows Server 2016+, core licences
/// after the per-processor and per-server minimums (WS1-WS3).
enum class Metric : std::uint8_t { device, server, processor, core };
inline constexpr std::size_t metric_count = 4;

/// The lowercase names used in files and reports.
constexpr std::string_view name(Channel c) {
  switch (c) {
    case Channel::oem: return "oem";
    case Channel::retail: return "retail";
    case Channel::volume: return "volume";
  }
  return "?";
}
constexpr std::string_view name(Metric m) {
  switch (m) {
    case Metric::device: return "device";
    case Metric::server: return "server";
    case Metric::processor: return "processor";
    case Metric::core: return "core";
  }
  return "?";
}
constexpr std::optional<Channel> parse_channel(std::string_view s) {
  if (s == "oem") return Channel::oem;
  if (s == "retail" || s == "fpp") return Channel::retail;
  if (s == "volume") return Channel::volume;
  return std::nullopt;
}
constexpr std::optional<Metric> parse_metric(std::string_view s) {
  if (s == "device") return Metric::device;
  if (s == "server") return Metric::server;
  if (s == "processor") return Metric::processor;
  if (s == "core") return Metric::core;
  return std::nullopt;
}

}  // namespace trueup
