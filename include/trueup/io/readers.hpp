// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/readers.hpp
//
// Readers for the fleet's CSV files (docs/formats.md): devices.csv, installs.csv,
// entitlements.csv. They validate everything before anything is computed: a reader returns
// either the whole fleet or *every* problem found in *every* file, each with file, line,
// column, a stable code and "expected ..., found ...". Warnings (suspicious but usable input)
// come with a successful read.
//
// **Example**:
//
//     auto fleet = trueup::io::read_fleet("examples/contoso", pack);
//     if (!fleet) { for (auto& d : fleet.error()) std::cerr << d << '\n'; return 2; }
//     trueup::Position p = trueup::reconcile(pack, fleet->fleet);
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/result.hpp"

namespace trueup::io {

struct FleetRead {
  Fleet fleet;
  Diagnostics warnings;
};

/// The three files' contents and the names to report them under.
struct FleetSources {
  std::string devices;
  std::string installs;
  std::string entitlements;
  std::optional<std::string> access;  ///< access.csv, optional (CAL demand)
  std::string devices_name = "devices.csv";
  std::string installs_name = "installs.csv";
  std::string entitlements_name = "entitlements.csv";
  std::string access_name = "access.csv";
};

/// Parses and validates a fleet against `pack` (entitlement products must exist in it).
/// Returns every error and warning of every file if any error is found.
[[nodiscard]] Result<FleetRead> parse_fleet(const FleetSources& sources, const RulePack& pack);

/// Reads `dir`/devices.csv, installs.csv and entitlements.csv, then parse_fleet().
[[nodiscard]] Result<FleetRead> read_fleet(const std::filesystem::path& dir, const RulePack& pack);

}  // namespace trueup::io
