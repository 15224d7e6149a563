// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/user_and_access_test.cpp
//
// SQL Server per core and per VM (SQL1, SQL2), per-user subscriptions (DT3) and CALs (CAL1,
// CAL2): each test is the audit case that motivated it.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_files;

constexpr const char* devices_h = "device_id,kind,ownership,status,primary_user,processors,cores,host\n";
constexpr const char* installs_h = "install_id,device_id,title,publisher,version\n";
constexpr const char* entitlements_h = "licence_id,family,version,edition,channel,quantity,metric,unit_cost\n";

std::string dev(std::string rows) { return devices_h + rows; }
std::string ins(std::string rows) { return installs_h + rows; }
std::string ent(std::string rows) { return entitlements_h + rows; }

TEST(SqlServerPerCore, AVmWithTwoVirtualCoresNeedsFourCoreLicences) {
  auto r = reconcile_files(dev("HV-1,server,owned,active,,2,32,\nVM-1,vm,owned,active,,,2,HV-1\n"),
                           ins("I-1,VM-1,Microsoft SQL Server 2019 Standard,Microsoft Corporation,\n"),
                           ent("L-1,sql-server,2019,Standard,volume,4,,\n"));
  const auto& v = r.install("I-1");
  EXPECT_EQ(v.verdict, Verdict::covered);
  EXPECT_EQ(v.metric, Metric::core);
  EXPECT_EQ(v.demanded, 4);
}

TEST(SqlServerPerCore, APhysicalServerNeedsEveryCoreAndFourPerProcessor) {
  auto r = reconcile_files(dev("DB-1,server,owned,active,,2,6,\nDB-2,server,owned,active,,2,12,\n"),
                           ins("I-1,DB-1,Microsoft SQL Server 2022 Enterprise,Microsoft Corporation,\n"
                               "I-2,DB-2,Microsoft SQL Server 2022 Enterprise,Microsoft Corporation,\n"),
                           ent("L-1,sql-server,2022,Enterprise,volume,20,,\n"));
  EXPECT_EQ(r.install("I-1").demanded, 8);   // 2 processors x 4 minimum > 6 cores
  EXPECT_EQ(r.install("I-2").demanded, 12);  // every core
  EXPECT_EQ(r.position.totals.shortfall, 0u);
}

TEST(SqlServerPerCore, ExpressIsFree) {
  auto r = reconcile_files(dev("PC-1,desktop,owned,active,,1,4,\n"),
                           ins("I-1,PC-1,Microsoft SQL Server 2019 Express,Microsoft Corporation,\n"), ent(""));
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::free_edition);
}

std::string pcs_of(const std::string& user, int n, const char* kind = "desktop", const std::string& prefix = "PC") {
  std::string rows;
  for (int i = 1; i <= n; ++i)
    rows += prefix + "-" + user + "-" + std::to_string(i) + "," + kind + ",owned,active," + user + ",,,\n";
  return rows;
}
std::string apps_on(const std::string& user, int n, const std::string& prefix = "PC") {
  std::string rows;
  for (int i = 1; i <= n; ++i)
    rows += "I-" + prefix + "-" + user + "-" + std::to_string(i) + "," + prefix + "-" + user + "-" + std::to_string(i) +
            ",Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0.17328.20162\n";
  return rows;
}

