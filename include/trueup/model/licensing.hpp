// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/licensing.hpp
//
// The vocabulary of use rights: how a licence was acquired (channel) and what it counts
// (metric). Every other stage speaks in these terms.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "trueup/enum_table.hpp"

namespace trueup {

/// How a licence was acquired. The channel decides transfer and downgrade rights
/// (licensing-rules G3): OEM is bound to its device (O1), retail moves between owned devices
/// (R1, R5), volume is a pool of N for any owned device (D1, V1), a subscription is a pool
/// of N for its term (DT3: Microsoft 365 Apps).
enum class Channel : std::uint8_t { oem, retail, volume, subscription };
inline constexpr std::size_t channel_count = 4;

/// What one licence unit counts. A demand and a pool are measured in the same metric.
/// `device` and `server`: one unit per device; `processor`: Windows Server 2012/2012 R2, one
/// licence per two physical processors (W12-1); `core`: Windows Server 2016+, core licences
/// after the per-processor and per-server minimums (WS1-WS3); `user`: one named user on up to
/// the pack's number of devices (DT3); `user_cal`, `device_cal`: client access licences, one
/// per user or per device that accesses a server (CAL1). The minimums and virtualisation rights
/// that turn hardware into units are data: model/catalog.hpp `LicensingTerms`.
enum class Metric : std::uint8_t { device, server, processor, core, user, user_cal, device_cal };
inline constexpr std::size_t metric_count = 7;

template <>
struct EnumTable<Channel> {
  static constexpr std::array<EnumEntry<Channel>, 4> entries{{{Channel::oem, "oem", "oem"},
                                                              {Channel::retail, "retail", "retail"},
                                                              {Channel::volume, "volume", "volume"},
                                                              {Channel::subscription, "subscription", "subscription"}}};
  /// "fpp", full packaged product, is retail (licensing-rules G3).
  static constexpr std::array<EnumEntry<Channel>, 1> aliases{{{Channel::retail, "retail", "fpp"}}};
};

template <>
struct EnumTable<Metric> {
  static constexpr std::array<EnumEntry<Metric>, metric_count> entries{
      {{Metric::device, "device", "device"},
       {Metric::server, "server", "server"},
       {Metric::processor, "processor", "processor"},
       {Metric::core, "core", "core"},
       {Metric::user, "user", "user"},
       {Metric::user_cal, "user_cal", "user-cal"},
       {Metric::device_cal, "device_cal", "device-cal"}}};
};

}  // namespace trueup
