// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/catalog.hpp
//
// The rule pack: the publishers' use rights as data. A pack lists publishers, product
// families, each family's versions in release order (with release dates and licence metric),
// its editions (with the editions each may cover: down-edition rights), its downgrade rights
// per channel, and the title patterns that recognise raw inventory rows. Nothing in the
// engine names a product: every product-specific fact lives here. `io::load_rule_pack` reads
// and validates one from TOML (see docs/rule-packs.md).
//
// Invariants (established by the loader, relied on everywhere):
// - `Family::versions` is in release order; version index order *is* "earlier than".
// - every index stored in an `EditionSpec`, `DowngradeRight` or `ProductRef` is in range.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/enum_table.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/model/rights.hpp"
#include "trueup/model/terms.hpp"

namespace trueup {

/// A recognised product: family, version and edition as indices into the rule pack.
struct ProductRef {
  FamilyIndex family;
  std::uint16_t version = 0;
  std::uint16_t edition = 0;
  friend constexpr auto operator<=>(const ProductRef&, const ProductRef&) = default;
};

struct Publisher {
  std::string name;                  ///< "Microsoft"
  std::vector<std::string> aliases;  ///< inventory spellings: "Microsoft Corporation"
};

struct EditionSpec {
  std::string name;                  ///< "Professional Plus"
  std::vector<std::string> aliases;  ///< other title spellings: "ProPlus"
  bool free = false;                 ///< free editions need no licence (e.g. Office Starter)
  /// Editions a licence of this edition may also run (down-edition rights), by index.
  /// Not transitive unless the pack lists every target.
  std::vector<std::uint16_t> covers;
  std::string covers_source;  ///< where the down-edition right is granted
  /// For an edition free for development and test only (SQL Server Developer, SQL10): the
  /// edition it is licensed as on a production device, by index; with its source. Outside
  /// production it is free; where the device's environment is unknown, the install needs review.
  std::optional<std::uint16_t> production_edition;
  std::string production_source;
};

struct VersionSpec {
  std::string name;                 ///< "2019", "2012 R2", "10"
  std::vector<std::string> tokens;  ///< title tokens that identify it ("2012 R2")
  std::string build;                ///< version-string prefix ("14.0") when titles lack a year
  Date released;                    ///< general availability
  Metric metric = Metric::device;   ///< the licensing model of licences of this version
  /// Made available under volume licensing, where that was before general availability: the
  /// earlier of the price-list date and the VLSC download date (licensing-rules SA1: Office
  /// 2013 on VLSC 2012-10-28, GA 2013-01-29). Software Assurance grants a version from the date
  /// it was made available (`made_available()`), with the date's source.
  std::optional<Date> available;
  std::string available_source;
  /// End of extended support, for rights that hold only while a version is supported
  /// (DowngradeRight::while_supported), with its source.
  std::optional<Date> support_end;
  std::string support_source;

  /// The date a version counts as made available for Software Assurance: under volume
  /// licensing when the pack knows it, else general availability.
  [[nodiscard]] Date made_available() const { return available.value_or(released); }
};

/// A title pattern that sends a family's rows to review whatever product they name: the use
/// rights of such a copy hang on a fact no inventory holds (an evaluation edition may be used
/// only to test, demonstrate and evaluate, never in production), so no verdict is guessed.
struct ReviewPattern {
  std::string pattern;  ///< title words ("Evaluation")
  std::string reason;   ///< shown as the row's review reason
  std::string source;   ///< the public terms behind it
};

struct Family {
  std::string id;                     ///< "office"
  std::string name;                   ///< "Office"
  std::uint16_t publisher = 0;        ///< index into RulePack::publishers
  std::vector<std::string> match;     ///< title patterns that identify the family
  std::vector<std::string> exclude;   ///< title patterns that rule the family out ("Kingsoft")
  std::vector<ReviewPattern> review;  ///< title patterns whose rows always need review
  /// How reports name a product: "{family}", "{version}" and "{edition}" are replaced
  /// ("Windows {version} {edition}" gives "Windows 10 Pro").
  std::string display = "{family} {edition} {version}";
  std::vector<EditionSpec> editions;
  std::vector<VersionSpec> versions;  ///< release order
  std::vector<DowngradeRight> downgrades;
  std::vector<DownEditionRight> down_editions;  ///< version-scoped down-edition rights
  std::vector<UpgradeRule> upgrades;            ///< channels whose licences are upgrades
  std::vector<ModelConversion> conversions;     ///< SA across licensing models
  Assignment assignment = Assignment::device;
  /// Copies in virtual machines on a licensed desktop or laptop are licensed with it (Office per
  /// device: "any number of copies on the licensed device, physical and/or virtual", DT1).
  /// Copies in VMs on servers are not: the devices that use them need their own licences.
  bool vm_copies_on_licensed_device = false;
  std::vector<LicensingTerms> terms;  ///< first match wins; versions without terms: one unit each
  /// Metrics an entitlement of the family may state, besides its version's (Microsoft 365 Apps
  /// per user or per device; CALs per user or per device).
  std::vector<Metric> metrics;
  /// Replaces the family with the same id from a pack loaded earlier in the same run, wholesale
  /// (docs/rule-packs.md "Several packs in one run"); without it, two packs defining one family
  /// id is an error naming both files.
  bool overlay = false;
  /// `access` families: the host-licensed family whose servers the CALs give access to.
  std::optional<FamilyIndex> serves;
  /// `access` families: the service an access must name (access.csv `service`) to need these
  /// CALs, besides the base CALs every access needs ("remote-desktop": Remote Desktop
  /// Services CALs, additive, CAL3). Empty: every access to a served server needs them.
  std::string service;
  /// `access` families: a server gives access under one kind of CAL only, user CALs or device
  /// CALs, never a mix (an RD Session Host's licensing mode, Per User or Per Device: CAL3).
  bool one_mode_per_server = false;
  /// Reassignment frequency limits by channel; a channel without one moves freely (Windows
  /// retail, R1) or not at all (OEM, O1: rules/oem_binding.hpp).
  std::vector<ReassignmentRule> reassignment;

