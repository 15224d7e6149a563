// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/pool.hpp
//
// Supply: entitlements grouped into pools of interchangeable licence units. Licences that
// share every eligibility-relevant attribute (product, channel, metric, version on record) form
// one pool whose quantity is the sum of theirs; the members are kept in id order so that units
// are handed out deterministically. An OEM licence is its own pool, bound to its device
// (rules/oem_binding.hpp), and so are units the 90-day rule keeps with their holder
// (rules/reassignment.hpp). Everything is judged on the as-of date: a licence bought after it,
// or a subscription outside its term, counts for nothing. Every entitlement is either counted
// in pools or void with its reason: nothing is dropped.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "trueup/demand/rule_step.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/rules/reassignment.hpp"

namespace trueup {

struct Pool {
  ProductRef product;  ///< what its licences may run: the version on record, or a later one by SA
  Channel channel = Channel::volume;
  Metric metric = Metric::device;
  Units quantity = 0;
  std::vector<EntitlementIndex> members;  ///< in entitlement-id order
  std::vector<Units> units;               ///< parallel to members: the units each puts in
  /// Bound pools: the only device (OEM, or a licence locked by the 90-day rule) or user (a
  /// locked user licence) its units may cover.
  DeviceIndex bound;
  std::string bound_user;
  /// The version on the licences' records, when Software Assurance lets them run `product`'s
  /// later one (rules/software_assurance.hpp).
  std::uint16_t licensed_version = 0;
  /// A bound pool's binding, as evidence: the OEM binding or the reassignment lock.
  std::optional<RuleStep> binding;
  /// Software Assurance active on the as-of date, or subscriptions
  /// (rules::software_assurance_active): what licensing an individual VM under the SQL Server
  /// 2022 terms needs (SQL3).
  bool software_assurance = false;

  [[nodiscard]] bool is_bound() const { return bound.valid() || !bound_user.empty(); }
  [[nodiscard]] bool by_software_assurance() const { return licensed_version != product.version; }
};

struct EntitlementDisposition {
  bool counted = false;
  std::string reason;  ///< why it is void
  std::string note;    ///< when counted: Software Assurance rights, locks by the 90-day rule
  /// What it counts as: its own product, metric and quantity, unless Software Assurance
  /// converted it to another licensing model (ModelConversion, SA5: one 2012 R2 processor
  /// licence counts as 16 core licences of 2016).
  ProductRef product;
  Metric metric = Metric::device;
  Units units = 0;
  bool converted = false;
};

/// A price-list line as something one could buy: a pool of no units of what it buys, so that
/// eligibility decides which shortfalls it would cover, and its unit cost.
struct PriceOffer {
  Pool pool;
  std::int64_t unit_cost = 0;  ///< ten-thousandths, as Money
};

struct Supply {
  /// Device-bound pools first (by device, then id), then user-bound pools (by user, then id),
  /// then shared pools by key.
  std::vector<Pool> pools;
  std::vector<EntitlementDisposition> entitlements;  ///< parallel to Fleet::entitlements
  std::size_t bound_pools = 0;                       ///< device- and user-bound pools: [0, bound_pools)

  /// Counted licences that qualify their device for a family's upgrade licences (UpgradeRule:
  /// an OEM or retail Windows Pro licence under a volume Windows upgrade, O4), sorted by device,
  /// family and licence id.
  std::vector<std::tuple<DeviceIndex, FamilyIndex, EntitlementIndex>> qualifying;
  /// The price list (Fleet::prices): what a shortfall could be bought as, by family.
  std::vector<PriceOffer> offers;  ///< parallel to Fleet::prices (PriceSource::index)

  /// The pools bound to `device`, in order (O(log pools): the bound range is sorted by device).
  [[nodiscard]] std::vector<std::size_t> bound_to(DeviceIndex device) const;
  /// A licence that qualifies `device` for `family`'s upgrade licences, or nullopt.
  [[nodiscard]] std::optional<EntitlementIndex> qualifying_licence(DeviceIndex device, FamilyIndex family) const;
};

/// Groups the entitlements counted on `as_of` into pools. Units that the 90-day rule keeps with
/// their holder (`holdings`, rules/reassignment.hpp) form bound pools of their own; the rest of
/// each licence joins its shared pool, keyed by (product it may run, channel, metric, version
/// on record).
[[nodiscard]] Supply build_supply(const RulePack& pack, const Fleet& fleet, Date as_of, const Holdings& holdings = {});

}  // namespace trueup
