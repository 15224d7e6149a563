// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/sql_server_test.cpp
//
// SQL Server per core in virtual machines: a VM by its virtual cores (SQL2); an Enterprise host
// licensed whole for its VMs where that needs fewer core licences (SQL4), never Standard
// (SQL5); and, from the 2022 terms, a VM licensed on its own only with Software Assurance or
// subscription (SQL3); SQL Server 2005 to 2008 R2 per processor, a VM by its virtual
// processors, Datacenter never more than the host's processors (SQL8). Each test is the
// published example that motivated the rule.
#include <gtest/gtest.h>

#include <string>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::reconcile_files;

constexpr const char* devices_h = "device_id,kind,processors,cores,host\n";
constexpr const char* installs_h = "install_id,device_id,title,publisher\n";
constexpr const char* entitlements_h =
    "licence_id,family,version,edition,channel,quantity,purchase_date,sa_start,sa_end\n";

/// A host of `processors` x `cores` and `vms` VMs of `vcpus` virtual cores, each running `title`.
test::Reconciled host_with_vms(int processors, int cores, int vms, int vcpus, const std::string& title,
                               const std::string& entitlements) {
  std::string devices =
      std::string(devices_h) + "HV-1,server," + std::to_string(processors) + "," + std::to_string(cores) + ",\n";
  std::string installs = installs_h;
  for (int i = 1; i <= vms; ++i) {
    devices += "VM-" + std::to_string(i) + ",vm,," + std::to_string(vcpus) + ",HV-1\n";
    installs +=
        "I-" + std::to_string(i) + ",VM-" + std::to_string(i) + ",Microsoft " + title + ",Microsoft Corporation\n";
  }
  return reconcile_files(devices, installs, entitlements_h + entitlements);
}

Units demanded(const test::Reconciled& r) {
  Units n = 0;
  for (const auto& v : r.position.installs) n += v.demanded;
  return n;
}

TEST(SqlHostLicensing, AllHostCoresWithSoftwareAssuranceCoverEveryVm) {
  // sqlskills.com SQL101 (SQL4): enough Enterprise core licences for every physical core with
  // SA, "as many VMs with as many vCPUs as you like": six 4-vCPU VMs (24 one by one) on a
  // 2 x 8-core host need the host's 16.
  auto r = host_with_vms(2, 16, 6, 4, "SQL Server 2019 Enterprise",
                         "L-1,sql-server,2019,Enterprise,volume,16,2020-03-01,2020-03-01,2027-02-28\n");
  EXPECT_EQ(r.position.totals.covered, 6u);
  EXPECT_EQ(demanded(r), 16);
  EXPECT_EQ(r.licence("L-1").consumed, 16);
  // The evidence of each VM names the rule, the host and its licence.
  for (const char* id : {"I-1", "I-6"}) {
    EXPECT_TRUE(r.has_evidence(id, RuleStep::Kind::model, "SQL4")) << id;
    EXPECT_TRUE(r.has_evidence(id, RuleStep::Kind::model, "host HV-1")) << id;
    EXPECT_EQ(r.licences_of(id), std::vector<std::string>{"L-1"}) << id;
  }
}

TEST(SqlHostLicensing, WithoutSoftwareAssuranceAsManyVmsAsCoreLicences) {
  // Miro Consulting (SQL4): a dual quad-core server licensed with 8 Enterprise core licences
  // runs Enterprise "in up to eight (8) virtual instances" (32 core licences one by one).
  auto eight =
      host_with_vms(2, 8, 8, 2, "SQL Server 2012 Enterprise", "L-1,sql-server,2012,Enterprise,volume,8,2012-09-01,,\n");
  EXPECT_EQ(eight.position.totals.covered, 8u);
  EXPECT_EQ(demanded(eight), 8);
  // ServiceNow (SQL4): "Each additional virtual machine would require an additional core
  // license": a ninth VM on the same licences leaves one short.
  auto nine =
      host_with_vms(2, 8, 9, 2, "SQL Server 2019 Enterprise", "L-1,sql-server,2019,Enterprise,volume,8,2020-03-01,,\n");
  EXPECT_EQ(demanded(nine), 9);
  EXPECT_EQ(nine.position.totals.covered, 8u);
  EXPECT_EQ(nine.position.totals.shortfall, 1u);
  EXPECT_TRUE(nine.has_evidence("I-9", RuleStep::Kind::model, "one more for each of the 1 VM(s) beyond them"));
}

