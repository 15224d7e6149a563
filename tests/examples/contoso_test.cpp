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
    auto read = io::read_fleet(std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso", test::microsoft_pack());
    ASSERT_TRUE(read.has_value());
    fleet_ = new Fleet(std::move(read->fleet));
    ReconcileOptions options;
    options.as_of = Date::from_ymd(2026, 6, 30);  // the sample fleet's date (scripts/demo)
    position_ = new Position(reconcile(test::microsoft_pack(), *fleet_, options));
  }
  static void TearDownTestSuite() {
    delete position_;
    delete fleet_;
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
  static inline Fleet* fleet_ = nullptr;
  static inline Position* position_ = nullptr;
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

TEST_F(Contoso, DowngradeRightsAreCredited) {
  const auto& win7 = one("PC-0007", "Microsoft Windows 7 Professional");
  EXPECT_EQ(win7.verdict, Verdict::covered);
  EXPECT_TRUE(std::any_of(win7.evidence.begin(), win7.evidence.end(),
                          [](const RuleStep& s) { return s.kind == RuleStep::Kind::downgrade; }));
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
  // 2022 server (SRV-SQL01, 4 processors: 32) takes them before the 2019 one (SRV-APP01) would
  // under downgrade rights; 32 core licences are short either way (host_solver.hpp).
  EXPECT_EQ(server_of(*position_, *fleet_, "SRV-SQL01").required, 32);
  EXPECT_EQ(server_of(*position_, *fleet_, "SRV-SQL01").covered, 16);
  EXPECT_EQ(server_of(*position_, *fleet_, "SRV-APP01").covered, 0);
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

TEST_F(Contoso, SqlServerOnAVmNeedsFourCoreLicencesAndDeveloperIsFree) {
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
