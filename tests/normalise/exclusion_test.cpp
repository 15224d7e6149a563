// SPDX-License-Identifier: BSL-1.0
// File: tests/normalise/exclusion_test.cpp
//
// Exclusions, each with its reason in the output (X1, X5, X7, §2 "Leased hardware").
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_csv;

TEST(Exclusion, LeasedPcIsOutOfScopeWithItsReason) {
  auto r = reconcile_csv("LSE-1,desktop,leased,active,,,\n",
                         "I-1,LSE-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n", "");
  const auto& v = r.install("I-1");
  EXPECT_EQ(v.verdict, Verdict::excluded);
  EXPECT_EQ(v.exclusion, Exclusion::not_owned);
  EXPECT_EQ(v.reason, "device LSE-1 is leased, not owned: its licensing follows the leased agreement");
  EXPECT_EQ(r.position.totals.in(Metric::device).demand, 0);
}

TEST(Exclusion, RetiredDeviceIsOutOfScope) {
  auto r = reconcile_csv("PC-1,desktop,owned,retired,2025-01-31,,\n",
                         "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n", "");
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::retired);
  EXPECT_EQ(r.install("I-1").reason, "device PC-1 was retired on 2025-01-31");
}

TEST(Exclusion, FailedDeviceIsOutOfService) {
  auto r = reconcile_csv("PC-1,desktop,owned,failed,2025-01-31,,\n",
                         "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n", "");
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::failed);
}

TEST(Exclusion, AnotherVendorsOfficeSuiteIsNotMicrosoftOffice) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,LibreOffice 7.5.3.2,The Document Foundation,7.5.3.2\n", "");
  const auto& v = r.install("I-1");
  EXPECT_EQ(v.verdict, Verdict::excluded);
  EXPECT_EQ(v.exclusion, Exclusion::other_publisher);
  EXPECT_EQ(v.reason, "publisher \"The Document Foundation\" is not licensed by rule pack microsoft");
  EXPECT_FALSE(v.product.has_value());
}

TEST(Exclusion, FreeEditionNeedsNoLicence) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Starter 2010,Microsoft Corporation,14.0.6029.1000\n", "");
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::free_edition);
  EXPECT_EQ(r.install("I-1").reason, "Office Starter 2010 is a free edition");
}

TEST(Exclusion, AnUpdateIsAComponentNotAnInstall) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Update for Microsoft Office 2016 (KB4484103),Microsoft Corporation,\n", "");
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::component);
}

TEST(Exclusion, AnUnknownMicrosoftTitleIsFlaggedNotGuessed) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Dynamics NAV 2018,Microsoft Corporation,\n", "");
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::unrecognised);
}

TEST(Exclusion, EveryInstallIsAccountedFor) {
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "LSE-1,desktop,leased,active,,,\n",
      "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n"
      "I-2,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n"
      "I-3,LSE-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n"
      "I-4,PC-1,LibreOffice 7.5,The Document Foundation,\n"
      "I-5,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n",
      "L-1,office,2016,Professional Plus,volume,1,,,\n");
  const Totals& t = r.position.totals;
  EXPECT_EQ(t.installs, 5u);
  EXPECT_EQ(t.covered, 1u);
  EXPECT_EQ(t.shortfall, 1u);
  EXPECT_EQ(t.excluded, 2u);
  EXPECT_EQ(t.duplicate, 1u);
}

}  // namespace
}  // namespace trueup
