// SPDX-License-Identifier: BSL-1.0
// File: tests/solver/solver_test.cpp
//
// The transport solver against three independent oracles, on fixed-seed random instances:
//
// - brute force: every integer flow of a tiny problem, lexicographic minimum of the objective
//   vector (shortfall units, shortfall spend, moves, exactness, flexibility: solver/solver.hpp);
// - GLPK: the same lexicographic objective as a sequence of LPs, each level's optimum fixed as
//   a constraint before the next (the transport matrix is totally unimodular, so every
//   optimal face is integral and the exact simplex lands on an integral vertex);
// - the other back end: LEMON's network simplex and Boost.Graph's successive shortest path
//   must reach the same objective vector.
//
// Plus the named edge cases of the solver's contract (empty problem, zero capacity, classes
// with no arcs, ties, huge prices, costs out of range, components), determinism, and the
// optimality certificate of detail/flow_network.hpp on raw networks.
#include <gtest/gtest.h>

#include <glpk.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "solver/detail/bgl_successive_shortest_path.hpp"
#include "solver/detail/flow_network.hpp"
#include "solver/detail/lemon_network_simplex.hpp"
#include "support/random_instances.hpp"
#include "trueup/solver/solver.hpp"

namespace {

using trueup::SolveStatus;
using trueup::TransportProblem;
using trueup::TransportSolution;
using trueup::Units;
using trueup::detail::Cost;

static_assert(trueup::detail::MinCostFlowBackend<trueup::detail::LemonNetworkSimplex>);
static_assert(trueup::detail::MinCostFlowBackend<trueup::detail::BglSuccessiveShortestPath>);

// --- The objective and feasibility, computed from the arc flows alone ----------------------

/// The solver's objective vector, compared lexicographically (member order = priority).
/// Level 1 "cover as many units as possible" is kept as "leave as few units short".
struct Objective {
  Units shortfall = 0;
  std::int64_t spend = 0;
  std::int64_t moves = 0;
  std::int64_t exactness = 0;
  std::int64_t flexibility = 0;

