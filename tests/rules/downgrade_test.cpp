// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/downgrade_test.cpp
//
// Downgrade rights by channel (D1-D3, §5.2, O6, R4).
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_csv;

TEST(DowngradeRights, VolumeOffice2019CoversOffice2016OfTheSameEdition) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n",
                         "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::downgrade, "downgrade Office 2019 → 2016"));
}

TEST(DowngradeRights, VolumeOfficeDoesNotDowngradeAcrossEditions) {
  // D3: "a customer may not downgrade from Office Standard 2019 to Office Professional Plus 2016"
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n",
                         "L-1,office,2019,Standard,volume,1,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
}

TEST(DowngradeRights, OemWindows10ProCoversWindows7ProfessionalWhileWindows7IsSupported) {
  // Windows 10 OEM licence terms §7: 8.1 Pro or 7 Professional "but only for as long as
  // Microsoft provides support for that earlier version" (§5.2). Windows 7's extended support
  // ended on 2020-01-14.
  io::FleetSources src;
  src.devices = std::string(test::devices_header) + "PC-1,desktop,owned,active,,,\n";
  src.installs =
      std::string(test::installs_header) + "I-1,PC-1,Microsoft Windows 7 Professional,Microsoft Corporation,6.1.7601\n";
  src.entitlements = std::string(test::entitlements_header) + "L-1,windows,10,Pro,oem,1,PC-1,,\n";
  ReconcileOptions in_2019;
  in_2019.as_of = Date::from_ymd(2019, 6, 30);
  const auto r = test::reconcile_sources(src, in_2019);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::downgrade, "downgrade Windows 10 → 7"));
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::downgrade, "while 7 is supported"));

  const auto after = test::reconcile_sources(src);  // 2026-06-30
  EXPECT_EQ(after.install("I-1").verdict, Verdict::shortfall);
  EXPECT_NE(after.install("I-1").reason.find("downgrade right to 7 ended when its support ended on 2020-01-14"),
            std::string::npos)
      << after.install("I-1").reason;
}

TEST(DowngradeRights, OemWindows10ProDoesNotReachWindowsXp) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Windows XP Professional,Microsoft Corporation,\n",
                         "L-1,windows,10,Pro,oem,1,PC-1,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
}

TEST(DowngradeRights, OemWindowsHomeHasNone) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-2,PC-1,Microsoft Windows 7 Home Premium,Microsoft Corporation,\n",
                         "L-1,windows,10,Home,oem,1,PC-1,,\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
}

TEST(DowngradeRights, RetailOfficeHasNone) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Home and Business 2016,Microsoft Corporation,\n",
                         "L-1,office,2019,Home and Business,retail,1,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
}

TEST(DowngradeRights, ExactVersionsAreUsedFirstSoNewerLicencesStayFree) {
  // One ProPlus 2019 and one ProPlus 2016 licence; installs of both versions. Using the 2019
  // licence for the 2016 install would leave the 2019 install short.
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-2,desktop,owned,active,,,\n",
      "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n"
      "I-2,PC-2,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n",
      "L-19,office,2019,Professional Plus,volume,1,,,\n"
      "L-16,office,2016,Professional Plus,volume,1,,,\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-16"});
  EXPECT_EQ(r.licences_of("I-2"), std::vector<std::string>{"L-19"});
}

TEST(DowngradeRights, ExactVersionIsPreferredEvenWhenCoverageWouldBeEqual) {
  // Two 2019 licences and one 2016 licence, one 2016 install: all choices cover it; the exact
  // 2016 licence is used and both 2019 units stay free.
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n",
                         "L-19,office,2019,Professional Plus,volume,2,,,\n"
                         "L-16,office,2016,Professional Plus,volume,1,,,\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-16"});
}

}  // namespace
}  // namespace trueup
