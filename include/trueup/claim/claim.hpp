// SPDX-License-Identifier: BSL-1.0
// File: trueup/claim/claim.hpp
//
// An auditor's claim, line by line (claim.csv, docs/formats.md#claimcsv), and its check
// against the computed position: per line, claimed against computed (installs, demand units,
// licences credited, shortfall), a verdict, and the difference broken down by cause, each cause
// with its units, the licensing rule that decides it (ids of licensing-rules.md) and its public
// source, and the installs, devices, licences and (CAL lines) users it concerns.
//
// Invariant (checked by `check_claim_causes`, run by check_claim on every check): the causes'
// units of a line add up to its difference, always. A part of a difference that the position's
// verdicts and evidence do not explain is an explicit `not_explained` cause, never hidden.
//
// **Example**:
//
//     auto claim = trueup::io::read_claim("claim.csv", pack);
//     if (!claim) { for (auto& d : claim.error()) std::cerr << d << '\n'; return 2; }
//     trueup::ClaimCheck check = trueup::check_claim(*claim, position, pack, fleet);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trueup/demand/rule_step.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/enum_table.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup {

struct Position;
struct Fleet;

/// One line of a claim, as the auditor wrote it. The counts are in `unit` (or, when no unit is
/// stated, in the metric of the product's licences); absent when the auditor left them blank.
struct ClaimLine {
  std::uint32_t line = 0;  ///< line of the file
  std::string id;          ///< the auditor's line reference (`line` column), or the file's line number
  std::string product;     ///< as written
  std::string version;
  std::string edition;
  /// The rule-pack product the line names, when the pack knows it; a line without one is
  /// answered "cannot match", never dropped.
  std::optional<ProductRef> matched;
  std::optional<Metric> unit;  ///< as stated
  std::optional<Units> installed;
  std::optional<Units> required;
  std::optional<Units> credited;
  Units shortfall = 0;
};

struct Claim {
  std::vector<ClaimLine> lines;  ///< in file order
  Diagnostics warnings;          ///< of the reading (unknown columns)
};

/// What a claim line's verdict says of the auditor's shortfall against the position's.
enum class ClaimVerdict : std::uint8_t {
  agreed,           ///< the same shortfall
  rejected,         ///< the auditor claims a shortfall; the position owes none of it
  partly_rejected,  ///< the auditor claims more than the position owes
  under_claimed,    ///< the auditor claims less than the position owes
  cannot_match,     ///< the line names no product of the rule pack: to review
};

template <>
struct EnumTable<ClaimVerdict> {
  static constexpr std::array<EnumEntry<ClaimVerdict>, 5> entries{
      {{ClaimVerdict::agreed, "agreed", "agreed"},
       {ClaimVerdict::rejected, "rejected", "rejected"},
       {ClaimVerdict::partly_rejected, "partly_rejected", "partly rejected"},
       {ClaimVerdict::under_claimed, "under_claimed", "under-claimed"},
       {ClaimVerdict::cannot_match, "cannot_match", "cannot match"}}};
};

/// Why a claim's shortfall differs from the position's. The demand side (the claim counts
/// demand the position does not) comes first, then the credit side (licences the position
/// credits and the claim does not), then what remains.
enum class ClaimCause : std::uint8_t {
  duplicate,  ///< a re-install or second record on a device already counted (X4, X5)
  /// a copy another device's or user's licence covers: a VM on a licensed host (WS8, W12-2), a
  /// device of a user with a user licence (DT3)
  covered_elsewhere,
  not_owned,        ///< installs on leased or otherwise not owned devices (X1)
  retired_device,   ///< installs on retired, scrapped or failed devices (O8)
  after_as_of,      ///< installs first seen after the as-of date
  free_edition,     ///< installs of an edition that needs no licence
  needs_review,     ///< installs the pack cannot decide on its own (X7)
  other_publisher,  ///< another publisher's product on a device without this one (X7)
  component,        ///< updates and language packs, licensed with their product
  /// CAL lines: users or devices counted that reach no server needing a CAL (CAL1)
  no_access,
  /// CAL lines: users (devices) who reach servers only from devices (as users) that hold a CAL
  /// of the other kind, which covers them (CAL1)
  other_cal,
  licensing_model,     ///< the licence held sets the model: not the claim's unit (G4, D6, §7.4)
  downgrade,           ///< covered by a licence of a later version (D1-D3, §5.2)
  down_edition,        ///< covered by a licence of a higher edition (§5.3)
  reassignment,        ///< a retail or volume licence moved from another device (R1, R2, R5)
  oem_binding,         ///< the OEM licence that came with the device (O1, O2)
  upgrade,             ///< an upgrade licence over a qualifying licence (O4)
  software_assurance,  ///< rights of Software Assurance (SA1, SA5)
  user_licence,        ///< covered by a licence of the device's user (G1)
  licence_on_record,   ///< covered by a licence of the product itself, on record (G1)
  /// CAL lines: CALs of an earlier version than the claim's, which cover the servers their
  /// holders reach (a 2016 CAL covers 2016 and earlier; a 2012 CAL covers 2012 R2) (CAL2)
  cal_version,
  void_licence,        ///< the claim credits licences that count for nothing (O1, O8)
  claim_arithmetic,    ///< the claim's shortfall is not its required minus its credited units
  demand_not_claimed,  ///< the claim counts less demand than the position (negative units)
  not_explained,       ///< what the position's verdicts and evidence do not explain
};

