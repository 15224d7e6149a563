// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/channel_test.cpp
//
// Retail licences move between owned devices, one at a time (R1, R2, R5); volume licences are
// a pool of N for any owned device (D1, V1); the solver keeps the more flexible ones free.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_csv;

TEST(RetailLicence, MovedFromAScrappedPcCoversTheNewPc) {
  // The auditor calls the new PC unlicensed; a retail licence may move once the old PC is gone.
  auto r = reconcile_csv(
      "PC-17,desktop,owned,retired,2024-03-02,,\n"
      "PC-88,desktop,owned,active,,,\n",
      "I-1,PC-88,Microsoft Office Home and Business 2019,Microsoft Corporation,16.0.10417.20020\n",
      "L-1,office,2019,Home and Business,retail,1,PC-17,249.99,EUR\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-1"});
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::reassignment,
                             "retail licence L-1 reassigned from PC-17 (retired 2024-03-02) to PC-88"));
}

TEST(RetailLicence, CoversOneDeviceAtATime) {
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-2,desktop,owned,active,,,\n",
      "I-1,PC-1,Microsoft Office Home and Business 2019,Microsoft Corporation,\n"
      "I-2,PC-2,Microsoft Office Home and Business 2019,Microsoft Corporation,\n",
      "L-1,office,2019,Home and Business,retail,1,PC-1,249.99,EUR\n");
  EXPECT_EQ(r.position.totals.covered, 1u);
  EXPECT_EQ(r.position.totals.shortfall, 1u);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "249.99");
}

TEST(VolumeLicence, PoolOfNCoversAnyNOwnedDevices) {
  auto r = reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-2,laptop,owned,active,,,\n"
      "PC-3,desktop,owned,active,,,\n"
      "LSE-1,desktop,leased,active,,,\n",
      "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n"
      "I-2,PC-2,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n"
      "I-3,PC-3,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n"
      "I-4,LSE-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n",
      "L-1,office,2019,Professional Plus,volume,2,,439.00,EUR\n");
  // Ties between identical demands break by install id.
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-3").verdict, Verdict::shortfall);
  EXPECT_EQ(r.install("I-4").verdict, Verdict::excluded);
  EXPECT_EQ(r.licence("L-1").consumed, 2);
}

TEST(Flexibility, RetailIsUsedBeforeVolumeSoTheVolumeUnitStaysFree) {
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n", "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n",
                         "L-1,windows,10,Pro,volume,1,,,\n"
                         "L-2,windows,10,Pro,retail,1,,,\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-2"});
  EXPECT_EQ(r.licence("L-1").consumed, 0);
}

}  // namespace
}  // namespace trueup

namespace trueup {
namespace {

TEST(RetailLicence, StaysWithTheDeviceItIsRecordedOnAndClaimsNoMove) {
  // L-A is recorded on PC-9, L-B on PC-1; both PCs run the product. Each keeps its own
  // licence: no evidence of a move that did not happen.
  auto r = test::reconcile_csv(
      "PC-1,desktop,owned,active,,,\n"
      "PC-9,desktop,owned,active,,,\n",
      "I-1,PC-1,Microsoft Office Home and Business 2019,Microsoft Corporation,\n"
      "I-9,PC-9,Microsoft Office Home and Business 2019,Microsoft Corporation,\n",
      "L-A,office,2019,Home and Business,retail,1,PC-9,,\n"
      "L-B,office,2019,Home and Business,retail,1,PC-1,,\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-B"});
  EXPECT_EQ(r.licences_of("I-9"), std::vector<std::string>{"L-A"});
  EXPECT_FALSE(r.has_evidence("I-1", RuleStep::Kind::reassignment, ""));
  EXPECT_FALSE(r.has_evidence("I-9", RuleStep::Kind::reassignment, ""));
}

}  // namespace
}  // namespace trueup
