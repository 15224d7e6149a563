// SPDX-License-Identifier: BSL-1.0
// File: tests/examples/contoso_test.cpp
//
// The sample fleet reproduces every audit case of docs/audit-cases.md; each gets the verdict
// a correct reconciliation gives it.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

class Contoso : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fleet_ = &test::contoso_sample().fleet;
    position_ = &test::contoso_sample().position;
  }
  // The verdicts of a device's installs whose title starts with `title`.
  static std::vector<const InstallVerdict*> on(std::string_view device, std::string_view title) {
    std::vector<const InstallVerdict*> out;
    for (std::size_t i = 0; i < fleet_->installs.size(); ++i) {
      const Install& in = fleet_->installs[i];
      if (fleet_->device(in.device).id == device && in.title.rfind(title, 0) == 0)
        out.push_back(&position_->installs[i]);
    }
    return out;
  }
  static const InstallVerdict& one(std::string_view device, std::string_view title) {
    auto v = on(device, title);
    if (v.size() != 1)
      throw std::runtime_error("expected one install of " + std::string(title) + " on " + std::string(device));
    return *v[0];
  }
  /// The position of licence record `id`.
  static const EntitlementUse& licence(std::string_view id) {
    for (std::size_t i = 0; i < fleet_->entitlements.size(); ++i)
      if (fleet_->entitlements[i].id == id) return position_->entitlements[i];
    throw std::runtime_error("no licence " + std::string(id));
  }
  static inline const Fleet* fleet_ = nullptr;
  static inline const Position* position_ = nullptr;
};

TEST_F(Contoso, ReinstallCountedTwiceIsOneDemand) {
  auto v = on("PC-0005", "Microsoft Office Professional Plus 2016");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(std::count_if(v.begin(), v.end(), [](auto* x) { return x->verdict == Verdict::duplicate; }), 1);
}

TEST_F(Contoso, ThirtyTwoAndSixtyFourBitEntriesAreOneDemand) {
  // The PC's own Office row plus its 64-bit and 32-bit entries: one demand, two duplicates.
  auto v = on("PC-0006", "Microsoft Office Professional Plus 2019");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(std::count_if(v.begin(), v.end(), [](auto* x) { return x->verdict == Verdict::duplicate; }), 2);
}

TEST_F(Contoso, LeasedPcsAreExcluded) {
  for (int n = 1; n <= 15; ++n) {
    const std::string id = "LSE-" + std::string(n < 10 ? "000" : "00") + std::to_string(n);
    EXPECT_EQ(one(id, "Microsoft Office").exclusion, Exclusion::not_owned) << id;
    EXPECT_EQ(one(id, "Microsoft Windows").exclusion, Exclusion::not_owned) << id;
  }
}

TEST_F(Contoso, AnotherVendorsOfficeSuiteIsNotCounted) {
  std::size_t libre = 0;
  for (std::size_t i = 0; i < fleet_->installs.size(); ++i)
    if (fleet_->installs[i].title.rfind("LibreOffice", 0) == 0) {
      ++libre;
      EXPECT_EQ(position_->installs[i].exclusion, Exclusion::other_publisher);
    }
  EXPECT_EQ(libre, 12u);
}

TEST_F(Contoso, OldServersAreJudgedByTheirOwnVersionsModel) {
  const auto& s2012 = one("SRV-OLD2012", "Microsoft Windows Server 2012 R2");
  EXPECT_EQ(s2012.verdict, Verdict::covered);
  EXPECT_EQ(s2012.metric, Metric::processor);
  EXPECT_EQ(s2012.demanded, 1);  // 2 processors x 12 cores: one processor licence, not 24 cores
  const auto& s2008 = one("SRV-OLD2008", "Microsoft Windows Server 2008 R2");
  EXPECT_EQ(s2008.verdict, Verdict::covered);
  EXPECT_EQ(s2008.metric, Metric::server);
}

TEST_F(Contoso, RetailLicenceMovedFromAScrappedPcCoversTheNewOne) {
  for (int n = 156; n <= 160; ++n) {
    const auto& v = one("PC-0" + std::to_string(n), "Microsoft Office Home and Business 2019");
    EXPECT_EQ(v.verdict, Verdict::covered);
    ASSERT_FALSE(v.evidence.empty());
    EXPECT_EQ(v.evidence.back().kind, RuleStep::Kind::reassignment);
  }
}