TEST(PerUserSubscription, AUserWithSixPcsNeedsAPerDeviceLicenceForTheSixth) {
  auto r = reconcile_files(dev(pcs_of("ann", 6)), ins(apps_on("ann", 6)),
                           ent("L-1,m365-apps,current,enterprise,subscription,1,user,\n"
                               "L-2,m365-apps,current,enterprise,subscription,1,device,\n"));
  const auto& u = r.user("ann");
  EXPECT_EQ(u.devices, 6u);
  EXPECT_TRUE(u.user_licence_owned);
  EXPECT_EQ(u.under_user_licence, 5u);
  EXPECT_EQ(u.device_licences, 1u);
  EXPECT_EQ(u.device_short, 0u);
  EXPECT_EQ(r.install("I-PC-ann-1").metric, Metric::user);
  EXPECT_EQ(r.install("I-PC-ann-2").verdict, Verdict::duplicate);
  EXPECT_EQ(r.install("I-PC-ann-6").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-PC-ann-6").metric, Metric::device);
  EXPECT_EQ(r.licences_of("I-PC-ann-6"), std::vector<std::string>{"L-2"});
  EXPECT_EQ(r.position.totals.shortfall, 0u);
}

TEST(PerUserSubscription, ASecondCopyOnADeviceCarriedByTheUsersLicenceNamesTheCarrier) {
  // Found by fuzzing (docs/testing.md): a user's Microsoft 365 Apps on two VMs, twice on one of
  // them, and no licence at all. The second VM is carried by the user's (missing) licence on the
  // first; its second copy was a duplicate of a duplicate, and the run stopped with exit 3.
  auto r = reconcile_files(
      dev("D-0,server,owned,active,ann,4,32,\nD-6,vm,owned,active,ann,,64,D-0\nD-7,vm,owned,active,ann,,64,D-0\n"),
      ins("I-1,D-7,Microsoft 365 Apps for enterprise,Microsoft Corporation,\n"
          "I-2,D-7,Microsoft 365 Apps for enterprise,Microsoft Corporation,\n"
          "I-10,D-6,Microsoft 365 Apps for enterprise,Microsoft Corporation,\n"),
      ent(""));
  EXPECT_TRUE(check_accounting(r.position, r.fleet));
  EXPECT_EQ(r.position.totals.shortfall, 1u);  // one user licence to buy
  EXPECT_EQ(r.position.totals.duplicate, 2u);
  const InstallVerdict& copy = r.install("I-2");
  ASSERT_EQ(copy.verdict, Verdict::duplicate);
  const InstallVerdict& carrier = r.position.installs.at(copy.duplicate_of.value);
  EXPECT_EQ(carrier.verdict, Verdict::shortfall);
  EXPECT_NE(copy.reason.find("duplicate of I-1 on D-7, which is covered by the user licence of ann"), std::string::npos)
      << copy.reason;
}

TEST(PerUserSubscription, DevicesWithoutAPrimaryUserAreShortAndOneWarningSaysWhy) {
  // User subscriptions are owned but the inventory names no primary user: every install is
  // short of a per-device licence, and one warning gives the count and the column to fill.
  auto r = reconcile_files(
      dev("PC-1,desktop,owned,active,,,,\nPC-2,desktop,owned,active,,,,\nPC-3,desktop,owned,active,,,,\n"),
      ins("I-1,PC-1,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,\n"
          "I-2,PC-2,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,\n"
          "I-3,PC-3,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,\n"),
      ent("L-1,m365-apps,current,enterprise,subscription,3,user,\n"));
  EXPECT_EQ(r.position.totals.shortfall, 3u);
  ASSERT_EQ(r.position.warnings.size(), 1u);
  EXPECT_EQ(r.position.warnings[0].code, "no-primary-user");
  EXPECT_NE(r.position.warnings[0].message.find("found 3 device(s) without one"), std::string::npos);
  EXPECT_NE(r.position.warnings[0].message.find("fill the devices' primary_user column"), std::string::npos);
  // With the users named, the same licences cover all three.
  auto named = reconcile_files(
      dev("PC-1,desktop,owned,active,ann,,,\nPC-2,desktop,owned,active,bob,,,\nPC-3,desktop,owned,active,cy,,,\n"),
      ins("I-1,PC-1,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,\n"
          "I-2,PC-2,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,\n"
          "I-3,PC-3,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,\n"),
      ent("L-1,m365-apps,current,enterprise,subscription,3,user,\n"));
  EXPECT_EQ(named.position.totals.shortfall, 0u);
  EXPECT_TRUE(named.position.warnings.empty());
}

TEST(PerUserSubscription, WithoutAPerDeviceLicenceTheSixthPcIsShort) {
  auto r = reconcile_files(dev(pcs_of("ann", 6)), ins(apps_on("ann", 6)),
                           ent("L-1,m365-apps,current,enterprise,subscription,1,user,\n"));
  EXPECT_EQ(r.install("I-PC-ann-6").verdict, Verdict::shortfall);
  EXPECT_EQ(r.user("ann").device_short, 1u);
}

TEST(PerUserSubscription, TabletsAndPhonesHaveTheirOwnAllowances) {
  auto r = reconcile_files(dev(pcs_of("bob", 5) + pcs_of("bob", 2, "tablet", "TAB") + pcs_of("bob", 1, "phone", "PH")),
                           ins(apps_on("bob", 5) + apps_on("bob", 2, "TAB") + apps_on("bob", 1, "PH")),
                           ent("L-1,m365-apps,current,enterprise,subscription,1,user,\n"));
  EXPECT_EQ(r.user("bob").under_user_licence, 8u);
  EXPECT_EQ(r.position.totals.shortfall, 0u);
}

TEST(PerUserSubscription, TheFewestLicencesToBuyDecideWhoGetsAUserLicence) {
  // One owned user licence, no device licences: it goes to the user with the most devices
  // (carol, 4), so only dave's 1 device needs buying; the other way round 4 would.
  auto r = reconcile_files(dev(pcs_of("carol", 4) + pcs_of("dave", 1)), ins(apps_on("carol", 4) + apps_on("dave", 1)),
                           ent("L-1,m365-apps,current,enterprise,subscription,1,user,\n"));
  EXPECT_TRUE(r.user("carol").user_licence_owned);
  EXPECT_EQ(r.position.totals.shortfall, 1u);
}

TEST(PerUserSubscription, AUserWithOnePcIsCheaperPerDevice) {
  // Buying: a user licence 12.00 or a device licence 10.00 for one PC: the device licence.
  auto r = reconcile_files(dev(pcs_of("erin", 1)), ins(apps_on("erin", 1)),
                           ent("P-1,m365-apps,current,enterprise,subscription,0,user,12.00\n"
                               "P-2,m365-apps,current,enterprise,subscription,0,device,10.00\n"));
  EXPECT_FALSE(r.user("erin").user_licence);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "10.00");
}

