// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/upgrade_test.cpp
//
// Windows desktop volume licences are upgrades (O4, O5), Software Assurance across licensing
// models (SA1, SA5), and copies in VMs on a licensed PC (DT1): each test is the case that
// motivated the rule.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

constexpr const char* devices_h = "device_id,kind,processors,cores,host\n";
constexpr const char* installs_h = "install_id,device_id,title,publisher\n";
constexpr const char* entitlements_h =
    "licence_id,family,version,edition,channel,quantity,device_id,purchase_date,sa_start,sa_end\n";

test::Reconciled run(std::string devices, std::string installs, std::string entitlements,
                     std::string assignments = {}) {
  io::FleetSources src;
  src.devices = devices_h + devices;
  src.installs = installs_h + installs;
  src.entitlements = entitlements_h + entitlements;
  if (!assignments.empty()) src.assignments = "licence_id,device_id,from,reason\n" + assignments;
  return test::reconcile_sources(src);
}

TEST(Upgrade, AVolumeWindowsLicenceCoversAPcWithAQualifyingLicence) {
  // O4: "Volume licences can only be used to cover the upgrade of a PC once it has the initial
  // operating system already installed". PC-1 came with OEM Windows 10 Pro, PC-2 with a retail
  // Windows 11 Pro: both qualify; PC-3 has none and is short, with the reason.
  const auto r = run("PC-1,desktop,,,\nPC-2,desktop,,,\nPC-3,desktop,,,\n",
                     "I-1,PC-1,Microsoft Windows 11 Enterprise,Microsoft Corporation\n"
                     "I-2,PC-2,Microsoft Windows 11 Enterprise,Microsoft Corporation\n"
                     "I-3,PC-3,Microsoft Windows 11 Enterprise,Microsoft Corporation\n",
                     "Q-1,windows,10,Pro,oem,1,PC-1,2021-03-01,,\n"
                     "Q-2,windows,11,Pro,retail,1,PC-2,2023-01-10,,\n"
                     "L-1,windows,11,Enterprise,volume,3,,2024-01-10,2024-01-10,2027-01-09\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::upgrade, "qualifying licence"));
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-3").verdict, Verdict::shortfall);
  EXPECT_NE(r.install("I-3").reason.find("the device has no qualifying licence of its own"), std::string::npos)
      << r.install("I-3").reason;
  EXPECT_EQ(r.licence("L-1").consumed, 2);
}

TEST(Upgrade, WithoutSoftwareAssuranceAnUpgradeLicenceStaysOnItsFirstDevice) {
  // O5: an upgrade licence without SA is not reassignable; the history's move did not happen,
  // the finding says why, and PC-2 is short. Both PCs qualify (their OEM Windows 11 Pro).
  const auto moved = [](const std::string& sa_start_and_end) {
    return run("PC-1,desktop,,,\nPC-2,desktop,,,\n", "I-2,PC-2,Microsoft Windows 11 Enterprise,Microsoft Corporation\n",
               "Q-1,windows,11,Pro,oem,1,PC-1,2024-01-10,,\nQ-2,windows,11,Pro,oem,1,PC-2,2024-01-10,,\n"
               "L-1,windows,11,Enterprise,volume,1,,2024-01-10," +
                   sa_start_and_end + "\n",
               "L-1,PC-1,2024-01-10,initial\nL-1,PC-2,2025-06-01,reassigned\n");
  };
  const auto r = moved(",");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
  ASSERT_EQ(r.position.warnings.size(), 1u);
  EXPECT_EQ(r.position.warnings[0].code, "moved-bound-licence");
  EXPECT_NE(r.position.warnings[0].message.find("L-1 moved from PC-1"), std::string::npos);
  EXPECT_NE(r.position.warnings[0].message.find("licensing-rules O5"), std::string::npos);
  // With SA active, the same move happened (more than 90 days after the first assignment).
  const auto sa = moved("2024-01-10,2027-01-09");
  EXPECT_EQ(sa.install("I-2").verdict, Verdict::covered);
  EXPECT_TRUE(sa.position.warnings.empty());
}

TEST(SoftwareAssuranceConversion, A2012R2ProcessorLicenceWithSaBecomesSixteenCoreLicences) {
  // SA5: "Microsoft is going to grant you 16 core licenses of Windows Server 2016 for each
  // license of Windows Server 2012 that is covered by SA". SA active when 2016 was made
  // available: a 2 x 8-core 2016 server is covered by the one 2012 R2 licence.
  const auto r = run("SRV-1,server,2,16,\n", "I-1,SRV-1,Microsoft Windows Server 2016 Standard,Microsoft Corporation\n",
                     "L-1,windows-server,2012 R2,Standard,volume,1,,2015-03-31,2015-03-31,2017-03-31\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  const EntitlementUse& l = r.licence("L-1");
  EXPECT_TRUE(l.converted);
  EXPECT_EQ(l.metric, Metric::core);
  EXPECT_EQ(l.units, 16);
  EXPECT_EQ(l.consumed, 16);
  EXPECT_NE(r.json().find("\"counted_units\":16"), std::string::npos);
  // SA that lapsed before 2016 was made available converts nothing: the server is short.
  const auto lapsed =
      run("SRV-1,server,2,16,\n", "I-1,SRV-1,Microsoft Windows Server 2016 Standard,Microsoft Corporation\n",
          "L-1,windows-server,2012 R2,Standard,volume,1,,2014-03-31,2014-03-31,2016-03-31\n");
  EXPECT_EQ(lapsed.install("I-1").verdict, Verdict::shortfall);
  EXPECT_FALSE(lapsed.licence("L-1").converted);
}

TEST(VmCopies, OfficeInAVmOnALicensedPcIsCoveredByThePcsLicence) {
  // DT1: a licence on a device covers the copies on it, physical or in a virtual machine: the
  // VM's Office is a copy of PC-1's, not a second demand.
  const auto r = run("PC-1,desktop,,,\nVM-1,vm,,2,PC-1\n",
                     "I-1,PC-1,Microsoft Office Professional Plus 2021,Microsoft Corporation\n"
                     "I-2,VM-1,Microsoft Office Professional Plus 2021,Microsoft Corporation\n",
                     "L-1,office,2021,Professional Plus,volume,1,,2022-01-10,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::duplicate);
  EXPECT_NE(r.install("I-2").reason.find("licensing-rules DT1"), std::string::npos) << r.install("I-2").reason;
  EXPECT_EQ(r.position.totals.shortfall, 0u);
}

}  // namespace
}  // namespace trueup
