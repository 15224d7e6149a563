// SPDX-License-Identifier: BSL-1.0
// File: tests/cli/history_test.cpp
//
// `trueup history` end to end: a state file recorded through the library, printed by the
// executable as a fixed-width timeline; a missing or foreign file exits 2 and is left as it was.
// `trueup reconcile --state` runs recorded one after the other, and `trueup explain --state`
// naming a licence's 90-day lock and its move between them from the file's history.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/run_trueup.hpp"
#include "trueup/state/store.hpp"

namespace {

namespace fs = std::filesystem;
using trueup::AssignmentReason;
using trueup::Date;
using trueup::LicenceAssignment;

const fs::path trueup_exe = trueup::test::trueup_exe();

using trueup::test::file_bytes;
using trueup::test::Ran;

/// Runs `trueup ARGS`, capturing both streams (standard error through SCRATCH.stderr).
Ran trueup_cli(const std::vector<std::string>& args, const fs::path& scratch) {
  return trueup::test::run_trueup(args, scratch.string() + ".stderr");
}

class History : public testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(trueup_exe)) GTEST_SKIP() << "the trueup executable is not built (TRUEUP_BUILD_CLI=OFF)";
    file_ = fs::temp_directory_path() / ("trueup-cli-history-" + std::to_string(::getpid()) + ".db");
    fs::remove(file_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove(file_, ec);
  }

  void record(Date as_of, const std::vector<LicenceAssignment>& held, std::string_view label) {
    auto store = trueup::state::Store::open(file_);
    ASSERT_TRUE(store);
    auto run = store->begin_run();
    ASSERT_TRUE(run);
    ASSERT_TRUE(run->commit(as_of, held, label));
  }

  fs::path file_;
};

TEST_F(History, PrintsTheTimelineOfALicenceDeviceOrUser) {
  using R = AssignmentReason;
  record(Date::from_ymd(2024, 1, 31),
         {{"OFFICE-L-1", "PC-0001", "", 1, Date::from_ymd(2023, 6, 1), R::initial, 0},
          {"M365-E3", "", "alice", 1, Date::from_ymd(2023, 7, 1), R::initial, 0}},
         "jan");
  record(Date::from_ymd(2024, 4, 30),
         {{"OFFICE-L-1", "PC-0002", "", 1, Date::from_ymd(2024, 4, 2), R::hardware_failure, 0},
          {"M365-E3", "", "bob", 1, Date::from_ymd(2024, 3, 1), R::user_left, 0},
          {"SQL-CORES", "PC-0001", "", 16, Date::from_ymd(2024, 4, 20), R::initial, 0}},
         "apr");

  const Ran licence = trueup_cli({"history", "--state", file_.string(), "--licence", "OFFICE-L-1"}, file_);
  EXPECT_EQ(licence.exit, 0) << licence.err;
  EXPECT_EQ(licence.err, "");
  EXPECT_EQ(licence.out,
            "from        to          licence     holder          units  reason            run\n"
            "2023-06-01  2024-04-30  OFFICE-L-1  device PC-0001      1  initial           1-2\n"
            "2024-04-02  now         OFFICE-L-1  device PC-0002      1  hardware-failure  2\n");

  const Ran device = trueup_cli({"history", "--device", "PC-0001", "--state", file_.string()}, file_);
  EXPECT_EQ(device.exit, 0) << device.err;
  EXPECT_EQ(device.out,
            "from        to          licence     holder          units  reason   run\n"
            "2023-06-01  2024-04-30  OFFICE-L-1  device PC-0001      1  initial  1-2\n"
            "2024-04-20  now         SQL-CORES   device PC-0001     16  initial  2\n");

  const Ran user = trueup_cli({"history", "--state", file_.string(), "--user", "bob"}, file_);
  EXPECT_EQ(user.out,
            "from        to   licence  holder    units  reason     run\n"
            "2024-03-01  now  M365-E3  user bob      1  user-left  2\n");

  // Columns are measured in characters, not bytes.
  record(Date::from_ymd(2024, 5, 31),
         {{"OFFICE-L-1", "PC-0002", "", 1, Date::from_ymd(2024, 4, 2), R::hardware_failure, 0},
          {"M365-E3", "", "bob", 1, Date::from_ymd(2024, 3, 1), R::user_left, 0},
          {"SQL-CORES", "PC-0001", "", 16, Date::from_ymd(2024, 4, 20), R::initial, 0},
          {"M365-E3", "", "zoë", 1, Date::from_ymd(2024, 5, 2), R::initial, 0}},
         "may");
  const Ran accented = trueup_cli({"history", "--state", file_.string(), "--licence", "M365-E3"}, file_);
  EXPECT_EQ(accented.out,
            "from        to          licence  holder      units  reason     run\n"
            "2023-07-01  2024-04-30  M365-E3  user alice      1  initial    1-2\n"
            "2024-03-01  now         M365-E3  user bob        1  user-left  2\n"
            "2024-05-02  now         M365-E3  user zoë        1  initial    3\n");

  const Ran nobody = trueup_cli({"history", "--state", file_.string(), "--user", "carol"}, file_);
  EXPECT_EQ(nobody.exit, 0);
  EXPECT_EQ(nobody.out, "no assignments recorded for user carol\n");
}

