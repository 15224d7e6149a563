// SPDX-License-Identifier: BSL-1.0
// File: tests/import/lansweeper_test.cpp
//
// The Lansweeper importer (src/import/lansweeper.cpp, docs/formats.md "Lansweeper"): the sample
// export examples/lansweeper, then hand-made table exports for what each table gives and every
// problem reported with its file, line and column, nothing dropped in silence.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "support/inventory_support.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;
using test::find_diagnostic;

const std::string example = std::string(TRUEUP_SOURCE_DIR) + "/examples/lansweeper";

/// A folder of table exports with three assets and two titles, removed at the end of the test.
class Tables {
 public:
  Tables() {
    write("tblAssets.csv", "AssetID,AssetName,OScode\n1,PC-1,10.0.19045\n2,SRV-1,10.0.17763S\n3,NAS-1,NULL\n");
    write("tblSoftwareUni.csv",
          "SoftID,softwareName,SoftwarePublisher\n"
          "10,Microsoft Office Professional Plus 2016,Microsoft Corporation\n"
          "11,Notepad++ (64-bit x64),Notepad++ Team\n");
    write("tblSoftware.csv", "AssetID,softID,softwareVersion,MsStore\n1,10,16.0.4266.1001,0\n2,11,8.6,0\n");
  }
  void write(const std::string& name, const std::string& text) const { (void)folder_.write(name, text); }
  void remove(const std::string& name) const { fs::remove(folder_.dir() / name); }
  [[nodiscard]] Result<import::Inventory> read() const {
    return import::read_inventory({import::parse_source("lansweeper:" + folder_.dir().string()).value()});
  }

 private:
  test::ScratchFolder folder_;  // named after the test, removed at its end
};

const import::InventoryDevice& device(const import::Inventory& inv, const std::string& id) {
  const auto it = std::find_if(inv.devices.begin(), inv.devices.end(), [&](const auto& d) { return d.id == id; });
  if (it == inv.devices.end()) throw std::runtime_error("no device " + id);
  return *it;
}

std::map<std::string, std::string> titles_by_id(const import::Inventory& inv) {
  std::map<std::string, std::string> out;
  for (const auto& r : inv.rows) out.emplace(r.id, r.title);
  return out;
}

