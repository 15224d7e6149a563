// SPDX-License-Identifier: BSL-1.0
// File: tests/support/fleet_fixture.hpp
//
// Test fixtures in the form of trueup's real input: the shipped Microsoft rule pack and small
// fleets written as CSV text, reconciled through the public API.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"

namespace trueup::test {

/// The shipped pack, loaded once per process.
inline const RulePack& microsoft_pack() {
  static const RulePack pack = [] {
    auto p = io::load_rule_pack(std::string(TRUEUP_SOURCE_DIR) + "/rules/microsoft.toml");
    if (!p) {
      for (const auto& d : p.error()) ADD_FAILURE() << to_string(d);
      return RulePack{};
    }
    return std::move(p).value();
  }();
  return pack;
}

inline constexpr std::string_view devices_header = "device_id,kind,ownership,status,status_date,processors,cores\n";
inline constexpr std::string_view installs_header = "install_id,device_id,title,publisher,version\n";
inline constexpr std::string_view entitlements_header =
    "licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency\n";

/// A fleet read from CSV rows (headers above are prepended) and reconciled.
struct Reconciled {
  Fleet fleet;
  Position position;

  [[nodiscard]] const InstallVerdict& install(std::string_view id) const {
    for (std::size_t i = 0; i < fleet.installs.size(); ++i)
      if (fleet.installs[i].id == id) return position.installs[i];
    throw std::out_of_range("no install " + std::string(id));
  }
  [[nodiscard]] const EntitlementUse& licence(std::string_view id) const {
    for (std::size_t i = 0; i < fleet.entitlements.size(); ++i)
      if (fleet.entitlements[i].id == id) return position.entitlements[i];
    throw std::out_of_range("no licence " + std::string(id));
  }
  /// Licence ids covering an install, in order.
  [[nodiscard]] std::vector<std::string> licences_of(std::string_view install_id) const {
    std::vector<std::string> ids;
    for (const auto& a : install(install_id).licences) ids.push_back(fleet.entitlement(a.entitlement).id);
    return ids;
  }
  /// Whether any evidence step of the install has this kind and contains `text`.
  [[nodiscard]] bool has_evidence(std::string_view install_id, RuleStep::Kind kind, std::string_view text) const {
    for (const auto& s : install(install_id).evidence)
      if (s.kind == kind && s.text.find(text) != std::string::npos) return true;
    return false;
  }
  /// The server position of device `id`.
  [[nodiscard]] const ServerPosition& server(std::string_view id) const {
    for (const auto& sp : position.servers)
      if (fleet.device(sp.device).id == id) return sp;
    throw std::out_of_range("no server " + std::string(id));
  }
  [[nodiscard]] const UserPosition& user(std::string_view name) const {
    for (const auto& u : position.users)
      if (u.user == name) return u;
    throw std::out_of_range("no user " + std::string(name));
  }
  [[nodiscard]] std::string json() const { return io::format_json(position, microsoft_pack(), fleet); }
};

inline Reconciled reconcile_files(std::string devices, std::string installs, std::string entitlements,
                                  std::optional<std::string> access = std::nullopt);

inline Reconciled reconcile_csv(std::string_view devices, std::string_view installs, std::string_view entitlements) {
  return reconcile_files(std::string(devices_header) + std::string(devices),
                         std::string(installs_header) + std::string(installs),
                         std::string(entitlements_header) + std::string(entitlements));
}

/// The date fixtures take the position on unless they say another: a fixed date, so that no
/// test depends on the day it runs (rights that end, such as a downgrade while the earlier
/// version is supported, read it).
inline const Date fixture_as_of = Date::from_ymd(2026, 6, 30);

/// A fleet from CSV texts, reconciled with `options` (as of `fixture_as_of` unless they say).
inline Reconciled reconcile_sources(const io::FleetSources& src, ReconcileOptions options = {}) {
  if (!options.as_of) options.as_of = fixture_as_of;
  auto read = io::parse_fleet(src, microsoft_pack());
  if (!read) {
    std::string all;
    for (const auto& d : read.error()) all += to_string(d) + "\n";
    throw std::runtime_error("fixture does not parse:\n" + all);
  }
  Reconciled r{std::move(read->fleet), {}};
  r.position = reconcile(microsoft_pack(), r.fleet, options);
  return r;
}

/// The sample fleet (examples/contoso, every file scripts/demo reads) reconciled as of its date,
/// `fixture_as_of`: read and solved once per test program, shared by every suite that checks an
/// output or a rule on it, and never destroyed (its suites hold pointers into it).
inline const Reconciled& contoso_sample() {
  static const Reconciled* sample = [] {
    auto read = io::read_fleet(std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso", microsoft_pack());
    if (!read) throw std::runtime_error("examples/contoso does not read: " + to_string(read.error()[0]));
    auto* r = new Reconciled{std::move(read->fleet), {}};
    ReconcileOptions options;
    options.as_of = fixture_as_of;
    r->position = reconcile(microsoft_pack(), r->fleet, options);
    return r;
  }();
  return *sample;
}

/// A fleet from whole CSV files (headers included), with an optional access.csv.
inline Reconciled reconcile_files(std::string devices, std::string installs, std::string entitlements,
                                  std::optional<std::string> access) {
  io::FleetSources src;
  src.devices = std::move(devices);
  src.installs = std::move(installs);
  src.entitlements = std::move(entitlements);
  src.access = std::move(access);
  return reconcile_sources(src);
}

}  // namespace trueup::test
