// SPDX-License-Identifier: BSL-1.0
// File: tests/import/osquery_test.cpp
//
// osquery results (src/import/osquery.cpp, docs/formats.md "osquery results"): the project's
// samples in the shapes osquery writes them (tests/data/inventory/osquery): an osqueryd results
// log holding the three formats — snapshots, added/removed events and a batch — for a Windows
// PC, a Windows Server VM on VMware with SQL Server and a Debian server, and the `osqueryi
// --json` output of rpm_packages on a RHEL database server.
#include <gtest/gtest.h>

#include <algorithm>
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

TEST(OsqueryImport, ARunOfAllRecordsReplacesWhatTheQueryReportedBefore) {
  // LT-0202's database was reset between two runs (counter 0 twice): Firefox, in the first
  // run only, is gone; Adobe Reader is reported removed though this log never showed it added.
  const auto inv = read_sources({"osquery:" + (samples / "LT-0202.results.log").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(ids_on(*inv, "LT-0202"),
            (std::vector<std::string>{"LT-0202/osquery/os",
                                      "LT-0202/osquery/programs/Microsoft Office Home and Business 2019 - en-us|"
                                      "16.0.17029.20068"}));
  EXPECT_EQ(find_row(*inv, "LT-0202/osquery/os")->source, "LT-0202.results.log:2");
  ASSERT_EQ(inv->sources.size(), 1U);
  EXPECT_EQ(inv->sources[0].not_installed, 2U);  // Firefox, Adobe Reader
  const auto* laptop = find_device(*inv, "LT-0202");
  ASSERT_NE(laptop, nullptr);
  EXPECT_EQ(laptop->kind, DeviceKind::laptop);  // chassis_info: Notebook
  EXPECT_EQ(laptop->processors, 1U);            // system_info cpu_sockets (osquery 5)
  EXPECT_EQ(laptop->cores, 10U);
}

TEST(OsqueryImport, EverySoftwareRowIsAnInstallOrCounted) {
  // The folder: both logs and the osqueryi output. A row without a name is skipped and warned.
  test::ScratchFolder dir;
  for (const char* name : {"osqueryd.results.log", "LT-0202.results.log", "db-ora01.json"})
    fs::copy_file(samples / name, dir.dir() / name);
  (void)dir.write("ws-0303.json", R"([{"name":"","version":"1.0","publisher":"","uninstall_string":"x",)"
                                  R"("install_date":"","identifying_number":""}])");
  const auto inv = read_sources({"osquery:" + dir.dir().string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->sources.size(), 1U);
  const auto& count = inv->sources[0];
  EXPECT_EQ(count.files, 4U);
  EXPECT_EQ(count.devices, 6U);  // db-ora01, LT-0202, PC-0101, SRV-SQL01, web01, ws-0303
  EXPECT_EQ(count.skipped, 1U);
  ASSERT_NE(find_diagnostic(inv->warnings, "no-title"), nullptr);
  // Software rows in the files, distinct per host: PC-0101 4 (Office, 7-Zip, the redistributable,
  // Visio), SRV-SQL01 1, web01 3, LT-0202 3, db-ora01 2, ws-0303 1 = 14; the os_version rows
  // of the three Windows hosts are installs too.
  std::size_t software = 0;
  for (const auto& r : inv->rows) software += r.id.find("/osquery/os") == std::string::npos ? 1 : 0;
  EXPECT_EQ(software + count.not_installed + count.skipped, 14U);
  EXPECT_EQ(inv->rows.size() - software, 3U);
}

TEST(OsqueryImport, TheKindComesFromTheHypervisorTheServerOsOrTheEnclosure) {
  test::ScratchFolder dir;
  const auto row = [](const std::string& host, const std::string& columns) {
    return R"({"name":"q","hostIdentifier":")" + host + R"(","action":"added","columns":)" + columns + "}\n";
  };
  const std::string tower = R"({"chassis_types":"7","manufacturer":"Dell Inc."})";  // older osquery: codes
  const std::string server_os = R"({"name":"Microsoft Windows Server 2022 Standard","major":"10","minor":"0",)"
                                R"("platform":"windows"})";
  const std::string log =
      row("SRV-TOWER", tower) + row("SRV-TOWER", server_os) + row("PC-TOWER", tower) +
      row("PC-DOCK", R"({"chassis_types":"Docking Station,Laptop"})") + row("PC-ODD", R"({"chassis_types":"Other"})") +
      row("VM-1", R"({"cpu_physical_cores":"2","hardware_model":"Virtual Machine"})") + row("VM-1", server_os);
  const auto inv = read_sources({"osquery:" + dir.write("osqueryd.results.log", log)});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(find_device(*inv, "SRV-TOWER")->kind, DeviceKind::server);
  EXPECT_EQ(find_device(*inv, "PC-TOWER")->kind, DeviceKind::desktop);
  EXPECT_EQ(find_device(*inv, "PC-DOCK")->kind, DeviceKind::laptop);
  EXPECT_FALSE(find_device(*inv, "PC-ODD")->kind.has_value());
  EXPECT_EQ(find_device(*inv, "VM-1")->kind, DeviceKind::virtual_machine);  // Hyper-V
  EXPECT_FALSE(find_device(*inv, "PC-TOWER")->software_reported);
}

TEST(OsqueryImport, ASocketReportedAgainCountsOnce) {
  // A snapshot of cpu_info from two queries, with another load each time: still two sockets.
  test::ScratchFolder dir;
  const auto cpu = [](const char* id, const char* load) {
    return std::string(R"({"device_id":")") + id +
           R"(","model":"Intel(R) Xeon(R) Silver 4310","number_of_cores":"12",)" +
           R"("logical_processors":"24","load_percentage":")" + load + R"("})";
  };
  const std::string log = R"({"name":"a","hostIdentifier":"h","action":"snapshot","snapshot":[)" + cpu("CPU0", "3") +
                          "," + cpu("CPU1", "5") + "]}\n" +
                          R"({"name":"b","hostIdentifier":"h","action":"snapshot","snapshot":[)" + cpu("CPU0", "9") +
                          "," + cpu("CPU1", "1") + "]}\n";
  const auto inv = read_sources({"osquery:" + dir.write("osqueryd.results.log", log)});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  const auto* h = find_device(*inv, "h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->processors, 2U);
  EXPECT_EQ(h->cores, 24U);
  EXPECT_EQ(h->cpu_model, "Intel(R) Xeon(R) Silver 4310");
}

TEST(OsqueryImport, TheSameLogGivesTheSameIds) {
  const auto a = read_sources({"osquery:" + samples.string()});
  const auto b = read_sources({"osquery:" + samples.string()});
  ASSERT_TRUE(a.has_value() && b.has_value());
  std::vector<std::string> ids_a, ids_b;
  for (const auto& r : a->rows) ids_a.push_back(r.id);
  for (const auto& r : b->rows) ids_b.push_back(r.id);
  EXPECT_EQ(ids_a, ids_b);
  std::sort(ids_a.begin(), ids_a.end());
  EXPECT_EQ(std::adjacent_find(ids_a.begin(), ids_a.end()), ids_a.end());  // unique
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
