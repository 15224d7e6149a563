// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/sql_core_factor_test.cpp
//
// SQL Server 2012 and 2014 per core with the Core Factor Table (licensing-rules SQL7): a
// physical server's cores times the factor of its CPU model (AMD Opteron 31XX, 32XX, 41XX, 42XX,
// 61XX, 62XX with 6 or more cores: 0.75; all others 1), rounded up, at least 4 per processor;
// never a VM's virtual cores; not for 2016 and later. A model the table does not name, on a
// server where 0.75 could apply, goes to review: never a guessed factor. Under downgrade rights
// the licence's own terms count (G4, D6): the factored count is covered only by 2012/2014
// licences, 2016 and later ones count every core, and a factored server those licences do not
// wholly cover goes to review (src/core/core_factor.cpp). Each test is the
// published example that motivated the rule; CPU models are spelt as Win32_Processor.Name
// reports them.
#include <gtest/gtest.h>

#include <string>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_files;

constexpr const char* devices_h = "device_id,kind,processors,cores,cpu_model,host\n";
constexpr const char* installs_h = "install_id,device_id,title,publisher\n";
constexpr const char* entitlements_h =
    "licence_id,family,version,edition,channel,quantity,purchase_date,sa_start,sa_end\n";

constexpr const char* opteron_6c = "AMD Opteron(tm) Processor 4234";  // 42XX, six cores

/// One physical server `SRV-1` of `processors` x `cores` with CPU `model`, running `title`.
test::Reconciled server(int processors, int cores, const std::string& model, const std::string& title,
                        const std::string& entitlements) {
  return reconcile_files(std::string(devices_h) + "SRV-1,server," + std::to_string(processors) + "," +
                             std::to_string(cores) + "," + model + ",\n",
                         std::string(installs_h) + "I-1,SRV-1,Microsoft " + title + ",Microsoft Corporation\n",
                         entitlements_h + entitlements);
}

TEST(SqlCoreFactor, AmdSixCoreOpteronsCountThreeQuartersOfTheirCores) {
  // Dynamics Consultants, SQL Server 2014 licensing, examples 3 and 4: "An AMD server with 2 x 6
  // core processors requires 9 Core licenses: (2x6) x Core Factor of 0.75 = 9"; "1 x 6 core
  // processor requires 5 Core licenses: (1x6) x Core Factor of 0.75 = 4.5»5".
  const auto two =
      server(2, 12, opteron_6c, "SQL Server 2014 Enterprise", "L-1,sql-server,2014,Enterprise,volume,9,2014-06-01,,\n");
  EXPECT_EQ(two.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(two.install("I-1").demanded, 9);
  const auto one =
      server(1, 6, opteron_6c, "SQL Server 2014 Enterprise", "L-1,sql-server,2014,Enterprise,volume,5,2014-06-01,,\n");
  EXPECT_EQ(one.install("I-1").demanded, 5);  // 4.5 rounded up, above the minimum of 4
  EXPECT_EQ(one.install("I-1").verdict, Verdict::covered);
  // Four 2014 licences leave it short, and the fifth would be a 2016+ licence counting every
  // core (G4, D6): review, not a shortfall of 1.
  const auto four =
      server(1, 6, opteron_6c, "SQL Server 2014 Enterprise", "L-1,sql-server,2014,Enterprise,volume,4,2014-06-01,,\n");
  EXPECT_EQ(four.install("I-1").exclusion, Exclusion::needs_review);
  EXPECT_EQ(four.licence("L-1").consumed, 0);
}

TEST(SqlCoreFactor, IntelProcessorsCountEveryCore) {
  // Dynamics Consultants, example 1: "An Intel server with 4 x 8 core processors requires 32
  // Core licenses: (8x4) x Core Factor of 1 = 32".
  const auto r = server(4, 32, "Intel(R) Xeon(R) CPU E5-4620 0 @ 2.20GHz", "SQL Server 2014 Enterprise",
                        "L-1,sql-server,2014,Enterprise,volume,32,2014-06-01,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").demanded, 32);
}

