// SPDX-License-Identifier: BSL-1.0
// File: tests/import/mssql_test.cpp
//
// `SELECT @@VERSION` output (src/import/mssql.cpp, docs/formats.md "SQL Server @@VERSION"): the
// project's samples in the shapes the clients write (tests/data/inventory/mssql: sqlcmd with its
// column header, dashes and footer, CRLF; a named instance in UTF-16LE as `sqlcmd -u` writes it;
// SQL Server 2017 on Linux with LF), and GLPI Agent's real outputs of ../shared/data/inventory
// (SQL Server 2019 Developer, 2012 Express; a French footer in Latin-1) when that folder is there.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "support/inventory_support.hpp"
#include "trueup/normalise/recognise.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;
using test::find_device;
using test::find_diagnostic;
using test::find_row;
using test::read_sources;

const fs::path samples = test::inventory_samples / "mssql";

TEST(MssqlImport, EachInstanceIsARowTitledWithItsEdition) {
  const auto inv = read_sources({"mssql:" + samples.string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  std::vector<std::string> ids;
  for (const auto& r : inv->rows) ids.push_back(r.id);
  // In file-name order; `HOST$INSTANCE` names a named instance of HOST.
  EXPECT_EQ(ids, (std::vector<std::string>{"SRV-DB01/mssql/SQLEXPRESS", "SRV-DB01/mssql/MSSQLSERVER",
                                           "srv-lnx01/mssql/MSSQLSERVER"}));
  const auto* enterprise = find_row(*inv, "SRV-DB01/mssql/MSSQLSERVER");
  EXPECT_EQ(enterprise->title, "Microsoft SQL Server 2019 Enterprise Edition: Core-based Licensing (64-bit)");
  EXPECT_EQ(enterprise->version, "15.0.4322.2");
  EXPECT_EQ(enterprise->publisher, "Microsoft Corporation");
  EXPECT_EQ(enterprise->source, "SRV-DB01.txt:3");  // after sqlcmd's header and dashes
  const auto* express = find_row(*inv, "SRV-DB01/mssql/SQLEXPRESS");
  EXPECT_EQ(express->title, "Microsoft SQL Server 2008 R2 Express Edition with Advanced Services (64-bit)");
  EXPECT_EQ(express->version, "10.50.6000.34");
  EXPECT_EQ(find_row(*inv, "srv-lnx01/mssql/MSSQLSERVER")->title,
            "Microsoft SQL Server 2017 Standard Edition (64-bit)");
  ASSERT_EQ(inv->devices.size(), 2U);  // the two instances of SRV-DB01 are one device
  // One product's word is not the computer's software list.
  EXPECT_FALSE(find_device(*inv, "SRV-DB01")->software_reported);
  EXPECT_TRUE(inv->warnings.empty());
}

TEST(MssqlImport, TheEditionDecidesWhatRecognitionCouldNotFromAddRemovePrograms) {
  // Add/Remove Programs' "Microsoft SQL Server 2019 (64-bit)" names no edition (needs review);
  // the instance's own word decides: Enterprise is a demand for core licences, Express and
  // Standard are what they say.
  const auto inv = read_sources({"mssql:" + samples.string(), "wmi:" + (test::inventory_samples / "wmi").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  const auto read = import::read_fleet(*inv, test::microsoft_pack());
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  const RulePack& pack = test::microsoft_pack();
  Recogniser recogniser(pack);
  std::vector<std::string> products;
  for (const Install& i : read->fleet.installs) {
    const Recognition& r = recogniser.recognise(i.title, i.publisher, i.version);
    products.push_back(r.kind == Recognition::Kind::product ? pack.product_name(r.product) : r.reason);
  }
  EXPECT_EQ(products, (std::vector<std::string>{"SQL Server 2008 R2 Express", "SQL Server 2019 Enterprise",
                                                "SQL Server 2017 Standard"}));
  // The processor dump of the same computer (tests/data/inventory/wmi) completes it: one device
  // with its cores.
  EXPECT_EQ(read->fleet.device(read->fleet.installs[1].device).cores, 8U);  // Xeon E5506 + E5504, 4 cores each
}

TEST(MssqlImport, AFileThatIsNotVersionOutputIsAnErrorAtItsFirstLine) {
  test::ScratchFolder dir;
  const auto inv =
      read_sources({"mssql:" + dir.write("SRV-9.txt", "Msg 18456, Level 14, State 1\r\nLogin failed\r\n")});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(to_string(inv.error()[0]),
            "SRV-9.txt:1:1: error[bad-mssql]: expected the output of SELECT @@VERSION (a line starting `Microsoft SQL "
            "Server`), found none");
}

TEST(MssqlImport, AProductLineWithoutItsBuildIsAnErrorAtItsLine) {
  test::ScratchFolder dir;
  const auto inv = read_sources(
      {"mssql:" + dir.write("SRV-9.txt", "\nMicrosoft SQL Server 2019 (RTM) (X64)\n\tDeveloper Edition\n")});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(to_string(inv.error()[0]),
            "SRV-9.txt:2:1: error[bad-mssql]: expected `Microsoft SQL Server YEAR ... - BUILD (...)` as SELECT "
            "@@VERSION writes it, found \"Microsoft SQL Server 2019 (RTM) (X64)\"");
}

TEST(MssqlImport, AValueWithoutItsEditionLineIsARowWithoutAnEditionAndAWarning) {
  test::ScratchFolder dir;
  const auto inv = read_sources(
      {"mssql:" + dir.write("SRV-9.txt", "Microsoft SQL Server 2016 (SP3) (KB5003279) - 13.0.6300.2 (X64)\n")});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->rows.size(), 1U);
  EXPECT_EQ(inv->rows[0].title, "Microsoft SQL Server 2016");
  const Diagnostic* w = find_diagnostic(inv->warnings, "no-edition");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->line, 1U);
}

class RealVersionOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(shared))
      GTEST_SKIP() << "the real inventory files are not here (" << shared.string() << "): skipped";
  }
  const fs::path shared = test::shared_inventory() / "glpi-agent";
};

// Express is free; Developer only outside production (SQL10), which an instance's output cannot
// say: it goes to review until devices.csv states the server's environment.
TEST_F(RealVersionOutputs, ExpressIsFreeAndDeveloperWaitsForItsEnvironment) {
  const auto inv = read_sources({"mssql:" + (shared / "sql-server-2019-select-version").string(),
                                 "mssql:" + (shared / "sql-server-2012-express-select-version").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->rows.size(), 2U);
  EXPECT_EQ(inv->rows[0].title, "Microsoft SQL Server 2019 Developer Edition (64-bit)");
  EXPECT_EQ(inv->rows[0].version, "15.0.2080.9");
  EXPECT_EQ(inv->rows[1].title, "Microsoft SQL Server 2012 Express Edition (64-bit)");
  EXPECT_EQ(inv->rows[1].version, "11.0.2100.60");
  EXPECT_TRUE(inv->warnings.empty());  // the Latin-1 footer is not read
  const auto read = import::read_fleet(*inv, test::microsoft_pack());
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  const Position p = reconcile(test::microsoft_pack(), read->fleet, options);
  ASSERT_EQ(p.installs.size(), 2U);
  EXPECT_EQ(p.installs[0].exclusion, Exclusion::needs_review);
  EXPECT_EQ(p.installs[1].exclusion, Exclusion::free_edition);
}

}  // namespace
}  // namespace trueup