  friend auto operator<=>(const Objective&, const Objective&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Objective& o) {
    return os << "{short " << o.shortfall << ", spend " << o.spend << ", moves " << o.moves << ", exactness "
              << o.exactness << ", flexibility " << o.flexibility << "}";
  }
};

/// The objective of arc flows; each class's shortfall is its supply minus its outflow.
Objective objective(const TransportProblem& p, const std::vector<Units>& arc_flow) {
  Objective o;
  std::vector<Units> left(p.classes.size());
  for (std::size_t c = 0; c < p.classes.size(); ++c) left[c] = p.classes[c].supply;
  for (std::size_t a = 0; a < p.arcs.size(); ++a) {
    left[p.arcs[a].cls] -= arc_flow[a];
    o.moves += arc_flow[a] * p.arcs[a].moves;
    o.exactness += arc_flow[a] * p.arcs[a].exactness;
    o.flexibility += arc_flow[a] * p.arcs[a].flexibility;
  }
  for (std::size_t c = 0; c < p.classes.size(); ++c) {
    o.shortfall += left[c];
    o.spend += left[c] * p.classes[c].shortfall_price;
    o.moves += left[c] * p.classes[c].shortfall_moves;
  }
  return o;
}

Objective objective(const TransportProblem& p, const TransportSolution& s) { return objective(p, s.arc_flow); }

/// Empty when `s` is a feasible solution of `p` whose summary fields agree with its flows;
/// otherwise the first violation, in words.
std::string feasibility_violation(const TransportProblem& p, const TransportSolution& s) {
  if (s.arc_flow.size() != p.arcs.size()) return "one flow per arc";
  if (s.shortfall.size() != p.classes.size()) return "one shortfall per class";
  std::vector<Units> out(p.classes.size(), 0), in(p.pools.size(), 0);
  for (std::size_t a = 0; a < p.arcs.size(); ++a) {
    if (s.arc_flow[a] < 0) return "arc " + std::to_string(a) + " has negative flow";
    out[p.arcs[a].cls] += s.arc_flow[a];
    in[p.arcs[a].pool] += s.arc_flow[a];
  }
  Units covered = 0, shortfall = 0;
  for (std::size_t c = 0; c < p.classes.size(); ++c) {
    if (s.shortfall[c] < 0) return "class " + std::to_string(c) + " has negative shortfall";
    if (out[c] + s.shortfall[c] != p.classes[c].supply)
      return "class " + std::to_string(c) + ": outflow " + std::to_string(out[c]) + " + shortfall " +
             std::to_string(s.shortfall[c]) + " != supply " + std::to_string(p.classes[c].supply);
    covered += out[c];
    shortfall += s.shortfall[c];
  }
  for (std::size_t q = 0; q < p.pools.size(); ++q)
    if (in[q] > p.pools[q])
      return "pool " + std::to_string(q) + ": inflow " + std::to_string(in[q]) + " > capacity " +
             std::to_string(p.pools[q]);
  if (covered != s.covered_units || shortfall != s.shortfall_units) return "covered/shortfall totals disagree";
  return {};
}

std::string describe(const TransportProblem& p) {
  std::string s = "classes (supply, price):";
  for (const auto& c : p.classes) s += " (" + std::to_string(c.supply) + ", " + std::to_string(c.shortfall_price) + ")";
  s += "\npools:";
  for (auto q : p.pools) s += " " + std::to_string(q);
  s += "\narcs (class -> pool, exactness, flexibility):";
  for (const auto& a : p.arcs)
    s += " (" + std::to_string(a.cls) + "->" + std::to_string(a.pool) + ", " + std::to_string(a.exactness) + ", " +
         std::to_string(a.flexibility) + (a.moves ? ", moves" : "") + ")";
  return s;
}

TransportSolution solve_lemon(const TransportProblem& p) { return trueup::solve(p); }
TransportSolution solve_bgl(const TransportProblem& p) { return trueup::solve_reference(p); }

// --- Oracle 1: brute force ---------------------------------------------------------------

/// Every integer flow with class outflow <= supply and pool inflow <= capacity (the rest is
/// shortfall), minimised lexicographically. Exponential: tiny problems only.
Objective brute_force_optimum(const TransportProblem& p) {
  std::vector<Units> flow(p.arcs.size(), 0), class_left(p.classes.size()), pool_left(p.pools);
  for (std::size_t c = 0; c < p.classes.size(); ++c) class_left[c] = p.classes[c].supply;
  std::optional<Objective> best;
  auto visit = [&](auto& self, std::size_t a) -> void {
    if (a == p.arcs.size()) {
      const Objective o = objective(p, flow);
      if (!best || o < *best) best = o;
      return;
    }
    const auto& arc = p.arcs[a];
    const Units most = std::min(class_left[arc.cls], pool_left[arc.pool]);
    for (Units f = 0; f <= most; ++f) {
      flow[a] = f;
      class_left[arc.cls] -= f;
      pool_left[arc.pool] -= f;
      self(self, a + 1);
      class_left[arc.cls] += f;
      pool_left[arc.pool] += f;
    }
    flow[a] = 0;
  };
  visit(visit, 0);
  return *best;
}

// --- Oracle 2: GLPK, lexicographic LP ------------------------------------------------------

enum class Level { shortfall, spend, moves, exactness, flexibility };

struct LpOptimum {
  bool solved = false;
  bool integral = true;
  std::vector<Units> arc_flow;  ///< the final vertex, rounded
  std::vector<double> values;   ///< each level's optimum, in the order solved
};

/// Columns 1..A are the arc flows x_a >= 0, columns A+1..A+C the shortfalls s_c >= 0; rows
/// are "sum of x over class c's arcs + s_c = supply_c" and "sum of x into pool q <= cap_q".
/// Each level is minimised, then fixed with an equality row, and the next level minimised
/// over what is left: the definition of a lexicographic optimum. glp_exact (rational
/// arithmetic) makes the fixed values exact, so no tolerance can cut off an optimum.
LpOptimum lexicographic_lp(const TransportProblem& p, const std::vector<Level>& levels) {
  LpOptimum r;
  const int A = static_cast<int>(p.arcs.size()), C = static_cast<int>(p.classes.size()),
            P = static_cast<int>(p.pools.size());
  if (A + C == 0) {
    r.solved = true;
    r.values.assign(levels.size(), 0.0);
    return r;
  }
  glp_term_out(GLP_OFF);
  const std::unique_ptr<glp_prob, decltype(&glp_delete_prob)> holder(glp_create_prob(), &glp_delete_prob);
  glp_prob* lp = holder.get();
  glp_set_obj_dir(lp, GLP_MIN);
  glp_add_cols(lp, A + C);
  for (int j = 1; j <= A + C; ++j) glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);
  if (C + P > 0) glp_add_rows(lp, C + P);
  for (int c = 0; c < C; ++c) {
    const auto supply = static_cast<double>(p.classes[static_cast<std::size_t>(c)].supply);
    glp_set_row_bnds(lp, c + 1, GLP_FX, supply, supply);
  }
  for (int q = 0; q < P; ++q)
    glp_set_row_bnds(lp, C + q + 1, GLP_UP, 0.0, static_cast<double>(p.pools[static_cast<std::size_t>(q)]));
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  for (int a = 0; a < A; ++a) {
    const auto& arc = p.arcs[static_cast<std::size_t>(a)];
    ia.push_back(static_cast<int>(arc.cls) + 1);
    ja.push_back(a + 1);
    ar.push_back(1.0);
    ia.push_back(C + static_cast<int>(arc.pool) + 1);
    ja.push_back(a + 1);
    ar.push_back(1.0);
  }
  for (int c = 0; c < C; ++c) {
    ia.push_back(c + 1);
    ja.push_back(A + c + 1);
    ar.push_back(1.0);
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

  auto coefficient = [&](Level level, int j) -> double {
    if (j <= A) {
      const auto& arc = p.arcs[static_cast<std::size_t>(j - 1)];
      if (level == Level::moves) return arc.moves;
      if (level == Level::exactness) return arc.exactness;
      if (level == Level::flexibility) return arc.flexibility;
      return 0.0;
    }
    if (level == Level::shortfall) return 1.0;
    if (level == Level::spend)
      return static_cast<double>(p.classes[static_cast<std::size_t>(j - A - 1)].shortfall_price);
    if (level == Level::moves) return p.classes[static_cast<std::size_t>(j - A - 1)].shortfall_moves;
    return 0.0;
  };

  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_OFF;
  for (const Level level : levels) {
    for (int j = 1; j <= A + C; ++j) glp_set_obj_coef(lp, j, coefficient(level, j));
    (void)glp_simplex(lp, &parm);  // a floating-point start; glp_exact decides
    if (glp_exact(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT) return r;
    const double value = glp_get_obj_val(lp);
    r.values.push_back(value);
    std::vector<int> ind{0};
    std::vector<double> val{0.0};
    for (int j = 1; j <= A + C; ++j)
      if (coefficient(level, j) != 0.0) {
        ind.push_back(j);
        val.push_back(coefficient(level, j));
      }
    if (ind.size() == 1) continue;
    const int row = glp_add_rows(lp, 1);
    glp_set_mat_row(lp, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
    glp_set_row_bnds(lp, row, GLP_FX, value, value);
  }
  for (int a = 1; a <= A; ++a) {
    const double x = glp_get_col_prim(lp, a);
    r.integral = r.integral && std::abs(x - std::round(x)) < 1e-9;
    r.arc_flow.push_back(static_cast<Units>(std::llround(x)));
  }
  r.solved = true;
  return r;
}

const std::vector<Level> lexicographic{Level::shortfall, Level::spend, Level::moves, Level::exactness,
                                       Level::flexibility};

/// The LP oracle's final vertex for `levels`.
std::vector<Units> lp_optimum_flow(const TransportProblem& p, const std::vector<Level>& levels) {
  const LpOptimum lp = lexicographic_lp(p, levels);
  EXPECT_TRUE(lp.solved && lp.integral) << describe(p);
  return lp.arc_flow;
}

/// The LP oracle's objective vector (from its integral final vertex), checked against the
/// level values it reported.
Objective lp_optimum(const TransportProblem& p, const std::vector<Level>& levels = lexicographic) {
  const LpOptimum lp = lexicographic_lp(p, levels);
  EXPECT_TRUE(lp.solved) << describe(p);
  EXPECT_TRUE(lp.integral) << describe(p);
  return objective(p, lp.arc_flow);
}

// --- Brute force, GLPK and the two back ends agree -----------------------------------------

TEST(SolverOracle, TinyInstancesMatchBruteForce) {
  const trueup::test::TransportShape shape{};  // <= 3 classes x 3 pools, supplies and capacities <= 3
  int nontrivial = 0;
  for (std::uint32_t seed = 1; seed <= 600; ++seed) {
    std::mt19937 rng(seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const Objective best = brute_force_optimum(p);
    const TransportSolution lemon = solve_lemon(p), bgl = solve_bgl(p);
    ASSERT_EQ(lemon.status, SolveStatus::optimal) << "seed " << seed;
    ASSERT_EQ(bgl.status, SolveStatus::optimal) << "seed " << seed;
    ASSERT_EQ(feasibility_violation(p, lemon), "") << "seed " << seed << "\n" << describe(p);
    ASSERT_EQ(feasibility_violation(p, bgl), "") << "seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, lemon), best) << "LEMON, seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, bgl), best) << "Boost.Graph, seed " << seed << "\n" << describe(p);
    nontrivial += best.shortfall > 0 && best.exactness + best.flexibility > 0;
  }
  EXPECT_GT(nontrivial, 100) << "the generator should produce contested instances";
}

TEST(SolverOracle, TinyInstancesWithParallelArcsMatchBruteForce) {
  trueup::test::TransportShape shape;
  shape.parallel_percent = 40;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(10'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const Objective best = brute_force_optimum(p);
    const TransportSolution lemon = solve_lemon(p), bgl = solve_bgl(p);
    ASSERT_EQ(feasibility_violation(p, lemon), "") << "seed " << seed << "\n" << describe(p);
    ASSERT_EQ(feasibility_violation(p, bgl), "") << "seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, lemon), best) << "LEMON, seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, bgl), best) << "Boost.Graph, seed " << seed << "\n" << describe(p);
  }
}

