// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/downgrade.hpp
//
// Rule: downgrade rights. A licence for version V of a product may run an earlier version of
// the same edition, as far as its channel allows:
//
// - volume licences: any prior version of the same edition (licensing-rules D1, D2, D3:
//   Microsoft brief "Downgrade rights for Microsoft Commercial Licensing, OEM, and
//   full-package product licenses", 2016/2020);
// - OEM Windows Pro and OEM Windows Server: only the versions the licence terms list
//   (§5.2, §5.3; e.g. Windows 10 Pro OEM -> 8.1 Pro or 7 Professional);
// - retail (FPP) and OEM applications: none (O6, R4).
//
// The pack states every right as data (`DowngradeRight`); this function only reads it.
// Downgrading never changes the licensing model: the licence's own version decides the
// metric (G4, D6). In the solver a downgrade costs one preference step per version skipped,
// so exact versions are used first and newer licences stay free for newer installs (§5.5).
#pragma once

#include <algorithm>
#include <cstdint>

#include "trueup/model/catalog.hpp"

namespace trueup::rules {

/// Whether a `channel` licence of `licence_edition` for version `from` may run version `to`
/// (an earlier version) of that family. `to == from` is not a downgrade and returns false.
[[nodiscard]] inline const DowngradeRight* downgrade_right(const Family& f, Channel channel,
                                                           std::uint16_t licence_edition, std::uint16_t from,
                                                           std::uint16_t to) {
  if (to >= from) return nullptr;
  for (const auto& r : f.downgrades) {
    if (r.channel != channel) continue;
    if (!r.editions.empty() && std::find(r.editions.begin(), r.editions.end(), licence_edition) == r.editions.end())
      continue;
    if (r.any_earlier) return &r;
    if (r.from == from && std::find(r.to.begin(), r.to.end(), to) != r.to.end()) return &r;
  }
  return nullptr;
}

}  // namespace trueup::rules
