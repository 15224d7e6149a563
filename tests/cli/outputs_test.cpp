// SPDX-License-Identifier: BSL-1.0
// File: tests/cli/outputs_test.cpp
//
// `trueup reconcile` against the slips that could lose or poison the state or an output
// (docs/state.md, "Safety before the run"): two outputs on one file, an output that is a
// directory, a symlink or a FIFO, an as-of date in the future, an output that cannot be
// written, and the leftovers of a killed run. Each slip exits 2 before anything is computed,
// and leaves the state file byte for byte as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/run_trueup.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path trueup_exe = trueup::test::trueup_exe();
const std::string fleet = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso";

using trueup::test::file_bytes;
using trueup::test::Ran;
using trueup::test::run_trueup;

class Outputs : public testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(trueup_exe)) GTEST_SKIP() << "the trueup executable is not built (TRUEUP_BUILD_CLI=OFF)";
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("trueup-cli-outputs-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  /// Runs `trueup ARGS`, capturing both streams.
  Ran trueup(const std::vector<std::string>& args) const { return run_trueup(args, dir_ / "stderr"); }
  /// A state file with one recorded run.
  [[nodiscard]] std::string recorded_state() const {
    const std::string state = (dir_ / "s.db").string();
    const Ran first = trueup({"reconcile", fleet, "--as-of", "2026-06-30", "--state", state, "-q"});
    EXPECT_EQ(first.exit, 0) << first.err;
    return state;
  }
  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(Outputs, TheStateAndAReportOnOneFileAreRefusedAndTheHistoryKept) {
  const std::string state = recorded_state();
  const std::string before = file_bytes(state);
  // The same file, and the same file by another spelling.
  for (const std::string& report : {state, (dir_ / "." / "s.db").string()}) {
    const Ran r = trueup({"reconcile", fleet, "--as-of", "2026-07-30", "--state", state, "-o", report});
    EXPECT_EQ(r.exit, 2);
    EXPECT_EQ(r.err, state +
                         ": error[same-output]: expected --state to name a file of its own, found the file -o "
                         "names; one would destroy the other\ntrueup: nothing was computed or written\n");
    EXPECT_EQ(file_bytes(state), before);
  }
  // A hard link to the state file is the same file too.
  fs::create_hard_link(state, path("link.db"));
  const Ran linked = trueup({"reconcile", fleet, "--state", state, "--write-assignments", path("link.db")});
  EXPECT_EQ(linked.exit, 2);
  EXPECT_NE(linked.err.find("error[same-output]"), std::string::npos) << linked.err;
  EXPECT_EQ(file_bytes(state), before);
}

TEST_F(Outputs, TwoOutputsOnOneFileAreRefusedBeforeTheStateIsTouched) {
  const std::string state = recorded_state();
  const std::string before = file_bytes(state);
  const Ran r = trueup({"reconcile", fleet, "--as-of", "2026-07-30", "--state", state, "-o", path("out.csv"),
                        "--write-assignments", path("out.csv")});
  EXPECT_EQ(r.exit, 2);
  EXPECT_EQ(r.err, path("out.csv") +
                       ": error[same-output]: expected --write-assignments to name a file of its own, found the "
                       "file -o names; one would destroy the other\ntrueup: nothing was computed or written\n");
  EXPECT_EQ(file_bytes(state), before);
  EXPECT_FALSE(fs::exists(path("out.csv")));
}

// An output naming a file the run reads would destroy it: refused before anything is read or
// written. Writing the assignments into DIR's history file stays allowed: that is its purpose.
TEST_F(Outputs, AnOutputNamingAnInputIsRefusedAndTheInputKept) {
  const std::string licences = path("licences.csv");
  fs::copy_file(fleet + "/entitlements.csv", licences);
  const std::string before = file_bytes(licences);
  const Ran r = trueup(
      {"reconcile", fleet, "--as-of", "2026-07-30", "--entitlements", licences, "--format", "json", "-o", licences});
  EXPECT_EQ(r.exit, 2);
  EXPECT_EQ(r.err, licences + ": error[output-is-input]: expected -o to name a file the run does not read, found " +
                       licences + ", which --entitlements reads; writing it would destroy that input\n" +
                       "trueup: nothing was computed or written\n");
  EXPECT_EQ(file_bytes(licences), before);

  fs::create_directory(path("fleet"));
  for (const char* f : {"devices.csv", "installs.csv", "entitlements.csv"})
    fs::copy_file(fleet + "/" + f, path("fleet") + "/" + f);
  const std::string installs = file_bytes(path("fleet") + "/installs.csv");
  const Ran into_dir = trueup({"reconcile", path("fleet"), "--as-of", "2026-07-30", "-o", path("fleet/installs.csv")});
  EXPECT_EQ(into_dir.exit, 2);
  EXPECT_NE(into_dir.err.find("error[output-is-input]"), std::string::npos) << into_dir.err;
  EXPECT_EQ(file_bytes(path("fleet") + "/installs.csv"), installs);

  const Ran history = trueup({"reconcile", path("fleet"), "--as-of", "2026-07-30", "-q", "--write-assignments",
                              path("fleet/assignments.csv")});
  EXPECT_EQ(history.exit, 0) << history.err;
  const Ran again = trueup({"reconcile", path("fleet"), "--as-of", "2026-07-30", "-q", "--write-assignments",
                            path("fleet/assignments.csv")});
  EXPECT_EQ(again.exit, 0) << again.err;
}

TEST_F(Outputs, ADirectorySymlinkOrFifoIsNeverReplaced) {
  const std::string state = recorded_state();
  const std::string before = file_bytes(state);
  fs::create_directory(path("report-dir"));
  fs::create_symlink("target.txt", path("link.txt"));
  std::ofstream(path("target.txt")) << "kept\n";
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  for (const auto& [name, what] : std::vector<std::pair<std::string, std::string>>{
           {"report-dir", "a directory"}, {"link.txt", "a symbolic link"}, {"fifo", "a FIFO (named pipe)"}}) {
    const Ran r = trueup({"reconcile", fleet, "--as-of", "2026-07-30", "--state", state, "-o", path(name)});
    EXPECT_EQ(r.exit, 2);
    EXPECT_EQ(r.err, path(name) +
                         ": error[bad-output]: expected -o to name a regular file to write or replace, "
                         "found " +
                         what + "\ntrueup: nothing was computed or written\n");
    EXPECT_EQ(file_bytes(state), before) << name;
  }
  EXPECT_TRUE(fs::is_symlink(path("link.txt")));
  EXPECT_EQ(file_bytes(path("target.txt")), "kept\n");
  EXPECT_TRUE(fs::is_fifo(path("fifo")));
}

TEST_F(Outputs, AnAsOfDateInTheFutureNeedsItsFlagWithAState) {
  const std::string state = path("s.db");
  const Ran refused = trueup({"reconcile", fleet, "--as-of", "9999-12-31", "--state", state});
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(refused.err.find(state + ": error[state-future-as-of]: expected an as-of date on or before today, "),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find(", found 9999-12-31: a run recorded in the future refuses every later run (history "
                             "moves forward); --future-as-of records it anyway\n"),
            std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(state));
  // Without a state nothing is recorded: any date is a question about that day.
  EXPECT_EQ(trueup({"reconcile", fleet, "--as-of", "9999-12-31", "-q"}).exit, 0);
  const Ran forced = trueup({"reconcile", fleet, "--as-of", "2099-01-01", "--state", state, "--future-as-of", "-q"});
  EXPECT_EQ(forced.exit, 0) << forced.err;
  EXPECT_TRUE(fs::exists(state));
}

TEST_F(Outputs, AnOutputThatCannotBeWrittenLeavesTheStateAsItWas) {
  const std::string state = recorded_state();
  const std::string before = file_bytes(state);
  const Ran r = trueup({"reconcile", fleet, "--as-of", "2026-07-30", "--state", state, "-q", "-o",
                        path("no-such-dir/report.txt"), "--write-assignments", path("assignments.csv")});
  EXPECT_EQ(r.exit, 2);
  EXPECT_NE(r.err.find("error[write-failed]"), std::string::npos) << r.err;
  EXPECT_EQ(file_bytes(state), before);
  EXPECT_FALSE(fs::exists(path("assignments.csv")));
  EXPECT_FALSE(fs::exists(path("assignments.csv.trueup-pending")));
}

TEST_F(Outputs, ADiskThatFillsUpMidReportLeavesNoPartFileAndTheStateAsItWas) {
  // A full disk, made without privileges: a file size limit of 150 KB (ulimit -f, in 512-byte
  // blocks; SIGXFSZ ignored so that a write fails with EFBIG as it would with ENOSPC) lets the
  // state (60 KB) be read but not the JSON report (220 KB) be written.
  const std::string state = recorded_state();
  const std::string before = file_bytes(state);
  std::string command = "ulimit -f 300; trap '' XFSZ; exec '" + trueup_exe.string() + "' reconcile '" + fleet +
                        "' --as-of 2026-07-30 --state '" + state + "' -q --format json -o '" + path("report.json") +
                        "' --write-assignments '" + path("assignments.csv") + "' 2>'" + path("stderr") + "'";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = file_bytes(path("stderr"));
  EXPECT_NE(err.find(path("report.json") + ": error[write-failed]: expected to write the whole report, found: File "
                                           "too large (nothing was replaced)"),
            std::string::npos)
      << err;
  EXPECT_EQ(file_bytes(state), before);
  fs::remove(path("stderr"));
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir_)) left.push_back(e.path().filename().string());
  EXPECT_EQ(left, std::vector<std::string>{"s.db"});
}

TEST_F(Outputs, TheLeftoversOfAKilledRunAreRemovedByTheNextRun) {
  std::ofstream(path("report.json.trueup-pending")) << "half a report";
  std::ofstream(path("report.json.trueup-pending.trueup-tmp")) << "half";
  std::ofstream(path("history.csv.trueup-tmp")) << "half";
  const Ran r = trueup({"reconcile", fleet, "--as-of", "2026-06-30", "--format", "json", "-q", "-o",
                        path("report.json"), "--write-assignments", path("history.csv")});
  EXPECT_EQ(r.exit, 0) << r.err;
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir_)) left.push_back(e.path().filename().string());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"history.csv", "report.json"}));
}

}  // namespace
