// SPDX-License-Identifier: BSL-1.0
// File: src/claim/check_claim.cpp
//
// The check of a claim against the position (trueup/claim/claim.hpp). Per line, with S the
// claimed shortfall, R and C the claimed required and credited units, d, c and s the position's
// demand, covered and shortfall units of the product's row (d = c + s):
//
//     S - s  =  (S - (R - C))  +  (R - d)  +  (c - C)
//              claim arithmetic  demand side  credit side
//
// The demand side is what the claim counts and the position does not: the product's duplicate
// and excluded installs, other publishers' lookalikes and components (at the claim's units per
// install); the credit side what the position credits and the claim does not: the covered
// installs, by the rule their evidence names. What neither explains is a `not_explained` cause.
// When the row is in another metric than the claim's unit, the position owes nothing in the
// claim's unit: the difference is the claimed shortfall, and what duplicates and exclusions do
// not explain is the licensing model of the licence held (G4, D6, licensing-rules §7.4).
// A line on CALs in user or device CALs is checked by src/claim/cal_line.cpp.
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "causes.hpp"
#include "trueup/check.hpp"
#include "trueup/claim/claim.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"

namespace trueup {
namespace {

using claim::add_remainder;
using claim::share;
using claim::sort_unique;
using claim::void_share;

/// Installs (or licences) that could explain part of a difference, grouped by cause.
struct Candidate {
  InstallIndex install;
  Units units = 0;
};
using Candidates = std::map<ClaimCause, std::vector<Candidate>>;

std::string lower_ascii(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

/// The installs of the fleet in id order: the check's order, whatever the file's.
std::vector<InstallIndex> by_id(const Fleet& fleet) {
  std::vector<InstallIndex> order(fleet.installs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = InstallIndex{static_cast<InstallIndex::value_type>(i)};
  std::sort(order.begin(), order.end(),
            [&fleet](InstallIndex a, InstallIndex b) { return fleet.install(a).id < fleet.install(b).id; });
  return order;
}

ClaimCause exclusion_cause(Exclusion e) {
  switch (e) {
    case Exclusion::not_owned: return ClaimCause::not_owned;
    case Exclusion::retired:
    case Exclusion::failed: return ClaimCause::retired_device;
    case Exclusion::after_as_of: return ClaimCause::after_as_of;
    case Exclusion::free_edition: return ClaimCause::free_edition;
    case Exclusion::needs_review: return ClaimCause::needs_review;
    case Exclusion::component: return ClaimCause::component;
    case Exclusion::other_publisher: return ClaimCause::other_publisher;
    case Exclusion::unrecognised:
    case Exclusion::none: break;
  }
  return ClaimCause::not_explained;
}

/// Whether an unrecognised row (another publisher's, a component) looks like `p` to a count by
/// title: its title names the family ("LibreOffice" names Office) and, for a component, the
/// version ("Update for Microsoft Office 2016").
bool looks_like(const Install& in, Exclusion e, ProductRef p, const RulePack& pack) {
  const std::string title = lower_ascii(in.title);
  const Family& f = pack.family(p.family);
  if (title.find(lower_ascii(f.name)) == std::string::npos) return false;
  return e != Exclusion::component || title.find(lower_ascii(f.versions.at(p.version).name)) != std::string::npos;
}

/// The demand side's candidates for product `p`: its duplicate and excluded installs, and
/// lookalikes on devices that have no install of it, each at `rate` units.
Candidates demand_candidates(ProductRef p, Units rate, const Position& position, const RulePack& pack,
                             const Fleet& fleet, const std::vector<InstallIndex>& order) {
  std::set<std::uint32_t> with_product;
  for (InstallIndex i : order)
    if (position.installs[i.value].product == p) with_product.insert(fleet.install(i).device.value);
  Candidates out;
  for (InstallIndex i : order) {
    const InstallVerdict& v = position.installs[i.value];
    if (v.verdict == Verdict::duplicate && v.product == p) {
      const bool same_device =
          v.duplicate_of.valid() && fleet.install(v.duplicate_of).device == fleet.install(i).device;
      out[same_device ? ClaimCause::duplicate : ClaimCause::covered_elsewhere].push_back({i, rate});
    } else if (v.verdict == Verdict::excluded && v.product == p) {
      out[exclusion_cause(v.exclusion)].push_back({i, rate});
    } else if (v.verdict == Verdict::excluded && !v.product &&
               (v.exclusion == Exclusion::other_publisher || v.exclusion == Exclusion::component) &&
               !with_product.contains(fleet.install(i).device.value) &&
               looks_like(fleet.install(i), v.exclusion, p, pack)) {
      out[exclusion_cause(v.exclusion)].push_back({i, rate});
    }
  }
  out.erase(ClaimCause::not_explained);
  return out;
}

/// The credit side's candidates: the covered units of the row's installs, by the most specific
/// rule of their evidence (a moved licence before a downgrade before the licence itself).
Candidates credit_candidates(ProductRef p, Metric metric, const Position& position,
                             const std::vector<InstallIndex>& order) {
  static constexpr std::array<RuleStep::Kind, 8> specific{
      RuleStep::Kind::reassignment,       RuleStep::Kind::downgrade,
      RuleStep::Kind::down_edition,       RuleStep::Kind::upgrade,
      RuleStep::Kind::software_assurance, RuleStep::Kind::oem_binding,
      RuleStep::Kind::user_licence,       RuleStep::Kind::model};
  Candidates out;
  for (InstallIndex i : order) {
    const InstallVerdict& v = position.installs[i.value];
    if (v.product != p || v.metric != metric || v.covered <= 0) continue;
    RuleStep::Kind kind = RuleStep::Kind::licence;
    for (RuleStep::Kind k : specific) {
      const bool has =
          std::any_of(v.evidence.begin(), v.evidence.end(), [k](const RuleStep& s) { return s.kind == k; });
      if (has) {
        kind = k;
        break;
      }
    }
    out[claim::credit_cause_of(kind)].push_back({i, v.covered});
  }
  return out;
}

/// Takes up to `amount` units from the candidates, cause by cause in `order`, each cause with
/// the installs, devices and licences it used; returns the units left.
Units allocate(Units amount, const Candidates& candidates, std::span<const ClaimCause> order, const Fleet& fleet,
               const Position& position, std::vector<ClaimCauseShare>& out) {
  for (ClaimCause cause : order) {
    const auto found = candidates.find(cause);
    if (amount <= 0 || found == candidates.end()) continue;
    ClaimCauseShare s = share(cause, 0);
    for (const Candidate& c : found->second) {
      if (amount <= 0) break;
      const Units take = std::min(amount, c.units);
      s.units += take;
      amount -= take;
      const Install& in = fleet.install(c.install);
      s.installs.push_back(in.id);
      s.devices.push_back(fleet.device(in.device).id);
      for (const Allocation& a : position.installs[c.install.value].licences)
        s.licences.push_back(fleet.entitlement(a.entitlement).id);
    }
    if (s.units == 0) continue;
    sort_unique(s.installs);
    sort_unique(s.devices);
    sort_unique(s.licences);
    out.push_back(std::move(s));
  }
  return amount;
}

constexpr std::array demand_order{ClaimCause::duplicate,      ClaimCause::covered_elsewhere, ClaimCause::not_owned,
                                  ClaimCause::retired_device, ClaimCause::after_as_of,       ClaimCause::free_edition,
                                  ClaimCause::needs_review,   ClaimCause::other_publisher,   ClaimCause::component};
constexpr std::array credit_order{
    ClaimCause::reassignment, ClaimCause::downgrade,          ClaimCause::down_edition,
    ClaimCause::upgrade,      ClaimCause::software_assurance, ClaimCause::oem_binding,
    ClaimCause::user_licence, ClaimCause::licensing_model,    ClaimCause::licence_on_record};

/// The row of the position a line is compared with: the product's row in the claim's unit, or
/// in the metric of its licences, or its first.
std::optional<std::size_t> row_of(ProductRef p, std::optional<Metric> unit, const Position& position,
                                  const RulePack& pack) {
  std::optional<std::size_t> first;
  std::optional<std::size_t> own;
  for (std::size_t r = 0; r < position.products.size(); ++r) {
    const ProductPosition& row = position.products[r];
    if (row.product != p) continue;
    if (!first) first = r;
    if (row.metric == unit.value_or(pack.metric_of(p))) own = r;
  }
  return own ? own : first;
}

/// Checks one matched line (see the file comment for the arithmetic).
ClaimLineCheck check_line(const ClaimLine& l, const Position& position, const RulePack& pack, const Fleet& fleet,
                          const std::vector<InstallIndex>& order) {
  ClaimLineCheck out;
  const ProductRef p = *l.matched;
  out.unit = l.unit.value_or(pack.metric_of(p));
  out.row = row_of(p, l.unit, position, pack);
  out.computed_metric = out.unit;
  if (out.row) {
    const ProductPosition& row = position.products[*out.row];
    out.computed_metric = row.metric;
    out.installs = row.installs;
    out.credited = row.covered_units;
    out.shortfall = row.shortfall_units;
    out.demand = out.credited + out.shortfall;
  }
  const bool same_metric = out.computed_metric == out.unit;
  const Units owed = same_metric ? out.shortfall : 0;
  out.difference = l.shortfall - owed;
  // The claim's units per install: its required units over its installs, when it states both.
  Units rate = 1;
  if (l.installed && l.required && *l.installed > 0) rate = std::max<Units>(1, *l.required / *l.installed);
  const Candidates demand = demand_candidates(p, rate, position, pack, fleet, order);
  if (!same_metric) {
    out.claimed_required = l.required.value_or(l.shortfall + l.credited.value_or(0));
    out.claimed_credited = l.credited.value_or(out.claimed_required - l.shortfall);
    const Units left = allocate(out.difference, demand, demand_order, fleet, position, out.causes);
    add_remainder(ClaimCause::licensing_model, left, "", out.causes);
    if (out.shortfall > 0)
      out.note = "the position owes " + std::to_string(out.shortfall) + " " + std::string(name(out.computed_metric)) +
                 " licence unit(s) of it, counted in the model of the licence held";
  } else {
    out.claimed_credited = l.credited ? *l.credited : l.required ? *l.required - l.shortfall : out.credited;
    out.claimed_required = l.required.value_or(out.claimed_credited + l.shortfall);
    add_remainder(ClaimCause::claim_arithmetic, l.shortfall - (out.claimed_required - out.claimed_credited), "",
                  out.causes);
    const Units extra_demand = out.claimed_required - out.demand;
    if (extra_demand < 0) add_remainder(ClaimCause::demand_not_claimed, extra_demand, "", out.causes);
    if (extra_demand > 0)
      add_remainder(
          ClaimCause::not_explained, allocate(extra_demand, demand, demand_order, fleet, position, out.causes),
          "the claim counts more demand than the position finds, and the inventory does not say why", out.causes);
    const Units missing_credit = out.credited - out.claimed_credited;
    if (missing_credit > 0)
      add_remainder(ClaimCause::not_explained,
                    allocate(missing_credit, credit_candidates(p, out.computed_metric, position, order), credit_order,
                             fleet, position, out.causes),
                    "the position credits licences the claim does not, and their evidence does not say why",
                    out.causes);
    if (missing_credit < 0) {
      ClaimCauseShare v =
          void_share([&](const Entitlement& en) { return en.product == p; }, -missing_credit, position, fleet);
      const Units left = missing_credit - v.units;
      if (v.units != 0) out.causes.push_back(std::move(v));
      add_remainder(ClaimCause::not_explained, left, "the claim credits more licences than the records hold",
                    out.causes);
    }
  }
  claim::set_verdict(out, owed);
  return out;
}

}  // namespace

ClaimCheck check_claim(const Claim& claim, const Position& position, const RulePack& pack, const Fleet& fleet) {
  ClaimCheck out;
  const std::vector<InstallIndex> order = by_id(fleet);
  for (std::size_t i = 0; i < claim.lines.size(); ++i) {
    const ClaimLine& l = claim.lines[i];
    ClaimLineCheck c;
    if (const std::optional<Metric> cal = l.matched ? claim::cal_unit(l, pack) : std::nullopt) {
      c = claim::check_cal_line(l, *cal, position, pack, fleet);
    } else if (l.matched) {
      c = check_line(l, position, pack, fleet, order);
    } else {
      c.verdict = ClaimVerdict::cannot_match;
      c.unit = l.unit.value_or(Metric::device);
      c.computed_metric = c.unit;
      c.claimed_required = l.required.value_or(l.shortfall + l.credited.value_or(0));
      c.claimed_credited = l.credited.value_or(c.claimed_required - l.shortfall);
      c.difference = l.shortfall;
      c.note = "the rule pack knows no product named like this: to review";
      add_remainder(ClaimCause::not_explained, c.difference, "the line names no product of the rule pack", c.causes);
    }
    c.line = i;
    switch (c.verdict) {
      case ClaimVerdict::agreed: ++out.agreed; break;
      case ClaimVerdict::rejected: ++out.rejected; break;
      case ClaimVerdict::partly_rejected: ++out.partly_rejected; break;
      case ClaimVerdict::under_claimed: ++out.under_claimed; break;
      case ClaimVerdict::cannot_match: ++out.cannot_match; break;
    }
    out.lines.push_back(std::move(c));
  }
  TRUEUP_CHECK(check_claim_causes(out), "a claim line's causes do not add up to its difference");
  return out;
}

bool check_claim_causes(const ClaimCheck& check) {
  return std::all_of(check.lines.begin(), check.lines.end(), [](const ClaimLineCheck& l) {
    Units sum = 0;
    for (const ClaimCauseShare& c : l.causes) {
      if (c.units == 0) return false;
      sum += c.units;
    }
    return sum == l.difference && (l.verdict != ClaimVerdict::cannot_match || !l.row);
  });
}

}  // namespace trueup
