// SPDX-License-Identifier: BSL-1.0
// File: src/core/pricing.cpp
//
// Shortfall prices (core/pricing.hpp).
#include "core/pricing.hpp"

#include <algorithm>
#include <string>

namespace trueup::core {

std::optional<Quote> cheapest(const Fleet& fleet, const Pool& pool) {
  std::optional<Quote> best;
  for (auto m : pool.members)
    if (const auto& cost = fleet.entitlement(m).unit_cost)
      best = lower(best, Quote{cost->amount, {PriceSource::Kind::licence, m.value}});
  return best;
}

std::optional<Quote> cheapest(const Fleet& fleet, const Supply& supply, const std::vector<std::size_t>& pools) {
  std::optional<Quote> best;
  for (std::size_t q : pools) best = lower(best, cheapest(fleet, supply.pools[q]));
  return best;
}

void PriceRank::see_pool(const Fleet& fleet, const Supply& supply, std::size_t q) {
  for (auto m : supply.pools[q].members)
    if (const auto& cost = fleet.entitlement(m).unit_cost) see(cost->amount);
}

Diagnostic prices_out_of_range(std::string_view stage, std::string_view consequence) {
  return Diagnostic::about(Subject::entitlements, "prices-out-of-range",
                           "expected unit costs whose products with the units needed fit in the exact range of the " +
                               std::string(stage) + " solver, found larger ones; " + std::string(consequence));
}

}  // namespace trueup::core
