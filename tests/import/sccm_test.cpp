// SPDX-License-Identifier: BSL-1.0
// File: tests/import/sccm_test.cpp
//
// The Configuration Manager importer (src/import/sccm.cpp, docs/formats.md "Configuration
// Manager") on hand-made view exports: what each view gives, which view wins when two list the
// same programs, and every problem reported with its file, line and column, nothing dropped in
// silence. examples/sccm (tests/examples/sccm_test.cpp) is the whole sample.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "trueup/import/inventory.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;

/// A folder of view exports, removed at the end of the test.
class Views {
 public:
  Views() {
    dir_ = fs::temp_directory_path() / ("trueup-sccm-" + std::to_string(::getpid()) + "-" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    write("v_R_System.csv",
          "ResourceID,Name0,Is_Virtual_Machine0,Virtual_Machine_Host_Name0,Decommissioned0,Obsolete0\n"
          "1,PC-1,0,NULL,0,0\n"
          "2,HV-1,0,NULL,0,0\n"
          "3,VM-1,1,hv-1.corp.example,0,0\n");
  }
  Views(const Views&) = delete;
  Views& operator=(const Views&) = delete;
  ~Views() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  void remove(const std::string& name) const { fs::remove(dir_ / name); }
  [[nodiscard]] Result<import::Inventory> read() const {
    return import::read_inventory({import::parse_source("sccm:" + dir_.string()).value()});
  }

 private:
  fs::path dir_;
};

std::map<std::string, std::string> titles_by_id(const import::Inventory& inv) {
  std::map<std::string, std::string> out;
  for (const auto& r : inv.rows) out.emplace(r.id, r.title);
  return out;
}

const Diagnostic* find(const Diagnostics& all, std::string_view code) {
  const auto it = std::find_if(all.begin(), all.end(), [&](const Diagnostic& d) { return d.code == code; });
  return it == all.end() ? nullptr : &*it;
}

TEST(Sccm, BothHalvesOfAddRemoveProgramsAreReadWithTheirOwnIds) {
  Views v;
  v.write("v_GS_ADD_REMOVE_PROGRAMS.csv",
          "ResourceID,DisplayName0,Publisher0,Version0,InstallDate0,ProdID0\n"
          "1,Microsoft Office Professional Plus 2016,Microsoft Corporation,16.0.4266.1001,20240115,"
          "{90160000-0011-0000-0000-0000000FF1CE}\n");
  v.write("v_GS_ADD_REMOVE_PROGRAMS_64.csv",
          "ResourceID,DisplayName0,Publisher0,Version0,InstallDate0,ProdID0\n"
          "1,Microsoft Office Professional Plus 2016,Microsoft Corporation,16.0.4266.1001,20240115,"
          "{90160000-0011-0000-1000-0000000FF1CE}\n"
          "1,7-Zip 23.01 (x64),Igor Pavlov,23.01,NULL,NULL\n"
          "1,7-Zip 23.01 (x64),Igor Pavlov,23.01,NULL,NULL\n");
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  const auto ids = titles_by_id(*inv);
  EXPECT_EQ(ids.size(), 4U);
  EXPECT_EQ(ids.count("PC-1/sccm/arp/{90160000-0011-0000-0000-0000000FF1CE}"), 1U);
  EXPECT_EQ(ids.count("PC-1/sccm/arp64/{90160000-0011-0000-1000-0000000FF1CE}"), 1U);
  // No product code: the row's place among the device's rows of the view; a repeat is kept.
  EXPECT_EQ(ids.count("PC-1/sccm/arp64/2"), 1U);
  EXPECT_EQ(ids.count("PC-1/sccm/arp64/3"), 1U);
  // Software reported for every device of the export, rows or not.
  for (const auto& d : inv->devices) EXPECT_TRUE(d.software_reported) << d.id;
}

TEST(Sccm, InstalledSoftwareIsReadOnlyWithoutAddRemovePrograms) {
  Views v;
  const std::string installed =
      "ResourceID,ARPDisplayName0,ProductName0,ProductVersion0,Publisher0,InstallDate0,SoftwareCode0\n"
      "2,NULL,Microsoft SQL Server 2019 (64-bit),15.0.2000.5,Microsoft Corporation,20230301,{SQL}\n";
  v.write("v_GS_INSTALLED_SOFTWARE.csv", installed);
  auto inv = v.read();
  ASSERT_TRUE(inv.has_value());
  ASSERT_EQ(inv->rows.size(), 1U);
  EXPECT_EQ(inv->rows[0].id, "HV-1/sccm/sw/{SQL}");
  EXPECT_EQ(inv->rows[0].title, "Microsoft SQL Server 2019 (64-bit)");  // ProductName0 when no ARP name
  EXPECT_EQ(inv->rows[0].version, "15.0.2000.5");

  v.write("v_Add_Remove_Programs.csv", "ResourceID,DisplayName0,Publisher0,Version0\n1,Notepad++,Don Ho,8.6\n");
  inv = v.read();
  ASSERT_TRUE(inv.has_value());
  ASSERT_EQ(inv->rows.size(), 1U);  // the same Uninstall keys are not read twice
  EXPECT_EQ(inv->rows[0].title, "Notepad++");
  const Diagnostic* ignored = find(inv->warnings, "view-not-read");
  ASSERT_NE(ignored, nullptr);
  EXPECT_EQ(ignored->file, "v_GS_INSTALLED_SOFTWARE.csv");
}

TEST(Sccm, WithoutAProgramViewTheSoftwareIsUnknownNotAbsent) {
  Views v;
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value());
  EXPECT_TRUE(inv->rows.empty());
  for (const auto& d : inv->devices) EXPECT_FALSE(d.software_reported) << d.id;
  EXPECT_NE(find(inv->warnings, "partial-inventory"), nullptr);
}

