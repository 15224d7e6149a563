// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/oem_binding_test.cpp
//
// OEM licences live and die with their device (licensing-rules O1, O8).
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_csv;

TEST(OemBinding, LicenceCoversOnlyTheDeviceItCameWith) {
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-2,desktop,owned,active,,,\n",
      "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n"
      "I-2,PC-2,Microsoft Windows 10 Pro,Microsoft Corporation,\n",
      "L-1,windows,10,Pro,oem,1,PC-1,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-1"});
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::oem_binding, "OEM licence L-1 bound to PC-1"));
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
}

TEST(OemBinding, LicenceOfAScrappedPcCoversNothing) {
  // The auditor's "retail moved" claim has an OEM twin that is right: the OEM Windows of a
  // scrapped PC does not move to its replacement.
  auto r = reconcile_csv(
      "PC-OLD,desktop,owned,retired,2025-03-02,,\n"
      "PC-NEW,desktop,owned,active,,,\n",
      "I-1,PC-NEW,Microsoft Windows 10 Pro,Microsoft Corporation,\n", "L-1,windows,10,Pro,oem,1,PC-OLD,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_FALSE(r.licence("L-1").counted);
  EXPECT_EQ(r.licence("L-1").reason,
            "OEM licence bound to PC-OLD, retired 2025-03-02: an OEM licence dies with its device");
  EXPECT_EQ(r.position.totals.in(Metric::device).licences, 0);
}

TEST(OemBinding, LicenceMovedOffItsDeviceIsNotCounted) {
  // PC-1 still exists but no longer runs Windows; its OEM licence cannot cover PC-2.
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-2,desktop,owned,active,,,\n",
      "I-2,PC-2,Microsoft Windows 10 Pro,Microsoft Corporation,\n", "L-1,windows,10,Pro,oem,1,PC-1,,\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
  EXPECT_EQ(r.licence("L-1").consumed, 0);
  EXPECT_EQ(r.position.totals.in(Metric::device).surplus, 1);
}

TEST(OemBinding, LicenceWithoutADeviceIsVoid) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n", "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n",
                         "L-1,windows,10,Pro,oem,1,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_FALSE(r.licence("L-1").counted);
}

TEST(OemBinding, LicenceOfALeasedPcIsNotTheOrganisations) {
  auto r =
      reconcile_csv("PC-1,desktop,leased,active,,,\n", "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n",
                    "L-1,windows,10,Pro,oem,1,PC-1,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::excluded);
  EXPECT_FALSE(r.licence("L-1").counted);
}

TEST(OemBinding, BoundLicenceIsUsedBeforeAPoolSoThePoolStaysFree) {
  // One volume Office unit and an OEM Office licence on PC-1: PC-1 uses its OEM licence and the
  // volume unit covers PC-2.
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-2,desktop,owned,active,,,\n",
      "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n"
      "I-2,PC-2,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n",
      "L-1,office,2019,Professional Plus,oem,1,PC-1,,\n"
      "L-2,office,2019,Professional Plus,volume,1,,,\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-1"});
  EXPECT_EQ(r.licences_of("I-2"), std::vector<std::string>{"L-2"});
}

}  // namespace
}  // namespace trueup
