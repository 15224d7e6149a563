// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/dialect.hpp
//
// How the fleet's CSV files are written (docs/formats.md, "The CSV dialect"): their separator
// and their encoding. The default reads what the project writes and what most tools export
// (UTF-8, the separator detected from each file's header); a French or German spreadsheet saves
// "CSV" with `;` in Windows-1252, which `--encoding windows-1252` reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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

}  // namespace trueup::io