TEST_F(Contoso, OemLicenceOfAScrappedPcCoversNothing) {
  for (int n = 156; n <= 160; ++n)
    EXPECT_EQ(one("PC-0" + std::to_string(n), "Microsoft Windows 11").verdict, Verdict::shortfall);
  for (std::size_t i = 0; i < fleet_->entitlements.size(); ++i) {
    const Entitlement& e = fleet_->entitlements[i];
    if (e.device.valid() && fleet_->device(e.device).status == DeviceStatus::retired && e.channel == Channel::oem) {
      EXPECT_FALSE(position_->entitlements[i].counted) << e.id;
    }
  }
}

TEST_F(Contoso, AnOemDowngradeRightEndsWithTheEarlierVersionsSupport) {
  // PC-0019 came with OEM Windows 10 Pro and still runs Windows 7 Professional: the right to
  // run 7 held only while Microsoft supported it, until 2020-01-14 (§5.2).
  const auto& win7 = one("PC-0019", "Microsoft Windows 7 Professional");
  EXPECT_EQ(win7.verdict, Verdict::shortfall);
  EXPECT_NE(win7.reason.find("ended when its support ended on 2020-01-14"), std::string::npos) << win7.reason;
  // Of the four such PCs, one is covered by the spare volume Windows 11 Enterprise upgrade
  // licence: its OEM Windows 10 Pro qualifies it (O4), and volume rights downgrade (D1).
  int covered = 0;
  for (const char* pc : {"PC-0007", "PC-0019", "PC-0031", "PC-0044"})
    covered += one(pc, "Microsoft Windows 7 Professional").verdict == Verdict::covered;
  EXPECT_EQ(covered, 1);
}

TEST_F(Contoso, AVolumeWindowsLicenceNeedsAQualifyingLicenceOnThePc) {
  // Volume Windows 11 Enterprise is an upgrade (O4, O5): PC-0164 has its OEM Windows 11 Pro,
  // PC-0165 was bought without Windows and is short, with the reason.
  EXPECT_EQ(one("PC-0164", "Microsoft Windows 11 Enterprise").verdict, Verdict::covered);
  const auto& bare = one("PC-0165", "Microsoft Windows 11 Enterprise");
  EXPECT_EQ(bare.verdict, Verdict::shortfall);
  EXPECT_NE(bare.reason.find("the device has no qualifying licence of its own"), std::string::npos) << bare.reason;
}

TEST_F(Contoso, AMoveInsideTheNinetyDaysLeavesTheLicenceOnItsHolder) {
  // L-0176 moved PC-0162 -> PC-0163 40 days after it came to PC-0162 (assignments.csv): the
  // move did not happen (V1, V6); PC-0163 is short and the finding names both holders.
  EXPECT_EQ(one("PC-0163", "Microsoft Office Professional Plus 2021").verdict, Verdict::shortfall);
  ASSERT_EQ(position_->warnings.size(), 1u);
  EXPECT_EQ(position_->warnings[0].code, "early-reassignment");
  EXPECT_NE(position_->warnings[0].message.find("L-0176 moved from PC-0162 (held since 2026-05-01) to PC-0163"),
            std::string::npos);
  const EntitlementUse& disp = licence("L-0176");
  EXPECT_EQ(disp.consumed, 0);
  EXPECT_NE(disp.note.find("assigned to PC-0162 on 2026-05-01: may not be reassigned before 2026-07-30"),
            std::string::npos)
      << disp.note;
}

TEST_F(Contoso, DowngradeRightsAreCredited) {
  // Every Office Professional Plus 2016 demand is covered: 2019 volume licences downgrade.
  for (std::size_t i = 0; i < fleet_->installs.size(); ++i)
    if (position_->installs[i].product && fleet_->installs[i].title == "Microsoft Office Professional Plus 2016" &&
        position_->installs[i].verdict != Verdict::duplicate) {
      EXPECT_EQ(position_->installs[i].verdict, Verdict::covered) << fleet_->installs[i].id;
    }
}

