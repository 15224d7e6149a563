// SPDX-License-Identifier: BSL-1.0
// File: tests/import/review_report_test.cpp
//
// The report of `trueup review` on the project's GLPI sample: the JSON is valid, its groups add
// up to the rows read, and the table and JSON are the same bytes for the same inventory.
#include "trueup/import/review_report.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>

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

Result<import::Inventory> read(const std::vector<std::string>& specs) {
  std::vector<import::Source> sources;
  for (const auto& spec : specs) sources.push_back(import::parse_source(spec).value());
  return import::read_inventory(sources);
}

// The last inventory as each export dates it: GLPI's accesslog.logdate, Lansweeper's Lastseen,
// osquery's unixTime; a device no source dates is listed as unknown, never as fresh.
TEST(StaleDevices, EachExportsDateAndTheUndated) {
  const std::string data = std::string(TRUEUP_SOURCE_DIR) + "/tests/data/inventory/";
  const auto glpi = read({"glpi:" + data + "glpi"});
  ASSERT_TRUE(glpi.has_value());
  const auto s = import::stale_devices(*glpi, Date::from_ymd(2026, 7, 1), 90);
  ASSERT_EQ(s.stale.size(), 1u);
  EXPECT_EQ(s.stale[0].device, "HV-0201");
  EXPECT_EQ(s.stale[0].last_inventory, Date::from_ymd(2026, 2, 2));
  EXPECT_EQ(s.stale[0].days_ago, 149);
  EXPECT_EQ(s.undated, (std::vector<std::string>{"PC-0102", "VM-SQL01"}));
  // 149 days is not stale at 150, and PC-0101 (1 day) never is.
  EXPECT_TRUE(import::stale_devices(*glpi, Date::from_ymd(2026, 7, 1), 149).stale.empty());

  const auto lansweeper = read({"lansweeper:" + std::string(TRUEUP_SOURCE_DIR) + "/examples/lansweeper"});
  ASSERT_TRUE(lansweeper.has_value());
  const auto l = import::stale_devices(*lansweeper, Date::from_ymd(2026, 7, 1), 90);
  ASSERT_EQ(l.stale.size(), 1u);  // the asset Lansweeper itself set non-active
  EXPECT_EQ(l.stale[0].device, "PC-0099");
  EXPECT_EQ(l.stale[0].days_ago, 240);
  EXPECT_TRUE(l.undated.empty());

  const auto osquery = read({"osquery:" + data + "osquery/LT-0202.results.log"});
  ASSERT_TRUE(osquery.has_value());
  ASSERT_EQ(osquery->devices.size(), 1u);
  EXPECT_EQ(osquery->devices[0].last_inventory, Date::from_ymd(2026, 12, 6));  // the latest result
}

// Sources merged: the latest date of any source is the device's, and a source without dates
// (a registry export) takes nothing away.
TEST(StaleDevices, MergedSourcesKeepTheLatestDate) {
  const std::string data = std::string(TRUEUP_SOURCE_DIR) + "/tests/data/inventory/";
  const auto both = read({"lansweeper:" + std::string(TRUEUP_SOURCE_DIR) + "/examples/lansweeper",
                          "glpi:" + data + "glpi", "reg:" + data + "reg/PC-0042.reg"});
  ASSERT_TRUE(both.has_value());
  std::map<std::string, std::optional<Date>> last;
  for (const auto& d : both->devices) last[d.id] = d.last_inventory;
  EXPECT_EQ(last["PC-0101"], Date::from_ymd(2026, 6, 30));  // GLPI's, after Lansweeper's 2026-06-28
  EXPECT_EQ(last["PC-0102"], Date::from_ymd(2026, 6, 29));  // Lansweeper's: GLPI dates it not
  EXPECT_EQ(last["PC-0042"], std::nullopt);                 // a registry export dates nothing
}