TEST(Sccm, ProcessorsAreCountedAndCoresSummedOrLeftUnknown) {
  Views v;
  v.write("v_GS_PROCESSOR.csv",
          "ResourceID\tName0\tNumberOfCores0\n2\tAMD EPYC 7302 16-Core Processor \t16\n2\tAMD EPYC 7302 16-Core "
          "Processor\t16\n3\t\t4\n1\tNULL\tNULL\n1\t\t4\n");
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->devices[1].processors, 2U);
  EXPECT_EQ(inv->devices[1].cores, 32U);
  EXPECT_EQ(inv->devices[1].cpu_model, "AMD EPYC 7302 16-Core Processor");  // what a core factor table looks up
  EXPECT_EQ(inv->devices[2].cpu_model, "");
  EXPECT_EQ(inv->devices[0].cpu_model, "");  // NULL is no model
  EXPECT_EQ(inv->devices[2].cores, 4U);
  // A socket without a core count: the device's cores are unknown, never a count too low.
  EXPECT_EQ(inv->devices[0].processors, 2U);
  EXPECT_EQ(inv->devices[0].cores, 0U);
}

TEST(Sccm, AVmsHostIsFoundByNameOrDnsNameOrReportedMissing) {
  Views v;
  auto inv = v.read();
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->devices[2].host, "HV-1");
  v.write("v_R_System.csv", "ResourceID,Name0,Is_Virtual_Machine0,Virtual_Machine_Host_Name0\n3,VM-1,1,HV-9\n");
  inv = v.read();
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->devices[0].host, "");
  const Diagnostic* missing = find(inv->warnings, "unknown-host");
  ASSERT_NE(missing, nullptr);
  EXPECT_NE(missing->message.find("HV-9"), std::string::npos);
}

TEST(Sccm, RowsThatCannotBeReadAreCountedAndReportedOncePerFile) {
  Views v;
  v.write("v_Add_Remove_Programs.csv",
          "ResourceID,DisplayName0,Publisher0,Version0,InstallDate0\n"
          "1,Notepad++,Don Ho,8.6,2024-13-45\n"
          "9,Orphan,Someone,1,20240101\n"
          "9,Orphan 2,Someone,1,20240101\n"
          "1,NULL,Someone,1,20240101\n");
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value());
  ASSERT_EQ(inv->rows.size(), 1U);
  EXPECT_FALSE(inv->rows[0].first_seen.has_value());
  const Diagnostic* unknown = find(inv->warnings, "unknown-resource");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->line, 3U);
  EXPECT_NE(unknown->message.find("2 row(s)"), std::string::npos);
  EXPECT_NE(find(inv->warnings, "no-title"), nullptr);
  EXPECT_NE(find(inv->warnings, "bad-date"), nullptr);
  EXPECT_EQ(inv->sources[0].skipped, 3U);
}

