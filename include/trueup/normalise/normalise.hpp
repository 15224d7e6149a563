// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/normalise.hpp
//
// Normalisation: from raw inventory rows to demands. Every install leaves this stage in
// exactly one of three states, and nothing is dropped:
//
// - **excluded**, with its reason: a row that is not a licensable product (component, another
//   publisher's product, unrecognised title), a free edition, or an install on a device that
//   is not in scope: not owned (leased, rented, customer's, personal: licensing-rules X1 and
//   §2 "Leased hardware"), retired, or failed;
// - **demand**: the one install that stands for its (device, product family) pair;
// - **duplicate** of that install: a product installed several times on one device
//   (re-install, 32- and 64-bit entries, two versions side by side) needs one licence
//   (X4 "Right of Multiple Use", X5; DT1: any number of copies on the licensed device).
//
// Within a (device, family) pair, installs are taken highest version first, then highest
// edition (pack order), then smallest install id, so the choice does not depend on row order.
// The first is the representative; each later install is a duplicate of the first
// representative whose edition is its own or covers it (down-edition), and otherwise a demand
// of its own: editions that do not cover each other are different products (D3: Office
// Standard next to Professional Plus needs its own licence).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trueup/demand/demand.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/exclusion.hpp"

namespace trueup {

struct InstallDisposition {
  enum class Kind : std::uint8_t { demand, duplicate, excluded };
  Kind kind = Kind::excluded;
  bool recognised = false;
  ProductRef product;  ///< when recognised
  Exclusion exclusion = Exclusion::none;
  std::string reason;                 ///< when excluded
  std::uint32_t demand = UINT32_MAX;  ///< demand index, for demand and duplicate
};

struct Normalised {
  std::vector<InstallDisposition> installs;  ///< parallel to Fleet::installs
  std::vector<Demand> demands;               ///< ordered by (device index, family)
  std::uint32_t unknown_hardware = 0;        ///< processor/core demands on devices without counts
};

/// Demands on `as_of`: devices are judged by their status on that date (one retired later was
/// still in service), and installs first seen after it did not exist yet.
///
/// With `threads` > 1, recognition and exclusion run on contiguous ranges of installs, one
/// per thread, each with its own Recogniser; the candidates of the ranges are joined in range
/// order, so the result is the one a single thread gives.
[[nodiscard]] Normalised normalise(const RulePack& pack, const Fleet& fleet, Date as_of, unsigned threads = 1);

}  // namespace trueup
