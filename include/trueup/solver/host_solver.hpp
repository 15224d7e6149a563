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
// Objective, lexicographically: (1) the least true-up spend (sum price_o s_o: units of
// different models are compared by what they cost, never by count); (2) the fewest shortfall
// units (so that a short server still gets every unit that is free, also where no price is
// known); (3) exact versions and editions first, then keep the more flexible licences free
// (sum f_a (3 exactness + flexibility), as in solver.hpp's phase 2).
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
// If prices times units could exceed it, solve_hosts() returns `prices_out_of_range` and the
// caller solves again without prices (and warns), as reconcile() does for solver.hpp.
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

#include "trueup/check.hpp"
#include "trueup/detail/glpk_mip.hpp"
#include "trueup/fwd.hpp"

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
  bool prices_out_of_range = false;
  std::vector<std::uint32_t> servers;        ///< y, per option
  std::vector<std::uint32_t> short_servers;  ///< w, per option
  std::vector<Units> shortfall;              ///< s, per option
  std::vector<Units> arc_flow;               ///< f, per arc
};

/// The lexicographic optimum described above. \pre every class has an option, every index is
/// in range, units > 0, prices >= 0.
[[nodiscard]] inline HostSolution solve_hosts(const HostProblem& p) {
  HostSolution sol;
  const std::size_t O = p.options.size();
  sol.servers.assign(O, 0);
  sol.short_servers.assign(O, 0);
  sol.shortfall.assign(O, 0);
  sol.arc_flow.assign(p.arcs.size(), 0);
  if (p.classes.empty()) return sol;

  // The largest value each objective can reach, in doubles' exact range.
  constexpr double limit = 4503599627370496.0;  // 2^52
  double spend = 0, preference = 0;
  for (const auto& o : p.options) {
    TRUEUP_CHECK(o.cls < p.classes.size() && o.units > 0 && o.shortfall_price >= 0, "a well-formed host problem");
    spend += static_cast<double>(o.shortfall_price) * static_cast<double>(o.units) * p.classes[o.cls];
  }
  for (const auto& a : p.arcs)
    preference += (3.0 * a.exactness + a.flexibility) * static_cast<double>(p.pools.at(a.pool));
  if (spend >= limit || preference >= limit) {
    sol.prices_out_of_range = spend >= limit;
    if (preference >= limit) TRUEUP_CHECK(false, "licence quantities below 2^48 units");
  }

  detail::LexMip mip;
  std::vector<int> y(O), s(O), f(p.arcs.size());
  for (std::size_t o = 0; o < O; ++o) {
    const std::int64_t n = p.classes[p.options[o].cls];
    y[o] = mip.add_column(0, n);
    s[o] = mip.add_column(0, n * p.options[o].units);
  }
  for (std::size_t a = 0; a < p.arcs.size(); ++a) {
    const auto& arc = p.arcs[a];
    const std::int64_t most = p.classes[p.options.at(arc.option).cls] * p.options[arc.option].units;
    f[a] = mip.add_column(0, std::min<std::int64_t>(most, p.pools.at(arc.pool)));
  }
  std::vector<std::vector<detail::LexMip::Term>> per_class(p.classes.size()), per_option(O), per_pool(p.pools.size());
  for (std::size_t o = 0; o < O; ++o) {
    per_class[p.options[o].cls].push_back({y[o], 1});
    per_option[o].push_back({s[o], 1});
    per_option[o].push_back({y[o], -p.options[o].units});
  }
  for (std::size_t a = 0; a < p.arcs.size(); ++a) {
    per_option[p.arcs[a].option].push_back({f[a], 1});
    per_pool[p.arcs[a].pool].push_back({f[a], 1});
  }
  for (std::size_t c = 0; c < p.classes.size(); ++c) {
    TRUEUP_CHECK(!per_class[c].empty(), "every server class has a licensing option");
    mip.add_row(std::move(per_class[c]), p.classes[c], p.classes[c]);
  }
  for (std::size_t o = 0; o < O; ++o) {
    mip.add_row(std::move(per_option[o]), 0, 0);
  }
  for (std::size_t q = 0; q < p.pools.size(); ++q)
    if (!per_pool[q].empty()) mip.add_row(std::move(per_pool[q]), std::nullopt, p.pools[q]);

  std::vector<detail::LexMip::Term> level2, level2b, level3;
  for (std::size_t o = 0; o < O; ++o) {
    level2b.push_back({s[o], 1});
    if (!sol.prices_out_of_range && p.options[o].shortfall_price > 0)
      level2.push_back({s[o], p.options[o].shortfall_price});
  }
  for (std::size_t a = 0; a < p.arcs.size(); ++a)
    if (const std::int64_t c = 3 * std::int64_t{p.arcs[a].exactness} + p.arcs[a].flexibility; c > 0)
      level3.push_back({f[a], c});
  mip.add_objective(std::move(level2));
  mip.add_objective(std::move(level2b));
  mip.add_objective(std::move(level3));

  const auto x = mip.solve();
  TRUEUP_CHECK(x.has_value(), "a host problem is always feasible (everything may be short)");
  for (std::size_t o = 0; o < O; ++o) {
    sol.servers[o] = static_cast<std::uint32_t>((*x)[static_cast<std::size_t>(y[o])]);
    sol.shortfall[o] = (*x)[static_cast<std::size_t>(s[o])];
    // Units are handed out server by server, so ceil(s / r) servers are short (no fewer exist).
    sol.short_servers[o] = static_cast<std::uint32_t>((sol.shortfall[o] + p.options[o].units - 1) / p.options[o].units);
  }
  for (std::size_t a = 0; a < p.arcs.size(); ++a) sol.arc_flow[a] = (*x)[static_cast<std::size_t>(f[a])];
  return sol;
}

}  // namespace trueup
