// SPDX-License-Identifier: BSL-1.0
// File: tests/import/entitlements_test.cpp
//
// The entitlement sources (src/import/entitlements.cpp, docs/formats.md "Entitlement sources"):
// `[KIND:]PATH` parsed, csv sources in any separator and column order concatenated, ids kept
// unique across sources, and every check of entitlements.csv reported at the source's own
// file, line and column.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../support/inventory_support.hpp"
#include "trueup/import/entitlements.hpp"
#include "trueup/io/rule_pack.hpp"

namespace trueup {
namespace {

using test::find_diagnostic;
using test::ScratchFolder;

Result<import::Entitlements> read(const std::vector<std::string>& specs) {
  std::vector<import::EntitlementSource> sources;
  for (const auto& spec : specs) sources.push_back(import::parse_entitlement_source(spec).value());
  return import::read_entitlements(sources);
}

const RulePack& pack() {
  static const RulePack p = io::load_rule_pack("microsoft").value();
  return p;
}

/// A small fleet folder without entitlements.csv: one PC with Office.
std::string fleet(const ScratchFolder& f) {
  (void)f.write("devices.csv", "device_id,hostname,kind\nPC-1,pc-1,desktop\n");
  (void)f.write("installs.csv",
                "install_id,device_id,title,publisher,version\n"
                "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0.10396.20017\n");
  return f.dir().string();
}

TEST(EntitlementSource, KindOrBarePath) {
  const auto bare = import::parse_entitlement_source("licences.csv");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->format, import::EntitlementFormat::csv);
  EXPECT_EQ(bare->path, "licences.csv");
  const auto csv = import::parse_entitlement_source("csv:C:\\SAM\\licences.csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->path, "C:\\SAM\\licences.csv");
  const auto relative = import::parse_entitlement_source("./a:b.csv");
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->path, "./a:b.csv");
  const auto unknown = import::parse_entitlement_source("flexera:purchases.csv");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().front().code, "bad-entitlements");
  EXPECT_FALSE(import::parse_entitlement_source("csv:"));
}

TEST(EntitlementSource, CsvSourcesAreConcatenatedInAnyDialect) {
  ScratchFolder f;
  const std::string a = f.write("a.csv",
                                "licence_id,family,version,edition,channel,quantity\n"
                                "L-1,office,2019,Professional Plus,volume,3\n");
  // A French Excel's save: semicolons, columns in another order and case.
  const std::string b = f.write("b.csv",
                                "Quantity;Licence_ID;Family;Version;Edition;Channel;Reference\n"
                                "2;EA-1;office;2019;Professional Plus;volume;EA 1\n"
                                "1;EA-2;office;2021;Professional Plus;volume;\n");
  const auto e = read({a, "csv:" + b});
  ASSERT_TRUE(e) << e.error().front().message;
  ASSERT_EQ(e->rows.size(), 3U);
  EXPECT_EQ(e->rows[1].values.at("licence_id"), "EA-1");
  EXPECT_EQ(e->rows[1].values.at("quantity"), "2");
  EXPECT_EQ(e->rows[1].values.at("reference"), "EA 1");
  EXPECT_EQ(import::entitlements_csv(*e).substr(0, 54), "licence_id,family,version,edition,channel,quantity,dev");
  EXPECT_EQ(import::entitlements_csv(*e), import::entitlements_csv(*read({a, "csv:" + b})));

  ScratchFolder dir;
  const auto fleet_read = import::read_fleet(fleet(dir), nullptr, *e, pack());
  ASSERT_TRUE(fleet_read) << fleet_read.error().front().message;
  ASSERT_EQ(fleet_read->fleet.entitlements.size(), 3U);
  EXPECT_EQ(fleet_read->fleet.entitlements[1].quantity, 2);
  EXPECT_EQ(find_diagnostic(fleet_read->warnings, "not-read"), nullptr);
}

