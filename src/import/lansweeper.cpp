// SPDX-License-Identifier: BSL-1.0
// File: src/import/lansweeper.cpp
//
// Lansweeper (on-premises) exports: a folder of CSV files, one per table of its database, named
// after the table (`tblAssets.csv`, `tblSoftware.csv`, ...; names compared case-insensitively),
// as SQL Server Management Studio or `Invoke-Sqlcmd ... | Export-Csv` write them (text and
// dialect: csv_tables.hpp). Columns and rules in docs/formats.md "Lansweeper"; the tables and
// their columns are Lansweeper's, as public report SQL uses them (ecosystem research §1.3).
//
// - Devices come from `tblAssets` (one per AssetID; the name is the id). A `tblAssetCustom.State`
//   other than 1 (Active) is a `not-active` warning, and the asset stays in service: Lansweeper
//   sets assets it has not seen lately to non-active itself, and the other states are the site's
//   own list (tsysAssetStates, not exported), so no state proves a disposal; retiring them would
//   be a guess that under-counts. A name two assets share keeps it on the first active asset,
//   the other becomes `NAME (AssetID N)`, never merged or dropped.
// - A virtual machine is told by `tblAssetCustom` Manufacturer/Model (the hypervisor's virtual
//   hardware: `Virtual Machine`, `VMware7,1`, ...); a server by `tblAssets.OScode` ending in S,
//   else `tblComputersystem.Domainrole` (2 to 5 are servers and domain controllers), else the
//   `tblOperatingsystem` caption.
// - Processors and cores from `tblProcessor` (one row per socket: counted, cores summed); the
//   operating system from `tblOperatingsystem` as one more install (the software list never
//   names Windows).
// - Programs from `tblSoftware` (one row per asset and title) joined to `tblSoftwareUni` (the
//   titles and publishers); Store apps (`MsStore` not 0) are rows of their own id part.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_tables.hpp"