// --- CALs ------------------------------------------------------------------------------

const char* server_devices =
    "SRV-12,server,owned,active,,2,8,\nSRV-16,server,owned,active,,2,8,\n"
    "KIOSK,desktop,owned,active,,,,\nPC-A,desktop,owned,active,ann,,,\nPC-B1,desktop,owned,active,bob,,,\n"
    "PC-B2,laptop,owned,active,bob,,,\n";
const char* server_installs =
    "I-1,SRV-12,Microsoft Windows Server 2012 R2 Standard,Microsoft Corporation,\n"
    "I-2,SRV-16,Microsoft Windows Server 2016 Standard,Microsoft Corporation,\n";
const char* server_licences =
    "S-1,windows-server,2012 R2,Standard,volume,1,,\nS-2,windows-server,2016,Standard,volume,16,,\n";

TEST(Cals, ASharedKioskTakesOneDeviceCalAndARoamingUserOneUserCal) {
  // Three users on the kiosk: one device CAL beats three user CALs. Bob on two PCs: one user
  // CAL beats two device CALs.
  const std::string access =
      "server_id,user,device_id\nSRV-12,ann,KIOSK\nSRV-12,bob,KIOSK\nSRV-12,cy,KIOSK\n"
      "SRV-12,bob,PC-B1\nSRV-12,bob,PC-B2\n";
  auto r =
      reconcile_files(dev(server_devices), ins(server_installs),
                      ent(std::string(server_licences) + "P-1,windows-server-cal,2012,CAL,volume,0,user-cal,30.00\n"
                                                         "P-2,windows-server-cal,2012,CAL,volume,0,device-cal,30.00\n"),
                      access);
  ASSERT_EQ(r.position.cals.size(), 2u);
  EXPECT_EQ(r.position.cals[0].metric, Metric::user_cal);
  EXPECT_EQ(r.position.cals[0].holder, "bob");
  EXPECT_EQ(r.position.cals[1].metric, Metric::device_cal);
  EXPECT_EQ(r.position.cals[1].holder, "KIOSK");
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "60.00");
}

