// SPDX-License-Identifier: BSL-1.0
// File: src/import/entitlements.cpp
//
// The entitlement importers together (trueup/import/entitlements.hpp): `[KIND:]PATH` parsed,
// each source read by its format's reader, the records concatenated with unique ids, rendered
// as one entitlements.csv text, and the fleet reader's diagnostics about that text taken back
// to the file, line and column each value was read from.
#include "trueup/import/entitlements.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <utility>

#include "entitlement_readers.hpp"
#include "importers.hpp"

namespace trueup::import {

namespace {

/// The columns of entitlements.csv, in the order of docs/formats.md and io's reader.
constexpr std::array<std::string_view, 17> columns{
    "licence_id",         "family",          "version", "edition",   "channel",
    "quantity",           "device_id",       "sku",     "reference", "purchase_date",
    "unit_cost",          "currency",        "metric",  "sa_start",  "sa_end",
    "subscription_start", "subscription_end"};

constexpr std::string_view rendered_name = imported_entitlements_name;

/// Where a field of a rendered row starts: lines after the row's first (a quoted value may hold
/// line breaks), and the 1-based column on that line.
struct FieldStart {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  auto operator<=>(const FieldStart&) const = default;
};

/// Where one rendered row starts in the text (its line) and where each of its fields starts.
struct RenderedRow {
  std::uint32_t line = 0;
  std::array<FieldStart, columns.size()> fields{};
};

/// Renders one row, recording where each field starts relative to the row's first line.
void render_row(std::string& out, const LicenceRow& row, RenderedRow& rendered) {
  std::size_t line_start = out.size();
  std::uint32_t line = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (c != 0) out += ',';
    rendered.fields[c] = {line, static_cast<std::uint32_t>(out.size() - line_start + 1)};
    const auto it = row.values.find(std::string(columns[c]));
    if (it == row.values.end()) continue;
    const std::size_t from = out.size();
    detail::csv_field(out, it->second);
    for (std::size_t at = out.find('\n', from); at != std::string::npos; at = out.find('\n', at + 1)) {
      ++line;
      line_start = at + 1;
    }
  }
  out += '\n';
}

/// The index of the rendered row holding `line` of the text (rows start on line 2, after the
/// header); `rows.size()` when none does.
std::size_t row_at(const std::vector<RenderedRow>& rows, std::uint32_t line) {
  const auto after = std::upper_bound(rows.begin(), rows.end(), line,
                                      [](std::uint32_t l, const RenderedRow& r) { return l < r.line; });
  return after == rows.begin() ? rows.size() : static_cast<std::size_t>(after - rows.begin() - 1);
}

/// The line a row's licence_id was read on (after the row's first when a quoted line break
/// comes before it).
std::uint32_t id_line(const LicenceRow& row) {
  const auto at = row.lines.find("licence_id");
  return at == row.lines.end() ? row.line : at->second;
}

/// Takes a diagnostic about the rendered text back to the row's origin: its file, line and the
/// column of the value (0 when the value has no column of its own, as a default does not).
void to_origin(Diagnostic& d, const Entitlements& e, const std::vector<RenderedRow>& rendered) {
  if (d.file != rendered_name) return;
  const std::size_t i = row_at(rendered, d.line);
  if (i == rendered.size()) {  // the header is the project's own: no origin
    d.file = "entitlements";
    return;
  }
  const LicenceRow& row = e.rows[i];
  // `duplicate-id` names the line the id was first on: that line's origin too.
  const std::string_view first = "(first on line ";
  if (const auto at = d.message.find(first); at != std::string::npos) {
    const auto n = static_cast<std::uint32_t>(std::strtoul(d.message.c_str() + at + first.size(), nullptr, 10));
    const std::size_t j = row_at(rendered, n);
    const auto close = d.message.find(')', at);
    if (j != rendered.size() && close != std::string::npos)
      d.message.replace(at, close + 1 - at,
                        "(first in " + e.rows[j].file + " on line " + std::to_string(id_line(e.rows[j])) + ")");
  }
  const FieldStart at{d.line - rendered[i].line, d.column};
  d.file = row.file;
  d.line = row.line;
  if (d.column == 0) return;  // about the whole row
  std::size_t c = 0;
  while (c + 1 < columns.size() && rendered[i].fields[c + 1] <= at) ++c;
  const auto col = row.columns.find(std::string(columns[c]));
  d.column = col == row.columns.end() ? 0 : col->second;
  if (const auto line = row.lines.find(std::string(columns[c])); line != row.lines.end()) d.line = line->second;
}

/// The fleet of `licences` and of `inventory` (when given) or DIR's devices and installs.
Result<io::FleetRead> parse(const std::filesystem::path& dir, const Inventory* inventory, io::FleetInput licences,
                            const RulePack& pack) {
  if (inventory != nullptr) return read_fleet(dir, *inventory, pack, std::move(licences));
  // The texts must outlive parsing: FleetInput holds views.
  std::map<std::string, std::string> texts;
  const auto input = [&](const char* file, bool optional) -> std::optional<io::FleetInput> {
    std::error_code ec;
    if (optional && !std::filesystem::exists(dir / file, ec)) return std::nullopt;
    auto t = io::read_input_file(dir / file, file);
    if (!t) return io::FleetInput{std::nullopt, file, t.error()};
    return io::FleetInput{texts[file] = std::move(*t), file, {}};
  };
  return io::parse_fleet(*input("devices.csv", false), *input("installs.csv", false), std::move(licences), pack,
                         input("access.csv", true), input("assignments.csv", true), input("prices.csv", true));
}

/// Where each row of entitlements_csv(`entitlements`) starts and where its fields start.
std::vector<RenderedRow> rendered_rows(const Entitlements& entitlements) {
  std::vector<RenderedRow> rendered(entitlements.rows.size());
  std::string scratch;
  std::uint32_t line = 2;
  for (std::size_t i = 0; i < entitlements.rows.size(); ++i) {
    scratch.clear();
    render_row(scratch, entitlements.rows[i], rendered[i]);
    rendered[i].line = line;
    line += static_cast<std::uint32_t>(std::count(scratch.begin(), scratch.end(), '\n'));
  }
  return rendered;
}

}  // namespace