namespace trueup::import::detail {

namespace {

/// Counts of what could not become part of the inventory in one file, reported once per file.
struct Tally {
  std::size_t unknown_asset = 0, unknown_software = 0, no_title = 0;
  std::uint32_t first_unknown_asset = 0, first_unknown_software = 0;
};

void report(const std::string& file, const Tally& t, Inventory& out, SourceCount& count) {
  count.skipped += t.unknown_asset + t.unknown_software + t.no_title;
  if (t.unknown_asset > 0)
    out.warnings.push_back({Severity::warning, file, t.first_unknown_asset, 0, "unknown-asset",
                            "expected an AssetID of tblAssets.csv, found " + std::to_string(t.unknown_asset) +
                                " row(s) of other AssetIDs (first here); they are not read"});
  if (t.unknown_software > 0)
    out.warnings.push_back({Severity::warning, file, t.first_unknown_software, 0, "unknown-software",
                            "expected a softID of tblSoftwareUni.csv, found " + std::to_string(t.unknown_software) +
                                " row(s) of other softIDs (first here); they are not read"});
  if (t.no_title > 0)
    out.warnings.push_back({Severity::warning, file, 0, 0, "no-title",
                            "expected a software name on every row, found " + std::to_string(t.no_title) +
                                " row(s) without one; they are not read"});
}

/// The assets read so far and the row ids given.
struct Assets {
  std::map<std::string, std::size_t> by_asset;  ///< AssetID -> index in out.devices
  std::set<std::string> row_ids;                ///< every row id given, so that each is unique
};

/// The device of a row by its AssetID; nullopt when tblAssets has none (counted, with the first
/// such line, for the file's one `unknown-asset` warning).
std::optional<std::size_t> device_of(const Assets& assets, const TableRow& r, Tally& tally) {
  const auto it = assets.by_asset.find(trimmed(r["assetid"]));
  if (it != assets.by_asset.end()) return it->second;
  if (tally.unknown_asset++ == 0) tally.first_unknown_asset = r.line();
  return std::nullopt;
}

/// A unique row id `DEVICE/lansweeper/PART/KEY`, `#N` added when a device repeats a key.
std::string row_key(Assets& assets, const std::string& device, std::string_view part, const std::string& key) {
  const std::string base = device + "/lansweeper/" + std::string(part) + (key.empty() ? "" : "/" + key);
  std::string id = base;
  for (std::uint32_t repeat = 2; !assets.row_ids.insert(id).second; ++repeat) id = base + "#" + std::to_string(repeat);
  return id;
}

/// tblAssetCustom's facts of one asset.
struct Custom {
  std::string state, manufacturer, model;
};

/// Whether Manufacturer/Model name a hypervisor's virtual hardware, as the hypervisors report
/// it to WMI's Win32_ComputerSystem (Hyper-V `Microsoft Corporation`/`Virtual Machine`, VMware
/// `VMware, Inc.`/`VMware7,1` or `VMware Virtual Platform`, VirtualBox `innotek GmbH`, KVM and
/// QEMU `QEMU`, Xen `Xen`/`HVM domU`, Parallels).
bool virtual_hardware(const Custom& c) {
  const std::string model = ascii_lower(c.model);
  const std::string maker = ascii_lower(c.manufacturer);
  for (const std::string_view word : {"virtual machine", "vmware", "virtualbox", "kvm", "hvm domu", "parallels"})
    if (model.find(word) != std::string::npos) return true;
  for (const std::string_view word : {"vmware", "qemu", "xen", "innotek", "parallels"})
    if (maker.find(word) != std::string::npos) return true;
  return false;
}

std::map<std::string, Custom> read_custom(const std::filesystem::path& file, Diagnostics& errors) {
  std::map<std::string, Custom> custom;
  read_table(
      file, {"assetid", "state"},
      [&](const TableRow& r) {
        custom.try_emplace(trimmed(r["assetid"]), Custom{trimmed(r["state"]), r["manufacturer"], r["model"]});
      },
      errors);
  return custom;
}

/// The devices of tblAssets; names repeated by several assets keep the name on the first active
/// one. `custom`'s rows of assets tblAssets does not list are one `unknown-asset` warning.
void read_assets(const std::filesystem::path& file, const std::map<std::string, Custom>& custom, Inventory& out,
                 Assets& assets, Diagnostics& errors) {
  struct Record {
    std::string asset, name, oscode;
    Custom custom;
    std::uint32_t line = 0;
    std::string lastseen;  ///< when Lansweeper last scanned the asset ("2026-06-28 08:14:02.000")
    [[nodiscard]] bool not_active() const { return !custom.state.empty() && custom.state != "1"; }
  };
  std::vector<Record> records;
  read_table(
      file, {"assetid"},
      [&](const TableRow& r) {
        Record rec{trimmed(r["assetid"]), trimmed(r["assetname"]), trimmed(r["oscode"]), {}, r.line(),
                   trimmed(r["lastseen"])};
        if (rec.name.empty()) rec.name = "AssetID " + rec.asset;
        if (const auto it = custom.find(rec.asset); it != custom.end()) rec.custom = it->second;
        records.push_back(std::move(rec));
      },
      errors);
  // Active assets take their names first, so a non-active asset never takes a live PC's name.
  std::stable_partition(records.begin(), records.end(), [](const Record& r) { return !r.not_active(); });
  std::map<std::string, std::string> taken;  // lower-case name -> AssetID
  const std::string name = file.filename().string();
  for (const Record& r : records) {
    InventoryDevice d;
    d.hostname = r.name;
    std::string first;
    d.id = unique_device_id(taken, r.name, "AssetID", r.asset, first);
    if (!first.empty())
      out.warnings.push_back({Severity::warning, name, r.line, 0, "duplicate-device",
                              "expected one asset per computer name, found " + r.name + " again (AssetID " + r.asset +
                                  (r.not_active() ? ", not active" : "") + ", first " + first + "); read as device " +
                                  d.id});
    // OScode is Lansweeper's OS code: a server OS's ends in S (`10.0.17763S`).
    if (virtual_hardware(r.custom))
      d.kind = DeviceKind::virtual_machine;
    else if (!r.oscode.empty())
      d.kind = r.oscode.back() == 'S' || r.oscode.back() == 's' ? DeviceKind::server : DeviceKind::desktop;
    if (r.not_active())
      out.warnings.push_back({Severity::warning, name, r.line, 0, "not-active",
                              "asset " + r.asset + " (" + d.id + ") has tblAssetCustom.State " + r.custom.state +
                                  ", not 1 (Active): read as in service, since Lansweeper also sets assets it has not "
                                  "seen lately non-active; a device disposed of needs status retired in devices.csv"});
    d.source = name + ":" + std::to_string(r.line);
    d.software_reported = true;
    d.last_inventory = windows_date(r.lastseen);
    if (!assets.by_asset.emplace(r.asset, out.devices.size()).second) {
      errors.push_back({Severity::error, name, r.line, 1, "duplicate-id",
                        "column `AssetID`: expected a unique AssetID, found \"" + r.asset + "\" again"});
      continue;
    }
    out.devices.push_back(std::move(d));
  }
  std::size_t unknown = 0;
  for (const auto& entry : custom) unknown += assets.by_asset.count(entry.first) == 0 ? 1 : 0;
  if (unknown > 0)
    out.warnings.push_back({Severity::warning, "tblAssetCustom.csv", 0, 0, "unknown-asset",
                            "expected an AssetID of tblAssets.csv, found " + std::to_string(unknown) +
                                " row(s) of other AssetIDs; they are not read"});
}

/// Win32_ComputerSystem.DomainRole: 0 and 1 are workstations, 2 and 3 servers, 4 and 5 domain
/// controllers (servers too). Fills the kind tblAssets.OScode left unknown.
void read_computer_systems(const std::filesystem::path& file, Inventory& out, const Assets& assets,
                           Diagnostics& errors) {
  Tally tally;
  read_table(
      file, {"assetid", "domainrole"},
      [&](const TableRow& r) {
        const auto index = device_of(assets, r, tally);
        const std::string role = trimmed(r["domainrole"]);
        if (!index || out.devices[*index].kind || role.size() != 1 || role[0] < '0' || role[0] > '5') return;
        out.devices[*index].kind = role[0] >= '2' ? DeviceKind::server : DeviceKind::desktop;
      },
      errors);
  SourceCount ignored;
  report(file.filename().string(), tally, out, ignored);
}

/// Sockets counted and cores summed per asset; cores unknown when a row lacks NumberOfCores.
void read_processors(const std::filesystem::path& file, Inventory& out, const Assets& assets, Diagnostics& errors) {
  struct Facts {
    std::uint32_t sockets = 0;
    std::optional<std::uint64_t> cores = 0;
    std::string model;  // the first row's Name
  };
  std::map<std::size_t, Facts> per_device;
  Tally tally;
  read_table(
      file, {"assetid"},
      [&](const TableRow& r) {
        const auto index = device_of(assets, r, tally);
        if (!index) return;
        Facts& f = per_device[*index];
        if (f.sockets++ == 0) f.model = trimmed(r["name"]);
        const std::string n = trimmed(r["numberofcores"]);
        const bool number = !n.empty() && n.size() <= 6 &&
                            std::all_of(n.begin(), n.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
        if (number && f.cores)
          *f.cores += std::stoull(n);
        else
          f.cores.reset();
      },
      errors);
  for (const auto& entry : per_device) {
    InventoryDevice& d = out.devices[entry.first];
    d.processors = entry.second.sockets;
    d.cpu_model = entry.second.model;
    if (entry.second.cores)
      d.cores = static_cast<std::uint32_t>(std::min<std::uint64_t>(*entry.second.cores, 1U << 31));
  }
  SourceCount ignored;
  report(file.filename().string(), tally, out, ignored);
}

/// The operating system as an install (Caption), and what it says of a kind still unknown.
void read_operating_systems(const std::filesystem::path& file, Inventory& out, Assets& assets, SourceCount& count,
                            Diagnostics& errors) {
  Tally tally;
  const std::string name = file.filename().string();
  read_table(
      file, {"assetid", "caption"},
      [&](const TableRow& r) {
        const auto index = device_of(assets, r, tally);
        if (!index) return;
        std::string caption = trimmed(r["caption"]);
        if (caption.empty()) {
          ++tally.no_title;
          return;
        }
        InventoryDevice& d = out.devices[*index];
        if (!d.kind)
          d.kind = ascii_lower(caption).find("server") != std::string::npos ? DeviceKind::server : DeviceKind::desktop;
        out.rows.push_back({row_key(assets, d.id, "os", ""), d.id, std::move(caption), "Microsoft Corporation",
                            trimmed(r["version"]), std::nullopt, name + ":" + std::to_string(r.line())});
        ++count.rows;
      },
      errors);
  report(name, tally, out, count);
}

/// tblSoftwareUni: the titles and publishers by SoftID.
struct Title {
  std::string name, publisher;
};

std::map<std::string, Title> read_titles(const std::filesystem::path& file, Diagnostics& errors) {
  std::map<std::string, Title> titles;
  const std::string name = file.filename().string();
  read_table(
      file, {"softid", "softwarename"},
      [&](const TableRow& r) {
        const std::string id = trimmed(r["softid"]);
        if (!titles.try_emplace(id, Title{trimmed(r["softwarename"]), trimmed(r["softwarepublisher"])}).second)
          errors.push_back({Severity::error, name, r.line(), 1, "duplicate-id",
                            "column `SoftID`: expected a unique SoftID, found \"" + id + "\" again"});
      },
      errors);
  return titles;
}

/// Whether tblSoftware.MsStore marks a Microsoft Store app (any value but 0, false or empty).
bool store_app(const std::string& v) { return !v.empty() && v != "0" && ascii_lower(v) != "false"; }

void read_software(const std::filesystem::path& file, const std::map<std::string, Title>& titles, Inventory& out,
                   Assets& assets, SourceCount& count, Diagnostics& errors) {
  Tally tally;
  const std::string name = file.filename().string();
  read_table(
      file, {"assetid", "softid"},
      [&](const TableRow& r) {
        const auto index = device_of(assets, r, tally);
        if (!index) return;
        const std::string soft = trimmed(r["softid"]);
        const auto title = titles.find(soft);
        if (title == titles.end()) {
          if (tally.unknown_software++ == 0) tally.first_unknown_software = r.line();
          return;
        }
        if (title->second.name.empty()) {
          ++tally.no_title;
          return;
        }
        const std::string& device = out.devices[*index].id;
        out.rows.push_back({row_key(assets, device, store_app(trimmed(r["msstore"])) ? "store" : "sw", soft), device,
                            title->second.name, title->second.publisher, trimmed(r["softwareversion"]), std::nullopt,
                            name + ":" + std::to_string(r.line())});
        ++count.rows;
      },
      errors);
  report(name, tally, out, count);
}

}  // namespace

void read_lansweeper(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  const auto files = table_files(source, "Lansweeper table exports (tblAssets.csv, tblSoftware.csv, ...)",
                                 "tblassets.csv", "tblAssets.csv (the assets)", errors);
  if (files.empty()) return;
  auto file = [&](const char* table) -> const std::filesystem::path* {
    const auto it = files.find(table);
    return it == files.end() ? nullptr : &it->second;
  };
  bool complete = file("tblassets.csv") != nullptr;
  for (const char* required : {"tblSoftware.csv", "tblSoftwareUni.csv"})
    if (file(ascii_lower(required).c_str()) == nullptr) {
      errors.push_back({Severity::error, source.path.filename().string(), 0, 0, "missing-file",
                        "expected " + std::string(required) + " in the folder " + source.path.string() +
                            ", found none (tblAssets, tblSoftware and tblSoftwareUni are required)"});
      complete = false;
    }
  if (!complete) return;
  std::map<std::string, Custom> custom;
  if (const auto* f = file("tblassetcustom.csv")) custom = read_custom(*f, errors);
  Assets assets;
  const std::size_t first = out.devices.size();
  read_assets(*file("tblassets.csv"), custom, out, assets, errors);
  if (const auto* f = file("tblcomputersystem.csv")) read_computer_systems(*f, out, assets, errors);
  if (const auto* f = file("tblprocessor.csv")) read_processors(*f, out, assets, errors);
  read_software(*file("tblsoftware.csv"), read_titles(*file("tblsoftwareuni.csv"), errors), out, assets, count, errors);
  if (const auto* f = file("tbloperatingsystem.csv")) read_operating_systems(*f, out, assets, count, errors);
  count.files = files.size();
  count.devices = out.devices.size() - first;
  out.sources.push_back(std::move(count));
}

}  // namespace trueup::import::detail