TEST_F(Contoso, EditionRightsAreData) {
  // HV-02's six 2019 Standard VMs are covered by Datacenter core licences (down-edition, §5.3).
  const auto& std2019 = one("VM-05", "Microsoft Windows Server 2019 Standard");
  EXPECT_EQ(std2019.verdict, Verdict::covered);
  EXPECT_TRUE(std::any_of(std2019.evidence.begin(), std2019.evidence.end(), [](const RuleStep& s) {
    return s.kind == RuleStep::Kind::down_edition && s.text.find("Datacenter → Standard") != std::string::npos;
  }));
  // Professional Plus surplus does not cover Office Standard: 15 Standard installs, 10 licences.
  Units standard_short = 0;
  for (const auto& row : position_->products) {
    if (test::microsoft_pack().product_name(row.product) == "Office Standard 2016")
      standard_short = row.shortfall_units;
  }
  EXPECT_EQ(standard_short, 5);
}

TEST_F(Contoso, FreeEditionsAndComponentsAreExcludedWithReasons) {
  EXPECT_EQ(one("PC-0011", "Microsoft Office Starter 2010").exclusion, Exclusion::free_edition);
  std::size_t components = 0;
  for (const auto& v : position_->installs) components += v.exclusion == Exclusion::component;
  EXPECT_GT(components, 0u);
}

TEST_F(Contoso, EveryInstallIsAccountedFor) {
  const Totals& t = position_->totals;
  EXPECT_EQ(t.installs, fleet_->installs.size());
  EXPECT_EQ(t.covered + t.shortfall + t.excluded + t.duplicate, t.installs);
}

// --- Servers, users and access --------------------------------------------------------------

const ServerPosition& server_of(const Position& p, const Fleet& f, std::string_view id) {
  for (const auto& sp : p.servers)
    if (f.device(sp.device).id == id) return sp;
  throw std::runtime_error("no server " + std::string(id));
}

TEST_F(Contoso, AHostWithFourStandardVmsIsCoveredByThirtyTwoDatacenterCores) {
  const ServerPosition& hv = server_of(*position_, *fleet_, "HV-01");
  EXPECT_EQ(hv.oses, 4u);
  EXPECT_EQ(hv.required, 32);  // Standard would need 64
  EXPECT_EQ(hv.covered, 32);
  EXPECT_EQ(one("VM-02", "Microsoft Windows Server").verdict, Verdict::duplicate);
}

TEST_F(Contoso, SixStandardVmsOnSixteenCoresAreCoveredBySixteenDatacenterCores) {
  // Standard would need 48 (16 cores, stacked for 6 OSEs); the spare 2019 Datacenter covers 16.
  const ServerPosition& hv = server_of(*position_, *fleet_, "HV-02");
  EXPECT_EQ(hv.oses, 6u);
  EXPECT_EQ(hv.required, 16);
  EXPECT_EQ(hv.covered, 16);
}

TEST_F(Contoso, SpareCoreLicencesGoToTheExactVersionFirst) {
  // 16 spare 2022 Standard core licences, two servers short of them at the same price: the
  // 2022 server (SRV-SQL01, 4 processors: 32) takes them before a 2019 one would under
  // downgrade rights; 32 core licences are short either way (host_solver.hpp).
  EXPECT_EQ(server_of(*position_, *fleet_, "SRV-SQL01").required, 32);
  EXPECT_EQ(server_of(*position_, *fleet_, "SRV-SQL01").covered, 16);
  EXPECT_EQ(server_of(*position_, *fleet_, "SRV-APP01").covered + server_of(*position_, *fleet_, "SRV-APP02").covered,
            16);
}

TEST_F(Contoso, A2012R2LicenceWithSoftwareAssuranceCountsAsSixteenCoreLicences) {
  // L-0171, one 2012 R2 Standard processor licence, had SA when 2019 was made available: it
  // counts as 16 core licences of 2019 Standard (SA1, SA5) and covers one 16-core 2019 server.
  const EntitlementUse& disp = licence("L-0171");
  EXPECT_TRUE(disp.converted);
  EXPECT_EQ(disp.metric, Metric::core);
  EXPECT_EQ(disp.units, 16);
  EXPECT_EQ(disp.consumed, 16);
  EXPECT_EQ(test::microsoft_pack().product_name(disp.product), "Windows Server 2019 Standard");
}

TEST_F(Contoso, TwoWindowsServer2012R2LicencesCoverFourProcessorsAndFourVms) {
  // W12-4: "a four-processor server requires two Windows Server 2012 R2 Standard Edition
  // licenses to cover four physical processors and four simultaneous virtual machines".
  const ServerPosition& hv = server_of(*position_, *fleet_, "HV-2012");
  EXPECT_EQ(hv.oses, 4u);
  EXPECT_EQ(hv.required, 2);
  EXPECT_EQ(hv.covered, 2);
}

