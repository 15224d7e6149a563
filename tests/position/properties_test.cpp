// SPDX-License-Identifier: BSL-1.0
// File: tests/position/properties_test.cpp
//
// Properties of whole reconciles on thousands of fixed-seed random fleets of the shipped
// Microsoft pack (tests/support/random_fleet.hpp), each read from its CSV rows as a user's
// files are:
// - the totals add up and the accounting holds (check_accounting); no licence hands out more
//   units than it holds;
// - shuffling the rows of every table changes nothing: the JSON report is byte-identical;
// - renaming every id changes nothing but names and equal-cost tie-breaks: the table (per
//   product rows, totals, cost; it names no id) is identical;
// - adding a licence never increases the shortfall (installs short, and units of every metric
//   whose demand did not grow); removing an install never increases it.
// - the optimum equals an independent solver's: on tiny random estates of a pack built in code
//   (tests/support/random_instances.hpp), the shortfall and its spend are the brute force's of
//   tests/support/position_oracle.hpp (which tests/solver/reconcile_optimality_test.cpp also
//   checks install by install).
//
// The number of fleets is scaled down in sanitizer builds (CI runs the suite sanitized too).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "support/json_check.hpp"
#include "support/position_oracle.hpp"
#include "support/random_fleet.hpp"

namespace trueup {
namespace {

// GCC says __SANITIZE_ADDRESS__ under -fsanitize=address, clang __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define TRUEUP_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRUEUP_SANITIZED 1
#endif
#endif
#ifdef TRUEUP_SANITIZED
constexpr std::uint32_t fleets = 300;
#else
constexpr std::uint32_t fleets = 2000;
#endif

struct Outcome {
  bool read = false;
  Fleet fleet;
  Position position;
};

Outcome reconciled(const test::FleetRows& rows) {
  Outcome r;
  auto read = io::parse_fleet(rows.sources(), test::microsoft_pack());
  if (!read) return r;
  r.read = true;
  r.fleet = std::move(read->fleet);
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  r.position = reconcile(test::microsoft_pack(), r.fleet, options);
  return r;
}

std::string json(const Outcome& r) { return io::format_json(r.position, test::microsoft_pack(), r.fleet); }

/// Whether `after` leaves no more installs short than `before`, nor more units of any metric
/// whose demand did not grow. (A metric's demand grows when a server changes licensing model:
/// without its 2016 install, a server of 2008 R2 is licensed per processor instead of per core,
/// and units of different metrics are not comparable.)
::testing::AssertionResult no_more_short(const Position& before, const Position& after) {
  if (after.totals.shortfall > before.totals.shortfall)
    return ::testing::AssertionFailure() << "installs short: " << before.totals.shortfall << " became "
                                         << after.totals.shortfall;
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals &b = before.totals.units[m], &a = after.totals.units[m];
    if (a.demand <= b.demand && a.shortfall > b.shortfall)
      return ::testing::AssertionFailure()
             << "metric " << name(static_cast<Metric>(m)) << ": shortfall " << b.shortfall << " became " << a.shortfall;
  }
  return ::testing::AssertionSuccess();
}

/// The invariants every position keeps; `where` names the fleet.
void check_invariants(const Outcome& r, const std::string& where) {
  const Totals& t = r.position.totals;
  EXPECT_TRUE(check_accounting(r.position, r.fleet)) << where;
  EXPECT_EQ(r.position.installs.size(), r.fleet.installs.size()) << where;
  EXPECT_EQ(std::size_t{t.covered} + t.shortfall + t.excluded + t.duplicate, r.fleet.installs.size()) << where;
  for (std::size_t m = 0; m < metric_count; ++m) {
    EXPECT_EQ(t.units[m].covered + t.units[m].shortfall, t.units[m].demand) << where;
    EXPECT_EQ(t.units[m].consumed + t.units[m].surplus, t.units[m].licences) << where;
  }
  for (std::size_t e = 0; e < r.fleet.entitlements.size(); ++e) {
    const EntitlementUse& use = r.position.entitlements[e];
    EXPECT_LE(use.consumed, use.counted ? use.units : 0) << where << ", licence " << r.fleet.entitlements[e].id;
  }
  EXPECT_EQ(testing::JsonCheck::check(json(r)), "") << where;
}

TEST(Properties, RandomFleetsKeepEveryInvariantAndDoNotDependOnRowOrderOrNames) {
  std::uint32_t with_shortfall = 0, with_servers = 0, unread = 0, with_two_hosts = 0;
  for (std::uint32_t seed = 1; seed <= fleets; ++seed) {
    std::mt19937 rng(seed);
    const test::FleetRows rows = test::random_fleet(rng, test::microsoft_pack());
    const std::string where = "seed " + std::to_string(seed);
    std::set<std::string> hosts;  // of the VMs: the whole-server stage's classes of servers
    for (const test::Row& d : rows.devices) hosts.insert(d.refs.begin(), d.refs.end());
    with_two_hosts += hosts.size() >= 2;
    const Outcome base = reconciled(rows);
    if (!base.read) {
      ++unread;
      continue;
    }
    check_invariants(base, where);
    with_shortfall += base.position.totals.shortfall > 0;
    with_servers += !base.position.servers.empty();

    const Outcome shuffled = reconciled(test::shuffled_rows(rows, rng));
    ASSERT_TRUE(shuffled.read) << where;
    EXPECT_EQ(json(shuffled), json(base)) << where << ": shuffled rows";

    const Outcome renamed = reconciled(test::renamed(rows, "x"));
    ASSERT_TRUE(renamed.read) << where;
    EXPECT_EQ(io::format_table(renamed.position, test::microsoft_pack(), renamed.fleet),
              io::format_table(base.position, test::microsoft_pack(), base.fleet))
        << where << ": renamed ids";
    EXPECT_EQ(renamed.position.totals.true_up_cost.str(), base.position.totals.true_up_cost.str()) << where;
  }
  // The fleets exercise what the properties speak of (so the comparisons above could fail).
  EXPECT_LT(unread, fleets / 10);
  EXPECT_GT(with_shortfall, fleets / 3);
  EXPECT_GT(with_servers, fleets / 5);
  EXPECT_GE(with_two_hosts, fleets / 150);  // VMs on several hosts (about 1 %): volume splits over classes
}

TEST(Properties, ALicenceMoreNeverIncreasesTheShortfallAndAnInstallLessNeverDoes) {
  std::uint32_t less_short = 0, carriers = 0;
  for (std::uint32_t seed = 1; seed <= fleets; ++seed) {
    std::mt19937 rng(1'000'000 + seed);
    const test::FleetRows rows = test::random_fleet(rng, test::microsoft_pack());
    const std::string where = "seed " + std::to_string(1'000'000 + seed);
    const Outcome full = reconciled(rows);
    if (!full.read) continue;
    if (!rows.entitlements.empty()) {
      test::FleetRows fewer = rows;
      fewer.entitlements.erase(fewer.entitlements.begin() + test::uniform(rng, 0, std::ssize(fewer.entitlements) - 1));
      const Outcome without = reconciled(fewer);
      ASSERT_TRUE(without.read) << where;
      EXPECT_TRUE(no_more_short(without.position, full.position)) << where << ": a licence more";
      less_short += full.position.totals.shortfall < without.position.totals.shortfall;
    }
    if (!rows.installs.empty()) {
      test::FleetRows fewer = rows;
      const auto at = test::uniform(rng, 0, std::ssize(fewer.installs) - 1);
      fewer.installs.erase(fewer.installs.begin() + at);
      const Outcome without = reconciled(fewer);
      ASSERT_TRUE(without.read) << where;
      // Unless others were duplicates of it: an older version on its device (Project 2003
      // beside 2007) is then judged alone, and may need a licence the newer one's does not
      // give (a retail Project 2007 has no downgrade right to 2003, R4).
      const bool carrier =
          std::any_of(full.position.installs.begin(), full.position.installs.end(), [&](const InstallVerdict& v) {
            return v.verdict == Verdict::duplicate && v.duplicate_of.value == static_cast<std::uint32_t>(at);
          });
      carriers += carrier;
      if (!carrier) {
        EXPECT_TRUE(no_more_short(full.position, without.position)) << where << ": an install less";
      }
    }
  }
  EXPECT_GT(less_short, fleets / 100);  // a licence more does help now and then: the comparison can fail
  EXPECT_LT(carriers, fleets / 10);     // and most installs removed carry no duplicate
}

TEST(Properties, TheOptimumEqualsTheIndependentSolvers) {
  std::uint32_t short_estates = 0;
  for (std::uint32_t seed = 1; seed <= fleets; ++seed) {
    std::mt19937 rng(2'000'000 + seed);
    const test::RandomEstate es = test::random_estate(rng);
    const std::string where = "seed " + std::to_string(2'000'000 + seed);
    const Position pos = reconcile(es.pack, es.fleet);
    const test::Analysis an = test::analyse(es, es.fleet);
    std::vector<std::vector<test::Choice>> choices(an.demands.size());
    for (std::size_t d = 0; d < an.demands.size(); ++d) {
      choices[d].push_back(test::short_choice(an, d));
      for (const auto& use : an.usable[d]) choices[d].push_back(test::cover_choice(es.fleet, use.first, use.second));
    }
    const test::Objective best = test::brute_force(choices, test::quantities(es.fleet));
    // trueup's shortfall and its spend, priced as the oracle prices each demand.
    test::Objective got;
    for (std::size_t d = 0; d < an.demands.size(); ++d) {
      const InstallVerdict& v = pos.installs[an.demands[d].representative];
      got.shortfall += v.demanded - v.covered;
      got.spend += (v.demanded - v.covered) * an.price[d];
    }
    EXPECT_EQ(got.shortfall, best.shortfall) << where;
    EXPECT_EQ(got.spend, best.spend) << where;
    EXPECT_EQ(pos.totals.in(Metric::device).shortfall, best.shortfall) << where;
    short_estates += best.shortfall > 0;
  }
  EXPECT_GT(short_estates, fleets / 4);
}

}  // namespace
}  // namespace trueup
