// SPDX-License-Identifier: BSL-1.0
// File: src/solver/detail/flow_network.hpp
//
// The min-cost-flow problem every back end solves, in LEMON's form: node supplies that sum to
// zero (positive: supply, negative: demand), arcs with capacity [0, upper] and an integer cost
// per unit; find a feasible flow of least total cost, and node potentials proving it.
//
// Optimality certificate (Ahuja, Magnanti, Orlin, "Network Flows", Thm 9.8): with reduced
// costs rc(a) = cost(a) + pi(tail) - pi(head), a feasible flow is optimal iff every arc with
// flow < upper has rc >= 0 and every arc with flow > 0 has rc <= 0.
#pragma once

#include <concepts>
#include <cstdint>
#include <vector>

#include "trueup/fwd.hpp"

namespace trueup::detail {

using Cost = std::int64_t;

struct FlowArc {
  std::uint32_t tail = 0;
  std::uint32_t head = 0;
  Units upper = 0;
  Cost cost = 0;
};

struct FlowNetwork {
  std::vector<Units> supply;  ///< per node; sums to zero
  std::vector<FlowArc> arcs;
  [[nodiscard]] std::size_t nodes() const { return supply.size(); }
};

struct FlowSolution {
  bool feasible = false;
  std::vector<Units> flow;      ///< per arc
  std::vector<Cost> potential;  ///< per node; empty if the back end does not compute them
};

/// A min-cost-flow back end: solves a FlowNetwork exactly, deterministically (the same
/// network, arcs in the same order, gives the same flow).
template <class B>
concept MinCostFlowBackend = requires(B b, const FlowNetwork& n) {
  { b.solve(n) } -> std::same_as<FlowSolution>;
};

[[nodiscard]] inline Cost reduced_cost(const FlowNetwork& n, const std::vector<Cost>& pi, std::size_t a) {
  const FlowArc& arc = n.arcs[a];
  return arc.cost + pi[arc.tail] - pi[arc.head];
}

/// Flow conservation and capacity bounds. To be used in a TRUEUP_CHECK.
[[nodiscard]] inline bool is_feasible(const FlowNetwork& n, const std::vector<Units>& flow) {
  if (flow.size() != n.arcs.size()) return false;
  std::vector<Units> balance(n.nodes(), 0);
  for (std::size_t a = 0; a < n.arcs.size(); ++a) {
    if (flow[a] < 0 || flow[a] > n.arcs[a].upper) return false;
    balance[n.arcs[a].tail] += flow[a];
    balance[n.arcs[a].head] -= flow[a];
  }
  for (std::size_t v = 0; v < n.nodes(); ++v)
    if (balance[v] != n.supply[v]) return false;
  return true;
}

/// Complementary slackness for (flow, potentials). To be used in a TRUEUP_CHECK.
[[nodiscard]] inline bool is_certified_optimal(const FlowNetwork& n, const std::vector<Units>& flow,
                                               const std::vector<Cost>& pi) {
  if (pi.size() != n.nodes()) return false;
  for (std::size_t a = 0; a < n.arcs.size(); ++a) {
    const Cost rc = reduced_cost(n, pi, a);
    if (flow[a] < n.arcs[a].upper && rc < 0) return false;
    if (flow[a] > 0 && rc > 0) return false;
  }
  return true;
}

/// Potentials for an optimal flow, from shortest distances in its residual network
/// (Bellman-Ford from a virtual root joined to every node at cost 0). Returns an empty vector
/// when the residual network has a negative cycle, i.e. when the flow is not optimal.
/// O(V E): for back ends without duals and for tests.
[[nodiscard]] inline std::vector<Cost> residual_potentials(const FlowNetwork& n, const std::vector<Units>& flow) {
  struct R {
    std::uint32_t from, to;
    Cost cost;
  };
  std::vector<R> res;
  res.reserve(2 * n.arcs.size());
  for (std::size_t a = 0; a < n.arcs.size(); ++a) {
    const FlowArc& arc = n.arcs[a];
    if (flow[a] < arc.upper) res.push_back({arc.tail, arc.head, arc.cost});
    if (flow[a] > 0) res.push_back({arc.head, arc.tail, -arc.cost});
  }
  std::vector<Cost> d(n.nodes(), 0);
  for (std::size_t round = 0; round <= n.nodes(); ++round) {
    bool changed = false;
    for (const R& r : res)
      if (d[r.from] + r.cost < d[r.to]) {
        d[r.to] = d[r.from] + r.cost;
        changed = true;
      }
    // Converged: d(to) <= d(from) + cost on every residual arc, so pi = d gives every
    // residual arc a non-negative reduced cost, which is the certificate above.
    if (!changed) return d;
  }
  return {};
}

}  // namespace trueup::detail
