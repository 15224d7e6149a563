// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/entitlement.hpp
//
// A licence record: what was bought, through which channel, how many units, and (for OEM)
// the device it came with or (for retail) the device it was last assigned to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/model/money.hpp"

namespace trueup {

struct Entitlement {
  std::string id;
  std::string sku;  ///< publisher part number, if known
  ProductRef product;
  Channel channel = Channel::volume;
  /// What one unit counts: the product's metric (RulePack::metric_of) unless the record states
  /// another that the family allows (Family::metrics: a per-device Microsoft 365 Apps licence,
  /// a device CAL).
  Metric metric = Metric::device;
  Units quantity = 0;  ///< in `metric`
  /// OEM: the device the licence came with (its binding). Retail: the device it was last
  /// assigned to (it may move). Volume: unused.
  DeviceIndex device;
  std::optional<Date> purchased;
  /// Software Assurance coverage (SA1, SA4): while active, rights to the versions made
  /// available during the term; afterwards, to the latest made available while it was active.
  /// A missing start is the purchase date.
  std::optional<Date> sa_start;
  std::optional<Date> sa_end;
  /// A subscription's term (DT3, X9): it covers nothing before its start or after its end.
  std::optional<Date> subscription_start;
  std::optional<Date> subscription_end;
  std::optional<Money> unit_cost;
  std::string currency;
  std::string reference;  ///< proof of purchase: invoice, agreement number
  std::uint32_t line = 0;
};

}  // namespace trueup
