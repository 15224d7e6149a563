// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/toml_nodes.cpp
//
// Reading a rule pack's TOML values with their positions (loader.hpp): every value is checked
// for its type and, where it matters, its range, and a problem is reported at the value (or at
// the table that lacks a key), never thrown. A key the format does not define is an error: a
// typo such as `covers` misspelt `cover` must not silently drop a down-edition right.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loader.hpp"
#include "trueup/normalise/text.hpp"

namespace trueup::io::loading {

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

void Loader::report(Pos at, std::string code, std::string message) {
  diags_.push_back({Severity::error, file_, at.line, at.column, std::move(code), std::move(message)});
}
void Loader::bad_type(const toml::node& n, std::string_view expected) {
  report(pos(n.source()), "bad-type", "expected " + std::string(expected) + ", found " + std::string(a_type(n.type())));
}
void Loader::missing(const toml::table& t, std::string_view key, std::string_view section) {
  report(pos(t.source()), "missing-key",
         "expected key `" + std::string(key) + "` in " + std::string(section) + ", found none");
}

void Loader::check_keys(const toml::table& t, std::string_view section, Keys allowed) {
  for (auto&& [key, value] : t) {
    const std::string_view k = key.str();
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string list;
    for (std::string_view a : allowed) list += std::string(list.empty() ? "" : ", ") + "`" + std::string(a) + "`";
    report(pos(key.source()), "unknown-key",
           "expected one of " + list + " in " + std::string(section) + ", found `" + std::string(k) + "`");
  }
}

std::optional<Located> Loader::string_value(const toml::node& n) {
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
std::optional<Located> Loader::required_string(const toml::table& t, std::string_view key, std::string_view section) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    missing(t, key, section);
    return std::nullopt;
  }
  return string_value(*n);
}
std::optional<Located> Loader::optional_string(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  return n == nullptr ? std::nullopt : string_value(*n);
}

std::optional<Located> Loader::source_string(const toml::table& t, std::string_view what, std::string_view section,
                                             std::string_view key, std::string_view verb) {
  const toml::node* n = t.get(key);
  const std::string where = " naming where " + std::string(what) + " is " + std::string(verb);
  if (n == nullptr) {
    report(pos(t.source()), "missing-source",
           "expected key `" + std::string(key) + "`" + where + " in " + std::string(section) + ", found none");
    return std::nullopt;
  }
  const auto* s = n->as_string();
  if (s == nullptr) {
    bad_type(*n, "a string");
    return std::nullopt;
  }
  if (s->get().empty()) {
    const bool vowel = std::string_view("aeiou").find(key.front()) != std::string_view::npos;
    report(pos(n->source()), "missing-source",
           std::string(vowel ? "expected an `" : "expected a `") + std::string(key) + "`" + where + ", found \"\"");
    return std::nullopt;
  }
  return Located{s->get(), pos(n->source())};
}

std::vector<Located> Loader::strings(const toml::table& t, std::string_view key) {
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

std::vector<Located> Loader::listed(const toml::table& t, std::string_view key, std::string_view section,
                                    std::string_view what, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) missing(t, key, section);
    return {};
  }
  if (const auto* a = n->as_array(); a != nullptr && a->empty())
    report(
        pos(n->source()), "bad-value",
        "expected at least one " + std::string(what) +
            (required ? std::string() : " (leave `" + std::string(key) + "` out for every " + std::string(what) + ")") +
            ", found []");
  return strings(t, key);
}

std::vector<const toml::table*> Loader::tables(const toml::table& t, std::string_view key) {
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

std::optional<bool> Loader::boolean(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  bad_type(*n, "a boolean");
  return std::nullopt;
}

std::optional<Date> Loader::date(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return std::nullopt;
  const auto* d = n->as_date();
  if (d == nullptr) {
    bad_type(*n, "a date (YYYY-MM-DD, unquoted)");
    return std::nullopt;
  }
  const toml::date td = d->get();
  return Date::from_ymd(td.year, td.month, td.day);
}

std::optional<Metric> Loader::metric(const toml::table& t) {
  const toml::node* n = t.get("metric");
  if (n == nullptr) return std::nullopt;
  auto s = string_value(*n);
  if (!s) return std::nullopt;
  if (auto m = parse<Metric>(s->text)) return m;
  report(s->at, "bad-value", "expected one of " + word_list<Metric>() + ", found " + quote(s->text));
  return std::nullopt;
}

std::optional<std::uint32_t> Loader::count(const toml::table& t, std::string_view key) {
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

bool Loader::unique(std::map<std::string, std::uint32_t>& seen, const Located& name, std::string_view what,
                    bool as_title_words) {
  auto [it, fresh] = seen.try_emplace(as_title_words ? detail::normalise_words(name.text) : name.text, name.at.line);
  if (!fresh)
    report(name.at, "duplicate-id",
           "expected a unique " + std::string(what) + ", found " + quote(name.text) + " again (first at line " +
               std::to_string(it->second) + ")");
  return fresh;
}

}  // namespace trueup::io::loading
