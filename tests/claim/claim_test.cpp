// SPDX-License-Identifier: BSL-1.0
// File: tests/claim/claim_test.cpp
//
// The claim reader (trueup/io/claim.hpp) and the check of a claim against the position
// (trueup/claim/claim.hpp), on the sample fleet and its auditor's claim: each classic wrong
// claim is answered with its cause and rule, and the causes' units add up to each line's
// difference for the sample's claim, for random claims over every product of the pack, for
// random CAL claims (with and without access records), and for adversarial ones (extreme counts,
// required below credited, lines with only a shortfall).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "trueup/claim/claim.hpp"
#include "trueup/io/claim.hpp"
#include "trueup/model/limits.hpp"
#include "trueup/report/claim_reply.hpp"

namespace trueup {
namespace {

constexpr std::string_view header = "line,product,version,edition,unit,installed,required,credited,shortfall\n";

std::string errors_of(const Result<Claim>& r) {
  std::string all;
  if (!r)
    for (const auto& d : r.error()) all += to_string(d) + "\n";
  return all;
}

class ClaimCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fleet_ = &test::contoso_sample().fleet;
    position_ = &test::contoso_sample().position;
  }
  static ClaimCheck check(const Claim& c) { return check_claim(c, *position_, test::microsoft_pack(), *fleet_); }
  static Claim sample() {
    auto c =
        io::read_claim(std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso/auditor-claim.csv", test::microsoft_pack());
    EXPECT_TRUE(c.has_value()) << errors_of(c);
    return c ? *c : Claim{};
  }
  static const ClaimCauseShare* cause(const ClaimLineCheck& l, ClaimCause kind) {
    for (const auto& c : l.causes)
      if (c.cause == kind) return &c;
    return nullptr;
  }
  static const Fleet* fleet_;
  static const Position* position_;
};
const Fleet* ClaimCheckTest::fleet_ = nullptr;
const Position* ClaimCheckTest::position_ = nullptr;

// --- The reader ----------------------------------------------------------------------------

TEST(ClaimReader, NamesAProductByFamilyVersionAndEditionOrByItsFullName) {
  const RulePack& pack = test::microsoft_pack();
  auto c = io::parse_claim(std::string(header) +
                               "A1,windows server,2012 R2,standard,core,5,80,0,80\n"
                               ",Office Professional Plus 2016,,,,,,,41\n",
                           "claim.csv", pack);
  ASSERT_TRUE(c.has_value()) << errors_of(c);
  ASSERT_EQ(c->lines.size(), 2U);
  ASSERT_TRUE(c->lines[0].matched.has_value());
  EXPECT_EQ(pack.product_name(*c->lines[0].matched), "Windows Server 2012 R2 Standard");
  EXPECT_EQ(c->lines[0].unit, Metric::core);
  EXPECT_EQ(c->lines[0].required, 80);
  EXPECT_EQ(c->lines[0].id, "A1");
  ASSERT_TRUE(c->lines[1].matched.has_value());
  EXPECT_EQ(pack.product_name(*c->lines[1].matched), "Office Professional Plus 2016");
  EXPECT_EQ(c->lines[1].id, "3");  // no reference: the file's line
  EXPECT_FALSE(c->lines[1].unit.has_value());
  EXPECT_FALSE(c->lines[1].installed.has_value());
  EXPECT_EQ(c->lines[1].shortfall, 41);
}

TEST(ClaimReader, AProductThePackDoesNotKnowIsReadWithoutAMatchNotDropped) {
  auto c = io::parse_claim(std::string(header) + "1,Adobe Acrobat Pro DC,2020,,device,12,12,0,12\n", "claim.csv",
                           test::microsoft_pack());
  ASSERT_TRUE(c.has_value()) << errors_of(c);
  ASSERT_EQ(c->lines.size(), 1U);
  EXPECT_FALSE(c->lines[0].matched.has_value());
  EXPECT_EQ(c->lines[0].product, "Adobe Acrobat Pro DC");
}

TEST(ClaimReader, ReportsEveryBadValueWithFileLineColumnAndExpectedFound) {
  auto c = io::parse_claim(std::string(header) +
                               "1,Windows 11 Pro,,,device,48,48x,41,7\n"
                               "2,Windows 11 Pro,,,seats,48,48,41,-7\n"
                               "3,,,,device,1,1,0,1\n"
                               "4,Windows 11 Pro,,,device,1,1,0,1000000001\n"
                               "5,Windows 11 Pro,,,device,1,1,0,\n",
                           "claim.csv", test::microsoft_pack());
  ASSERT_FALSE(c.has_value());
  const std::string all = errors_of(c);
  EXPECT_NE(
      all.find("claim.csv:2:30: error[bad-number]: column `required`: expected a whole number >= 0, found \"48x\""),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("claim.csv:3:20: error[bad-enum]: column `unit`: expected one of device,"), std::string::npos)
      << all;
  EXPECT_NE(
      all.find("claim.csv:3:35: error[bad-number]: column `shortfall`: expected a whole number >= 0, found \"-7\""),
      std::string::npos)
      << all;
  EXPECT_NE(all.find("claim.csv:4:3: error[empty-value]: column `product`"), std::string::npos) << all;
  EXPECT_NE(all.find("claim.csv:5:33: error[out-of-range]: column `shortfall`: expected a whole number from 0 to "
                     "1000000000"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("claim.csv:6:33: error[empty-value]: column `shortfall`"), std::string::npos) << all;
}

TEST(ClaimReader, RefusesAFileThatIsNotUtf8OrLacksTheShortfallColumn) {
  auto latin1 = io::parse_claim(std::string(header) + "1,Windows 11 Pro \xE9,,,device,1,1,0,1\n", "claim.csv",
                                test::microsoft_pack());
  ASSERT_FALSE(latin1.has_value());
  EXPECT_NE(errors_of(latin1).find("error[bad-encoding]"), std::string::npos) << errors_of(latin1);
  auto no_shortfall = io::parse_claim("line,product\n1,Windows 11 Pro\n", "claim.csv", test::microsoft_pack());
  ASSERT_FALSE(no_shortfall.has_value());
  EXPECT_NE(errors_of(no_shortfall).find("shortfall"), std::string::npos) << errors_of(no_shortfall);
}

// --- The check on the sample's claim ------------------------------------------------------------

TEST_F(ClaimCheckTest, ReInstallsAndIgnoredDowngradeRightsAreRejectedWithTheirRules) {
  const ClaimCheck c = check(sample());
  const ClaimLineCheck& office2016 = c.lines.at(0);
  EXPECT_EQ(office2016.verdict, ClaimVerdict::rejected);
  EXPECT_EQ(office2016.difference, 41);
  const ClaimCauseShare* dup = cause(office2016, ClaimCause::duplicate);
  ASSERT_NE(dup, nullptr);
  EXPECT_EQ(dup->units, 1);
  EXPECT_EQ(dup->installs, std::vector<std::string>{"I-00299"});
  EXPECT_EQ(dup->rule, "X4, X5");
  const ClaimCauseShare* down = cause(office2016, ClaimCause::downgrade);
  ASSERT_NE(down, nullptr);
  EXPECT_EQ(down->units, 40);
  EXPECT_EQ(down->installs.size(), 40U);
  EXPECT_FALSE(down->licences.empty());
}

TEST_F(ClaimCheckTest, LeasedAndRetiredPcsAreTakenOutOfTheClaimAndTheRestAgreed) {
  const ClaimCheck all = check(sample());
  const ClaimLineCheck& w10 = all.lines.at(1);
  EXPECT_EQ(w10.verdict, ClaimVerdict::partly_rejected);
  EXPECT_EQ(w10.shortfall, 4);
  EXPECT_EQ(w10.difference, 30);
  ASSERT_NE(cause(w10, ClaimCause::not_owned), nullptr);
  EXPECT_EQ(cause(w10, ClaimCause::not_owned)->units, 15);
  ASSERT_NE(cause(w10, ClaimCause::retired_device), nullptr);
  EXPECT_EQ(cause(w10, ClaimCause::retired_device)->units, 15);
  EXPECT_EQ(cause(w10, ClaimCause::not_explained), nullptr);
}

TEST_F(ClaimCheckTest, AnotherVendorsOfficeSuiteIsNotOffice) {
  const ClaimCheck all = check(sample());
  const ClaimLineCheck& office2019 = all.lines.at(2);
  const ClaimCauseShare* other = cause(office2019, ClaimCause::other_publisher);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->rule, "X7");
  EXPECT_EQ(other->units, 12);
  for (const std::string& id : other->installs) {
    const auto it = std::find_if(fleet_->installs.begin(), fleet_->installs.end(),
                                 [&id](const Install& in) { return in.id == id; });
    ASSERT_NE(it, fleet_->installs.end());
    EXPECT_NE(it->title.find("LibreOffice"), std::string::npos) << it->title;
  }
}

TEST_F(ClaimCheckTest, OldServersJudgedByThe2016CoreModelAreRejectedByTheModelOfTheLicenceHeld) {
  const ClaimCheck all = check(sample());
  const ClaimLineCheck& ws2012 = all.lines.at(3);
  EXPECT_EQ(ws2012.verdict, ClaimVerdict::rejected);
  EXPECT_EQ(ws2012.unit, Metric::core);
  EXPECT_EQ(ws2012.computed_metric, Metric::processor);
  EXPECT_EQ(ws2012.difference, 80);
  // Three of the five are VMs on a host licensed for its OSEs (W12-2), at the claim's 16 cores each.
  ASSERT_NE(cause(ws2012, ClaimCause::covered_elsewhere), nullptr);
  EXPECT_EQ(cause(ws2012, ClaimCause::covered_elsewhere)->units, 3 * 16);
  ASSERT_NE(cause(ws2012, ClaimCause::licensing_model), nullptr);
  EXPECT_EQ(cause(ws2012, ClaimCause::licensing_model)->units, 80 - 48);
  EXPECT_NE(cause(ws2012, ClaimCause::licensing_model)->rule.find("G4"), std::string::npos);
}

TEST_F(ClaimCheckTest, RetailLicencesMovedFromScrappedPcsCountAsLicences) {
  const ClaimCheck all = check(sample());
  const ClaimLineCheck& hb2019 = all.lines.at(4);
  EXPECT_EQ(hb2019.verdict, ClaimVerdict::rejected);
  ASSERT_NE(cause(hb2019, ClaimCause::reassignment), nullptr);
  EXPECT_EQ(cause(hb2019, ClaimCause::reassignment)->units, 5);
}

TEST_F(ClaimCheckTest, AgreedUnderClaimedAndUnknownProductsAreSaidSo) {
  const ClaimCheck c = check(sample());
  EXPECT_EQ(c.lines.at(7).verdict, ClaimVerdict::agreed);
  EXPECT_TRUE(c.lines.at(7).causes.empty());
  EXPECT_EQ(c.lines.at(8).verdict, ClaimVerdict::under_claimed);
  EXPECT_EQ(c.lines.at(8).difference, -8);
  EXPECT_EQ(c.lines.at(9).verdict, ClaimVerdict::cannot_match);
  ASSERT_EQ(c.lines.at(9).causes.size(), 1U);
  EXPECT_EQ(c.lines.at(9).causes[0].cause, ClaimCause::not_explained);
  EXPECT_EQ(c.lines.at(9).causes[0].units, 12);
  EXPECT_EQ(c.agreed + c.rejected + c.partly_rejected + c.under_claimed + c.cannot_match, c.lines.size());
}

// --- The invariant: causes add up to the difference, always -------------------------------------

/// The invariant recomputed here from the line and the position, not from the check's own sums.
void expect_adds_up(const Claim& claim, const ClaimCheck& check, const Position& position) {
  ASSERT_EQ(check.lines.size(), claim.lines.size());
  for (const ClaimLineCheck& l : check.lines) {
    const ClaimLine& line = claim.lines[l.line];
    Units owed = 0;
    if (l.row && position.products[*l.row].metric == l.unit) owed = position.products[*l.row].shortfall_units;
    if (line.matched && test::microsoft_pack().family(line.matched->family).assignment == Assignment::access &&
        (l.unit == Metric::user_cal || l.unit == Metric::device_cal)) {
      // A CAL line owes the family's short holders of its kind, whatever version they need.
      owed = 0;
      for (const CalPosition& c : position.cals)
        if (c.product.family == line.matched->family && c.metric == l.unit) owed += 1 - c.covered;
    }
    EXPECT_EQ(l.difference, line.shortfall - owed) << "line " << line.id;
    Units sum = 0;
    for (const ClaimCauseShare& c : l.causes) {
      EXPECT_NE(c.units, 0) << "line " << line.id;
      sum += c.units;
    }
    EXPECT_EQ(sum, l.difference) << "line " << line.id;
  }
}

TEST_F(ClaimCheckTest, CausesAddUpToTheDifferenceOnTheSampleClaim) {
  const Claim c = sample();
  expect_adds_up(c, check(c), *position_);
}

TEST_F(ClaimCheckTest, CausesAddUpToTheDifferenceOnRandomClaimsOverEveryProduct) {
  const RulePack& pack = test::microsoft_pack();
  std::mt19937_64 rng(20261207);
  std::uniform_int_distribution<Units> small(0, 200);
  Claim claim;
  for (std::size_t f = 0; f < pack.families.size(); ++f)
    for (std::size_t v = 0; v < pack.families[f].versions.size(); ++v)
      for (std::size_t e = 0; e < pack.families[f].editions.size(); ++e) {
        ClaimLine l;
        l.id = std::to_string(claim.lines.size() + 1);
        l.matched = ProductRef{FamilyIndex{static_cast<FamilyIndex::value_type>(f)}, static_cast<std::uint16_t>(v),
                               static_cast<std::uint16_t>(e)};
        if (rng() % 3 == 0) l.unit = static_cast<Metric>(rng() % metric_count);
        if (rng() % 2 == 0) l.installed = small(rng);
        if (rng() % 2 == 0) l.required = small(rng);
        if (rng() % 2 == 0) l.credited = small(rng);
        l.shortfall = small(rng);
        claim.lines.push_back(l);
      }
  ASSERT_GT(claim.lines.size(), 100U);
  const ClaimCheck c = check(claim);
  EXPECT_TRUE(check_claim_causes(c));
  expect_adds_up(claim, c, *position_);
}

TEST_F(ClaimCheckTest, CausesAddUpToTheDifferenceOnAdversarialClaims) {
  const Claim sampled = sample();
  Claim claim;
  const Units max = limits::max_quantity;
  for (const ClaimLine& base : sampled.lines) {
    for (const auto& [installed, required, credited, shortfall] :
         std::vector<std::array<std::optional<Units>, 4>>{{max, max, 0, max},
                                                          {0, 0, max, 0},
                                                          {1, 0, max, max},
                                                          {std::nullopt, std::nullopt, std::nullopt, 0},
                                                          {std::nullopt, std::nullopt, std::nullopt, max},
                                                          {max, 1, std::nullopt, max},
                                                          {0, std::nullopt, 7, 3}}) {
      ClaimLine l = base;
      l.installed = installed;
      l.required = required;
      l.credited = credited;
      l.shortfall = *shortfall;
      claim.lines.push_back(l);
    }
  }
  const ClaimCheck c = check(claim);
  expect_adds_up(claim, c, *position_);
}

/// Random lines on the CAL family, in every unit an auditor may write, with every count given
/// or left blank.
Claim random_cal_claim(std::uint64_t seed, std::size_t n) {
  const RulePack& pack = test::microsoft_pack();
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<Units> small(0, 250);
  constexpr std::array units{Metric::user, Metric::device, Metric::user_cal, Metric::device_cal, Metric::core};
  Claim claim;
  for (std::size_t f = 0; f < pack.families.size(); ++f) {
    if (pack.families[f].assignment != Assignment::access) continue;
    for (std::size_t i = 0; i < n; ++i) {
      ClaimLine l;
      l.id = std::to_string(claim.lines.size() + 1);
      l.matched = ProductRef{FamilyIndex{static_cast<FamilyIndex::value_type>(f)},
                             static_cast<std::uint16_t>(rng() % pack.families[f].versions.size()), 0};
      if (rng() % 4 != 0) l.unit = units[rng() % units.size()];
      if (rng() % 2 == 0) l.installed = small(rng);
      if (rng() % 3 != 0) l.required = small(rng);
      if (rng() % 3 != 0) l.credited = small(rng);
      l.shortfall = small(rng);
      claim.lines.push_back(l);
    }
  }
  return claim;
}

TEST_F(ClaimCheckTest, CausesAddUpToTheDifferenceOnRandomCalClaims) {
  const Claim claim = random_cal_claim(20261208, 400);
  ASSERT_EQ(claim.lines.size(), 800U);  // Windows Server CALs and RDS CALs
  const ClaimCheck c = check(claim);
  EXPECT_TRUE(check_claim_causes(c));
  expect_adds_up(claim, c, *position_);
  // Every CAL cause names its rule and source, and lists no one twice.
  for (const ClaimLineCheck& l : c.lines)
    for (const ClaimCauseShare& x : l.causes) {
      if (x.cause == ClaimCause::no_access || x.cause == ClaimCause::other_cal || x.cause == ClaimCause::cal_version) {
        EXPECT_FALSE(x.rule.empty());
        EXPECT_FALSE(x.source.empty());
      }
      EXPECT_TRUE(std::adjacent_find(x.users.begin(), x.users.end()) == x.users.end());
      EXPECT_LE(static_cast<Units>(x.users.size() + x.devices.size()), std::abs(x.units))
          << "line " << claim.lines[l.line].id << " " << name(x.cause);
    }
}

// --- CAL lines (CAL1, CAL2) ----------------------------------------------------------------------

TEST_F(ClaimCheckTest, TwentyNineteenCalsForEveryDirectoryUserAreRejectedByVersionAndAccess) {
  const ClaimCheck all = check(sample());
  const ClaimLineCheck& cal = all.lines.at(10);
  EXPECT_EQ(cal.unit, Metric::user_cal);
  EXPECT_EQ(cal.verdict, ClaimVerdict::partly_rejected);
  // The position: 40 users reach the 2016 file server, 35 hold the 2016 CALs on record.
  EXPECT_EQ(cal.installs, 40);
  EXPECT_EQ(cal.credited, 35);
  EXPECT_EQ(cal.shortfall, 5);
  EXPECT_EQ(cal.difference, 150 - 5);
  // The 2016 CALs cover the 2016 server these users reach: no 2019 CAL is needed (CAL2).
  const ClaimCauseShare* version = cause(cal, ClaimCause::cal_version);
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->units, 35);
  EXPECT_EQ(version->rule, "CAL2");
  EXPECT_EQ(version->licences, std::vector<std::string>{"L-0157"});
  EXPECT_EQ(version->users.size(), 35U);
  // The five users of the kiosk PC reach the 2012 R2 server from a device holding a device CAL.
  const ClaimCauseShare* other = cause(cal, ClaimCause::other_cal);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->users, (std::vector<std::string>{"user042", "user043", "user044", "user045", "user046"}));
  // The rest of the 150 reach no server: listed, none of them a holder or in access.csv.
  const ClaimCauseShare* none = cause(cal, ClaimCause::no_access);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->units, 150 - 40 - 5);
  EXPECT_EQ(none->users.size(), 105U);
  for (const std::string& u : none->users) {
    EXPECT_TRUE(std::none_of(fleet_->access.begin(), fleet_->access.end(), [&u](const Access& a) {
      return a.user == u;
    })) << u;
    EXPECT_TRUE(std::none_of(position_->cals.begin(), position_->cals.end(), [&u](const CalPosition& c) {
      return c.holder == u;
    })) << u;
  }
  EXPECT_EQ(cause(cal, ClaimCause::not_explained), nullptr);
  EXPECT_NE(cal.note.find("5 Windows Server CAL 2016 (or later)"), std::string::npos) << cal.note;
}

