// SPDX-License-Identifier: BSL-1.0
// File: src/demand/eligibility.cpp
//
// Eligibility (demand/eligibility.hpp): family, licensing model, edition, then version, each
// refusal in words and each right granted as a step of the evidence chain.
#include "trueup/demand/eligibility.hpp"

#include <optional>
#include <string>

#include "trueup/rules/down_edition.hpp"
#include "trueup/rules/downgrade.hpp"

namespace trueup {

bool carries_core_factor(const RulePack& pack, const Pool& pool) {
  const auto has_factor = [&](ProductRef p) {
    const LicensingTerms* t = pack.terms(p);
    return t != nullptr && !t->core_factors.empty();
  };
  // Software Assurance adds a later version's rights and takes none of its own away.
  return has_factor(pool.product) ||
         has_factor(ProductRef{pool.product.family, pool.licensed_version, pool.product.edition});
}

Coverage eligibility(const RulePack& pack, ProductRef demand, Metric demand_metric, const Pool& pool, Date as_of,
                     bool qualified, bool individual_vm, bool factored) {
  Coverage c;
  const ProductRef lic = pool.product;
  if (lic.family != demand.family) {
    c.refusal = "licence is for another product family";
    return c;
  }
  const Family& f = pack.family(lic.family);
  // A licence of another model (a 2016 core licence for a 2012 R2 processor-model server) is
  // counted by its own version's rules (G4, D6): the units it must supply then depend on the
  // licence, not the install, which this per-unit transportation model cannot express. Such
  // coverage is refused here and reported as such, never guessed.
  if (pool.metric != demand_metric) {
    c.refusal = "covering a " + std::string(name(demand_metric)) + "-model install with a " +
                std::string(name(pool.metric)) + "-model licence (" + pack.product_name(lic) + ") is not modelled";
    return c;
  }
  // SQL7 under G4, D6: a factored count is the 2012/2014 terms' only (core/core_factor.cpp).
  if (factored && !carries_core_factor(pack, pool)) {
    c.refusal = pack.product_name(lic) +
                " licences count every physical core: their terms have no core factor, which is the SQL Server "
                "2012 and 2014 terms' only (licensing-rules SQL7; G4, D6)";
    return c;
  }
  // SQL3: from the SQL Server 2022 terms on, licensing a VM by its virtual cores is an SA or
  // subscription benefit; the licence's terms decide (G4).
  if (const LicensingTerms* t = pack.terms(lic);
      individual_vm && t != nullptr && t->vm_needs_software_assurance && !pool.software_assurance) {
    c.refusal = pack.product_name(lic) +
                " licences without active Software Assurance or subscription may not license "
                "an individual virtual machine (licensing-rules SQL3: " +
                t->source + ")";
    return c;
  }
  const UpgradeRule* upgrade = f.upgrade_rule(pool.channel);
  if (upgrade != nullptr && !qualified) {
    c.refusal = std::string(name(pool.channel)) + " " + f.name +
                " licences are upgrades, and the device has no qualifying licence of its own (" + upgrade->source + ")";
    return c;
  }
  if (lic.version < demand.version) {
    c.refusal = "licence is for an earlier version (" + f.versions[lic.version].name + ")";
    return c;
  }
  const std::optional<std::string> edition_source =
      lic.edition == demand.edition
          ? std::optional<std::string>(std::string())
          : rules::down_edition_source(f, lic.edition, lic.version, demand.edition, demand.version);
  if (!edition_source) {
    c.refusal = f.editions[lic.edition].name + " does not cover " + f.editions[demand.edition].name +
                (f.down_editions.empty() ? std::string() : " " + f.versions[demand.version].name);
    return c;
  }
  // Software Assurance adds the later version to what the licence may run; it takes nothing
  // away: the version on record, and its own downgrade rights, still hold (a retail licence with
  // SA has no downgrade right from the later version, but still runs its own).
  std::uint16_t from = lic.version;
  const DowngradeRight* right = nullptr;
  const DowngradeRight* ended = nullptr;  // a right that would allow it, had it not ended
  if (lic.version > demand.version) {
    if (pool.by_software_assurance() && pool.licensed_version >= demand.version) {
      from = pool.licensed_version;  // its own version (exact), or down from it
      if (from > demand.version)
        right = rules::downgrade_right(f, pool.channel, lic.edition, from, demand.version, as_of, &ended);
    }
    if (right == nullptr && from != demand.version) {
      from = lic.version;
      right = rules::downgrade_right(f, pool.channel, lic.edition, lic.version, demand.version, as_of, &ended);
    }
    if (right == nullptr && from != demand.version) {
      const VersionSpec& target = f.versions[demand.version];
      c.refusal = ended != nullptr
                      ? std::string(name(pool.channel)) + " " + pack.product_name(lic) + "'s downgrade right to " +
                            target.name + " ended when its support ended on " + target.support_end->iso() + " (" +
                            ended->source + "; " + target.support_source + ")"
                      : std::string(name(pool.channel)) + " " + pack.product_name(lic) + " has no downgrade right to " +
                            target.name;
      return c;
    }
  }
  c.allowed = true;
  c.flexibility = flexibility(pool.channel);
  const ProductRef on_record{lic.family, pool.licensed_version, lic.edition};
  c.chain.push_back({RuleStep::Kind::licence, std::string(pool.channel == Channel::oem ? "OEM" : name(pool.channel)) +
                                                  " licence " + pack.product_name(on_record)});
  if (const LicensingTerms* t = pack.terms(lic); individual_vm && t != nullptr && t->vm_needs_software_assurance)
    c.chain.push_back({RuleStep::Kind::software_assurance,
                       "an individual virtual machine licensed by its virtual cores: the licence's Software "
                       "Assurance or subscription is active on " +
                           as_of.iso() + " (licensing-rules SQL3)"});
  if (upgrade != nullptr)
    c.chain.push_back(
        {RuleStep::Kind::upgrade,
         "an upgrade licence on a device with a qualifying licence of its own (" + upgrade->source + ")"});
  if (pool.by_software_assurance() && from == lic.version) {
    const VersionSpec& got = f.versions[lic.version];
    c.chain.push_back({RuleStep::Kind::software_assurance,
                       "new-version rights " + f.versions[pool.licensed_version].name + " → " + got.name +
                           ": Software Assurance was active when " + got.name + " was made available (" +
                           got.made_available().iso() +
                           (got.available ? ", under volume licensing; " + got.available_source : std::string()) +
                           ") (licensing-rules SA1)"});
  }
  if (right != nullptr) {
    c.version_steps = static_cast<std::uint32_t>(from - demand.version);
    c.chain.push_back(
        {RuleStep::Kind::downgrade,
         "downgrade " + f.name + " " + f.versions[from].name + " → " + f.versions[demand.version].name + " (" +
             (right->any_earlier ? std::string("any earlier version") : std::string("listed versions")) +
             (right->while_supported ? ", while " + f.versions[demand.version].name + " is supported" : std::string()) +
             (right->source.empty() ? "" : "; " + right->source) + ")"});
  }
  if (lic.edition != demand.edition) {
    c.edition_steps = 1;
    c.chain.push_back({RuleStep::Kind::down_edition,
                       "down-edition " + f.editions[lic.edition].name + " → " + f.editions[demand.edition].name +
                           (edition_source->empty() ? "" : " (" + *edition_source + ")")});
  }
  return c;
}

}  // namespace trueup
