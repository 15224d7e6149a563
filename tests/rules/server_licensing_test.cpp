// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/server_licensing_test.cpp
//
// Windows Server licensed whole on its physical host (WS1-WS9, W12-1/2, §7.3, §7.4): the
// model is the licence's, Standard stacks per 2 OSEs, Datacenter covers any number, and the
// choice between them is a cost decision. Each test is the audit case that motivated it.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup {
namespace {

using test::reconcile_files;

constexpr const char* devices_h = "device_id,kind,ownership,status,processors,cores,host\n";
constexpr const char* installs_h = "install_id,device_id,title,publisher\n";
constexpr const char* entitlements_h = "licence_id,family,version,edition,channel,quantity,device_id,unit_cost\n";

std::string dev(std::string rows) { return devices_h + rows; }
std::string ins(std::string rows) { return installs_h + rows; }
std::string ent(std::string rows) { return entitlements_h + rows; }

const LicensingTerms& terms(std::string_view version, std::string_view edition) {
  const RulePack& pack = test::microsoft_pack();
  const Family& f = pack.family(*pack.find_family("windows-server"));
  const LicensingTerms* t = f.terms_for(*f.find_version(version), *f.find_edition(edition));
  if (t == nullptr) throw std::logic_error("no terms");
  return *t;
}

TEST(PerCore, TwoProcessorsOfFourCoresNeedSixteenCoreLicences) {
  EXPECT_EQ(rules::host_units(terms("2022", "Standard"), 2, 8, 1).units, 16);
  auto r = reconcile_files(dev("SRV-1,server,owned,active,2,8,\n"),
                           ins("I-1,SRV-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2022,Standard,volume,16,,\n"));
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").demanded, 16);
  EXPECT_EQ(r.server("SRV-1").required, 16);
  EXPECT_EQ(r.server("SRV-1").model, "per core (2016 and later)");
}

TEST(PerCore, FourProcessorsOfFourCoresNeedThirtyTwo) {
  // WS9: 4 processors need 16 two-core packs whatever the cores up to 8 per processor.
  EXPECT_EQ(rules::host_units(terms("2022", "Standard"), 4, 16, 1).units, 32);
  auto r = reconcile_files(dev("SRV-1,server,owned,active,4,16,\n"),
                           ins("I-1,SRV-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2022,Standard,volume,16,,61.00\n"));
  const auto& v = r.install("I-1");
  EXPECT_EQ(v.verdict, Verdict::shortfall);
  EXPECT_EQ(v.demanded, 32);
  EXPECT_EQ(v.covered, 16);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "976.00");
}

TEST(PerCore, EveryCoreCountsAboveTheMinimums) {
  EXPECT_EQ(rules::host_units(terms("2019", "Standard"), 2, 17, 1).units, 17);
  EXPECT_EQ(rules::host_units(terms("2019", "Standard"), 1, 4, 1).units, 16);
  EXPECT_EQ(rules::host_units(terms("2019", "Standard"), 1, 20, 1).units, 20);
}