TEST(StaleDevices, TableAndJsonSayWhatIsStaleAndWhatIsUnknown) {
  import::ReviewReport report = sample_report();
  const auto glpi = read({"glpi:" + std::string(TRUEUP_SOURCE_DIR) + "/tests/data/inventory/glpi"});
  report.staleness = import::stale_devices(*glpi, Date::from_ymd(2026, 7, 1), 90);
  const std::string table = import::format_review_table(report, test::microsoft_pack());
  EXPECT_NE(table.find("\nStale devices: last inventory more than 90 day(s) before 2026-07-01: 1\n"
                       "  HV-0201  last inventory 2026-02-02 (149 days)\n"
                       "Devices with no inventory date (unknown, not fresh): 2\n  PC-0102\n  VM-SQL01\n"),
            std::string::npos)
      << table;
  const auto j = nlohmann::json::parse(import::format_review_json(report, test::microsoft_pack()));
  EXPECT_EQ(j["stale"]["as_of"], "2026-07-01");
  EXPECT_EQ(j["stale"]["days"], 90);
  EXPECT_EQ(j["stale"]["devices"][0]["device"], "HV-0201");
  EXPECT_EQ(j["stale"]["devices"][0]["last_inventory"], "2026-02-02");
  EXPECT_EQ(j["stale"]["devices"][0]["days"], 149);
  EXPECT_EQ(j["stale"]["undated"], nlohmann::json::array({"PC-0102", "VM-SQL01"}));
  report.staleness.reset();  // a fleet directory: devices.csv records no inventory date
  EXPECT_TRUE(nlohmann::json::parse(import::format_review_json(report, test::microsoft_pack()))["stale"].is_null());
}

// Several sources of different kinds: the GLPI computers, a WMI processor dump of a server no
// other source names (its software unknown to them), a registry export of a PC no hardware source
// describes. Each pair says what one has and the other lacks; the same devices twice, nothing.
TEST(SourceGaps, DevicesOneSourceDescribesAndAnotherDoesNot) {
  const std::string data = std::string(TRUEUP_SOURCE_DIR) + "/tests/data/inventory/";
  std::vector<std::pair<std::string, std::vector<std::string>>> per_source;
  for (const std::string& spec :
       {"glpi:" + data + "glpi", "wmi:" + data + "wmi/SRV-DB01.wmi", "reg:" + data + "reg/PC-0042.reg"}) {
    const auto alone = read({spec});
    ASSERT_TRUE(alone.has_value()) << spec;
    std::vector<std::string> ids;
    for (const auto& d : alone->devices) ids.push_back(d.id);
    per_source.emplace_back(spec.substr(0, spec.find(':')), ids);
  }
  std::vector<std::string> seen;
  for (const auto& g : import::source_gaps(per_source)) {
    std::string ids;
    for (const auto& d : g.devices) ids += " " + d;
    seen.push_back(g.seen_in + " not " + g.not_in + ":" + ids);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"glpi not wmi: HV-0201 PC-0101 PC-0102 VM-SQL01", "wmi not glpi: SRV-DB01",
                                            "glpi not reg: HV-0201 PC-0101 PC-0102 VM-SQL01", "reg not glpi: PC-0042",
                                            "wmi not reg: SRV-DB01", "reg not wmi: PC-0042"}));
  EXPECT_TRUE(import::source_gaps({per_source[0], per_source[0]}).empty());
}

TEST(SourceGaps, TableShowsEightIdsAndJsonAll) {
  import::ReviewReport report;
  report.source_gaps.push_back({"wmi:cpus/", "glpi:inventories/", {}});
  for (int i = 0; i < 10; ++i) report.source_gaps[0].devices.push_back("SRV-" + std::to_string(i));
  const std::string table = import::format_review_table(report, test::microsoft_pack());
  EXPECT_NE(table.find("\nDevices seen in one source and not another\n  in wmi:cpus/, not in glpi:inventories/: 10 "
                       "device(s): SRV-0, SRV-1, SRV-2, SRV-3, SRV-4, SRV-5, SRV-6, SRV-7, and 2 more\n"),
            std::string::npos)
      << table;
  const auto j = nlohmann::json::parse(import::format_review_json(report, test::microsoft_pack()));
  EXPECT_EQ(j["source_gaps"][0]["seen_in"], "wmi:cpus/");
  EXPECT_EQ(j["source_gaps"][0]["not_in"], "glpi:inventories/");
  EXPECT_EQ(j["source_gaps"][0]["devices"].size(), 10u);
}
}  // namespace trueup
}  // namespace trueup
