// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/load.cpp
//
// The rule-pack loader: TOML text (docs/rule-packs.md) to a `RulePack`. toml++ checks the
// syntax; this file checks everything else and reports *every* problem at once, each at the
// line and column of the offending key or value, with a stable code. A pack is data that
// decides licensing outcomes, so the loader is strict: an unknown key is an error (a typo
// such as `covers` misspelt `cover` must not silently drop a down-edition right), every
// downgrade and down-edition right must say where it is granted, and every name a right
// refers to must exist. Only a pack that passes every check is returned; it then satisfies
// the invariants of model/catalog.hpp (versions in release order, every index in range).
#include "trueup/io/rule_pack.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trueup/normalise/text.hpp"

namespace trueup::io {
namespace {

// Editions and versions are addressed by 16-bit indices (ProductRef, EditionSpec::covers).
constexpr std::size_t max_indexed = std::numeric_limits<std::uint16_t>::max();

struct Pos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

Pos pos(const toml::source_region& r) { return {r.begin.line, r.begin.column}; }

std::string_view a_type(toml::node_type t) {
  switch (t) {
    case toml::node_type::none: return "nothing";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
  }
  return "an unknown value";
}

std::string quote(std::string_view s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q.push_back('\\');
    q.push_back(c);
  }
  q.push_back('"');
  return q;
}

std::string join(const std::vector<std::string>& xs, std::string_view sep) {
  std::string out;
  for (const auto& x : xs) {
    if (!out.empty()) out += sep;
    out += x;
  }
  return out;
}

// Family ids name families in files and reports: lowercase ASCII letters, digits and '-'.
bool valid_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
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

// A title pattern can only ever match if it keeps a word after normalisation
// (normalise/text.hpp: `contains_words` needs more than the two padding spaces).
bool matchable(std::string_view pattern) { return detail::normalise_words(pattern).size() > 2; }

// A string read from the pack, and where it was written.
struct Located {
  std::string text;
  Pos at;
};

using Keys = std::initializer_list<std::string_view>;

class Loader {
 public:
  explicit Loader(std::string file) : file_(std::move(file)) {}

  RulePack read(const toml::table& root) {
    RulePack pack;
    check_keys(root, "the top level", {"pack", "publisher", "component", "family"});
    read_pack(root, pack);
    for (const toml::table* t : tables(root, "publisher")) read_publisher(*t, pack);
    for (const toml::table* t : tables(root, "component")) read_component(*t, pack);
    for (const toml::table* t : tables(root, "family")) read_family(*t, pack);
    return pack;
  }

  /// Every problem found, in file order.
  Diagnostics diagnostics() && {
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    return std::move(diags_);
  }

 private:
  void report(Pos at, std::string code, std::string message) {
    diags_.push_back({Severity::error, file_, at.line, at.column, std::move(code), std::move(message)});
  }
  void bad_type(const toml::node& n, std::string_view expected) {
    report(pos(n.source()), "bad-type",
           "expected " + std::string(expected) + ", found " + std::string(a_type(n.type())));
  }
  void missing(const toml::table& t, std::string_view key, std::string_view section) {
    report(pos(t.source()), "missing-key",
           "expected key `" + std::string(key) + "` in " + std::string(section) + ", found none");
  }

  // unknown-key: a key the format does not define. Never ignored: a misspelt key would
  // otherwise silently drop the right it was meant to state.
  void check_keys(const toml::table& t, std::string_view section, Keys allowed) {
    for (auto&& [key, value] : t) {
      const std::string_view k = key.str();
      if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) list += std::string(list.empty() ? "" : ", ") + "`" + std::string(a) + "`";
      report(pos(key.source()), "unknown-key",
             "expected one of " + list + " in " + std::string(section) + ", found `" + std::string(k) + "`");
    }
  }

