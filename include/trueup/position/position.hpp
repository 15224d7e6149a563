// SPDX-License-Identifier: BSL-1.0
// File: trueup/position/position.hpp
//
// The effective licence position: a verdict with evidence for every install, the position per
// product (installs, demand, licences, consumed, surplus, shortfall, true-up cost), the use of
// every entitlement, and the totals. Invariant (checked by `check_accounting`, run by
// reconcile on every position): every install has exactly one verdict, and the verdict counts
// add up to the installs read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trueup/demand/rule_step.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/licence_assignment.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/model/money.hpp"
#include "trueup/normalise/exclusion.hpp"
#include "trueup/position/verdict.hpp"
#include "trueup/solver/status.hpp"

namespace trueup {

/// Units of one entitlement used for one demand.
struct Allocation {
  EntitlementIndex entitlement;
  Units units = 0;
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

struct InstallVerdict {
  Verdict verdict = Verdict::excluded;
  std::optional<ProductRef> product;  ///< when recognised
  Exclusion exclusion = Exclusion::none;
  std::string reason;         ///< excluded: why
  InstallIndex duplicate_of;  ///< duplicate: the install that carries the demand
  Metric metric = Metric::device;
  Units demanded = 0;  ///< demand units (0 unless covered / short)
  Units covered = 0;
  std::vector<Allocation> licences;  ///< what covers it
  std::vector<RuleStep> evidence;    ///< the rules that allow each licence, in order
};

struct ProductPosition {
  ProductRef product;
  Metric metric = Metric::device;
  std::uint32_t installs = 0;  ///< inventory rows recognised as this product (CALs: holders)
  std::uint32_t duplicates = 0;
  std::uint32_t excluded = 0;
  std::uint32_t demands = 0;  ///< devices that need a licence for it
  Units demand_units = 0;
  Units covered_units = 0;
  Units shortfall_units = 0;
  Units licences = 0;  ///< counted licence units of this product
  /// `licences` by the channel of the records they come from (Channel order: OEM, retail,
  /// volume, subscription): an auditor's ELP shows them apart. They add up to `licences`.
  std::array<Units, channel_count> licences_by_channel{};
  Units void_licences = 0;       ///< units that count for nothing (e.g. OEM of retired PCs)
  Units consumed = 0;            ///< units of this product's licences in use, for any install
  Units surplus = 0;             ///< licences - consumed
  MoneyTotal true_up_cost;       ///< shortfall priced at the cheapest known unit cost
  Units unpriced_shortfall = 0;  ///< shortfall units with no known price
  /// The edition the cheapest fix buys when it is not the product's own: a Standard server
  /// whose cheapest licensing is Datacenter (the true-up buys Datacenter licences).
  std::optional<std::uint16_t> buy_edition;
};

/// Where a shortfall's unit price was found: a licence record's `unit_cost` or a price-list line
/// (prices.csv); `none` when no price is known.
struct PriceSource {
  enum class Kind : std::uint8_t { none, licence, price_list };
  Kind kind = Kind::none;
  std::uint32_t index = 0;  ///< into Fleet::entitlements (licence) or Fleet::prices (price_list)
  friend constexpr auto operator<=>(const PriceSource&, const PriceSource&) = default;
};

/// What the true-up buys for one product row: shortfall units priced from one source. The
/// purchases of a row add up to its shortfall units, and the priced ones' costs to its
/// `true_up_cost`; the unpriced ones' units are its `unpriced_shortfall`.
struct Purchase {
  ProductRef product;  ///< the row short (ProductPosition::product and metric)
  Metric metric = Metric::device;
  /// The edition bought when not the row's own (ProductPosition::buy_edition).
  std::optional<std::uint16_t> buy_edition;
  PriceSource source;  ///< what is bought: the SKU of that licence record or price-list line
  Money unit_cost;     ///< zero when the source is `none`
  Units units = 0;
  MoneyTotal cost;  ///< units x unit_cost
};

/// A physical server (or a VM licensed as a server of its own) of a host-licensed family
/// (Windows Server): the model it is licensed under and why it needs the units it does.
struct ServerPosition {
  DeviceIndex device;
  InstallIndex install;       ///< the install that carries the server's licences
  ProductRef product;         ///< the newest version and the edition every OSE on it needs
  std::uint32_t oses = 0;     ///< OSEs counted (VMs running the product, or the host itself)
  std::string model;          ///< the licensing terms' name: "per core (2016 and later)"
  std::uint16_t edition = 0;  ///< edition of the licences of the model chosen
  Metric metric = Metric::core;
  Units required = 0;
  Units covered = 0;
  std::string why;         ///< the arithmetic: cores, minimums, OSEs, stacking
  std::string source;      ///< where the model's numbers are stated
  bool needs_cals = true;  ///< its users need CALs: not under Essentials terms (W12-3)
};

/// A named user of a per-user family (Microsoft 365 Apps): whether a user licence covers their
/// devices, and how many devices need per-device licences.
struct UserPosition {
  std::string user;
  ProductRef product;
  std::uint32_t devices = 0;             ///< devices of the user that run the product
  bool user_licence = false;             ///< a user licence was assigned (owned or to buy)
  bool user_licence_owned = false;       ///< ... and an owned one covers it
  std::uint32_t under_user_licence = 0;  ///< devices the user licence covers (allowances)
  std::uint32_t device_licences = 0;     ///< devices needing a per-device licence
  std::uint32_t device_short = 0;        ///< of those, without an owned licence
};

/// One holder of a CAL (a user or a device that accesses servers, CAL1), the version it needs
/// (the newest server version it accesses, CAL2) and the licence that covers it.
struct CalPosition {
  Metric metric = Metric::user_cal;  ///< user_cal or device_cal
  std::string holder;                ///< user name or device id
  ProductRef product;                ///< CAL family and the version needed
  std::uint32_t servers = 0;         ///< servers it accesses under this CAL
  Units covered = 0;                 ///< 1 when an owned CAL covers it
  std::vector<Allocation> licences;
};

struct EntitlementUse {
  bool counted = false;
  std::string reason;  ///< when void
  std::string note;    ///< when counted: Software Assurance rights, units locked by the 90-day rule
  Units consumed = 0;
  /// When counted: the product, metric and units it counts as: its own, or, converted by
  /// Software Assurance to another licensing model (SA5), the new model's.
  ProductRef product;
  Metric metric = Metric::device;
  Units units = 0;
  bool converted = false;
};

/// How this run's assignments relate to the previous ones (src/core/next_assignments.cpp), in
/// licence units.
struct AssignmentChanges {
  Units kept = 0;      ///< in use by the holder that held them before
  Units moved = 0;     ///< taken from another holder (reassigned)
  Units assigned = 0;  ///< of licences that had no holder before
  Units locked = 0;    ///< idle, kept by the 90-day rule with a holder that no longer uses them
};

/// Licence units of one metric. Units of different metrics (devices, processor licences,
/// core licences) are never added together.
struct UnitTotals {
  Units demand = 0;
  Units covered = 0;
  Units shortfall = 0;
  Units licences = 0;
  Units consumed = 0;
  Units surplus = 0;
};

struct Totals {
  std::uint32_t installs = 0;
  std::uint32_t covered = 0;
  std::uint32_t shortfall = 0;
  std::uint32_t excluded = 0;
  std::uint32_t duplicate = 0;
  std::array<UnitTotals, metric_count> units{};  ///< by Metric
  MoneyTotal true_up_cost;
  Units unpriced_shortfall = 0;

