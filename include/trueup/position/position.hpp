// SPDX-License-Identifier: BSL-1.0
// File: trueup/position/position.hpp
//
// The effective licence position: a verdict with evidence for every install, the position per
// product (installs, demand, licences, consumed, surplus, shortfall, true-up cost), the use of
// every entitlement, and the totals. Invariant (checked by `check_accounting`, run by
// reconcile on every position): every install has exactly one verdict, and the verdict counts
// add up to the installs read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trueup/demand/eligibility.hpp"
#include "trueup/io/diagnostic.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/money.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/verdict.hpp"
#include "trueup/solver/solver.hpp"

namespace trueup {

/// Units of one entitlement used for one demand.
struct Allocation {
  EntitlementIndex entitlement;
  Units units = 0;
  friend bool operator==(const Allocation&, const Allocation&) = default;
};

struct InstallVerdict {
  Verdict verdict = Verdict::excluded;
  std::optional<ProductRef> product;   ///< when recognised
  Exclusion exclusion = Exclusion::none;
  std::string reason;                  ///< excluded: why
  InstallIndex duplicate_of;           ///< duplicate: the install that carries the demand
  Metric metric = Metric::device;
  Units demanded = 0;                  ///< demand units (0 unless covered / short)
  Units covered = 0;
  std::vector<Allocation> licences;    ///< what covers it
  std::vector<RuleStep> evidence;      ///< the rules that allow each licence, in order
};

struct ProductPosition {
  ProductRef product;
  Metric metric = Metric::device;
  std::uint32_t installs = 0;      ///< inventory rows recognised as this product
  std::uint32_t duplicates = 0;
  std::uint32_t excluded = 0;
  std::uint32_t demands = 0;       ///< devices that need a licence for it
  Units demand_units = 0;
  Units covered_units = 0;
  Units shortfall_units = 0;
  Units licences = 0;              ///< counted licence units of this product
  Units void_licences = 0;         ///< units that count for nothing (e.g. OEM of retired PCs)
  Units consumed = 0;              ///< units of this product's licences in use, for any install
  Units surplus = 0;               ///< licences - consumed
  MoneyTotal true_up_cost;         ///< shortfall priced at the cheapest known unit cost
  Units unpriced_shortfall = 0;    ///< shortfall units with no known price
};

struct EntitlementUse {
  bool counted = false;
  std::string reason;  ///< when void
  Units consumed = 0;
};

struct Totals {
  std::uint32_t installs = 0;
  std::uint32_t covered = 0;
  std::uint32_t shortfall = 0;
  std::uint32_t excluded = 0;
  std::uint32_t duplicate = 0;
  Units demand_units = 0;
  Units covered_units = 0;
  Units shortfall_units = 0;
  Units licences = 0;
  Units consumed = 0;
  Units surplus = 0;
  MoneyTotal true_up_cost;
  Units unpriced_shortfall = 0;
};

struct Position {
  std::string rule_pack;          ///< name and version of the pack used
  SolveStatus status = SolveStatus::optimal;
  std::vector<InstallVerdict> installs;     ///< parallel to Fleet::installs
  std::vector<ProductPosition> products;    ///< by family, version, edition (pack order)
  std::vector<EntitlementUse> entitlements; ///< parallel to Fleet::entitlements
  Totals totals;
  std::size_t demand_classes = 0;  ///< solver nodes after compression
  std::size_t pools = 0;
  std::size_t components = 0;
  Diagnostics warnings;  ///< facts the user should review (unknown hardware, mixed currencies)
};

/// Every install has one verdict and the counts add up. To be used in a TRUEUP_CHECK.
[[nodiscard]] inline bool check_accounting(const Position& p) {
  const Totals& t = p.totals;
  std::uint32_t c = 0, s = 0, e = 0, d = 0;
  for (const auto& v : p.installs) {
    c += v.verdict == Verdict::covered;
    s += v.verdict == Verdict::shortfall;
    e += v.verdict == Verdict::excluded;
    d += v.verdict == Verdict::duplicate;
  }
  return t.installs == p.installs.size() && c == t.covered && s == t.shortfall && e == t.excluded &&
         d == t.duplicate && t.covered + t.shortfall + t.excluded + t.duplicate == t.installs &&
         t.demand_units == t.covered_units + t.shortfall_units;
}

}  // namespace trueup
