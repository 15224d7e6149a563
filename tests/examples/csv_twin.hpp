// SPDX-License-Identifier: BSL-1.0
// File: tests/examples/csv_twin.hpp
//
// The inventory examples (examples/glpi, examples/sccm) come with a CSV twin: the same computers
// in the project's own devices.csv and installs.csv, with only the facts the export carries
// (each example's generate.py writes both). Reconciled with the example's entitlements.csv, the
// export and its twin must give the same position; twin_tables() returns both tables.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "support/fleet_fixture.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup::test {

/// The position table of the inventory `spec` read with the licences of `example`, then that of
/// the example's CSV twin (`example/csv`), both as of the fixture's date. Fails the test (and
/// throws) when either cannot be read or when they count different devices or installs.
inline std::pair<std::string, std::string> twin_tables(const std::string& example, const std::string& spec,
                                                       Position* imported_position = nullptr) {
  auto text_of = [](const std::string& path) {
    auto text = io::read_input_file(path, path);
    if (!text) throw std::runtime_error("cannot read " + path);
    return *text;
  };
  auto inventory = import::read_inventory({import::parse_source(spec).value()});
  if (!inventory) throw std::runtime_error(to_string(inventory.error()[0]));
  auto imported = import::read_fleet(example, *inventory, microsoft_pack());
  if (!imported) throw std::runtime_error(to_string(imported.error()[0]));

  io::FleetSources twin;
  twin.devices = text_of(example + "/csv/devices.csv");
  twin.installs = text_of(example + "/csv/installs.csv");
  twin.entitlements = text_of(example + "/entitlements.csv");
  ReconcileOptions options;
  options.as_of = fixture_as_of;
  const Reconciled from_csv = reconcile_sources(twin, options);
  Position from_export = reconcile(microsoft_pack(), imported->fleet, options);
  EXPECT_EQ(imported->fleet.devices.size(), from_csv.fleet.devices.size());
  EXPECT_EQ(imported->fleet.installs.size(), from_csv.fleet.installs.size());
  std::pair<std::string, std::string> tables{io::format_table(from_export, microsoft_pack(), imported->fleet),
                                             io::format_table(from_csv.position, microsoft_pack(), from_csv.fleet)};
  if (imported_position != nullptr) *imported_position = std::move(from_export);
  return tables;
}

}  // namespace trueup::test
