// SPDX-License-Identifier: BSL-1.0
// File: tests/examples/sccm_test.cpp
//
// examples/sccm: computers of the sample fleet as Configuration Manager view exports (each file
// written the way a real export is: SSMS, PowerShell's Export-Csv, `;`, UTF-16LE, tabs) reconcile
// to the same position as the same computers in the project's CSV format (examples/sccm/
// generate.py writes both from examples/contoso), with the same licences.
#include <gtest/gtest.h>

#include <algorithm>

#include "csv_twin.hpp"

namespace trueup {
namespace {

const std::string example = std::string(TRUEUP_SOURCE_DIR) + "/examples/sccm";

const import::InventoryDevice& device(const import::Inventory& inv, std::string_view id) {
  const auto it = std::find_if(inv.devices.begin(), inv.devices.end(), [&](const auto& d) { return d.id == id; });
  if (it == inv.devices.end()) throw std::runtime_error("no device " + std::string(id));
  return *it;
}

TEST(SccmExample, ReconcilesAsItsCsvTwin) {
  auto inventory = import::read_inventory({import::parse_source("sccm:" + example + "/exports").value()});
  ASSERT_TRUE(inventory.has_value()) << to_string(inventory.error()[0]);
  // The re-imaged PC's old record is the one warning, and it says what was done with it.
  ASSERT_EQ(inventory->warnings.size(), 1U);
  EXPECT_EQ(inventory->warnings[0].code, "duplicate-device");
  EXPECT_NE(inventory->warnings[0].message.find("the retired device PC-0005 (ResourceID 16777226)"), std::string::npos);
  Position from_sccm;
  const auto [table, twin] = test::twin_tables(example, "sccm:" + example + "/exports", &from_sccm);
  EXPECT_EQ(table, twin);
  // Not a trivial position: a server short on cores, an old server on its own model.
  EXPECT_GT(from_sccm.totals.shortfall, 0u);
  EXPECT_NE(table.find("Windows Server 2012 R2 Standard    processor"), std::string::npos);
  EXPECT_NE(table.find("SQL Server 2022 Enterprise"), std::string::npos);
}

TEST(SccmExample, EachViewGivesItsFacts) {
  const auto inventory = import::read_inventory({import::parse_source("sccm:" + example + "/exports").value()});
  ASSERT_TRUE(inventory.has_value());
  // v_GS_PROCESSOR (`;`, BOM, quoted): sockets counted, cores summed.
  EXPECT_EQ(device(*inventory, "HV-01").processors, 2U);
  EXPECT_EQ(device(*inventory, "HV-01").cores, 32U);
  // v_R_System: a VM and its host named by its DNS name; decommissioned and obsolete records retired.
  EXPECT_EQ(device(*inventory, "VM-01").kind, DeviceKind::virtual_machine);
  EXPECT_EQ(device(*inventory, "VM-01").host, "HV-01");
  EXPECT_EQ(device(*inventory, "PC-0141").status, DeviceStatus::retired);
  EXPECT_EQ(device(*inventory, "PC-0005 (ResourceID 16777226)").status, DeviceStatus::retired);
  EXPECT_FALSE(device(*inventory, "PC-0005").status.has_value());
  // v_GS_OPERATING_SYSTEM (UTF-16LE): the kind, and the OS as an install with its date.
  EXPECT_EQ(device(*inventory, "SRV-SQL01").kind, DeviceKind::server);
  EXPECT_EQ(device(*inventory, "PC-0001").kind, DeviceKind::desktop);
  // v_GS_SYSTEM_CONSOLE_USAGE (tabs): the top console user as given.
  EXPECT_EQ(device(*inventory, "PC-0001").primary_user, "CONTOSO\\user002");
  const auto os = std::find_if(inventory->rows.begin(), inventory->rows.end(),
                               [](const auto& r) { return r.id == "SRV-SQL01/sccm/os/1"; });
  ASSERT_NE(os, inventory->rows.end());
  EXPECT_EQ(os->title, "Microsoft Windows Server 2022 Standard");
  EXPECT_EQ(os->version, "");  // NULL
  ASSERT_TRUE(os->first_seen.has_value());
  EXPECT_EQ(os->first_seen->iso(), "2024-01-15");
  // v_Add_Remove_Programs (#TYPE line, CRLF): ids from the product code, stable when rows move.
  const auto arp = std::find_if(inventory->rows.begin(), inventory->rows.end(),
                                [](const auto& r) { return r.title == "LibreOffice 7.5.3.2"; });
  ASSERT_NE(arp, inventory->rows.end());
  EXPECT_EQ(arp->id.rfind("PC-0001/sccm/arp/{", 0), 0U) << arp->id;
  EXPECT_EQ(arp->source, "v_Add_Remove_Programs.csv:3");
}

}  // namespace
}  // namespace trueup