// DIR/entitlements.csv beside the sources given is not read, and the run says so: a user who
// keeps the old list there must not believe its licences were counted.
TEST(EntitlementSource, AnEntitlementsCsvLeftInTheFleetFolderIsSaidNotRead) {
  ScratchFolder f;
  const std::string a = f.write("a.csv",
                                "licence_id,family,version,edition,channel,quantity\n"
                                "L-1,office,2019,Professional Plus,volume,3\n");
  const auto e = read({a});
  ASSERT_TRUE(e);
  ScratchFolder dir;
  (void)dir.write("entitlements.csv",
                  "licence_id,family,version,edition,channel,quantity\n"
                  "OLD-1,office,2019,Professional Plus,volume,40\n");
  const auto fleet_read = import::read_fleet(fleet(dir), nullptr, *e, pack());
  ASSERT_TRUE(fleet_read) << fleet_read.error().front().message;
  ASSERT_EQ(fleet_read->fleet.entitlements.size(), 1U);
  const Diagnostic* not_read = find_diagnostic(fleet_read->warnings, "not-read");
  ASSERT_NE(not_read, nullptr);
  EXPECT_EQ(not_read->file, "entitlements.csv");
}

// The same licences given twice (one list passed twice, or two exports that overlap) must not
// count twice: a repeated id across sources is an error at the second, naming the first.
TEST(EntitlementSource, AnIdTwoSourcesBothGiveIsAnErrorNeverASecondLicence) {
  ScratchFolder f;
  const std::string text =
      "licence_id,family,version,edition,channel,quantity\n"
      "L-1,office,2019,Professional Plus,volume,3\n";
  const std::string a = f.write("a.csv", text);
  const std::string b = f.write("b.csv", text);
  const auto e = read({a, b});
  ASSERT_TRUE(e) << e.error().front().message;
  ScratchFolder dir;
  const auto fleet_read = import::read_fleet(fleet(dir), nullptr, *e, pack());
  ASSERT_FALSE(fleet_read);
  const Diagnostic* twice = find_diagnostic(fleet_read.error(), "duplicate-id");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->file, "b.csv");
  EXPECT_EQ(twice->line, 2U);
  EXPECT_NE(twice->message.find("(first in a.csv on line 2)"), std::string::npos) << twice->message;
}

TEST(EntitlementSource, TheReadersChecksAreReportedWhereTheValueWasRead) {
  ScratchFolder f;
  const std::string a = f.write("licences.csv",
                                "channel;quantity;licence_id;family;version;edition\n"
                                "volume;3;L-1;office;2019;Professional Plus\n"
                                "volume;ten;L-2;office;2019;Professional Plus\n");
  const auto e = read({a});
  ASSERT_TRUE(e);
  ScratchFolder dir;
  const auto fleet_read = import::read_fleet(fleet(dir), nullptr, *e, pack());
  ASSERT_FALSE(fleet_read);
  const Diagnostic* bad = find_diagnostic(fleet_read.error(), "bad-number");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->file, "licences.csv");
  EXPECT_EQ(bad->line, 3U);
  EXPECT_EQ(bad->column, 8U);
}

// A quoted value may hold a line break (a reference noted on two lines): the rows after it, and
// the values after it in its own row, are still reported on their own lines.
TEST(EntitlementSource, AQuotedLineBreakDoesNotShiftTheLinesReported) {
  ScratchFolder f;
  const std::string a = f.write("licences.csv",
                                "licence_id,family,version,edition,channel,quantity,reference,unit_cost\n"
                                "L-1,office,2019,Professional Plus,volume,3,\"EA 1\nrenewed 2024\",abc\n"
                                "L-1,office,2019,Professional Plus,volume,ten,,\n");
  const auto e = read({a});
  ASSERT_TRUE(e);
  ScratchFolder dir;
  const auto fleet_read = import::read_fleet(fleet(dir), nullptr, *e, pack());
  ASSERT_FALSE(fleet_read);
  const Diagnostic* money = find_diagnostic(fleet_read.error(), "bad-money");
  ASSERT_NE(money, nullptr);
  EXPECT_EQ(money->file, "licences.csv");
  EXPECT_EQ(money->line, 3U);  // after the line break of the reference
  EXPECT_EQ(money->column, 15U);
  const Diagnostic* number = find_diagnostic(fleet_read.error(), "bad-number");
  ASSERT_NE(number, nullptr);
  EXPECT_EQ(number->line, 4U);
  EXPECT_EQ(number->column, 42U);
  const Diagnostic* duplicate = find_diagnostic(fleet_read.error(), "duplicate-id");
  ASSERT_NE(duplicate, nullptr);
  EXPECT_EQ(duplicate->line, 4U);
  EXPECT_NE(duplicate->message.find("(first in licences.csv on line 2)"), std::string::npos) << duplicate->message;
}

