// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/price.hpp
//
// A price-list line (prices.csv): what one licence unit of a product costs to buy, so that a
// shortfall can be priced where no licence held names a price. A shortfall is priced at the
// cheapest known unit cost of a licence that would cover it: a price line, or a licence record's
// `unit_cost` (docs/formats.md).
#pragma once

#include <cstdint>
#include <string>

#include "trueup/model/catalog.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/model/money.hpp"

namespace trueup {

struct Price {
  std::string sku;                    ///< the publisher's part number, if known
  ProductRef product;                 ///< what it buys
  Channel channel = Channel::volume;  ///< how it is sold: its use rights (never OEM)
  Metric metric = Metric::device;     ///< what one unit counts
  Money unit_cost;
  std::string currency;
  std::uint32_t line = 0;  ///< source line in prices.csv
};

}  // namespace trueup
