// SPDX-License-Identifier: BSL-1.0
// File: tests/examples/glpi_test.cpp
//
// examples/glpi: computers of the sample fleet as GLPI Agent inventories reconcile to the same
// position as the same computers in the project's CSV format (examples/glpi/generate.py writes
// both from examples/contoso), with the same licences.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup {
namespace {

const std::string example = std::string(TRUEUP_SOURCE_DIR) + "/examples/glpi";

std::string text_of(const std::string& path) {
  auto text = io::read_input_file(path, path);
  if (!text) throw std::runtime_error("cannot read " + path);
  return *text;
}

TEST(GlpiExample, ReconcilesAsItsCsvTwin) {
  auto inventory = import::read_inventory({import::parse_source("glpi:" + example + "/inventories").value()});
  ASSERT_TRUE(inventory.has_value());
  EXPECT_TRUE(inventory->warnings.empty());
  auto imported = import::read_fleet(example, *inventory, test::microsoft_pack());
  ASSERT_TRUE(imported.has_value()) << to_string(imported.error()[0]);

  io::FleetSources twin;
  twin.devices = text_of(example + "/csv/devices.csv");
  twin.installs = text_of(example + "/csv/installs.csv");
  twin.entitlements = text_of(example + "/entitlements.csv");
  ReconcileOptions options;
  options.as_of = test::fixture_as_of;
  const test::Reconciled from_csv = test::reconcile_sources(twin, options);
  const Position from_glpi = reconcile(test::microsoft_pack(), imported->fleet, options);

  ASSERT_EQ(imported->fleet.devices.size(), from_csv.fleet.devices.size());
  ASSERT_EQ(imported->fleet.installs.size(), from_csv.fleet.installs.size());
  const std::string table = io::format_table(from_glpi, test::microsoft_pack(), imported->fleet);
  EXPECT_EQ(table, io::format_table(from_csv.position, test::microsoft_pack(), from_csv.fleet));
  // Not a trivial position: licences consumed, a re-install counted once, a server short.
  EXPECT_GT(from_glpi.totals.shortfall, 0u);
  EXPECT_NE(table.find("Office Professional Plus 2016"), std::string::npos);
  EXPECT_NE(table.find("SQL Server 2022 Enterprise"), std::string::npos);
}

}  // namespace
}  // namespace trueup