  [[nodiscard]] const UnitTotals& in(Metric m) const { return units[static_cast<std::size_t>(m)]; }
  [[nodiscard]] UnitTotals& in(Metric m) { return units[static_cast<std::size_t>(m)]; }
};

struct Position {
  std::string rule_pack;  ///< name and version of the pack used
  Date as_of;             ///< the date the position is taken on
  SolveStatus status = SolveStatus::optimal;
  std::vector<InstallVerdict> installs;      ///< parallel to Fleet::installs
  std::vector<ProductPosition> products;     ///< by family, version, edition (pack order)
  std::vector<EntitlementUse> entitlements;  ///< parallel to Fleet::entitlements
  std::vector<ServerPosition> servers;       ///< host-licensed families, by device
  std::vector<UserPosition> users;           ///< per-user families, by user
  std::vector<CalPosition> cals;             ///< CAL holders, by family, metric, holder
  std::vector<Purchase> purchases;           ///< in the order of `products`, then by source
  Totals totals;
  std::size_t demand_classes = 0;  ///< solver nodes after compression
  std::size_t pools = 0;
  std::size_t components = 0;
  Diagnostics warnings;  ///< facts the user should review (unknown hardware, mixed currencies)
  /// The assignments held after this run, sorted by (licence, device, user, from): what the
  /// next run reads as history. Filled when ReconcileOptions::record_assignments is set.
  std::vector<LicenceAssignment> assignments;
  AssignmentChanges history;  ///< filled with `assignments`
};

/// The accounting invariants, from independent facts. To be used in a TRUEUP_CHECK:
/// - every install has one verdict and the verdict counts add up to the installs read;
/// - an install's covered units are the sum of its allocations, at most its demand, and all of
///   it exactly when the verdict is `covered`; a duplicate points at a covered or short install;
/// - no licence hands out more than its quantity, a void one hands out nothing, and the units
///   handed out equal the units covered;
/// - per metric, covered + shortfall = demand and consumed + surplus = licences;
/// - per product, the licences by channel add up to its licences.
[[nodiscard]] bool check_accounting(const Position& p, const Fleet& fleet);

}  // namespace trueup