TEST(SolverOracle, BruteForceAgreesWithGlpkOnTinyInstances) {
  // The two oracles check each other, so a bug in one cannot hide a bug in the solver.
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(20'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, {});
    EXPECT_EQ(lp_optimum(p), brute_force_optimum(p)) << "seed " << seed << "\n" << describe(p);
  }
}

/// 5-15 classes and pools, supplies and capacities up to 50: beyond brute force, for the LP.
trueup::test::TransportShape medium_shape() {
  trueup::test::TransportShape shape;
  shape.min_classes = 5;
  shape.max_classes = 15;
  shape.min_pools = 5;
  shape.max_pools = 15;
  shape.max_supply = 50;
  shape.max_capacity = 50;
  shape.max_price = 1'000'000;
  shape.max_exactness = 6;
  shape.arc_percent = 30;
  return shape;
}

TEST(SolverOracle, MediumInstancesMatchLexicographicLp) {
  trueup::test::TransportShape shape = medium_shape();
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(30'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const Objective lp = lp_optimum(p);
    const TransportSolution lemon = solve_lemon(p), bgl = solve_bgl(p);
    ASSERT_EQ(feasibility_violation(p, lemon), "") << "seed " << seed;
    ASSERT_EQ(feasibility_violation(p, bgl), "") << "seed " << seed;
    EXPECT_EQ(objective(p, lemon), lp) << "LEMON, seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, bgl), lp) << "Boost.Graph, seed " << seed << "\n" << describe(p);
    EXPECT_EQ(lemon.components, bgl.components);
  }
}

