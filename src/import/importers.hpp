// SPDX-License-Identifier: BSL-1.0
// File: src/import/importers.hpp
//
// The importers' private pieces: one reader per export format, each filling an `Inventory` of
// its own from one source (read_inventory() then merges the sources), and the text helpers they
// share. A reader appends errors to `errors` and warnings to the inventory; it never throws on
// bad input (a broken invariant only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/import/inventory.hpp"

namespace trueup::import::detail {

/// GLPI Agent inventory JSON (glpi.cpp).
void read_glpi(const Source& source, Inventory& out, Diagnostics& errors);
/// Windows registry exports of the Uninstall keys (registry.cpp).
void read_reg(const Source& source, Inventory& out, Diagnostics& errors);
/// Configuration Manager (SCCM / MECM) view exports: a folder of CSV files (sccm.cpp).
void read_sccm(const Source& source, Inventory& out, Diagnostics& errors);
/// Lansweeper table exports: a folder of CSV files, one per table (lansweeper.cpp).
void read_lansweeper(const Source& source, Inventory& out, Diagnostics& errors);
/// Linux package lists, one computer per file: `dpkg-query` and `rpm -qa` (packages.cpp).
void read_dpkg(const Source& source, Inventory& out, Diagnostics& errors);
void read_rpm(const Source& source, Inventory& out, Diagnostics& errors);
/// `SELECT @@VERSION` output, one SQL Server instance per file (mssql.cpp).
void read_mssql(const Source& source, Inventory& out, Diagnostics& errors);
/// osquery results: osqueryd results logs or `osqueryi --json` output (osquery.cpp).
void read_osquery(const Source& source, Inventory& out, Diagnostics& errors);
/// WMI Win32_Processor dumps, one computer per file (wmi.cpp).
void read_wmi(const Source& source, Inventory& out, Diagnostics& errors);

/// The files a source names: the file itself, or the regular files of a folder whose names end
/// in `extension` (case-insensitively), sorted by name so every run reads them in one order.
/// A missing path, or a folder without such files, is one `missing-file` error.
[[nodiscard]] std::vector<std::filesystem::path> source_files(const Source& source, std::string_view extension,
                                                              Diagnostics& errors);

/// A file's bytes; false (and a `missing-file` error) when it cannot be read.
bool read_bytes(const std::filesystem::path& path, std::string& bytes, Diagnostics& errors);

/// Text as UTF-8: a UTF-8 byte order mark is removed, UTF-16LE and UTF-16BE with their byte
/// order marks are converted (an unpaired surrogate becomes U+FFFD); anything else is taken as
/// UTF-8 already.
[[nodiscard]] std::string to_utf8(std::string_view bytes);

/// `s` without the spaces and tabs that lead or trail it (wmic pads its values).
[[nodiscard]] std::string trimmed(std::string_view s);

/// ASCII letters in lower case; other bytes unchanged.
[[nodiscard]] std::string ascii_lower(std::string s);

/// A date as Windows tools write it: `YYYYMMDD` (the registry's InstallDate), `YYYY-MM-DD`, or
/// a date-time starting with `YYYY-MM-DD` (`2023-01-15 00:00:00.000`, as SQL Server exports
/// it); nullopt for anything else.
[[nodiscard]] std::optional<Date> windows_date(std::string_view s);

/// The state word of a dpkg `Status` field (`want flag state`: `installed`, `config-files`);
/// the field itself when it has no space.
[[nodiscard]] std::string_view dpkg_state(std::string_view status);

/// dpkg states whose package files are on the disk (dpkg-query(1), "Package states"):
/// `installed`, `unpacked`, `half-installed`, `half-configured`, `triggers-awaited`,
/// `triggers-pending`. A package in another state (`config-files`, `not-installed`) is no install.
[[nodiscard]] bool files_present(std::string_view state);

/// Seconds since 1970-01-01 UTC (rpm's `%{INSTALLTIME}`, osquery's `install_time`) as a date;
/// nullopt when it is not such a number up to 9999-12-31.
[[nodiscard]] std::optional<Date> epoch_date(std::string_view seconds);

/// Appends `v` to `out` as a field in the CSV dialect of docs/formats.md: quoted (quotes
/// doubled) when it holds a comma, a quote, a line break, or spaces the reader would trim.
void csv_field(std::string& out, std::string_view v);

/// Appends the UTF-8 encoding of `code_point` to `out`.
void append_utf8(std::string& out, std::uint32_t code_point);

/// The 1-based line and column of byte `offset` in `text`.
struct TextPosition {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};
[[nodiscard]] TextPosition position_of(std::string_view text, std::size_t offset);

}  // namespace trueup::import::detail
