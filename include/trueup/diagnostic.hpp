// SPDX-License-Identifier: BSL-1.0
// File: trueup/diagnostic.hpp
//
// A problem found in an input: where (file, line, column, all 1-based; 0 = the whole file or
// line), a stable code, and what was expected against what was found. Rendered as
//
//     devices.csv:12:3: error[bad-date]: expected a date YYYY-MM-DD, found "2024-13-01"
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "trueup/enum_table.hpp"
#include "trueup/printable.hpp"

namespace trueup {

enum class Severity : std::uint8_t { error, warning };

/// What a problem is about, in the core's terms: the input it concerns.
enum class Subject : std::uint8_t { none, devices, installs, entitlements, access, history, rule_pack };

template <>
struct EnumTable<Severity> {
  static constexpr std::array<EnumEntry<Severity>, 2> entries{
      {{Severity::error, "error", "error"}, {Severity::warning, "warning", "warning"}}};
};
template <>
struct EnumTable<Subject> {
  static constexpr std::array<EnumEntry<Subject>, 7> entries{{{Subject::none, "none", "none"},
                                                              {Subject::devices, "devices", "devices"},
                                                              {Subject::installs, "installs", "installs"},
                                                              {Subject::entitlements, "entitlements", "entitlements"},
                                                              {Subject::access, "access", "access"},
                                                              {Subject::history, "history", "history"},
                                                              {Subject::rule_pack, "rule_pack", "rule-pack"}}};
};

struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string code;                 ///< stable, kebab-case: "bad-date", "unknown-device", ...
  std::string message;              ///< "expected ..., found ..."
  Subject subject = Subject::none;  ///< what it is about, when `file` is not known (the core)

  /// A problem the core found about a whole input, with no file, line or column.
  [[nodiscard]] static Diagnostic about(Subject subject, std::string code, std::string message,
                                        Severity severity = Severity::warning) {
    return {severity, {}, 0, 0, std::move(code), std::move(message), subject};
  }

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

using Diagnostics = std::vector<Diagnostic>;

/// `file:line:col: error[code]: message` (line and column omitted when 0; the subject's name
/// when no file is known), always one line of printable text: control characters and the
/// other characters trueup/printable.hpp lists are escaped, wherever the message took them
/// from.
inline std::string to_string(const Diagnostic& d) {
  // Appended piece by piece: `":" + std::to_string(n)` trips a false GCC 12 -Wrestrict at -O3.
  std::string s;
  append_printable(s, d.file.empty() && d.subject != Subject::none ? std::string_view(name(d.subject)) : d.file);
  if (d.line != 0) {
    s += ':';
    s += std::to_string(d.line);
    if (d.column != 0) {
      s += ':';
      s += std::to_string(d.column);
    }
  }
  s += d.severity == Severity::error ? ": error[" : ": warning[";
  append_printable(s, d.code);
  s += "]: ";
  append_printable(s, d.message);
  return s;
}
inline std::ostream& operator<<(std::ostream& os, const Diagnostic& d) { return os << to_string(d); }

/// Names the file (or table) each problem's subject was read from, where the core left it
/// unnamed: `file_of(subject)` gives the name, or an empty string to leave it.
template <class FileOf>
void attribute(Diagnostics& ds, FileOf&& file_of) {
  for (auto& d : ds)
    if (d.file.empty() && d.subject != Subject::none) d.file = file_of(d.subject);
}

[[nodiscard]] inline bool has_errors(const Diagnostics& ds) {
  for (const auto& d : ds)
    if (d.severity == Severity::error) return true;
  return false;
}

}  // namespace trueup