TEST(Cals, AnEssentialsServerNeedsNoCals) {
  // W12-3: "the simplified licensing model for Essentials does not use or include any CALs".
  // Users of an Essentials server demand no CAL; the same users of a Standard server do.
  const std::string access = "server_id,user,device_id\nSRV-E,ann,PC-A\nSRV-E,bob,PC-B1\nSRV-16,ann,PC-A\n";
  auto r = reconcile_files(
      dev(std::string(server_devices) + "SRV-E,server,owned,active,,1,8,\n"),
      ins(std::string(server_installs) + "I-3,SRV-E,Microsoft Windows Server 2019 Essentials,Microsoft Corporation,\n"),
      ent(std::string(server_licences) + "S-3,windows-server,2019,Essentials,volume,1,server,\n"
                                         "P-1,windows-server-cal,2016,CAL,volume,0,user-cal,30.00\n"),
      access);
  EXPECT_EQ(r.install("I-3").verdict, Verdict::covered);
  EXPECT_FALSE(r.server("SRV-E").needs_cals);
  ASSERT_EQ(r.position.cals.size(), 1u);  // ann, for SRV-16 only
  EXPECT_EQ(r.position.cals[0].holder, "ann");
  EXPECT_EQ(r.position.totals.in(Metric::user_cal).demand, 1);
}

TEST(Cals, A2012CalGivesAccessTo2012R2ButNotTo2016) {
  const std::string access = "server_id,user,device_id\nSRV-12,ann,\nSRV-16,bob,\n";
  auto r = reconcile_files(dev(server_devices), ins(server_installs),
                           ent(std::string(server_licences) + "C-1,windows-server-cal,2012,CAL,volume,2,user-cal,\n"),
                           access);
  ASSERT_EQ(r.position.cals.size(), 2u);
  EXPECT_EQ(r.position.cals[0].holder, "ann");
  EXPECT_EQ(r.position.cals[0].covered, 1);
  EXPECT_EQ(r.position.cals[1].holder, "bob");
  EXPECT_EQ(r.position.cals[1].covered, 0);  // needs a 2016 CAL
  EXPECT_EQ(r.licence("C-1").consumed, 1);
}

TEST(Cals, OwnedCalsAreUsedBeforeAnythingIsBought) {
  // Bob on two PCs, but the organisation owns 2 device CALs and no user CAL: cover the two
  // PCs with what is owned rather than buy a user CAL.
  const std::string access = "server_id,user,device_id\nSRV-16,bob,PC-B1\nSRV-16,bob,PC-B2\n";
  auto r = reconcile_files(dev(server_devices), ins(server_installs),
                           ent(std::string(server_licences) + "C-1,windows-server-cal,2019,CAL,volume,2,device-cal,\n"),
                           access);
  ASSERT_EQ(r.position.cals.size(), 2u);
  EXPECT_EQ(r.position.cals[0].metric, Metric::device_cal);
  EXPECT_EQ(r.position.cals[0].covered + r.position.cals[1].covered, 2);
  EXPECT_EQ(r.position.totals.in(Metric::device_cal).shortfall, 0);
}

