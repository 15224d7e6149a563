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
// - a right may depend on versions: Windows Server 2012 and later Standard and Datacenter may
//   run Windows Server 2008 R2 Enterprise and earlier, an edition that no longer exists in their
//   own version (§5.3; Directions on Microsoft; `DownEditionRight`).
//
// Down-edition combines with downgrade (a 2019 Datacenter licence may run a 2016 Standard
// VM, §5.3 "Combined"). In the solver each edition step costs one preference step.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trueup/model/catalog.hpp"

namespace trueup::rules {

/// Whether a licence of edition `licence` may run edition `installed` (a different edition) of
/// any version: the edition's own rights.
[[nodiscard]] inline bool down_edition_allowed(const Family& f, std::uint16_t licence, std::uint16_t installed) {
  const auto& covers = f.editions.at(licence).covers;
  return licence != installed && std::find(covers.begin(), covers.end(), installed) != covers.end();
}

/// Where a licence of `licence_edition` and `licence_version` is granted the right to run
/// `installed` edition of `installed_version`: the edition's own right, or a version-scoped
/// one (DownEditionRight: 2012 and later Standard runs 2008 R2 Enterprise); nullopt when none
/// is.
[[nodiscard]] inline std::optional<std::string> down_edition_source(const Family& f, std::uint16_t licence_edition,
                                                                    std::uint16_t licence_version,
                                                                    std::uint16_t installed,
                                                                    std::uint16_t installed_version) {
  if (down_edition_allowed(f, licence_edition, installed)) return f.editions[licence_edition].covers_source;
  const auto has = [](const std::vector<std::uint16_t>& v, std::uint16_t x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  for (const DownEditionRight& r : f.down_editions)
    if (has(r.editions, licence_edition) && has(r.versions, licence_version) && has(r.covers, installed) &&
        installed_version <= r.up_to)
      return r.source;
  return std::nullopt;
}

}  // namespace trueup::rules
