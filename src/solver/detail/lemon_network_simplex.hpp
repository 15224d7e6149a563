// SPDX-License-Identifier: BSL-1.0
// File: src/solver/detail/lemon_network_simplex.hpp
//
// Production back end: LEMON's NetworkSimplex (primal network simplex, block-search pivot)
// on a SmartDigraph. Measured fastest on trueup's class graphs (research/solver-performance.md
// §4: ~5 ms for 750 classes × 2,000 pools). Returns LEMON's node potentials as the dual
// solution; the caller verifies them (flow_network.hpp certificate).
#pragma once

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "solver/detail/flow_network.hpp"

namespace trueup::detail {

struct LemonNetworkSimplex {
  [[nodiscard]] FlowSolution solve(const FlowNetwork& n) const {
    lemon::SmartDigraph g;
    g.reserveNode(static_cast<int>(n.nodes()));
    g.reserveArc(static_cast<int>(n.arcs.size()));
    std::vector<lemon::SmartDigraph::Node> nodes;
    nodes.reserve(n.nodes());
    for (std::size_t v = 0; v < n.nodes(); ++v) nodes.push_back(g.addNode());
    std::vector<lemon::SmartDigraph::Arc> arcs;
    arcs.reserve(n.arcs.size());
    for (const FlowArc& a : n.arcs) arcs.push_back(g.addArc(nodes[a.tail], nodes[a.head]));

    lemon::SmartDigraph::ArcMap<Units> upper(g);
    lemon::SmartDigraph::ArcMap<Cost> cost(g);
    lemon::SmartDigraph::NodeMap<Units> supply(g);
    for (std::size_t a = 0; a < n.arcs.size(); ++a) {
      upper[arcs[a]] = n.arcs[a].upper;
      cost[arcs[a]] = n.arcs[a].cost;
    }
    for (std::size_t v = 0; v < n.nodes(); ++v) supply[nodes[v]] = n.supply[v];

    lemon::NetworkSimplex<lemon::SmartDigraph, Units, Cost> ns(g);
    ns.upperMap(upper).costMap(cost).supplyMap(supply);
    FlowSolution s;
    if (ns.run() != lemon::NetworkSimplex<lemon::SmartDigraph, Units, Cost>::OPTIMAL) return s;
    s.feasible = true;
    s.flow.resize(n.arcs.size());
    for (std::size_t a = 0; a < n.arcs.size(); ++a) s.flow[a] = ns.flow(arcs[a]);
    s.potential.resize(n.nodes());
    for (std::size_t v = 0; v < n.nodes(); ++v) s.potential[v] = ns.potential(nodes[v]);
    return s;
  }
};

}  // namespace trueup::detail
