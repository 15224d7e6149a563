// SPDX-License-Identifier: BSL-1.0
// File: tests/examples/glpi_test.cpp
//
// examples/glpi: computers of the sample fleet as GLPI Agent inventories reconcile to the same
// position as the same computers in the project's CSV format (examples/glpi/generate.py writes
// both from examples/contoso), with the same licences.
#include <gtest/gtest.h>

#include "csv_twin.hpp"

namespace trueup {
namespace {

const std::string example = std::string(TRUEUP_SOURCE_DIR) + "/examples/glpi";

TEST(GlpiExample, ReconcilesAsItsCsvTwin) {
  const std::string spec = "glpi:" + example + "/inventories";
  auto inventory = import::read_inventory({import::parse_source(spec).value()});
  ASSERT_TRUE(inventory.has_value());
  EXPECT_TRUE(inventory->warnings.empty());
  Position from_glpi;
  const auto [table, twin] = test::twin_tables(example, spec, &from_glpi);
  EXPECT_EQ(table, twin);
  // Not a trivial position: licences consumed, a re-install counted once, a server short.
  EXPECT_GT(from_glpi.totals.shortfall, 0u);
  EXPECT_NE(table.find("Office Professional Plus 2016"), std::string::npos);
  EXPECT_NE(table.find("SQL Server 2022 Enterprise"), std::string::npos);
}

}  // namespace
}  // namespace trueup