TEST_F(Contoso, AHostsOwnInstallCarriesItsLicencesAndItsVmsAreItsOses) {
  // HV-03 runs Windows Server 2022 Datacenter itself and in three VMs: the host's install is
  // covered, each VM's install is an OSE of HV-03 with that install.
  const auto& host = one("HV-03", "Microsoft Windows Server");
  EXPECT_EQ(host.verdict, Verdict::covered);
  const ServerPosition& hv = server_of(*position_, *fleet_, "HV-03");
  EXPECT_EQ(fleet_->install(hv.install).id,
            fleet_->installs[static_cast<std::size_t>(&host - position_->installs.data())].id);
  for (const char* vm : {"VM-HV03-1", "VM-HV03-2", "VM-HV03-3"}) {
    const auto& v = one(vm, "Microsoft Windows Server");
    EXPECT_EQ(v.verdict, Verdict::duplicate);
    EXPECT_EQ(v.duplicate_of, hv.install);
    EXPECT_NE(v.reason.find("an OSE on host HV-03"), std::string::npos) << v.reason;
  }
}

TEST_F(Contoso, ADenseHostIsFixedByBuyingDatacenter) {
  // HV-04: 14 Standard 2025 VMs on 32 cores, no 2025 licence held. At the price list's prices
  // Datacenter (32 x 399.00) is cheaper than 7 stacks of Standard (224 x 69.00).
  const ServerPosition& hv = server_of(*position_, *fleet_, "HV-04");
  EXPECT_EQ(hv.required, 32);
  EXPECT_EQ(hv.covered, 0);
  const auto row = std::find_if(position_->products.begin(), position_->products.end(), [](const ProductPosition& p) {
    return test::microsoft_pack().product_name(p.product) == "Windows Server 2025 Standard";
  });
  ASSERT_NE(row, position_->products.end());
  ASSERT_TRUE(row->buy_edition.has_value());
  EXPECT_EQ(test::microsoft_pack().family(row->product.family).editions[*row->buy_edition].name, "Datacenter");
  EXPECT_EQ(row->true_up_cost.str(), "12768.00");
}

TEST_F(Contoso, A2012R2ServerIsCountedPerProcessor) {
  const ServerPosition& old = server_of(*position_, *fleet_, "SRV-OLD2012");
  EXPECT_EQ(old.model, "per processor (2012, 2012 R2)");
  EXPECT_EQ(old.required, 1);
  EXPECT_EQ(old.covered, 1);
}

TEST_F(Contoso, AVmOnARentedHostIsExcluded) {
  EXPECT_EQ(one("VM-HOSTED1", "Microsoft Windows Server").exclusion, Exclusion::not_owned);
}

TEST_F(Contoso, SqlServerOnAVmNeedsFourCoreLicencesAndDeveloperIsFreeOutsideProduction) {
  EXPECT_EQ(one("VM-03", "Microsoft SQL Server").demanded, 4);
  EXPECT_EQ(one("VM-03", "Microsoft SQL Server").verdict, Verdict::covered);
  EXPECT_EQ(one("SRV-SQL01", "Microsoft SQL Server").demanded, 16);
  EXPECT_EQ(one("SRV-SQL01", "Microsoft SQL Server").covered, 8);
  EXPECT_EQ(one("VM-SQLDEV", "Microsoft SQL Server").exclusion, Exclusion::free_edition);
}

TEST_F(Contoso, TheUserWithSixPcsUsesAPerDeviceLicenceForTheSixth) {
  const UserPosition* u = nullptr;
  for (const auto& x : position_->users)
    if (x.user == "user301") u = &x;
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->devices, 7u);  // 6 PCs and a tablet
  EXPECT_EQ(u->under_user_licence, 6u);
  EXPECT_EQ(u->device_licences, 1u);
  EXPECT_EQ(u->device_short, 0u);
}

TEST_F(Contoso, TheSharedKioskTakesADeviceCal) {
  std::size_t device_cals = 0, user_cals = 0;
  for (const auto& c : position_->cals) {
    if (c.metric == Metric::device_cal) {
      ++device_cals;
      EXPECT_EQ(c.holder, "PC-0120");
    } else {
      ++user_cals;
    }
  }
  EXPECT_EQ(device_cals, 1u);
  EXPECT_EQ(user_cals, 40u);  // 40 users of the file server (user002 on two PCs: one user CAL)
}

}  // namespace
}  // namespace trueup
