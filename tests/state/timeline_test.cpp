// SPDX-License-Identifier: BSL-1.0
// File: tests/state/timeline_test.cpp
//
// Reconciles at successive dates against one state file, as `trueup reconcile --state` does:
// each run reads the assignments earlier runs recorded, honours the 90-day rule (licensing-
// rules V1: not within 90 days of the last reassignment), and records its own. One fleet serves every date: devices
// retire and installs appear on the dates their rows give (the as-of date decides what exists).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "trueup/state/store.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;
using StateRun = state::Run;  // `Run` alone names testing::Test::Run inside a TEST body

// PC-0 ran Office until it was scrapped on 2025-12-01; PC-1 gets Office on 2025-12-15 and is
// scrapped on 2026-01-20; PC-2 gets Office on 2026-01-25 and is scrapped on 2026-04-20; PC-3
// gets Office on 2026-04-25. One volume licence, L-1, first assigned to PC-0 (the seed run).
io::FleetSources fleet() {
  io::FleetSources src;
  src.devices =
      "device_id,kind,status,status_date\n"
      "PC-0,desktop,retired,2025-12-01\n"
      "PC-1,desktop,retired,2026-01-20\n"
      "PC-2,desktop,retired,2026-04-20\n"
      "PC-3,desktop,active,\n";
  src.installs =
      "install_id,device_id,title,publisher,version,first_seen\n"
      "I-0,PC-0,Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0,2025-01-01\n"
      "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0,2025-12-15\n"
      "I-2,PC-2,Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0,2026-01-25\n"
      "I-3,PC-3,Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0,2026-04-25\n";
  src.entitlements =
      "licence_id,family,version,edition,channel,quantity,unit_cost,currency\n"
      "L-1,office,2019,Professional Plus,volume,1,439.00,EUR\n";
  return src;
}

class Timeline : public testing::Test {
 protected:
  void SetUp() override {
    file_ = fs::temp_directory_path() / ("trueup-timeline-" + std::to_string(::getpid()) + ".db");
    fs::remove(file_);
  }
  void TearDown() override { fs::remove(file_); }

  /// One run: open the store, reconcile as of `as_of` with its history, record the result.
  test::Reconciled reconcile_on(std::string_view as_of) {
    auto store = state::Store::open(file_);
    EXPECT_TRUE(store.has_value());
    auto run = store->begin_run();
    EXPECT_TRUE(run.has_value());
    auto read = io::parse_fleet(fleet(), test::microsoft_pack());
    EXPECT_TRUE(read.has_value());
    test::Reconciled r{std::move(read->fleet), {}};
    r.fleet.assignments = run->current();
    ReconcileOptions options;
    options.as_of = Date::parse(as_of);
    options.record_assignments = true;
    r.position = reconcile(test::microsoft_pack(), r.fleet, options);
    auto recorded = run->commit(*options.as_of, r.position.assignments, "timeline");
    EXPECT_TRUE(recorded.has_value()) << (recorded ? "" : to_string(recorded.error().front()));
    return r;
  }

  std::vector<std::string> timeline_of(std::string_view licence) {
    auto store = state::Store::open(file_, {.read_only = true});
    EXPECT_TRUE(store.has_value());
    std::vector<std::string> out;
    const auto rows = store->history_of_licence(licence);
    EXPECT_TRUE(rows.has_value());
    if (!rows) return out;
    for (const auto& h : rows.value())
      out.push_back(h.device + " " + h.from.iso() + ".." + (h.to ? h.to->iso() : std::string("now")) + " " +
                    std::string(name(h.reason)));
    return out;
  }

  fs::path file_;
};

TEST_F(Timeline, ThreeRunsHonourTheNinetyDayRuleAndRecordTheMoves) {
  (void)reconcile_on("2025-06-01");  // the seed: L-1 on PC-0, a first assignment
  EXPECT_EQ(timeline_of("L-1"), std::vector<std::string>{"PC-0 2025-06-01..now initial"});

  // Run 1: PC-0 is scrapped; a first assignment starts no 90-day clock, so L-1 moves to PC-1.
  const auto run1 = reconcile_on("2026-01-10");
  EXPECT_EQ(run1.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(run1.position.history.moved, 1);

  // Run 2: PC-1 is scrapped, PC-2 needs Office; L-1 was reassigned 21 days ago: it stays on PC-1.
  const auto run2 = reconcile_on("2026-01-31");
  EXPECT_EQ(run2.install("I-1").verdict, Verdict::excluded);
  EXPECT_EQ(run2.install("I-2").verdict, Verdict::shortfall);
  EXPECT_NE(run2.licence("L-1").note.find("may not be reassigned before 2026-04-10"), std::string::npos)
      << run2.licence("L-1").note;
  EXPECT_EQ(run2.position.history.locked, 1);

  // Run 3: 90 days have passed: L-1 moves to PC-2.
  const auto run3 = reconcile_on("2026-04-10");
  EXPECT_EQ(run3.install("I-2").verdict, Verdict::covered);
  EXPECT_EQ(run3.position.history.moved, 1);
  EXPECT_EQ(timeline_of("L-1"),
            (std::vector<std::string>{"PC-0 2025-06-01..2026-01-10 initial", "PC-1 2026-01-10..2026-04-10 reassigned",
                                      "PC-2 2026-04-10..now reassigned"}));
}

TEST_F(Timeline, AMovedLicenceIsLockedAgainForNinetyDays) {
  (void)reconcile_on("2025-06-01");
  (void)reconcile_on("2026-01-10");  // to PC-1
  (void)reconcile_on("2026-04-10");  // to PC-2
  // PC-2 is scrapped on 2026-04-20, PC-3 needs Office on 2026-05-01: L-1 stays on PC-2.
  const auto locked = reconcile_on("2026-05-01");
  EXPECT_EQ(locked.install("I-3").verdict, Verdict::shortfall);
  EXPECT_EQ(locked.position.history.locked, 1);
  const auto moved = reconcile_on("2026-07-09");  // 90 days after 2026-04-10
  EXPECT_EQ(moved.install("I-3").verdict, Verdict::covered);
  EXPECT_EQ(timeline_of("L-1").back(), "PC-3 2026-07-09..now reassigned");
}

TEST_F(Timeline, ARunOnAnUnchangedFleetRecordsNothingNew) {
  (void)reconcile_on("2025-06-01");
  const auto again = reconcile_on("2025-06-20");
  EXPECT_EQ(again.position.history.kept, 1);
  EXPECT_EQ(again.position.history.moved + again.position.history.assigned, 0);
  EXPECT_EQ(timeline_of("L-1"), std::vector<std::string>{"PC-0 2025-06-01..now initial"});
}

}  // namespace
}  // namespace trueup
