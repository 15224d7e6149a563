// SPDX-License-Identifier: BSL-1.0
// File: trueup/solver/solver.hpp
//
// The assignment of licences to demands, solved exactly as a min-cost flow.
//
// ## The problem
//
// A *demand class* is a set of demands that share every attribute eligibility reads (product,
// metric, units per demand): its members are interchangeable, so it is one node with supply
// `s_c` = the units its demands need. A *pool* is a set of licence units with one product and
// channel, capacity `q_p`. An arc c -> p exists where eligibility (demand/eligibility.hpp)
// allows it, with an *exactness* (version + edition steps of downgrade and down-edition) and
// a *flexibility* (OEM 0, retail 1, volume 2). Every class also has a *shortfall* arc to the
// sink with a unit *price*: the cheapest known unit cost of a licence that would cover it. So
// a million installs become a few hundred class nodes; the graph's size depends on how many
// distinct products and pools there are, not on the fleet (research/solver-performance.md §3).
//
//     class c (supply s_c) --[exactness, flexibility]--> pool p --[cap q_p]--> sink T
//             \------------------[shortfall, price_c]---------------------------/
//
// ## The objective, lexicographically
//
// 1. cover as many demand units as possible;
// 2. then spend the least on what remains short (sum of price_c over shortfall units);
// 3. then move the fewest licence units away from where the last run put them (stability: an
//    arc marked `moves` takes units for demands that held another pool's units before and may
//    keep them, and a unit of such a class left short moved away too (`shortfall_moves`); the
//    position must not churn from run to run, and this costs no coverage or spend because
//    levels 1 and 2 are fixed first);
// 4. then prefer exact version and edition over downgrade and down-edition;
// 5. then keep the more flexible licences free (volume over retail over OEM).
//
// ## Bound licences come first (an exchange argument)
//
// Licences bound to one device (OEM, rules/oem_binding.hpp) never enter this problem:
// reconcile() applies each to its own device's demand first (least exactness, then id) and
// passes on only what remains. That is optimal for levels 1, 2, 3 and 5: a bound licence can
// serve no other demand, so in any assignment where its device's demand uses a shared licence
// instead, swapping the two keeps every other demand covered and frees the shared licence
// (and a bound licence on its own device is never a move). For level 4 the objective is read
// on what competes: exactness is the preference that keeps
// newer shared licences free for newer installs (licensing-rules §5.5), and a bound licence
// competes with nothing, so an OEM Windows 11 Pro licence covering its own PC's Windows 10 Pro
// under downgrade rights is preferred to spending a shared Windows 10 Pro unit.
//
// ## How the objective becomes integer costs (no big-M)
//
// Phase 1 solves levels 1 and 2 together: class->pool arcs cost 0 and each shortfall unit
// costs 1 + price_c (prices >= 0). That is exactly lexicographic, whatever the prices: a
// simple cycle of the residual network passes the sink at most once, so it changes the
// number of shortfall units by -1, 0 or +1. A cycle that removes a shortfall unit leaves
// through a reversed shortfall arc and enters through a pool arc, so it costs -(1 + price) < 0:
// an optimum has no such cycle, so it covers the most; among equal coverage the cycles swap
// one shortfall for another and cost the difference in price, so it spends the least.
//
// Phase 2 keeps only the arcs that some phase-1 optimum may use: with phase-1 potentials pi
// (the duals, checked by complementary slackness), an arc of reduced cost > 0 carries no flow
// in any phase-1 optimum and is closed, and one of reduced cost < 0 is full in every optimum
// and is fixed at its capacity. Every feasible flow of the restricted network is phase-1
// optimal, and every phase-1 optimum is feasible in it. Phase 2 then minimises
// moves * W + exactness * (2 N + 1) + flexibility on class->pool arcs, N the nodes of the
// component, W = N (E (2 N + 1) + 2) + 1 with E the largest exactness: a simple residual
// cycle has at most N arcs, so its flexibility changes by at most 2 N and one exactness step
// outweighs any flexibility gain, and its exactness-and-flexibility cost changes by less than
// W, so one unit moved outweighs both.
//
// ## Overflow
//
// Costs are int64. Before solving, every component checks that its largest arc cost times its
// total supply fits in 62 bits; if not, solve() returns SolveStatus::bad_cost_range and no
// flow (prices beyond 10^12 minor units, or components of 10^7 nodes, would be needed; with
// stability, whose weight grows with N squared, a component of about 10^5 nodes and 10^6 units).
//
// ## Structure and complexity
//
// The class graph splits into connected components (Boost.Graph connected_components); each
// is solved on its own, smallest index first. Per component the back end is LEMON's network
// simplex (detail/lemon_network_simplex.hpp; empirically near-linear on these graphs) or, as a
// test oracle, Boost.Graph's successive shortest path (O(U (E + V log V))). Building the
// network is O(C + P + A) for C classes, P pools, A arcs.
//
// ## Determinism
//
// The same problem (classes, pools and arcs in the same order) gives the same flow, bit for
// bit: components are solved in index order, the back ends are deterministic, and nothing
// depends on addresses, hashing or threads. Callers build problems in a canonical order
// (classes and pools sorted by key, ties by id), so shuffled input rows give identical output.
//
// References: R. K. Ahuja, T. L. Magnanti, J. B. Orlin, "Network Flows" (1993), ch. 9-11;
// Boost.Graph "successive_shortest_path_nonnegative_weights"; LEMON "NetworkSimplex";
// P. Kovács, "Minimum-cost flow algorithms: an experimental evaluation" (2015).
#pragma once

