// SPDX-License-Identifier: BSL-1.0
// File: src/io/assignments_csv.cpp
//
// The assignments a run leaves, as an assignments.csv that a later run reads as its history
// (docs/formats.md): the reader's columns, in its order; a field is quoted (its quotes doubled)
// only when it holds a comma, a quote or a line break.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "trueup/io/writers.hpp"

namespace trueup::io {

std::string format_assignments_csv(const std::vector<LicenceAssignment>& assignments) {
  std::string out = "licence_id,device_id,user,from,reason,units\n";
  auto field = [&](const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
      out += v;
      return;
    }
    out += '"';
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