TEST(Lansweeper, TheSampleExportGivesItsAssetsWithTheirHardware) {
  const auto inv = import::read_inventory({import::parse_source("lansweeper:" + example).value()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  // The one warning: PC-0099's State 2 (non-active), still in service.
  ASSERT_EQ(inv->warnings.size(), 1U);
  EXPECT_EQ(inv->warnings[0].code, "not-active");
  ASSERT_EQ(inv->devices.size(), 5U);
  const auto& sql = device(*inv, "SRV-SQL01");
  EXPECT_EQ(sql.kind, DeviceKind::server);  // OScode 10.0.17763S
  EXPECT_EQ(sql.processors, 2U);
  EXPECT_EQ(sql.cores, 24U);
  EXPECT_EQ(sql.cpu_model, "Intel(R) Xeon(R) Silver 4214R CPU @ 2.40GHz");
  // A Hyper-V guest is told by its virtual hardware, although its OScode says server.
  EXPECT_EQ(device(*inv, "VM-APP01").kind, DeviceKind::virtual_machine);
  EXPECT_EQ(device(*inv, "PC-0101").kind, DeviceKind::desktop);
  EXPECT_FALSE(device(*inv, "PC-0101").status.has_value());
  // tblAssetCustom.State 2 (non-active) proves no disposal: in service, with a warning.
  EXPECT_FALSE(device(*inv, "PC-0099").status.has_value());
  const Diagnostic* not_active = find_diagnostic(inv->warnings, "not-active");
  ASSERT_NE(not_active, nullptr);
  EXPECT_EQ(not_active->file, "tblAssets.csv");
  for (const auto& d : inv->devices) EXPECT_TRUE(d.software_reported) << d.id;
  ASSERT_EQ(inv->sources.size(), 1U);
  EXPECT_EQ(inv->sources[0].files, 7U);
  EXPECT_EQ(inv->sources[0].rows, 18U);  // 13 programs and 5 operating systems
  EXPECT_EQ(inv->sources[0].skipped, 0U);
}

TEST(Lansweeper, ProgramsAndStoreAppsAndTheSystemBecomeRowsWithStableIds) {
  const auto inv = import::read_inventory({import::parse_source("lansweeper:" + example).value()});
  ASSERT_TRUE(inv.has_value());
  const auto ids = titles_by_id(*inv);
  EXPECT_EQ(ids.at("PC-0101/lansweeper/sw/11"), "Microsoft Office Professional Plus 2016");
  EXPECT_EQ(ids.at("PC-0101/lansweeper/store/18"), "Microsoft.MicrosoftOfficeHub");  // MsStore 1
  EXPECT_EQ(ids.at("SRV-SQL01/lansweeper/sw/14"), "Microsoft SQL Server 2019 (64-bit)");
  EXPECT_EQ(ids.at("SRV-SQL01/lansweeper/os"), "Microsoft Windows Server 2019 Standard");
  EXPECT_EQ(ids.at("PC-0099/lansweeper/os"), "Microsoft Windows 7 Professional");  // WMI's trailing space trimmed
  const auto row = std::find_if(inv->rows.begin(), inv->rows.end(),
                                [](const auto& r) { return r.id == "SRV-SQL01/lansweeper/sw/14"; });
  EXPECT_EQ(row->publisher, "Microsoft Corporation");
  EXPECT_EQ(row->version, "15.0.2000.5");
  EXPECT_EQ(row->source, "tblSoftware.csv:9");
  // The same export read again gives the same tables, byte for byte.
  const auto again = import::read_inventory({import::parse_source("lansweeper:" + example).value()});
  EXPECT_EQ(import::installs_csv(*again), import::installs_csv(*inv));
  EXPECT_EQ(import::devices_csv(*again), import::devices_csv(*inv));
}

TEST(Lansweeper, TheKindComesFromOsCodeThenDomainRoleThenCaption) {
  Tables t;
  auto inv = t.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(inv->devices[0].kind, DeviceKind::desktop);
  EXPECT_EQ(inv->devices[1].kind, DeviceKind::server);
  EXPECT_FALSE(inv->devices[2].kind.has_value());  // nothing says what NAS-1 is
  t.write("tblAssets.csv", "AssetID,AssetName,OScode\n1,PC-1,\n2,SRV-1,\n3,DC-1,\n");
  t.write("tblComputersystem.csv", "AssetID,Domainrole\n1,1\n3,5\n");
  t.write("tblOperatingsystem.csv", "AssetID,Caption,Version\n2,Microsoft Windows Server 2016 Datacenter,10.0.14393\n");
  inv = t.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(inv->devices[0].kind, DeviceKind::desktop);  // a member workstation
  EXPECT_EQ(inv->devices[1].kind, DeviceKind::server);   // by its caption
  EXPECT_EQ(inv->devices[2].kind, DeviceKind::server);   // a primary domain controller
  t.write("tblAssetCustom.csv", "AssetID,State,Manufacturer,Model\n2,1,VMware, Inc.,VMware7,1\n");
  EXPECT_FALSE(t.read().has_value());  // unquoted commas: a field-count error, not a guess
  t.write("tblAssetCustom.csv", "AssetID,State,Manufacturer,Model\n2,1,\"VMware, Inc.\",\"VMware7,1\"\n");
  inv = t.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(inv->devices[1].kind, DeviceKind::virtual_machine);
}

TEST(Lansweeper, ProcessorsAreCountedAndCoresSummedOrLeftUnknown) {
  Tables t;
  t.write("tblProcessor.csv",
          "AssetID;DeviceID;Name;NumberOfCores\n2;CPU0;AMD EPYC 7302 16-Core Processor ;16\n"
          "2;CPU1;AMD EPYC 7302 16-Core Processor;16\n1;CPU0;Intel(R) Core(TM) i5-6200U;NULL\n");
  const auto inv = t.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(inv->devices[1].processors, 2U);
  EXPECT_EQ(inv->devices[1].cores, 32U);
  EXPECT_EQ(inv->devices[1].cpu_model, "AMD EPYC 7302 16-Core Processor");
  EXPECT_EQ(inv->devices[0].processors, 1U);
  EXPECT_EQ(inv->devices[0].cores, 0U);  // unknown, never a count too low
  EXPECT_EQ(inv->devices[2].processors, 0U);
}

TEST(Lansweeper, RowsThatCannotBeReadAreCountedAndReportedOncePerFile) {
  Tables t;
  t.write("tblSoftwareUni.csv", "SoftID,softwareName,SoftwarePublisher\n10,Notepad++,Don Ho\n11,,Nobody\n");
  t.write("tblSoftware.csv",
          "AssetID,softID,softwareVersion\n1,10,8.6\n9,10,8.6\n9,10,8.6\n1,99,1.0\n1,11,1.0\n1,10,8.6\n");
  t.write("tblOperatingsystem.csv", "AssetID,Caption\n1,NULL\n");
  const auto inv = t.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->rows.size(), 2U);
  EXPECT_EQ(inv->rows[1].id, "PC-1/lansweeper/sw/10#2");  // a title listed twice stays two rows
  const Diagnostic* unknown = find_diagnostic(inv->warnings, "unknown-asset");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->file, "tblSoftware.csv");
  EXPECT_EQ(unknown->line, 3U);
  EXPECT_NE(unknown->message.find("2 row(s)"), std::string::npos);
  const Diagnostic* soft = find_diagnostic(inv->warnings, "unknown-software");
  ASSERT_NE(soft, nullptr);
  EXPECT_EQ(soft->line, 5U);
  EXPECT_NE(find_diagnostic(inv->warnings, "no-title"), nullptr);
  // 2 of unknown assets, 1 of an unknown title, 1 without a name, the OS without a caption.
  EXPECT_EQ(inv->sources[0].skipped, 5U);
}

