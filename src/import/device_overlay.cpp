// SPDX-License-Identifier: BSL-1.0
// File: src/import/device_overlay.cpp
//
// DIR/devices.csv over the devices of an inventory (docs/formats.md "Facts no export holds"):
// what no inventory tool records — that a device is leased, retired, a test server, a VM on a
// given host — stated by the user in the project's own devices.csv, without writing the rest.
//
// Invariants: the overlay is read with the devices.csv reader's own columns, header rules and
// separator, and checked by that reader alone before anything is merged, so every problem is
// at its own file, line and column; the only references it cannot check there (a `host` naming
// an imported device, and a host that the two tables together make a VM) are checked here and
// reported at the overlay's field that states them. A row matches at most one imported device
// and an imported device at most one row; a stated value replaces the export's, an empty cell
// keeps it; a row that matches no imported device adds that device, with a warning. Nothing is
// guessed: a name that could be several imported devices is an error.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../io/device_columns.hpp"
#include "importers.hpp"
#include "trueup/printable.hpp"

namespace trueup::import {

namespace {

using io::reading::device_columns;
using io::reading::DeviceCol;

constexpr std::size_t column_count = std::size(device_columns);
/// Devices added by the overlay that its one warning names; the rest are counted.
constexpr std::size_t max_named = 10;

struct FieldAt {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// One row of a devices table in devices.csv's columns; an empty value is not stated.
struct DeviceRow {
  std::array<std::string, column_count> values;
  std::array<FieldAt, column_count> at;  ///< where each value is, for reports
  std::size_t device = 0;                ///< an overlay row: the imported device, when `matched`
  bool matched = false;
};

/// A devices table read as the devices.csv reader reads it (columns in any order and ASCII case,
/// the separator its header uses, values trimmed). Its problems are not reported here: the check
/// of the overlay by that reader reports them; a broken row is left out.
std::vector<DeviceRow> read_rows(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  Diagnostics reported_by_the_check;
  io::reading::Table t(text, "", device_columns, reported_by_the_check, 0);
  std::vector<DeviceRow> out;
  for (auto row = t.next(); row != io::reading::Table::Row::end; row = t.next()) {
    if (row == io::reading::Table::Row::broken) continue;
    DeviceRow r;
    for (std::size_t c = 0; c < column_count; ++c)
      if (const io::CsvField* f = t.field(c)) {
        r.values[c] = std::string(t.value(c));
        r.at[c] = {f->line, f->column};
      }
    if (!r.values[DeviceCol::device_id].empty()) out.push_back(std::move(r));
  }
  return out;
}

/// The imported devices by name: exactly by id, else ignoring ASCII case by id or host name
/// (exports spell host names in either case).
class Lookup {
 public:
  explicit Lookup(const std::vector<DeviceRow>& imported) {
    for (std::size_t i = 0; i < imported.size(); ++i) {
      const std::string& id = imported[i].values[DeviceCol::device_id];
      const std::string folded_id = detail::ascii_lower(id);
      exact_.emplace(id, i);
      folded_[folded_id].push_back(i);
      const std::string host_name = detail::ascii_lower(imported[i].values[DeviceCol::hostname]);
      if (!host_name.empty() && host_name != folded_id) folded_[host_name].push_back(i);
    }
  }
  /// The devices `name` may be: one, none, or several (ambiguous).
  [[nodiscard]] std::vector<std::size_t> find(const std::string& name) const {
    if (const auto it = exact_.find(name); it != exact_.end()) return {it->second};
    const auto it = folded_.find(detail::ascii_lower(name));
    return it == folded_.end() ? std::vector<std::size_t>{} : it->second;
  }

