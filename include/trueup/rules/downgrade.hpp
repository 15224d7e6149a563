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
//   (§5.2, §5.3; e.g. Windows 10 Pro OEM -> 8.1 Pro or 7 Professional), some only "for as long
//   as Microsoft provides support for that earlier version" (Windows 10 OEM licence terms §7):
//   such a right ends with the earlier version's extended support (`while_supported`);
// - retail (FPP) and OEM applications: none (O6, R4).
//
// The pack states every right as data (`DowngradeRight`); this function only reads it.
// Downgrading never changes the licensing model: the licence's own version decides the
// metric (G4, D6). In the solver a downgrade costs one preference step per version skipped,
// so exact versions are used first and newer licences stay free for newer installs (§5.5).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "trueup/model/catalog.hpp"

namespace trueup::rules {

/// The right by which a `channel` licence of `licence_edition` for version `from` may run
/// version `to` (an earlier version) of that family on `as_of`, or nullptr. `to == from` is not
/// a downgrade. A right that holds only while `to` is supported, and no longer does, is not
/// returned; it is put in `*ended` (when given), so that the refusal can say so.
[[nodiscard]] inline const DowngradeRight* downgrade_right(const Family& f, Channel channel,
                                                           std::uint16_t licence_edition, std::uint16_t from,
                                                           std::uint16_t to, Date as_of,
                                                           const DowngradeRight** ended = nullptr) {
  if (to >= from) return nullptr;
  for (const auto& r : f.downgrades) {
    if (r.channel != channel) continue;
    if (!r.editions.empty() && std::find(r.editions.begin(), r.editions.end(), licence_edition) == r.editions.end())
      continue;
    if (!r.any_earlier && !(r.from == from && std::find(r.to.begin(), r.to.end(), to) != r.to.end())) continue;
    const std::optional<Date>& end = f.versions[to].support_end;
    if (r.while_supported && end && *end < as_of) {
      if (ended != nullptr) *ended = &r;
      continue;
    }
    return &r;
  }
  return nullptr;
}

}  // namespace trueup::rules
