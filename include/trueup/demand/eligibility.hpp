// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/eligibility.hpp
//
// Eligibility: the one function that decides whether a pool's licences may cover a demand,
// and records the chain of rules that allow it. It combines, in this order:
//
// 1. same product family;
// 2. same licensing model (metric): a licence is counted by the rules of its own version
//    (licensing-rules G4, D6);
// 3. a VM licensed on its own (by its virtual cores) under terms that make that a Software
//    Assurance benefit (SQL Server 2022: SQL3) needs a pool with SA active or subscriptions;
// 2a. a demand counted with a core factor (SQL Server 2012/2014 on the listed AMD processors,
//    SQL7) needs a licence whose own terms carry the factor (G4, D6): 2016 and later count
//    every physical core (`carries_core_factor`; core/core_factor.cpp decides the count);
// 3a. an upgrade licence (Windows desktop volume licences: O4) needs a qualifying licence on
//    the demand's device;
// 4. edition: the same edition, or a down-edition right of the licence's edition, for every
//    version or for the versions a right names (rules/down_edition.hpp);
// 5. version: the same version, or a downgrade right of the licence's channel that holds on
//    the as-of date (rules/downgrade.hpp); never a newer version than the licence. The
//    licence's version is the one Software Assurance lets it run (rules/software_assurance.hpp),
//    if later than the one on record.
//
// Device-side conditions (owned, in service) are settled by normalisation before a demand
// exists; the OEM binding (only its own device) is settled by the solver's bound stage.
//
// The coverage carries its preference: version steps and edition steps (exactness, used
// first) and the channel's flexibility (kept free: OEM 0 < retail 1 < volume 2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trueup/demand/pool.hpp"
#include "trueup/demand/rule_step.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup {

struct Coverage {
  bool allowed = false;
  std::vector<RuleStep> chain;  ///< when allowed: the rules that allow it, in order
  std::string refusal;          ///< when not allowed: why
  std::uint32_t version_steps = 0;
  std::uint32_t edition_steps = 0;
  std::uint8_t flexibility = 0;

  [[nodiscard]] std::uint32_t exactness_penalty() const { return version_steps + edition_steps; }
};

/// How flexible a channel's licences are: the solver keeps the more flexible ones free.
constexpr std::uint8_t flexibility(Channel c) {
  switch (c) {
    case Channel::oem: return 0;
    case Channel::retail: return 1;
    case Channel::volume:
    case Channel::subscription: return 2;
  }
  return 2;
}
inline constexpr std::uint8_t max_flexibility = 2;

/// Whether `pool`'s licences may cover a demand for `demand` counted in `demand_metric` on
/// `as_of` (a downgrade right may end with the earlier version's support), with the chain of
/// rules that allow it or the reason they do not (the file comment's order). `qualified`: the
/// demand's device has a qualifying licence of its own, which licences of an upgrade channel
/// need (UpgradeRule, licensing-rules O4). `individual_vm`: the demand is a virtual machine
/// licensed on its own, not as part of its licensed host (SQL2, SQL3). `factored`: the demand's
/// units are physical cores times a core factor (SQL7), which only licences that
/// `carries_core_factor` may supply (G4, D6).
[[nodiscard]] Coverage eligibility(const RulePack& pack, ProductRef demand, Metric demand_metric, const Pool& pool,
                                   Date as_of, bool qualified = true, bool individual_vm = false,
                                   bool factored = false);

/// Whether the terms of `pool`'s licences, those of its version or of the version on record
/// (Software Assurance takes no right away), have a core factor table (SQL7: the SQL Server
/// 2012 and 2014 per-core terms).
[[nodiscard]] bool carries_core_factor(const RulePack& pack, const Pool& pool);

}  // namespace trueup