TEST_F(History, MissingOrForeignStateFileExitsTwoAndIsNotCreated) {
  const Ran missing = trueup_cli({"history", "--state", file_.string(), "--licence", "L-1"}, file_);
  EXPECT_EQ(missing.exit, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err, file_.string() + ": error[state-open]: expected an existing state file, found no file\n");
  EXPECT_FALSE(fs::exists(file_));

  std::ofstream(file_) << "licence_id,device_id\n";
  const Ran text = trueup_cli({"history", "--state", file_.string(), "--licence", "L-1"}, file_);
  EXPECT_EQ(text.exit, 2);
  EXPECT_EQ(text.err, file_.string() +
                          ": error[state-not-trueup]: expected a trueup state file, found a file that is not an "
                          "SQLite database\n");
}

TEST_F(History, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{"history", "--licence", "L-1"},
           std::vector<std::string>{"history", "--state", "x.db"},
           std::vector<std::string>{"history", "--state", "x.db", "--licence", "L-1", "--user", "bob"},
           std::vector<std::string>{"history", "--state"},
           std::vector<std::string>{"history", "--state", "x.db", "L-1"},
       }) {
    const Ran r = trueup_cli(args, file_);
    EXPECT_EQ(r.exit, 2) << args.back();
    EXPECT_NE(r.err.find("usage: trueup"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists("x.db"));
}

}  // namespace

