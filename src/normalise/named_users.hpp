// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/named_users.hpp
//
// Named User Plus (licensing-rules §13 ORACLE): a server whose product is licensed by named
// users needs the greater of the users who use it and the terms' minimum, 25 per Processor
// for Oracle Database Enterprise Edition (the Processors counted as the Processor metric
// counts them) or 10 per server for Standard Edition 2. Remend: "16 times the 25
// per-Processor minimum equals 400 NUPs or the actual number of users, whichever is greater".
//
// Invariants: the users of a server are the distinct `user` values access.csv gives for it
// (the input of the CAL stage, docs/formats.md), and each row that names only a device counts
// that device once (Oracle's definition of a named user includes non-human-operated devices).
// A product is counted by named users only where the fleet holds licences of its family and
// edition in the `user` metric and none in its own metric: the licence held sets the model
// (G4); with both, the product's own metric stays.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup::detail {

class NamedUsers {
 public:
  NamedUsers(const RulePack& pack, const Fleet& fleet);

  /// Whether the demand of `product`, under `terms`, counts in named users (see above).
  [[nodiscard]] bool applies(ProductRef product, const LicensingTerms* terms) const;

  /// The named users server `device` needs under `terms`, given the Processors it would need
  /// under the Processor metric (`processors`, already known to have a core factor).
  [[nodiscard]] rules::UnitCount units(const LicensingTerms& terms, DeviceIndex device,
                                       const rules::UnitCount& processors) const;

 private:
  std::set<std::pair<std::uint32_t, std::uint16_t>> by_users_;  ///< (family, edition) held in `user`
  std::set<std::pair<std::uint32_t, std::uint16_t>> by_own_;    ///< ... held in the product's own metric
  std::vector<std::uint32_t> users_;                            ///< per device: its named users
};

}  // namespace trueup::detail
