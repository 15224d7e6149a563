// SPDX-License-Identifier: BSL-1.0
// File: src/import/inventory.cpp
//
// The importers together (trueup/import/inventory.hpp): `KIND:PATH` parsed, each source read
// by its format's reader, the sources merged into one inventory, and the inventory rendered as
// devices.csv and installs.csv texts that the fleet readers read like any fleet directory. The
// readers then check every invariant a hand-written fleet obeys; an imported fleet can fail
// only where the export itself is wrong.
#include "trueup/import/inventory.hpp"

#include <map>
#include <unordered_set>
#include <utility>

#include "importers.hpp"

namespace trueup::import {

void detail::csv_field(std::string& out, std::string_view v) {
  const bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.back() == ' ' || v.back() == '\t'));
  if (!quote) {
    out += v;
    return;
  }
  out += '"';
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

namespace {

/// Adds `part`'s devices and rows to `into`: a device already there keeps its facts and takes
/// from `part` what it did not know; a row id already taken (the same device in two sources of
/// one format) gets the source's number, so ids stay stable for the same command line.
void merge(Inventory& into, Inventory& part, std::size_t source_number) {
  if (into.devices.empty() && into.rows.empty()) {  // the first source: nothing to merge with
    auto sources = std::move(into.sources);
    auto warnings = std::move(into.warnings);
    into = std::move(part);
    into.sources.insert(into.sources.begin(), sources.begin(), sources.end());
    into.warnings.insert(into.warnings.begin(), warnings.begin(), warnings.end());
    return;
  }
  std::map<std::string, std::size_t> devices;
  for (std::size_t i = 0; i < into.devices.size(); ++i) devices.emplace(into.devices[i].id, i);
  for (InventoryDevice& d : part.devices) {
    const auto it = devices.find(d.id);
    if (it == devices.end()) {
      devices.emplace(d.id, into.devices.size());
      into.devices.push_back(std::move(d));
      continue;
    }
    InventoryDevice& known = into.devices[it->second];
    if (known.hostname.empty()) known.hostname = d.hostname;
    if (!known.kind) known.kind = d.kind;
    if (!known.status) known.status = d.status;
    if (known.processors == 0) known.processors = d.processors;
    if (known.cores == 0) known.cores = d.cores;
    if (known.logical_processors == 0) known.logical_processors = d.logical_processors;
    if (known.cpu_model.empty()) known.cpu_model = d.cpu_model;
    if (known.host.empty()) known.host = d.host;
    if (known.primary_user.empty()) known.primary_user = d.primary_user;
    known.software_reported = known.software_reported || d.software_reported;
    if (d.last_inventory && !(known.last_inventory >= d.last_inventory)) known.last_inventory = d.last_inventory;
  }
  std::unordered_set<std::string> ids;  // looked up only
  ids.reserve(into.rows.size() + part.rows.size());
  for (const InventoryRow& r : into.rows) ids.insert(r.id);
  into.rows.reserve(into.rows.size() + part.rows.size());
  for (InventoryRow& r : part.rows) {
    if (ids.count(r.id) != 0) r.id += "@" + std::to_string(source_number);
    ids.insert(r.id);
    into.rows.push_back(std::move(r));
  }
  into.sources.insert(into.sources.end(), part.sources.begin(), part.sources.end());
  into.warnings.insert(into.warnings.end(), part.warnings.begin(), part.warnings.end());
}

/// A VM's cores are its virtual processors [SQL2: one core licence per virtual core, a v-core
/// being a hardware thread; WS-VM]; what a guest reports as NumberOfCores depends on how the
/// hypervisor presents its sockets (an AMD EPYC guest: 2 cores, 4 logical processors).
void virtual_cores(Inventory& inventory) {
  for (InventoryDevice& d : inventory.devices) {
    if (d.kind != DeviceKind::virtual_machine || d.logical_processors == 0 || d.logical_processors == d.cores) continue;
    inventory.warnings.push_back(
        {Severity::warning, d.source, 0, 0, "vm-virtual-cores",
         "device " + d.id + ": a virtual machine's cores are its virtual processors: read as " +
             std::to_string(d.logical_processors) + " cores (its logical processors" +
             (d.cores != 0 ? "; the guest reports " + std::to_string(d.cores) + " cores" : std::string()) +
             "): one core licence per virtual core, a v-core being a hardware thread (licensing-rules SQL2)"});
    d.cores = d.logical_processors;
  }
}

}  // namespace

