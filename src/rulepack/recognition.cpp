// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/recognition.cpp
//
// What a rule pack recognises installs by (loader.hpp): publishers with their aliases (unique
// across the pack, since a family names its publisher by either), components (title patterns
// of rows that are no licensable install of their own: updates, language packs), and the
// checks of every title pattern (families, editions, version tokens): a pattern must keep a
// word after normalisation, since one that cannot match would silently recognise nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader.hpp"
#include "trueup/normalise/text.hpp"

namespace trueup::io::loading {

bool matchable(std::string_view pattern) { return detail::normalise_words(pattern).size() > 2; }

std::vector<Located> Loader::patterns(const toml::table& t, std::string_view key) {
  std::vector<Located> out = strings(t, key);
  for (const auto& p : out) check_pattern(p);
  return out;
}
void Loader::check_pattern(const Located& p) {
  if (!matchable(p.text))
    report(p.at, "bad-value", "expected a title pattern with a letter or digit, found " + quote(p.text));
}

void Loader::read_publisher(const toml::table& t, RulePack& pack) {
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

void Loader::read_component(const toml::table& t, RulePack& pack) {
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

void Loader::read_review(const toml::table& t, Family& f) {
  constexpr std::string_view section = "[[family.review]]";
  check_keys(t, section, {"pattern", "reason", "source"});
  ReviewPattern r;
  if (auto s = required_string(t, "pattern", section)) {
    check_pattern(*s);
    r.pattern = s->text;
  }
  if (auto s = required_string(t, "reason", section)) r.reason = s->text;
  if (auto s = required_string(t, "source", section)) r.source = s->text;
  f.review.push_back(std::move(r));
}

std::optional<std::uint16_t> Loader::find_publisher(const RulePack& pack, std::string_view name) const {
  for (std::size_t i = 0; i < pack.publishers.size() && i <= max_indexed; ++i) {
    const auto& p = pack.publishers[i];
    if (p.name == name || std::find(p.aliases.begin(), p.aliases.end(), name) != p.aliases.end())
      return static_cast<std::uint16_t>(i);
  }
  return std::nullopt;
}

}  // namespace trueup::io::loading
