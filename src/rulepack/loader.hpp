// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/loader.hpp
//
// The rule-pack loader's checker (private to trueup::io): it walks a parsed TOML document
// (docs/rule-packs.md) section by section into a `RulePack`, and records every problem it
// finds, each at the line and column of the offending key or value, with a stable code. Its
// parts, one source file each:
//
// - toml_nodes.cpp: reading typed values with their positions, the unknown-key and
//   duplicate-id checks every section shares;
// - recognition.cpp: publishers, components and title patterns, what installs are recognised by;
// - family.cpp: a family, its editions and versions, and how it is licensed;
// - rights.cpp: what a family's licences allow: downgrade and version-scoped down-edition rights,
//   licensing terms, reassignment;
// - upgrade_rights.cpp: licences that stand on others: upgrade licences and their qualifying
//   licences, Software Assurance conversions across licensing models;
// - pack.cpp: the pack as a whole, parsing and loading by path or by name.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trueup/io/rule_pack.hpp"

namespace trueup::io::loading {

// Editions and versions are addressed by 16-bit indices (ProductRef, EditionSpec::covers).
inline constexpr std::size_t max_indexed = std::numeric_limits<std::uint16_t>::max();

struct Pos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

inline Pos pos(const toml::source_region& r) { return {r.begin.line, r.begin.column}; }

/// A TOML type as a message names what it found: "a string", "an array", ...
std::string_view a_type(toml::node_type t);
/// `s` in double quotes, its quotes and backslashes escaped.
std::string quote(std::string_view s);
std::string join(const std::vector<std::string>& xs, std::string_view sep);
// A title pattern can only ever match if it keeps a word after normalisation
// (normalise/text.hpp: `contains_words` needs more than the two padding spaces).
bool matchable(std::string_view pattern);

// A string read from the pack, and where it was written.
struct Located {
  std::string text;
  Pos at;
};

// An edition or version named in the pack: its index in the family, and the name as written.
struct Named {
  std::uint16_t index = 0;
  Located name;
};

using Keys = std::initializer_list<std::string_view>;

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) {}

  RulePack read(const toml::table& root);

  /// Every problem found, in file order.
  Diagnostics diagnostics() &&;

 private:
  // --- TOML values with their positions (toml_nodes.cpp) ---
  void report(Pos at, std::string code, std::string message);
  void bad_type(const toml::node& n, std::string_view expected);
  void missing(const toml::table& t, std::string_view key, std::string_view section);
  // unknown-key: a key the format does not define. Never ignored: a misspelt key would
  // otherwise silently drop the right it was meant to state.
  void check_keys(const toml::table& t, std::string_view section, Keys allowed);
  // A non-empty string value.
  std::optional<Located> string_value(const toml::node& n);
  std::optional<Located> required_string(const toml::table& t, std::string_view key, std::string_view section);
  std::optional<Located> optional_string(const toml::table& t, std::string_view key);
  // missing-source: a right without the document that grants it is not shipped; nor is a date
  // a right depends on without the document that states it (`key`, `verb` "stated").
  std::optional<Located> source_string(const toml::table& t, std::string_view what, std::string_view section,
                                       std::string_view key = "source", std::string_view verb = "granted");
  // An optional array of non-empty strings; absent is empty.
  std::vector<Located> strings(const toml::table& t, std::string_view key);
  // An array of non-empty strings that may not be empty (bad-value: "expected at least one
  // `what`"). When `required`, absent is missing-key; else absent is empty, and the message
  // says to leave the key out instead.
  std::vector<Located> listed(const toml::table& t, std::string_view key, std::string_view section,
                              std::string_view what, bool required);
  // An optional array of tables (`[[key]]`); absent is empty.
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view key);
  std::optional<bool> boolean(const toml::table& t, std::string_view key);
  // An optional unquoted TOML date; absent is nullopt.
  std::optional<Date> date(const toml::table& t, std::string_view key);
  std::optional<Metric> metric(const toml::table& t);
  // A whole number >= 0 that fits 32 bits; absent is nullopt.
  std::optional<std::uint32_t> count(const toml::table& t, std::string_view key);
  // duplicate-id: names that must be unique within their scope. `seen` maps each name (or,
  // for title words, its normalised form) to the line it was first given on.
  // Returns whether the name is new.
  bool unique(std::map<std::string, std::uint32_t>& seen, const Located& name, std::string_view what,
              bool as_title_words = false);

  // --- What installs are recognised by (recognition.cpp) ---
  std::vector<Located> patterns(const toml::table& t, std::string_view key);
  void check_pattern(const Located& p);
  void read_publisher(const toml::table& t, RulePack& pack);
  void read_component(const toml::table& t, RulePack& pack);
  void read_review(const toml::table& t, Family& f);
  std::optional<std::uint16_t> find_publisher(const RulePack& pack, std::string_view name) const;

  // --- The pack (pack.cpp) ---
  void read_pack(const toml::table& root, RulePack& pack);

  // --- A family (family.cpp) ---
  void read_family(const toml::table& t, RulePack& pack);
  void read_identity(const toml::table& t, const RulePack& pack, Family& f);
  std::optional<Located> read_display(const toml::table& t, Family& f);
  void check_sizes(const toml::table& t, const std::string& label, std::size_t editions, std::size_t versions);
  void read_editions(const std::vector<const toml::table*>& editions, Family& f, const std::string& label);
  void read_versions(const std::vector<const toml::table*>& versions, Family& f, const std::string& label,
                     Metric family_metric);
  // `available` and `support_end` of a version, each with its source; `released` is its
  // release date when it was read.
  void read_version_dates(const toml::table& v, std::optional<Date> released, VersionSpec& spec);
  void check_display(const std::optional<Located>& display_at, Family& f);
  void read_licensing(const toml::table& t, Family& f);
  void read_serves(const toml::table& t, const RulePack& pack, Family& f, const std::string& label);

  // --- What a family's licences allow (rights.cpp) ---
  /// The lists of a family whose entries its rights name.
  enum class Listed { editions, versions };
  /// The index of `name` in `f`'s editions (by name or alias) or versions, or nullopt when
  /// there is none, reported as unknown-edition or unknown-version with the names `f` has.
  std::optional<std::uint16_t> resolve(const Family& f, Listed listed, const std::string& label, const Located& name);
  /// The editions or versions of `f` that the array `key` names, each resolved (`listed`).
  std::vector<Named> resolve_all(const toml::table& t, std::string_view key, Listed listed, const Family& f,
                                 const std::string& label, std::string_view section, bool required);
  // [[family.terms]]: a licensing model, with where it is stated.
  void read_terms(const toml::table& t, Family& f, const std::string& label);
  // [[family.terms.core_factor]]: the core factor table of a `processor` metric (§13 ORACLE).
  void read_core_factors(const toml::table& t, LicensingTerms& terms);
  std::vector<std::string> core_factor_series(const toml::table& row);
  void read_reassignment(const toml::table& t, Family& f);
  void read_downgrade(const toml::table& t, Family& f, const std::string& label);
  // `from` and `to` of a downgrade right that lists its versions; returns the `to` versions kept.
  std::vector<Named> read_downgrade_versions(const toml::table& t, const Family& f, const std::string& label,
                                             DowngradeRight& r);
  // while_supported: every version the right may go to (`to`, or every earlier version) must
  // have a support_end.
  void check_while_supported(const toml::table& t, const Family& f, const DowngradeRight& r,
                             const std::vector<Named>& to);
  void read_down_edition(const toml::table& t, Family& f, const std::string& label);

  // --- Licences that stand on others (upgrade_rights.cpp) ---
  /// The channel `word` names, or nullopt, reported as bad-value; `except` (a channel the key
  /// may not name) is reported with `why`.
  std::optional<Channel> channel(const Located& word, std::optional<Channel> except = std::nullopt,
                                 std::string_view why = {});
  void read_upgrade(const toml::table& t, Family& f, const std::string& label);
  void read_conversion(const toml::table& t, Family& f, const std::string& label);

  std::string file_;
  Diagnostics diags_;
  std::map<std::string, std::uint32_t> publisher_names_;
  std::map<std::string, std::uint32_t> family_ids_;
  std::map<std::string, std::uint32_t> family_names_;
};

}  // namespace trueup::io::loading