TEST(Virtualisation, SixteenCoreHostWithFourStandardVmsNeedsThirtyTwoStandardOrSixteenDatacenter) {
  const std::string devices =
      dev("HV-1,server,owned,active,2,16,\n"
          "VM-1,vm,owned,active,,,HV-1\nVM-2,vm,owned,active,,,HV-1\nVM-3,vm,owned,active,,,HV-1\n"
          "VM-4,vm,owned,active,,,HV-1\n");
  const std::string installs =
      ins("I-1,VM-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
          "I-2,VM-2,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
          "I-3,VM-3,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
          "I-4,VM-4,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n");
  EXPECT_EQ(rules::host_units(terms("2022", "Standard"), 2, 16, 4).units, 32);
  EXPECT_EQ(rules::host_units(terms("2022", "Datacenter"), 2, 16, 4).units, 16);

  // 32 Standard core licences: covered, stacked twice.
  auto standard = reconcile_files(devices, installs, ent("L-1,windows-server,2022,Standard,volume,32,,\n"));
  EXPECT_EQ(standard.server("HV-1").oses, 4u);
  EXPECT_EQ(standard.server("HV-1").required, 32);
  EXPECT_EQ(standard.server("HV-1").covered, 32);
  EXPECT_EQ(standard.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(standard.install("I-2").verdict, Verdict::duplicate);
  EXPECT_NE(standard.install("I-2").reason.find("an OSE on host HV-1"), std::string::npos);

  // 16 Datacenter core licences cover the same host (unlimited OSEs, down-edition to Standard).
  auto datacenter = reconcile_files(devices, installs, ent("L-1,windows-server,2022,Datacenter,volume,16,,\n"));
  EXPECT_EQ(datacenter.server("HV-1").required, 16);
  EXPECT_EQ(datacenter.server("HV-1").covered, 16);
  EXPECT_EQ(datacenter.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(datacenter.has_evidence("I-1", RuleStep::Kind::down_edition, "Datacenter → Standard"));

  // 16 Standard core licences: half of what the Standard model needs.
  auto short_ = reconcile_files(devices, installs, ent("L-1,windows-server,2022,Standard,volume,16,,\n"));
  EXPECT_EQ(short_.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(short_.install("I-1").demanded, 32);
  EXPECT_EQ(short_.install("I-1").covered, 16);
}

TEST(Virtualisation, StandardOrDatacenterIsACostDecision) {
  // 16 cores, nothing owned but the price list (zero-quantity records). 6 VMs: Standard needs
  // 48 x 60 = 2880, Datacenter 16 x 350 = 5600: buy Standard. 12 VMs: 96 x 60 = 5760 > 5600:
  // buy Datacenter.
  auto run = [](int vms) {
    std::string devices = "HV-1,server,owned,active,1,16,\n", installs;
    for (int i = 1; i <= vms; ++i) {
      devices += "VM-" + std::to_string(i) + ",vm,owned,active,,,HV-1\n";
      installs += "I-" + std::to_string(i) + ",VM-" + std::to_string(i) +
                  ",Microsoft Windows Server 2022 Standard,Microsoft Corporation\n";
    }
    return reconcile_files(dev(devices), ins(installs),
                           ent("P-1,windows-server,2022,Standard,volume,0,,60.00\n"
                               "P-2,windows-server,2022,Datacenter,volume,0,,350.00\n"));
  };
  auto six = run(6);
  EXPECT_EQ(
      six.server("HV-1").edition,
      *test::microsoft_pack().family(*test::microsoft_pack().find_family("windows-server")).find_edition("Standard"));
  EXPECT_EQ(six.server("HV-1").required, 48);
  EXPECT_EQ(six.position.totals.true_up_cost.str(), "2880.00");
  auto twelve = run(12);
  EXPECT_EQ(twelve.server("HV-1").required, 16);
  EXPECT_EQ(twelve.position.totals.true_up_cost.str(), "5600.00");
}

TEST(LicensingModel, A2012R2ServerCoveredByA2012R2ProcessorLicenceIsCompliantWhateverItsCores) {
  // The auditor counts 24 cores by 2016 rules; the licence held is a 2012 R2 processor licence
  // (one per 2 processors: W12-1).
  auto r = reconcile_files(dev("SRV-OLD,server,owned,active,2,24,\n"),
                           ins("I-1,SRV-OLD,Microsoft Windows Server 2012 R2 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2012 R2,Standard,volume,1,,\n"));
  const auto& v = r.install("I-1");
  EXPECT_EQ(v.verdict, Verdict::covered);
  EXPECT_EQ(v.metric, Metric::processor);
  EXPECT_EQ(v.demanded, 1);
  EXPECT_EQ(r.server("SRV-OLD").model, "per processor (2012, 2012 R2)");
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::model, "licensed per processor (2012, 2012 R2)"));
}

TEST(LicensingModel, A2016CoreLicenceOnA2012R2ServerIsCountedByTheCoreRules) {
  // G4: downgrade rights do not change the licensing terms of the licence held.
  auto r = reconcile_files(dev("SRV-OLD,server,owned,active,2,24,\n"),
                           ins("I-1,SRV-OLD,Microsoft Windows Server 2012 R2 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2016,Standard,volume,24,,\n"));
  const auto& v = r.install("I-1");
  EXPECT_EQ(v.verdict, Verdict::covered);
  EXPECT_EQ(v.metric, Metric::core);
  EXPECT_EQ(v.demanded, 24);
  EXPECT_EQ(r.server("SRV-OLD").model, "per core (2016 and later)");
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::downgrade, "2016 → 2012 R2"));
}