TEST(Cals, AccessRowsNeedAUserOrADevice) {
  io::FleetSources src;
  src.devices = dev(server_devices);
  src.installs = ins(server_installs);
  src.entitlements = ent(server_licences);
  src.access = "server_id,user,device_id\nSRV-12,,\nNOPE,ann,\n";
  auto read = io::parse_fleet(src, test::microsoft_pack());
  ASSERT_FALSE(read);
  ASSERT_EQ(read.error().size(), 2u);
  EXPECT_EQ(read.error()[0].file, "access.csv");
  EXPECT_EQ(read.error()[0].line, 2u);
  EXPECT_EQ(read.error()[0].code, "empty-value");
  EXPECT_EQ(read.error()[1].code, "unknown-device");
}

TEST(EntitlementMetric, AMetricTheFamilyDoesNotAllowIsAnError) {
  io::FleetSources src;
  src.devices = dev("PC-1,desktop,owned,active,,,,\n");
  src.installs = ins("");
  src.entitlements = ent("L-1,office,2019,Professional Plus,volume,1,user,\n");
  auto read = io::parse_fleet(src, test::microsoft_pack());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error()[0].code, "bad-metric");
  EXPECT_EQ(read.error()[0].column, 44u);
}

TEST(Cals, AServerOlderThanEveryCalVersionNeedsAnyCal) {
  auto r = reconcile_files(
      dev("SRV-03,server,owned,active,,1,2,\nPC-A,desktop,owned,active,ann,,,\n"),
      ins("I-1,SRV-03,Microsoft Windows Server 2003 Standard,Microsoft Corporation,\n"),
      ent("S-1,windows-server,2003,Standard,volume,1,,\nC-1,windows-server-cal,2008,CAL,volume,1,user-cal,\n"),
      std::string("server_id,user,device_id\nSRV-03,ann,PC-A\n"));
  ASSERT_EQ(r.position.cals.size(), 1u);
  EXPECT_EQ(r.position.cals[0].covered, 1);
}

// --- RDS CALs (CAL3) ---------------------------------------------------------------------

/// The CAL entries of `holder` by product name ("Windows Server RDS CAL 2022": covered).
std::map<std::string, Units> cals_of(const test::Reconciled& r, const std::string& holder) {
  std::map<std::string, Units> out;
  for (const CalPosition& c : r.position.cals)
    if (c.holder == holder) out[test::microsoft_pack().product_name(c.product)] = c.covered;
  return out;
}

TEST(RdsCals, ARemoteDesktopSessionNeedsAnRdsCalBesidesTheWindowsServerCal) {
  // CAL3: RDS CALs are additive. Ann works on the 2016 session host over Remote Desktop; bob
  // only uses its file shares. Both need a Windows Server CAL; only ann an RDS CAL.
  const std::string access = "server_id,user,device_id,service\nSRV-16,ann,PC-A,Remote-Desktop\nSRV-16,bob,PC-B1,\n";
  auto r =
      reconcile_files(dev(server_devices), ins(server_installs),
                      ent(std::string(server_licences) + "C-1,windows-server-cal,2016,CAL,volume,2,user-cal,\n"
                                                         "R-1,windows-server-rds-cal,2016,CAL,volume,1,user-cal,\n"),
                      access);
  EXPECT_EQ(cals_of(r, "ann"),
            (std::map<std::string, Units>{{"Windows Server CAL 2016", 1}, {"Windows Server RDS CAL 2016", 1}}));
  EXPECT_EQ(cals_of(r, "bob"), (std::map<std::string, Units>{{"Windows Server CAL 2016", 1}}));
  EXPECT_EQ(r.licence("R-1").consumed, 1);
  EXPECT_EQ(r.position.totals.in(Metric::user_cal).shortfall, 0);
}

