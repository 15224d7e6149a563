// SPDX-License-Identifier: BSL-1.0
// File: tests/io/parallel_test.cpp
//
// Threads change nothing: reading, reconciling and the JSON report with two threads give the
// bytes one thread gives, on the sample fleet and on a generated one. The size thresholds
// below which work stays on one thread (detail/parallel.hpp) are lowered to the minimum, so
// that every parallel path runs even on the sample fleet: installs.csv in two parts, normalise
// in two ranges, the verdicts in two ranges, the installs sorted in two halves and formatted in
// many blocks. A quoted field that spans the split must fall back to the one-thread result,
// and an id in both parts must be reported as one thread reports it.
#include <gtest/gtest.h>

#include <string>

#include "../../bench/fleet_generator.hpp"
#include "support/fleet_fixture.hpp"
#include "trueup/detail/parallel.hpp"
#include "trueup/io/writers.hpp"

namespace trueup {
namespace {

/// Thresholds at their minimum for the life of a test, restored after.
class ParallelPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = detail::parallel_thresholds();
    detail::parallel_thresholds() = {1, 1, 2, 3, 1};
  }
  void TearDown() override { detail::parallel_thresholds() = saved_; }

 private:
  detail::ParallelThresholds saved_;
};

/// The JSON report of `src` (or the rendered diagnostics when it does not read), computed with
/// `threads` threads in every stage.
std::string report(const io::FleetSources& src, unsigned threads) {
  auto read = io::parse_fleet(src, test::microsoft_pack(), threads);
  if (!read) {
    std::string out;
    for (const auto& d : read.error()) out += to_string(d) + "\n";
    return out;
  }
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  options.threads = threads;
  const Position p = reconcile(test::microsoft_pack(), read->fleet, options);
  std::string warnings;
  for (const auto& d : read->warnings) warnings += to_string(d) + "\n";
  return warnings + io::format_json(p, test::microsoft_pack(), read->fleet, threads);
}

io::FleetSources sample_fleet() {
  io::FleetSources src;
  const std::string dir = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso/";
  src.devices = *io::read_input_file(dir + "devices.csv", "devices.csv");
  src.installs = *io::read_input_file(dir + "installs.csv", "installs.csv");
  src.entitlements = *io::read_input_file(dir + "entitlements.csv", "entitlements.csv");
  return src;
}

TEST_F(ParallelPaths, SampleFleetGivesTheSameBytesOnTwoThreads) {
  const io::FleetSources src = sample_fleet();
  const std::string one = report(src, 1);
  ASSERT_NE(one.find("\"installs\""), std::string::npos);
  EXPECT_EQ(report(src, 2), one);
  EXPECT_EQ(report(src, 3), one);
}

TEST_F(ParallelPaths, GeneratedFleetGivesTheSameBytesOnTwoThreads) {
  const bench::GeneratedFleet g = bench::generate_fleet(3000, 42);
  const std::string one = report(g.csv, 1);
  ASSERT_NE(one.find("\"installs\""), std::string::npos);
  EXPECT_EQ(report(g.csv, 2), one);
}

TEST_F(ParallelPaths, GeneratedFleetAtDefaultThresholdsGivesTheSameBytes) {
  detail::parallel_thresholds() = {};
  // Large enough that installs.csv (over 4 MiB) and normalise (over 2 x 50,000 installs)
  // take their parallel paths at the shipped thresholds.
  const bench::GeneratedFleet g = bench::generate_fleet(110'000);
  ASSERT_GE(g.csv.installs.size(), detail::parallel_thresholds().installs_csv_bytes);
  EXPECT_EQ(report(g.csv, 2), report(g.csv, 1));
}

TEST_F(ParallelPaths, QuotedFieldAcrossTheSplitFallsBackToOneThread) {
  io::FleetSources src = sample_fleet();
  // A title with a line break in its quotes, on every row, so that any split point may fall
  // inside one: the two-part read must notice and read the file again on one thread.
  std::string installs;
  std::size_t line_start = 0;
  for (std::size_t row = 0; line_start < src.installs.size(); ++row) {
    const std::size_t end = src.installs.find('\n', line_start);
    std::string line = src.installs.substr(line_start, end - line_start);
    if (row > 0) {
      const std::size_t c1 = line.find(',');
      const std::size_t c2 = line.find(',', c1 + 1);
      const std::size_t c3 = line.find(',', c2 + 1);
      line = line.substr(0, c2 + 1) + "\"" + line.substr(c2 + 1, c3 - c2 - 1) + "\nsecond line\"" + line.substr(c3);
    }
    installs += line + "\n";
    line_start = end == std::string::npos ? src.installs.size() : end + 1;
  }
  src.installs = installs;
  const std::string one = report(src, 1);
  EXPECT_EQ(report(src, 2), one);
}

TEST_F(ParallelPaths, DuplicateIdAcrossThePartsGivesTheSameDiagnostic) {
  io::FleetSources src = sample_fleet();
  // The first data row again at the end: a duplicate-id whose first line is in the other part.
  const std::size_t first_row = src.installs.find('\n') + 1;
  src.installs += src.installs.substr(first_row, src.installs.find('\n', first_row) + 1 - first_row);
  const std::string one = report(src, 1);
  ASSERT_NE(one.find("duplicate-id"), std::string::npos);
  EXPECT_EQ(report(src, 2), one);
}

}  // namespace
}  // namespace trueup
