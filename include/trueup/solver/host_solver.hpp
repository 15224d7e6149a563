// SPDX-License-Identifier: BSL-1.0
// File: trueup/solver/host_solver.hpp
//
// Licensing whole servers under one model each, solved exactly as a small integer program.
//
// ## Why this is not a transportation problem
//
// A physical server that runs Windows Server is licensed whole, under *one* licensing model,
// and the model is set by the licence held, not by the version installed (G4, §7.4): a 2012 R2
// host covered by 2012 R2 licences needs ceil(processors / 2) processor licences, covered by
// 2016 licences under downgrade rights it needs 16+ core licences. Standard edition covers two
// OSEs per full licensing and stacks; Datacenter covers any number (WS6, WS7, W12-2). So the
// units a server needs depend on which licences cover it, and a per-unit flow cannot express
// "all 32 units from one model, or none": the transportation model of solver.hpp would cover a
// server with 16 core licences and 1 processor licence.
//
// ## The problem
//
// A *server class* c is a set of n_c servers with identical requirements (the version and
// edition their OSEs need, the units each model would need, the bound licences they may use).
// Each class has *options* o: a licensing model (metric, edition and stacking rule of some
// licence terms) under which each server needs r_o units; an option's *arcs* go to the pools
// whose licences are of that model and may cover the class (eligibility: downgrade,
// down-edition), with an exactness and a flexibility as in solver.hpp. An option also has a
// shortfall price: the cheapest known unit cost of a licence of that model.
//
// Integer variables: y_o servers licensed under o, f_a units on arc a, s_o shortfall units of
// o.
//
//     sum_{o of c} y_o = n_c                      every server under exactly one model
//     sum_{a of o} f_a + s_o = r_o y_o            each of them needs r_o units of that model
//     sum_{a into p} f_a <= q_p                   no pool hands out more than it has
//
// Objective, lexicographically: (1) the least true-up spend (sum price_o s_o over options with
// a price > 0: units of different models are compared by what they cost, never by count);
// (2) the fewest shortfall units (so that a short server still gets every unit that is free,
// also where no price is known); (3) the preference sum f_a (3 exactness_a + flexibility_a).
// Level (3) is a weighted sum, not two levels: per unit an exactness step (3) outweighs any
// flexibility difference (at most 2), but across units two flexibility steps may outweigh one
// exactness step. Servers of one family compete rarely enough that the program keeps this
// one level rather than a weight that grows with the problem as solver.hpp's phase 2 does.
//
// Within an option, units are handed to its servers one server at a time (reconcile.hpp), so
// exactly ceil(s_o / r_o) of them are short: whole servers first. *Across* classes, where two
// placements of a shortfall cost the same, level (3) decides, not a count of servers short: a
// level "fewest servers not wholly licensed" needs an indicator per option (s_o <= r_o w_o),
// whose weak relaxation made the search exponential in practice (measured: 10k OSEs took 58 s
// instead of 0.1 s), so it is not part of the proven objective.
//
// ## Exactness and size
//
// detail::LexMip minimises each level with GLPK's branch and cut (optimality proven, gap 0)
// and fixes its value before the next; all data are integers, and the solution is re-checked
// in integer arithmetic. Servers are compressed into classes first, so the program has a row
// per class, option and pool, not per server: 100k servers of realistic shapes give a few
// hundred classes (bench/servers_bench.cpp). Components are not split: every host-licensed class
// is in one program (families share no pools, so they do not interact in it).
//
// Given y (which model each server takes), the rest is a transportation problem with integral
// data, so its LP relaxation is integral; in effect the search branches over y only.
//
// ## Overflow
//
// GLPK computes in doubles: every level's objective must stay below 2^52 in absolute value.
// If prices times units could exceed it, solve_hosts() solves without the spend level and
// says so (`SolveStatus::bad_cost_range`); the position warns, as for solver.hpp. Licence
// quantities are bounded where they are read, so that the preference level always fits.
//
// ## Determinism
//
// Same problem, same rows in the same order, same solution: GLPK is deterministic and the
// caller builds classes, options and pools in key order.
//
// Checked against brute force (every model for every server, every split of units over the
// pools) on small random instances in tests/solver/host_solver_test.cpp.
#pragma once

#include <cstdint>
#include <vector>

#include "trueup/fwd.hpp"
#include "trueup/solver/status.hpp"

namespace trueup {

struct HostProblem {
  struct Option {
    std::uint32_t cls = 0;
    Units units = 0;  ///< r_o: units one server needs under this option
    std::int64_t shortfall_price = 0;
  };
  struct Arc {
    std::uint32_t option = 0;
    std::uint32_t pool = 0;
    std::uint32_t exactness = 0;
    std::uint8_t flexibility = 0;
  };
  std::vector<std::uint32_t> classes;  ///< servers per class
  std::vector<Option> options;         ///< every class has at least one
  std::vector<Units> pools;            ///< capacity per pool
  std::vector<Arc> arcs;
};

struct HostSolution {
  /// bad_cost_range: prices times units could leave doubles' exact range, so the spend level
  /// was left out (shortfalls placed without regard to price).
  SolveStatus status = SolveStatus::optimal;
  std::vector<std::uint32_t> servers;        ///< y, per option
  std::vector<std::uint32_t> short_servers;  ///< w, per option
  std::vector<Units> shortfall;              ///< s, per option
  std::vector<Units> arc_flow;               ///< f, per arc
};

/// The lexicographic optimum described above. \pre every class has an option, every index is
/// in range, units > 0, prices >= 0.
[[nodiscard]] HostSolution solve_hosts(const HostProblem& p);

}  // namespace trueup