TEST(SqlHostLicensing, AHostIsLicensedWholeOnlyWhereThatNeedsNoMoreLicences) {
  // One 4-vCPU Enterprise VM on a 2 x 16-core host: 4 core licences for the VM (SQL2), not 32
  // for the host.
  auto r = host_with_vms(2, 32, 1, 4, "SQL Server 2019 Enterprise",
                         "L-1,sql-server,2019,Enterprise,volume,4,2020-03-01,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").demanded, 4);
  EXPECT_FALSE(r.has_evidence("I-1", RuleStep::Kind::model, "SQL4"));
}

TEST(SqlHostLicensing, StandardVmsAreLicensedOneByOne) {
  // sqlservice.se (SQL5): "Licensing individual VMs is the only licensing option available for
  // SQL Server 2012 Standard Edition": four 4-vCPU VMs need 16, the host's 8 cover two.
  auto r = host_with_vms(2, 8, 4, 4, "SQL Server 2012 Standard", "L-1,sql-server,2012,Standard,volume,8,,,\n");
  EXPECT_EQ(demanded(r), 16);
  EXPECT_EQ(r.position.totals.covered, 2u);
  EXPECT_EQ(r.position.totals.shortfall, 2u);
}

TEST(SqlVmLicensing, From2022AVmLicensedOnItsOwnNeedsSoftwareAssurance) {
  // Licensing School, SQL Server 2022 licensing (SQL3): "Licensing by virtual machine with Core
  // licenses is now an SA/Software Subscription benefit": of two 4-vCPU Standard VMs, the one
  // on the licences with SA is covered, the other's 4 without SA are refused.
  auto r = host_with_vms(2, 16, 2, 4, "SQL Server 2022 Standard",
                         "L-SA,sql-server,2022,Standard,volume,4,2023-02-01,2023-02-01,2029-01-31\n"
                         "L-NOSA,sql-server,2022,Standard,volume,4,2023-02-01,,\n");
  EXPECT_EQ(r.position.totals.covered, 1u);
  EXPECT_EQ(r.position.totals.shortfall, 1u);
  EXPECT_EQ(r.licence("L-NOSA").consumed, 0);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::software_assurance, "SQL3"));
  // SA that ended before the as-of date no longer licenses the VM, and the verdict says why.
  auto lapsed = host_with_vms(2, 16, 1, 4, "SQL Server 2022 Standard",
                              "L-1,sql-server,2022,Standard,volume,4,2023-02-01,2023-02-01,2026-01-31\n");
  EXPECT_EQ(lapsed.install("I-1").verdict, Verdict::shortfall);
  EXPECT_NE(lapsed.install("I-1").reason.find("SQL3"), std::string::npos) << lapsed.install("I-1").reason;
}