TEST(RdsCals, AnOlderRdsCalDoesNotServeANewerSessionHostButANewerOneServesAnOlder) {
  // CAL3, brytesoft.com: "to connect to a Windows Server 2022 RD session host, you need an RDS
  // 2022 CAL or newer. That same RDS 2022 CAL can also be used to access Windows Server 2016 or
  // 2019 session hosts." RDS 2012 CALs serve a 2012 R2 host (the latest released before it).
  const std::string access =
      "server_id,user,device_id,service\nSRV-22,ann,,remote-desktop\nSRV-16,bob,,remote-desktop\n"
      "SRV-12,cy,,remote-desktop\n";
  auto r = reconcile_files(
      dev(std::string(server_devices) + "SRV-22,server,owned,active,,2,8,\n"),
      ins(std::string(server_installs) + "I-3,SRV-22,Microsoft Windows Server 2022 Standard,Microsoft Corporation,\n"),
      ent(std::string(server_licences) + "S-3,windows-server,2022,Standard,volume,16,,\n"
                                         "C-1,windows-server-cal,2022,CAL,volume,3,user-cal,\n"
                                         "R-16,windows-server-rds-cal,2016,CAL,volume,1,user-cal,\n"
                                         "R-22,windows-server-rds-cal,2022,CAL,volume,1,user-cal,\n"
                                         "R-12,windows-server-rds-cal,2012,CAL,volume,1,user-cal,\n"),
      access);
  // Owned CALs go to the holders that need the newest first: the 2022 CAL to ann, the 2016 CAL
  // to bob, the 2012 CAL to cy.
  EXPECT_EQ(cals_of(r, "ann").at("Windows Server RDS CAL 2022"), 1);
  EXPECT_EQ(cals_of(r, "bob").at("Windows Server RDS CAL 2016"), 1);
  EXPECT_EQ(cals_of(r, "cy").at("Windows Server RDS CAL 2012"), 1);
  EXPECT_EQ(r.position.totals.in(Metric::user_cal).shortfall, 0);

  // Without the 2022 RDS CAL, ann's session is short even though an RDS 2016 CAL is free.
  auto short_of = reconcile_files(
      dev(std::string(server_devices) + "SRV-22,server,owned,active,,2,8,\n"),
      ins(std::string(server_installs) + "I-3,SRV-22,Microsoft Windows Server 2022 Standard,Microsoft Corporation,\n"),
      ent(std::string(server_licences) + "S-3,windows-server,2022,Standard,volume,16,,\n"
                                         "C-1,windows-server-cal,2022,CAL,volume,1,user-cal,\n"
                                         "R-16,windows-server-rds-cal,2016,CAL,volume,2,user-cal,\n"),
      std::string("server_id,user,device_id,service\nSRV-22,ann,,remote-desktop\n"));
  EXPECT_EQ(cals_of(short_of, "ann"),
            (std::map<std::string, Units>{{"Windows Server CAL 2022", 1}, {"Windows Server RDS CAL 2022", 0}}));
  EXPECT_EQ(short_of.licence("R-16").consumed, 0);
}