Result<Source> parse_source(std::string_view spec) {
  const auto colon = spec.find(':');
  const std::string_view kind = colon == std::string_view::npos ? std::string_view() : spec.substr(0, colon);
  Source s;
  s.spec = std::string(spec);
  if (kind == "glpi") {
    s.format = Format::glpi;
  } else if (kind == "reg") {
    s.format = Format::reg;
  } else if (kind == "sccm") {
    s.format = Format::sccm;
  } else if (kind == "lansweeper") {
    s.format = Format::lansweeper;
  } else if (kind == "wmi") {
    s.format = Format::wmi;
  } else if (kind == "dpkg") {
    s.format = Format::dpkg;
  } else if (kind == "rpm") {
    s.format = Format::rpm;
  } else if (kind == "mssql") {
    s.format = Format::mssql;
  } else if (kind == "osquery") {
    s.format = Format::osquery;
  } else {
    return Diagnostics{
        {Severity::error, "", 0, 0, "bad-inventory",
         "expected KIND:PATH with KIND one of glpi, reg, sccm, lansweeper, wmi, dpkg, rpm, mssql, osquery, found \"" +
             std::string(spec) + "\""}};
  }
  if (colon + 1 == spec.size())
    return Diagnostics{{Severity::error, "", 0, 0, "bad-inventory",
                        "expected a path after " + std::string(kind) + ":, found \"" + std::string(spec) + "\""}};
  s.path = std::string(spec.substr(colon + 1));
  return s;
}

Result<Inventory> read_inventory(const std::vector<Source>& sources) {
  Inventory inventory;
  Diagnostics errors;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Inventory part;
    switch (sources[i].format) {
      case Format::glpi: detail::read_glpi(sources[i], part, errors); break;
      case Format::reg: detail::read_reg(sources[i], part, errors); break;
      case Format::sccm: detail::read_sccm(sources[i], part, errors); break;
      case Format::lansweeper: detail::read_lansweeper(sources[i], part, errors); break;
      case Format::wmi: detail::read_wmi(sources[i], part, errors); break;
      case Format::dpkg: detail::read_dpkg(sources[i], part, errors); break;
      case Format::rpm: detail::read_rpm(sources[i], part, errors); break;
      case Format::mssql: detail::read_mssql(sources[i], part, errors); break;
      case Format::osquery: detail::read_osquery(sources[i], part, errors); break;
    }
    merge(inventory, part, i + 1);
  }
  virtual_cores(inventory);
  if (!errors.empty()) {
    errors.insert(errors.end(), inventory.warnings.begin(), inventory.warnings.end());
    return errors;
  }
  return inventory;
}

std::string devices_csv(const Inventory& inventory) {
  std::string out = "device_id,hostname,kind,status,primary_user,processors,cores,cpu_model,host\n";
  for (const InventoryDevice& d : inventory.devices) {
    detail::csv_field(out, d.id);
    out += ',';
    detail::csv_field(out, d.hostname);
    out += ',';
    if (d.kind) out += name(*d.kind);
    out += ',';
    if (d.status) out += name(*d.status);
    out += ',';
    detail::csv_field(out, d.primary_user);
    out += ',';
    if (d.processors != 0) out += std::to_string(d.processors);
    out += ',';
    if (d.cores != 0) out += std::to_string(d.cores);
    out += ',';
    detail::csv_field(out, d.cpu_model);
    out += ',';
    detail::csv_field(out, d.host);
    out += '\n';
  }
  return out;
}

