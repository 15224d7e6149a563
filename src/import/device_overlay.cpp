// SPDX-License-Identifier: BSL-1.0
// File: src/import/device_overlay.cpp
//
// DIR/devices.csv over the devices of an inventory (docs/formats.md "Facts no export holds"):
// what no inventory tool records — that a device is leased, retired, a test server, a VM on a
// given host — stated by the user in the project's own devices.csv, without writing the rest.
//
// Invariants: the overlay is checked as devices.csv is (every diagnostic at its own file, line
// and column) before anything is merged, with the inventory's devices known to it, so that a
// `host` may name an imported device; a row matches at most one imported device and an imported
// device at most one row; a stated value replaces the export's, an empty cell keeps it; a row
// that matches no imported device adds that device, with a warning. Nothing is guessed: a row
// that could be one of several imported devices is an error.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../io/csv.hpp"
#include "../io/separator.hpp"
#include "importers.hpp"

namespace trueup::import {

namespace {

/// devices.csv's columns (docs/formats.md), in its order: what an overlay may state.
constexpr std::array<std::string_view, 14> columns = {
    "device_id",  "hostname", "kind", "ownership", "status",      "status_date",          "primary_user",
    "processors", "cores",    "host", "cpu_model", "environment", "motherboard_replaced", "motherboard_reason"};
constexpr std::size_t id_column = 0;
constexpr std::size_t host_column = 9;
constexpr std::size_t none = columns.size();
/// Devices added by the overlay that its warning names; the rest are counted.
constexpr std::size_t max_named = 10;

using Values = std::array<std::string, columns.size()>;

/// A devices table read leniently into devices.csv's columns (unknown columns dropped): the
/// overlay as the user wrote it, or the imported devices as devices_csv() wrote them.
struct DeviceRow {
  std::uint32_t line = 0;
  std::uint32_t column = 0;  ///< of its device_id
  Values values;             ///< empty = not stated
};

std::vector<DeviceRow> read_rows(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  io::CsvReader csv(text, io::most_frequent_separator(text.substr(0, text.find('\n'))));
  std::vector<DeviceRow> out;
  if (!csv.next()) return out;
  std::vector<std::size_t> index;
  for (const io::CsvField& f : csv.fields()) {
    std::size_t c = 0;
    while (c < columns.size() && detail::ascii_lower(std::string(f.value)) != columns[c]) ++c;
    index.push_back(c);
  }
  while (csv.next()) {
    if (csv.fields().size() != index.size()) continue;  // the check reports it
    DeviceRow row;
    row.line = csv.line();
    for (std::size_t i = 0; i < index.size(); ++i) {
      if (index[i] == none) continue;
      row.values[index[i]] = std::string(csv.fields()[i].value);  // unquoted: already trimmed
      if (index[i] == id_column) row.column = csv.fields()[i].column;
    }
    if (!row.values[id_column].empty()) out.push_back(std::move(row));
  }
  return out;
}

struct OverlayRow : DeviceRow {
  std::size_t device = 0;  ///< the imported device it states facts of, when `matched`
  bool matched = false;
};

std::vector<OverlayRow> overlay_rows(std::string_view text) {
  std::vector<OverlayRow> rows;
  for (DeviceRow& r : read_rows(text)) rows.push_back(OverlayRow{std::move(r), 0, false});
  return rows;
}

/// Matches each row to the imported device of the same id, else to the one device whose id or
/// host name is the row's id in another case (exports spell host names in either case).
Diagnostics match(std::vector<OverlayRow>& rows, const std::vector<DeviceRow>& imported, const std::string& file) {
  std::map<std::string, std::size_t> exact;
  std::map<std::string, std::vector<std::size_t>> folded;
  for (std::size_t i = 0; i < imported.size(); ++i) {
    const std::string& id = imported[i].values[id_column];
    const std::string& hostname = imported[i].values[1];
    exact.emplace(id, i);
    folded[detail::ascii_lower(id)].push_back(i);
    if (!hostname.empty() && detail::ascii_lower(hostname) != detail::ascii_lower(id))
      folded[detail::ascii_lower(hostname)].push_back(i);
  }
  Diagnostics errors;
  std::map<std::size_t, std::uint32_t> taken;  // imported device -> the overlay line that states it
  for (OverlayRow& row : rows) {
    const std::string& id = row.values[id_column];
    const auto same = exact.find(id);
    const auto folded_match = folded.find(detail::ascii_lower(id));
    if (same != exact.end()) {
      row.device = same->second;
    } else if (folded_match == folded.end()) {
      continue;  // no imported device: the row adds one
    } else if (folded_match->second.size() == 1) {
      row.device = folded_match->second.front();
    } else {
      std::string names;
      for (const std::size_t i : folded_match->second)
        names += (names.empty() ? "" : ", ") + imported[i].values[id_column];
      errors.push_back({Severity::error, file, row.line, row.column, "ambiguous-device",
                        "column `device_id`: expected the id or host name of one device of the inventory, found \"" +
                            id + "\", which could be any of " + names + " (write its exact device_id)"});
      continue;
    }
    if (const auto [it, fresh] = taken.emplace(row.device, row.line); !fresh) {
      errors.push_back({Severity::error, file, row.line, row.column, "duplicate-device",
                        "column `device_id`: expected one row per device, found device " +
                            imported[row.device].values[id_column] + " already stated on line " +
                            std::to_string(it->second)});
      continue;
    }
    row.matched = true;
  }
  return errors;
}

/// The overlay as devices.csv, followed by one row naming each imported device it does not
/// state: the devices reader then checks every value where the user wrote it (the added rows
/// come after the last line), a `host` naming an imported device included.
std::string checkable(std::string_view text, const std::vector<OverlayRow>& rows,
                      const std::vector<DeviceRow>& imported) {
  std::string out(text);
  if (!out.empty() && out.back() != '\n') out += '\n';
  // A device whose exact id a row bears needs no row of its own (the reader would see it twice).
  std::set<std::string_view> written;
  for (const OverlayRow& row : rows) written.insert(row.values[id_column]);
  const std::string_view header = text.substr(0, text.find('\n'));
  const char separator = io::most_frequent_separator(header);
  std::size_t width = 1;
  for (const char c : header) width += c == separator;
  for (const DeviceRow& device : imported) {
    const std::string& id = device.values[id_column];
    if (written.count(id) != 0) continue;
    out += '"';
    for (const char c : id) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += '"';
    out.append(width - 1, separator);
    out += '\n';
  }
  return out;
}

void write_row(std::string& out, const Values& values) {
  for (std::size_t c = 0; c < values.size(); ++c) {
    if (c != 0) out += ',';
    detail::csv_field(out, values[c]);
  }
  out += '\n';
}

}  // namespace

Result<std::string> overlay_devices(std::string_view devices, std::string_view text, const std::string& file,
                                    const RulePack& pack, Diagnostics& warnings) {
  const std::vector<DeviceRow> imported = read_rows(devices);
  std::vector<OverlayRow> rows = overlay_rows(text);
  Diagnostics errors = match(rows, imported, file);
  const std::string check = checkable(text, rows, imported);
  auto checked = io::parse_fleet(
      io::FleetInput{check, file, {}}, io::FleetInput{"install_id,device_id,title\n", "installs.csv", {}},
      io::FleetInput{"licence_id,family,version,edition,channel,quantity\n", "entitlements.csv", {}}, pack);
  if (!checked) {
    for (const Diagnostic& d : checked.error())
      if (d.severity == Severity::error) errors.push_back(d);
  }
  if (!errors.empty()) return errors;
  for (const Diagnostic& d : checked->warnings)
    if (d.file == file) warnings.push_back(d);

  // A row's id may spell an imported device's id in another case: references follow it.
  std::map<std::string, std::string> renamed;
  for (const OverlayRow& row : rows)
    if (row.matched) renamed.emplace(row.values[id_column], imported[row.device].values[id_column]);
  const auto host_of = [&renamed](const std::string& host) {
    const auto it = renamed.find(host);
    return it == renamed.end() ? host : it->second;
  };
  std::vector<const OverlayRow*> stated(imported.size(), nullptr);
  for (const OverlayRow& row : rows)
    if (row.matched) stated[row.device] = &row;

  std::string out;
  for (std::size_t c = 0; c < columns.size(); ++c) out += (c == 0 ? "" : ",") + std::string(columns[c]);
  out += '\n';
  for (std::size_t i = 0; i < imported.size(); ++i) {
    Values values = imported[i].values;
    if (const OverlayRow* row = stated[i]) {
      for (std::size_t c = 1; c < columns.size(); ++c)
        if (!row->values[c].empty()) values[c] = c == host_column ? host_of(row->values[c]) : row->values[c];
    }
    write_row(out, values);
  }
  const OverlayRow* first_added = nullptr;
  std::size_t added = 0;
  std::string named;  // the first few, for the one warning
  for (const OverlayRow& row : rows) {
    if (row.matched) continue;
    if (first_added == nullptr) first_added = &row;
    if (++added <= max_named) named += (added == 1 ? "" : ", ") + row.values[id_column];
    Values values = row.values;
    values[host_column] = host_of(values[host_column]);
    write_row(out, values);
  }
  // One warning for them all, at the first: a devices.csv of a whole fleet adds hundreds.
  if (first_added != nullptr)
    warnings.push_back({Severity::warning, file, first_added->line, first_added->column, "not-in-inventory",
                        "expected devices of the inventory exports, found " + std::to_string(added) +
                            " device(s) no export lists (" + named + (added > max_named ? ", ..." : "") +
                            "): added as " + file + " states them, with no software known on them"});
  return out;
}

}  // namespace trueup::import