  // A non-empty string value.
  std::optional<Located> string_value(const toml::node& n) {
    const auto* s = n.as_string();
    if (s == nullptr) {
      bad_type(n, "a string");
      return std::nullopt;
    }
    if (s->get().empty()) {
      report(pos(n.source()), "bad-value", "expected a non-empty string, found \"\"");
      return std::nullopt;
    }
    return Located{s->get(), pos(n.source())};
  }
  std::optional<Located> required_string(const toml::table& t, std::string_view key, std::string_view section) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      missing(t, key, section);
      return std::nullopt;
    }
    return string_value(*n);
  }
  std::optional<Located> optional_string(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    return n == nullptr ? std::nullopt : string_value(*n);
  }
  // missing-source: a right without the document that grants it is not shipped.
  std::optional<Located> source_string(const toml::table& t, std::string_view what, std::string_view section) {
    const toml::node* n = t.get("source");
    if (n == nullptr) {
      report(pos(t.source()), "missing-source",
             "expected key `source` naming where " + std::string(what) + " is granted in " +
                 std::string(section) + ", found none");
      return std::nullopt;
    }
    const auto* s = n->as_string();
    if (s == nullptr) {
      bad_type(*n, "a string");
      return std::nullopt;
    }
    if (s->get().empty()) {
      report(pos(n->source()), "missing-source",
             "expected a `source` naming where " + std::string(what) + " is granted, found \"\"");
      return std::nullopt;
    }
    return Located{s->get(), pos(n->source())};
  }

  // An optional array of non-empty strings; absent is empty.
  std::vector<Located> strings(const toml::table& t, std::string_view key) {
    std::vector<Located> out;
    const toml::node* n = t.get(key);
    if (n == nullptr) return out;
    const auto* a = n->as_array();
    if (a == nullptr) {
      bad_type(*n, "an array of strings");
      return out;
    }
    for (const toml::node& e : *a)
      if (auto s = string_value(e)) out.push_back(std::move(*s));
    return out;
  }
  std::vector<Located> patterns(const toml::table& t, std::string_view key) {
    std::vector<Located> out = strings(t, key);
    for (const auto& p : out) check_pattern(p);
    return out;
  }
  void check_pattern(const Located& p) {
    if (!matchable(p.text))
      report(p.at, "bad-value", "expected a title pattern with a letter or digit, found " + quote(p.text));
  }

  // An optional array of tables (`[[key]]`); absent is empty.
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* n = t.get(key);
    if (n == nullptr) return out;
    const auto* a = n->as_array();
    if (a == nullptr) {
      bad_type(*n, "an array of tables ([[" + std::string(key) + "]])");
      return out;
    }
    for (const toml::node& e : *a) {
      if (const auto* et = e.as_table())
        out.push_back(et);
      else
        bad_type(e, "a table");
    }
    return out;
  }

  std::optional<bool> boolean(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (const auto* b = n->as_boolean()) return b->get();
    bad_type(*n, "a boolean");
    return std::nullopt;
  }

  std::optional<Metric> metric(const toml::table& t) {
    const toml::node* n = t.get("metric");
    if (n == nullptr) return std::nullopt;
    auto s = string_value(*n);
    if (!s) return std::nullopt;
    if (auto m = parse_metric(s->text)) return m;
    report(s->at, "bad-value", std::string("expected one of ") + metric_names + ", found " + quote(s->text));
    return std::nullopt;
  }
  static constexpr const char* metric_names = "device, server, processor, core, user, user-cal, device-cal";

  // A whole number >= 0 that fits 32 bits; absent is nullopt.
  std::optional<std::uint32_t> count(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    const auto* i = n->as_integer();
    if (i == nullptr) {
      bad_type(*n, "a whole number");
      return std::nullopt;
    }
    if (i->get() < 0 || i->get() > std::numeric_limits<std::uint32_t>::max()) {
      report(pos(n->source()), "bad-value", "expected a whole number >= 0, found " + std::to_string(i->get()));
      return std::nullopt;
    }
    return static_cast<std::uint32_t>(i->get());
  }

  // duplicate-id: names that must be unique within their scope. `seen` maps each name (or,
  // for title words, its normalised form) to the line it was first given on.
  // Returns whether the name is new.
  bool unique(std::map<std::string, std::uint32_t>& seen, const Located& name, std::string_view what,
              bool as_title_words = false) {
    auto [it, fresh] =
        seen.try_emplace(as_title_words ? detail::normalise_words(name.text) : name.text, name.at.line);
    if (!fresh)
      report(name.at, "duplicate-id",
             "expected a unique " + std::string(what) + ", found " + quote(name.text) +
                 " again (first at line " + std::to_string(it->second) + ")");
    return fresh;
  }

  void read_pack(const toml::table& root, RulePack& pack) {
    const toml::node* n = root.get("pack");
    if (n == nullptr) {
      report({}, "missing-key", "expected table [pack], found none");
      return;
    }
    const auto* t = n->as_table();
    if (t == nullptr) {
      bad_type(*n, "a table ([pack])");
      return;
    }
    check_keys(*t, "[pack]", {"name", "revision", "description"});
    if (auto s = required_string(*t, "name", "[pack]")) pack.name = s->text;
    if (auto s = required_string(*t, "revision", "[pack]")) pack.revision = s->text;
    (void)optional_string(*t, "description");  // documentation only: checked, not kept
  }

  void read_publisher(const toml::table& t, RulePack& pack) {
    constexpr std::string_view section = "[[publisher]]";
    check_keys(t, section, {"name", "aliases"});
    Publisher p;
    if (auto s = required_string(t, "name", section)) {
      unique(publisher_names_, *s, "publisher name or alias");
      p.name = s->text;
    }
    for (auto& a : strings(t, "aliases")) {
      unique(publisher_names_, a, "publisher name or alias");
      p.aliases.push_back(std::move(a.text));
    }
    pack.publishers.push_back(std::move(p));
  }

  void read_component(const toml::table& t, RulePack& pack) {
    constexpr std::string_view section = "[[component]]";
    check_keys(t, section, {"pattern", "reason"});
    ComponentPattern c;
    if (auto s = required_string(t, "pattern", section)) {
      check_pattern(*s);
      c.pattern = s->text;
    }
    if (auto s = required_string(t, "reason", section)) c.reason = s->text;
    pack.components.push_back(std::move(c));
  }

  std::optional<std::uint16_t> find_publisher(const RulePack& pack, std::string_view name) const {
    for (std::size_t i = 0; i < pack.publishers.size() && i <= max_indexed; ++i) {
      const auto& p = pack.publishers[i];
      if (p.name == name || std::find(p.aliases.begin(), p.aliases.end(), name) != p.aliases.end())
        return static_cast<std::uint16_t>(i);
    }
    return std::nullopt;
  }

  void read_family(const toml::table& t, RulePack& pack) {
    constexpr std::string_view section = "[[family]]";
    check_keys(t, section,
               {"id", "name", "publisher", "match", "exclude", "display", "metric", "edition", "version", "downgrade",
                "licensing", "metrics", "terms", "serves", "reassignment"});
    Family f;
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
                   (names.empty() ? std::string("none declared") : join(names, ", ")) + "), found " +
                   quote(s->text));
      }
    }
    std::optional<Located> display_at;  // checked once versions and editions are known
    for (auto& m : patterns(t, "match")) f.match.push_back(std::move(m.text));
    for (auto& x : patterns(t, "exclude")) f.exclude.push_back(std::move(x.text));
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
    const Metric family_metric = metric(t).value_or(Metric::device);
    const std::string label = "family `" + (f.id.empty() ? std::string("?") : f.id) + "`";

    const auto editions = tables(t, "edition");
    const auto versions = tables(t, "version");
    if (editions.empty())
      report(pos(t.source()), "empty-family", "expected at least one [[family.edition]] in " + label + ", found none");
    if (versions.empty())
      report(pos(t.source()), "empty-family", "expected at least one [[family.version]] in " + label + ", found none");
    if (editions.size() > max_indexed)
      report(pos(t.source()), "bad-value",
             "expected at most " + std::to_string(max_indexed) + " editions in " + label + ", found " +
                 std::to_string(editions.size()));
    if (versions.size() > max_indexed)
      report(pos(t.source()), "bad-value",
             "expected at most " + std::to_string(max_indexed) + " versions in " + label + ", found " +
                 std::to_string(versions.size()));

    // Editions first (names, then the down-edition rights that refer to them by name).
    std::map<std::string, std::uint32_t> edition_names;
    std::vector<std::vector<Located>> covers(editions.size());
    for (std::size_t i = 0; i < editions.size(); ++i) {
      const toml::table& e = *editions[i];
      constexpr std::string_view esection = "[[family.edition]]";
      check_keys(e, esection, {"name", "aliases", "free", "covers", "source"});
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
      covers[i] = strings(e, "covers");
      if (!covers[i].empty()) {
        const std::string what = "the down-edition right of " + (spec.name.empty() ? std::string("this edition")
                                                                                    : "`" + spec.name + "`");
        if (auto s = source_string(e, what, esection)) spec.covers_source = s->text;
      } else if (auto s = optional_string(e, "source")) {
        spec.covers_source = s->text;
      }
      f.editions.push_back(std::move(spec));
    }
    // Down-edition: editions are listed in ascending rank, so an edition may only cover the
    // editions listed before it (a lower edition never runs a higher one).
    for (std::size_t i = 0; i < covers.size(); ++i) {
      for (const auto& c : covers[i]) {
        const auto idx = resolve_edition(f, label, c);
        if (!idx) continue;
        if (*idx >= i) {
          report(c.at, "bad-value",
                 "expected an edition ranked below `" + f.editions[i].name + "` (listed before it), found " +
                     quote(c.text));
          continue;
        }
        if (std::find(f.editions[i].covers.begin(), f.editions[i].covers.end(), *idx) == f.editions[i].covers.end())
          f.editions[i].covers.push_back(*idx);
      }
    }

    std::map<std::string, std::uint32_t> version_names;
    std::map<std::string, std::uint32_t> version_tokens;  // normalised, as recognition sees them
    std::optional<std::pair<Date, std::string>> previous;
    for (const toml::table* vt : versions) {
      const toml::table& v = *vt;
      constexpr std::string_view vsection = "[[family.version]]";
      check_keys(v, vsection, {"name", "tokens", "build", "released", "metric"});
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
                 "expected a version name with a letter or digit (it is the default token), found " +
                     quote(spec.name));
        else if (new_name)  // a repeated name is reported once, as a name
          unique(version_tokens, name, "version token in " + label, true);
        spec.tokens.push_back(spec.name);
      }
      if (auto s = optional_string(v, "build")) {
        if (!valid_build(s->text))
          report(s->at, "bad-value", "expected a version-string prefix such as \"16.0\", found " + quote(s->text));
        spec.build = s->text;
      }
      if (const toml::node* r = v.get("released"); r == nullptr) {
        missing(v, "released", vsection);
      } else if (const auto* d = r->as_date(); d == nullptr) {
        bad_type(*r, "a date (YYYY-MM-DD, unquoted)");
      } else {
        const toml::date td = d->get();
        spec.released = Date::from_ymd(td.year, td.month, td.day);
        // version-order: index order *is* "earlier than" for every downgrade right.
        if (previous && !(previous->first < spec.released))
          report(pos(r->source()), "version-order",
                 "expected a release date after " + previous->first.iso() + " (version `" + previous->second +
                     "` is listed before it), found " + spec.released.iso());
        previous = std::pair(spec.released, spec.name);
      }
      spec.metric = metric(v).value_or(family_metric);
      f.versions.push_back(std::move(spec));
    }

    for (const toml::table* dt : tables(t, "downgrade")) read_downgrade(*dt, f, label);
    // Reports must tell products apart: {version} may be left out only of a one-version
    // family, {edition} only of a one-edition family.
    if (display_at && ((display_at->text.find("{version}") == std::string::npos && f.versions.size() > 1) ||
                       (display_at->text.find("{edition}") == std::string::npos && f.editions.size() > 1))) {
      report(display_at->at, "bad-value",
             "expected a display template naming {version} and {edition} (and optionally {family}), found " +
                 quote(display_at->text));
      f.display = Family{}.display;
    }
    if (auto s = optional_string(t, "licensing")) {
      constexpr std::pair<std::string_view, Assignment> kinds[] = {
          {"device", Assignment::device}, {"host", Assignment::host}, {"user", Assignment::user},
          {"access", Assignment::access}};
      const auto* k = std::find_if(std::begin(kinds), std::end(kinds), [&](const auto& x) { return x.first == s->text; });
      if (k == std::end(kinds))
        report(s->at, "bad-value", "expected one of device, host, user, access, found " + quote(s->text));
      else
        f.assignment = k->second;
    }
    for (const auto& m : strings(t, "metrics")) {
      if (auto parsed = parse_metric(m.text))
        f.metrics.push_back(*parsed);
      else
        report(m.at, "bad-value", std::string("expected one of ") + metric_names + ", found " + quote(m.text));
    }
    for (const toml::table* tt : tables(t, "terms")) read_terms(*tt, f, label);
    for (const toml::table* rt : tables(t, "reassignment")) read_reassignment(*rt, f);
    if (auto s = optional_string(t, "serves")) {
      if (auto served = pack.find_family(s->text); served && pack.family(*served).assignment == Assignment::host)
        f.serves = served;
      else
        report(s->at, "unknown-family",
               "expected the id of a family with licensing = \"host\" declared before this one, found " + quote(s->text));
    }
    if (f.assignment == Assignment::access && !f.match.empty())
      report(pos(t.get("match")->source()), "bad-value",
             "expected no `match` in " + label + " (licensing = \"access\": CALs are demanded by access.csv, "
             "never by installs), found " + std::to_string(f.match.size()) + " pattern(s)");
    if (f.assignment == Assignment::access && !f.serves)
      report(pos(t.source()), "missing-key", "expected key `serves` in " + label + " (licensing = \"access\"), found none");
    pack.families.push_back(std::move(f));
  }

  std::optional<std::uint16_t> resolve_edition(const Family& f, const std::string& label, const Located& name) {
    if (auto e = f.find_edition(name.text)) return e;
    std::vector<std::string> names;
    for (const auto& e : f.editions) names.push_back(e.name);
    report(name.at, "unknown-edition",
           "expected an edition of " + label + " (" + join(names, ", ") + "), found " + quote(name.text));
    return std::nullopt;
  }
  std::optional<std::uint16_t> resolve_version(const Family& f, const std::string& label, const Located& name) {
    if (auto v = f.find_version(name.text)) return v;
    std::vector<std::string> names;
    for (const auto& v : f.versions) names.push_back(v.name);
    report(name.at, "unknown-version",
           "expected a version of " + label + " (" + join(names, ", ") + "), found " + quote(name.text));
    return std::nullopt;
  }

  // [[family.terms]]: a licensing model, with where it is stated.
  void read_terms(const toml::table& t, Family& f, const std::string& label) {
    constexpr std::string_view section = "[[family.terms]]";
    check_keys(t, section,
               {"name", "versions", "editions", "metric", "core_minimum_per_processor", "core_minimum_per_server",
                "core_minimum_per_vm", "processors_per_licence", "oses_per_licence", "user_pcs", "user_tablets",
                "user_phones", "source"});
    LicensingTerms terms;
    if (auto s = required_string(t, "name", section)) terms.name = s->text;
    if (t.get("versions") == nullptr) missing(t, "versions", section);
    for (const auto& v : strings(t, "versions"))
      if (auto idx = resolve_version(f, label, v)) terms.versions.push_back(*idx);
    for (const auto& e : strings(t, "editions"))
      if (auto idx = resolve_edition(f, label, e)) terms.editions.push_back(*idx);
    std::sort(terms.versions.begin(), terms.versions.end());
    if (t.get("metric") == nullptr) missing(t, "metric", section);
    terms.metric = metric(t).value_or(Metric::device);
    terms.core_minimum_per_processor = count(t, "core_minimum_per_processor").value_or(0);
    terms.core_minimum_per_server = count(t, "core_minimum_per_server").value_or(0);
    terms.core_minimum_per_vm = count(t, "core_minimum_per_vm").value_or(0);
    terms.processors_per_licence = count(t, "processors_per_licence").value_or(1);
    if (terms.processors_per_licence == 0)
      report(pos(t.get("processors_per_licence")->source()), "bad-value",
             "expected processors_per_licence >= 1, found 0");
    terms.oses_per_licence = count(t, "oses_per_licence").value_or(0);
    terms.user_pcs = count(t, "user_pcs").value_or(0);
    terms.user_tablets = count(t, "user_tablets").value_or(0);
    terms.user_phones = count(t, "user_phones").value_or(0);
    if (auto s = source_string(t, "the licensing model `" + terms.name + "`", section)) terms.source = s->text;
    f.terms.push_back(std::move(terms));
  }

  void read_reassignment(const toml::table& t, Family& f) {
    constexpr std::string_view section = "[[family.reassignment]]";
    check_keys(t, section, {"channels", "days", "source"});
    ReassignmentRule r;
    if (t.get("channels") == nullptr) missing(t, "channels", section);
    for (const auto& c : strings(t, "channels")) {
      const auto channel = parse_channel(c.text);
      if (!channel || *channel == Channel::oem)
        report(c.at, "bad-value",
               "expected one of retail, volume, subscription (an OEM licence never moves, O1), found " + quote(c.text));
      else if (f.reassignment_rule(*channel) != nullptr)
        report(c.at, "bad-value", "expected each channel in one [[family.reassignment]], found " + quote(c.text) + " again");
      else
        r.channels.push_back(*channel);
    }
    if (t.get("days") == nullptr) missing(t, "days", section);
    r.days = count(t, "days").value_or(90);
    if (auto s = source_string(t, "the reassignment limit", section)) r.source = s->text;
    f.reassignment.push_back(std::move(r));
  }

  void read_downgrade(const toml::table& t, Family& f, const std::string& label) {
    constexpr std::string_view section = "[[family.downgrade]]";
    check_keys(t, section, {"channel", "editions", "versions", "from", "to", "source"});
    DowngradeRight r;
    if (auto s = required_string(t, "channel", section)) {
      if (auto c = parse_channel(s->text))
        r.channel = *c;
      else
        report(s->at, "bad-value", "expected one of oem, retail, volume, subscription, found " + quote(s->text));
    }
    if (const toml::node* n = t.get("editions")) {
      if (const auto* a = n->as_array(); a != nullptr && a->empty())
        report(pos(n->source()), "bad-value",
               "expected at least one edition (leave `editions` out for every edition), found []");
      for (const auto& e : strings(t, "editions"))
        if (auto idx = resolve_edition(f, label, e)) r.editions.push_back(*idx);
    }

    const toml::node* versions = t.get("versions");
    const toml::node* from = t.get("from");
    const toml::node* to = t.get("to");
    if (versions != nullptr && (from != nullptr || to != nullptr)) {
      report(pos(versions->source()), "bad-value",
             "expected either `versions = \"any-earlier\"` or `from` and `to`, found both");
    } else if (versions != nullptr) {
      if (auto s = string_value(*versions)) {
        if (s->text == "any-earlier")
          r.any_earlier = true;
        else
          report(s->at, "bad-value", "expected \"any-earlier\", found " + quote(s->text));
      }
    } else if (from == nullptr && to == nullptr) {
      report(pos(t.source()), "missing-key",
             "expected key `versions` or keys `from` and `to` in " + std::string(section) + ", found none");
    } else {
      std::optional<std::uint16_t> from_index;
      std::string from_name;
      if (auto s = required_string(t, "from", section)) {
        from_index = resolve_version(f, label, *s);
        from_name = s->text;
      }
      if (to == nullptr) {
        missing(t, "to", section);
      } else if (const auto* a = to->as_array(); a != nullptr && a->empty()) {
        report(pos(to->source()), "bad-value", "expected at least one earlier version, found []");
      }
      for (const auto& v : strings(t, "to")) {
        const auto idx = resolve_version(f, label, v);
        if (!idx || !from_index) continue;
        if (*idx >= *from_index) {
          report(v.at, "bad-value",
                 "expected a version released before `" + from_name + "`, found " + quote(v.text));
          continue;
        }
        r.to.push_back(*idx);
      }
      if (from_index) r.from = *from_index;
    }
    if (auto s = source_string(t, "the downgrade right", section)) r.source = s->text;
    f.downgrades.push_back(std::move(r));
  }

  std::string file_;
  Diagnostics diags_;
  std::map<std::string, std::uint32_t> publisher_names_;
  std::map<std::string, std::uint32_t> family_ids_;
  std::map<std::string, std::uint32_t> family_names_;
};

