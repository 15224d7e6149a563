// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/upgrade_rights.cpp
//
// Licences that stand on others (loader.hpp): upgrade licences, which cover a device only with
// a qualifying licence of their own family (`[[family.upgrade]]`, licensing-rules O4, O5), and
// Software Assurance conversions from one licensing model to another (`[[family.conversion]]`,
// SA5). As with every right, each must say where it is granted (`source`) and every edition and
// version it names must exist in its family.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader.hpp"

namespace trueup::io::loading {

std::optional<Channel> Loader::channel(const Located& word, std::optional<Channel> except, std::string_view why) {
  const auto c = parse<Channel>(word.text);
  if (c && c != except) return c;
  report(word.at, "bad-value",
         "expected one of " + word_list<Channel>(except) +
             (except && !why.empty() ? " (" + std::string(why) + ")" : std::string()) + ", found " + quote(word.text));
  return std::nullopt;
}

// Upgrade licences of `channels` need a qualifying licence of `qualifying_channels` (and
// `qualifying_editions`) on the same device. A channel sells either upgrades or full licences,
// so each channel is in one rule of a family.
void Loader::read_upgrade(const toml::table& t, Family& f, const std::string& label) {
  constexpr std::string_view section = "[[family.upgrade]]";
  check_keys(t, section, {"channels", "qualifying_channels", "qualifying_editions", "bound_without_sa", "source"});
  UpgradeRule u;
  for (const auto& word : listed(t, "channels", section, "channel", true)) {
    const auto c = channel(word, Channel::oem, "OEM licences are qualifying licences, not upgrades: O4");
    if (!c) continue;
    if (f.upgrade_rule(*c) != nullptr || std::find(u.channels.begin(), u.channels.end(), *c) != u.channels.end())
      report(word.at, "bad-value",
             "expected each channel in one [[family.upgrade]], found " + quote(word.text) + " again");
    else
      u.channels.push_back(*c);
  }
  for (const auto& word : listed(t, "qualifying_channels", section, "channel", true))
    if (const auto c = channel(word);
        c && std::find(u.qualifying_channels.begin(), u.qualifying_channels.end(), *c) == u.qualifying_channels.end())
      u.qualifying_channels.push_back(*c);
  for (const auto& e : resolve_all(t, "qualifying_editions", Listed::editions, f, label, section, false))
    u.qualifying_editions.push_back(e.index);
  u.bound_without_sa = boolean(t, "bound_without_sa").value_or(false);
  if (auto s = source_string(t, "the upgrade rule", section)) u.source = s->text;
  f.upgrades.push_back(std::move(u));
}

// A licence of `from` (with Software Assurance active when `to` was made available) converts to
// `units_per_licence` licences of `to`, a later version licensed under another model.
void Loader::read_conversion(const toml::table& t, Family& f, const std::string& label) {
  constexpr std::string_view section = "[[family.conversion]]";
  check_keys(t, section, {"from", "editions", "to", "units_per_licence", "source"});
  ModelConversion c;
  const auto from = resolve_all(t, "from", Listed::versions, f, label, section, true);
  for (const auto& e : resolve_all(t, "editions", Listed::editions, f, label, section, false))
    c.editions.push_back(e.index);
  std::optional<std::uint16_t> to;
  std::string to_name;
  if (auto s = required_string(t, "to", section)) {
    to = resolve(f, Listed::versions, label, *s);
    to_name = s->text;
  }
  // Versions are in release order (version-order), so index order is release order.
  for (const auto& v : from) {
    if (to && v.index >= *to)
      report(v.name.at, "bad-value",
             "expected a version released before `" + to_name + "` (the version it converts to), found " +
                 quote(v.name.text));
    else
      c.from_versions.push_back(v.index);
  }
  if (to) c.to = *to;
  if (t.get("units_per_licence") == nullptr) missing(t, "units_per_licence", section);
  if (auto units = count(t, "units_per_licence")) {
    if (*units == 0)
      report(pos(t.get("units_per_licence")->source()), "bad-value", "expected units_per_licence >= 1, found 0");
    else
      c.units_per_licence = *units;
  }
  if (auto s = source_string(t, "the conversion", section)) c.source = s->text;
  f.conversions.push_back(std::move(c));
}

}  // namespace trueup::io::loading
