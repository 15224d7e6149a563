// SPDX-License-Identifier: BSL-1.0
// File: fuzz/inventory_target.hpp
//
// The body of the inventory importers' targets (`glpi`, `reg`, `wmi`, `sccm`, `lansweeper`;
// docs/testing.md): the input's bytes are written as one export file (or, for `sccm` and
// `lansweeper`, a folder of them) and read as
// `trueup reconcile --inventory KIND:PATH` reads it. Besides the checks of fuzz/fuzz_support.hpp, an inventory read
// must keep the invariants trueup/import/inventory.hpp states (device ids unique, every row on one of its devices, row
// ids unique), its devices.csv and installs.csv must read as a fleet, and that fleet must reconcile.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup::fuzz {

inline void check_inventory(const import::Inventory& inv) {
  check_printable(inv.warnings);
  std::set<std::string_view> devices;
  for (const auto& d : inv.devices)
    if (!devices.insert(d.id).second) fail("a device id twice in an inventory", d.id);
  std::set<std::string_view> rows;
  for (const auto& r : inv.rows) {
    if (!rows.insert(r.id).second) fail("a row id twice in an inventory", r.id);
    if (devices.count(r.device_id) == 0) fail("a row on a device the inventory does not list", r.id);
  }
}

/// Reads `source` as the command reads `--inventory`, checks the inventory, then reconciles
/// the fleet it gives.
inline int fuzz_source(const import::Source& source) {
  const auto inventory = import::read_inventory({source});
  if (!inventory) {
    check_printable(inventory.error());
    return 0;
  }
  check_inventory(*inventory);
  const auto read = import::read_fleet(*inventory, microsoft_pack());
  check_printable(read ? read->warnings : read.error());
  if (!read) return 0;
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  const Position p = reconcile(microsoft_pack(), read->fleet, options);
  (void)check_position(p, microsoft_pack(), read->fleet);
  return 0;
}

/// The input's bytes as one export file of `format`.
inline int fuzz_inventory(import::Format format, const char* extension, const std::uint8_t* data, std::size_t size) {
  static InputFile input(extension);
  import::Source source;
  source.format = format;
  source.path = input.write(std::string_view(reinterpret_cast<const char*>(data), size));
  source.spec = "fuzz";
  return fuzz_source(source);
}

/// The input's bytes cut at each byte 0x1E (record separator) into the files `names` of one
/// folder, in that order (fewer parts: fewer files), read as an export of `format`: mutations
/// reach every table and their joins.
inline int fuzz_folder(import::Format format, const char* kind, std::initializer_list<const char*> names,
                       const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("trueup-fuzz-" + std::string(kind) + "-" + std::to_string(::getpid()));
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  std::filesystem::create_directories(folder);
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (const char* name : names) {
    if (rest.empty()) break;
    const auto cut = rest.find('\x1e');
    std::ofstream out(folder / name, std::ios::binary);
    const std::string_view part = rest.substr(0, cut);
    out.write(part.data(), static_cast<std::streamsize>(part.size()));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
  }
  import::Source source;
  source.format = format;
  source.path = folder;
  source.spec = "fuzz";
  return fuzz_source(source);
}

}  // namespace trueup::fuzz
