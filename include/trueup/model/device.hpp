// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/device.hpp
//
// A device of the fleet: what it is, who owns it, whether it is still in service, and the
// hardware facts that per-processor and per-core metrics count.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trueup/enum_table.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/date.hpp"

namespace trueup {

/// Tablets and phones have their own allowances under per-user licences (DT3).
enum class DeviceKind : std::uint8_t { desktop, laptop, server, virtual_machine, tablet, phone, other };

/// Who owns the device. Only owned devices are in scope: a leased PC's licences follow the
/// lease contract (licensing-rules §2 "Leased hardware", X1).
enum class Ownership : std::uint8_t { owned, leased, rented, customer, personal };

/// `retired` covers scrapped, sold and disposed devices: an OEM licence dies with its device
/// (O1, O8). `failed` is a device out of service because of hardware failure.
enum class DeviceStatus : std::uint8_t { active, retired, failed };

/// A replaced motherboard (licensing-rules O3): replaced *because it was defective*, the PC
/// stays the same computer and keeps its OEM licence; upgraded or replaced for any other
/// reason, "a new computer has been created" and its OEM licence is void.
enum class MotherboardChange : std::uint8_t { none, after_failure, upgrade };

/// What the device serves, for editions licensed for development and test only (SQL Server
/// Developer, SQL10): `non_production` covers development, test and demonstration systems.
/// `unknown` (an empty field) is never read as either.
enum class Environment : std::uint8_t { unknown, production, non_production };

struct Device {
  std::string id;
  std::string hostname;
  DeviceKind kind = DeviceKind::desktop;
  Ownership ownership = Ownership::owned;
  DeviceStatus status = DeviceStatus::active;
  std::optional<Date> status_date;  ///< when it was retired or failed
  MotherboardChange motherboard = MotherboardChange::none;
  std::optional<Date> motherboard_date;  ///< when the motherboard was replaced
  std::string primary_user;
  std::uint32_t processors = 0;  ///< physical sockets (0 = unknown)
  std::uint32_t cores = 0;       ///< physical cores, all sockets; a VM's virtual cores (0 = unknown)
  /// The processor model as inventory reports it ("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz"),
  /// which core factor tables look up (LicensingTerms::core_factors); empty = unknown.
  std::string cpu_model;
  Environment environment = Environment::unknown;
  std::string host;        ///< for a virtual machine: the id of its physical host
  DeviceIndex host_index;  ///< `host` resolved (set by the readers; invalid when none)
  std::uint32_t line = 0;  ///< source line in devices.csv, for evidence

  /// Its status on `as_of`: a device retired or failed after that date was still in service
  /// then (a position is always "as of" a date).
  [[nodiscard]] DeviceStatus status_on(Date as_of) const {
    return status != DeviceStatus::active && status_date && *status_date > as_of ? DeviceStatus::active : status;
  }
};

template <>
struct EnumTable<DeviceKind> {
  static constexpr std::array<EnumEntry<DeviceKind>, 7> entries{{{DeviceKind::desktop, "desktop", "desktop"},
                                                                 {DeviceKind::laptop, "laptop", "laptop"},
                                                                 {DeviceKind::server, "server", "server"},
                                                                 {DeviceKind::virtual_machine, "virtual_machine", "vm"},
                                                                 {DeviceKind::tablet, "tablet", "tablet"},
                                                                 {DeviceKind::phone, "phone", "phone"},
                                                                 {DeviceKind::other, "other", "other"}}};
};
template <>
struct EnumTable<Ownership> {
  static constexpr std::array<EnumEntry<Ownership>, 5> entries{{{Ownership::owned, "owned", "owned"},
                                                                {Ownership::leased, "leased", "leased"},
                                                                {Ownership::rented, "rented", "rented"},
                                                                {Ownership::customer, "customer", "customer"},
                                                                {Ownership::personal, "personal", "personal"}}};
};
template <>
struct EnumTable<DeviceStatus> {
  static constexpr std::array<EnumEntry<DeviceStatus>, 3> entries{{{DeviceStatus::active, "active", "active"},
                                                                   {DeviceStatus::retired, "retired", "retired"},
                                                                   {DeviceStatus::failed, "failed", "failed"}}};
};
/// devices.csv `motherboard_reason` states the two changes; `none` is the absence of a date.
template <>
struct EnumTable<MotherboardChange> {
  static constexpr std::array<EnumEntry<MotherboardChange>, 3> entries{
      {{MotherboardChange::none, "none", "none"},
       {MotherboardChange::after_failure, "after_failure", "failure"},
       {MotherboardChange::upgrade, "upgrade", "upgrade"}}};
};

/// devices.csv `environment`; `development` and `test` are read as non-production.
template <>
struct EnumTable<Environment> {
  static constexpr std::array<EnumEntry<Environment>, 3> entries{
      {{Environment::unknown, "unknown", "unknown"},
       {Environment::production, "production", "production"},
       {Environment::non_production, "non_production", "non-production"}}};
  static constexpr std::array<EnumEntry<Environment>, 2> aliases{
      {{Environment::non_production, "non_production", "development"},
       {Environment::non_production, "non_production", "test"}}};
};

}  // namespace trueup