TEST_F(ClaimCheckTest, AUserWhoReachesAVirtualMachineUnderADeviceCalIsOtherCalNotNoAccess) {
  // The OSEs of a host-licensed Windows Server are duplicates of its first install, but their
  // users need CALs as the host's do (the position's CAL stage counts them). bob, carol and dave
  // reach VM-2 from the shared PC-2, which takes the one device CAL held: the claim's user CALs
  // for them are an other-cal cause, not users who reach no server.
  const test::Reconciled r = test::reconcile_files(
      "device_id,kind,ownership,status,processors,cores,host\n"
      "HV-1,server,owned,active,2,16,\nVM-1,vm,owned,active,,4,HV-1\nVM-2,vm,owned,active,,4,HV-1\n"
      "PC-1,desktop,owned,active,,,\nPC-2,desktop,owned,active,,,\n",
      "install_id,device_id,title,publisher\n"
      "I-1,HV-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
      "I-2,VM-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n"
      "I-3,VM-2,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n",
      "licence_id,family,version,edition,channel,quantity,device_id,metric\n"
      "L-1,windows-server,2022,Standard,volume,16,,\n"
      "L-2,windows-server-cal,2022,CAL,volume,1,,device-cal\n",
      "server_id,user,device_id\nVM-2,alice,PC-1\nVM-2,bob,PC-2\nVM-2,carol,PC-2\nVM-2,dave,PC-2\n");
  auto c = io::parse_claim(std::string(header) + "1,Windows Server CAL,2022,,user-cal,4,4,0,4\n", "claim.csv",
                           test::microsoft_pack());
  ASSERT_TRUE(c.has_value()) << errors_of(c);
  const ClaimCheck checked = check_claim(*c, r.position, test::microsoft_pack(), r.fleet);
  const ClaimLineCheck& line = checked.lines.at(0);
  const ClaimCauseShare* other = cause(line, ClaimCause::other_cal);
  ASSERT_NE(other, nullptr) << r.json();
  // alice's PC-1 may take a device CAL to buy as well as a user CAL (the same count): whichever
  // the position chose, bob, carol and dave are under PC-2's.
  for (const char* u : {"bob", "carol", "dave"})
    EXPECT_NE(std::find(other->users.begin(), other->users.end(), u), other->users.end()) << u;
  EXPECT_EQ(cause(line, ClaimCause::no_access), nullptr);
}

