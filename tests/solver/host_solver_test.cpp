// SPDX-License-Identifier: BSL-1.0
// File: tests/solver/host_solver_test.cpp
//
// solve_hosts() against brute force: every licensing option for every server and every split
// of its units over the pools, on small random instances. The optimum's objective vector
// (spend, shortfall units, preference) must be equal; the solution must be feasible.
#include "trueup/solver/host_solver.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <tuple>

namespace trueup {
namespace {

using Score = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // spend, short units, preference

HostProblem random_problem(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  HostProblem p;
  const int classes = pick(1, 2);
  for (int c = 0; c < classes; ++c) p.classes.push_back(static_cast<std::uint32_t>(pick(1, 2)));
  const int pools = pick(1, 3);
  for (int q = 0; q < pools; ++q) p.pools.push_back(pick(0, 4));
  for (int c = 0; c < classes; ++c) {
    const int options = pick(1, 2);
    for (int o = 0; o < options; ++o) {
      const auto opt = static_cast<std::uint32_t>(p.options.size());
      p.options.push_back({static_cast<std::uint32_t>(c), pick(1, 3), pick(0, 5)});
      for (int q = 0; q < pools; ++q)
        if (pick(0, 1) == 1)
          p.arcs.push_back({opt, static_cast<std::uint32_t>(q), static_cast<std::uint32_t>(pick(0, 1)),
                            static_cast<std::uint8_t>(pick(0, 2))});
    }
  }
  return p;
}

Score brute_force(const HostProblem& p) {
  std::vector<std::uint32_t> server_class;
  for (std::uint32_t c = 0; c < p.classes.size(); ++c)
    for (std::uint32_t n = 0; n < p.classes[c]; ++n) server_class.push_back(c);
  std::optional<Score> best;
  std::vector<Units> left = p.pools;
  // Per server: choose an option, then a flow on each of its arcs.
  std::function<void(std::size_t, Score)> server;
  server = [&](std::size_t s, Score acc) {
    if (s == server_class.size()) {
      if (!best || acc < *best) best = acc;
      return;
    }
    for (std::uint32_t o = 0; o < p.options.size(); ++o) {
      if (p.options[o].cls != server_class[s]) continue;
      std::vector<std::size_t> arcs;
      for (std::size_t a = 0; a < p.arcs.size(); ++a)
        if (p.arcs[a].option == o) arcs.push_back(a);
      std::function<void(std::size_t, Units, std::int64_t)> arc;
      arc = [&](std::size_t i, Units got, std::int64_t pref) {
        if (i == arcs.size()) {
          const Units r = p.options[o].units;
          Score next = acc;
          std::get<0>(next) += (r - got) * p.options[o].shortfall_price;
          std::get<1>(next) += r - got;
          std::get<2>(next) += pref;
          server(s + 1, next);
          return;
        }
        const auto& a = p.arcs[arcs[i]];
        for (Units f = 0; f <= std::min(left[a.pool], p.options[o].units - got); ++f) {
          left[a.pool] -= f;
          arc(i + 1, got + f, pref + f * (3 * std::int64_t{a.exactness} + a.flexibility));
          left[a.pool] += f;
        }
      };
      arc(0, 0, 0);
    }
  };
  server(0, {0, 0, 0});
  return *best;
}

Score score_of(const HostProblem& p, const HostSolution& sol) {
  Score s{0, 0, 0};
  std::vector<Units> used(p.pools.size(), 0), got(p.options.size(), 0);
  std::vector<std::uint32_t> servers(p.classes.size(), 0);
  for (std::size_t a = 0; a < p.arcs.size(); ++a) {
    EXPECT_GE(sol.arc_flow[a], 0);
    used[p.arcs[a].pool] += sol.arc_flow[a];
    got[p.arcs[a].option] += sol.arc_flow[a];
    std::get<2>(s) += sol.arc_flow[a] * (3 * std::int64_t{p.arcs[a].exactness} + p.arcs[a].flexibility);
  }
  for (std::size_t q = 0; q < p.pools.size(); ++q) EXPECT_LE(used[q], p.pools[q]);
  for (std::size_t o = 0; o < p.options.size(); ++o) {
    const auto& opt = p.options[o];
    servers[opt.cls] += sol.servers[o];
    EXPECT_EQ(got[o] + sol.shortfall[o], opt.units * sol.servers[o]);
    EXPECT_LE(sol.short_servers[o], sol.servers[o]);
    // Handing units out server by server leaves ceil(s / r) servers short.
    EXPECT_EQ(sol.short_servers[o], static_cast<std::uint32_t>((sol.shortfall[o] + opt.units - 1) / opt.units));
    std::get<0>(s) += sol.shortfall[o] * opt.shortfall_price;
    std::get<1>(s) += sol.shortfall[o];
  }
  for (std::size_t c = 0; c < p.classes.size(); ++c) EXPECT_EQ(servers[c], p.classes[c]);
  return s;
}

TEST(HostSolver, MatchesBruteForceOnSmallRandomInstances) {
  std::mt19937 rng(20261122);
  for (int i = 0; i < 400; ++i) {
    const HostProblem p = random_problem(rng);
    const HostSolution sol = solve_hosts(p);
    ASSERT_EQ(score_of(p, sol), brute_force(p)) << "instance " << i;
  }
}

TEST(HostSolver, StackedStandardVersusDatacenterFollowsThePrice) {
  // One server, Standard needs 48 units at 60, Datacenter 16 at 350: Standard is cheaper.
  HostProblem p;
  p.classes = {1};
  p.options = {{0, 48, 600000}, {0, 16, 3500000}};
  const HostSolution sol = solve_hosts(p);
  EXPECT_EQ(sol.servers, (std::vector<std::uint32_t>{1, 0}));
  p.options[0].units = 96;
  EXPECT_EQ(solve_hosts(p).servers, (std::vector<std::uint32_t>{0, 1}));
}

TEST(HostSolver, OwnedLicencesCoverWholeServersFirst) {
  // Two servers, 16 units each; 24 units owned: one server covered, one short by 8 (not two
  // servers short by 4 each).
  HostProblem p;
  p.classes = {2};
  p.options = {{0, 16, 1}};
  p.pools = {24};
  p.arcs = {{0, 0, 0, 2}};
  const HostSolution sol = solve_hosts(p);
  EXPECT_EQ(sol.short_servers[0], 1u);
  EXPECT_EQ(sol.shortfall[0], 8);
}

}  // namespace
}  // namespace trueup
