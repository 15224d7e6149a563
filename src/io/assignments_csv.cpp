// SPDX-License-Identifier: BSL-1.0
// File: src/io/assignments_csv.cpp
//
// The assignments a run leaves, as an assignments.csv that a later run reads as its history
// (docs/formats.md): the reader's columns, in its order. The file is safe to open in a
// spreadsheet and reads back as the same ids: a field is quoted (its quotes doubled) when it
// holds a comma, a quote or a line break, or starts or ends with a blank; a field that a
// spreadsheet would take for a formula gets an apostrophe in front (and quotes), which the
// reader removes. The one thing the CSV dialect cannot carry is a CR LF inside a value: it
// reads back as LF (docs/formats.md).
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

#include "trueup/io/writers.hpp"

namespace trueup::io {

namespace {

/// Whether `v` would start a formula in a spreadsheet (`=`, `+`, `-`, `@`, a tab or a CR
/// first), possibly behind apostrophes already: such a value is written with one more
/// apostrophe in front, which the reader of assignments.csv removes (read_assignments.cpp).
/// Apostrophes count so that the escape is one-to-one: `'=x` is written `''=x` and reads back
/// as `'=x`; `'abc` is neither escaped nor unescaped.
bool needs_formula_escape(std::string_view v) {
  const std::size_t i = v.find_first_not_of('\'');
  return i != std::string_view::npos && std::string_view("=+-@\t\r").find(v[i]) != std::string_view::npos;
}

/// Whether `v` must be quoted to read back as itself: a comma, quote or line break inside,
/// blanks around (the reader trims them from unquoted fields), or a formula escape.
bool needs_quotes(std::string_view v) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  return v.find_first_of(",\"\r\n") != std::string_view::npos || (!v.empty() && (blank(v.front()) || blank(v.back())));
}

}  // namespace

std::string format_assignments_csv(const std::vector<LicenceAssignment>& assignments) {
  std::string out = "licence_id,device_id,user,from,reason,units\n";
  auto field = [&](const std::string& v) {
    const bool escape = needs_formula_escape(v);
    if (!escape && !needs_quotes(v)) {
      out += v;
      return;
    }
    out += '"';
    if (escape) out += '\'';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  for (const LicenceAssignment& a : assignments) {
    field(a.licence);
    out += ',';
    field(a.device);
    out += ',';
    field(a.user);
    out += fmt::format(",{},{},{}\n", a.from.iso(), name(a.reason), a.units);
  }
  return out;
}

}  // namespace trueup::io