TEST(SqlCoreFactor, QuadCoreOpteronsOfTheListedSeriesAreNotDiscounted) {
  // SQL7: the 0.75 rows are for "6 or more cores"; the Opteron 6204 has four, so a 2 x 4 server
  // counts 8 cores (factor 1), which the 4-per-processor minimum also gives.
  const auto r = server(2, 8, "AMD Opteron(tm) Processor 6204", "SQL Server 2012 Standard",
                        "L-1,sql-server,2012,Standard,volume,8,2012-06-01,,\n");
  EXPECT_EQ(r.install("I-1").demanded, 8);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
}

TEST(SqlCoreFactor, AnUnknownModelWhereTheFactorCouldApplyGoesToReview) {
  // SQL7 makes a six-core server's count depend on its model: without one, or with a model no
  // row names, the install is not counted on a guess.
  for (const std::string model : {"", "QEMU Virtual CPU version 2.5+"}) {
    const auto r =
        server(2, 12, model, "SQL Server 2014 Enterprise", "L-1,sql-server,2014,Enterprise,volume,12,2014-06-01,,\n");
    EXPECT_EQ(r.install("I-1").verdict, Verdict::excluded) << model;
    EXPECT_EQ(r.install("I-1").exclusion, Exclusion::needs_review) << model;
    EXPECT_NE(r.install("I-1").reason.find("core factor"), std::string::npos) << r.install("I-1").reason;
  }
  // Four cores per processor: no row other than 1 applies, so no model is needed (SQL1: 8).
  const auto small =
      server(2, 8, "", "SQL Server 2014 Enterprise", "L-1,sql-server,2014,Enterprise,volume,8,2014-06-01,,\n");
  EXPECT_EQ(small.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(small.install("I-1").demanded, 8);
}

TEST(SqlCoreFactor, SqlServer2016AndLaterCountEveryPhysicalCore) {
  // sqlskills.com SQL101: "For the SQL Server 2016 release, there was no update for the SQL
  // Server Core Factor Table": 2016 counts the 12 cores of the same AMD server.
  const auto r = server(2, 12, opteron_6c, "SQL Server 2016 Enterprise",
                        "L-1,sql-server,2016,Enterprise,volume,12,2016-06-01,,\n");
  EXPECT_EQ(r.install("I-1").demanded, 12);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
}

TEST(SqlCoreFactor, VirtualCoresAreNeverFactored) {
  // iprsam.com on the 2012 table: "Table is not valid for virtual processors, because each
  // virtual processor core (v-core) has to be licensed, at least 4 per each virtual machine."
  // A 6-vCPU VM on the AMD host needs 6, not 4.5.
  const auto r = reconcile_files(std::string(devices_h) + "HV-1,server,2,12," + opteron_6c + ",\nVM-1,vm,,6,,HV-1\n",
                                 std::string(installs_h) + "I-1,VM-1,Microsoft SQL Server 2012 Standard,Microsoft\n",
                                 std::string(entitlements_h) + "L-1,sql-server,2012,Standard,volume,6,2012-06-01,,\n");
  EXPECT_EQ(r.install("I-1").demanded, 6);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
}

TEST(SqlCoreFactor, AnEnterpriseHostLicensedWholeCountsEveryCore) {
  // SQL4 with SQL7 under G4 and D6: a host licensed whole may be covered by any licence of its
  // edition, and 2016 and later licences count every core, so the 2 x 8-core Opteron 6212 host
  // counts its 16 cores (not 16 x 0.75): as many as its four 4-vCPU VMs one by one, so it is
  // licensed whole, and its 16 core licences cover the 4 VMs.
  std::string devices = std::string(devices_h) + "HV-1,server,2,16,AMD Opteron(tm) Processor 6212,\n";
  std::string installs = installs_h;
  for (int i = 1; i <= 4; ++i) {
    devices += "VM-" + std::to_string(i) + ",vm,,4,,HV-1\n";
    installs +=
        "I-" + std::to_string(i) + ",VM-" + std::to_string(i) + ",Microsoft SQL Server 2014 Enterprise,Microsoft\n";
  }
  const auto r = reconcile_files(
      devices, installs, std::string(entitlements_h) + "L-1,sql-server,2014,Enterprise,volume,16,2014-06-01,,\n");
  Units demanded = 0;
  for (const auto& v : r.position.installs) demanded += v.demanded;
  EXPECT_EQ(demanded, 16);
  EXPECT_EQ(r.position.totals.covered, 4u);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::model, "licensed whole"));
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::model, "every physical core"));
  EXPECT_FALSE(r.has_evidence("I-1", RuleStep::Kind::model, "core factor 0.75"));
}

