// SPDX-License-Identifier: BSL-1.0
// File: src/solver/host.cpp
//
// Whole servers as a lexicographic integer program (the essay is in solver/host_solver.hpp):
// the columns y (servers per option), s (shortfall units per option) and f (units per arc),
// the rows that tie them, and the three levels, solved by detail::LexMip over GLPK.
#include "trueup/solver/host_solver.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "solver/detail/glpk_mip.hpp"
#include "trueup/check.hpp"

namespace trueup {
namespace {

using Terms = std::vector<detail::LexMip::Term>;

/// The largest value an objective may reach: GLPK computes in doubles, exact below 2^52.
constexpr double exact_limit = 4503599627370496.0;

/// Units an arc can carry at most: its option's servers times their units, or its pool.
std::int64_t arc_bound(const HostProblem& p, const HostProblem::Arc& arc) {
  const HostProblem::Option& o = p.options.at(arc.option);
  return std::min<std::int64_t>(p.classes.at(o.cls) * o.units, p.pools.at(arc.pool));
}

/// Which levels fit doubles' exact range: the spend, and the preference.
struct Levels {
  bool spend = true;
  bool preference = true;
};
Levels levels_in_range(const HostProblem& p) {
  double spend = 0, preference = 0;
  for (const auto& o : p.options) {
    TRUEUP_CHECK(o.cls < p.classes.size() && o.units > 0 && o.shortfall_price >= 0, "a well-formed host problem");
    spend += static_cast<double>(o.shortfall_price) * static_cast<double>(o.units) * p.classes[o.cls];
  }
  for (const auto& a : p.arcs) preference += (3.0 * a.exactness + a.flexibility) * static_cast<double>(arc_bound(p, a));
  return {spend < exact_limit, preference < exact_limit};
}

}  // namespace

HostSolution solve_hosts(const HostProblem& p) {
  HostSolution sol;
  const std::size_t O = p.options.size();
  sol.servers.assign(O, 0);
  sol.short_servers.assign(O, 0);
  sol.shortfall.assign(O, 0);
  sol.arc_flow.assign(p.arcs.size(), 0);
  if (p.classes.empty()) return sol;
  const Levels in_range = levels_in_range(p);
  if (!in_range.spend || !in_range.preference) sol.status = SolveStatus::bad_cost_range;

  detail::LexMip mip;
  std::vector<int> y(O), s(O), f(p.arcs.size());
  for (std::size_t o = 0; o < O; ++o) {
    const std::int64_t n = p.classes[p.options[o].cls];
    y[o] = mip.add_column(0, n);
    s[o] = mip.add_column(0, n * p.options[o].units);
  }
  for (std::size_t a = 0; a < p.arcs.size(); ++a) f[a] = mip.add_column(0, arc_bound(p, p.arcs[a]));

  // Every server under one option; each option's servers take r_o units each, from arcs or
  // short; no pool hands out more than it has.
  std::vector<Terms> per_class(p.classes.size()), per_option(O), per_pool(p.pools.size());
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
  for (std::size_t o = 0; o < O; ++o) mip.add_row(std::move(per_option[o]), 0, 0);
  for (std::size_t q = 0; q < p.pools.size(); ++q)
    if (!per_pool[q].empty()) mip.add_row(std::move(per_pool[q]), std::nullopt, p.pools[q]);

  // Levels: spend, then shortfall units, then preference.
  Terms spend, shortfall, preference;
  for (std::size_t o = 0; o < O; ++o) {
    shortfall.push_back({s[o], 1});
    if (in_range.spend && p.options[o].shortfall_price > 0) spend.push_back({s[o], p.options[o].shortfall_price});
  }
  if (in_range.preference)
    for (std::size_t a = 0; a < p.arcs.size(); ++a)
      if (const std::int64_t c = 3 * std::int64_t{p.arcs[a].exactness} + p.arcs[a].flexibility; c > 0)
        preference.push_back({f[a], c});
  mip.add_objective(std::move(spend));
  mip.add_objective(std::move(shortfall));
  mip.add_objective(std::move(preference));

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
