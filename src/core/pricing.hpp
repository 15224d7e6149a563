// SPDX-License-Identifier: BSL-1.0
// File: src/core/pricing.hpp
//
// What a shortfall costs, for every stage alike. A unit left short is priced at the cheapest
// known unit cost of a licence that would cover it (design: "a shortfall arc ... to its
// cheapest purchasable SKU"). A shortfall with no known price ranks *above every known price
// the stage has seen* (`PriceRank::unknown`), so that the solvers leave short first what can be
// priced, and report it exactly, and leave the rest as "unpriced"; with no known price at all
// it ranks 0 (then only coverage decides).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "trueup/demand/pool.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup::core {

/// The cheapest known unit cost among `pool`'s members; nullopt when none is known.
[[nodiscard]] std::optional<std::int64_t> cheapest(const Fleet& fleet, const Pool& pool);
/// The cheapest known unit cost among `pools`' members; nullopt when none is known.
[[nodiscard]] std::optional<std::int64_t> cheapest(const Fleet& fleet, const Supply& supply,
                                                   const std::vector<std::size_t>& pools);

/// The cheapest price-list offer of `family` that `buys(pool)` accepts; nullopt when none.
template <class Buys>
[[nodiscard]] std::optional<std::int64_t> cheapest_offer(const Supply& supply, FamilyIndex family, Buys&& buys) {
  std::optional<std::int64_t> best;
  for (const PriceOffer& o : supply.offers)
    if (o.pool.product.family == family && buys(o.pool)) best = std::min(best.value_or(o.unit_cost), o.unit_cost);
  return best;
}

/// The lower of two prices, either maybe unknown.
[[nodiscard]] inline std::optional<std::int64_t> lower(std::optional<std::int64_t> a, std::optional<std::int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

/// The rank of prices within one stage (see the file comment).
class PriceRank {
 public:
  void see(std::optional<std::int64_t> price) {
    if (price) most_ = most_ ? std::max(*most_, *price) : *price;
  }
  /// Sees the unit cost of every member of pool `q`.
  void see_pool(const Fleet& fleet, const Supply& supply, std::size_t q);
  /// Sees every price-list offer of `family`.
  void see_offers(const Supply& supply, FamilyIndex family) {
    for (const PriceOffer& o : supply.offers)
      if (o.pool.product.family == family) see(o.unit_cost);
  }
  [[nodiscard]] bool any() const { return most_.has_value(); }
  /// The rank of an unknown price: above every price seen, 0 when none was.
  [[nodiscard]] std::int64_t unknown() const { return most_ ? *most_ + 1 : 0; }
  [[nodiscard]] std::int64_t rank(std::optional<std::int64_t> price) const { return price.value_or(unknown()); }

 private:
  std::optional<std::int64_t> most_;
};

/// The one warning of every stage whose prices times units left its solver's exact range, so
/// that it placed its shortfall without regard to price; `consequence` says so in its terms.
[[nodiscard]] Diagnostic prices_out_of_range(std::string_view stage, std::string_view consequence);

}  // namespace trueup::core