// "Error while parsing key-value pair: ..." -> "an error while parsing key-value pair: ...".
std::string syntax_message(std::string_view description) {
  constexpr std::string_view prefix = "Error ";
  if (description.substr(0, prefix.size()) == prefix)
    return "expected valid TOML, found an error " + std::string(description.substr(prefix.size()));
  return "expected valid TOML, found " + std::string(description);
}

Result<RulePack> load_file(const std::filesystem::path& path, const std::string& report_as) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Diagnostics{{Severity::error, report_as, 0, 0, "unreadable-file",
                        "expected a rule-pack file, found a directory"}};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad())
    return Diagnostics{{Severity::error, report_as, 0, 0, "unreadable-file",
                        std::filesystem::exists(path, ec) ? "expected a readable rule-pack file, found one that cannot be read"
                                                          : "expected a rule-pack file, found no such file"}};
  auto pack = parse_rule_pack(text.str(), report_as);
  if (pack) pack->source = path.string();
  return pack;
}

}  // namespace

Result<RulePack> parse_rule_pack(std::string_view toml, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(toml, std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    return Diagnostics{{Severity::error, source_name, e.source().begin.line, e.source().begin.column,
                        "toml-syntax", syntax_message(e.description())}};
  }
  Loader loader(source_name);
  RulePack pack = loader.read(root);
  Diagnostics ds = std::move(loader).diagnostics();
  if (!ds.empty()) return ds;
  pack.source = source_name;
  return pack;
}