TEST_F(ClaimCheckTest, ATwentyTwelveDeviceCalCoversTheTwentyTwelveR2Server) {
  const ClaimCheck all = check(sample());
  const ClaimLineCheck& cal = all.lines.at(11);
  EXPECT_EQ(cal.unit, Metric::device_cal);
  EXPECT_EQ(cal.verdict, ClaimVerdict::rejected);
  EXPECT_EQ(cal.difference, 1);
  const ClaimCauseShare* version = cause(cal, ClaimCause::cal_version);
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(version->units, 1);
  EXPECT_EQ(version->devices, std::vector<std::string>{"PC-0120"});
  EXPECT_EQ(version->licences, std::vector<std::string>{"L-0158"});
  ASSERT_EQ(cal.causes.size(), 1U);
}

TEST_F(ClaimCheckTest, ACalClaimCreditingTheCalsOfTheRightVersionIsAgreed) {
  auto c = io::parse_claim(std::string(header) +
                               "1,Windows Server CAL,2016,,user-cal,40,40,35,5\n"
                               "2,Windows Server CAL 2019,,,user,40,40,35,5\n",
                           "claim.csv", test::microsoft_pack());
  ASSERT_TRUE(c.has_value()) << errors_of(c);
  const ClaimCheck checked = check(*c);
  EXPECT_EQ(checked.lines.at(0).verdict, ClaimVerdict::agreed);
  EXPECT_TRUE(checked.lines.at(0).causes.empty());
  // 2019 CALs bought for the 5 short users would do too (a later CAL covers an earlier server).
  EXPECT_EQ(checked.lines.at(1).verdict, ClaimVerdict::agreed);
}

