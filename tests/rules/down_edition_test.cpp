// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/down_edition_test.cpp
//
// Edition rights as data (§5.3, D3).
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_csv;

TEST(DownEdition, WindowsServerDatacenterCoversStandard) {
  // 1 processor x 16 cores: 16 core licences (2019 is licensed per core).
  auto r = reconcile_csv("SRV-1,server,owned,active,,1,16\n",
                         "I-1,SRV-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation,\n",
                         "L-1,windows-server,2019,Datacenter,volume,16,,385.00,EUR\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::down_edition, "down-edition Datacenter → Standard"));
}

TEST(DownEdition, DowngradeAndDownEditionCombine) {
  // "a Windows Server 2019 Datacenter license ... to deploy a Windows Server 2016 Standard" (§5.3)
  auto r = reconcile_csv("SRV-1,server,owned,active,,2,16\n",
                         "I-1,SRV-1,Microsoft Windows Server 2016 Standard,Microsoft Corporation,\n",
                         "L-1,windows-server,2019,Datacenter,volume,16,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::downgrade, "2019 → 2016"));
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::down_edition, "Datacenter → Standard"));
}

TEST(DownEdition, StandardDoesNotCoverDatacenter) {
  auto r = reconcile_csv("SRV-1,server,owned,active,,1,16\n",
                         "I-1,SRV-1,Microsoft Windows Server 2019 Datacenter,Microsoft Corporation,\n",
                         "L-1,windows-server,2019,Standard,volume,16,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
}

TEST(DownEdition, OfficeProfessionalPlusDoesNotCoverOfficeStandard) {
  // D3: rights are to prior versions, "not other editions".
  auto r = reconcile_csv("PC-1,desktop,owned,active,,,\n",
                         "I-1,PC-1,Microsoft Office Standard 2019,Microsoft Corporation,\n",
                         "L-1,office,2019,Professional Plus,volume,5,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(r.position.totals.in(Metric::device).surplus, 5);
}

TEST(DownEdition, ExactEditionIsUsedFirstSoDatacenterStaysFree) {
  auto r = reconcile_csv(
      "SRV-1,server,owned,active,,1,16\n"
      "SRV-2,server,owned,active,,1,16\n",
      "I-1,SRV-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation,\n"
      "I-2,SRV-2,Microsoft Windows Server 2019 Datacenter,Microsoft Corporation,\n",
      "L-DC,windows-server,2019,Datacenter,volume,16,,,\n"
      "L-ST,windows-server,2019,Standard,volume,16,,,\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-ST"});
  EXPECT_EQ(r.licences_of("I-2"), std::vector<std::string>{"L-DC"});
}

TEST(DownEdition, UnavoidableShortfallFallsWhereItIsCheapestToBuy) {
  // 16 Datacenter core licences, a Datacenter and a Standard server: either one is short. The
  // Standard shortfall costs 16 x 56.00 to buy, the Datacenter one 16 x 385.00.
  auto r = reconcile_csv(
      "SRV-1,server,owned,active,,1,16\n"
      "SRV-2,server,owned,active,,1,16\n",
      "I-1,SRV-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation,\n"
      "I-2,SRV-2,Microsoft Windows Server 2019 Datacenter,Microsoft Corporation,\n",
      "L-DC,windows-server,2019,Datacenter,volume,16,,385.00,EUR\n"
      "L-ST,windows-server,2019,Standard,volume,0,,56.00,EUR\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "896.00");
}

}  // namespace
}  // namespace trueup
