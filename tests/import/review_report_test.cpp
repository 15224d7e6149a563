// SPDX-License-Identifier: BSL-1.0
// File: tests/import/review_report_test.cpp
//
// The report of `trueup review` on the project's GLPI sample: the JSON is valid, its groups add
// up to the rows read, and the table and JSON are the same bytes for the same inventory.
#include "trueup/import/review_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

import::ReviewReport sample_report(){const std::string folder = std::string(TRUEUP_SOURCE_DIR) +
                                                                "/tests/data/inventory/glpi";
auto inventory = import::read_inventory({import::parse_source("glpi:" + folder).value()});
if (!inventory) throw std::runtime_error("sample unreadable");
auto fleet = import::read_fleet(*inventory, test::microsoft_pack());
if (!fleet) throw std::runtime_error("sample fleet unreadable: " + to_string(fleet.error()[0]));
import::ReviewReport report;
report.review = review(test::microsoft_pack(), fleet->fleet);
report.sources = inventory->sources;
for (const auto& d : inventory->devices)
  if (!d.software_reported) report.software_unknown.push_back(d.id);
return report;
}  // namespace

TEST(ReviewReport, JsonIsValidAndAddsUp) {
  const auto report = sample_report();
  const auto j = nlohmann::json::parse(import::format_review_json(report, test::microsoft_pack()));
  const std::size_t rows = j["rows"];
  EXPECT_EQ(rows, j["sources"][0]["rows"].get<std::size_t>());
  EXPECT_EQ(j["recognised"]["rows"].get<std::size_t>() + j["excluded"]["rows"].get<std::size_t>() +
                j["needs_review"]["rows"].get<std::size_t>() + j["unrecognised"]["rows"].get<std::size_t>(),
            rows);
  EXPECT_EQ(j["needs_review"]["titles"][0]["title"], "Microsoft SQL Server 2019 (64-bit)");
  // Each title to decide carries its suggested overlay entry, the same in the table.
  const std::string suggestion = j["needs_review"]["titles"][0]["suggestion"];
  EXPECT_EQ(suggestion, report.review.needs_review[0].suggestion);
  EXPECT_EQ(suggestion.rfind("# Decide which SQL Server \"Microsoft SQL Server 2019 (64-bit)\"", 0), 0u) << suggestion;
  const std::string table = import::format_review_table(report, test::microsoft_pack());
  EXPECT_NE(table.find("      suggested overlay entry:\n        # Decide which SQL Server"), std::string::npos)
      << table;
  EXPECT_NE(table.find("\n        # [[component]]\n        # pattern = \"Microsoft SQL Server 2019 (64-bit)\"\n"),
            std::string::npos)
      << table;
  EXPECT_EQ(j["software_unknown"], nlohmann::json::array({"PC-0102"}));
  EXPECT_EQ(j["sources"][0]["skipped"], 1);
}

TEST(ReviewReport, SameInventorySameBytes) {
  const auto a = sample_report(), b = sample_report();
  EXPECT_EQ(import::format_review_json(a, test::microsoft_pack()),
            import::format_review_json(b, test::microsoft_pack()));
  EXPECT_EQ(import::format_review_table(a, test::microsoft_pack()),
            import::format_review_table(b, test::microsoft_pack()));
}

TEST(ReviewReport, InvalidUtf8StaysValidJson) {
  import::ReviewReport report;
  report.review.rows = 1;
  report.review.unrecognised.push_back({"Microsoft Foo \xFF", "Microsoft", "no family", 1, 1, "# Decide \xFF"});
  const std::string text = import::format_review_json(report, test::microsoft_pack());
  EXPECT_TRUE(nlohmann::json::accept(text));
  EXPECT_NE(text.find("Microsoft Foo \xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

TEST(ReviewReport, WhatIsNoInstallAndWhatFactsAreMissingAreSaid) {
  import::ReviewReport report;
  report.sources.push_back({"dpkg:hosts/", 1, 1, 6, 0, 0, 2});
  report.review.rows = 6;
  Review::MissingFact sql{"SQL Server 2019 Standard", "cores", "licensed per core (licensing-rules SQL1)", {}};
  for (int i = 0; i < 10; ++i) sql.devices.push_back("SRV-" + std::to_string(i));
  report.review.missing_facts.push_back(sql);
  const std::string table = import::format_review_table(report, test::microsoft_pack());
  EXPECT_NE(table.find("dpkg:hosts/: 2 package(s) removed"), std::string::npos) << table;
  EXPECT_NE(table.find("SQL Server 2019 Standard: cores unknown on 10 device(s): SRV-0, SRV-1, SRV-2, SRV-3, SRV-4, "
                       "SRV-5, SRV-6, SRV-7, and 2 more\n    licensed per core (licensing-rules SQL1)"),
            std::string::npos)
      << table;
  const auto j = nlohmann::json::parse(import::format_review_json(report, test::microsoft_pack()));
  EXPECT_EQ(j["sources"][0]["not_installed"], 2);
  EXPECT_EQ(j["missing_facts"][0]["devices"].size(), 10U);  // the JSON lists every device
  EXPECT_EQ(j["missing_facts"][0]["fact"], "cores");
}

}  // namespace trueup
}  // namespace trueup