  /// The reassignment limit of licences of `channel`, or nullptr.
  [[nodiscard]] const ReassignmentRule* reassignment_rule(Channel channel) const {
    for (const auto& r : reassignment)
      if (std::find(r.channels.begin(), r.channels.end(), channel) != r.channels.end()) return &r;
    return nullptr;
  }

  /// The upgrade rule of licences of `channel` (their channel sells only upgrades), or nullptr.
  [[nodiscard]] const UpgradeRule* upgrade_rule(Channel channel) const {
    for (const auto& u : upgrades)
      if (std::find(u.channels.begin(), u.channels.end(), channel) != u.channels.end()) return &u;
    return nullptr;
  }

  /// The terms of `version` and `edition`, or nullptr (then one unit per device).
  [[nodiscard]] const LicensingTerms* terms_for(std::uint16_t version, std::uint16_t edition) const {
    for (const auto& t : terms)
      if (t.applies(version, edition)) return &t;
    return nullptr;
  }

  [[nodiscard]] std::optional<std::uint16_t> find_version(std::string_view v) const {
    for (std::size_t i = 0; i < versions.size(); ++i)
      if (versions[i].name == v) return static_cast<std::uint16_t>(i);
    return std::nullopt;
  }
  /// By name or alias.
  [[nodiscard]] std::optional<std::uint16_t> find_edition(std::string_view e) const {
    for (std::size_t i = 0; i < editions.size(); ++i) {
      if (editions[i].name == e) return static_cast<std::uint16_t>(i);
      for (const auto& a : editions[i].aliases)
        if (a == e) return static_cast<std::uint16_t>(i);
    }
    return std::nullopt;
  }
};

/// A title pattern that marks an inventory row as not a licensable install of its own
/// (updates, language packs, proofing tools, redistributables). Such rows are *excluded*
/// with `reason`, never dropped (licensing-rules X5, ecosystem §0.2).
struct ComponentPattern {
  std::string pattern;  ///< case-insensitive substring of the title
  std::string reason;
};

/// One pack file that went into a `RulePack`: what every position names as its rules.
struct PackOrigin {
  std::string name;      ///< "oracle"
  std::string revision;  ///< "2026.1"
  std::string source;    ///< file it was loaded from
};

struct RulePack {
  std::string name;      ///< "microsoft"; packs used together: their names joined by "+"
  std::string revision;  ///< the pack's own version, reported with every position ("+"-joined)
  std::string source;    ///< file it was loaded from (packs used together: the first)
  /// Every pack this one was made of, in load order (io::combine_rule_packs); one for a pack
  /// loaded alone, empty for a pack built by hand.
  std::vector<PackOrigin> packs;
  std::vector<Publisher> publishers;
  std::vector<Family> families;
  std::vector<ComponentPattern> components;

  /// The rules as reports name them: "microsoft 2026.11", or each pack's name and revision
  /// in load order, ", "-separated, for packs used together.
  [[nodiscard]] std::string label() const {
    if (packs.size() <= 1) return name + " " + revision;
    std::string out;
    for (const auto& p : packs) out += (out.empty() ? "" : ", ") + p.name + " " + p.revision;
    return out;
  }
  [[nodiscard]] const Family& family(FamilyIndex f) const { return families.at(f.value); }
  [[nodiscard]] std::optional<FamilyIndex> find_family(std::string_view id_or_name) const {
    for (std::size_t i = 0; i < families.size(); ++i)
      if (families[i].id == id_or_name || families[i].name == id_or_name)
        return FamilyIndex{static_cast<FamilyIndex::value_type>(i)};
    return std::nullopt;
  }
  [[nodiscard]] const VersionSpec& version(ProductRef p) const { return family(p.family).versions.at(p.version); }
  [[nodiscard]] const EditionSpec& edition(ProductRef p) const { return family(p.family).editions.at(p.edition); }
  /// The licensing model of licences of `p`, or nullptr (one unit per device).
  [[nodiscard]] const LicensingTerms* terms(ProductRef p) const {
    return family(p.family).terms_for(p.version, p.edition);
  }
  /// The metric licences of `p` count in by default: their terms', else their version's.
  [[nodiscard]] Metric metric_of(ProductRef p) const {
    const LicensingTerms* t = terms(p);
    return t != nullptr ? t->metric : version(p).metric;
  }
  /// The product as the family's `display` names it: "Office Professional Plus 2019",
  /// "Windows 10 Pro".
  [[nodiscard]] std::string product_name(ProductRef p) const {
    const auto& f = family(p.family);
    std::string out;
    const std::string_view d = f.display;
    for (std::size_t i = 0; i < d.size();) {
      auto field = [&](std::string_view key, const std::string& value) {
        if (d.substr(i, key.size()) != key) return false;
        out += value;
        i += key.size();
        return true;
      };
      if (!field("{family}", f.name) && !field("{version}", f.versions.at(p.version).name) &&
          !field("{edition}", f.editions.at(p.edition).name))
        out.push_back(d[i++]);
    }
    return out;
  }
};

}  // namespace trueup