TEST(RdsCals, ASessionHostLicensesItsSessionsPerUserOrPerDeviceNeverBoth) {
  // The kiosk case of CALs (three users on KIOSK, bob on two PCs), over Remote Desktop to one
  // session host. Windows Server CALs may mix: one device CAL (KIOSK) and one user CAL (bob).
  // RDS CALs follow the host's licensing mode: Per User takes ann, bob and cy, Per Device
  // KIOSK, PC-B1 and PC-B2: three either way, never the two of a mix.
  const std::string access =
      "server_id,user,device_id,service\nSRV-16,ann,KIOSK,remote-desktop\nSRV-16,bob,KIOSK,remote-desktop\n"
      "SRV-16,cy,KIOSK,remote-desktop\nSRV-16,bob,PC-B1,remote-desktop\nSRV-16,bob,PC-B2,remote-desktop\n";
  auto r =
      reconcile_files(dev(server_devices), ins(server_installs),
                      ent(std::string(server_licences) + "C-1,windows-server-cal,2016,CAL,volume,0,user-cal,\n"
                                                         "C-2,windows-server-cal,2016,CAL,volume,0,device-cal,\n"
                                                         "R-1,windows-server-rds-cal,2016,CAL,volume,0,user-cal,\n"
                                                         "R-2,windows-server-rds-cal,2016,CAL,volume,0,device-cal,\n"),
                      access);
  std::size_t cals = 0, rds_user = 0, rds_device = 0;
  for (const CalPosition& c : r.position.cals) {
    if (test::microsoft_pack().product_name(c.product) == "Windows Server CAL 2016")
      ++cals;
    else
      (c.metric == Metric::user_cal ? rds_user : rds_device) += 1;
  }
  EXPECT_EQ(cals, 2u);
  EXPECT_EQ(rds_user + rds_device, 3u);
  EXPECT_TRUE(rds_user == 0 || rds_device == 0) << rds_user << " user and " << rds_device << " device RDS CALs";

  // Two hosts: each takes its own mode. KIOSK's three users on SRV-16 (Per Device: one CAL),
  // bob on two PCs on SRV-12 (Per User: one CAL).
  const std::string two_hosts =
      "server_id,user,device_id,service\nSRV-16,ann,KIOSK,remote-desktop\nSRV-16,cy,KIOSK,remote-desktop\n"
      "SRV-16,dan,KIOSK,remote-desktop\nSRV-12,bob,PC-B1,remote-desktop\nSRV-12,bob,PC-B2,remote-desktop\n";
  auto two = reconcile_files(
      dev(server_devices), ins(server_installs),
      ent(std::string(server_licences) + "R-1,windows-server-rds-cal,2016,CAL,volume,0,user-cal,\n"), two_hosts);
  std::map<std::string, Metric> rds;
  for (const CalPosition& c : two.position.cals)
    if (test::microsoft_pack().family(c.product.family).id == "windows-server-rds-cal") rds[c.holder] = c.metric;
  EXPECT_EQ(rds, (std::map<std::string, Metric>{{"KIOSK", Metric::device_cal}, {"bob", Metric::user_cal}}));
}

TEST(RdsCals, AnAccessNamingOnlyAUserOrOnlyADeviceDecidesTheHostsMode) {
  // The kiosk's three users again, and dan whose device is not known: the host cannot be Per
  // Device (dan's device would need a CAL nobody can name), so it is Per User: four user RDS
  // CALs, none for KIOSK, though one device CAL would cover the kiosk's three.
  const std::string access =
      "server_id,user,device_id,service\nSRV-16,ann,KIOSK,remote-desktop\nSRV-16,bob,KIOSK,remote-desktop\n"
      "SRV-16,cy,KIOSK,remote-desktop\nSRV-16,dan,,remote-desktop\n";
  auto r = reconcile_files(dev(server_devices), ins(server_installs), ent(server_licences), access);
  std::map<std::string, Metric> rds;
  for (const CalPosition& c : r.position.cals)
    if (test::microsoft_pack().family(c.product.family).id == "windows-server-rds-cal") rds[c.holder] = c.metric;
  EXPECT_EQ(
      rds,
      (std::map<std::string, Metric>{
          {"ann", Metric::user_cal}, {"bob", Metric::user_cal}, {"cy", Metric::user_cal}, {"dan", Metric::user_cal}}));
  EXPECT_TRUE(std::none_of(r.position.warnings.begin(), r.position.warnings.end(),
                           [](const Diagnostic& d) { return d.code == "cal-mode-undecided"; }));

  // A host with an access naming only a user and one naming only a device: undecided, said.
  auto mixed = reconcile_files(dev(server_devices), ins(server_installs), ent(server_licences),
                               std::string("server_id,user,device_id,service\nSRV-16,dan,,remote-desktop\n"
                                           "SRV-16,,KIOSK,remote-desktop\n"));
  const auto undecided = std::find_if(mixed.position.warnings.begin(), mixed.position.warnings.end(),
                                      [](const Diagnostic& d) { return d.code == "cal-mode-undecided"; });
  ASSERT_NE(undecided, mixed.position.warnings.end());
  EXPECT_NE(undecided->message.find("SRV-16 through remote-desktop"), std::string::npos) << undecided->message;
}