// Stability (level 3): arcs that move a licence from its last holder cost a move each; fewest
// moves come after coverage and spend, before exactness and flexibility.
TEST(SolverOracle, TinyInstancesWithMovesMatchBruteForce) {
  trueup::test::TransportShape shape;
  shape.moves_percent = 50;
  int decided_by_moves = 0;
  for (std::uint32_t seed = 1; seed <= 400; ++seed) {
    std::mt19937 rng(40'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const Objective best = brute_force_optimum(p);
    EXPECT_EQ(lp_optimum(p), best) << "seed " << seed << "\n" << describe(p);
    const TransportSolution lemon = solve_lemon(p), bgl = solve_bgl(p);
    ASSERT_EQ(feasibility_violation(p, lemon), "") << "seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, lemon), best) << "LEMON, seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, bgl), best) << "Boost.Graph, seed " << seed << "\n" << describe(p);
    // Instances where ignoring stability would move more licences.
    decided_by_moves +=
        objective(p, lp_optimum_flow(p, {Level::shortfall, Level::spend, Level::exactness, Level::flexibility})).moves >
        best.moves;
  }
  EXPECT_GT(decided_by_moves, 20) << "the generator should produce instances where stability decides";
}

TEST(SolverOracle, MediumInstancesWithMovesMatchLexicographicLp) {
  trueup::test::TransportShape shape = medium_shape();
  shape.moves_percent = 40;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(50'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const Objective lp = lp_optimum(p);
    const TransportSolution lemon = solve_lemon(p), bgl = solve_bgl(p);
    ASSERT_EQ(feasibility_violation(p, lemon), "") << "seed " << seed;
    EXPECT_EQ(objective(p, lemon), lp) << "LEMON, seed " << seed << "\n" << describe(p);
    EXPECT_EQ(objective(p, bgl), lp) << "Boost.Graph, seed " << seed << "\n" << describe(p);
  }
}

TEST(SolverOracle, BackEndsAgreeOnLargerSparseInstances) {
  trueup::test::TransportShape shape;
  shape.min_classes = 20;
  shape.max_classes = 40;
  shape.min_pools = 20;
  shape.max_pools = 40;
  shape.max_supply = 200;
  shape.max_capacity = 150;
  shape.max_price = 50'000;
  shape.max_exactness = 4;
  shape.arc_percent = 8;
  shape.parallel_percent = 5;
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    std::mt19937 rng(40'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const TransportSolution lemon = solve_lemon(p), bgl = solve_bgl(p);
    ASSERT_EQ(feasibility_violation(p, lemon), "") << "seed " << seed;
    ASSERT_EQ(feasibility_violation(p, bgl), "") << "seed " << seed;
    EXPECT_EQ(objective(p, lemon), objective(p, bgl)) << "seed " << seed << "\n" << describe(p);
    EXPECT_EQ(lemon.components, bgl.components);
  }
}

