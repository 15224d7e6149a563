// SPDX-License-Identifier: BSL-1.0
// File: src/report/explain_install.cpp
//
// One install explained (trueup/report/explain.hpp): recognition, the verdict, the licences
// and the evidence the position recorded, and, for a short install, why each licence record of
// its family could not cover it. The refusals are the ones the pipeline applies, asked again of
// the same functions: a void record's reason (build_supply), a pool bound to another device
// (OEM binding O1, the 90-day lock R2), eligibility() (family, model, edition, version), and,
// for a record eligibility admits, the installs its units went to.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "report/explain_parts.hpp"
#include "trueup/demand/eligibility.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/rules/reassignment.hpp"

namespace trueup::report::explaining {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// The longest of `words` that the title contains (case aside): the one recognition's "longest
/// whole-word match" rule (normalise/recognise.hpp, rules 3-5) most likely took.
std::string longest_in(const std::string& title, const std::vector<std::string>& words) {
  std::string best;
  for (const auto& w : words)
    if (w.size() > best.size() && title.find(lower(w)) != std::string::npos) best = w;
  return best;
}

/// What recognition made of the row, with the pack entry that decided it.
ExplainLine recognition_line(const Install& in, const InstallVerdict& v, const RulePack& pack) {
  const std::string seen = "\"" + in.title + "\"" + (in.publisher.empty() ? "" : " by " + in.publisher) +
                           (in.version.empty() ? "" : ", version " + in.version);
  if (!v.product) return {0, "recognition", seen + ": not recognised as a product the rule pack licenses"};
  const ProductRef p = *v.product;
  const Family& f = pack.family(p.family);
  const std::string title = lower(in.title);
  const std::string pattern = longest_in(title, f.match);
  const std::string token = longest_in(title, f.versions[p.version].tokens);
  std::vector<std::string> edition_names{f.editions[p.edition].name};
  edition_names.insert(edition_names.end(), f.editions[p.edition].aliases.begin(), f.editions[p.edition].aliases.end());
  const std::string edition = longest_in(title, edition_names);
  return {
      0, "recognition",
      seen + ": recognised as " + pack.product_name(p) + " by the rule pack's family \"" + f.id + "\"" +
          (pattern.empty() ? "" : " (title pattern \"" + pattern + "\")") + ", version " + f.versions[p.version].name +
          (token.empty()
               ? (f.versions[p.version].build.empty() ? "" : " (version string " + f.versions[p.version].build + ")")
               : " (title \"" + token + "\")") +
          ", edition " + f.editions[p.edition].name + (edition.empty() ? "" : " (title \"" + edition + "\")")};
}

/// Why licence `e` (of the install's family) could not cover the short install `i`.
std::string why_not(EntitlementIndex e, InstallIndex i, const Supply& supply, const std::vector<UnitUse>& uses,
                    const Position& position, const RulePack& pack, const Fleet& fleet) {
  const EntitlementUse& use = position.entitlements[e.value];
  const Entitlement& ent = fleet.entitlement(e);
  const InstallVerdict& v = position.installs[i.value];
  const DeviceIndex device = fleet.install(i).device;
  if (!use.counted) return "void on " + position.as_of.iso() + ": " + use.reason;
  if (ent.channel == Channel::oem && ent.device.valid() && ent.device != device)
    return "an OEM licence, bound to " + fleet.device(ent.device).id +
           ", the device it came with (licensing-rules O1: it covers no other device)";
  std::string refusal;
  bool eligible = false;
  for (const Pool& pool : supply.pools) {
    if (std::find(pool.members.begin(), pool.members.end(), e) == pool.members.end()) continue;
    if (pool.bound.valid() && pool.bound != device) {
      refusal = "its units are kept with " + fleet.device(pool.bound).id +
                (pool.binding ? ": " + pool.binding->text : std::string());
      continue;
    }
    const bool qualified = supply.qualifying_licence(device, v.product->family).has_value();
    const Coverage c = eligibility(pack, *v.product, v.metric, pool, position.as_of, qualified);
    if (c.allowed) {
      eligible = true;
      break;
    }
    refusal = c.refusal;
  }
  if (!eligible) return refusal.empty() ? "it may not cover " + pack.product_name(*v.product) : refusal;
  Units used = 0;
  for (const UnitUse& u : uses) used += u.units;
  if (used >= use.units)
    return "it may cover it, but all " + std::to_string(use.units) +
           " unit(s) are in use: " + uses_list(uses, position, pack, fleet);
  return "it may cover it and " + std::to_string(use.units - used) + " of its " + std::to_string(use.units) +
         " unit(s) are unused; the demand's stage (" + std::string(name(v.metric)) +
         " licensing) could not take them: see the short reason above";
}

void add_candidates(InstallIndex i, const Position& position, const RulePack& pack, const Fleet& fleet,
                    std::vector<ExplainLine>& lines) {
  const InstallVerdict& v = position.installs[i.value];
  const FamilyIndex family = v.product->family;
  const Supply supply = build_supply(pack, fleet, position.as_of, rules::holdings_on(pack, fleet, position.as_of));
  const auto uses = uses_by_licence(position, fleet.entitlements.size());
  const DeviceIndex device = fleet.install(i).device;
  std::size_t candidates = 0;
  std::vector<ExplainLine> found;
  // OEM licences of other devices (O1), a fleet's bulk, are one line: each is refused alike.
  std::vector<std::string> oem_elsewhere;
  for (std::uint32_t e = 0; e < fleet.entitlements.size(); ++e) {
    const Entitlement& ent = fleet.entitlements[e];
    if (ent.product.family != family && position.entitlements[e].product.family != family) continue;
    ++candidates;
    if (position.entitlements[e].counted && ent.channel == Channel::oem && ent.device.valid() && ent.device != device) {
      oem_elsewhere.push_back(ent.id + " on " + fleet.device(ent.device).id);
      continue;
    }
    found.push_back(
        {1, "candidate",
         licence_label(ent, pack) + ": " + why_not(EntitlementIndex{e}, i, supply, uses[e], position, pack, fleet)});
  }
  lines.push_back({0, "candidates",
                   candidates == 0 ? "no licence record of " + pack.family(family).name + " is on record"
                                   : std::to_string(candidates) + " licence record(s) of " + pack.family(family).name +
                                         " on record, none free to cover it:"});
  if (!oem_elsewhere.empty()) {
    std::string list;
    for (std::size_t k = 0; k < oem_elsewhere.size() && k < 5; ++k) list += (k == 0 ? "" : ", ") + oem_elsewhere[k];
    if (oem_elsewhere.size() > 5) list += " and " + std::to_string(oem_elsewhere.size() - 5) + " more";
    lines.push_back({1, "candidate",
                     std::to_string(oem_elsewhere.size()) +
                         " OEM licence(s) bound to the other devices they came with (licensing-rules O1: an OEM "
                         "licence covers no other device): " +
                         list});
  }
  lines.insert(lines.end(), found.begin(), found.end());
}

}  // namespace

