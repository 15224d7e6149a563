// SPDX-License-Identifier: BSL-1.0
// File: src/import/sccm.cpp
//
// Configuration Manager (SCCM / MECM) exports: a folder of CSV files, one per view, named after
// the view (`v_R_System.csv`, `v_Add_Remove_Programs.csv`, ...; names compared
// case-insensitively), as SQL Server Management Studio ("Save Results As") or PowerShell
// (`Invoke-Sqlcmd ... | Export-Csv`) write them. Columns and rules in docs/formats.md
// "Configuration Manager"; the views and their columns are Microsoft's (ecosystem research §1.1:
// hardware-inventory views `v_GS_*` name WMI properties with a `0` suffix, keyed by ResourceID).
//
// - Devices come from `v_R_System` (one per ResourceID): the name is the id; a record of the same
//   name as another, obsolete or decommissioned, is kept as a retired device of its own (the
//   re-imaged PC's old record: its software must not count twice), never merged or dropped.
// - Processors and cores from `v_GS_PROCESSOR` (one row per socket: counted, cores summed);
//   the operating system from `v_GS_OPERATING_SYSTEM` as one more install (Add/Remove Programs
//   never lists Windows); the primary user from `v_GS_SYSTEM_CONSOLE_USAGE.TopConsoleUser0`.
// - Programs from `v_Add_Remove_Programs` (or its two halves `v_GS_ADD_REMOVE_PROGRAMS` and
//   `_64`); `v_GS_INSTALLED_SOFTWARE` only when no Add/Remove Programs view is there, since both
//   list the same Uninstall keys and reading both would count every program twice.
//
// Text and CSV dialect: csv_tables.hpp (shared with the Lansweeper importer).
#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "csv_tables.hpp"

