// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_installs.cpp
//
// installs.csv (docs/formats.md): one row per install found by the inventory, its id unique,
// its device listed in devices.csv. At a million rows this is most of the read, so a large
// file is read in two parts on two threads; the result is the one-thread read's, byte for byte.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "fields.hpp"
#include "table_readers.hpp"

namespace trueup::io::reading {

namespace {

struct InstallCol {
  enum : std::size_t { install_id, device_id, title, publisher, version, first_seen, last_seen };
};
constexpr ColumnSpec install_columns[] = {{"install_id", true}, {"device_id", true}, {"title", true},
                                          {"publisher", false}, {"version", false},  {"first_seen", false},
                                          {"last_seen", false}};

/// The rows of installs.csv that `t` reads, appended to `installs`; their ids recorded in `ids`.
void read_install_rows(Table& t, const DeviceRefs& devices, UniqueIds& ids, std::vector<Install>& installs) {
  // Exports list a device's installs together: the device found for the previous row is
  // remembered (only when found: an unknown device is reported on every row that names it).
  std::string last_device;
  DeviceIndex last_index;
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Install in;
    in.line = t.line();
    if (const auto id = required(t, InstallCol::install_id)) {
      in.id = *id;
      ids.add(*id, installs.size(), *t.field(InstallCol::install_id));
    }
    if (const auto device = required(t, InstallCol::device_id)) {
      if (!last_device.empty() && *device == last_device) {
        in.device = last_index;
      } else if (const auto found = devices.find(t, InstallCol::device_id, *device)) {
        in.device = *found;
        last_device.assign(*device);
        last_index = *found;
      }
    }
    if (const auto title = required(t, InstallCol::title)) in.title = *title;
    in.publisher = optional_text(t, InstallCol::publisher);
    in.version = optional_text(t, InstallCol::version);
    in.first_seen = optional_date(t, InstallCol::first_seen);
    in.last_seen = optional_date(t, InstallCol::last_seen);
    if (in.first_seen && in.last_seen && *in.first_seen > *in.last_seen)
      t.report(Severity::warning, InstallCol::last_seen, "dates-out-of-order",
               "expected a date on or after first_seen " + in.first_seen->iso() + ", found " +
                   quote_value(t.value(InstallCol::last_seen)));
    installs.push_back(std::move(in));
  }
}

}  // namespace

void read_installs(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                   Fleet& fleet, Diagnostics& out) {
  Table t(text, file, install_columns, out, separator);
  const std::size_t rows = CsvReader::count_lines(text) + 1;
  UniqueIds ids;
  ids.reserve(rows);
  fleet.installs.reserve(rows);
  read_install_rows(t, devices, ids, fleet.installs);
  ids.report(fleet.installs, file, install_columns[InstallCol::install_id].name, out);
}

/// read_installs() with the file's rows in two parts, the second on another thread while this
/// one reads the first, then `also` (on the other thread, after its part). The result is
/// read_installs()'s, byte for byte: the parts split at a line break, the second part's
/// reader starts on the line the whole file's reader would be on there, and the rows and
/// diagnostics of the parts are joined in order (ids are checked for duplicates once, over
/// both parts). One case would differ, and then the file is read again on one thread: the line
/// break is inside a quoted field (the first part ends in an open quote). Returns false when
/// `text` is too small to split.
bool read_installs_in_parts(std::string_view text, std::size_t split_at, const std::string& file, char separator,
                            const DeviceRefs& devices, Fleet& fleet, Diagnostics& out,
                            const std::function<void()>& also) {
  const std::size_t nl = text.find('\n', split_at);
  if (nl == std::string_view::npos || nl + 1 >= text.size()) return false;
  const std::string_view first = text.substr(0, nl + 1);
  const std::string_view second = text.substr(nl + 1);
  const auto first_line = static_cast<std::uint32_t>(CsvReader::count_lines(first) + 1);

  Diagnostics out_a, out_b;
  Table a(first, file, install_columns, out_a, separator);
  UniqueIds ids_a, ids_b;
  std::vector<Install> rows_b;
  std::exception_ptr failure;
  std::thread other([&] {
    try {
      Table b(a, second, first_line, out_b);
      const std::size_t rows = CsvReader::count_lines(second) + 1;
      ids_b.reserve(rows);
      rows_b.reserve(rows);
      read_install_rows(b, devices, ids_b, rows_b);
      if (also) also();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  const std::size_t rows = CsvReader::count_lines(first) + 1;
  ids_a.reserve(rows);
  fleet.installs.reserve(rows + CsvReader::count_lines(second) + 1);
  try {
    read_install_rows(a, devices, ids_a, fleet.installs);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (failure) std::rethrow_exception(failure);

  if (!a.complete()) {
    fleet.installs.clear();
    read_installs(text, file, separator, devices, fleet, out);
    return true;
  }
  ids_a.append(ids_b, fleet.installs.size());
  for (Install& in : rows_b) fleet.installs.push_back(std::move(in));
  out.insert(out.end(), std::make_move_iterator(out_a.begin()), std::make_move_iterator(out_a.end()));
  out.insert(out.end(), std::make_move_iterator(out_b.begin()), std::make_move_iterator(out_b.end()));
  ids_a.report(fleet.installs, file, install_columns[InstallCol::install_id].name, out);
  return true;
}

}  // namespace trueup::io::reading
