// SPDX-License-Identifier: BSL-1.0
// File: tests/state/reconcile_run_test.cpp
//
// begin_reconcile (trueup/state/reconcile_run.hpp): the state store as `trueup reconcile
// --state` and `reconcile(..., state=)` use it. A new file leaves assignments.csv as the seed; a
// file with runs replaces it (and says so); a run dated before the last is refused before
// anything is reconciled; the run holds the lock until it commits.
#include "trueup/state/reconcile_run.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using testing::HasSubstr;
using trueup::AssignmentReason;
using trueup::Date;
using trueup::Fleet;
using trueup::LicenceAssignment;
using trueup::state::begin_reconcile;

Date day(int y, unsigned m, unsigned d) { return Date::from_ymd(y, m, d); }

LicenceAssignment held(std::string licence, std::string device, Date from) {
  return {std::move(licence), std::move(device), "", 1, from, AssignmentReason::initial, 0};
}

class BeginReconcile : public testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("trueup-reconcile-run-" + std::to_string(::getpid()) + "-" +
                                         testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
  }
  void TearDown() override {
    std::error_code ec;
    for (const char* suffix : {"", "-journal"}) fs::remove(path_.string() + suffix, ec);
  }
  /// Records one run holding `assignments` on `as_of`.
  void record(Date as_of, const std::vector<LicenceAssignment>& assignments) {
    Fleet fleet;
    auto begun = begin_reconcile(path_, as_of, fleet);
    ASSERT_TRUE(begun.has_value());
    ASSERT_TRUE(begun->run.commit(as_of, assignments, "test").has_value());
  }
  [[nodiscard]] std::string bytes() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  fs::path path_;
};

TEST_F(BeginReconcile, ANewFileKeepsAssignmentsCsvAsTheSeedOfTheHistory) {
  Fleet fleet;
  fleet.assignments = {held("L-1", "PC-1", day(2026, 1, 5))};
  auto begun = begin_reconcile(path_, day(2026, 6, 30), fleet);
  ASSERT_TRUE(begun.has_value());
  EXPECT_FALSE(begun->history_in_state);
  EXPECT_TRUE(begun->warnings.empty());
  ASSERT_EQ(fleet.assignments.size(), 1U);
  EXPECT_EQ(fleet.assignments[0].device, "PC-1");
}

TEST_F(BeginReconcile, AFileWithRunsIsTheHistoryAndAssignmentsCsvIsIgnoredWithAWarning) {
  record(day(2026, 3, 31), {held("L-1", "PC-2", day(2026, 3, 31))});
  Fleet fleet;
  fleet.assignments = {held("L-1", "PC-1", day(2026, 1, 5))};
  auto begun = begin_reconcile(path_, day(2026, 6, 30), fleet);
  ASSERT_TRUE(begun.has_value());
  EXPECT_TRUE(begun->history_in_state);
  ASSERT_EQ(fleet.assignments.size(), 1U);
  EXPECT_EQ(fleet.assignments[0].device, "PC-2");
  EXPECT_EQ(fleet.assignments[0].from, day(2026, 3, 31));
  ASSERT_EQ(begun->warnings.size(), 1U);
  EXPECT_EQ(begun->warnings[0].code, "history-in-state");
  EXPECT_EQ(begun->warnings[0].file, "assignments.csv");
}

TEST_F(BeginReconcile, WithoutAssignmentsCsvTheStateIsReadSilently) {
  record(day(2026, 3, 31), {held("L-1", "PC-2", day(2026, 3, 31))});
  Fleet fleet;
  auto begun = begin_reconcile(path_, day(2026, 6, 30), fleet);
  ASSERT_TRUE(begun.has_value());
  EXPECT_TRUE(begun->warnings.empty());
  EXPECT_EQ(fleet.assignments.size(), 1U);
}

TEST_F(BeginReconcile, ARunDatedBeforeTheLastIsRefusedAndTheFileIsAsItWas) {
  record(day(2026, 6, 30), {held("L-1", "PC-2", day(2026, 6, 30))});
  const std::string before = bytes();
  Fleet fleet;
  fleet.assignments = {held("L-1", "PC-1", day(2026, 1, 5))};
  auto begun = begin_reconcile(path_, day(2026, 5, 31), fleet);
  ASSERT_FALSE(begun.has_value());
  ASSERT_EQ(begun.error().size(), 1U);
  EXPECT_EQ(begun.error()[0].code, "state-as-of-earlier");
  EXPECT_EQ(begun.error()[0].file, path_.string());
  EXPECT_THAT(begun.error()[0].message, HasSubstr("2026-06-30"));
  EXPECT_EQ(fleet.assignments[0].device, "PC-1");  // the fleet untouched
  EXPECT_EQ(bytes(), before);
}

TEST_F(BeginReconcile, TheRunHoldsTheLockUntilItCommits) {
  Fleet first;
  auto begun = begin_reconcile(path_, day(2026, 6, 30), first);
  ASSERT_TRUE(begun.has_value());
  Fleet second;
  auto refused = begin_reconcile(path_, day(2026, 6, 30), second, {.wait = std::chrono::milliseconds(50)});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error()[0].code, "state-busy");
  ASSERT_TRUE(begun->run.commit(day(2026, 6, 30), {}, "first").has_value());
  EXPECT_TRUE(begin_reconcile(path_, day(2026, 6, 30), second).has_value());
}

TEST_F(BeginReconcile, AFileThatIsNotAStateIsRefused) {
  std::ofstream(path_) << "device_id,kind\n";
  Fleet fleet;
  auto begun = begin_reconcile(path_, day(2026, 6, 30), fleet);
  ASSERT_FALSE(begun.has_value());
  EXPECT_EQ(begun.error()[0].code, "state-not-trueup");
}

}  // namespace
