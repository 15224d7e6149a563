// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/demand.hpp
//
// A demand: what one device needs licensed for one product (its family, and an edition no
// other demand of the device covers; see normalise.hpp), in units of the metric of the
// installed version (one for per-device products; core licences after minimums for
// Windows Server 2016+; see rules/metric_units.hpp). Later metrics (per user, CAL) add
// demand kinds; a demand always has a metric and a quantity.
#pragma once

#include <cstdint>

#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup {

struct Demand {
  DeviceIndex device;
  InstallIndex install;  ///< the representative install (see normalise.hpp)
  ProductRef product;
  Metric metric = Metric::device;
  Units quantity = 1;
  std::uint32_t installs = 1;  ///< inventory rows merged into this demand
  /// How the family is licensed. `host`: `device` is the physical server, `product` the
  /// version and edition every OSE on it needs, `quantity` 0 (the licence's model decides the
  /// units: solver/host_solver.hpp), `oses` the OSEs it runs.
  Assignment assignment = Assignment::device;
  std::uint32_t oses = 0;
  /// `host`: the physical server runs the product itself next to VMs that run it (`oses`
  /// counts the VMs then); whether that OSE counts is the licence terms' (metric_units.hpp).
  bool host_also = false;
  /// `device`: a virtual machine licensed on its own, by its virtual cores (SQL2; under the
  /// SQL Server 2022 terms only with SA or subscription, SQL3).
  bool individual_vm = false;
  /// `device`: the VM's share of its host licensed whole (SQL4): index into
  /// Normalised::hosts, or UINT32_MAX. `quantity` is then this VM's share of the host's units.
  std::uint32_t host_share = UINT32_MAX;
  /// `device`, a physical server whose install's terms count a core factor other than 1
  /// (SQL Server 2012/2014 on the listed AMD processors, SQL7): its count without the factor,
  /// every physical core after the minimums, which licences whose terms have no factor need
  /// (G4, D6); 0: no factor applies.
  Units unfactored = 0;
  /// `quantity` is the factored count, which only licences whose terms carry the factor may
  /// cover (demand/eligibility.hpp); false with `unfactored` set: `quantity` is every core,
  /// no such licence being held (core/core_factor.cpp).
  bool factored = false;
};

}  // namespace trueup
