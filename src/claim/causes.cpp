// SPDX-License-Identifier: BSL-1.0
// File: src/claim/causes.cpp
//
// The rule table of the claim check. Each cause cites the licensing-rules.md ids that decide it
// and the public source those rows quote; the audit-claim sanity table (licensing-rules §14)
// pairs the classic wrong claims with these rules.
#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "causes.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"

namespace trueup::claim {

namespace {

constexpr std::array<CauseRule, 25> rules{{
    // duplicate
    {"X4, X5",
     "Flexera \"Right of Multiple Use\" (one entitlement allows unlimited installations on the same device); "
     "ServiceNow \"Duplicate software installations\"",
     "re-installs and second records on a device already counted: one licence covers every copy on the device"},
    // covered_elsewhere
    {"WS8, W12-2, DT3",
     "ServiceNow \"Microsoft Per Core (with CAL) licensing rules\" (licences are assigned to the physical server); "
     "Windows Server 2012 R2 Licensing Datasheet (two OSEs per Standard licence); Microsoft Learn \"About "
     "Microsoft 365 Apps\" (a user licence covers five PCs or Macs)",
     "copies another licence already covers: VMs on a host licensed for its OSEs, devices of a user with a user "
     "licence"},
    // not_owned
    {"X1", "ServiceNow \"Exclude software assets on CIs\" (leased devices); licensing-rules §2, leased hardware",
     "installs on devices the company does not own (leased, rented, customer-owned): their licensing follows the "
     "lease or the owner"},
    // retired_device
    {"O8", "Flexera \"OEM (license type)\": a computer removed from the enterprise no longer consumes",
     "installs on devices retired, scrapped or out of service before the as-of date"},
    // after_as_of
    {"", "the position's as-of date", "installs first seen after the as-of date: not installed on that date"},
    // free_edition
    {"", "the rule pack's edition entry (free editions need no licence)", "free editions, which need no licence"},
    // needs_review
    {"X7", "Lansweeper KB \"Software installations vs software license keys\"",
     "rows the inventory does not identify as this product (to review, not to count)"},
    // other_publisher
    {"X7", "Lansweeper KB \"Software installations vs software license keys\" (recognition decides what is installed)",
     "another publisher's product on a device without this one: it is not this product"},
    // component
    {"X4", "the rule pack's component patterns: updates and language packs are licensed with their product",
     "updates and language packs, licensed with the product they belong to"},
    // no_access
    {"CAL1, CAL6",
     "HPE OEM Microsoft Windows Server FAQ, part 7 (a CAL for every user or device accessing the server); "
     "ServiceNow \"User device license consumption fields\" (access evidence from User Access Logging)",
     "users or devices counted that reach no server needing a CAL: the access records (access.csv) show who "
     "reaches the servers, and only they need CALs"},
    // other_cal
    {"CAL1",
     "HPE OEM Microsoft Windows Server FAQ, part 7 (a User CAL covers one user from any device; a Device "
     "CAL any number of users of one device)",
     "users who reach the servers only from devices that hold a device CAL, or devices used only by users who hold "
     "a user CAL: the CAL of the other kind covers them"},
    // licensing_model
    {"G4, D6, W12-1, §7.4",
     "HPE OEM Microsoft Windows Server FAQ (\"the purchased product rights still apply\"); Windows Server 2012 R2 "
     "Licensing Datasheet",
     "the licence held sets the licensing model: these installs are counted in the model of the licence held, not "
     "in the claim's unit"},
    // downgrade
    {"D1, D2, D3, §5.2",
     "Microsoft brief \"Downgrade rights for Microsoft Commercial Licensing, OEM, and full-package product "
     "licenses\"",
     "covered by licences of a later version under downgrade rights"},
    // down_edition
    {"§5.3", "Microsoft Product Terms, Windows Server down-edition rights (licensing-rules §5.3)",
     "covered by licences of a higher edition under down-edition rights"},
    // reassignment
    {"R1, R2, R5, V1",
     "Microsoft brief \"Operating System License Requirements: Transfer and Reassignment\" (2007); Office 2013 "
     "retail licence terms (March 2013)",
     "covered by retail or volume licences moved from devices retired or reassigned: a moved retail licence is "
     "licensed, not missing"},
    // oem_binding
    {"O1, O2", "Microsoft \"PC Legal Checklist\"; Microsoft brief on initial operating system licences (2007)",
     "covered by the OEM licence that came with the device"},
    // upgrade
    {"O4", "Microsoft brief \"Operating System License Requirements\" (2007): volume licensing sells upgrades",
     "covered by an upgrade licence over the device's qualifying licence"},
    // software_assurance
    {"SA1, SA5", "Microsoft Volume Licensing blog \"New Version Rights with Software Assurance Explained\" (2013)",
     "covered under Software Assurance rights (new versions, model conversion)"},
    // user_licence
    {"G1", "Microsoft Product Terms, Universal License Terms \"License Assignment and Reassignment\"",
     "covered by a licence assigned to the device's user"},
    // licence_on_record
    {"G1", "the licence records (entitlements.csv)", "covered by licences of the product on record"},
    // cal_version
    {"CAL2",
     "Microsoft CAL FAQ (computerlinksltd.com: \"the CAL must be of the same version or later; for Windows Server "
     "2012 R2, you can use a Windows Server 2012 CAL\"); license-library.de after the Microsoft Product Terms "
     "(June 2017)",
     "CALs of an earlier version than the claim's cover these holders: a CAL must be of the version of the servers "
     "they reach or later, not of the latest version (a 2016 CAL covers 2016 and earlier; a 2012 CAL covers 2012 "
     "R2)"},
    // void_licence
    {"O1, O8", "Microsoft \"PC Legal Checklist\": OEM licences live and die with each PC",
     "licences the claim credits that count for nothing (OEM licences of retired PCs and the like)"},
    // claim_arithmetic
    {"", "the claim line itself", "the claim's shortfall is not its required minus its credited units"},
    // demand_not_claimed
    {"", "the position", "the claim counts less demand than the position finds"},
    // not_explained
    {"", "", "not explained by the position: the inventory and licence records do not account for it"},
}};

}  // namespace

const CauseRule& rule_of(ClaimCause cause) { return rules.at(static_cast<std::size_t>(cause)); }

ClaimCauseShare share(ClaimCause cause, Units units) {
  const CauseRule& r = rule_of(cause);
  return {cause, units, std::string(r.rule), std::string(r.source), std::string(r.why), {}, {}, {}, {}};
}

void add_remainder(ClaimCause cause, Units units, const std::string& why, std::vector<ClaimCauseShare>& out) {
  if (units == 0) return;
  ClaimCauseShare s = share(cause, units);
  if (!why.empty()) s.why = why;
  out.push_back(std::move(s));
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

ClaimCauseShare void_share(const std::function<bool(const Entitlement&)>& of_line, Units amount,
                           const Position& position, const Fleet& fleet) {
  std::vector<std::size_t> void_ones;
  for (std::size_t e = 0; e < fleet.entitlements.size(); ++e)
    if (!position.entitlements[e].counted && of_line(fleet.entitlements[e])) void_ones.push_back(e);
  std::sort(void_ones.begin(), void_ones.end(),
            [&fleet](std::size_t a, std::size_t b) { return fleet.entitlements[a].id < fleet.entitlements[b].id; });
  ClaimCauseShare s = share(ClaimCause::void_licence, 0);
  for (const std::size_t e : void_ones) {
    if (amount <= 0) break;
    const Units take = std::min(amount, fleet.entitlements[e].quantity);
    s.units -= take;
    amount -= take;
    s.licences.push_back(fleet.entitlements[e].id);
  }
  sort_unique(s.licences);
  return s;
}

void set_verdict(ClaimLineCheck& c, Units owed) {
  if (c.difference == 0)
    c.verdict = ClaimVerdict::agreed;
  else if (c.difference < 0)
    c.verdict = ClaimVerdict::under_claimed;
  else
    c.verdict = owed == 0 && c.shortfall == 0 ? ClaimVerdict::rejected : ClaimVerdict::partly_rejected;
}

ClaimCause credit_cause_of(RuleStep::Kind step) {
  using K = RuleStep::Kind;
  switch (step) {
    case K::downgrade: return ClaimCause::downgrade;
    case K::down_edition: return ClaimCause::down_edition;
    case K::reassignment: return ClaimCause::reassignment;
    case K::upgrade: return ClaimCause::upgrade;
    case K::software_assurance: return ClaimCause::software_assurance;
    case K::oem_binding: return ClaimCause::oem_binding;
    case K::user_licence: return ClaimCause::user_licence;
    case K::model: return ClaimCause::licensing_model;
    case K::licence: break;
  }
  return ClaimCause::licence_on_record;
}

}  // namespace trueup::claim