// --- The phases matter: single-level objectives that pick another flow ---------------------

TEST(SolverPhases, SpendOutranksExactness) {
  // One licence fits both classes: an exact match for the cheap class, a two-step downgrade
  // for the expensive one. Minimising exactness right after coverage (no spend level) covers
  // the cheap class and leaves 100 short; the lexicographic optimum leaves 1 short.
  const TransportProblem p{.classes = {{1, 100}, {1, 1}}, .pools = {1}, .arcs = {{0, 0, 2, 2}, {1, 0, 0, 2}}};
  const Objective naive = lp_optimum(p, {Level::shortfall, Level::exactness, Level::flexibility});
  EXPECT_EQ(naive, (Objective{1, 100, 0, 0, 2}));
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{1, 0}));
    EXPECT_EQ(s.shortfall, (std::vector<Units>{0, 1}));
    EXPECT_EQ(objective(p, s), (Objective{1, 1, 0, 2, 2}));
  }
  EXPECT_EQ(lp_optimum(p), (Objective{1, 1, 0, 2, 2}));
}

TEST(SolverPhases, CoverageComesFirstEvenWhenTheShortfallIsFree) {
  // No entitlement has a price, so shortfall costs 0 (reconcile.hpp): minimising spend first
  // would leave the unit short rather than pay three downgrade steps.
  const TransportProblem p{.classes = {{1, 0}}, .pools = {1}, .arcs = {{0, 0, 3, 1}}};
  const Objective naive = lp_optimum(p, {Level::spend, Level::exactness, Level::flexibility});
  EXPECT_EQ(naive, (Objective{1, 0, 0, 0, 0}));
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{1}));
    EXPECT_EQ(s.covered_units, 1);
  }
}

TEST(SolverPhases, OneExactnessStepOutweighsAnyFlexibilityGain) {
  // Ten classes and ten pools in a ring; each class may take its own pool (exact, volume:
  // flexibility 2) or the next one (OEM-like, flexibility 0, and one of those arcs is a
  // downgrade). Full coverage forces one of two perfect matchings: all-own (exactness 0,
  // flexibility 20) or all-next (exactness 1, flexibility 0). Any weight of exactness below
  // 21 per step would pick all-next; the lexicographic optimum is all-own.
  TransportProblem p;
  constexpr std::uint32_t k = 10;
  for (std::uint32_t i = 0; i < k; ++i) {
    p.classes.push_back({1, 0});
    p.pools.push_back(1);
  }
  for (std::uint32_t i = 0; i < k; ++i) {
    p.arcs.push_back({i, i, 0, 2});
    p.arcs.push_back({i, (i + 1) % k, i == 0 ? 1u : 0u, 0});
  }
  const Objective naive = lp_optimum(p, {Level::shortfall, Level::flexibility, Level::exactness});
  EXPECT_EQ(naive, (Objective{0, 0, 0, 1, 0}));
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(objective(p, s), (Objective{0, 0, 0, 0, 20}));
    for (std::size_t a = 0; a < p.arcs.size(); ++a) EXPECT_EQ(s.arc_flow[a], a % 2 == 0 ? 1 : 0) << "arc " << a;
  }
}

TEST(SolverPhases, FlexibleLicencesAreKeptFreeAmongExactMatches) {
  // Two exact pools for one unit: retail (1) and volume (2). The volume licence stays free.
  const TransportProblem p{.classes = {{1, 5}}, .pools = {1, 1}, .arcs = {{0, 0, 0, 2}, {0, 1, 0, 1}}};
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) EXPECT_EQ(s.arc_flow, (std::vector<Units>{0, 1}));
}

// --- Named edge cases ----------------------------------------------------------------------

TEST(SolverEdgeCases, EmptyProblemSolvesToNothing) {
  for (const TransportSolution& s : {solve_lemon({}), solve_bgl({})}) {
    EXPECT_EQ(s.status, SolveStatus::optimal);
    EXPECT_TRUE(s.arc_flow.empty());
    EXPECT_TRUE(s.shortfall.empty());
    EXPECT_EQ(s.covered_units, 0);
    EXPECT_EQ(s.shortfall_units, 0);
    EXPECT_EQ(s.components, 0u);
  }
}

TEST(SolverEdgeCases, ZeroCapacityPoolsLeaveEveryUnitShort) {
  // Pools whose every seat went to OEM devices in the bound stage.
  const TransportProblem p{
      .classes = {{3, 10}, {2, 5}}, .pools = {0, 0}, .arcs = {{0, 0, 0, 2}, {0, 1, 1, 1}, {1, 1, 0, 2}}};
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(s.status, SolveStatus::optimal);
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{0, 0, 0}));
    EXPECT_EQ(s.shortfall, (std::vector<Units>{3, 2}));
    EXPECT_EQ(s.covered_units, 0);
    EXPECT_EQ(s.shortfall_units, 5);
  }
}

