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
#include <string_view>

#include "trueup/diagnostic.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/result.hpp"

namespace trueup::io {

/// The file of a fleet directory each subject is read from ("devices.csv"), for the problems
/// the core reports by subject (`attribute` in trueup/diagnostic.hpp); empty for none.
[[nodiscard]] inline std::string fleet_file(Subject subject) {
  switch (subject) {
    case Subject::devices: return "devices.csv";
    case Subject::installs: return "installs.csv";
    case Subject::entitlements: return "entitlements.csv";
    case Subject::access: return "access.csv";
    case Subject::history: return "assignments.csv";
    case Subject::none:
    case Subject::rule_pack: break;
  }
  return {};
}

struct FleetRead {
  Fleet fleet;
  Diagnostics warnings;
};

/// The three files' contents and the names to report them under.
struct FleetSources {
  std::string devices;
  std::string installs;
  std::string entitlements;
  std::optional<std::string> access = std::nullopt;       ///< access.csv, optional (CAL demand)
  std::optional<std::string> assignments = std::nullopt;  ///< assignments.csv, optional (history)
  std::optional<std::string> prices = std::nullopt;       ///< prices.csv, optional (price list)
  std::string devices_name = "devices.csv";
  std::string installs_name = "installs.csv";
  std::string entitlements_name = "entitlements.csv";
  std::string access_name = "access.csv";
  std::string assignments_name = "assignments.csv";
  std::string prices_name = "prices.csv";
};

/// Parses and validates a fleet against `pack` (entitlement products must exist in it).
/// Returns every error and warning of every file if any error is found.
/// With `threads` > 1, a large installs.csv is read in two parts on two threads; the result,
/// diagnostics included, is the same as with one.
[[nodiscard]] Result<FleetRead> parse_fleet(const FleetSources& sources, const RulePack& pack, unsigned threads = 1);

/// Reads `dir`/devices.csv, installs.csv and entitlements.csv (and access.csv, assignments.csv
/// when present), then parse_fleet().
[[nodiscard]] Result<FleetRead> read_fleet(const std::filesystem::path& dir, const RulePack& pack,
                                           unsigned threads = 1);

/// One input of the parse_fleet() overload below: a text held by the caller, read in place
/// (not copied; it must outlive the call), or no text and the diagnostics that say why
/// (read_input_file()'s `missing-file`). Used by callers that hold their texts elsewhere, such
/// as the Python module, whose tables arrive as Python strings or as files in any place.
struct FleetInput {
  std::optional<std::string_view> text;
  std::string name;      ///< the name diagnostics report it under ("devices.csv")
  Diagnostics problems;  ///< when there is no text: why
};

/// parse_fleet() over inputs held elsewhere. A missing input is reported by its `problems`
/// and, as in read_fleet(), the other inputs are still checked (references to devices only
/// when devices.csv could be read).
/// `access` (access.csv) is optional: without it no CAL demand is computed. `assignments`
/// (assignments.csv) is optional: without it no licence has a past (rules/reassignment.hpp).
[[nodiscard]] Result<FleetRead> parse_fleet(FleetInput devices, FleetInput installs, FleetInput entitlements,
                                            const RulePack& pack, std::optional<FleetInput> access = std::nullopt,
                                            std::optional<FleetInput> assignments = std::nullopt,
                                            std::optional<FleetInput> prices = std::nullopt);

/// Reads one input file whole, exactly as read_fleet() reads each of its files: a file that is
/// missing, a directory or unreadable gives one `missing-file` diagnostic under `name`.
[[nodiscard]] Result<std::string> read_input_file(const std::filesystem::path& path, const std::string& name);

}  // namespace trueup::io