#include <cstdint>
#include <vector>

#include "trueup/fwd.hpp"
#include "trueup/solver/status.hpp"

namespace trueup {

/// The class x pool transportation problem (see the file comment).
struct TransportProblem {
  struct Class {
    Units supply = 0;                  ///< units its demands need
    std::int64_t shortfall_price = 0;  ///< >= 0, per unit left short
    /// 1: its demands held licences before, so each unit left short is a licence moved away
    /// from its last holder (stability counts it as a move, like an arc with `moves`).
    std::uint8_t shortfall_moves = 0;
  };
  struct Arc {
    std::uint32_t cls = 0;
    std::uint32_t pool = 0;
    std::uint32_t exactness = 0;   ///< version + edition steps
    std::uint8_t flexibility = 0;  ///< 0 .. max_flexibility
    std::uint8_t moves = 0;        ///< 1: each unit moves a licence away from its last holder
  };
  std::vector<Class> classes;
  std::vector<Units> pools;  ///< capacity per pool
  std::vector<Arc> arcs;
  std::uint8_t max_flexibility = 2;
};

struct TransportSolution {
  SolveStatus status = SolveStatus::optimal;
  std::vector<Units> arc_flow;   ///< per TransportProblem::arcs entry
  std::vector<Units> shortfall;  ///< per class
  Units covered_units = 0;
  Units shortfall_units = 0;
  std::size_t components = 0;
};

/// Solves the transportation problem lexicographically (coverage, spend, stability, exactness,
/// flexibility) with LEMON's network simplex. Returns SolveStatus::bad_cost_range, with no
/// flow, if costs could overflow.
///
/// **Example**:
///
///     TransportProblem p{.classes = {{2, 100}}, .pools = {1}, .arcs = {{0, 0, 0, 2}}};
///     TransportSolution s = solve(p);   // s.arc_flow == {1}, s.shortfall == {1}
[[nodiscard]] TransportSolution solve(const TransportProblem& p, SolveOptions options = {});

/// The same optimum by Boost.Graph's successive shortest path: the reference algorithm, an
/// independent oracle for the tests (slower: O(U (E + V log V)) per component).
[[nodiscard]] TransportSolution solve_reference(const TransportProblem& p, SolveOptions options = {});

}  // namespace trueup
