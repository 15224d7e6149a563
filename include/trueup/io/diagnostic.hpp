// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/diagnostic.hpp
//
// A problem found in an input: where (file, line, column, all 1-based; 0 = the whole file or
// line), a stable code, and what was expected against what was found. Rendered as
//
//     devices.csv:12:3: error[bad-date]: expected a date YYYY-MM-DD, found "2024-13-01"
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace trueup {

enum class Severity : std::uint8_t { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string code;      ///< stable, kebab-case: "bad-date", "unknown-device", ...
  std::string message;   ///< "expected ..., found ..."

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

using Diagnostics = std::vector<Diagnostic>;

/// `file:line:col: error[code]: message` (line and column omitted when 0).
inline std::string to_string(const Diagnostic& d) {
  // Appended piece by piece: `":" + std::to_string(n)` trips a false GCC 12 -Wrestrict at -O3.
  std::string s = d.file;
  if (d.line != 0) {
    s += ':';
    s += std::to_string(d.line);
    if (d.column != 0) {
      s += ':';
      s += std::to_string(d.column);
    }
  }
  s += d.severity == Severity::error ? ": error[" : ": warning[";
  s += d.code;
  s += "]: ";
  s += d.message;
  return s;
}
inline std::ostream& operator<<(std::ostream& os, const Diagnostic& d) { return os << to_string(d); }

[[nodiscard]] inline bool has_errors(const Diagnostics& ds) {
  for (const auto& d : ds)
    if (d.severity == Severity::error) return true;
  return false;
}

}  // namespace trueup
