// SPDX-License-Identifier: BSL-1.0
// File: src/solver/detail/bgl_successive_shortest_path.hpp
//
// Reference back end: Boost.Graph's successive_shortest_path_nonnegative_weights (Dijkstra
// with potentials, O(U (E + V log V)) for flow value U; boost/graph/successive_shortest_path_
// nonnegative_weights.hpp). Independent of LEMON, so tests use it as an oracle. Node supplies
// become arcs from a super source and to a super sink; the flow is feasible iff it saturates
// them. It returns no duals: callers derive potentials from the residual network.
//
// \pre every arc cost is >= 0 (the algorithm's requirement; trueup's costs are).
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include "solver/detail/flow_network.hpp"
#include "trueup/check.hpp"

namespace trueup::detail {

struct BglSuccessiveShortestPath {
  // Boost adds Dijkstra's "infinite" distance to the potential of every node no path reaches,
  // which overflows a signed 64-bit weight; 128-bit weights wrap (defined) and those nodes'
  // potentials are never read again.
  using Weight = boost::multiprecision::int128_t;

  [[nodiscard]] FlowSolution solve(const FlowNetwork& n) const {
    using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::directedS, boost::no_property,
        boost::property<boost::edge_capacity_t, Units,
                        boost::property<boost::edge_residual_capacity_t, Units,
                                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor,
                                                        boost::property<boost::edge_weight_t, Weight>>>>>;
    const auto N = n.nodes();
    Graph g(N + 2);
    const auto source = N, sink = N + 1;
    auto capacity = get(boost::edge_capacity, g);
    auto reverse = get(boost::edge_reverse, g);
    auto weight = get(boost::edge_weight, g);
    auto residual = get(boost::edge_residual_capacity, g);
    auto add = [&](std::size_t u, std::size_t v, Units cap, Cost c) {
      TRUEUP_CHECK(c >= 0, "successive shortest path needs non-negative costs");
      const Weight w = c;
      auto e = add_edge(u, v, g).first;
      auto r = add_edge(v, u, g).first;
      capacity[e] = cap;
      capacity[r] = 0;
      weight[e] = w;
      weight[r] = -w;
      reverse[e] = r;
      reverse[r] = e;
      return e;
    };
    std::vector<Traits::edge_descriptor> arcs;
    arcs.reserve(n.arcs.size());
    for (const FlowArc& a : n.arcs) arcs.push_back(add(a.tail, a.head, a.upper, a.cost));
    Units total = 0;
    for (std::size_t v = 0; v < N; ++v) {
      if (n.supply[v] > 0) {
        add(source, v, n.supply[v], 0);
        total += n.supply[v];
      } else if (n.supply[v] < 0) {
        add(v, sink, -n.supply[v], 0);
      }
    }
    boost::successive_shortest_path_nonnegative_weights(g, source, sink);

    FlowSolution s;
    s.flow.resize(n.arcs.size());
    for (std::size_t a = 0; a < arcs.size(); ++a) s.flow[a] = capacity[arcs[a]] - residual[arcs[a]];
    Units out = 0;
    for (auto [e, end] = out_edges(source, g); e != end; ++e) out += capacity[*e] - residual[*e];
    s.feasible = out == total;
    return s;
  }
};

}  // namespace trueup::detail
