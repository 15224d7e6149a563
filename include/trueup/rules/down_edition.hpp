// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/down_edition.hpp
//
// Rule: down-edition rights. A licence for a higher edition may run a lower edition only where
// the publisher grants it, and the pack lists each grant (`EditionSpec::covers`):
//
// - Windows Server Datacenter may run Standard (and Essentials); Standard may run Essentials
//   (licensing-rules §5.3, HPE "What are downgrade and Down-edition rights for Windows
//   Server 2019?");
// - Office editions are separate products: Professional Plus does *not* cover Standard
//   (D3: "Downgrade rights grant the end user the right to use prior versions ... not other
//   editions", Microsoft licensing FAQ).
//
// Down-edition combines with downgrade (a 2019 Datacenter licence may run a 2016 Standard
// VM, §5.3 "Combined"). In the solver each edition step costs one preference step.
#pragma once

#include <algorithm>
#include <cstdint>

#include "trueup/model/catalog.hpp"

namespace trueup::rules {

/// Whether a licence of edition `licence` may run edition `installed` (a different edition).
[[nodiscard]] inline bool down_edition_allowed(const Family& f, std::uint16_t licence, std::uint16_t installed) {
  const auto& covers = f.editions.at(licence).covers;
  return licence != installed && std::find(covers.begin(), covers.end(), installed) != covers.end();
}

}  // namespace trueup::rules