TEST_F(ClaimCheckTest, WithoutAccessRecordsACalClaimsDemandIsNotExplained) {
  const std::string dir = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso/";
  const auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  io::FleetSources src;
  src.devices = slurp(dir + "devices.csv");
  src.installs = slurp(dir + "installs.csv");
  src.entitlements = slurp(dir + "entitlements.csv");
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  const test::Reconciled r = test::reconcile_sources(src, options);
  auto c = io::parse_claim(std::string(header) + "1,Windows Server CAL,2019,,user,150,150,0,150\n", "claim.csv",
                           test::microsoft_pack());
  ASSERT_TRUE(c.has_value()) << errors_of(c);
  const ClaimCheck checked = check_claim(*c, r.position, test::microsoft_pack(), r.fleet);
  const ClaimLineCheck& l = checked.lines.at(0);
  EXPECT_EQ(l.demand, 0);
  EXPECT_EQ(cause(l, ClaimCause::no_access), nullptr);
  ASSERT_NE(cause(l, ClaimCause::not_explained), nullptr);
  EXPECT_EQ(cause(l, ClaimCause::not_explained)->units, 150);
  expect_adds_up(*c, checked, r.position);
  const Claim random = random_cal_claim(7, 100);
  expect_adds_up(random, check_claim(random, r.position, test::microsoft_pack(), r.fleet), r.position);
}

