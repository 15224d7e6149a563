// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/family.cpp
//
// A `[[family]]` of a rule pack (loader.hpp): its id, name and publisher, its title patterns,
// its editions (in ascending rank, each covering only editions listed before it) and its
// versions (in release order: index order *is* "earlier than" for every downgrade right), how
// its licences are assigned and counted, and the rights of rights.cpp. Names are unique within
// their scope (edition names and version tokens as recognition compares them, after
// normalisation), so that a repeated name cannot silently resolve to the first of two.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader.hpp"

namespace trueup::io::loading {

namespace {

// Family ids name families in files and reports: lowercase ASCII letters, digits and '-'.
bool valid_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// A version-string prefix: dot-separated decimal numbers ("16.0").
bool valid_build(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = '\0';
  for (char c : s) {
    if (c == '.' && prev == '.') return false;
    if (c != '.' && (c < '0' || c > '9')) return false;
    prev = c;
  }
  return true;
}

}  // namespace

void Loader::read_family(const toml::table& t, RulePack& pack) {
  constexpr std::string_view section = "[[family]]";
  check_keys(t, section,
             {"id",
              "name",
              "publisher",
              "match",
              "exclude",
              "display",
              "metric",
              "edition",
              "version",
              "downgrade",
              "down_edition",
              "upgrade",
              "conversion",
              "licensing",
              "vm_copies_on_licensed_device",
              "metrics",
              "terms",
              "serves",
              "reassignment",
              "overlay",
              "review",
              "service",
              "one_mode_per_server"});
  Family f;
  read_identity(t, pack, f);
  for (auto& m : patterns(t, "match")) f.match.push_back(std::move(m.text));
  for (auto& x : patterns(t, "exclude")) f.exclude.push_back(std::move(x.text));
  for (const toml::table* rt : tables(t, "review")) read_review(*rt, f);
  const std::optional<Located> display_at = read_display(t, f);  // checked once versions and editions are known
  const Metric family_metric = metric(t).value_or(Metric::device);
  const std::string label = "family `" + (f.id.empty() ? std::string("?") : f.id) + "`";

  const auto editions = tables(t, "edition");
  const auto versions = tables(t, "version");
  check_sizes(t, label, editions.size(), versions.size());
  read_editions(editions, f, label);
  read_versions(versions, f, label, family_metric);

  for (const toml::table* dt : tables(t, "downgrade")) read_downgrade(*dt, f, label);
  for (const toml::table* dt : tables(t, "down_edition")) read_down_edition(*dt, f, label);
  for (const toml::table* ut : tables(t, "upgrade")) read_upgrade(*ut, f, label);
  for (const toml::table* ct : tables(t, "conversion")) read_conversion(*ct, f, label);
  check_display(display_at, f);
  read_licensing(t, f);
  f.vm_copies_on_licensed_device = boolean(t, "vm_copies_on_licensed_device").value_or(false);
  f.overlay = boolean(t, "overlay").value_or(false);  // checked when packs are combined
  for (const auto& m : strings(t, "metrics")) {
    if (auto parsed = parse<Metric>(m.text))
      f.metrics.push_back(*parsed);
    else
      report(m.at, "bad-value", "expected one of " + word_list<Metric>() + ", found " + quote(m.text));
  }
  for (const toml::table* tt : tables(t, "terms")) read_terms(*tt, f, label);
  for (const toml::table* rt : tables(t, "reassignment")) read_reassignment(*rt, f);
  read_serves(t, pack, f, label);
  pack.families.push_back(std::move(f));
}

/// The family's id, name and publisher.
void Loader::read_identity(const toml::table& t, const RulePack& pack, Family& f) {
  constexpr std::string_view section = "[[family]]";
  if (auto s = required_string(t, "id", section)) {
    if (!valid_id(s->text))
      report(s->at, "bad-value", "expected a family id of lowercase letters, digits and '-', found " + quote(s->text));
    unique(family_ids_, *s, "family id");
    f.id = s->text;
  }
  if (auto s = required_string(t, "name", section)) {
    unique(family_names_, *s, "family name");
    f.name = s->text;
  }
  if (auto s = required_string(t, "publisher", section)) {
    if (auto p = find_publisher(pack, s->text)) {
      f.publisher = *p;
    } else {
      std::vector<std::string> names;
      for (const auto& pub : pack.publishers) names.push_back(pub.name);
      report(s->at, "unknown-publisher",
             "expected a publisher declared in [[publisher]] (" +
                 (names.empty() ? std::string("none declared") : join(names, ", ")) + "), found " + quote(s->text));
    }
  }
}

/// The display template: no placeholder but {family}, {version} and {edition}. Returns it
/// when kept, for check_display.
std::optional<Located> Loader::read_display(const toml::table& t, Family& f) {
  std::optional<Located> display_at;
  if (auto d = optional_string(t, "display")) {
    std::string rest = d->text;
    for (std::string_view key : {"{family}", "{version}", "{edition}"})
      for (auto at = rest.find(key); at != std::string::npos; at = rest.find(key)) rest.erase(at, key.size());
    if (rest.find('{') != std::string::npos || rest.find('}') != std::string::npos)
      report(d->at, "bad-value",
             "expected a display template naming {version} and {edition} (and optionally {family}), found " +
                 quote(d->text));
    else
      f.display = d->text, display_at = *d;
  }
  return display_at;
}

void Loader::check_sizes(const toml::table& t, const std::string& label, std::size_t editions, std::size_t versions) {
  if (editions == 0)
    report(pos(t.source()), "empty-family", "expected at least one [[family.edition]] in " + label + ", found none");
  if (versions == 0)
    report(pos(t.source()), "empty-family", "expected at least one [[family.version]] in " + label + ", found none");
  if (editions > max_indexed)
    report(pos(t.source()), "bad-value",
           "expected at most " + std::to_string(max_indexed) + " editions in " + label + ", found " +
               std::to_string(editions));
  if (versions > max_indexed)
    report(pos(t.source()), "bad-value",
           "expected at most " + std::to_string(max_indexed) + " versions in " + label + ", found " +
               std::to_string(versions));
}

// Editions first (names, then the down-edition rights that refer to them by name).
void Loader::read_editions(const std::vector<const toml::table*>& editions, Family& f, const std::string& label) {
  std::map<std::string, std::uint32_t> edition_names;
  std::vector<std::vector<Located>> covers(editions.size());
  std::vector<std::optional<Located>> production(editions.size());
  for (std::size_t i = 0; i < editions.size(); ++i) {
    const toml::table& e = *editions[i];
    constexpr std::string_view esection = "[[family.edition]]";
    check_keys(e, esection, {"name", "aliases", "free", "covers", "source", "production_edition", "production_source"});
    EditionSpec spec;
    // Recognition compares edition words after normalisation ("Pro" and "pro" are one word),
    // so uniqueness does too: a repeated word would silently resolve to the first edition.
    if (auto s = required_string(e, "name", esection)) {
      check_pattern(*s);
      unique(edition_names, *s, "edition name or alias in " + label, true);
      spec.name = s->text;
    }
    for (auto& a : patterns(e, "aliases")) {
      unique(edition_names, a, "edition name or alias in " + label, true);
      spec.aliases.push_back(std::move(a.text));
    }
    spec.free = boolean(e, "free").value_or(false);
    production[i] = optional_string(e, "production_edition");
    if (production[i]) {
      if (!spec.free)
        report(production[i]->at, "bad-value",
               "expected `free = true` beside `production_edition` (an edition free outside production), found "
               "an edition that is never free");
      const std::string what = "the production edition of `" + spec.name + "`";
      if (auto s = source_string(e, what, esection, "production_source")) spec.production_source = s->text;
    }
    covers[i] = strings(e, "covers");
    if (!covers[i].empty()) {
      const std::string what =
          "the down-edition right of " + (spec.name.empty() ? std::string("this edition") : "`" + spec.name + "`");
      if (auto s = source_string(e, what, esection)) spec.covers_source = s->text;
    } else if (auto s = optional_string(e, "source")) {
      spec.covers_source = s->text;
    }
    f.editions.push_back(std::move(spec));
  }
  for (std::size_t i = 0; i < production.size(); ++i) {
    if (!production[i]) continue;
    const auto idx = resolve(f, Listed::editions, label, *production[i]);
    if (idx && *idx == i)
      report(production[i]->at, "bad-value",
             "expected another edition of the family for `production_edition`, found the edition itself");
    else if (idx && f.editions[*idx].free)
      report(production[i]->at, "bad-value",
             "expected an edition that needs licences for `production_edition`, found the free edition " +
                 quote(production[i]->text));
    else if (idx)
      f.editions[i].production_edition = *idx;
  }
  // Down-edition: editions are listed in ascending rank, so an edition may only cover the
  // editions listed before it (a lower edition never runs a higher one).
  for (std::size_t i = 0; i < covers.size(); ++i) {
    for (const auto& c : covers[i]) {
      const auto idx = resolve(f, Listed::editions, label, c);
      if (!idx) continue;
      if (*idx >= i) {
        report(
            c.at, "bad-value",
            "expected an edition ranked below `" + f.editions[i].name + "` (listed before it), found " + quote(c.text));
        continue;
      }
      if (std::find(f.editions[i].covers.begin(), f.editions[i].covers.end(), *idx) == f.editions[i].covers.end())
        f.editions[i].covers.push_back(*idx);
    }
  }
}

void Loader::read_versions(const std::vector<const toml::table*>& versions, Family& f, const std::string& label,
                           Metric family_metric) {
  std::map<std::string, std::uint32_t> version_names;
  std::map<std::string, std::uint32_t> version_tokens;  // normalised, as recognition sees them
  std::optional<std::pair<Date, std::string>> previous;
  for (const toml::table* vt : versions) {
    const toml::table& v = *vt;
    constexpr std::string_view vsection = "[[family.version]]";
    check_keys(v, vsection,
               {"name", "tokens", "build", "released", "available", "available_source", "support_end", "support_source",
                "metric"});
    VersionSpec spec;
    bool new_name = false;
    if (auto s = required_string(v, "name", vsection)) {
      new_name = unique(version_names, *s, "version name in " + label);
      spec.name = s->text;
    }
    if (v.get("tokens") != nullptr) {
      for (auto& tok : patterns(v, "tokens")) {
        unique(version_tokens, tok, "version token in " + label, true);
        spec.tokens.push_back(std::move(tok.text));
      }
    } else if (!spec.name.empty()) {
      const Located name{spec.name, pos(v.get("name")->source())};
      if (!matchable(spec.name))
        report(name.at, "bad-value",
               "expected a version name with a letter or digit (it is the default token), found " + quote(spec.name));
      else if (new_name)  // a repeated name is reported once, as a name
        unique(version_tokens, name, "version token in " + label, true);
      spec.tokens.push_back(spec.name);
    }
    if (auto s = optional_string(v, "build")) {
      if (!valid_build(s->text))
        report(s->at, "bad-value", "expected a version-string prefix such as \"16.0\", found " + quote(s->text));
      spec.build = s->text;
    }
    if (v.get("released") == nullptr) missing(v, "released", vsection);
    const std::optional<Date> released = date(v, "released");
    if (released) {
      spec.released = *released;
      // version-order: index order *is* "earlier than" for every downgrade right.
      if (previous && !(previous->first < spec.released))
        report(pos(v.get("released")->source()), "version-order",
               "expected a release date after " + previous->first.iso() + " (version `" + previous->second +
                   "` is listed before it), found " + spec.released.iso());
      previous = std::pair(spec.released, spec.name);
    }
    read_version_dates(v, released, spec);
    spec.metric = metric(v).value_or(family_metric);
    f.versions.push_back(std::move(spec));
  }
}

// Software Assurance grants a version from the date it was made available under volume
// licensing, which may be before general availability (SA1); rights that hold while a version
// is supported end with its extended support (§5.2). Each date needs its source, and a source
// needs its date.
void Loader::read_version_dates(const toml::table& v, std::optional<Date> released, VersionSpec& spec) {
  constexpr std::string_view vsection = "[[family.version]]";
  const std::string of = spec.name.empty() ? std::string("this version") : "version `" + spec.name + "`";
  if (auto available = date(v, "available")) {
    if (released && *released < *available)
      report(
          pos(v.get("available")->source()), "bad-value",
          "expected an `available` date on or before `released` (" + released->iso() + "), found " + available->iso());
    spec.available = available;
  }
  if (auto end = date(v, "support_end")) {
    if (released && !(*released < *end))
      report(pos(v.get("support_end")->source()), "bad-value",
             "expected a `support_end` date after `released` (" + released->iso() + "), found " + end->iso());
    spec.support_end = end;
  }
  const auto sourced = [&](std::string_view key, std::string_view source_key, const std::string& what,
                           std::string& source) {
    if (v.get(key) != nullptr) {
      if (auto s = source_string(v, what, vsection, source_key, "stated")) source = s->text;
    } else if (v.get(source_key) != nullptr) {
      report(pos(v.source()), "missing-key",
             "expected key `" + std::string(key) + "` in " + std::string(vsection) + " (`" + std::string(source_key) +
                 "` is the source of its date), found none");
    }
  };
  sourced("available", "available_source", "the volume-licensing availability of " + of, spec.available_source);
  sourced("support_end", "support_source", "the end of support of " + of, spec.support_source);
}

// Reports must tell products apart: {version} may be left out only of a one-version
// family, {edition} only of a one-edition family.
void Loader::check_display(const std::optional<Located>& display_at, Family& f) {
  if (display_at && ((display_at->text.find("{version}") == std::string::npos && f.versions.size() > 1) ||
                     (display_at->text.find("{edition}") == std::string::npos && f.editions.size() > 1))) {
    report(display_at->at, "bad-value",
           "expected a display template naming {version} and {edition} (and optionally {family}), found " +
               quote(display_at->text));
    f.display = Family{}.display;
  }
}

void Loader::read_licensing(const toml::table& t, Family& f) {
  if (auto s = optional_string(t, "licensing")) {
    constexpr std::pair<std::string_view, Assignment> kinds[] = {{"device", Assignment::device},
                                                                 {"host", Assignment::host},
                                                                 {"user", Assignment::user},
                                                                 {"access", Assignment::access}};
    const auto* k = std::find_if(std::begin(kinds), std::end(kinds), [&](const auto& x) { return x.first == s->text; });
    if (k == std::end(kinds))
      report(s->at, "bad-value", "expected one of device, host, user, access, found " + quote(s->text));
    else
      f.assignment = k->second;
  }
}

/// `serves`: the host-licensed family whose servers a CAL family (licensing = "access") gives
/// access to, declared before it. A CAL family has no `match`: CALs are demanded by access.csv.
void Loader::read_serves(const toml::table& t, const RulePack& pack, Family& f, const std::string& label) {
  if (auto s = optional_string(t, "serves")) {
    if (auto served = pack.find_family(s->text); served && pack.family(*served).assignment == Assignment::host)
      f.serves = served;
    else
      report(s->at, "unknown-family",
             "expected the id of a family with licensing = \"host\" declared before this one, found " + quote(s->text));
  }
  if (f.assignment == Assignment::access && !f.match.empty())
    report(pos(t.get("match")->source()), "bad-value",
           "expected no `match` in " + label +
               " (licensing = \"access\": CALs are demanded by access.csv, "
               "never by installs), found " +
               std::to_string(f.match.size()) + " pattern(s)");
  if (f.assignment == Assignment::access && !f.serves)
    report(pos(t.source()), "missing-key",
           "expected key `serves` in " + label + " (licensing = \"access\"), found none");
  if (auto s = optional_string(t, "service")) {
    if (f.assignment != Assignment::access)
      report(s->at, "bad-value",
             "expected `service` only in a family with licensing = \"access\", found it in " + label);
    else if (!valid_id(s->text))
      report(s->at, "bad-value", "expected a service of lowercase letters, digits and '-', found " + quote(s->text));
    else
      f.service = s->text;
  }
  f.one_mode_per_server = boolean(t, "one_mode_per_server").value_or(false);
  if (f.one_mode_per_server && f.assignment != Assignment::access)
    report(pos(t.get("one_mode_per_server")->source()), "bad-value",
           "expected `one_mode_per_server` only in a family with licensing = \"access\", found it in " + label);
}

}  // namespace trueup::io::loading