TEST(SolverEdgeCases, ClassWithNoEligiblePoolIsAllShort) {
  const TransportProblem p{.classes = {{2, 7}, {1, 3}, {0, 1}}, .pools = {5}, .arcs = {{1, 0, 0, 2}}};
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{1}));
    EXPECT_EQ(s.shortfall, (std::vector<Units>{2, 0, 0}));
    EXPECT_EQ(s.components, 3u);  // {class 0}, {class 1, pool 0}, {class 2}
  }
}

TEST(SolverEdgeCases, AllTieCostsStillCoverTheMostUnits) {
  // Every price, exactness and flexibility equal: only coverage separates flows, and the
  // maximum matching needs the solver to route around (class 0 must leave pool 0 to class 1).
  const TransportProblem p{
      .classes = {{1, 4}, {1, 4}}, .pools = {1, 1}, .arcs = {{0, 0, 1, 1}, {0, 1, 1, 1}, {1, 0, 1, 1}}};
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{0, 1, 1}));
    EXPECT_EQ(s.shortfall_units, 0);
  }
  trueup::test::TransportShape shape;
  shape.max_price = 0;
  shape.max_exactness = 0;
  shape.max_flexibility = 0;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(50'000 + seed);
    const TransportProblem r = trueup::test::random_transport_problem(rng, shape);
    EXPECT_EQ(objective(r, solve_lemon(r)), brute_force_optimum(r)) << "seed " << seed << "\n" << describe(r);
    EXPECT_EQ(objective(r, solve_bgl(r)), brute_force_optimum(r)) << "seed " << seed << "\n" << describe(r);
  }
}

TEST(SolverEdgeCases, HugePricesStayExact) {
  // 10^15 minor units apart by one: a double would not tell them apart after the +1 of
  // phase 1 on a large sum; int64 must, and the cheaper class is the one left short.
  constexpr std::int64_t big = 1'000'000'000'000'000;
  const TransportProblem p{.classes = {{2, big}, {2, big - 1}, {1, big}},
                           .pools = {2, 1},
                           .arcs = {{0, 0, 3, 2}, {1, 0, 0, 2}, {2, 1, 0, 0}, {1, 1, 0, 1}}};
  const Objective best = brute_force_optimum(p);
  EXPECT_EQ(best, (Objective{2, 2 * (big - 1), 0, 6, 4}));
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_EQ(objective(p, s), best);
  }
  trueup::test::TransportShape shape;
  shape.max_price = big;
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(60'000 + seed);
    const TransportProblem r = trueup::test::random_transport_problem(rng, shape);
    EXPECT_EQ(objective(r, solve_lemon(r)), brute_force_optimum(r)) << "seed " << seed << "\n" << describe(r);
    EXPECT_EQ(objective(r, solve_bgl(r)), brute_force_optimum(r)) << "seed " << seed << "\n" << describe(r);
  }
}

TEST(SolverEdgeCases, PricesJustInsideTheRangeAreSolved) {
  // The range check admits a unit cost up to 2^62 / total supply; here 2^60 with 3 units.
  // Back ends must still compute exactly (LEMON's artificial cost is 2^62 on int64).
  constexpr std::int64_t two60 = std::int64_t{1} << 60;
  const TransportProblem p{.classes = {{1, two60 + 1}, {2, two60}}, .pools = {1}, .arcs = {{0, 0, 1, 2}, {1, 0, 0, 2}}};
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    ASSERT_EQ(s.status, SolveStatus::optimal);
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{1, 0}));
    EXPECT_EQ(s.shortfall, (std::vector<Units>{0, 2}));
  }
  // Tiny instances total at most 9 units, so every price up to 2^62 / 9 - 1 is admitted, and
  // so is every 32-bit exactness (phase 2 weighs it by 2 N + 1 <= 15 for N <= 7 nodes).
  trueup::test::TransportShape shape;
  shape.max_price = (std::int64_t{1} << 62) / 9 - 1;
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(65'000 + seed);
    shape.max_exactness = seed > 150 ? std::numeric_limits<std::uint32_t>::max() : 3;
    const TransportProblem r = trueup::test::random_transport_problem(rng, shape);
    const TransportSolution lemon = solve_lemon(r), bgl = solve_bgl(r);
    ASSERT_EQ(lemon.status, SolveStatus::optimal) << "seed " << seed << "\n" << describe(r);
    ASSERT_EQ(bgl.status, SolveStatus::optimal) << "seed " << seed << "\n" << describe(r);
    EXPECT_EQ(objective(r, lemon), brute_force_optimum(r)) << "seed " << seed << "\n" << describe(r);
    EXPECT_EQ(objective(r, bgl), brute_force_optimum(r)) << "seed " << seed << "\n" << describe(r);
  }
}

