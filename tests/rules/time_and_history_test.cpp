// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/time_and_history_test.cpp
//
// A position is "as of" a date, and licences have a past: the as-of date (devices, installs,
// purchases), Software Assurance new-version rights (SA1, SA4), subscription terms (X9), the
// 90-day reassignment rule with its exemptions (V1, R2), OEM licences that never move (O1, O3),
// and stability (licences stay where the last run put them). Each with its motivating case.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

using test::Reconciled;

constexpr std::string_view devices_head = "device_id,kind,ownership,status,status_date,primary_user\n";
constexpr std::string_view installs_head = "install_id,device_id,title,publisher,version,first_seen\n";
constexpr std::string_view entitlements_head =
    "licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency,purchase_date,metric,"
    "sa_start,sa_end,subscription_start,subscription_end\n";
constexpr std::string_view assignments_head = "licence_id,device_id,user,from,reason\n";

Date day(std::string_view iso) { return *Date::parse(iso); }

Reconciled run(std::string_view devices, std::string_view installs, std::string_view entitlements,
               std::string_view as_of, std::string_view assignments = {}) {
  io::FleetSources src;
  src.devices = std::string(devices_head) + std::string(devices);
  src.installs = std::string(installs_head) + std::string(installs);
  src.entitlements = std::string(entitlements_head) + std::string(entitlements);
  if (!assignments.empty()) src.assignments = std::string(assignments_head) + std::string(assignments);
  ReconcileOptions options;
  options.as_of = day(as_of);
  options.record_assignments = true;
  return test::reconcile_sources(src, options);
}

const LicenceAssignment* assignment_of(const Reconciled& r, std::string_view licence) {
  for (const auto& a : r.position.assignments)
    if (a.licence == licence) return &a;
  return nullptr;
}

constexpr std::string_view office2019 = "Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0";

// --- the as-of date ---------------------------------------------------------------------------

TEST(AsOf, ADeviceRetiredAfterTheDateStillCounts) {
  const std::string installs = "I-1,PC-1," + std::string(office2019) + ",\n";
  const auto before = run("PC-1,desktop,owned,retired,2026-08-01,\n", installs, "", "2026-06-30");
  EXPECT_EQ(before.install("I-1").verdict, Verdict::shortfall);
  const auto after = run("PC-1,desktop,owned,retired,2026-08-01,\n", installs, "", "2026-08-02");
  EXPECT_EQ(after.install("I-1").verdict, Verdict::excluded);
  EXPECT_EQ(after.install("I-1").exclusion, Exclusion::retired);
}

TEST(AsOf, AnInstallFirstSeenAfterTheDateDoesNotCount) {
  const auto r =
      run("PC-1,desktop,owned,active,,\n", "I-1,PC-1," + std::string(office2019) + ",2026-07-15\n", "", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::excluded);
  EXPECT_EQ(r.install("I-1").exclusion, Exclusion::after_as_of);
  EXPECT_EQ(r.install("I-1").reason, "first seen 2026-07-15, after the as-of date 2026-06-30");
}

TEST(AsOf, ALicenceBoughtAfterTheDateDoesNotCount) {
  const auto r = run("PC-1,desktop,owned,active,,\n", "I-1,PC-1," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,2026-07-01,,,,,\n", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_FALSE(r.licence("L-1").counted);
  EXPECT_EQ(r.licence("L-1").reason, "purchased 2026-07-01, after the as-of date 2026-06-30");
  EXPECT_EQ(r.position.as_of, day("2026-06-30"));
}

// --- Software Assurance ------------------------------------------------------------------------

TEST(SoftwareAssurance, ActiveWhenOffice2021WasReleasedCoversOffice2021) {
  // Office 2021 was made available 2021-10-05, during the SA term of a 2019 licence.
  const auto r = run(
      "PC-1,desktop,owned,active,,\n", "I-1,PC-1,Microsoft Office Professional Plus 2021,Microsoft Corporation,16.0,\n",
      "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,2020-01-15,,2020-01-15,2023-01-14,,\n", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::licence, "volume licence Office Professional Plus 2019"));
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::software_assurance, "new-version rights 2019 → 2021"));
  EXPECT_NE(r.licence("L-1").note.find("lapsed on 2023-01-14"), std::string::npos) << r.licence("L-1").note;
}