TEST(SqlVmLicensing, Before2022AVmNeedsNoSoftwareAssurance) {
  // licensing-rules SQL3: the 2012-2019 guides allowed per-VM licensing without SA.
  auto r = host_with_vms(2, 16, 1, 4, "SQL Server 2019 Standard", "L-1,sql-server,2019,Standard,volume,4,,,\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
}

TEST(SqlVmLicensing, A2022PhysicalServerOrWholeHostNeedsNoSoftwareAssurance) {
  // SQL3 concerns VMs licensed on their own: a physical server (SQL1) and an Enterprise host
  // licensed whole without SA for as many VMs as core licences (SQL4) need none.
  auto physical = reconcile_files(std::string(devices_h) + "SRV-1,server,2,8,\n",
                                  std::string(installs_h) + "I-1,SRV-1,Microsoft SQL Server 2022 Standard,Microsoft\n",
                                  std::string(entitlements_h) + "L-1,sql-server,2022,Standard,volume,8,,,\n");
  EXPECT_EQ(physical.install("I-1").verdict, Verdict::covered);
  auto host =
      host_with_vms(2, 8, 4, 4, "SQL Server 2022 Enterprise", "L-1,sql-server,2022,Enterprise,volume,8,2023-02-01,,\n");
  EXPECT_EQ(demanded(host), 8);
  EXPECT_EQ(host.position.totals.covered, 4u);
}

constexpr const char* processor_licences_h = "licence_id,family,version,edition,channel,quantity,metric\n";

TEST(SqlPerProcessor, A2008R2PhysicalServerNeedsOneLicencePerSocket) {
  // Directions on Microsoft (SQL8): the per-processor model "licenses the product for each
  // physical processor (sometimes called a socket)": two quad-core sockets, 2 licences.
  auto r = reconcile_files(std::string(devices_h) + "SRV-1,server,2,8,\n",
                           std::string(installs_h) + "I-1,SRV-1,Microsoft SQL Server 2008 R2 Standard,Microsoft\n",
                           std::string(processor_licences_h) + "L-1,sql-server,2008 R2,Standard,volume,1,processor\n");
  EXPECT_EQ(r.install("I-1").metric, Metric::processor);
  EXPECT_EQ(r.install("I-1").demanded, 2);
  EXPECT_EQ(r.install("I-1").covered, 1);
}

TEST(SqlPerProcessor, A2008R2VmCountsItsVirtualProcessorsInHostProcessors) {
  // Aidan Finn (SQL8): "a 4 vCPU VM running on a host with 2 * quad core CPUs ... just 1 copy
  // of SQL Server per proc"; on dual-core processors the same VM spans 2.
  const std::string lic = std::string(processor_licences_h) + "L-1,sql-server,2008 R2,Standard,volume,1,processor\n";
  const std::string ins = std::string(installs_h) + "I-1,VM-1,Microsoft SQL Server 2008 R2 Standard,Microsoft\n";
  auto quad = reconcile_files(std::string(devices_h) + "HV-1,server,2,8,\nVM-1,vm,,4,HV-1\n", ins, lic);
  EXPECT_EQ(quad.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(quad.install("I-1").demanded, 1);
  auto dual = reconcile_files(std::string(devices_h) + "HV-1,server,2,4,\nVM-1,vm,,4,HV-1\n", ins, lic);
  EXPECT_EQ(dual.install("I-1").demanded, 2);
  EXPECT_EQ(dual.install("I-1").verdict, Verdict::shortfall);
}

TEST(SqlPerProcessor, Datacenter2008R2VmsNeverNeedMoreThanTheHostsProcessors) {
  // Matrix42 (SQL8): five 1-vCPU VMs on a host with 4 dual-core processors, 5 licences one by
  // one, "limited to maximum number = 4 licenses (number of physical processors)".
  std::string devices = std::string(devices_h) + "ESX-1,server,4,8,\n";
  std::string installs = installs_h;
  for (int i = 1; i <= 5; ++i) {
    devices += "VM" + std::to_string(i) + ",vm,,1,ESX-1\n";
    installs +=
        "I-" + std::to_string(i) + ",VM" + std::to_string(i) + ",Microsoft SQL Server 2008 R2 Datacenter,Microsoft\n";
  }
  auto r = reconcile_files(
      devices, installs, std::string(processor_licences_h) + "L-1,sql-server,2008 R2,Datacenter,volume,4,processor\n");
  EXPECT_EQ(demanded(r), 4);
  EXPECT_EQ(r.position.totals.shortfall, 0u);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::model, "SQL8"));
  // Three processor licences leave one short.
  auto three = reconcile_files(
      devices, installs, std::string(processor_licences_h) + "L-1,sql-server,2008 R2,Datacenter,volume,3,processor\n");
  EXPECT_EQ(three.position.totals.shortfall, 1u);
}

}  // namespace
}  // namespace trueup
