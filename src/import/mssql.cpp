// SPDX-License-Identifier: BSL-1.0
// File: src/import/mssql.cpp
//
// SQL Server's own word on its version and edition: the output of `SELECT @@VERSION`, one
// instance per file (what GLPI Agent's MSSQL database module asks each instance; docs/formats.md
// "SQL Server @@VERSION"):
//
//     Microsoft SQL Server 2019 (RTM-GDR) (KB4583458) - 15.0.2080.9 (X64)
//         Nov  6 2020 16:50:01
//         Copyright (C) 2019 Microsoft Corporation
//         Developer Edition (64-bit) on Windows 10 Pro 10.0 <X64> (Build 19042: ) (Hypervisor)
//
// Add/Remove Programs often names SQL Server without its edition ("Microsoft SQL Server 2019
// (64-bit)"), which recognition cannot decide; the instance names it ("Developer Edition",
// "Express Edition": free editions, "Enterprise Edition: Core-based Licensing") — ecosystem §0
// item 4. Each instance becomes one install row titled with the product and the edition as the
// server wrote them ("Microsoft SQL Server 2019 Developer Edition (64-bit)"), its version the
// build number. The lines around the value (sqlcmd's column header and dashes, the "(1 rows
// affected)" footer in the client's language and code page) are not read; a file may hold the
// output of several queries, each a row. Nothing else is inferred: "(Hypervisor)" is printed by
// a guest and by a Hyper-V host alike, so it does not make the device a virtual machine.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "importers.hpp"

namespace trueup::import::detail {

namespace {

constexpr std::string_view product_prefix = "Microsoft SQL Server ";

/// One `@@VERSION` value: the product line and the edition line.
struct Instance {
  std::string product;  ///< "Microsoft SQL Server 2019", "Microsoft SQL Server 2008 R2"
  std::string version;  ///< "15.0.2080.9"
  std::string edition;  ///< "Developer Edition (64-bit)"
  std::uint32_t line = 0;
};

bool ascii_printable(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  return true;
}

/// The product and build of the first line: `Microsoft SQL Server YEAR[ R2] ... - BUILD (...)`.
/// False when the line does not read so.
bool read_product_line(std::string_view line, Instance& out) {
  std::string_view rest = line.substr(product_prefix.size());
  std::size_t year = 0;
  while (year < rest.size() && std::isdigit(static_cast<unsigned char>(rest[year])) != 0) ++year;
  if (year != 4) return false;
  std::size_t end = year;
  if (rest.substr(end, 3) == " R2") end += 3;
  out.product = std::string(line.substr(0, product_prefix.size() + end));
  const std::size_t dash = line.find(" - ");
  if (dash == std::string_view::npos) return false;
  std::string_view build = line.substr(dash + 3);
  std::size_t n = 0;
  while (n < build.size() && (std::isdigit(static_cast<unsigned char>(build[n])) != 0 || build[n] == '.')) ++n;
  if (n == 0) return false;
  out.version = std::string(build.substr(0, n));
  return true;
}

/// The edition of a line `EDITION on OS...`: what comes before " on "; empty when the line does
/// not name an edition.
std::string edition_of(std::string_view line) {
  const std::string t = trimmed(line);
  const std::size_t on = t.find(" on ");
  std::string edition = t.substr(0, on);
  return edition.find("Edition") == std::string::npos || !ascii_printable(edition) ? std::string() : edition;
}

/// The instances of one file's text, or an error naming the first line that should have been a
/// product line.
std::vector<Instance> instances_of(std::string_view text, const std::string& file, Diagnostics& errors) {
  std::vector<Instance> found;
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string t = trimmed(lines[i]);
    if (t.rfind(product_prefix, 0) != 0) continue;
    Instance in;
    in.line = static_cast<std::uint32_t>(i + 1);
    if (!ascii_printable(t) || !read_product_line(t, in)) {
      errors.push_back(
          {Severity::error, file, in.line, 1, "bad-mssql",
           "expected `Microsoft SQL Server YEAR ... - BUILD (...)` as SELECT @@VERSION writes it, found " +
               (ascii_printable(t) ? "\"" + t.substr(0, 80) + "\"" : std::string("bytes that are not ASCII"))});
      return {};
    }
    // The edition is on the fourth line of the value; it is looked for until the next value.
    for (std::size_t j = i + 1; j < lines.size() && j <= i + 4 && in.edition.empty(); ++j) {
      if (trimmed(lines[j]).rfind(product_prefix, 0) == 0) break;
      in.edition = edition_of(lines[j]);
    }
    found.push_back(std::move(in));
  }
  if (found.empty())
    errors.push_back({Severity::error, file, 1, 1, "bad-mssql",
                      "expected the output of SELECT @@VERSION (a line starting `Microsoft SQL Server`), found none"});
  return found;
}

}  // namespace

void read_mssql(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  std::map<std::string, int> seen;
  // A folder is read as all its files: `HOST.txt`, or `HOST$INSTANCE.txt` for a named instance.
  for (const auto& path : source_files(source, "", errors)) {
    std::string bytes;
    if (!read_bytes(path, bytes, errors)) continue;
    const std::string file = path.filename().string();
    const std::string stem = path.stem().string();
    const std::size_t dollar = stem.find('$');
    const std::string device = stem.substr(0, dollar);
    const std::string instance = dollar == std::string::npos ? "MSSQLSERVER" : stem.substr(dollar + 1);
    // Not to_utf8's "UTF-8 already" for other bytes: the footer may be in the client's code page,
    // and only the ASCII product and edition lines are read.
    const std::vector<Instance> found = instances_of(to_utf8(bytes), file, errors);
    if (found.empty()) continue;
    ++count.files;
    for (const Instance& in : found) {
      InventoryRow row;
      row.device_id = device;
      row.title = in.edition.empty() ? in.product : in.product + " " + in.edition;
      row.publisher = "Microsoft Corporation";
      row.version = in.version;
      row.source = file + ":" + std::to_string(in.line);
      row.id = device + "/mssql/" + instance;
      if (const int n = ++seen[row.id]; n > 1) row.id += "#" + std::to_string(n);
      if (in.edition.empty())
        out.warnings.push_back({Severity::warning, file, in.line, 1, "no-edition",
                                in.product + ": expected an edition line (`... Edition (64-bit) on ...`) after it, " +
                                    "found none; read without an edition, which recognition sends to review"});
      out.rows.push_back(std::move(row));
    }
    bool known = false;
    for (const InventoryDevice& d : out.devices) known = known || d.id == device;
    if (known) continue;
    InventoryDevice d;
    d.id = device;
    d.hostname = device;
    d.software_reported = false;  // one product's word, not the computer's software list
    d.source = file;
    out.devices.push_back(std::move(d));
  }
  count.devices = out.devices.size();
  count.rows = out.rows.size();
  out.sources.push_back(std::move(count));
}

}  // namespace trueup::import::detail