std::string installs_csv(const Inventory& inventory) {
  std::string out = "install_id,device_id,title,publisher,version,first_seen\n";
  for (const InventoryRow& r : inventory.rows) {
    for (const std::string* v : {&r.id, &r.device_id, &r.title, &r.publisher, &r.version}) {
      detail::csv_field(out, *v);
      out += ',';
    }
    if (r.first_seen) out += r.first_seen->iso();
    out += '\n';
  }
  return out;
}

namespace {

/// The devices table of an imported fleet: the inventory's, with DIR's devices.csv over it.
Result<std::string> devices_text(const std::filesystem::path& dir, const Inventory& inventory, const RulePack& pack,
                                 Diagnostics& warnings) {
  if (dir.empty()) return devices_csv(inventory);
  return imported_devices(dir, devices_csv(inventory), pack, warnings);
}

/// `read`'s warnings with the inventory's and the devices overlay's first, as they were found.
Result<io::FleetRead> with_warnings(Result<io::FleetRead> read, const Inventory& inventory, Diagnostics overlay) {
  if (!read) return read;
  overlay.insert(overlay.begin(), inventory.warnings.begin(), inventory.warnings.end());
  read->warnings.insert(read->warnings.begin(), overlay.begin(), overlay.end());
  return read;
}

}  // namespace

Result<io::FleetRead> read_fleet(const std::filesystem::path& dir, const Inventory& inventory, const RulePack& pack) {
  auto entitlements = io::read_input_file(dir / "entitlements.csv", "entitlements.csv");
  return read_fleet(dir, inventory, pack,
                    entitlements ? io::FleetInput{*entitlements, "entitlements.csv", {}}
                                 : io::FleetInput{std::nullopt, "entitlements.csv", entitlements.error()});
}

Result<io::FleetRead> read_fleet(const std::filesystem::path& dir, const Inventory& inventory, const RulePack& pack,
                                 io::FleetInput entitlements) {
  Diagnostics overlay_warnings;
  auto devices = devices_text(dir, inventory, pack, overlay_warnings);
  if (!devices) return devices.error();
  const std::string installs = installs_csv(inventory);
  // The texts must outlive parsing: FleetInput holds views.
  std::map<std::string, std::string> texts;
  const auto optional_input = [&](const char* file) -> std::optional<io::FleetInput> {
    std::error_code ec;
    if (dir.empty() || !std::filesystem::exists(dir / file, ec)) return std::nullopt;
    auto text = io::read_input_file(dir / file, file);
    if (!text) return io::FleetInput{std::nullopt, file, text.error()};
    return io::FleetInput{texts[file] = std::move(*text), file, {}};
  };
  auto read =
      io::parse_fleet(io::FleetInput{*devices, "devices (inventory)", {}},
                      io::FleetInput{installs, "installs (inventory)", {}}, std::move(entitlements), pack,
                      optional_input("access.csv"), optional_input("assignments.csv"), optional_input("prices.csv"));
  return with_warnings(std::move(read), inventory, std::move(overlay_warnings));
}

Result<io::FleetRead> read_fleet(const Inventory& inventory, const RulePack& pack, const std::filesystem::path& dir) {
  Diagnostics overlay_warnings;
  auto devices = devices_text(dir, inventory, pack, overlay_warnings);
  if (!devices) return devices.error();
  const std::string installs = installs_csv(inventory);
  const std::string_view no_licences = "licence_id,family,version,edition,channel,quantity\n";
  auto read = io::parse_fleet(io::FleetInput{*devices, "devices (inventory)", {}},
                              io::FleetInput{installs, "installs (inventory)", {}},
                              io::FleetInput{no_licences, "entitlements.csv", {}}, pack);
  return with_warnings(std::move(read), inventory, std::move(overlay_warnings));
}

}  // namespace trueup::import
