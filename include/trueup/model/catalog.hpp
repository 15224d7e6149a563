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
};

struct VersionSpec {
  std::string name;                 ///< "2019", "2012 R2", "10"
  std::vector<std::string> tokens;  ///< title tokens that identify it ("2012 R2")
  std::string build;                ///< version-string prefix ("14.0") when titles lack a year
  Date released;                    ///< general availability
  Metric metric = Metric::device;   ///< the licensing model of licences of this version
};

/// A downgrade right: licences of channel `channel` (and of `editions`, empty = all) for a
/// version may run earlier versions of the same edition (licensing-rules D1-D3, §5.2-5.3).
/// Either any earlier version, or the versions listed for the licence's version.
struct DowngradeRight {
  Channel channel = Channel::volume;
  std::vector<std::uint16_t> editions;  ///< empty: every edition
  bool any_earlier = false;
  std::uint16_t from = 0;         ///< when !any_earlier: the licence version ...
  std::vector<std::uint16_t> to;  ///< ... and the earlier versions it may run
  std::string source;
};

/// What a family's licences are assigned to, which decides how demand is formed
/// (normalise.hpp):
/// - `device`: each device (or virtual OSE) that runs the product needs its own licence
///   units (Office, Windows client: DT1; SQL Server per core: SQL1, SQL2, SQL9);
/// - `host`: the physical server is licensed for every OSE that runs on it, physical and
///   virtual (Windows Server: WS8, W12-2, §7.3);
/// - `user`: a named user's licence covers that user's devices up to the terms' allowances,
///   and a per-device licence is the alternative (Microsoft 365 Apps: DT3);
/// - `access`: client access licences, demanded by the users and devices that access
///   servers (CAL1, CAL2), not by installs.
enum class Assignment : std::uint8_t { device, host, user, access };

template <>
struct EnumTable<Assignment> {
  static constexpr std::array<EnumEntry<Assignment>, 4> entries{{{Assignment::device, "device", "device"},
                                                                 {Assignment::host, "host", "host"},
                                                                 {Assignment::user, "user", "user"},
                                                                 {Assignment::access, "access", "access"}}};
};

/// The licensing model of some versions and editions of a family: the metric their licences
/// count in, the minimums that turn hardware into units, and the virtualisation rights
/// (rules/metric_units.hpp applies them). "The licence held sets the model" (G4, §7.4): the
/// terms of the *licence's* version and edition decide the units a server needs.
struct LicensingTerms {
  std::string name;                     ///< the model as reports name it: "per core (2016+)"
  std::vector<std::uint16_t> versions;  ///< the versions these terms apply to (sorted)
  std::vector<std::uint16_t> editions;  ///< and editions (empty: all)
  Metric metric = Metric::device;
  std::uint32_t core_minimum_per_processor = 0;  ///< WS2: 8; SQL1: 4
  std::uint32_t core_minimum_per_server = 0;     ///< WS3: 16
  std::uint32_t core_minimum_per_vm = 0;         ///< SQL2: a VM's virtual cores, at least 4
  std::uint32_t processors_per_licence = 1;      ///< W12-1: one licence covers 2 processors
  /// OSEs (virtual machines) one full licensing of the server covers; 0 = unlimited. Standard
  /// 2 (WS6, W12-2), Datacenter unlimited (WS7), 2008 Enterprise 4 (§7.3).
  std::uint32_t oses_per_licence = 0;
  /// `user` metric: devices one user licence covers, by kind (DT3: 5 PCs/Macs, 5 tablets,
  /// 5 phones).
  std::uint32_t user_pcs = 0;
  std::uint32_t user_tablets = 0;
  std::uint32_t user_phones = 0;
  std::string source;

  [[nodiscard]] bool applies(std::uint16_t version, std::uint16_t edition) const {
    const auto has = [](const std::vector<std::uint16_t>& v, std::uint16_t x) {
      return std::find(v.begin(), v.end(), x) != v.end();
    };
    return has(versions, version) && (editions.empty() || has(editions, edition));
  }
};

/// How often a licence of some channels may move to another device or user: not within `days`
/// of its last assignment (licensing-rules V1: volume licences, 90 days; R2: Office retail, once
/// every 90 days; V4: Windows Server). The exemptions are the engine's, not data: permanent
/// hardware failure or loss, and for user licences the user's leaving (V1, R2);
/// rules/reassignment.hpp applies them.
struct ReassignmentRule {
  std::vector<Channel> channels;
  std::uint32_t days = 90;
  std::string source;
};

struct Family {
  std::string id;                    ///< "office"
  std::string name;                  ///< "Office"
  std::uint16_t publisher = 0;       ///< index into RulePack::publishers
  std::vector<std::string> match;    ///< title patterns that identify the family
  std::vector<std::string> exclude;  ///< title patterns that rule the family out ("Kingsoft")
  /// How reports name a product: "{family}", "{version}" and "{edition}" are replaced
  /// ("Windows {version} {edition}" gives "Windows 10 Pro").
  std::string display = "{family} {edition} {version}";
  std::vector<EditionSpec> editions;
  std::vector<VersionSpec> versions;  ///< release order
  std::vector<DowngradeRight> downgrades;
  Assignment assignment = Assignment::device;
  std::vector<LicensingTerms> terms;  ///< first match wins; versions without terms: one unit each
  /// Metrics an entitlement of the family may state, besides its version's (Microsoft 365 Apps
  /// per user or per device; CALs per user or per device).
  std::vector<Metric> metrics;
  /// `access` families: the host-licensed family whose servers the CALs give access to.
  std::optional<FamilyIndex> serves;
  /// Reassignment frequency limits by channel; a channel without one moves freely (Windows
  /// retail, R1) or not at all (OEM, O1: rules/oem_binding.hpp).
  std::vector<ReassignmentRule> reassignment;

  /// The reassignment limit of licences of `channel`, or nullptr.
  [[nodiscard]] const ReassignmentRule* reassignment_rule(Channel channel) const {
    for (const auto& r : reassignment)
      if (std::find(r.channels.begin(), r.channels.end(), channel) != r.channels.end()) return &r;
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

struct RulePack {
  std::string name;      ///< "microsoft"
  std::string revision;  ///< the pack's own version, reported with every position
  std::string source;    ///< file it was loaded from
  std::vector<Publisher> publishers;
  std::vector<Family> families;
  std::vector<ComponentPattern> components;

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