 private:
  std::map<std::string, std::size_t> exact_;
  std::map<std::string, std::vector<std::size_t>> folded_;
};

Diagnostic at(const std::string& file, FieldAt where, std::string code, std::string message, Severity s) {
  return {s, file, where.line, where.column, std::move(code), std::move(message)};
}

std::string shown(std::string_view id) {
  std::string out = "\"";
  append_printable(out, id, '"');
  return out + "\"";
}

/// Matches each row to its imported device; an error for a name that could be several, and for
/// a second row of one device (unless the two ids are the same text: the reader reports that).
Diagnostics match(std::vector<DeviceRow>& rows, const std::vector<DeviceRow>& imported, const Lookup& lookup,
                  const std::string& file) {
  Diagnostics errors;
  std::map<std::size_t, const DeviceRow*> taken;  // imported device -> the row that states it
  for (DeviceRow& row : rows) {
    const std::string& id = row.values[DeviceCol::device_id];
    const std::vector<std::size_t> found = lookup.find(id);
    if (found.empty()) continue;  // no imported device: the row adds one
    if (found.size() > 1) {
      std::string names;
      for (const std::size_t i : found) names += (names.empty() ? "" : ", ") + imported[i].values[DeviceCol::device_id];
      errors.push_back(at(file, row.at[DeviceCol::device_id], "ambiguous-device",
                          "column `device_id`: expected the id or host name of one device of the inventory, found " +
                              shown(id) + ", which could be any of " + names + " (write its exact device_id)",
                          Severity::error));
      continue;
    }
    row.device = found.front();
    const auto [it, fresh] = taken.emplace(row.device, &row);
    if (!fresh) {
      if (it->second->values[DeviceCol::device_id] != id)
        errors.push_back(at(file, row.at[DeviceCol::device_id], "duplicate-device",
                            "column `device_id`: expected one row per device, found device " +
                                imported[row.device].values[DeviceCol::device_id] + " already stated on line " +
                                std::to_string(it->second->at[DeviceCol::device_id].line),
                            Severity::error));
      continue;
    }
    row.matched = true;
  }
  return errors;
}

/// The devices after the overlay: the imported ones with the stated values, then the added
/// ones; and, for each, the overlay row that states it (nullptr: none).
struct Merged {
  std::vector<DeviceRow> devices;
  std::vector<const DeviceRow*> stated_by;
  std::map<std::string, std::size_t> by_row_id;  ///< an overlay row's id -> its device
};

Merged merge(const std::vector<DeviceRow>& imported, const std::vector<DeviceRow>& rows) {
  Merged m{imported, std::vector<const DeviceRow*>(imported.size(), nullptr), {}};
  for (const DeviceRow& row : rows) {
    if (!row.matched) continue;
    m.stated_by[row.device] = &row;
    m.by_row_id.emplace(row.values[DeviceCol::device_id], row.device);
    for (std::size_t c = DeviceCol::device_id + 1; c < column_count; ++c)
      if (!row.values[c].empty()) m.devices[row.device].values[c] = row.values[c];
  }
  for (const DeviceRow& row : rows) {
    if (row.matched) continue;
    m.by_row_id.emplace(row.values[DeviceCol::device_id], m.devices.size());
    m.devices.push_back(row);
    m.stated_by.push_back(&row);
  }
  return m;
}

/// The device a `host` value names: an overlay row's id, else an imported device (Lookup).
std::optional<std::size_t> host_device(const Merged& m, const Lookup& lookup, const std::string& host) {
  if (const auto it = m.by_row_id.find(host); it != m.by_row_id.end()) return it->second;
  const std::vector<std::size_t> found = lookup.find(host);
  if (found.size() == 1) return found.front();
  return std::nullopt;
}

/// Resolves every host to its device's id; reports a host that is a VM (WS8: a VM's licences are
/// counted on the physical server it runs on) at the overlay field that makes it so.
Diagnostics resolve_hosts(Merged& m, const Lookup& lookup, const std::string& file) {
  Diagnostics errors;
  for (std::size_t i = 0; i < m.devices.size(); ++i) {
    std::string& host = m.devices[i].values[DeviceCol::host];
    if (host.empty()) continue;
    const auto h = host_device(m, lookup, host);
    if (!h) continue;  // an export's own host: the fleet readers check it
    const std::string stated_host = host;
    host = m.devices[*h].values[DeviceCol::device_id];
    if (detail::ascii_lower(m.devices[*h].values[DeviceCol::kind]) != "vm") continue;
    const DeviceRow* vm_row = m.stated_by[i];
    const DeviceRow* host_row = m.stated_by[*h];
    if (vm_row != nullptr && !vm_row->values[DeviceCol::host].empty())
      errors.push_back(
          at(file, vm_row->at[DeviceCol::host], "host-not-physical",
             "column `host`: expected the physical server the VM runs on, found " + shown(stated_host) + ", a vm",
             Severity::error));
    else if (host_row != nullptr && detail::ascii_lower(host_row->values[DeviceCol::kind]) == "vm")
      errors.push_back(at(file, host_row->at[DeviceCol::kind], "host-not-physical",
                          "column `kind`: expected a physical device, since " +
                              m.devices[i].values[DeviceCol::device_id] + " runs on it, found \"vm\"",
                          Severity::error));
  }
  return errors;
}

/// The overlay checked alone by the devices.csv reader: its errors, but for an `unknown-device`
/// at a `host` that names an imported device (the reader does not know them).
Diagnostics checked(std::string_view text, const std::string& file, const RulePack& pack,
                    const std::vector<DeviceRow>& rows, const Merged& m, const Lookup& lookup, Diagnostics& warnings) {
  auto read = io::parse_fleet(
      io::FleetInput{text, file, {}}, io::FleetInput{"install_id,device_id,title\n", "installs.csv", {}},
      io::FleetInput{"licence_id,family,version,edition,channel,quantity\n", "entitlements.csv", {}}, pack);
  const Diagnostics& found = read ? read->warnings : read.error();
  Diagnostics errors;
  for (const Diagnostic& d : found) {
    if (d.severity != Severity::error) {
      if (d.file == file) warnings.push_back(d);
      continue;
    }
    bool imported_host = false;
    for (const DeviceRow& row : rows)
      imported_host = imported_host || (d.code == "unknown-device" && row.at[DeviceCol::host].line == d.line &&
                                        row.at[DeviceCol::host].column == d.column &&
                                        host_device(m, lookup, row.values[DeviceCol::host]).has_value());
    if (!imported_host) errors.push_back(d);
  }
  return errors;
}

void write_row(std::string& out, const DeviceRow& row) {
  for (std::size_t c = 0; c < column_count; ++c) {
    if (c != 0) out += ',';
    detail::csv_field(out, row.values[c]);
  }
  out += '\n';
}

/// One warning for every added device, at the first: a devices.csv of a whole fleet adds hundreds.
void warn_added(const std::vector<DeviceRow>& rows, const std::string& file, Diagnostics& warnings) {
  const DeviceRow* first = nullptr;
  std::size_t added = 0;
  std::string named;
  for (const DeviceRow& row : rows) {
    if (row.matched) continue;
    if (first == nullptr) first = &row;
    if (++added <= max_named) named += (added == 1 ? "" : ", ") + shown(row.values[DeviceCol::device_id]);
  }
  if (first != nullptr)
    warnings.push_back(at(file, first->at[DeviceCol::device_id], "not-in-inventory",
                          "expected devices of the inventory exports, found " + std::to_string(added) +
                              " device(s) no export lists (" + named + (added > max_named ? ", ..." : "") +
                              "): added as " + file + " states them, with no software known on them",
                          Severity::warning));
}

}  // namespace

Result<std::string> overlay_devices(std::string_view devices, std::string_view text, const std::string& file,
                                    const RulePack& pack, Diagnostics& warnings) {
  const std::vector<DeviceRow> imported = read_rows(devices);
  const Lookup lookup(imported);
  std::vector<DeviceRow> rows = read_rows(text);
  Diagnostics errors = match(rows, imported, lookup, file);
  Merged merged = merge(imported, rows);
  Diagnostics notes;
  const Diagnostics check = checked(text, file, pack, rows, merged, lookup, notes);
  errors.insert(errors.end(), check.begin(), check.end());
  if (errors.empty()) errors = resolve_hosts(merged, lookup, file);
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return errors;
  }
  warnings.insert(warnings.end(), notes.begin(), notes.end());
  warn_added(rows, file, warnings);
  std::string out;
  for (std::size_t c = 0; c < column_count; ++c) out += (c == 0 ? "" : ",") + std::string(device_columns[c].name);
  out += '\n';
  for (const DeviceRow& d : merged.devices) write_row(out, d);
  return out;
}

Result<std::string> imported_devices(const std::filesystem::path& dir, std::string_view devices, const RulePack& pack,
                                     Diagnostics& warnings) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Diagnostics{{Severity::error, dir.filename().string(), 0, 0, "missing-file",
                        "expected the fleet directory " + dir.string() + ", found " +
                            (std::filesystem::exists(dir, ec) ? "a file" : "nothing")}};
  if (std::filesystem::exists(dir / "installs.csv", ec))
    warnings.push_back({Severity::warning, "installs.csv", 0, 0, "not-read",
                        "expected the installs of the inventory exports alone, found an installs.csv in the fleet "
                        "directory: not read"});
  if (!std::filesystem::exists(dir / "devices.csv", ec)) return std::string(devices);
  auto overlay = io::read_input_file(dir / "devices.csv", "devices.csv");
  if (!overlay) return overlay.error();
  return overlay_devices(devices, *overlay, "devices.csv", pack, warnings);
}

}  // namespace trueup::import
