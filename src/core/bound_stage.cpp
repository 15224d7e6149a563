// SPDX-License-Identifier: BSL-1.0
// File: src/core/bound_stage.cpp
//
// Bound stage: an OEM licence (rules/oem_binding.hpp), or units the 90-day rule keeps with
// their device (rules/reassignment.hpp), covers its own device first. That is optimal (the
// exchange argument of solver/solver.hpp): a bound licence has no other use.
//
// Bound pools are sorted by device, demands by device, so one merge pass pairs them. Where a
// device has several demands that its bound licences could cover (two editions of one family
// that do not cover each other), which demand gets which licence is a choice for the solver:
// those demands are *contested*, and the transport stage solves them with the device's bound
// pools, with arcs only to them. The others take their own bound pools here, the least
// exactness first, then by licence id.
#include <algorithm>
#include <string>
#include <tuple>

#include "core/evidence.hpp"
#include "core/stages.hpp"
#include "trueup/demand/eligibility.hpp"

namespace trueup::core {
namespace {

struct Candidate {
  std::uint32_t exactness;
  const std::string* id;  ///< the first member's licence id, for ties
  std::size_t pool;
  Coverage cov;
};

/// The demands [first, last) of one device and its bound pools [b, bound_end).
void bind_device(const Run& run, std::size_t first, std::size_t last, std::size_t b, std::size_t bound_end, Work& work,
                 Contested& out) {
  const auto& demands = run.norm.demands;
  const auto& pools = run.supply.pools;
  std::vector<std::vector<Candidate>> cands(last - first);
  std::vector<std::uint32_t> wanted_by(bound_end - b, 0);  // demands a bound pool may cover
  for (std::size_t d = first; d < last; ++d) {
    if (demands[d].assignment != Assignment::device) continue;  // host: solver/host_solver.hpp
    const bool qualified = run.supply.qualifying_licence(demands[d].device, demands[d].product.family).has_value();
    std::string refusal;
    for (std::size_t q = b; q < bound_end; ++q) {
      Coverage cov = eligibility(run.pack, demands[d].product, demands[d].metric, pools[q], run.as_of, qualified,
                                 demands[d].individual_vm, demands[d].factored);
      if (!cov.allowed) {
        if (refusal.empty()) refusal = std::move(cov.refusal);
        continue;
      }
      ++wanted_by[q - b];
      cands[d - first].push_back(
          {cov.exactness_penalty(), &run.fleet.entitlement(pools[q].members[0]).id, q, std::move(cov)});
    }
    if (cands[d - first].empty() && !refusal.empty())
      work.bound_refusals.emplace_back(static_cast<std::uint32_t>(d), std::move(refusal));
  }
  // Only demands that compete for a bound pool are a choice for the solver, with every pool
  // they may use (a pool one of them may use and another demand too is wanted twice, so that
  // demand competes as well).
  std::vector<bool> pool_contested(bound_end - b, false);
  for (std::size_t d = first; d < last; ++d)
    for (const auto& c : cands[d - first])
      if (wanted_by[c.pool - b] > 1) out.demand[d] = true;
  for (std::size_t d = first; d < last; ++d)
    if (out.demand[d])
      for (const auto& c : cands[d - first]) pool_contested[c.pool - b] = true;
  for (std::size_t q = b; q < bound_end; ++q)
    if (pool_contested[q - b]) out.pools[demands[first].device].push_back(q);

  for (std::size_t d = first; d < last; ++d) {
    if (out.demand[d]) continue;
    auto& cs = cands[d - first];
    std::sort(cs.begin(), cs.end(), [](const Candidate& x, const Candidate& y) {
      return std::tie(x.exactness, *x.id) < std::tie(y.exactness, *y.id);
    });
    DemandFill& fill = work.fills[d];
    for (auto& c : cs) {
      if (fill.remaining == 0) break;
      const Units take = std::min(fill.remaining, work.ledger.left(c.pool));
      if (take == 0) continue;
      work.ledger.take(c.pool, take, fill.licences);
      fill.remaining -= take;
      append_bound_evidence(c.cov, pools[c.pool], fill.evidence);
    }
  }
}

}  // namespace

Contested bound_stage(const Run& run, Work& work) {
  const auto& demands = run.norm.demands;
  const auto& pools = run.supply.pools;
  Contested out;
  out.demand.assign(demands.size(), false);
  std::size_t b = 0;
  for (std::size_t first = 0; first < demands.size();) {
    const DeviceIndex device = demands[first].device;
    std::size_t last = first;
    while (last < demands.size() && demands[last].device == device) ++last;
    while (b < run.supply.bound_pools && pools[b].bound < device) ++b;
    std::size_t bound_end = b;
    while (bound_end < run.supply.bound_pools && pools[bound_end].bound == device) ++bound_end;
    if (bound_end > b) bind_device(run, first, last, b, bound_end, work, out);
    first = last;
  }
  return out;
}

}  // namespace trueup::core
