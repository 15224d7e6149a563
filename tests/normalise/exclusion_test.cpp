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

// SQL10 (Microsoft Learn, SQL Server editions): Developer "includes all the functionality of
// Enterprise edition, but is licensed for use as a development and test system, not as a
// production server". The published case: the same Developer install on a production server
// and on a test server (tests/conformance/cases/exclusion/sql-server-developer-in-production.toml).
constexpr std::string_view developer_fleet =
    "device_id,kind,processors,cores,environment\n"
    "SRV-PROD,server,1,8,production\n"
    "SRV-TEST,server,1,8,test\n"
    "SRV-DEV,server,1,8,non-production\n"
    "SRV-ANY,server,1,8,\n";
constexpr std::string_view developer_installs =
    "install_id,device_id,title,publisher\n"
    "I-PROD,SRV-PROD,Microsoft SQL Server 2019 Developer,Microsoft Corporation\n"
    "I-TEST,SRV-TEST,Microsoft SQL Server 2019 Developer,Microsoft Corporation\n"
    "I-DEV,SRV-DEV,Microsoft SQL Server 2019 Developer,Microsoft Corporation\n"
    "I-ANY,SRV-ANY,Microsoft SQL Server 2019 Developer,Microsoft Corporation\n";

TEST(Exclusion, DeveloperIsFreeOutsideProductionAndLicensedAsEnterpriseInProduction) {
  auto r = test::reconcile_files(std::string(developer_fleet), std::string(developer_installs),
                                 "licence_id,family,version,edition,channel,quantity\n");
  for (const char* id : {"I-TEST", "I-DEV"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(r.install(id).exclusion, Exclusion::free_edition);
  }
  EXPECT_EQ(r.install("I-DEV").reason,
            "SQL Server 2019 Developer is free outside production, and device SRV-DEV is non-production "
            "(licensing-rules SQL10; Microsoft Learn, SQL Server editions (MicrosoftDocs/sql-docs, "
            "docs/includes/paragraph-content/sql-server-editions.md): Developer \"is licensed for use as a "
            "development and test system, not as a production server\")");

  const InstallVerdict& prod = r.install("I-PROD");
  EXPECT_EQ(prod.verdict, Verdict::shortfall);
  ASSERT_TRUE(prod.product.has_value());
  EXPECT_EQ(test::microsoft_pack().product_name(*prod.product), "SQL Server 2019 Enterprise");
  EXPECT_EQ(prod.demanded, 8);  // every physical core, at least 4 per processor (SQL1)
  ASSERT_FALSE(prod.evidence.empty());
  EXPECT_EQ(prod.evidence.front().kind, RuleStep::Kind::model);
  EXPECT_TRUE(prod.evidence.front().text.starts_with(
      "SQL Server 2019 Developer runs on SRV-PROD, a production device: licensed as SQL Server 2019 Enterprise"))
      << prod.evidence.front().text;

  // Not stated: never assumed free, never counted as Enterprise.
  const InstallVerdict& any = r.install("I-ANY");
  EXPECT_EQ(any.exclusion, Exclusion::needs_review);
  EXPECT_TRUE(
      any.reason.starts_with("SQL Server 2019 Developer is free outside production and licensed as SQL "
                             "Server 2019 Enterprise in production, and devices.csv does not say which "
                             "device SRV-ANY is: state its environment (production or non-production)"))
      << any.reason;
  EXPECT_EQ(r.position.totals.in(Metric::core).demand, 8);
}

TEST(Exclusion, DeveloperInProductionIsCoveredByAnEnterpriseCoreLicence) {
  auto r = test::reconcile_files(std::string(developer_fleet), std::string(developer_installs),
                                 "licence_id,family,version,edition,channel,quantity\n"
                                 "L-1,SQL Server,2019,Enterprise,volume,8\n");
  EXPECT_EQ(r.install("I-PROD").verdict, Verdict::covered);
  EXPECT_EQ(r.licences_of("I-PROD"), std::vector<std::string>{"L-1"});
}

TEST(Exclusion, AnEnvironmentOutsideTheListIsAnErrorNamingTheWords) {
  io::FleetSources src;
  src.devices = "device_id,kind,environment\nPC-1,desktop,staging\n";
  src.installs = std::string(test::installs_header);
  src.entitlements = std::string(test::entitlements_header);
  const auto read = io::parse_fleet(src, test::microsoft_pack());
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(to_string(read.error()[0]),
            "devices.csv:2:14: error[bad-enum]: column `environment`: expected one of unknown, production, "
            "non-production, development, test, found \"staging\"");
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
