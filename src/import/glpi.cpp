// SPDX-License-Identifier: BSL-1.0
// File: src/import/glpi.cpp
//
// GLPI Agent inventory JSON (the format GLPI ingests; schema glpi-project/inventory_format
// `inventory.schema.json`): one file per computer, or a folder of them. Columns and rules in
// docs/formats.md "GLPI Agent JSON". What is read, per computer:
//
// - the device: `content.hardware.name` as its id (else `deviceid`, else the file name), a
//   virtual machine when `hardware.vmsystem` is set and not "Physical", else a laptop, tablet
//   or server by `hardware.chassis_type` (or a server when the OS name says Server); one
//   processor per `content.cpus` entry, cores summed from their `core` (unknown when any lacks
//   it); a VM's host is the computer whose `content.virtualmachines` lists its `hardware.uuid`.
// - the rows: one per `content.softwares` entry, and the operating system
//   (`content.operatingsystem.full_name`) as one more, since Add/Remove Programs never lists it.
//
// A *partial* inventory (`"partial": true`) carries only the sections that changed: files of
// one computer (same `deviceid`, else same name) are merged section by section, a later file
// (by name) replacing the sections it has. A section no file carries is unknown, not empty: a
// computer whose software was never reported has no rows and says so (software_reported).
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "json_text.hpp"