TEST(LicensingModel, AServerIsNeverCoveredByTwoModelsAtOnce) {
  // 8 core licences and one processor licence: neither model covers the server alone.
  auto r = reconcile_files(
      dev("SRV-OLD,server,owned,active,2,8,\n"),
      ins("I-1,SRV-OLD,Microsoft Windows Server 2012 R2 Standard,Microsoft Corporation\n"),
      ent("L-1,windows-server,2016,Standard,volume,8,,\nL-2,windows-server,2012 R2,Standard,volume,1,,\n"));
  // The processor licence covers the server whole; the core licences stay free.
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-2"});
  EXPECT_EQ(r.licence("L-1").consumed, 0);
}

TEST(PerServer, Enterprise2008R2CoversFourVirtualInstancesPerLicence) {
  std::string devices = "HV-1,server,owned,active,2,8,\n", installs;
  for (int i = 1; i <= 5; ++i) {
    devices += "VM-" + std::to_string(i) + ",vm,owned,active,,,HV-1\n";
    installs += "I-" + std::to_string(i) + ",VM-" + std::to_string(i) +
                ",Microsoft Windows Server 2008 R2 Enterprise,Microsoft Corporation\n";
  }
  auto r = reconcile_files(dev(devices), ins(installs), ent("L-1,windows-server,2008 R2,Enterprise,volume,1,,\n"));
  EXPECT_EQ(r.server("HV-1").required, 2);
  EXPECT_EQ(r.server("HV-1").covered, 1);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
}

TEST(PerProcessor, Datacenter2008R2IsLicensedPerProcessor) {
  auto r = reconcile_files(dev("SRV-1,server,owned,active,4,16,\n"),
                           ins("I-1,SRV-1,Microsoft Windows Server 2008 R2 Datacenter,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2008 R2,Datacenter,volume,4,,\n"));
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").metric, Metric::processor);
  EXPECT_EQ(r.server("SRV-1").required, 4);
}

TEST(Virtualisation, TheHostOseOnlyHostingVmsIsNotCounted) {
  // WS11: the physical OSE may run solely to host the VMs: 2 VMs, one Standard licensing.
  auto r =
      reconcile_files(dev("HV-1,server,owned,active,1,8,\nVM-1,vm,owned,active,,,HV-1\nVM-2,vm,owned,active,,,HV-1\n"),
                      ins("I-0,HV-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"
                          "I-1,VM-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"
                          "I-2,VM-2,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"),
                      ent("L-1,windows-server,2019,Standard,volume,16,,\n"));
  EXPECT_EQ(r.server("HV-1").oses, 2u);
  EXPECT_EQ(r.server("HV-1").required, 16);
  EXPECT_EQ(r.position.totals.shortfall, 0u);
}

TEST(Virtualisation, AVmOnALeasedHostIsExcludedWithTheHostNamed) {
  auto r = reconcile_files(dev("HV-1,server,leased,active,2,16,\nVM-1,vm,owned,active,,,HV-1\n"),
                           ins("I-1,VM-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"), ent(""));
  EXPECT_EQ(r.install("I-1").verdict, Verdict::excluded);
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::not_owned);
  EXPECT_NE(r.install("I-1").reason.find("host HV-1"), std::string::npos);
}

TEST(Virtualisation, ADatacenterVmMakesTheHostNeedDatacenter) {
  auto r =
      reconcile_files(dev("HV-1,server,owned,active,1,16,\nVM-1,vm,owned,active,,,HV-1\nVM-2,vm,owned,active,,,HV-1\n"),
                      ins("I-1,VM-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
                          "I-2,VM-2,Microsoft Windows Server 2022 Datacenter,Microsoft Corporation\n"),
                      ent("L-1,windows-server,2022,Standard,volume,64,,\n"));
  // Standard licences cannot cover a Datacenter OSE: the host is short, whatever the count.
  EXPECT_EQ(r.position.totals.shortfall, 1u);
  EXPECT_EQ(r.licence("L-1").consumed, 0);
}

TEST(OemServerLicence, CoversOnlyItsOwnServer) {
  auto r = reconcile_files(dev("SRV-1,server,owned,active,1,8,\nSRV-2,server,owned,active,1,8,\n"),
                           ins("I-1,SRV-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"
                               "I-2,SRV-2,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2019,Standard,oem,16,SRV-2,\n"));
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-2", RuleStep::Kind::oem_binding, "bound to SRV-2"));
}