Result<EntitlementSource> parse_entitlement_source(std::string_view spec) {
  EntitlementSource s;
  s.spec = std::string(spec);
  const auto colon = spec.find(':');
  const std::string_view kind = colon == std::string_view::npos ? std::string_view() : spec.substr(0, colon);
  std::string_view path = spec;
  if (kind == "csv") {
    s.format = EntitlementFormat::csv;
    path = spec.substr(colon + 1);
  } else if (colon != std::string_view::npos && kind.find_first_of("/\\.") == std::string_view::npos &&
             kind.size() > 1) {
    return Diagnostics{{Severity::error, "", 0, 0, "bad-entitlements",
                        "expected [KIND:]PATH with KIND csv, found \"" + std::string(spec) + "\""}};
  }
  if (path.empty())
    return Diagnostics{{Severity::error, "", 0, 0, "bad-entitlements",
                        "expected a path to an entitlements file, found \"" + std::string(spec) + "\""}};
  s.path = std::string(path);
  return s;
}

Result<Entitlements> read_entitlements(const std::vector<EntitlementSource>& sources) {
  Entitlements all;
  Diagnostics errors;
  // Ids stay as written: an id two sources both give is the fleet reader's `duplicate-id`, at
  // the second, naming the first's file and line. Renaming it would count the same licence twice
  // when one list is given twice or two exports overlap (a reseller's list and the register).
  for (std::size_t i = 0; i < sources.size(); ++i) {
    std::vector<LicenceRow> part;
    switch (sources[i].format) {
      case EntitlementFormat::csv: detail::read_licence_csv(sources[i], part, all.warnings, errors); break;
    }
    for (LicenceRow& row : part) all.rows.push_back(std::move(row));
  }
  if (!errors.empty()) {
    errors.insert(errors.end(), all.warnings.begin(), all.warnings.end());
    return errors;
  }
  return all;
}

std::string entitlements_csv(const Entitlements& entitlements) {
  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) out += (c == 0 ? "" : ",") + std::string(columns[c]);
  out += '\n';
  RenderedRow rendered;
  for (const LicenceRow& row : entitlements.rows) render_row(out, row, rendered);
  return out;
}

Diagnostics entitlement_origins(const Entitlements& entitlements, Diagnostics diagnostics) {
  const std::vector<RenderedRow> rendered = rendered_rows(entitlements);
  for (Diagnostic& d : diagnostics) to_origin(d, entitlements, rendered);
  return diagnostics;
}

Result<io::FleetRead> read_fleet(const std::filesystem::path& dir, const Inventory* inventory,
                                 const Entitlements& entitlements, const RulePack& pack) {
  const std::string text = entitlements_csv(entitlements);
  auto read = parse(dir, inventory, io::FleetInput{text, std::string(rendered_name), {}}, pack);
  if (!read) {
    Diagnostics errors = entitlement_origins(entitlements, read.error());
    errors.insert(errors.end(), entitlements.warnings.begin(), entitlements.warnings.end());
    return errors;
  }
  read->warnings = entitlement_origins(entitlements, std::move(read->warnings));
  read->warnings.insert(read->warnings.begin(), entitlements.warnings.begin(), entitlements.warnings.end());
  if (auto left = entitlements_left_in(dir)) read->warnings.push_back(std::move(*left));
  return read;
}

std::optional<Diagnostic> entitlements_left_in(const std::filesystem::path& dir) {
  std::error_code ec;
  if (dir.empty() || !std::filesystem::exists(dir / "entitlements.csv", ec)) return std::nullopt;
  return Diagnostic{Severity::warning,
                    "entitlements.csv",
                    0,
                    0,
                    "not-read",
                    "expected the licences of the --entitlements sources alone, found an entitlements.csv in the "
                    "fleet directory: not read"};
}

}  // namespace trueup::import