TEST(SolverEdgeCases, CostsThatCannotFitAreReportedAsBadCostRange) {
  constexpr std::int64_t two62 = std::int64_t{1} << 62;
  const std::vector<TransportProblem> cases{
      // one unit cost beyond 62 bits
      {.classes = {{1, two62}}, .pools = {1}, .arcs = {{0, 0, 0, 2}}},
      // each unit cost fits, the total (2^40 x 2^23 units) does not
      {.classes = {{Units{1} << 23, std::int64_t{1} << 40}}, .pools = {1}, .arcs = {{0, 0, 0, 2}}},
      // exactness so large that its phase-2 cost times the supply overflows
      {.classes = {{Units{1} << 30, 1}}, .pools = {1}, .arcs = {{0, 0, std::numeric_limits<std::uint32_t>::max(), 2}}},
      // in a second component, after the first was solved
      {.classes = {{1, 1}, {1, two62}}, .pools = {1, 1}, .arcs = {{0, 0, 0, 0}, {1, 1, 0, 0}}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    for (const TransportSolution& s : {solve_lemon(cases[i]), solve_bgl(cases[i])}) {
      EXPECT_EQ(s.status, SolveStatus::bad_cost_range) << "case " << i;
      EXPECT_TRUE(s.arc_flow.empty()) << "case " << i << ": no flow with bad_cost_range";
    }
  }
}

TEST(SolverEdgeCases, PriceAtInt64MaxIsBadCostRangeWithoutOverflow) {
  // The range check itself must not overflow: `max_price + 1` on INT64_MAX is undefined
  // behaviour (UBSan reports it) before it can be compared with the limit.
  const TransportProblem p{
      .classes = {{1, std::numeric_limits<std::int64_t>::max()}}, .pools = {1}, .arcs = {{0, 0, 0, 2}}};
  EXPECT_EQ(solve_lemon(p).status, SolveStatus::bad_cost_range);
}

TEST(SolverEdgeCases, ManyComponentsAreSolvedSeparately) {
  // Four independent families, one class with no pool, one pool with no class.
  TransportProblem p;
  for (std::uint32_t i = 0; i < 4; ++i) {
    p.classes.push_back({2 + Units{i}, 10});
    p.pools.push_back(3);
    p.arcs.push_back({i, i, 0, 2});
  }
  p.classes.push_back({4, 1});
  p.pools.push_back(9);
  for (const TransportSolution& s : {solve_lemon(p), solve_bgl(p)}) {
    EXPECT_EQ(s.components, 6u);
    EXPECT_EQ(s.arc_flow, (std::vector<Units>{2, 3, 3, 3}));
    EXPECT_EQ(s.shortfall, (std::vector<Units>{0, 0, 1, 2, 4}));
    EXPECT_EQ(feasibility_violation(p, s), "");
  }
}

TEST(SolverBackEnds, BoostReferenceSurvivesANodeNoPathReaches) {
  // Boost's successive shortest path adds Dijkstra's "infinite" distance of every unreachable
  // node into that node's potential after each augmentation; with int64 costs the second
  // augmentation overflows (undefined behaviour: UBSan stops here). In phase 2 most nodes are
  // cut off like node 1, so this is the common case, not a corner.
  const trueup::detail::FlowNetwork net{.supply = {2, 0, -2}, .arcs = {{0, 2, 1, 0}, {0, 2, 1, 1}}};
  const trueup::detail::FlowSolution s = trueup::detail::BglSuccessiveShortestPath{}.solve(net);
  EXPECT_TRUE(s.feasible);
  EXPECT_EQ(s.flow, (std::vector<Units>{1, 1}));
}

// --- Determinism ---------------------------------------------------------------------------

TEST(SolverDeterminism, SameProblemGivesIdenticalFlows) {
  trueup::test::TransportShape shape;
  shape.max_classes = 12;
  shape.max_pools = 12;
  shape.max_supply = 20;
  shape.max_capacity = 20;
  shape.max_price = 3;  // many ties: many optimal flows to choose among
  shape.max_exactness = 1;
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    std::mt19937 rng(70'000 + seed);
    const TransportProblem p = trueup::test::random_transport_problem(rng, shape);
    const TransportProblem copy = p;
    const TransportSolution a = solve_lemon(p), b = solve_lemon(copy), c = solve_lemon(p);
    EXPECT_EQ(a.arc_flow, b.arc_flow) << "seed " << seed;
    EXPECT_EQ(a.arc_flow, c.arc_flow) << "seed " << seed;
    EXPECT_EQ(a.shortfall, b.shortfall) << "seed " << seed;
    const TransportSolution x = solve_bgl(p), y = solve_bgl(copy);
    EXPECT_EQ(x.arc_flow, y.arc_flow) << "seed " << seed;
  }
}

// --- The optimality certificate on raw networks ----------------------------------------------

Cost flow_cost(const trueup::detail::FlowNetwork& n, const std::vector<Units>& flow) {
  Cost total = 0;
  for (std::size_t a = 0; a < n.arcs.size(); ++a) total += flow[a] * n.arcs[a].cost;
  return total;
}

TEST(SolverCertificate, LemonPotentialsCertifyAndSuboptimalFlowsHaveNone) {
  int suboptimal_witnesses = 0;
  for (std::uint32_t seed = 1; seed <= 400; ++seed) {
    std::mt19937 rng(80'000 + seed);
    const auto [net, witness] = trueup::test::random_flow_network(rng, {});
    ASSERT_TRUE(trueup::detail::is_feasible(net, witness));
    const trueup::detail::FlowSolution s = trueup::detail::LemonNetworkSimplex{}.solve(net);
    ASSERT_TRUE(s.feasible) << "seed " << seed;
    ASSERT_TRUE(trueup::detail::is_feasible(net, s.flow)) << "seed " << seed;
    EXPECT_TRUE(trueup::detail::is_certified_optimal(net, s.flow, s.potential)) << "seed " << seed;
    const auto pi = trueup::detail::residual_potentials(net, s.flow);
    ASSERT_FALSE(pi.empty()) << "seed " << seed;
    EXPECT_TRUE(trueup::detail::is_certified_optimal(net, s.flow, pi)) << "seed " << seed;

    // The witness flow is feasible; it has a certificate exactly when it is optimal too.
    const Cost best = flow_cost(net, s.flow), mine = flow_cost(net, witness);
    ASSERT_LE(best, mine) << "seed " << seed;
    const auto witness_pi = trueup::detail::residual_potentials(net, witness);
    EXPECT_EQ(witness_pi.empty(), mine > best) << "seed " << seed;
    if (mine > best) {
      ++suboptimal_witnesses;
      EXPECT_FALSE(trueup::detail::is_certified_optimal(net, witness, s.potential)) << "seed " << seed;
    } else {
      EXPECT_TRUE(trueup::detail::is_certified_optimal(net, witness, witness_pi)) << "seed " << seed;
    }
  }
  EXPECT_GT(suboptimal_witnesses, 100);
}

TEST(SolverCertificate, FlowOnTheDearerOfTwoParallelArcsHasNoCertificate) {
  // One unit from node 0 to node 1 over a cost-1 or a cost-5 arc.
  const trueup::detail::FlowNetwork net{.supply = {1, -1}, .arcs = {{0, 1, 1, 1}, {0, 1, 1, 5}}};
  const std::vector<Units> optimal{1, 0}, dearer{0, 1};
  ASSERT_TRUE(trueup::detail::is_feasible(net, dearer));
  EXPECT_TRUE(trueup::detail::residual_potentials(net, dearer).empty());
  const auto pi = trueup::detail::residual_potentials(net, optimal);
  ASSERT_EQ(pi.size(), 2u);
  EXPECT_TRUE(trueup::detail::is_certified_optimal(net, optimal, pi));
  EXPECT_FALSE(trueup::detail::is_certified_optimal(net, dearer, pi));
  const trueup::detail::FlowSolution s = trueup::detail::LemonNetworkSimplex{}.solve(net);
  EXPECT_EQ(s.flow, optimal);
  EXPECT_FALSE(trueup::detail::is_certified_optimal(net, dearer, s.potential));
}

TEST(SolverCertificate, BackEndsReachTheSameCostOnNonNegativeNetworks) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(90'000 + seed);
    trueup::test::FlowNetworkShape shape;
    shape.min_cost = 0;
    const auto [net, witness] = trueup::test::random_flow_network(rng, shape);
    const auto lemon = trueup::detail::LemonNetworkSimplex{}.solve(net);
    const auto bgl = trueup::detail::BglSuccessiveShortestPath{}.solve(net);
    ASSERT_TRUE(lemon.feasible && bgl.feasible) << "seed " << seed;
    ASSERT_TRUE(trueup::detail::is_feasible(net, bgl.flow)) << "seed " << seed;
    EXPECT_EQ(flow_cost(net, bgl.flow), flow_cost(net, lemon.flow)) << "seed " << seed;
    const auto pi = trueup::detail::residual_potentials(net, bgl.flow);
    EXPECT_FALSE(pi.empty()) << "seed " << seed;
    EXPECT_TRUE(trueup::detail::is_certified_optimal(net, bgl.flow, pi)) << "seed " << seed;
  }
}

}  // namespace
