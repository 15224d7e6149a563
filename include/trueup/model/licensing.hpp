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
/// (R1, R5), volume is a pool of N for any owned device (D1, V1), a subscription is a pool
/// of N for its term (DT3: Microsoft 365 Apps).
enum class Channel : std::uint8_t { oem, retail, volume, subscription };

/// What one licence unit counts. A demand and a pool are measured in the same metric.
/// `device` and `server`: one unit per device; `processor`: Windows Server 2012/2012 R2, one
/// licence per two physical processors (W12-1); `core`: Windows Server 2016+, core licences
/// after the per-processor and per-server minimums (WS1-WS3); `user`: one named user on up to
/// the pack's number of devices (DT3); `user_cal`, `device_cal`: client access licences, one
/// per user or per device that accesses a server (CAL1). The minimums and virtualisation rights
/// that turn hardware into units are data: model/catalog.hpp `LicensingTerms`.
enum class Metric : std::uint8_t { device, server, processor, core, user, user_cal, device_cal };
inline constexpr std::size_t metric_count = 7;

/// The lowercase names used in files and reports.
constexpr std::string_view name(Channel c) {
  switch (c) {
    case Channel::oem: return "oem";
    case Channel::retail: return "retail";
    case Channel::volume: return "volume";
    case Channel::subscription: return "subscription";
  }
  return "?";
}
constexpr std::string_view name(Metric m) {
  switch (m) {
    case Metric::device: return "device";
    case Metric::server: return "server";
    case Metric::processor: return "processor";
    case Metric::core: return "core";
    case Metric::user: return "user";
    case Metric::user_cal: return "user-cal";
    case Metric::device_cal: return "device-cal";
  }
  return "?";
}
constexpr std::optional<Channel> parse_channel(std::string_view s) {
  if (s == "oem") return Channel::oem;
  if (s == "retail" || s == "fpp") return Channel::retail;
  if (s == "volume") return Channel::volume;
  if (s == "subscription") return Channel::subscription;
  return std::nullopt;
}
constexpr std::optional<Metric> parse_metric(std::string_view s) {
  if (s == "device") return Metric::device;
  if (s == "server") return Metric::server;
  if (s == "processor") return Metric::processor;
  if (s == "core") return Metric::core;
  if (s == "user") return Metric::user;
  if (s == "user-cal") return Metric::user_cal;
  if (s == "device-cal") return Metric::device_cal;
  return std::nullopt;
}

}  // namespace trueup
