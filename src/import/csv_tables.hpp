// SPDX-License-Identifier: BSL-1.0
// File: src/import/csv_tables.hpp
//
// What the importers of database exports share (sccm.cpp, lansweeper.cpp): a folder holding
// one CSV file per table or view, named after it, as SQL Server Management Studio ("Save
// Results As") or PowerShell (`Invoke-Sqlcmd ... | Export-Csv`) writes them; each file read
// row by row with its columns looked up by name, any case.
//
// Text: UTF-8 (with or without a byte order mark) or UTF-16 with one; separated by `,`, `;` or
// a tab (the header decides); PowerShell's `#TYPE` first line is skipped (lines still count
// from the top of the file); SSMS's `NULL` is an empty value. Every problem names the file,
// line and column: a required column missing, a row with another number of fields than the
// header (not read), a broken or unterminated quote.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../io/csv.hpp"
#include "importers.hpp"

namespace trueup::import::detail {

/// A table's columns by lower-case name, looked up by a view of the name (no copy per lookup).
using ColumnIndex = std::map<std::string, std::size_t, std::less<>>;

/// One data row of a table: its values by column, looked up by lower-case name.
class TableRow {
 public:
  /// `skipped_lines`: lines before the CSV text (PowerShell's `#TYPE` line), so that line()
  /// is the file's.
  TableRow(const ColumnIndex& columns, std::span<const io::CsvField> fields, std::uint32_t skipped_lines)
      : columns_(columns), fields_(fields), skipped_lines_(skipped_lines) {}
  /// The value of `column` (lower case); empty when the table has no such column, or for NULL.
  [[nodiscard]] std::string operator[](std::string_view column) const;
  /// The file's column (1-based) where the value of `column` (lower case) starts; 0 when the
  /// table has no such column.
  [[nodiscard]] std::uint32_t column(std::string_view column) const;
  /// The file's line where the value of `column` (lower case) starts: after line() when a
  /// quoted value before it holds a line break; 0 when the table has no such column.
  [[nodiscard]] std::uint32_t line(std::string_view column) const;
  /// The header's columns by lower-case name, and their places.
  [[nodiscard]] const ColumnIndex& columns() const { return columns_; }
  /// The file's line where the row starts.
  [[nodiscard]] std::uint32_t line() const { return fields_.empty() ? 0 : fields_[0].line + skipped_lines_; }

 private:
  const ColumnIndex& columns_;
  std::span<const io::CsvField> fields_;
  std::uint32_t skipped_lines_;
};

/// Reads one table file, calling `each` for every data row whose field count is the header's.
/// `required` columns are lower case; one missing is a `missing-column` error and no row is
/// read. A column of `required` or of `optional` (lower case: the others the caller reads) that
/// the header gives twice, in any case, is a `duplicate-column` error and no row is read: which
/// of the two values is meant is not known (other repeated columns are not read). False when
/// the file could not be read at all (unreadable, empty, a column missing or repeated).
bool read_table(const std::filesystem::path& path, const std::vector<std::string_view>& required,
                const std::function<void(const TableRow&)>& each, Diagnostics& errors,
                const std::vector<std::string_view>& optional = {});

/// The CSV files of a source's folder by lower-case name. `what` says what the folder should
/// hold ("Configuration Manager view exports (v_R_System.csv, ...)"); a path that is no
/// folder is a `missing-file` error naming it, and so is a folder without `required` (its
/// lower-case name; `required_label` as the message gives it: "v_R_System.csv (the devices)").
[[nodiscard]] std::map<std::string, std::filesystem::path> table_files(const Source& source, std::string_view what,
                                                                       std::string_view required,
                                                                       std::string_view required_label,
                                                                       Diagnostics& errors);

/// Whether a 0/1 or true/false column is set.
[[nodiscard]] bool table_flag(const std::string& value);

/// A device id not yet in `taken` (lower-case id -> the record's key): `name` itself when free,
/// else `NAME (KEY_LABEL KEY)`, then `NAME (KEY_LABEL KEY #N)`; the id returned is taken too,
/// so that no later record can bear it. `first` is set to the key that took `name` first when
/// the name was taken (empty otherwise).
[[nodiscard]] std::string unique_device_id(std::map<std::string, std::string>& taken, const std::string& name,
                                           std::string_view key_label, const std::string& key, std::string& first);

}  // namespace trueup::import::detail