Result<RulePack> load_rule_pack(const std::string& path_or_name) {
  const std::string_view ext = ".toml";
  const bool is_path = path_or_name.find('/') != std::string::npos ||
                       (path_or_name.size() >= ext.size() &&
                        std::string_view(path_or_name).substr(path_or_name.size() - ext.size()) == ext);
  if (is_path) return load_file(path_or_name, path_or_name);

  // A shipped pack by name: $TRUEUP_RULES_PATH (':'-separated, first match wins), then the
  // source tree's rules/ (running from a build tree), then the installed share/trueup/rules/.
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("TRUEUP_RULES_PATH")) {
    std::string_view rest = env;
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::string_view dir = rest.substr(0, colon);
      if (!dir.empty()) dirs.emplace_back(dir);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  dirs.emplace_back(TRUEUP_RULES_BUILD_DIR);
  dirs.emplace_back(TRUEUP_RULES_INSTALL_DIR);

  const std::string file = path_or_name + std::string(ext);
  for (const auto& dir : dirs) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / file;
    std::error_code ec;
    if (!path_or_name.empty() && std::filesystem::is_regular_file(candidate, ec)) return load_file(candidate, file);
  }
  return Diagnostics{{Severity::error, file, 0, 0, "unknown-rule-pack",
                      "expected a rule pack named " + quote(path_or_name) + " (" + file + " in " + join(dirs, ", ") +
                          "), found none"}};
}

}  // namespace trueup::io