TEST_F(ClaimCheckTest, CreditedOemLicencesOfRetiredPcsAreVoidLicences) {
  auto c = io::parse_claim(std::string(header) + "1,Windows 10 Pro,,,device,96,96,107,0\n", "claim.csv",
                           test::microsoft_pack());
  ASSERT_TRUE(c.has_value()) << errors_of(c);
  const ClaimCheck checked = check(*c);
  const ClaimLineCheck& l = checked.lines.at(0);
  EXPECT_EQ(l.verdict, ClaimVerdict::under_claimed);
  const ClaimCauseShare* v = cause(l, ClaimCause::void_licence);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->units, -15);  // the claim credits 107, the position 92
  EXPECT_EQ(v->licences.size(), 15U);
  expect_adds_up(*c, checked, *position_);
}

TEST_F(ClaimCheckTest, TheReplyIsTheSameWhenTheFleetsRowsAreShuffled) {
  const std::string dir = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso/";
  const auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const auto shuffled = [](const std::string& text, unsigned seed) {
    std::vector<std::string> rows;
    std::size_t start = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start = nl + 1))
      rows.push_back(text.substr(start, nl + 1 - start));
    std::mt19937 rng(seed);
    std::shuffle(rows.begin() + 1, rows.end(), rng);
    std::string out;
    for (const std::string& r : rows) out += r;
    return out;
  };
  io::FleetSources src;
  src.devices = shuffled(slurp(dir + "devices.csv"), 1);
  src.installs = shuffled(slurp(dir + "installs.csv"), 2);
  src.entitlements = shuffled(slurp(dir + "entitlements.csv"), 3);
  src.access = shuffled(slurp(dir + "access.csv"), 4);
  src.assignments = slurp(dir + "assignments.csv");
  src.prices = slurp(dir + "prices.csv");
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  const test::Reconciled r = test::reconcile_sources(src, options);
  const Claim claim = sample();
  const RulePack& pack = test::microsoft_pack();
  EXPECT_EQ(report::format_claim_json(claim, check_claim(claim, r.position, pack, r.fleet), r.position, pack),
            report::format_claim_json(claim, check(claim), *position_, pack));
  EXPECT_EQ(report::format_claim_reply(claim, check_claim(claim, r.position, pack, r.fleet), r.position, pack),
            slurp(dir + "expected-claim-reply.txt"));
}

// --- The reply ----------------------------------------------------------------------------------

TEST_F(ClaimCheckTest, TheReplyNamesEachLinesVerdictCausesAndSources) {
  const Claim c = sample();
  const std::string reply = report::format_claim_reply(c, check(c), *position_, test::microsoft_pack());
  EXPECT_NE(reply.find("Line 1: Office Professional Plus 2016 (device) — rejected"), std::string::npos) << reply;
  EXPECT_NE(reply.find("[D1, D2, D3, §5.2]"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Line 10: Adobe Acrobat Pro DC (device) — cannot match"), std::string::npos) << reply;
  const std::string json = report::format_claim_json(c, check(c), *position_, test::microsoft_pack());
  EXPECT_NE(json.find("\"verdict\":\"rejected\""), std::string::npos) << json.substr(0, 2000);
}

}  // namespace
}  // namespace trueup