namespace trueup::import::detail {

namespace {

using ViewRow = TableRow;

/// The folder's files by lower-case name; v_R_System.csv is required.
std::map<std::string, std::filesystem::path> view_files(const Source& source, Diagnostics& errors) {
  return table_files(source, "Configuration Manager view exports (v_R_System.csv, ...)", "v_r_system.csv",
                     "v_R_System.csv (the devices)", errors);
}

bool flag(const std::string& v) { return table_flag(v); }

/// Counts of what could not become part of the inventory in one file, reported once per file.
struct FileTally {
  std::size_t unknown_resource = 0, no_title = 0, bad_date = 0;
  std::uint32_t first_unknown_line = 0;
};

void report(const std::string& file, const FileTally& t, Inventory& out, SourceCount& count) {
  count.skipped += t.unknown_resource + t.no_title;
  if (t.unknown_resource > 0)
    out.warnings.push_back({Severity::warning, file, t.first_unknown_line, 0, "unknown-resource",
                            "expected a ResourceID of v_R_System.csv, found " + std::to_string(t.unknown_resource) +
                                " row(s) of other ResourceIDs (first here); they are not read"});
  if (t.no_title > 0)
    out.warnings.push_back({Severity::warning, file, 0, 0, "no-title",
                            "expected a display name on every row, found " + std::to_string(t.no_title) +
                                " row(s) without one; they are not read"});
  if (t.bad_date > 0)
    out.warnings.push_back({Severity::warning, file, 0, 0, "bad-date",
                            "`InstallDate0`: expected a date YYYYMMDD or YYYY-MM-DD, found " +
                                std::to_string(t.bad_date) + " value(s) that are not; read without a date"});
}

/// The devices of v_R_System, by ResourceID; names repeated by several records keep the name
/// on the first active record, the others become `NAME (ResourceID N)`.
struct Devices {
  // Looked up only, never iterated: hashed (a million program rows each look up all three).
  std::unordered_map<std::string, std::size_t> by_resource;  ///< ResourceID -> index in out.devices
  std::map<std::string, std::string> vm_host;                ///< device id -> host name as the view gives it
  std::unordered_map<std::string, std::uint32_t> seq;        ///< rows read so far per device and view
  std::unordered_set<std::string> row_ids;                   ///< every row id given, so that each is unique
};

/// The device of a view's row, by its ResourceID; nullopt when v_R_System has none (counted,
/// with the first such line, for the file's one `unknown-resource` warning).
std::optional<std::size_t> device_of(const Devices& devices, const ViewRow& r, FileTally& tally) {
  const auto it = devices.by_resource.find(r["resourceid"]);
  if (it != devices.by_resource.end()) return it->second;
  if (tally.unknown_resource++ == 0) tally.first_unknown_line = r.line();
  return std::nullopt;
}

void read_systems(const std::filesystem::path& file, Inventory& out, Devices& devices, Diagnostics& errors) {
  struct Record {
    std::string resource, name, host;
    bool vm = false, retired = false;
    std::uint32_t line = 0;
  };
  std::vector<Record> records;
  read_table(
      file, {"resourceid"},
      [&](const ViewRow& r) {
        std::string name = r["name0"];
        if (name.empty()) name = r["netbios_name0"];
        if (name.empty()) name = "ResourceID " + r["resourceid"];
        records.push_back({r["resourceid"], std::move(name), r["virtual_machine_host_name0"],
                           flag(r["is_virtual_machine0"]), flag(r["decommissioned0"]) || flag(r["obsolete0"]),
                           r.line()});
      },
      errors);
  // Active records take their names first, so an obsolete record never takes a live PC's name.
  std::stable_partition(records.begin(), records.end(), [](const Record& r) { return !r.retired; });
  std::map<std::string, std::string> taken;  // lower-case name -> ResourceID
  const std::string name = file.filename().string();
  for (Record& r : records) {
    InventoryDevice d;
    d.hostname = r.name;
    std::string first;
    d.id = unique_device_id(taken, r.name, "ResourceID", r.resource, first);
    if (!first.empty()) {
      out.warnings.push_back({Severity::warning, name, r.line, 0, "duplicate-device",
                              "expected one record per computer name, found " + r.name + " again (ResourceID " +
                                  r.resource + (r.retired ? ", obsolete or decommissioned" : "") + ", first " + first +
                                  "); read as " + (r.retired ? "the retired device " : "device ") + d.id});
    }
    if (r.vm) d.kind = DeviceKind::virtual_machine;
    if (r.retired) d.status = DeviceStatus::retired;
    d.source = name + ":" + std::to_string(r.line);
    if (!devices.by_resource.emplace(r.resource, out.devices.size()).second) {
      errors.push_back({Severity::error, name, r.line, 1, "duplicate-id",
                        "column `ResourceID`: expected a unique ResourceID, found \"" + r.resource + "\" again"});
      continue;
    }
    if (r.vm && !r.host.empty()) devices.vm_host.emplace(d.id, r.host);
    out.devices.push_back(std::move(d));
  }
}

/// Sockets counted and cores summed per device; cores unknown when a row lacks NumberOfCores0.
void read_processors(const std::filesystem::path& file, Inventory& out, Devices& devices, Diagnostics& errors) {
  std::map<std::size_t, std::pair<std::uint32_t, std::optional<std::uint64_t>>> per_device;
  std::map<std::size_t, std::string> models;  // the first processor's Name0
  FileTally tally;
  read_table(
      file, {"resourceid"},
      [&](const ViewRow& r) {
        const auto index = device_of(devices, r, tally);
        if (!index) return;
        auto& [sockets, cores] = per_device.try_emplace(*index, 0, std::uint64_t{0}).first->second;
        ++sockets;
        models.try_emplace(*index, trimmed(r["name0"]));
        const std::string n = r["numberofcores0"];
        const bool number = !n.empty() && n.size() <= 6 &&
                            std::all_of(n.begin(), n.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
        if (number && cores)
          *cores += std::stoull(n);
        else
          cores.reset();
      },
      errors);
  for (const auto& [index, facts] : per_device) {
    out.devices[index].processors = facts.first;
    out.devices[index].cpu_model = models[index];
    // Beyond the readers' limit (65,536) the value is kept, so that devices.csv names it.
    if (facts.second)
      out.devices[index].cores = static_cast<std::uint32_t>(std::min<std::uint64_t>(*facts.second, 1U << 31));
  }
  SourceCount ignored;
  report(file.filename().string(), tally, out, ignored);
}

/// The row id part for a device's row in one view: the product code when the row has one
/// (stable when the export's row order changes), else the row's place among the device's rows
/// in that view; `#N` when a device repeats a key.
std::string row_key(Devices& devices, const std::string& device, const std::string& view, const std::string& code) {
  const std::uint32_t n = ++devices.seq[device + "/" + view];
  const std::string base = device + "/sccm/" + view + "/" + (code.empty() ? std::to_string(n) : code);
  std::string key = base;
  for (std::uint32_t repeat = 2; !devices.row_ids.insert(key).second; ++repeat)
    key = base + "#" + std::to_string(repeat);
  return key;
}

/// The programs of one view: title, publisher, version and date columns as the view names them.
struct ProgramColumns {
  const char* view;  ///< the id part: arp, arp64, sw
  std::vector<const char*> title, version;
  const char* code;
};

void read_programs(const std::filesystem::path& file, const ProgramColumns& c, Inventory& out, Devices& devices,
                   SourceCount& count, Diagnostics& errors) {
  FileTally tally;
  const std::string name = file.filename().string();
  read_table(
      file, {"resourceid"},
      [&](const ViewRow& r) {
        const auto index = device_of(devices, r, tally);
        if (!index) return;
        auto first = [&](const std::vector<const char*>& names) {
          for (const char* n : names)
            if (std::string v = r[n]; !v.empty()) return v;
          return std::string();
        };
        std::string title = first(c.title);
        if (title.empty()) {
          ++tally.no_title;
          return;
        }
        const std::string date = r["installdate0"];
        const auto first_seen = windows_date(date);
        if (!date.empty() && !first_seen) ++tally.bad_date;
        const std::string& device = out.devices[*index].id;
        out.rows.push_back({row_key(devices, device, c.view, r[c.code]), device, std::move(title), r["publisher0"],
                            first(c.version), first_seen, name + ":" + std::to_string(r.line())});
        ++count.rows;
      },
      errors);
  report(name, tally, out, count);
}

/// The operating system as an install (Caption0), and what it says of the device's kind.
void read_systems_os(const std::filesystem::path& file, Inventory& out, Devices& devices, SourceCount& count,
                     Diagnostics& errors) {
  FileTally tally;
  const std::string name = file.filename().string();
  read_table(
      file, {"resourceid", "caption0"},
      [&](const ViewRow& r) {
        const auto index = device_of(devices, r, tally);
        if (!index) return;
        std::string caption = r["caption0"];
        if (caption.empty()) {
          ++tally.no_title;
          return;
        }
        InventoryDevice& d = out.devices[*index];
        if (!d.kind)
          d.kind = ascii_lower(caption).find("server") != std::string::npos ? DeviceKind::server : DeviceKind::desktop;
        const std::string date = r["installdate0"];
        const auto first_seen = windows_date(date);
        if (!date.empty() && !first_seen) ++tally.bad_date;
        out.rows.push_back({row_key(devices, d.id, "os", ""), d.id, std::move(caption), "Microsoft Corporation",
                            r["version0"], first_seen, name + ":" + std::to_string(r.line())});
        ++count.rows;
      },
      errors);
  report(name, tally, out, count);
}

void read_console_users(const std::filesystem::path& file, Inventory& out, Devices& devices, Diagnostics& errors) {
  read_table(
      file, {"resourceid", "topconsoleuser0"},
      [&](const ViewRow& r) {
        const auto it = devices.by_resource.find(r["resourceid"]);
        if (it != devices.by_resource.end() && out.devices[it->second].primary_user.empty())
          out.devices[it->second].primary_user = r["topconsoleuser0"];
      },
      errors);
}

/// When Configuration Manager last took each device's hardware inventory
/// (`v_GS_WORKSTATION_STATUS.LastHWScan`, ecosystem §1.1); the latest of a device's rows.
void read_workstation_status(const std::filesystem::path& file, Inventory& out, Devices& devices, Diagnostics& errors) {
  read_table(
      file, {"resourceid", "lasthwscan"},
      [&](const ViewRow& r) {
        const auto it = devices.by_resource.find(r["resourceid"]);
        const auto scanned = windows_date(trimmed(r["lasthwscan"]));
        if (it == devices.by_resource.end() || !scanned) return;
        auto& last = out.devices[it->second].last_inventory;
        if (!(last >= scanned)) last = scanned;
      },
      errors);
}

/// A VM's host: the device whose name is Virtual_Machine_Host_Name0, or its first DNS label
/// (`hv-01.contoso.local` is `HV-01`), compared case-insensitively. A host not in the export
/// is a warning and the VM is read without one.
void link_hosts(const std::string& file, Inventory& out, const Devices& devices, std::size_t first) {
  std::map<std::string, std::string> by_name;
  for (std::size_t i = first; i < out.devices.size(); ++i)
    if (out.devices[i].kind != DeviceKind::virtual_machine)
      by_name.emplace(ascii_lower(out.devices[i].id), out.devices[i].id);
  for (std::size_t i = first; i < out.devices.size(); ++i) {
    InventoryDevice& d = out.devices[i];
    const auto given = devices.vm_host.find(d.id);
    if (given == devices.vm_host.end()) continue;
    const std::string host = ascii_lower(given->second);
    auto it = by_name.find(host);
    if (it == by_name.end()) it = by_name.find(host.substr(0, host.find('.')));
    if (it != by_name.end())
      d.host = it->second;
    else
      out.warnings.push_back({Severity::warning, file, 0, 0, "unknown-host",
                              "device " + d.id + ": expected its host " + given->second +
                                  " among the physical devices of v_R_System.csv, found none; read without a host"});
  }
}

}  // namespace

void read_sccm(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  const auto files = view_files(source, errors);
  if (files.count("v_r_system.csv") == 0) return;
  auto file = [&](const char* view) -> const std::filesystem::path* {
    const auto it = files.find(view);
    return it == files.end() ? nullptr : &it->second;
  };
  Devices devices;
  const std::size_t first = out.devices.size();
  read_systems(*file("v_r_system.csv"), out, devices, errors);
  if (const auto* f = file("v_gs_processor.csv")) read_processors(*f, out, devices, errors);
  if (const auto* f = file("v_gs_system_console_usage.csv")) read_console_users(*f, out, devices, errors);
  if (const auto* f = file("v_gs_workstation_status.csv")) read_workstation_status(*f, out, devices, errors);

  const ProgramColumns arp{"arp", {"displayname0"}, {"version0"}, "prodid0"};
  const ProgramColumns arp64{"arp64", {"displayname0"}, {"version0"}, "prodid0"};
  const ProgramColumns installed{
      "sw", {"arpdisplayname0", "productname0"}, {"productversion0", "version0"}, "softwarecode0"};
  bool programs = false;
  for (const auto& [view, columns] :
       {std::pair{"v_add_remove_programs.csv", &arp}, std::pair{"v_gs_add_remove_programs.csv", &arp},
        std::pair{"v_gs_add_remove_programs_64.csv", &arp64}})
    if (const auto* f = file(view)) {
      read_programs(*f, *columns, out, devices, count, errors);
      programs = true;
    }
  if (const auto* f = file("v_gs_installed_software.csv")) {
    if (programs)
      out.warnings.push_back({Severity::warning, f->filename().string(), 0, 0, "view-not-read",
                              "expected one list of programs, found Add/Remove Programs and "
                              "v_GS_INSTALLED_SOFTWARE, which list the same Uninstall keys; "
                              "v_GS_INSTALLED_SOFTWARE is not read, so that no program counts twice"});
    else
      read_programs(*f, installed, out, devices, count, errors);
    programs = true;
  }
  if (const auto* f = file("v_gs_operating_system.csv")) read_systems_os(*f, out, devices, count, errors);
  for (std::size_t i = first; i < out.devices.size(); ++i) out.devices[i].software_reported = programs;
  if (!programs)
    out.warnings.push_back({Severity::warning, source.path.filename().string(), 0, 0, "partial-inventory",
                            "expected v_Add_Remove_Programs.csv (or v_GS_ADD_REMOVE_PROGRAMS[_64].csv, or "
                            "v_GS_INSTALLED_SOFTWARE.csv), found none; the devices' programs are unknown, not absent"});
  link_hosts(file("v_r_system.csv")->filename().string(), out, devices, first);
  count.files = files.size();
  count.devices = out.devices.size() - first;
  out.sources.push_back(std::move(count));
}

}  // namespace trueup::import::detail
