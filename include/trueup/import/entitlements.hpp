// SPDX-License-Identifier: BSL-1.0
// File: trueup/import/entitlements.hpp
//
// Entitlement importers: the licence exports users already have (docs/formats.md "Entitlement
// sources"), read into licence records that become one entitlements.csv text in the project's
// own format, read by the same reader as a fleet directory's (io/readers.hpp): every check of
// entitlements.csv applies to an imported licence, and its diagnostics name the source's own
// file, line (a sheet's row) and column.
//
// Invariants of `Entitlements` (the fleet reader relies on them): every row knows where it was
// read (file, line, the column of each value), so that a problem the reader finds in the
// rendered text is reported at its origin. Licence ids stay as written: a repeated id, within a
// source or across two, is the reader's `duplicate-id` error at the second, naming the file and
// line of the first (never renamed: the same licence in two lists would count twice).
//
// **Example**:
//
//     auto source = trueup::import::parse_entitlement_source("licences.csv");
//     auto licences = trueup::import::read_entitlements({*source});
//     auto fleet = trueup::import::read_fleet("contracts/", nullptr, *licences, pack);
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/diagnostic.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/result.hpp"

namespace trueup::import {

/// The entitlement formats read.
enum class EntitlementFormat : std::uint8_t {
  csv,  ///< the project's entitlements.csv format (docs/formats.md), any name
};

/// One `--entitlements [KIND:]PATH`.
struct EntitlementSource {
  EntitlementFormat format = EntitlementFormat::csv;
  std::filesystem::path path;
  std::string spec;  ///< as given ("csv:licences.csv"), for reports
};

/// `KIND:PATH` with KIND `csv`, or a bare PATH (csv); an error `bad-entitlements` for another
/// KIND or an empty path. A PATH holding a colon needs its KIND (`csv:C:\licences.csv`).
[[nodiscard]] Result<EntitlementSource> parse_entitlement_source(std::string_view spec);

/// One licence record: its values by entitlements.csv column name, and where each was read.
struct LicenceRow {
  std::map<std::string, std::string> values;
  std::string file;                              ///< the file it was read from (its name)
  std::uint32_t line = 0;                        ///< its line, or its row in a sheet
  std::map<std::string, std::uint32_t> columns;  ///< each value's column in `file` (1-based)
  std::map<std::string, std::uint32_t> lines;    ///< each value's line, when not `line` (a quoted
                                                 ///< line break before it in the row)
};

struct Entitlements {
  std::vector<LicenceRow> rows;
  Diagnostics warnings;
};

/// Reads every source in order. Returns every error of every source (file, line, column)
/// when any source cannot be read.
[[nodiscard]] Result<Entitlements> read_entitlements(const std::vector<EntitlementSource>& sources);

/// The records as entitlements.csv text (every column of docs/formats.md, in its order), rows in
/// the sources' order: byte-identical for the same records.
[[nodiscard]] std::string entitlements_csv(const Entitlements& entitlements);

/// The file name under which entitlements_csv()'s text is read (diagnostics about it name this
/// file until entitlement_origins() takes them back to their sources).
inline constexpr std::string_view imported_entitlements_name = "entitlements (imported)";

/// The fleet reader's diagnostics about entitlements_csv(`entitlements`), read under
/// imported_entitlements_name, taken back to the file, line and column each value was read from
/// (a diagnostic about the rendered header names the file `entitlements`); others unchanged.
/// What read_fleet() does; for callers that read the text themselves (the Python module).
[[nodiscard]] Diagnostics entitlement_origins(const Entitlements& entitlements, Diagnostics diagnostics);

/// The warning `not-read` when `dir` (not empty) holds an entitlements.csv, which the sources
/// given replace: a list left there is not counted, and the run says so.
[[nodiscard]] std::optional<Diagnostic> entitlements_left_in(const std::filesystem::path& dir);

/// A fleet whose licences are `entitlements`; its devices and installs are `inventory`'s when
/// given, else `dir`'s devices.csv and installs.csv; access.csv, assignments.csv and prices.csv
/// are read from `dir` when it is given (not empty) and holds them. DIR's entitlements.csv is
/// not read. Diagnostics about a licence name the file, line and column it was read from.
[[nodiscard]] Result<io::FleetRead> read_fleet(const std::filesystem::path& dir, const Inventory* inventory,
                                               const Entitlements& entitlements, const RulePack& pack);

}  // namespace trueup::import