TEST(Sccm, BrokenExportsAreErrorsWithFileLineAndColumn) {
  {
    Views v;
    v.write("v_GS_PROCESSOR.csv", "#TYPE System.Data.DataRow\n\"Resource\",\"NumberOfCores0\"\n\"1\",\"4\"\n");
    const auto inv = v.read();
    ASSERT_FALSE(inv.has_value());
    const Diagnostic* d = find(inv.error(), "missing-column");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->file, "v_GS_PROCESSOR.csv");
    EXPECT_EQ(d->line, 2U);  // after the #TYPE line
    EXPECT_NE(d->message.find("`resourceid`"), std::string::npos);
  }
  {
    Views v;
    v.write("v_Add_Remove_Programs.csv", "ResourceID;DisplayName0\n1;Notepad++\n1;A;B\n");
    const auto inv = v.read();
    ASSERT_FALSE(inv.has_value());
    const Diagnostic* d = find(inv.error(), "field-count");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->line, 3U);
  }
  {
    Views v;
    v.write("v_R_System.csv", "ResourceID,Name0\n1,PC-1\n1,PC-2\n");
    const auto inv = v.read();
    ASSERT_FALSE(inv.has_value());
    EXPECT_NE(find(inv.error(), "duplicate-id"), nullptr);
  }
  {
    Views v;
    v.remove("v_R_System.csv");
    v.write("v_Add_Remove_Programs.csv", "ResourceID,DisplayName0\n");
    const auto inv = v.read();
    ASSERT_FALSE(inv.has_value());
    const Diagnostic* d = find(inv.error(), "missing-file");
    ASSERT_NE(d, nullptr);
    EXPECT_NE(d->message.find("v_R_System.csv"), std::string::npos);
  }
}

TEST(Sccm, IdsStayUniqueWhateverTheNamesAndProductCodes) {
  Views v;
  v.write("v_R_System.csv", "ResourceID,Name0\n1,PC-1\n2,PC-1\n3,PC-1 (ResourceID 2)\n4,pc-1 (resourceid 2)\n");
  v.write("v_Add_Remove_Programs.csv", "ResourceID,DisplayName0,ProdID0\n1,A,X#2\n1,B,X\n1,C,X\n1,D,2\n1,E,NULL\n");
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  std::set<std::string> devices, rows;
  for (const auto& d : inv->devices) EXPECT_TRUE(devices.insert(d.id).second) << d.id;
  for (const auto& r : inv->rows) EXPECT_TRUE(rows.insert(r.id).second) << r.id;
  EXPECT_EQ(devices.size(), 4U);
  EXPECT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows.count("PC-1/sccm/arp/X#2"), 1U);
  EXPECT_EQ(rows.count("PC-1/sccm/arp/X#3"), 1U);  // the second X, since X#2 is A's own code
}

TEST(Sccm, AnObsoleteRecordOfALiveNameIsARetiredDeviceOfItsOwn) {
  Views v;
  v.write("v_R_System.csv",
          "ResourceID,Name0,Obsolete0,Decommissioned0\n"
          "7,PC-1,1,0\n"  // the record before the PC was re-imaged, listed first
          "8,PC-1,0,0\n");
  v.write("v_Add_Remove_Programs.csv",
          "ResourceID,DisplayName0\n7,Microsoft Office Professional Plus 2016\n8,Microsoft Office Professional "
          "Plus 2016\n");
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value());
  ASSERT_EQ(inv->devices.size(), 2U);
  EXPECT_EQ(inv->devices[0].id, "PC-1");  // the live record keeps the name
  EXPECT_FALSE(inv->devices[0].status.has_value());
  EXPECT_EQ(inv->devices[1].id, "PC-1 (ResourceID 7)");
  EXPECT_EQ(inv->devices[1].status, DeviceStatus::retired);
  EXPECT_EQ(inv->rows.size(), 2U);  // nothing dropped: the retired device's row is excluded later
  EXPECT_NE(import::devices_csv(*inv).find("PC-1 (ResourceID 7),PC-1,,retired,"), std::string::npos);
}

// v_GS_WORKSTATION_STATUS.LastHWScan is when the client last sent its hardware inventory: the
// device's last inventory date, the latest of its rows; a device without a row has none.
TEST(SccmImport, LastHardwareScanIsTheLastInventory) {
  const Views v;
  v.write("v_GS_WORKSTATION_STATUS.csv",
          "ResourceID,LastHWScan\n"
          "1,2026-03-02 07:15:00.000\n"
          "1,2026-05-30 07:15:00.000\n"
          "2,NULL\n"
          "3,20251104\n");
  const auto inv = v.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  std::map<std::string, std::string> last;
  for (const auto& d : inv->devices) last[d.id] = d.last_inventory ? d.last_inventory->iso() : "unknown";
  EXPECT_EQ(last,
            (std::map<std::string, std::string>{{"PC-1", "2026-05-30"}, {"HV-1", "unknown"}, {"VM-1", "2025-11-04"}}));
}

}  // namespace
}  // namespace trueup
