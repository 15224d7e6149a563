// SPDX-License-Identifier: BSL-1.0
// File: tests/import/wmi_test.cpp
//
// WMI Win32_Processor dumps (src/import/wmi.cpp, docs/formats.md "WMI processor dumps"): the
// project's samples in wmic's exact shape (tests/data/inventory/wmi: a two-socket server, an AMD
// EPYC guest), merged with another source that knows the software or the kind; and the real
// dumps of ../shared/data/inventory when that folder is present.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/inventory_support.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;

using test::find_device;
using test::find_diagnostic;
using test::read_sources;
using Scratch = test::ScratchFolder;

const fs::path samples = test::inventory_samples;
const fs::path shared = test::shared_inventory() / "glpi-agent";

TEST(WmiImport, ATwoSocketServerIsTwoProcessorsAndItsCoresSummed) {
  const auto inv = read_sources({"wmi:" + (samples / "wmi/SRV-DB01.wmi").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->devices.size(), 1U);
  const auto& d = inv->devices[0];
  EXPECT_EQ(d.id, "SRV-DB01");  // SystemName
  EXPECT_EQ(d.processors, 2U);
  EXPECT_EQ(d.cores, 8U);                                                     // E5506 and E5504, 4 cores each
  EXPECT_EQ(d.cpu_model, "Intel(R) Xeon(R) CPU           E5506  @ 2.13GHz");  // the first socket's, as wmic pads it
  EXPECT_FALSE(d.software_reported);
  EXPECT_TRUE(inv->rows.empty());
  EXPECT_TRUE(inv->warnings.empty());
}

TEST(WmiImport, AGuestsCoresAreUncertainAloneAndItsVirtualProcessorsOnceKnownAsAVm) {
  // Alone, the dump cannot tell a VM: its NumberOfCores is read, with a warning saying why it may be wrong.
  auto inv = read_sources({"wmi:" + (samples / "wmi/vm-sql02.wmi").string()});
  ASSERT_TRUE(inv.has_value());
  ASSERT_NE(find_device(*inv, "VM-SQL02"), nullptr);
  EXPECT_EQ(find_device(*inv, "VM-SQL02")->cores, 2U);
  const Diagnostic* uncertain = find_diagnostic(inv->warnings, "cores-uncertain");
  ASSERT_NE(uncertain, nullptr);
  EXPECT_NE(uncertain->message.find("4 virtual processors"), std::string::npos);

  // A GLPI inventory of the same computer says it is a Hyper-V guest: its 4 virtual processors are its cores [SQL2].
  Scratch s;
  const std::string guest = s.write(
      "VM-SQL02.json",
      R"({"action":"inventory","content":{"hardware":{"name":"VM-SQL02","vmsystem":"Hyper-V"},"softwares":[]}})");
  inv = read_sources({"glpi:" + guest, "wmi:" + (samples / "wmi/vm-sql02.wmi").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  const auto* vm = find_device(*inv, "VM-SQL02");
  ASSERT_NE(vm, nullptr);
  EXPECT_EQ(vm->kind, DeviceKind::virtual_machine);
  EXPECT_EQ(vm->processors, 1U);
  EXPECT_EQ(vm->cores, 4U);
  const Diagnostic* rule = find_diagnostic(inv->warnings, "vm-virtual-cores");
  ASSERT_NE(rule, nullptr);
  EXPECT_NE(rule->message.find("the guest reports 2 cores"), std::string::npos);
  EXPECT_NE(rule->message.find("SQL2"), std::string::npos);
}

TEST(WmiImport, ARegistryExportAndAProcessorDumpOfOneComputerAreOneDevice) {
  Scratch s;
  const std::string dump = s.write("pc.wmi",
                                   "CreationClassName=Win32_Processor\nNumberOfCores=6\nNumberOfLogicalProcessors=12\n"
                                   "SystemName=PC-0042\n");
  const auto inv = read_sources({"reg:" + (samples / "reg/PC-0042.reg").string(), "wmi:" + dump});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->devices.size(), 1U);
  EXPECT_EQ(inv->devices[0].cores, 6U);  // not a VM: physical cores, not threads
  EXPECT_EQ(inv->devices[0].processors, 1U);
  EXPECT_FALSE(inv->rows.empty());
}

TEST(WmiImport, ADumpOfAnotherClassIsAnErrorNamingWhatWasFound) {
  Scratch s;
  const std::string other =
      s.write("office.wmi",
              "\n\nApplicationID=0ff1ce15-a989-479d-af46-f275c6370663\nLicenseFamily=Office16ProPlusVL_KMS_Client\n");
  auto inv = read_sources({"wmi:" + other});
  ASSERT_FALSE(inv.has_value());
  const Diagnostic* d = find_diagnostic(inv.error(), "bad-wmi");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->file, "office.wmi");
  EXPECT_EQ(d->line, 3U);
  EXPECT_NE(d->message.find("another class"), std::string::npos);
  inv = read_sources({"wmi:" + s.write("empty.wmi", "\r\n\r\n")});
  ASSERT_FALSE(inv.has_value());
  EXPECT_NE(inv.error()[0].message.find("no Name=Value lines"), std::string::npos);
}

TEST(WmiImport, ACoreCountMissingOnOneSocketLeavesTheCoresUnknown) {
  Scratch s;
  const std::string dump = s.write("srv.wmi",
                                   "CreationClassName=Win32_Processor\nNumberOfCores=8\nSystemName=SRV-9\n\n"
                                   "CreationClassName=Win32_Processor\nNumberOfCores=\nSystemName=SRV-9\n");
  const auto inv = read_sources({"wmi:" + dump});
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->devices[0].processors, 2U);
  EXPECT_EQ(inv->devices[0].cores, 0U);  // unknown, never a count too low
}

TEST(WmiImport, TheRealDumpsOfGlpiAgentsTests) {
  if (!fs::is_directory(shared)) GTEST_SKIP() << "the real inventory files (../shared/data/inventory) are not here";
  auto inv = read_sources({"wmi:" + (shared / "2008-with-2-different-cpus-Win32_Processor.wmi").string()});
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->devices[0].processors, 2U);
  EXPECT_EQ(inv->devices[0].cores, 8U);
  inv = read_sources({"wmi:" + (shared / "2019-amd-epyc-Win32_Processor.wmi").string()});
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->devices[0].id, "SBGSRVAD1");
  EXPECT_EQ(inv->devices[0].logical_processors, 4U);
  EXPECT_EQ(inv->devices[0].cpu_model, "AMD EPYC 7302 16-Core Processor");
  EXPECT_NE(find_diagnostic(inv->warnings, "cores-uncertain"), nullptr);
  inv = read_sources({"wmi:" + (shared / "office_2016_01-SoftwareLicensingProduct.wmi").string()});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(inv.error()[0].code, "bad-wmi");
}

}  // namespace
}  // namespace trueup