namespace trueup::import::detail {

namespace {

using json = nlohmann::json;

/// One computer's sections, merged over its files. A section is null when no file had it.
struct Computer {
  std::string deviceid;
  std::string file;  ///< the first file of the computer
  json hardware, cpus, softwares, os, vms;
  std::string softwares_file, os_file;
  std::optional<Date> logdate;  ///< the latest `accesslog.logdate` of its files: when it was last inventoried
};

/// `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss` (the schema's dateordatetime): its date.
std::optional<Date> date_of(const std::string& s) {
  return s.size() >= 10 ? Date::parse(s.substr(0, 10)) : std::nullopt;
}

DeviceKind kind_of(const Computer& c) {
  const std::string vm = ascii_lower(json_text(c.hardware, "vmsystem"));
  if (!vm.empty() && vm != "physical") return DeviceKind::virtual_machine;
  const std::string chassis = ascii_lower(json_text(c.hardware, "chassis_type"));
  for (const char* portable : {"laptop", "notebook", "portable", "sub notebook"})
    if (chassis == portable) return DeviceKind::laptop;
  if (chassis == "tablet") return DeviceKind::tablet;
  if (chassis.find("server") != std::string::npos || chassis.find("rack") != std::string::npos)
    return DeviceKind::server;
  if (ascii_lower(json_text(c.os, "full_name") + " " + json_text(c.os, "name")).find("server") != std::string::npos)
    return DeviceKind::server;
  return DeviceKind::desktop;
}

/// Sockets and cores from the CPU entries; cores unknown (0) when any entry lacks `core`, so a
/// per-core product sees "unknown" (and its minimum) rather than a count that is too low.
void hardware_facts(const Computer& c, InventoryDevice& d) {
  if (!c.cpus.is_array()) return;
  d.processors = static_cast<std::uint32_t>(c.cpus.size());
  if (!c.cpus.empty()) d.cpu_model = trimmed(json_text(c.cpus[0], "name"));
  std::uint32_t cores = 0;
  for (const json& cpu : c.cpus) {
    const auto it = cpu.is_object() ? cpu.find("core") : cpu.end();
    if (!cpu.is_object() || it == cpu.end() || !it->is_number_unsigned()) return;
    cores += it->get<std::uint32_t>();
  }
  d.cores = cores;
}

/// Parses one file into `computers` (merged by deviceid or name); false on an error.
bool read_file(const std::filesystem::path& path, std::map<std::string, Computer>& computers,
               std::vector<std::string>& order, Diagnostics& errors) {
  std::string bytes;
  if (!read_bytes(path, bytes, errors)) return false;
  const std::string body = to_utf8(bytes);
  const std::string name = path.filename().string();
  const std::optional<json> parsed = parse_json(body, name, 1, errors);
  if (!parsed) return false;
  const json& doc = *parsed;
  if (!doc.is_object() || !doc.contains("content") || !doc["content"].is_object()) {
    errors.push_back(
        {Severity::error, name, 1, 1, "bad-inventory",
         "expected a GLPI inventory: an object with a `content` object, found " + std::string(doc.type_name())});
    return false;
  }
  const json& content = doc["content"];
  std::string key = json_text(doc, "deviceid");
  if (key.empty()) key = json_text(content.value("hardware", json::object()), "name");
  if (key.empty()) key = path.stem().string();
  auto [it, fresh] = computers.try_emplace(key);
  Computer& c = it->second;
  if (fresh) {
    c.deviceid = key;
    c.file = name;
    order.push_back(key);
  }
  if (content.contains("accesslog")) {
    const auto logged = date_of(json_text(content["accesslog"], "logdate"));
    if (logged && !(c.logdate >= logged)) c.logdate = logged;
  }
  // Section by section: a later file (a partial inventory) replaces what it carries.
  if (content.contains("hardware")) c.hardware = content["hardware"];
  if (content.contains("cpus")) c.cpus = content["cpus"];
  if (content.contains("virtualmachines")) c.vms = content["virtualmachines"];
  if (content.contains("softwares")) {
    c.softwares = content["softwares"];
    c.softwares_file = name;
  }
  if (content.contains("operatingsystem")) {
    c.os = content["operatingsystem"];
    c.os_file = name;
  }
  return true;
}

void add_rows(const Computer& c, const InventoryDevice& d, Inventory& out, SourceCount& count) {
  if (c.softwares.is_array()) {
    for (std::size_t i = 0; i < c.softwares.size(); ++i) {
      const json& s = c.softwares[i];
      const std::string where = c.softwares_file + ": softwares[" + std::to_string(i) + "]";
      std::string title = json_text(s, "name");
      if (title.empty()) {
        ++count.skipped;
        out.warnings.push_back({Severity::warning, c.softwares_file, 0, 0, "no-title",
                                "softwares[" + std::to_string(i) + "]: expected a `name`, found none; not read"});
        continue;
      }
      out.rows.push_back({d.id + "/glpi/sw" + std::to_string(i + 1), d.id, std::move(title), json_text(s, "publisher"),
                          json_text(s, "version"), date_of(json_text(s, "install_date")), where});
    }
  }
  if (c.os.is_object()) {
    std::string title = json_text(c.os, "full_name");
    if (title.empty()) title = json_text(c.os, "name");
    if (!title.empty())
      out.rows.push_back({d.id + "/glpi/os", d.id, std::move(title), std::string(), json_text(c.os, "version"),
                          date_of(json_text(c.os, "install_date")), c.os_file + ": operatingsystem"});
  }
}

/// A VM's host: the computer whose `virtualmachines` lists the VM's `hardware.uuid` (compared
/// case-insensitively), when that computer is itself physical.
void link_hosts(const std::vector<const Computer*>& computers, Inventory& out, std::size_t first) {
  std::map<std::string, std::size_t> hosts;  // uuid -> device index
  for (std::size_t i = 0; i < computers.size(); ++i) {
    if (!computers[i]->vms.is_array() || out.devices[first + i].kind == DeviceKind::virtual_machine) continue;
    for (const json& vm : computers[i]->vms)
      if (const std::string uuid = ascii_lower(json_text(vm, "uuid")); !uuid.empty()) hosts.emplace(uuid, first + i);
  }
  for (std::size_t i = 0; i < computers.size(); ++i) {
    InventoryDevice& d = out.devices[first + i];
    if (d.kind != DeviceKind::virtual_machine) continue;
    const auto it = hosts.find(ascii_lower(json_text(computers[i]->hardware, "uuid")));
    if (it != hosts.end()) d.host = out.devices[it->second].id;
  }
}

}  // namespace

void read_glpi(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  const auto files = source_files(source, ".json", errors);
  std::map<std::string, Computer> computers;
  std::vector<std::string> order;
  for (const auto& path : files)
    if (read_file(path, computers, order, errors)) ++count.files;

  std::vector<const Computer*> in_order;
  std::map<std::string, std::string> ids;  // device id -> the deviceid that took it
  const std::size_t first = out.devices.size();
  for (const std::string& key : order) {
    const Computer& c = computers.at(key);
    InventoryDevice d;
    d.hostname = json_text(c.hardware, "name");
    d.id = d.hostname.empty() ? c.deviceid : d.hostname;
    if (const auto [it, fresh] = ids.emplace(d.id, key); !fresh) {
      out.warnings.push_back({Severity::warning, c.file, 0, 0, "duplicate-device",
                              "expected one inventory per computer name, found " + d.id + " again (deviceid " + key +
                                  ", first " + it->second + "); read as device " + d.id + " (" + key + ")"});
      d.id += " (" + key + ")";
    }
    d.kind = kind_of(c);
    hardware_facts(c, d);
    d.software_reported = c.softwares.is_array();
    d.last_inventory = c.logdate;
    d.source = c.file;
    if (!d.software_reported)
      out.warnings.push_back({Severity::warning, c.file, 0, 0, "partial-inventory",
                              "device " + d.id + ": expected a `softwares` section in one of its inventories, " +
                                  "found none (a partial inventory); its software is unknown, not absent"});
    add_rows(c, d, out, count);
    out.devices.push_back(std::move(d));
    in_order.push_back(&c);
  }
  link_hosts(in_order, out, first);
  count.devices = in_order.size();
  count.rows = out.rows.size();
  out.sources.push_back(std::move(count));
}

}  // namespace trueup::import::detail
