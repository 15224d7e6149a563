// SPDX-License-Identifier: BSL-1.0
// File: src/report/sheet.hpp
//
// A sheet of the workbook as data, apart from the file format that writes it (xlsx/, csv/):
// typed columns and rows made on demand, so that a writer streams a million installs without
// holding them. A sheet's rows come out in a fixed order (records by id), so the same position
// gives the same rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/model/date.hpp"
#include "trueup/model/money.hpp"
#include "trueup/report/workbook.hpp"

namespace trueup::report {

/// One cell. `flagged` is text an auditor must see (a licence with no proof of purchase): the
/// XLSX writer highlights it, the CSV has it as it is.
struct Cell {
  enum class Kind : std::uint8_t { empty, text, flagged, integer, money, date };
  Kind kind = Kind::empty;
  std::string text;
  std::int64_t integer = 0;  ///< integer; date: days since 1970-01-01
  MoneyTotal money;

  [[nodiscard]] static Cell of(std::string_view s) { return {Kind::text, std::string(s), 0, {}}; }
  [[nodiscard]] static Cell flag(std::string_view s) { return {Kind::flagged, std::string(s), 0, {}}; }
  [[nodiscard]] static Cell of(std::int64_t n) { return {Kind::integer, {}, n, {}}; }
  [[nodiscard]] static Cell of(MoneyTotal m) { return {Kind::money, {}, 0, m}; }
  [[nodiscard]] static Cell of(Date d) { return {Kind::date, {}, d.days, {}}; }
};

using Row = std::vector<Cell>;
using RowSink = std::function<void(const Row&)>;

struct Column {
  std::string header;
  unsigned width = 12;  ///< in characters, as a spreadsheet shows it
};

struct Sheet {
  std::string name;       ///< the XLSX sheet's name (at most 25 characters, room for " (99)")
  std::string file_name;  ///< the CSV file's name
  std::vector<Column> columns;
  std::function<void(const RowSink&)> rows;  ///< hands every row to the sink, in order
};

/// The workbook's sheets, in order: ELP, Installs, Licences, Shortfall, Excluded, Assumptions.
/// They refer to their arguments, which must outlive them.
[[nodiscard]] std::vector<Sheet> workbook_sheets(const Position& position, const RulePack& pack, const Fleet& fleet,
                                                 const WorkbookOptions& options);

/// The summary sheets (sheets.cpp): ELP, Shortfall, Assumptions.
[[nodiscard]] Sheet elp_sheet(const Position& position, const RulePack& pack);
[[nodiscard]] Sheet shortfall_sheet(const Position& position, const RulePack& pack, const Fleet& fleet);
[[nodiscard]] Sheet assumptions_sheet(const Position& position, const Fleet& fleet, const WorkbookOptions& options);
/// The record sheets (record_sheets.cpp): Installs, Licences, Excluded.
[[nodiscard]] Sheet installs_sheet(const Position& position, const RulePack& pack, const Fleet& fleet);
[[nodiscard]] Sheet licences_sheet(const Position& position, const RulePack& pack, const Fleet& fleet);
[[nodiscard]] Sheet excluded_sheet(const Position& position, const RulePack& pack, const Fleet& fleet);

/// `sheets` as an XLSX file (xlsx/write_xlsx.cpp): each sheet continued on "NAME (2)" ... past
/// `max_rows` rows; the document's creation time is `created`. Written to PATH.trueup-tmp, then
/// renamed.
[[nodiscard]] Result<bool> write_sheets_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets,
                                             Date created, std::size_t max_rows);
/// `sheets` as text for a terminal (plain.cpp): each sheet's name, then its columns aligned.
[[nodiscard]] std::string format_sheets_table(const std::vector<Sheet>& sheets);
/// `sheets` as a JSON object (plain.cpp): trueup's version, the rule pack and the as-of date of
/// `position`, then each sheet as an array (its file name's stem) of objects whose keys are its
/// headers in snake case; an empty cell is null, money a decimal string, a date ISO.
[[nodiscard]] std::string format_sheets_json(const std::vector<Sheet>& sheets, const Position& position);

/// `s` made safe for a file that must open: invalid UTF-8 and control characters other than
/// tab, line feed and carriage return become U+FFFD, and it is cut (at a character boundary,
/// ending in "…") to a spreadsheet cell's 32,767 characters.
[[nodiscard]] std::string clean_text(std::string_view s);
/// A cell as one line of text (plain.cpp): numbers in digits, money as a decimal, dates ISO, text
/// cleaned (clean_text) with its line breaks and tabs as spaces.
[[nodiscard]] std::string cell_text(const Cell& c);

/// Whether a spreadsheet would read `s` as a formula were it typed in: it starts with =, +, -,
/// @, a tab or a carriage return (OWASP "CSV injection").
[[nodiscard]] bool looks_like_formula(std::string_view s);

}  // namespace trueup::report
