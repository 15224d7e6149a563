// SPDX-License-Identifier: BSL-1.0
// File: tests/import/osquery_test.cpp
//
// osquery results (src/import/osquery.cpp, docs/formats.md "osquery results"): the project's
// samples in the shapes osquery writes them (tests/data/inventory/osquery): an osqueryd results
// log holding the three formats — snapshots, added/removed events and a batch — for a Windows
// PC, a Windows Server VM on VMware with SQL Server and a Debian server, and the `osqueryi
// --json` output of rpm_packages on a RHEL database server.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "support/inventory_support.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;
using test::find_device;
using test::find_diagnostic;
using test::find_row;
using test::read_sources;

const fs::path samples = test::inventory_samples / "osquery";
const std::string log_file = (samples / "osqueryd.results.log").string();

std::vector<std::string> ids_on(const import::Inventory& inv, const std::string& device) {
  std::vector<std::string> ids;
  for (const auto& r : inv.rows)
    if (r.device_id == device) ids.push_back(r.id);
  return ids;
}

TEST(OsqueryImport, TheLogIsReplayedToWhatEachHostHasAtItsEnd) {
  const auto inv = read_sources({"osquery:" + log_file});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  // 7-Zip was in the first snapshot and reported removed later: no install. Visio was added
  // after the snapshot. The OS is one more row. In the order the log reported them.
  EXPECT_EQ(
      ids_on(*inv, "PC-0101"),
      (std::vector<std::string>{"PC-0101/osquery/programs/{90160000-008C-0000-1000-0000000FF1CE}",
                                "PC-0101/osquery/programs/{4D8DCF8C-A72A-43E1-9833-C12724DB736E}", "PC-0101/osquery/os",
                                "PC-0101/osquery/programs/{90160000-0051-0000-1000-0000000FF1CE}"}));
  const auto* office = find_row(*inv, "PC-0101/osquery/programs/{90160000-008C-0000-1000-0000000FF1CE}");
  EXPECT_EQ(office->title, "Microsoft Office Professional Plus 2019");
  EXPECT_EQ(office->publisher, "Microsoft Corporation");
  EXPECT_EQ(office->version, "16.0.10396.20023");
  EXPECT_EQ(office->first_seen, Date::parse("2023-01-15"));
  EXPECT_EQ(office->source, "osqueryd.results.log:1");
  EXPECT_EQ(find_row(*inv, "PC-0101/osquery/os")->title, "Microsoft Windows 10 Pro");
  ASSERT_EQ(inv->sources.size(), 1U);
  EXPECT_EQ(inv->sources[0].not_installed, 2U);  // 7-Zip removed; vlc-nox `config-files` on web01
  // The processes query is no software table: named once, not read.
  const Diagnostic* w = find_diagnostic(inv->warnings, "not-read");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->message.find("pack_it_processes; not read"), std::string::npos) << w->message;
}

TEST(OsqueryImport, HardwareComesFromSystemInfoAndCpuInfo) {
  const auto inv = read_sources({"osquery:" + log_file});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  const auto* pc = find_device(*inv, "PC-0101");
  ASSERT_NE(pc, nullptr);
  EXPECT_EQ(pc->cores, 6U);
  EXPECT_EQ(pc->cpu_model, "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz");
  EXPECT_FALSE(pc->kind.has_value());  // an OptiPlex says nothing a kind could be read from
  EXPECT_TRUE(pc->software_reported);
  // The batch of SRV-SQL01: a VMware guest ("VMware7,1"), two sockets of 4 cores in cpu_info,
  // Windows Server as its OS.
  const auto* vm = find_device(*inv, "SRV-SQL01");
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(vm->kind, DeviceKind::virtual_machine);
  EXPECT_EQ(vm->processors, 2U);
  EXPECT_EQ(vm->cores, 8U);
  EXPECT_EQ(ids_on(*inv, "SRV-SQL01"),
            (std::vector<std::string>{"SRV-SQL01/osquery/os",
                                      "SRV-SQL01/osquery/programs/Microsoft SQL Server 2019 (64-bit)|15.0.2000.5"}));
}

TEST(OsqueryImport, DebPackagesWhoseFilesAreGoneAreNoInstall) {
  const auto inv = read_sources({"osquery:" + log_file});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(ids_on(*inv, "web01"),
            (std::vector<std::string>{"web01/osquery/deb/libreoffice-calc:amd64", "web01/osquery/deb/libc6:amd64"}));
}

TEST(OsqueryImport, OsqueryiJsonOutputIsTheRowsOfTheHostTheFileNames) {
  const auto inv = read_sources({"osquery:" + (samples / "db-ora01.json").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_NE(find_device(*inv, "db-ora01"), nullptr);
  const auto* ora = find_row(*inv, "db-ora01/osquery/rpm/oracle-database-ee-19c-1.0-1.x86_64");
  ASSERT_NE(ora, nullptr);
  EXPECT_EQ(ora->publisher, "Oracle Corporation");
  EXPECT_EQ(ora->version, "1.0-1");
  EXPECT_EQ(ora->first_seen, Date::parse("2023-11-14"));  // install_time 1700000000
  EXPECT_EQ(inv->rows.size(), 2U);                        // and the kernel
}

TEST(OsqueryImport, ALineThatIsNotJsonIsAnErrorAtItsLineAndColumn) {
  test::ScratchFolder dir;
  const auto inv =
      read_sources({"osquery:" + dir.write("osqueryd.results.log",
                                           "{\"name\":\"q\",\"hostIdentifier\":\"PC-1\",\"action\":\"added\","
                                           "\"columns\":{\"name\":\"7-Zip\",\"identifying_number\":\"\"}}\n"
                                           "I1207 08:00:00.000 osqueryd started\n")});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(to_string(inv.error()[0]).substr(0, 46), "osqueryd.results.log:2:1: error[bad-json]: exp");
}

TEST(OsqueryImport, JsonThatIsNotAResultIsAnError) {
  test::ScratchFolder dir;
  const auto inv = read_sources({"osquery:" + dir.write("x.log", "{\"name\":\"q\",\"columns\":{}}\n")});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(to_string(inv.error()[0]),
            "x.log:1:1: error[bad-osquery]: expected an osquery result: an object with `hostIdentifier` and "
            "`columns`, `snapshot` or `diffResults`, found an object without them");
}

TEST(OsqueryImport, ReconciledTheWindowsRowsAreTheirProducts) {
  const auto inv = read_sources({"osquery:" + log_file});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  const auto read = import::read_fleet(*inv, test::microsoft_pack());
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 12, 1);
  const Position p = reconcile(test::microsoft_pack(), read->fleet, options);
  std::vector<std::string> short_products;
  for (const auto& row : p.products)
    if (row.shortfall_units > 0) short_products.push_back(test::microsoft_pack().product_name(row.product));
  // No licence in this fleet: each recognised Microsoft product is short; SQL Server without
  // its edition needs review, the redistributable is a component.
  EXPECT_EQ(short_products, (std::vector<std::string>{"Windows 10 Pro", "Office Professional Plus 2019",
                                                      "Visio Professional 2016", "Windows Server 2019 Datacenter"}));
}

}  // namespace
}  // namespace trueup