Explanation explain_install(InstallIndex i, const Position& position, const RulePack& pack, const Fleet& fleet) {
  const Install& in = fleet.install(i);
  const InstallVerdict& v = position.installs[i.value];
  Explanation x;
  x.subject = ExplainSubject::install;
  x.id = in.id;
  x.heading = "Install " + in.id + " on " + fleet.device(in.device).id;
  x.lines.push_back(recognition_line(in, v, pack));
  x.lines.push_back({0, "device", "on " + device_label(fleet.device(in.device), position.as_of)});
  switch (v.verdict) {
    case Verdict::excluded:
      x.lines.push_back({0, "verdict", "excluded (" + std::string(name(v.exclusion)) + "): " + v.reason});
      return x;
    case Verdict::duplicate:
      x.lines.push_back({0, "verdict",
                         "duplicate of " + fleet.install(v.duplicate_of).id +
                             ": one licence covers every copy of a product on its device (licensing-rules X4, X5, "
                             "DT1); that install carries the demand"});
      x.lines.push_back({1, "duplicate-of", verdict_summary(v.duplicate_of, position, pack, fleet)});
      return x;
    case Verdict::covered:
    case Verdict::shortfall: break;
  }
  x.lines.push_back({0, "demand",
                     "needs " + std::to_string(v.demanded) + " " + std::string(name(v.metric)) +
                         " licence unit(s) of " + pack.product_name(*v.product)});
  for (const ServerPosition& s : position.servers)
    if (s.install == i)
      x.lines.push_back(
          {1, "licensing-model", s.model + ": " + s.why + (s.source.empty() ? "" : " (" + s.source + ")")});
  x.lines.push_back({0, "verdict",
                     v.verdict == Verdict::covered
                         ? "covered: " + std::to_string(v.covered) + " of " + std::to_string(v.demanded) + " unit(s)"
                         : "short: " + v.reason});
  for (const Allocation& a : v.licences)
    x.lines.push_back(
        {0, "licence",
         std::to_string(a.units) + " unit(s) of " + licence_label(fleet.entitlement(a.entitlement), pack)});
  if (!v.evidence.empty()) x.lines.push_back({0, "rules", "allowed by these rules, in order:"});
  for (const RuleStep& step : v.evidence) x.lines.push_back({1, std::string(name(step.kind)), step.text});
  if (v.verdict == Verdict::shortfall) add_candidates(i, position, pack, fleet, x.lines);
  return x;
}

std::string verdict_summary(InstallIndex i, const Position& position, const RulePack& pack, const Fleet& fleet) {
  const Install& in = fleet.install(i);
  const InstallVerdict& v = position.installs[i.value];
  std::string out = in.id + " \"" + in.title + "\": ";
  switch (v.verdict) {
    case Verdict::excluded: return out + "excluded (" + std::string(name(v.exclusion)) + "): " + v.reason;
    case Verdict::duplicate: return out + "duplicate of " + fleet.install(v.duplicate_of).id;
    case Verdict::shortfall: return out + "short (" + pack.product_name(*v.product) + "): " + v.reason;
    case Verdict::covered: break;
  }
  out += "covered (" + pack.product_name(*v.product) + ") by ";
  for (std::size_t k = 0; k < v.licences.size(); ++k)
    out += (k == 0 ? "" : ", ") + fleet.entitlement(v.licences[k].entitlement).id;
  std::string rights;
  for (const RuleStep& step : v.evidence)
    if (step.kind != RuleStep::Kind::licence && rights.find(name(step.kind)) == std::string::npos)
      rights += (rights.empty() ? "" : ", ") + std::string(name(step.kind));
  return out + (rights.empty() ? "" : " (" + rights + ")");
}

}  // namespace trueup::report::explaining
