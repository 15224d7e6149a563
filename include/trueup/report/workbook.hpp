// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/workbook.hpp
//
// The effective licence position as an auditor's workbook (docs/outputs.md): the sheets ELP,
// Installs, Licences, Shortfall, Excluded and Assumptions, as one XLSX file or as a folder of
// CSV files with the same sheets. Both depend only on the inputs (the same position gives the
// same bytes), both are written atomically (a failed write leaves no partial output), and in
// both a text that a spreadsheet would take for a formula (it starts with =, +, -, @, a tab or
// a carriage return) stays text.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/result.hpp"

namespace trueup::report {

/// The largest number of rows an XLSX sheet may hold (the file format's limit), header included.
inline constexpr std::size_t xlsx_max_rows = 1'048'576;

struct WorkbookOptions {
  /// What the Assumptions sheet says the run was given, in order: ("as-of date", "2026-06-30")...
  std::vector<std::pair<std::string, std::string>> options;
  /// Rows per XLSX sheet, header included: a longer sheet continues on "Installs (2)" and so on
  /// with the header repeated. Lower only in tests.
  std::size_t max_rows = xlsx_max_rows;
};

/// The workbook as an XLSX file at `path` (libxlsxwriter in constant-memory mode: the rows are
/// streamed, memory does not grow with the fleet). Written to PATH.trueup-tmp, then renamed.
[[nodiscard]] Result<bool> write_xlsx(const std::filesystem::path& path, const Position& position, const RulePack& pack,
                                      const Fleet& fleet, const WorkbookOptions& options = {});

/// The workbook as a folder of CSV files, one per sheet (`elp.csv`, `installs.csv`, ...), never
/// split. Written to DIR.trueup-tmp, then renamed; an existing DIR is replaced only when it holds
/// nothing but these files (it is another run's output), else it is an error.
[[nodiscard]] Result<bool> write_csv_folder(const std::filesystem::path& dir, const Position& position,
                                            const RulePack& pack, const Fleet& fleet,
                                            const WorkbookOptions& options = {});

/// Whether `dir` may be replaced by a CSV workbook: it does not exist, or it is a folder that
/// holds nothing but the files of one (another run's output).
[[nodiscard]] bool csv_folder_replaceable(const std::filesystem::path& dir);
/// Puts the folder `staged` in the place of `dir` (checked with csv_folder_replaceable): an
/// earlier `dir` is moved aside, `staged` renamed, then the earlier one removed.
[[nodiscard]] Result<bool> replace_folder(const std::filesystem::path& staged, const std::filesystem::path& dir);

/// The files write_csv_folder() writes, in sheet order.
[[nodiscard]] std::vector<std::string> csv_folder_files();

}  // namespace trueup::report