template <>
struct EnumTable<ClaimCause> {
  using C = ClaimCause;
  static constexpr std::array<EnumEntry<C>, 25> entries{
      {{C::duplicate, "duplicate", "duplicate"},
       {C::covered_elsewhere, "covered_elsewhere", "covered-elsewhere"},
       {C::not_owned, "not_owned", "not-owned"},
       {C::retired_device, "retired_device", "retired-device"},
       {C::after_as_of, "after_as_of", "after-as-of"},
       {C::free_edition, "free_edition", "free-edition"},
       {C::needs_review, "needs_review", "needs-review"},
       {C::other_publisher, "other_publisher", "other-publisher"},
       {C::component, "component", "component"},
       {C::no_access, "no_access", "no-access"},
       {C::other_cal, "other_cal", "other-cal"},
       {C::licensing_model, "licensing_model", "licensing-model"},
       {C::downgrade, "downgrade", "downgrade"},
       {C::down_edition, "down_edition", "down-edition"},
       {C::reassignment, "reassignment", "reassignment"},
       {C::oem_binding, "oem_binding", "oem-binding"},
       {C::upgrade, "upgrade", "upgrade"},
       {C::software_assurance, "software_assurance", "software-assurance"},
       {C::user_licence, "user_licence", "user-licence"},
       {C::licence_on_record, "licence_on_record", "licence-on-record"},
       {C::cal_version, "cal_version", "cal-version"},
       {C::void_licence, "void_licence", "void-licence"},
       {C::claim_arithmetic, "claim_arithmetic", "claim-arithmetic"},
       {C::demand_not_claimed, "demand_not_claimed", "demand-not-claimed"},
       {C::not_explained, "not_explained", "not-explained"}}};
};

/// One cause of a line's difference.
struct ClaimCauseShare {
  ClaimCause cause = ClaimCause::not_explained;
  Units units = 0;                    ///< in the claim line's unit; negative when it lowers the claim's shortfall less
  std::string rule;                   ///< licensing-rules ids ("X4, X5"), empty for the claim's own arithmetic
  std::string source;                 ///< the public source of the rule
  std::string why;                    ///< in words, for the reply
  std::vector<std::string> installs;  ///< affected install ids, sorted
  std::vector<std::string> devices;   ///< their devices, sorted, unique
  std::vector<std::string> licences;  ///< licences concerned, sorted, unique
  std::vector<std::string> users;     ///< CAL lines: users concerned, sorted, unique
};

/// The check of one claim line.
struct ClaimLineCheck {
  std::size_t line = 0;  ///< index into Claim::lines
  ClaimVerdict verdict = ClaimVerdict::cannot_match;
  Metric unit = Metric::device;  ///< the unit of the claim's counts
  /// The position's row compared (index into Position::products), when it has one. A CAL line
  /// (a family licensed by access, in user or device CALs) is compared with all the family's
  /// rows in its unit, whatever their version (a later CAL covers an earlier server, CAL2): the
  /// counts below add them up, and `row` is the first of them.
  std::optional<std::size_t> row;
  Metric computed_metric = Metric::device;  ///< the row's metric (`unit` when they agree)
  Units installs = 0;                       ///< computed: inventory rows recognised as the product
  Units demand = 0;                         ///< computed demand units, in computed_metric
  Units credited = 0;                       ///< computed covered units
  Units shortfall = 0;                      ///< computed shortfall units
  Units claimed_required = 0;               ///< as written, or credited + shortfall
  Units claimed_credited = 0;               ///< as written, or required - shortfall, or the position's
  /// Claimed shortfall minus the position's, in `unit` (the position's shortfall counts as 0
  /// when its row is in another metric: it owes nothing in the claim's unit).
  Units difference = 0;
  std::vector<ClaimCauseShare> causes;  ///< their units add up to `difference`
  std::string note;                     ///< cannot match: why; another metric: what is owed in it
};

struct ClaimCheck {
  std::vector<ClaimLineCheck> lines;  ///< parallel to Claim::lines
  std::uint32_t agreed = 0;
  std::uint32_t rejected = 0;
  std::uint32_t partly_rejected = 0;
  std::uint32_t under_claimed = 0;
  std::uint32_t cannot_match = 0;
};

/// Checks each line of `claim` against `position` (computed from `fleet` under `pack`).
/// Deterministic: candidates are taken in install id order, so shuffled inputs give the same check.
/// Throws InvariantError if a line's causes do not add up to its difference.
[[nodiscard]] ClaimCheck check_claim(const Claim& claim, const Position& position, const RulePack& pack,
                                     const Fleet& fleet);

/// The invariant: every line's causes add up to its difference, none has zero units, and a
/// line that cannot match has no row. To be used in a TRUEUP_CHECK.
[[nodiscard]] bool check_claim_causes(const ClaimCheck& check);

}  // namespace trueup
