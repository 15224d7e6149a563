// SPDX-License-Identifier: BSL-1.0
// File: trueup/import/inventory.hpp
//
// Importers: the inventory exports users already have (docs/formats.md "Inventory exports"),
// read into the fleet's devices and installs tables. An importer lives at the edge: it turns
// files into an `Inventory`, which becomes devices.csv and installs.csv texts in the project's
// own format, read by the same readers as a fleet directory (io/readers.hpp), so an imported
// fleet obeys every rule and diagnostic of a hand-written one.
//
// Invariants of an `Inventory` (the readers rely on them): device ids are unique, every row's
// device is one of its devices, row ids are unique and *stable*: the same export read again
// gives the same ids (they are built from the device and the row's place in the export, never
// from a counter over the whole run). Nothing read is dropped: every software entry becomes a
// row, which recognition then declares a product, excluded with its reason, or needing review;
// what cannot become a row (an entry with no name) is counted and reported as a warning.
//
// **Example**:
//
//     auto source = trueup::import::parse_source("glpi:inventories/");
//     auto inventory = trueup::import::read_inventory({*source});
//     auto fleet = trueup::import::read_fleet("contracts/", *inventory, pack);
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/diagnostic.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/device.hpp"
#include "trueup/result.hpp"

namespace trueup::import {

/// The export formats read.
enum class Format : std::uint8_t {
  glpi,        ///< GLPI Agent inventory JSON: one file per computer, or a folder of them
  reg,         ///< a Windows registry export (.reg) of the Uninstall keys of one computer
  sccm,        ///< Configuration Manager (SCCM / MECM) view exports: a folder of CSV files
  lansweeper,  ///< Lansweeper table exports (tblAssets, tblSoftware, ...): a folder of CSV files
  wmi,         ///< WMI Win32_Processor dumps (`wmic ... /format:list`), one computer per file
  dpkg,        ///< a Debian/Ubuntu package list (`dpkg-query --showformat`), one computer per file
  rpm,         ///< an RPM package list (`rpm -qa --queryformat`), one computer per file
  mssql,       ///< `SELECT @@VERSION` output of a SQL Server instance, one instance per file
  osquery,     ///< osquery results: an osqueryd results log, or `osqueryi --json` output
};

/// One `--inventory KIND:PATH`.
struct Source {
  Format format = Format::glpi;
  std::filesystem::path path;
  std::string spec;  ///< as given ("glpi:inventories/"), for reports
};

/// `KIND:PATH` with KIND one of `glpi`, `reg`, `sccm`, `lansweeper`, `wmi`, `dpkg`, `rpm`, `mssql`, `osquery`; an error
/// `bad-inventory` otherwise.
[[nodiscard]] Result<Source> parse_source(std::string_view spec);

struct InventoryDevice {
  std::string id;
  std::string hostname;
  std::optional<DeviceKind> kind;      ///< unknown when the export does not say (devices.csv's default)
  std::optional<DeviceStatus> status;  ///< retired when the export says so (active by default)
  std::uint32_t processors = 0;        ///< sockets; 0 = unknown
  std::uint32_t cores = 0;             ///< physical cores (a VM's virtual cores); 0 = unknown
  /// Logical processors (hardware threads) as the operating system sees them; 0 = unknown. A
  /// virtual machine's cores are its virtual processors: read_inventory() makes them its
  /// `cores` once every source is merged and the device is known to be a VM.
  std::uint32_t logical_processors = 0;
  /// The processor model as the export names it (the first processor's: `Win32_Processor.Name`,
  /// GLPI `cpus[].name`, SCCM `Name0`), which a core factor table looks up (devices.csv
  /// `cpu_model`); empty = unknown.
  std::string cpu_model;
  std::string host;  ///< a VM's host device id, when the export names it
  std::string primary_user;
  /// The export said what software is installed (a partial GLPI inventory may not): a device
  /// without it has no rows because nothing is known, not because nothing is installed.
  bool software_reported = false;
  /// The date of the device's last inventory, where the export states one: GLPI
  /// `accesslog.logdate`, Configuration Manager `v_GS_WORKSTATION_STATUS.LastHWScan`, Lansweeper
  /// `tblAssets.Lastseen`, osquery a result's `unixTime`; unknown otherwise (never "today").
  /// Sources merged, the latest: a device any source saw lately was seen lately.
  std::optional<Date> last_inventory;
  std::string source;  ///< the file it was read from
};

struct InventoryRow {
  std::string id;
  std::string device_id;
  std::string title;
  std::string publisher;
  std::string version;
  std::optional<Date> first_seen;
  std::string source;  ///< file and place in it ("pc-1.json: softwares[3]")
};

/// What was read from one source, for reports.
struct SourceCount {
  std::string spec;
  std::size_t files = 0;
  std::size_t devices = 0;
  std::size_t rows = 0;
  std::size_t skipped = 0;  ///< entries that could not become a row (each also a warning)
  /// Registry Uninstall subkeys without a `DisplayName`: Windows does not list them as
  /// programs, so they are no install (counted, not rows).
  std::size_t unnamed_keys = 0;
  /// Packages a list names but no longer has installed (dpkg `config-files`, `not-installed`):
  /// no install (counted, not rows).
  std::size_t not_installed = 0;
};

struct Inventory {
  std::vector<InventoryDevice> devices;
  std::vector<InventoryRow> rows;
  std::vector<SourceCount> sources;
  Diagnostics warnings;
};

/// Reads every source in order; a device met in several sources is one device (the first
/// source's facts win, a later one fills what is unknown). A virtual machine whose logical
/// processors are known has them as its cores: one core licence per virtual core, a v-core being
/// a hardware thread (licensing-rules SQL2, WS-VM), with a `vm-virtual-cores` warning where that
/// changes the count. Returns every error of every source (file, line, column) when any source
/// cannot be read.
[[nodiscard]] Result<Inventory> read_inventory(const std::vector<Source>& sources);

/// The inventory in the project's CSV format (docs/formats.md devices.csv and installs.csv),
/// devices and rows in the inventory's order: byte-identical for the same inventory.
[[nodiscard]] std::string devices_csv(const Inventory& inventory);
[[nodiscard]] std::string installs_csv(const Inventory& inventory);

/// `devices`, a devices table as devices_csv() writes it, with `overlay` over it: a devices.csv
/// text (reported as `file`) stating facts no export holds (environment, ownership, retired, a
/// VM's host ...). A row states facts of the device with its device_id, or else of the one
/// device whose id or host name is the row's id in another case (`ambiguous-device` when there
/// are several; `duplicate-device` for two rows of one device); a value it states replaces the
/// export's, an empty cell keeps it; a row for a device no export lists adds that device
/// (warning `not-in-inventory`). The overlay is checked as devices.csv is, each problem at its
/// own line and column. Returns the devices table with every devices.csv column, its warnings
/// appended to `warnings`.
[[nodiscard]] Result<std::string> overlay_devices(std::string_view devices, std::string_view overlay,
                                                  const std::string& file, const RulePack& pack, Diagnostics& warnings);

/// The devices table of a fleet whose devices are imported (`devices`, as devices_csv() writes
/// it), read with its fleet directory `dir`: `dir`'s devices.csv over it (overlay_devices())
/// when there is one, else `devices` itself; a warning `not-read` when `dir` holds an
/// installs.csv (the installs are the exports'); `missing-file` when `dir` is no directory.
[[nodiscard]] Result<std::string> imported_devices(const std::filesystem::path& dir, std::string_view devices,
                                                   const RulePack& pack, Diagnostics& warnings);

/// A fleet whose devices and installs are `inventory` and whose entitlements (and access,
/// assignments, prices when present) are read from `dir`, exactly as io::read_fleet() does.
/// Its devices table is imported_devices(): `dir`'s devices.csv, when there, is read over the
/// imported devices.
[[nodiscard]] Result<io::FleetRead> read_fleet(const std::filesystem::path& dir, const Inventory& inventory,
                                               const RulePack& pack);

/// The same with the licences of `entitlements` instead of DIR/entitlements.csv (an imported
/// text, trueup/import/entitlements.hpp); `dir` may be empty: no optional file is then read.
[[nodiscard]] Result<io::FleetRead> read_fleet(const std::filesystem::path& dir, const Inventory& inventory,
                                               const RulePack& pack, io::FleetInput entitlements);

/// A fleet of `inventory`'s devices and installs and no licences: what `trueup review` reads;
/// with `dir`, its devices.csv over the devices as above.
[[nodiscard]] Result<io::FleetRead> read_fleet(const Inventory& inventory, const RulePack& pack,
                                               const std::filesystem::path& dir = {});

}  // namespace trueup::import