namespace {

TEST_F(History, ReconcileWithAStateFileRecordsTheRunAndRefusesToGoBackInTime) {
  const std::string fleet = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso";
  const fs::path report = file_.string() + ".json";
  const Ran first = trueup_cli({"reconcile", fleet, "--as-of", "2026-06-30", "--state", file_.string()}, file_);
  EXPECT_EQ(first.exit, 0) << first.err;
  // Five retail licences move from scrapped PCs; L-0176 stays idle on PC-0162 (90-day rule).
  EXPECT_NE(first.out.find("Assignments: 0 unit(s) kept where they were, 5 moved, 421 newly assigned, 1 held idle by "
                           "the 90-day rule"),
            std::string::npos)
      << first.out;
  // The retail licence moved from a scrapped PC is on its new PC from this run's date.
  const Ran moved = trueup_cli({"history", "--state", file_.string(), "--licence", "L-0150"}, file_);
  EXPECT_EQ(moved.out,
            "from        to   licence  holder          units  reason      run\n"
            "2026-06-30  now  L-0150   device PC-0156      1  reassigned  1\n");

  // A second run a month later keeps every licence where it is, but for L-0176: its 90 days
  // on PC-0162 are over, and it moves to PC-0163, which needs it.
  const Ran second = trueup_cli({"reconcile", fleet, "--as-of", "2026-07-30", "--state", file_.string()}, file_);
  EXPECT_EQ(second.exit, 0) << second.err;
  EXPECT_NE(second.out.find("Assignments: 426 unit(s) kept where they were, 1 moved, 0 newly assigned, 0 held idle"),
            std::string::npos)
      << second.out;

  // Going back in time is refused before anything is computed; the file and -o are untouched.
  const std::string before = file_bytes(file_);
  const Ran back = trueup_cli(
      {"reconcile", fleet, "--as-of", "2026-07-01", "--state", file_.string(), "-o", report.string()}, file_);
  EXPECT_EQ(back.exit, 2);
  EXPECT_EQ(back.err, file_.string() +
                          ": error[state-as-of-earlier]: expected an as-of date on or after the last recorded run's "
                          "2026-07-30, found 2026-07-01 (history moves forward)\n"
                          "trueup: nothing was computed or written\n");
  EXPECT_EQ(file_bytes(file_), before);
  EXPECT_FALSE(fs::exists(report));
}

TEST_F(History, ExplainWithTheStateNamesALicencesLockAndItsMoveWithTheRule) {
  // L-0176, a volume licence, was reassigned to PC-0162 on 2026-05-01 and again, too early, to
  // PC-0163 (assignments.csv): the first run keeps it idle on PC-0162 (V1), the next one, 90
  // days on, moves it. explain reads the history from the state file and never changes it.
  const std::string fleet = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso";
  const Ran first = trueup_cli({"reconcile", fleet, "--as-of", "2026-06-30", "--state", file_.string()}, file_);
  ASSERT_EQ(first.exit, 0) << first.err;
  const std::string recorded = file_bytes(file_);
  const Ran locked =
      trueup_cli({"explain", fleet, "--licence", "L-0176", "--as-of", "2026-06-30", "--state", file_.string()}, file_);
  EXPECT_EQ(locked.exit, 0) << locked.err;
  EXPECT_NE(locked.out.find("note: 1 unit(s) assigned to PC-0162 on 2026-05-01: may not be reassigned before "
                            "2026-07-30 (90-day rule; licensing-rules V1: "),
            std::string::npos)
      << locked.out;
  EXPECT_NE(locked.out.find("\n  history: 1 assignment row(s) recorded in " + file_.filename().string() +
                            ", oldest first\n"
                            "    assignment: 2026-05-01 to now: L-0176 on PC-0162, 1 unit(s), reassigned (run 1)\n"),
            std::string::npos)
      << locked.out;
  EXPECT_EQ(file_bytes(file_), recorded);

  const Ran second = trueup_cli({"reconcile", fleet, "--as-of", "2026-07-30", "--state", file_.string()}, file_);
  ASSERT_EQ(second.exit, 0) << second.err;
  const std::string recorded_twice = file_bytes(file_);
  const Ran moved =
      trueup_cli({"explain", fleet, "--licence", "L-0176", "--as-of", "2026-07-30", "--state", file_.string()}, file_);
  EXPECT_EQ(moved.exit, 0) << moved.err;
  // The move is the second run's, read back from the file: from PC-0162 to PC-0163 (V1).
  EXPECT_NE(moved.out.find("note: 1 unit(s) assigned to PC-0163 on 2026-07-30: may not be reassigned before "
                           "2026-10-28 (90-day rule; licensing-rules V1: "),
            std::string::npos)
      << moved.out;
  const std::string move =
      "      reassignment: L-0176 moved from PC-0162 to PC-0163 on 2026-07-30: a licence may be reassigned, and not "
      "again within 90 days of its last reassignment unless for permanent hardware failure or a user leaving "
      "(licensing-rules V1: ";
  EXPECT_NE(
      moved.out.find("    assignment: 2026-05-01 to 2026-07-30: L-0176 on PC-0162, 1 unit(s), reassigned (run 1)\n"
                     "    assignment: 2026-07-30 to now: L-0176 on PC-0163, 1 unit(s), reassigned (run 2)\n" +
                     move),
      std::string::npos)
      << moved.out;
  EXPECT_NE(moved.out.find("install: I-00425 \"Microsoft Office Professional Plus 2021\": covered"), std::string::npos)
      << moved.out;
  const Ran device =
      trueup_cli({"explain", fleet, "--device", "PC-0163", "--as-of", "2026-07-30", "--state", file_.string()}, file_);
  EXPECT_EQ(device.exit, 0) << device.err;
  EXPECT_NE(
      device.out.find("    assignment: 2026-07-30 to now: L-0176 on PC-0163, 1 unit(s), reassigned (run 2)\n" + move),
      std::string::npos)
      << device.out;
  const Ran install = trueup_cli({"explain", fleet, "--install", "I-00425", "--as-of", "2026-07-30", "--state",
                                  file_.string(), "--format", "json"},
                                 file_);
  EXPECT_EQ(install.exit, 0) << install.err;
  EXPECT_NE(install.out.find("{\"depth\":2,\"kind\":\"reassignment\",\"text\":\"L-0176 moved from PC-0162 to PC-0163"),
            std::string::npos)
      << install.out;
  EXPECT_EQ(file_bytes(file_), recorded_twice);
  // Without the state file, the same explanation has no history: it comes from the file only.
  const Ran stateless = trueup_cli({"explain", fleet, "--licence", "L-0176", "--as-of", "2026-07-30"}, file_);
  EXPECT_EQ(stateless.exit, 0) << stateless.err;
  EXPECT_EQ(stateless.out.find("history:"), std::string::npos) << stateless.out;

  // An explanation dated before the last recorded run is refused: history moves forward.
  const Ran back =
      trueup_cli({"explain", fleet, "--licence", "L-0176", "--as-of", "2026-07-01", "--state", file_.string()}, file_);
  EXPECT_EQ(back.exit, 2);
  EXPECT_NE(back.err.find("error[state-as-of-earlier]"), std::string::npos) << back.err;
}

}  // namespace
