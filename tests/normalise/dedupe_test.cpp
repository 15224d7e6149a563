// SPDX-License-Identifier: BSL-1.0
// File: tests/normalise/dedupe_test.cpp
//
// One demand per (device, product family), however many rows (X4, X5, DT1).
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_csv;

TEST(Dedupe, AReinstallCountedTwiceNeedsOneLicence) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,16.0.4266.1001\n"
                         "I-2,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,16.0.4266.1001\n",
                         "L-1,office,2016,Professional Plus,volume,1,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::duplicate);
  EXPECT_EQ(r.fleet.install(r.install("I-2").duplicate_of).id, "I-1");
  EXPECT_EQ(r.position.totals.in(Metric::device).demand, 1);
  EXPECT_EQ(r.position.totals.in(Metric::device).shortfall, 0);
}

TEST(Dedupe, ThirtyTwoAndSixtyFourBitEntriesAreOneInstall) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2019 (64-bit),Microsoft Corporation,\n"
                         "I-2,PC-1,Microsoft Office Professional Plus 2019 (32-bit),Microsoft Corporation,\n",
                         "");
  EXPECT_EQ(r.position.totals.in(Metric::device).demand, 1);
  EXPECT_EQ(r.position.totals.duplicate, 1u);
}

TEST(Dedupe, TwoVersionsSideBySideAreOneDemandAtTheNewerVersion) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2013,Microsoft Corporation,\n"
                         "I-2,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n",
                         "L-1,office,2019,Professional Plus,volume,1,,,\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::duplicate);
}

TEST(Dedupe, TheRepresentativeDoesNotDependOnRowOrder) {
  auto a = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-2,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n"
                         "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n",
                         "");
  EXPECT_EQ(a.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(a.install("I-2").verdict, Verdict::duplicate);
}

TEST(Dedupe, DifferentFamiliesOnOneDeviceAreSeparateDemands) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n"
                         "I-2,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n",
                         "");
  EXPECT_EQ(r.position.totals.in(Metric::device).demand, 2);
}

}  // namespace
}  // namespace trueup

namespace trueup {
namespace {

TEST(Dedupe, EditionsThatDoNotCoverEachOtherAreSeparateDemands) {
  // D3: Professional Plus does not cover Standard; a PC running both needs two licences.
  auto r = test::reconcile_csv("PC-1,desktop,owned,active,,,\n",
                               "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,\n"
                               "I-2,PC-1,Microsoft Office Standard 2016,Microsoft Corporation,\n",
                               "L-1,office,2016,Professional Plus,volume,1,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
  EXPECT_EQ(r.position.totals.duplicate, 0u);
}

TEST(Dedupe, AnEditionCoveredByAnotherOnTheDeviceIsADuplicate) {
  // Datacenter covers Standard (§5.3): one server running both needs the Datacenter licence.
  auto r = test::reconcile_csv("SRV-1,server,owned,active,,1,16\n",
                               "I-1,SRV-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation,\n"
                               "I-2,SRV-1,Microsoft Windows Server 2019 Datacenter,Microsoft Corporation,\n",
                               "L-1,windows-server,2019,Datacenter,volume,16,,,\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::duplicate);
}

}  // namespace
}  // namespace trueup
