// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/dialect.hpp
//
// How the fleet's CSV files are written (docs/formats.md, "The CSV dialect"): their separator
// and their encoding, and the readers of trueup/io/readers.hpp and trueup/io/claim.hpp in a
// given dialect. Those headers' readers use the default: what the project writes and what most
// tools export (UTF-8, the separator detected from each file's header). A French or German
// spreadsheet saves "CSV" with `;` in Windows-1252, which `--encoding windows-1252` reads.
//
// **Example**:
//
//     const trueup::io::CsvDialect excel_fr{0, trueup::io::TextEncoding::windows_1252};
//     auto fleet = trueup::io::read_fleet("exports/", pack, 1, excel_fr);
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "trueup/io/claim.hpp"
#include "trueup/io/readers.hpp"

namespace trueup::io {

enum class TextEncoding : std::uint8_t {
  utf8,          ///< UTF-8, with or without a byte order mark (the default)
  windows_1252,  ///< every byte one character of the Windows-1252 table; its 5 undefined bytes are errors
};

struct CsvDialect {
  /// `,`, `;` or `\t`; 0: detected from each file's header line, as the separator that splits it
  /// into the file's column names.
  char separator = 0;
  TextEncoding encoding = TextEncoding::utf8;
};

/// The separator an option names: ",", ";" or "tab" (also "\t"); nullopt for anything else.
[[nodiscard]] inline std::optional<char> parse_separator(std::string_view v) {
  if (v == ",") return ',';
  if (v == ";") return ';';
  if (v == "tab" || v == "\t") return '\t';
  return std::nullopt;
}

/// The encoding an option names: "utf-8" or "windows-1252" (any ASCII case; also "utf8",
/// "cp1252"); nullopt for anything else.
[[nodiscard]] std::optional<TextEncoding> parse_encoding(std::string_view v);

/// What a separator or an encoding that parse_separator() or parse_encoding() refuses is told,
/// in the command's and the Python module's words alike: "expects , or ; or tab, not |".
[[nodiscard]] inline std::string bad_separator(std::string_view v) {
  return "expects , or ; or tab, not " + std::string(v);
}
[[nodiscard]] inline std::string bad_encoding(std::string_view v) {
  return "expects utf-8 or windows-1252, not " + std::string(v);
}

/// read_fleet() with every file read in `dialect`.
[[nodiscard]] Result<FleetRead> read_fleet(const std::filesystem::path& dir, const RulePack& pack, unsigned threads,
                                           const CsvDialect& dialect);
/// parse_fleet() with every text read in `dialect`.
[[nodiscard]] Result<FleetRead> parse_fleet(const FleetSources& sources, const RulePack& pack, unsigned threads,
                                            const CsvDialect& dialect);
/// parse_fleet() over inputs held elsewhere, every text read in `dialect`.
[[nodiscard]] Result<FleetRead> parse_fleet(FleetInput devices, FleetInput installs, FleetInput entitlements,
                                            const RulePack& pack, std::optional<FleetInput> access,
                                            std::optional<FleetInput> assignments, std::optional<FleetInput> prices,
                                            const CsvDialect& dialect);
/// parse_claim() and read_claim() with the claim read in `dialect`.
[[nodiscard]] Result<Claim> parse_claim(std::string_view text, const std::string& name, const RulePack& pack,
                                        const CsvDialect& dialect);
[[nodiscard]] Result<Claim> read_claim(const std::filesystem::path& path, const RulePack& pack,
                                       const CsvDialect& dialect);

}  // namespace trueup::io