TEST(SoftwareAssurance, LapsedBeforeOffice2024WasMadeAvailableDoesNotCoverIt) {
  // Office 2024 was made available under volume licensing (Office LTSC 2024) on 2024-09-18,
  // after the SA ended; the right to 2021 remains (SA1, SA4).
  const std::string ent =
      "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,2020-01-15,,2020-01-15,2024-09-15,,\n";
  const auto r =
      run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n",
          "I-1,PC-1,Microsoft Office Professional Plus 2024,Microsoft Corporation,16.0,\n", ent, "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  const auto r2021 =
      run("PC-1,desktop,owned,active,,\n",
          "I-1,PC-1,Microsoft Office Professional Plus 2021,Microsoft Corporation,16.0,\n", ent, "2026-06-30");
  EXPECT_EQ(r2021.install("I-1").verdict, Verdict::covered);
}

TEST(SoftwareAssurance, ActiveSaCoversTheNewVersionOnlyOnceItIsMadeAvailable) {
  // Made available under volume licensing on 2024-09-18 (Office LTSC 2024), before retail
  // availability on 2024-10-01: SA grants it from the earlier date (SA1).
  const std::string ent =
      "L-1,office,2021,Professional Plus,volume,1,,439.00,EUR,2023-01-01,,2023-01-01,2027-12-31,,\n";
  const std::string installs = "I-1,PC-1,Microsoft Office Professional Plus 2024,Microsoft Corporation,16.0,\n";
  EXPECT_EQ(run("PC-1,desktop,owned,active,,\n", installs, ent, "2024-09-17").install("I-1").verdict,
            Verdict::shortfall);
  const auto r = run("PC-1,desktop,owned,active,,\n", installs, ent, "2024-09-18");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(
      r.has_evidence("I-1", RuleStep::Kind::software_assurance, "made available (2024-09-18, under volume licensing"));
}

