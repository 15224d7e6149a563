// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_devices.cpp
//
// devices.csv (docs/formats.md): one row per device, its id unique, its kind, ownership and
// status from fixed lists, a VM naming the physical server it runs on. A device row that could
// not be split into its columns (wrong field count, a stray quote) still makes its id known,
// so that references to it are not reported too: one mistake, one diagnostic.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "device_columns.hpp"
#include "fields.hpp"
#include "table_readers.hpp"

namespace trueup::io::reading {

bool read_devices(std::string_view text, const std::string& file, char separator, Fleet& fleet, IdIndex& ids,
                  Diagnostics& out) {
  Table t(text, file, device_columns, out, separator);
  const std::size_t rows = CsvReader::count_lines(text) + 1;
  ids.reserve(rows);
  fleet.devices.reserve(rows);
  struct HostRef {
    std::size_t device;
    std::uint32_t line;
    std::uint32_t column;
  };
  std::vector<HostRef> hosts;  // checked once every device is known

  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) {
      if (const CsvField* f = t.field(DeviceCol::device_id); f != nullptr && !trim(f->value).empty())
        ids.insert_unreadable(f->value, t.line());
      continue;
    }
    const std::size_t index = fleet.devices.size();
    Device d;
    d.line = t.line();
    if (const auto id = unique_id(t, DeviceCol::device_id, ids, index)) d.id = *id;
    d.hostname = optional_text(t, DeviceCol::hostname);
    d.kind = optional_enum(t, DeviceCol::kind, DeviceKind::desktop);
    d.ownership = optional_enum(t, DeviceCol::ownership, Ownership::owned);
    d.status = optional_enum(t, DeviceCol::status, DeviceStatus::active);
    d.status_date = optional_date(t, DeviceCol::status_date);
    d.primary_user = optional_text(t, DeviceCol::primary_user);
    // Bounded so that the whole-server stage's arithmetic stays exact (trueup/model/limits.hpp).
    d.processors = optional_count(t, DeviceCol::processors, limits::max_processors, "processors per device");
    d.cores = optional_count(t, DeviceCol::cores, limits::max_cores, "cores per device");
    d.host = optional_text(t, DeviceCol::host);
    // §13 ORACLE: the Processor metric looks the model up in its pack's core factor table.
    d.cpu_model = optional_text(t, DeviceCol::cpu_model);
    // SQL10: an edition licensed for development and test only is free outside production.
    d.environment = optional_enum(t, DeviceCol::environment, Environment::unknown);
    // O3: whether a PC with a new motherboard keeps its OEM licence depends on why it was replaced.
    d.motherboard_date = optional_date(t, DeviceCol::motherboard_replaced);
    d.motherboard = optional_enum(t, DeviceCol::motherboard_reason, MotherboardChange::none, MotherboardChange::none);
    if (d.motherboard_date && d.motherboard == MotherboardChange::none &&
        t.value(DeviceCol::motherboard_reason).empty())
      t.error(
          DeviceCol::motherboard_reason, "empty-value",
          "expected why the motherboard was replaced (failure or upgrade: a defective one keeps the OEM licence, O3), "
          "found an empty field");
    if (!d.host.empty()) {
      const CsvField* f = t.field(DeviceCol::host);
      hosts.push_back({index, f->line, f->column});
    }
    fleet.devices.push_back(std::move(d));
  }

  const bool known = t.complete() && t.has_column(DeviceCol::device_id);
  if (known) {
    for (const HostRef& h : hosts) {
      const std::string& host = fleet.devices[h.device].host;
      const IdIndex::Entry* e = ids.find(host);
      if (e == nullptr)
        t.add(Severity::error, h.line, h.column, "unknown-device",
              "column `host`: expected a device_id listed in " + file + ", found " + quote_value(host));
      else if (e->readable && fleet.devices[e->index].kind == DeviceKind::virtual_machine)
        // A VM's licences are counted on the physical server it runs on (WS8): a chain of VMs
        // would license virtual hardware.
        t.add(Severity::error, h.line, h.column, "host-not-physical",
              "column `host`: expected the physical server the VM runs on, found " + quote_value(host) +
                  ", a vm (line " + std::to_string(fleet.devices[e->index].line) + ")");
      else if (e->readable)
        fleet.devices[h.device].host_index = DeviceIndex{e->index};
    }
  }
  return known;
}

}  // namespace trueup::io::reading