bool warned(const test::Reconciled& r, std::string_view code) {
  for (const auto& w : r.position.warnings)
    if (w.code == code) return true;
  return false;
}

TEST(Virtualisation, AHostWithoutHardwareCountsTheMinimumsAndWarns) {
  auto r = reconcile_files(dev("HV-1,server,owned,active,,,\nVM-1,vm,owned,active,,,HV-1\n"),
                           ins("I-1,VM-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2022,Standard,volume,16,,\n"));
  EXPECT_EQ(r.server("HV-1").required, 16);
  EXPECT_TRUE(warned(r, "unknown-hardware"));
}

TEST(Virtualisation, AVmCannotBeTheHostOfAnother) {
  io::FleetSources src;
  src.devices = dev("HV-1,server,owned,active,1,8,\nVM-1,vm,owned,active,,,HV-1\nVM-2,vm,owned,active,,,VM-1\n");
  src.installs = ins("");
  src.entitlements = ent("");
  auto read = io::parse_fleet(src, test::microsoft_pack());
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error()[0].code, "host-not-physical");
  EXPECT_EQ(read.error()[0].line, 4u);
}

TEST(Virtualisation, EditionsNoOneLicenceCoversAreReportedAndCountedAsTheHighest) {
  // A 2019 Standard VM next to a 2008 R2 Enterprise VM: no edition covers both (the pack grants
  // Datacenter no right to Enterprise): the host is short by the units of 2019 Datacenter, and
  // the position says why.
  auto r =
      reconcile_files(dev("HV-1,server,owned,active,2,16,\nVM-1,vm,owned,active,,,HV-1\nVM-2,vm,owned,active,,,HV-1\n"),
                      ins("I-1,VM-1,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"
                          "I-2,VM-2,Microsoft Windows Server 2008 R2 Enterprise,Microsoft Corporation\n"),
                      ent(""));
  EXPECT_TRUE(warned(r, "no-licensing-terms"));
  EXPECT_EQ(r.server("HV-1").required, 16);
  EXPECT_EQ(r.position.totals.unpriced_shortfall, 16);
}

TEST(Virtualisation, AHostRunningWindowsServerWithItsVmsCarriesTheLicencesOnItsOwnInstall) {
  // The host HV-1 runs Windows Server 2019 Datacenter itself and hosts two VMs, one of them
  // on Windows Server 2022 Standard (a newer version than the host's own). The host's own
  // install carries the server's licences; each VM's install is an OSE of that host, and the
  // evidence names the right devices (issue: the host's install was called a duplicate of a
  // VM's install, and the server record pointed at the VM's row).
  auto r = reconcile_files(dev("HV-1,server,owned,active,2,16,\nVM-A,vm,owned,active,,,HV-1\n"
                               "VM-B,vm,owned,active,,,HV-1\n"),
                           ins("I-HOST,HV-1,Microsoft Windows Server 2019 Datacenter,Microsoft Corporation\n"
                               "I-A,VM-A,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
                               "I-B,VM-B,Microsoft Windows Server 2019 Standard,Microsoft Corporation\n"),
                           ent("L-1,windows-server,2022,Datacenter,volume,16,,\n"));
  const auto& host = r.install("I-HOST");
  EXPECT_EQ(host.verdict, Verdict::covered);
  EXPECT_EQ(host.demanded, 16);
  EXPECT_EQ(r.server("HV-1").install.value, 0u) << "the server record points at the host's own install";
  EXPECT_EQ(r.server("HV-1").product.version, *test::microsoft_pack().family(host.product->family).find_version("2022"))
      << "the licence must cover the newest version its OSEs run";
  for (const char* vm : {"I-A", "I-B"}) {
    const auto& v = r.install(vm);
    EXPECT_EQ(v.verdict, Verdict::duplicate) << vm;
    EXPECT_EQ(v.duplicate_of.value, 0u) << vm;
    EXPECT_NE(v.reason.find("an OSE on host HV-1"), std::string::npos) << v.reason;
    EXPECT_NE(v.reason.find("with install I-HOST"), std::string::npos) << v.reason;
  }
}

}  // namespace
}  // namespace trueup