TEST(SoftwareAssurance, StillCoversEarlierVersionsByDowngrade) {
  const auto r =
      run("PC-1,desktop,owned,active,,\n", "I-1,PC-1,Microsoft Office Professional Plus 2016,,16.0,\n",
          "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,2020-01-15,,2020-01-15,2023-01-14,,\n", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-1", RuleStep::Kind::downgrade, "2019 → 2016"));
}

// --- subscriptions ------------------------------------------------------------------------------

TEST(Subscription, AnExpiredSubscriptionCoversNothingAndTheOutputSaysSo) {
  const std::string ents = "L-1,m365-apps,current,enterprise,subscription,1,,12.00,EUR,,user,,,2025-01-01,2025-12-31\n";
  const auto r =
      run("PC-1,desktop,owned,active,,alice\n",
          "I-1,PC-1,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0,\n", ents, "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_FALSE(r.licence("L-1").counted);
  EXPECT_NE(r.licence("L-1").reason.find("subscription ended 2025-12-31, before the as-of date 2026-06-30"),
            std::string::npos);
  EXPECT_NE(r.json().find("an expired subscription covers nothing"), std::string::npos);
  // Within its term it covers.
  EXPECT_EQ(run("PC-1,desktop,owned,active,,alice\n",
                "I-1,PC-1,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0,\n", ents, "2025-06-30")
                .install("I-1")
                .verdict,
            Verdict::covered);
}

TEST(Subscription, NotYetStartedCoversNothing) {
  const auto r =
      run("PC-1,desktop,owned,active,,alice\n",
          "I-1,PC-1,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0,\n",
          "L-1,m365-apps,current,enterprise,subscription,1,,12.00,EUR,,user,,,2026-07-01,2027-06-30\n", "2026-06-30");
  EXPECT_FALSE(r.licence("L-1").counted);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
}

// --- OEM ----------------------------------------------------------------------------------------

constexpr std::string_view win10 = "Microsoft Windows 10 Pro,Microsoft Corporation,10.0.19045";

TEST(Oem, AnOemWindowsLicenceOfAScrappedPcCoversNothing) {
  const auto r =
      run("PC-OLD,desktop,owned,retired,2026-03-01,\nPC-NEW,desktop,owned,active,,\n",
          "I-1,PC-NEW," + std::string(win10) + ",\n", "L-1,windows,10,Pro,oem,1,PC-OLD,,,,,,,,\n", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_FALSE(r.licence("L-1").counted);
  EXPECT_NE(r.licence("L-1").reason.find("an OEM licence dies with its device"), std::string::npos);
  // Even with a history that puts it on the new PC.
  const auto moved = run("PC-OLD,desktop,owned,retired,2026-03-01,\nPC-NEW,desktop,owned,active,,\n",
                         "I-1,PC-NEW," + std::string(win10) + ",\n", "L-1,windows,10,Pro,oem,1,PC-OLD,,,,,,,,\n",
                         "2026-06-30", "L-1,PC-NEW,,2026-03-02,reassigned\n");
  EXPECT_EQ(moved.install("I-1").verdict, Verdict::shortfall);
}

TEST(Oem, APcScrappedAfterTheAsOfDateStillHadItsOemLicence) {
  const auto r = run("PC-1,desktop,owned,retired,2026-09-01,\n", "I-1,PC-1," + std::string(win10) + ",\n",
                     "L-1,windows,10,Pro,oem,1,PC-1,,,,,,,,\n", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
}

TEST(Oem, AMotherboardReplacedAfterAFailureKeepsTheLicenceAnUpgradeDoesNot) {
  // O3: a defective motherboard replaced keeps the PC; an upgrade creates a new computer.
  auto with_board = [](std::string_view reason) {
    io::FleetSources src;
    src.devices =
        "device_id,kind,motherboard_replaced,motherboard_reason\nPC-1,desktop,2026-02-01," + std::string(reason) + "\n";
    src.installs = std::string(installs_head) + "I-1,PC-1," + std::string(win10) + ",\n";
    src.entitlements = std::string(entitlements_head) + "L-1,windows,10,Pro,oem,1,PC-1,,,,,,,,\n";
    ReconcileOptions o;
    o.as_of = day("2026-06-30");
    return test::reconcile_sources(src, o);
  };
  const auto failed = with_board("failure");
  EXPECT_EQ(failed.install("I-1").verdict, Verdict::covered);
  EXPECT_TRUE(failed.has_evidence("I-1", RuleStep::Kind::oem_binding, "replaced after a failure"));
  const auto upgraded = with_board("upgrade");
  EXPECT_EQ(upgraded.install("I-1").verdict, Verdict::shortfall);
  EXPECT_NE(upgraded.licence("L-1").reason.find("a new computer was created"), std::string::npos);
}

// --- the 90-day rule ----------------------------------------------------------------------------

constexpr std::string_view two_pcs_old_retired =
    "PC-1,desktop,owned,retired,2026-06-15,\nPC-2,desktop,owned,active,,\n";
constexpr std::string_view two_pcs_old_failed = "PC-1,desktop,owned,failed,2026-06-15,\nPC-2,desktop,owned,active,,\n";

TEST(Reassignment, ALicenceReassigned30DaysAgoCannotMoveAgain) {
  // L-1 came to PC-1 on 2026-05-31; PC-1 is scrapped; on 2026-06-30 L-1 may not move to PC-2.
  const std::string installs = "I-2,PC-2," + std::string(office2019) + ",\n";
  const std::string ents = "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n";
  const auto r = run(two_pcs_old_retired, installs, ents, "2026-06-30", "L-1,PC-1,,2026-05-31,reassigned\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
  EXPECT_TRUE(r.licence("L-1").counted);
  EXPECT_NE(r.licence("L-1").note.find("may not be reassigned before 2026-08-29 (90-day rule"), std::string::npos)
      << r.licence("L-1").note;
  EXPECT_EQ(r.position.history.locked, 1);
  const auto* a = assignment_of(r, "L-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->device, "PC-1");  // it stays where it was
  EXPECT_EQ(a->from, day("2026-05-31"));
}

TEST(Reassignment, UnlessItsDeviceFailed) {
  const auto r = run(two_pcs_old_failed, "I-2,PC-2," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-06-30",
                     "L-1,PC-1,,2026-05-31,reassigned\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-2", RuleStep::Kind::reassignment, "volume licence L-1 reassigned from PC-1 (failed"));
  const auto* a = assignment_of(r, "L-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->device, "PC-2");
  EXPECT_EQ(a->reason, AssignmentReason::hardware_failure);
  EXPECT_EQ(a->from, day("2026-06-30"));
}

TEST(Reassignment, AfterNinetyDaysItMoves) {
  const auto r = run(two_pcs_old_retired, "I-2,PC-2," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-08-29",
                     "L-1,PC-1,,2026-05-31,reassigned\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(assignment_of(r, "L-1")->reason, AssignmentReason::reassigned);
  EXPECT_EQ(r.position.history.moved, 1);
}

TEST(Reassignment, ALockedLicenceStillCoversItsOwnDevice) {
  const auto r = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n",
                     "I-1,PC-1," + std::string(office2019) + ",\nI-2,PC-2," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-06-30",
                     "L-1,PC-2,,2026-06-01,reassigned\n");
  // Without history I-1 (first by id) would take it; locked, it stays on PC-2.
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_TRUE(r.has_evidence("I-2", RuleStep::Kind::reassignment, "may not be reassigned before 2026-08-30"));
}

TEST(Reassignment, OnlyTheMostRecentAssignmentsHoldTheLicence) {
  // Q = 1: moved PC-1 -> PC-2 on 2026-01-10 (so PC-1 no longer holds it); locked on PC-2 until 2026-04-10.
  const std::string history = "L-1,PC-1,,2025-06-01,initial\nL-1,PC-2,,2026-01-10,reassigned\n";
  const auto r = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,retired,2026-02-01,\n",
                     "I-1,PC-1," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-03-01", history);
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  const auto later = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,retired,2026-02-01,\n",
                         "I-1,PC-1," + std::string(office2019) + ",\n",
                         "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-04-10", history);
  EXPECT_EQ(later.install("I-1").verdict, Verdict::covered);
}

// Retail Office: once every 90 days except hardware failure (R2); retail Windows moves freely (R1).
TEST(RetailReassignment, RetailOfficeFromAScrappedPcCoversTheNewPc) {
  const auto r =
      run(two_pcs_old_retired, "I-2,PC-2,Microsoft Office Home and Business 2019,Microsoft Corporation,16.0,\n",
          "L-1,office,2019,Home and Business,retail,1,PC-1,249.99,EUR,,,,,,\n", "2026-06-30",
          "L-1,PC-1,,2025-01-15,initial\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_TRUE(r.has_evidence("I-2", RuleStep::Kind::reassignment, "retail licence L-1 reassigned from PC-1 (retired"));
}

TEST(RetailReassignment, RetailOfficeMovedWithinNinetyDaysStaysUnlessTheHardwareFailed) {
  const std::string installs = "I-2,PC-2,Microsoft Office Home and Business 2019,Microsoft Corporation,16.0,\n";
  const std::string ents = "L-1,office,2019,Home and Business,retail,1,PC-1,249.99,EUR,,,,,,\n";
  EXPECT_EQ(run(two_pcs_old_retired, installs, ents, "2026-06-30", "L-1,PC-1,,2026-05-01,reassigned\n")
                .install("I-2")
                .verdict,
            Verdict::shortfall);
  EXPECT_EQ(
      run(two_pcs_old_failed, installs, ents, "2026-06-30", "L-1,PC-1,,2026-05-01,reassigned\n").install("I-2").verdict,
      Verdict::covered);
}

TEST(RetailReassignment, RetailWindowsHasNoFrequencyLimit) {
  const auto r =
      run(two_pcs_old_retired, "I-2,PC-2," + std::string(win10) + ",\n",
          "L-1,windows,10,Pro,retail,1,PC-1,199.00,EUR,,,,,,\n", "2026-06-30", "L-1,PC-1,,2026-06-01,reassigned\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
}

// User licences: the user keeps it for 90 days, unless the user left (V1).
constexpr std::string_view m365 = "Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0";

TEST(UserReassignment, ALockedUserLicenceStaysWithItsUser) {
  // bob has two devices, alice one: without history bob gets the only user licence.
  const std::string devices =
      "PC-A,desktop,owned,active,,alice\nPC-B1,desktop,owned,active,,bob\n"
      "PC-B2,laptop,owned,active,,bob\n";
  const std::string installs = "I-A,PC-A," + std::string(m365) + ",\nI-B1,PC-B1," + std::string(m365) +
                               ",\nI-B2,PC-B2," + std::string(m365) + ",\n";
  const std::string ents =
      "L-1,m365-apps,current,enterprise,subscription,1,,12.00,EUR,,user,,,,\n"
      "P-1,m365-apps,current,enterprise,subscription,0,,5.00,EUR,,device,,,,\n";
  const auto fresh = run(devices, installs, ents, "2026-06-30");
  EXPECT_TRUE(fresh.user("bob").user_licence_owned);
  const auto locked = run(devices, installs, ents, "2026-06-30", "L-1,,alice,2026-05-15,reassigned\n");
  EXPECT_TRUE(locked.user("alice").user_licence_owned);
  EXPECT_FALSE(locked.user("bob").user_licence_owned);
  EXPECT_TRUE(locked.has_evidence("I-A", RuleStep::Kind::reassignment, "assigned to user alice on 2026-05-15"));
}

TEST(UserReassignment, ALeaversLicenceMovesAtOnce) {
  // carol left (her PC is retired): her licence goes to bob within the 90 days.
  const std::string devices = "PC-C,desktop,owned,retired,2026-06-01,carol\nPC-B1,desktop,owned,active,,bob\n";
  const auto r = run(devices, "I-B1,PC-B1," + std::string(m365) + ",\n",
                     "L-1,m365-apps,current,enterprise,subscription,1,,12.00,EUR,,user,,,,\n", "2026-06-30",
                     "L-1,,carol,2026-05-15,reassigned\n");
  EXPECT_TRUE(r.user("bob").user_licence_owned);
  const auto* a = assignment_of(r, "L-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->user, "bob");
  EXPECT_EQ(a->reason, AssignmentReason::user_left);
}

// --- stability ----------------------------------------------------------------------------------

TEST(Stability, ALicenceStaysWhereItWasRatherThanSwapForAnExactOne) {
  // PC-1 runs Office 2019 under the 2021 licence L-A (downgrade) since 2025; L-B (2019) is new.
  // Without history the exact L-B is used; with it, L-A stays: nothing moves, no coverage lost.
  const std::string ents =
      "L-A,office,2021,Professional Plus,volume,1,,500.00,EUR,,,,,,\n"
      "L-B,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n";
  const std::string installs = "I-1,PC-1," + std::string(office2019) + ",\n";
  const auto fresh = run("PC-1,desktop,owned,active,,\n", installs, ents, "2026-06-30");
  EXPECT_EQ(fresh.licences_of("I-1"), std::vector<std::string>{"L-B"});
  const auto kept =
      run("PC-1,desktop,owned,active,,\n", installs, ents, "2026-06-30", "L-A,PC-1,,2025-01-10,initial\n");
  EXPECT_EQ(kept.licences_of("I-1"), std::vector<std::string>{"L-A"});
  EXPECT_EQ(kept.position.history.moved, 0);
  EXPECT_EQ(kept.position.history.kept, 1);
}

TEST(Stability, NeverAtTheCostOfCoverage) {
  // PC-1 held L-A (2021), but PC-2 now runs 2021 and only L-A covers it: L-A moves, L-B covers PC-1.
  const std::string ents =
      "L-A,office,2021,Professional Plus,volume,1,,500.00,EUR,,,,,,\n"
      "L-B,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n";
  const auto r = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n",
                     "I-1,PC-1," + std::string(office2019) +
                         ",\nI-2,PC-2,Microsoft Office Professional Plus 2021,Microsoft Corporation,16.0,\n",
                     ents, "2026-06-30", "L-A,PC-1,,2025-01-10,initial\n");
  EXPECT_EQ(r.position.totals.covered, 2u);
  EXPECT_EQ(r.licences_of("I-2"), std::vector<std::string>{"L-A"});
  EXPECT_EQ(r.position.history.moved, 1);
}

TEST(Stability, UnitsOfOnePoolGoBackToTheirHolders) {
  const std::string ents =
      "L-A,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n"
      "L-B,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n";
  const auto r = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n",
                     "I-1,PC-1," + std::string(office2019) + ",\nI-2,PC-2," + std::string(office2019) + ",\n", ents,
                     "2026-06-30", "L-A,PC-2,,2025-01-10,initial\nL-B,PC-1,,2025-01-10,initial\n");
  EXPECT_EQ(r.licences_of("I-1"), std::vector<std::string>{"L-B"});
  EXPECT_EQ(r.licences_of("I-2"), std::vector<std::string>{"L-A"});
  EXPECT_EQ(r.position.history.kept, 2);
}

// --- review cases: SA keeps the own version, first assignments, early moves, shortages --------

TEST(SoftwareAssurance, AddsTheNewVersionWithoutTakingTheOwnOneAway) {
  // Retail has no downgrade right, so from 2021 it could not run 2019: its own version still holds.
  const auto r = run(
      "PC-1,desktop,owned,active,,\n", "I-1,PC-1,Microsoft Office Home and Business 2019,Microsoft Corporation,16.0,\n",
      "L-1,office,2019,Home and Business,retail,1,PC-1,249.99,EUR,2020-01-15,,2020-01-15,2023-01-14,,\n", "2026-06-30");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_FALSE(r.has_evidence("I-1", RuleStep::Kind::software_assurance, ""));
}

TEST(Reassignment, AFirstAssignmentStartsNoClock) {
  // V1 counts from the last *re*assignment: a licence first assigned last month may move.
  const auto r = run(two_pcs_old_retired, "I-2,PC-2," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-06-30",
                     "L-1,PC-1,,2026-05-31,initial\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(assignment_of(r, "L-1")->reason, AssignmentReason::reassigned);
}

TEST(Reassignment, AMoveInsideTheNinetyDaysDidNotLawfullyHappen) {
  // L-1 came to PC-1 by reassignment on 2026-05-01; the history moves it again to PC-2 19 days
  // later, for no exempt reason. That move did not lawfully happen (V1, V6): the licence is
  // still PC-1's, PC-2 needs its own, and the finding names both holders and the dates. On
  // 2026-06-30 the 90 days since 2026-05-01 have not passed, so L-1 cannot move to PC-2 now
  // either.
  const auto r =
      run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n", "I-2,PC-2," + std::string(office2019) + ",\n",
          "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-06-30",
          "L-1,PC-1,,2026-05-01,reassigned\nL-1,PC-2,,2026-05-20,reassigned\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::shortfall);
  ASSERT_EQ(r.position.warnings.size(), 1u);
  EXPECT_EQ(r.position.warnings[0].code, "early-reassignment");
  EXPECT_NE(r.position.warnings[0].message.find(
                "L-1 moved from PC-1 (held since 2026-05-01) to PC-2 on 2026-05-20, 19 days after its last "
                "reassignment, for no exempt reason"),
            std::string::npos)
      << r.position.warnings[0].message;
  EXPECT_NE(r.position.warnings[0].message.find("L-1 is counted on PC-1, and PC-2 needs a licence of its own"),
            std::string::npos);

  // Once the 90 days have passed, L-1 may lawfully move to PC-2 now; the finding stays.
  const auto later =
      run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n", "I-2,PC-2," + std::string(office2019) + ",\n",
          "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-09-30",
          "L-1,PC-1,,2026-05-01,reassigned\nL-1,PC-2,,2026-05-20,reassigned\n");
  EXPECT_EQ(later.install("I-2").verdict, Verdict::covered);
  ASSERT_EQ(later.position.warnings.size(), 1u);
  EXPECT_EQ(later.position.warnings[0].code, "early-reassignment");
}

TEST(Reassignment, TheFirstTransferAfterPurchaseIsNotAReassignment) {
  // Assigned to PC-1 on purchase (initial), moved to PC-2 ten days later: the first transfer
  // starts the clock, it is not checked against one (V1: "since the last reassignment").
  const auto r =
      run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n", "I-2,PC-2," + std::string(office2019) + ",\n",
          "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n", "2026-09-30",
          "L-1,PC-1,,2026-05-01,initial\nL-1,PC-2,,2026-05-11,reassigned\n");
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_TRUE(r.position.warnings.empty());
}

TEST(Reassignment, CoreLicencesMovedBetweenHostsWithinNinetyDaysStayOnTheFirstHost) {
  // Sixteen Windows Server 2022 core licences moved HOST-1 -> HOST-2 (a reassignment), then
  // HOST-2 -> HOST-3 42 days later: the second move did not happen (V4: "as often as every
  // 90 days"); HOST-2 keeps them and HOST-3 is short. A licence of several units is checked as
  // well as a one-unit licence.
  io::FleetSources src;
  src.devices = "device_id,kind,processors,cores\nHOST-1,server,2,16\nHOST-2,server,2,16\nHOST-3,server,2,16\n";
  src.installs = std::string(installs_head) +
                 "I-2,HOST-2,Microsoft Windows Server 2022 Standard,Microsoft Corporation,,\n"
                 "I-3,HOST-3,Microsoft Windows Server 2022 Standard,Microsoft Corporation,,\n";
  src.entitlements = std::string(entitlements_head) + "L-1,windows-server,2022,Standard,volume,16,,61.00,EUR,,,,,,\n";
  src.assignments =
      "licence_id,device_id,from,reason,units\nL-1,HOST-1,2026-01-10,initial,16\n"
      "L-1,HOST-2,2026-03-01,reassigned,16\nL-1,HOST-3,2026-04-12,reassigned,16\n";
  ReconcileOptions options;
  options.as_of = day("2026-09-30");
  const auto r = test::reconcile_sources(src, options);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-3").verdict, Verdict::shortfall);
  ASSERT_FALSE(r.position.warnings.empty());
  EXPECT_EQ(r.position.warnings[0].code, "early-reassignment");
}

TEST(Stability, WhenLicencesRunShortTheHoldersKeepTheirs) {
  // Two units on PC-2 and PC-3 since 2025; PC-1 (first by id) needs Office too: it is the one short.
  const auto r = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\nPC-3,desktop,owned,active,,\n",
                     "I-1,PC-1," + std::string(office2019) + ",\nI-2,PC-2," + std::string(office2019) + ",\nI-3,PC-3," +
                         std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,2,,439.00,EUR,,,,,,\n", "2026-06-30",
                     "L-1,PC-2,,2025-01-10,initial\nL-1,PC-3,,2025-01-10,initial\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(r.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-3").verdict, Verdict::covered);
  EXPECT_EQ(r.position.history.moved, 0);
}

TEST(Stability, AUserKeepsTheUserLicenceTheyHeld) {
  const std::string devices = "PC-A,desktop,owned,active,,alice\nPC-B,desktop,owned,active,,bob\n";
  const std::string installs = "I-A,PC-A," + std::string(m365) + ",\nI-B,PC-B," + std::string(m365) + ",\n";
  const std::string ents =
      "L-1,m365-apps,current,enterprise,subscription,1,,12.00,EUR,,user,,,,\n"
      "L-2,m365-apps,current,enterprise,subscription,1,,12.00,EUR,,user,,,,\n";
  const auto r =
      run(devices, installs, ents, "2026-06-30", "L-1,,bob,2025-01-10,initial\nL-2,,alice,2025-01-10,initial\n");
  EXPECT_EQ(r.licences_of("I-A"), std::vector<std::string>{"L-2"});
  EXPECT_EQ(r.licences_of("I-B"), std::vector<std::string>{"L-1"});
  EXPECT_EQ(r.position.history.moved, 0);
}

TEST(Stability, NewUnitsOfALicenceAreNotMoves) {
  // Quantity 2: PC-1 keeps its unit, PC-2 gets the one never assigned: an initial assignment.
  const auto r = run("PC-1,desktop,owned,active,,\nPC-2,desktop,owned,active,,\n",
                     "I-1,PC-1," + std::string(office2019) + ",\nI-2,PC-2," + std::string(office2019) + ",\n",
                     "L-1,office,2019,Professional Plus,volume,2,,439.00,EUR,,,,,,\n", "2026-06-30",
                     "L-1,PC-1,,2025-01-10,initial\n");
  EXPECT_EQ(r.position.history.kept, 1);
  EXPECT_EQ(r.position.history.moved, 0);
  EXPECT_EQ(r.position.history.assigned, 1);
}

// --- a timeline through assignments.csv ---------------------------------------------------------

TEST(Timeline, ThreeRunsCarryTheirAssignmentsForward) {
  // Before: L-1 on PC-0 since 2025 (scrapped 2025-12-01). Run 1: it moves to PC-1. Run 2 (30
  // days on): PC-1 scrapped, L-1 locked there, PC-2 short. Run 3 (100 days on): L-1 moves to PC-2.
  const std::string ents = "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR,,,,,,\n";
  const std::string devices =
      "PC-0,desktop,owned,retired,2025-12-01,\nPC-1,desktop,owned,retired,2026-01-20,\n"
      "PC-2,desktop,owned,active,,\n";
  const std::string installs =
      "I-1,PC-1," + std::string(office2019) + ",2025-12-15\nI-2,PC-2," + std::string(office2019) + ",2026-01-25\n";
  auto history_of = [](const Reconciled& r) {
    std::string csv = io::format_assignments_csv(r.position.assignments);
    return csv.substr(csv.find('\n') + 1);  // without its header
  };
  auto run_with = [&](std::string_view as_of, const std::string& history) {
    io::FleetSources s;
    s.devices = std::string(devices_head) + devices;
    s.installs = std::string(installs_head) + installs;
    s.entitlements = std::string(entitlements_head) + ents;
    s.assignments = "licence_id,device_id,user,from,reason,units\n" + history;
    ReconcileOptions o;
    o.as_of = day(as_of);
    o.record_assignments = true;
    return test::reconcile_sources(s, o);
  };
  const auto run1 = run_with("2026-01-01", "L-1,PC-0,,2025-03-01,initial,1\n");
  EXPECT_EQ(run1.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(history_of(run1), "L-1,PC-1,,2026-01-01,reassigned,1\n");

  const auto run2 = run_with("2026-01-31", history_of(run1));
  EXPECT_EQ(run2.install("I-2").verdict, Verdict::shortfall);
  EXPECT_EQ(history_of(run2), "L-1,PC-1,,2026-01-01,reassigned,1\n");
  const auto run3 = run_with("2026-04-11", history_of(run2));
  EXPECT_EQ(run3.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(history_of(run3), "L-1,PC-2,,2026-04-11,reassigned,1\n");
}

}  // namespace
}  // namespace trueup