TEST(RdsCals, UsersOnTheirOwnPcsTakeTheirHostsModeAndOwnedCalsDecideIt) {
  // Users on their own PC (lone pairs, counted per host and level): SRV-16's three users and
  // SRV-12's two. Three RDS user CALs and two device CALs are owned: SRV-16 Per User, SRV-12
  // Per Device, nothing to buy. Pat reaches both hosts from one PC: pat needs the user CAL of
  // SRV-16's mode and the device CAL of SRV-12's, so one more of each is short.
  std::string devices(server_devices);
  std::string access = "server_id,user,device_id,service\n";
  for (const char* u : {"u1", "u2", "u3"}) {
    devices += std::string("PC-") + u + ",desktop,owned,active," + u + ",,,\n";
    access += std::string("SRV-16,") + u + ",PC-" + u + ",remote-desktop\n";
  }
  for (const char* u : {"u4", "u5"}) {
    devices += std::string("PC-") + u + ",desktop,owned,active," + u + ",,,\n";
    access += std::string("SRV-12,") + u + ",PC-" + u + ",remote-desktop\n";
  }
  const std::string licences = std::string(server_licences) +
                               "R-U,windows-server-rds-cal,2016,CAL,volume,3,user-cal,\n"
                               "R-D,windows-server-rds-cal,2016,CAL,volume,2,device-cal,\n";
  auto r = reconcile_files(dev(devices), ins(server_installs), ent(licences), access);
  std::map<std::string, Metric> rds;
  Units short_rds = 0;
  for (const CalPosition& c : r.position.cals)
    if (test::microsoft_pack().family(c.product.family).id == "windows-server-rds-cal") {
      rds[c.holder] = c.metric;
      short_rds += 1 - c.covered;
    }
  EXPECT_EQ(rds, (std::map<std::string, Metric>{{"u1", Metric::user_cal},
                                                {"u2", Metric::user_cal},
                                                {"u3", Metric::user_cal},
                                                {"PC-u4", Metric::device_cal},
                                                {"PC-u5", Metric::device_cal}}));
  EXPECT_EQ(short_rds, 0);

  devices += "PC-pat,desktop,owned,active,pat,,,\n";
  access += "SRV-16,pat,PC-pat,remote-desktop\nSRV-12,pat,PC-pat,remote-desktop\n";
  auto both = reconcile_files(dev(devices), ins(server_installs), ent(licences), access);
  std::map<std::string, Metric> pat;
  for (const CalPosition& c : both.position.cals)
    if (test::microsoft_pack().family(c.product.family).id == "windows-server-rds-cal" &&
        (c.holder == "pat" || c.holder == "PC-pat"))
      pat[c.holder] = c.metric;
  EXPECT_EQ(pat, (std::map<std::string, Metric>{{"PC-pat", Metric::device_cal}, {"pat", Metric::user_cal}}));
}

TEST(RdsCals, AServiceTheRulePackDoesNotNameIsAnErrorNotPlainAccess) {
  io::FleetSources src;
  src.devices = dev(server_devices);
  src.installs = ins(server_installs);
  src.entitlements = ent(server_licences);
  src.access = "server_id,user,device_id,service\nSRV-16,ann,,rds\n";
  auto read = io::parse_fleet(src, test::microsoft_pack());
  ASSERT_FALSE(read);
  ASSERT_EQ(read.error().size(), 1u);
  EXPECT_EQ(read.error()[0].code, "unknown-service");
  EXPECT_EQ(read.error()[0].line, 2u);
  EXPECT_EQ(read.error()[0].column, 13u);
  EXPECT_NE(read.error()[0].message.find("expected one of remote-desktop"), std::string::npos)
      << read.error()[0].message;
}

}  // namespace
}  // namespace trueup