// G4 and D6 with SQL7: the factored count is the 2012/2014 licences' only. Two Opteron 6212
// (62XX, eight cores each): 16 cores x 0.75 = 12 under 2014 licences, 16 under 2019 ones.
constexpr const char* opteron_8c = "AMD Opteron(tm) Processor 6212";

TEST(SqlCoreFactor, LicencesOfTheFactoredVersionsCoverTheFactoredCount) {
  const auto r = server(2, 16, opteron_8c, "SQL Server 2014 Enterprise",
                        "L-14,sql-server,2014,Enterprise,volume,12,2014-06-01,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").demanded, 12);
  EXPECT_EQ(r.licence("L-14").consumed, 12);
}

TEST(SqlCoreFactor, LicencesOf2016AndLaterCountEveryCoreOfADowngradedInstall) {
  // 16 SQL Server 2019 core licences cover the 2014 install by downgrade, counting its 16 cores.
  const auto enough = server(2, 16, opteron_8c, "SQL Server 2014 Enterprise",
                             "L-19,sql-server,2019,Enterprise,volume,16,2019-12-01,,\n");
  EXPECT_EQ(enough.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(enough.install("I-1").demanded, 16);
  EXPECT_EQ(enough.licence("L-19").consumed, 16);
  EXPECT_TRUE(enough.has_evidence("I-1", RuleStep::Kind::model, "every physical core counted (16)"));
  // 12 of them are not enough: the server is short 4, never covered at 16 x 0.75.
  const auto twelve = server(2, 16, opteron_8c, "SQL Server 2014 Enterprise",
                             "L-19,sql-server,2019,Enterprise,volume,12,2019-12-01,,\n");
  EXPECT_EQ(twelve.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(twelve.install("I-1").demanded, 16);
  EXPECT_EQ(twelve.install("I-1").covered, 12);
}

TEST(SqlCoreFactor, AFactoredServerItsFactoredLicencesDoNotWhollyCoverGoesToReview) {
  // 8 SQL Server 2014 licences cover 8 of the 12 factored units; the rest would be 2016+ licences
  // (held or bought) that count every core: no published count, so a person decides, whether
  // 2019 licences are held or not. Nothing is consumed for it.
  for (const std::string more : {"", "L-19,sql-server,2019,Enterprise,volume,16,2019-12-01,,\n"}) {
    const auto r = server(2, 16, opteron_8c, "SQL Server 2014 Enterprise",
                          "L-14,sql-server,2014,Enterprise,volume,8,2014-06-01,,\n" + more);
    EXPECT_EQ(r.install("I-1").verdict, Verdict::excluded) << more;
    EXPECT_EQ(r.install("I-1").exclusion, Exclusion::needs_review) << more;
    EXPECT_NE(r.install("I-1").reason.find("core factor (licensing-rules SQL7)"), std::string::npos)
        << r.install("I-1").reason;
    EXPECT_EQ(r.licence("L-14").consumed, 0) << more;
  }
}

TEST(SqlCoreFactor, TheLicencesOfAReviewedServerGoToTheOthers) {
  // Two such servers and 12 SQL Server 2014 licences: one is covered at 12, the other cannot be
  // (its licences would be 2016+, counting 16) and goes to review; the 12 are all in use.
  const auto r = reconcile_files(
      std::string(devices_h) + "SRV-1,server,2,16," + opteron_8c + ",\nSRV-2,server,2,16," + opteron_8c + ",\n",
      std::string(installs_h) + "I-1,SRV-1,Microsoft SQL Server 2014 Enterprise,Microsoft\n" +
          "I-2,SRV-2,Microsoft SQL Server 2014 Enterprise,Microsoft\n",
      std::string(entitlements_h) + "L-14,sql-server,2014,Enterprise,volume,12,2014-06-01,,\n");
  EXPECT_EQ(r.licence("L-14").consumed, 12);
  int covered = 0;
  int review = 0;
  for (const char* id : {"I-1", "I-2"}) {
    covered += r.install(id).verdict == Verdict::covered && r.install(id).demanded == 12;
    review += r.install(id).exclusion == Exclusion::needs_review;
  }
  EXPECT_EQ(covered, 1);
  EXPECT_EQ(review, 1);
}

TEST(SqlCoreFactor, LicencesSplitOverTwoShortServersGoWhollyToOneOfThem) {
  // 2 x 16 and 2 x 12 Opteron cores (12 and 9 factored) and 12 licences of 2012 and 2014: a
  // solve may split them 6 + 6, leaving both short. One server at a time goes to review, so
  // the 12 then cover the other wholly; never both reviewed with 12 licences unused.
  const auto r = reconcile_files(
      std::string(devices_h) + "SRV-A,server,2,16," + opteron_8c + ",\nSRV-B,server,2,12," + opteron_6c + ",\n",
      std::string(installs_h) + "I-A,SRV-A,Microsoft SQL Server 2012 Enterprise,Microsoft\n" +
          "I-B,SRV-B,Microsoft SQL Server 2012 Enterprise,Microsoft\n",
      std::string(entitlements_h) + "L-12,sql-server,2012,Enterprise,volume,6,2012-06-01,,\n" +
          "L-14,sql-server,2014,Enterprise,volume,6,2014-06-01,,\n");
  int covered = 0;
  int review = 0;
  for (const char* id : {"I-A", "I-B"}) {
    covered += r.install(id).verdict == Verdict::covered;
    review += r.install(id).exclusion == Exclusion::needs_review;
  }
  EXPECT_EQ(covered, 1);
  EXPECT_EQ(review, 1);
  EXPECT_EQ(r.licence("L-12").consumed + r.licence("L-14").consumed,
            r.install("I-A").verdict == Verdict::covered ? 12 : 9);
}

TEST(SqlCoreFactor, ALicenceRecordOfNoUnitsHoldsNoFactor) {
  // A 2014 record of quantity 0 counts for nothing: the 2019 licences count every core and
  // cover the server, as without the record.
  const auto r = server(2, 16, opteron_8c, "SQL Server 2014 Enterprise",
                        "L-19,sql-server,2019,Enterprise,volume,16,2019-12-01,,\n"
                        "L-0,sql-server,2014,Enterprise,volume,0,2014-06-01,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").demanded, 16);
}

TEST(SqlCoreFactor, UnknownProcessorsOrCoresAreNeverFactored) {
  // SQL7's rows are for processors of 6 or more cores: 16 cores on an unknown number of
  // processors might be 4 x 4 (factor 1), so every core counts.
  const auto processors = server(0, 16, opteron_8c, "SQL Server 2014 Enterprise",
                                 "L-14,sql-server,2014,Enterprise,volume,16,2014-06-01,,\n");
  EXPECT_EQ(processors.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(processors.install("I-1").demanded, 16);
  // Unknown cores: the 4-per-processor minimum of two processors, with no factor.
  const auto cores = server(2, 0, opteron_8c, "SQL Server 2014 Enterprise",
                            "L-14,sql-server,2014,Enterprise,volume,16,2014-06-01,,\n");
  EXPECT_EQ(cores.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(cores.install("I-1").demanded, 8);
}

}  // namespace
}  // namespace trueup