TEST(EntitlementSource, ARepeatedIdWithinASourceIsTheReadersErrorAtItsOrigin) {
  ScratchFolder f;
  const std::string a = f.write("a.csv",
                                "licence_id,family,version,edition,channel,quantity\n"
                                "L-1,office,2019,Professional Plus,volume,3\n");
  const std::string b = f.write("b.csv",
                                "licence_id,family,version,edition,channel,quantity\n"
                                "L-7,office,2019,Professional Plus,volume,1\n"
                                "L-7,office,2019,Professional Plus,volume,2\n");
  const auto e = read({a, b});
  ASSERT_TRUE(e);
  ScratchFolder dir;
  const auto fleet_read = import::read_fleet(fleet(dir), nullptr, *e, pack());
  ASSERT_FALSE(fleet_read);
  const Diagnostic* duplicate = find_diagnostic(fleet_read.error(), "duplicate-id");
  ASSERT_NE(duplicate, nullptr);
  EXPECT_EQ(duplicate->file, "b.csv");
  EXPECT_EQ(duplicate->line, 3U);
  EXPECT_EQ(duplicate->column, 1U);
  EXPECT_NE(duplicate->message.find("(first in b.csv on line 2)"), std::string::npos) << duplicate->message;
}

TEST(EntitlementSource, AMissingColumnOrFileIsAnErrorNamingIt) {
  ScratchFolder f;
  const std::string a =
      f.write("l.csv", "licence_id,family,version,edition,channel\nL-1,office,2019,Standard,volume\n");
  const auto e = read({a, (f.dir() / "none.csv").string()});
  ASSERT_FALSE(e);
  const Diagnostic* missing = find_diagnostic(e.error(), "missing-column");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->file, "l.csv");
  EXPECT_NE(missing->message.find("quantity"), std::string::npos);
  EXPECT_NE(find_diagnostic(e.error(), "missing-file"), nullptr);
}

// A column given twice (a list merged by hand: `Quantity` and `quantity`) leaves which value is
// meant unknown: an error at the second, not the first value read in silence.
TEST(EntitlementSource, AColumnGivenTwiceIsAnErrorNotAGuess) {
  ScratchFolder f;
  const std::string a = f.write("l.csv",
                                "licence_id,family,version,edition,channel,Quantity,sku,quantity\n"
                                "L-1,office,2019,Standard,volume,1,021-10584,25\n");
  const auto e = read({a});
  ASSERT_FALSE(e);
  const Diagnostic* twice = find_diagnostic(e.error(), "duplicate-column");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->file, "l.csv");
  EXPECT_EQ(twice->line, 1U);
  EXPECT_EQ(twice->column, 56U);
  EXPECT_EQ(twice->message,
            "column `quantity`: expected each column once, found it again (first at column 43); which value is "
            "meant is not known");
  // A column the reader does not read may repeat: it is only an unknown column.
  const std::string b = f.write("m.csv",
                                "licence_id,family,version,edition,channel,quantity,seats,Seats\n"
                                "L-1,office,2019,Standard,volume,1,5,5\n");
  EXPECT_TRUE(read({b}));
}

TEST(EntitlementSource, AnUnknownColumnIsAWarningNotASilentDrop) {
  ScratchFolder f;
  const std::string a = f.write("l.csv",
                                "licence_id,family,version,edition,channel,quantity,seats\n"
                                "L-1,office,2019,Standard,volume,1,5\n");
  const auto e = read({a});
  ASSERT_TRUE(e);
  const Diagnostic* unknown = find_diagnostic(e->warnings, "unknown-column");
  ASSERT_NE(unknown, nullptr);
  EXPECT_NE(unknown->message.find("seats"), std::string::npos);
}

TEST(EntitlementSource, WithAnInventoryTheFleetFolderIsOptional) {
  ScratchFolder f;
  const std::string licences = f.write("l.csv",
                                       "licence_id,family,version,edition,channel,quantity\n"
                                       "L-1,windows-server,2019,Standard,volume,16\n");
  const auto inventory = test::read_sources({"sccm:" + (std::string(TRUEUP_SOURCE_DIR) + "/examples/sccm/exports")});
  ASSERT_TRUE(inventory);
  const auto e = read({licences});
  ASSERT_TRUE(e);
  const auto fleet_read = import::read_fleet("", &*inventory, *e, pack());
  ASSERT_TRUE(fleet_read) << fleet_read.error().front().message;
  EXPECT_EQ(fleet_read->fleet.entitlements.size(), 1U);
  EXPECT_EQ(fleet_read->fleet.devices.size(), inventory->devices.size());
}

}  // namespace
}  // namespace trueup