TEST(Lansweeper, ANonActiveAssetOfALiveNameIsADeviceOfItsOwnStillInService) {
  Tables t;
  t.write("tblAssets.csv", "AssetID,AssetName\n7,PC-1\n8,PC-1\n");
  t.write("tblAssetCustom.csv", "AssetID,State\n7,2\n8,1\n99,1\n");
  t.write("tblSoftware.csv", "AssetID,softID\n7,10\n8,10\n");
  const auto inv = t.read();
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->devices.size(), 2U);
  EXPECT_EQ(inv->devices[0].id, "PC-1");  // the active asset keeps the name
  EXPECT_FALSE(inv->devices[0].status.has_value());
  EXPECT_EQ(inv->devices[1].id, "PC-1 (AssetID 7)");
  EXPECT_FALSE(inv->devices[1].status.has_value());  // State 2 is no proof of disposal
  EXPECT_EQ(inv->rows.size(), 2U);
  EXPECT_NE(find_diagnostic(inv->warnings, "not-active"), nullptr);
  EXPECT_NE(find_diagnostic(inv->warnings, "duplicate-device"), nullptr);
  const Diagnostic* unknown = find_diagnostic(inv->warnings, "unknown-asset");  // tblAssetCustom's AssetID 99
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->file, "tblAssetCustom.csv");
}

TEST(Lansweeper, BrokenExportsAreErrorsWithFileLineAndColumn) {
  {
    Tables t;
    t.remove("tblSoftwareUni.csv");
    const auto inv = t.read();
    ASSERT_FALSE(inv.has_value());
    const Diagnostic* d = find_diagnostic(inv.error(), "missing-file");
    ASSERT_NE(d, nullptr);
    EXPECT_NE(d->message.find("expected tblSoftwareUni.csv"), std::string::npos);
  }
  {
    Tables t;
    t.write("tblProcessor.csv", "#TYPE System.Data.DataRow\n\"Asset\",\"NumberOfCores\"\n\"1\",\"4\"\n");
    const auto inv = t.read();
    ASSERT_FALSE(inv.has_value());
    const Diagnostic* d = find_diagnostic(inv.error(), "missing-column");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(to_string(*d),
              "tblProcessor.csv:2:1: error[missing-column]: expected column `assetid` (any case), found columns "
              "Asset, NumberOfCores");
  }
  {
    Tables t;
    t.write("tblSoftware.csv", "AssetID\tsoftID\n1\t10\n1\t10\t11\n");
    const auto inv = t.read();
    ASSERT_FALSE(inv.has_value());
    const Diagnostic* d = find_diagnostic(inv.error(), "field-count");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->line, 3U);
  }
  for (const auto& [file, text] : {std::pair{"tblAssets.csv", "AssetID,AssetName\n1,PC-1\n1,PC-2\n"},
                                   std::pair{"tblSoftwareUni.csv", "SoftID,softwareName\n10,A\n10,B\n"}}) {
    Tables t;
    t.write(file, text);
    const auto inv = t.read();
    ASSERT_FALSE(inv.has_value()) << file;
    const Diagnostic* d = find_diagnostic(inv.error(), "duplicate-id");
    ASSERT_NE(d, nullptr) << file;
    EXPECT_EQ(d->file, file);
    EXPECT_EQ(d->line, 3U);
  }
}

}  // namespace
}  // namespace trueup
