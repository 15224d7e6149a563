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
#include <tuple>
#include <vector>

#include "trueup/demand/pool.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"

namespace trueup::core {

/// A known unit cost (ten-thousandths, as Money) and where it was found.
struct Quote {
  std::int64_t unit_cost = 0;
  PriceSource source;

  /// Cheaper first; among equal costs the price list, then the lower index (see the file comment).
  [[nodiscard]] friend bool operator<(const Quote& a, const Quote& b) {
    const auto key = [](const Quote& q) {
      return std::tuple(q.unit_cost, q.source.kind != PriceSource::Kind::price_list, q.source.index);
    };
    return key(a) < key(b);
  }
};

/// The lower of two prices, either maybe unknown.
[[nodiscard]] inline std::optional<Quote> lower(std::optional<Quote> a, std::optional<Quote> b) {
  if (!a) return b;
  if (!b) return a;
  return *b < *a ? b : a;
}

/// The unit cost of a price, nullopt when unknown.
[[nodiscard]] inline std::optional<std::int64_t> unit_cost(const std::optional<Quote>& q) {
  return q ? std::optional(q->unit_cost) : std::nullopt;
}

/// The cheapest known unit cost among `pool`'s members; nullopt when none is known.
[[nodiscard]] std::optional<Quote> cheapest(const Fleet& fleet, const Pool& pool);
/// The cheapest known unit cost among `pools`' members; nullopt when none is known.
[[nodiscard]] std::optional<Quote> cheapest(const Fleet& fleet, const Supply& supply,
                                            const std::vector<std::size_t>& pools);

/// The cheapest price-list offer of `family` that `buys(pool)` accepts; nullopt when none.
template <class Buys>
[[nodiscard]] std::optional<Quote> cheapest_offer(const Supply& supply, FamilyIndex family, Buys&& buys) {
  std::optional<Quote> best;
  for (std::size_t i = 0; i < supply.offers.size(); ++i) {
    const PriceOffer& o = supply.offers[i];
    if (o.pool.product.family == family && buys(o.pool))
      best = lower(best, Quote{o.unit_cost, {PriceSource::Kind::price_list, static_cast<std::uint32_t>(i)}});
  }
  return best;
}

/// The rank of prices within one stage (see the file comment).
class PriceRank {
 public:
  void see(std::optional<std::int64_t> price) {
    if (price) most_ = most_ ? std::max(*most_, *price) : *price;
  }
  void see(const std::optional<Quote>& price) { see(unit_cost(price)); }
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
  [[nodiscard]] std::int64_t rank(const std::optional<Quote>& price) const { return rank(unit_cost(price)); }

 private:
  std::optional<std::int64_t> most_;
};

/// The one warning of every stage whose prices times units left its solver's exact range, so
/// that it placed its shortfall without regard to price; `consequence` says so in its terms.
[[nodiscard]] Diagnostic prices_out_of_range(std::string_view stage, std::string_view consequence);

}  // namespace trueup::core
