// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/rights.cpp
//
// What a family's licences allow, and how they are counted (loader.hpp): downgrade rights
// (`[[family.downgrade]]`), licensing models (`[[family.terms]]`) and reassignment limits
// (`[[family.reassignment]]`). Each must say where it is granted or stated (`source`): a right
// without its document is not shipped. Every edition and version a right names must exist in
// its family, and a downgrade only ever goes to versions released before the one it is from.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader.hpp"

namespace trueup::io::loading {

std::optional<std::uint16_t> Loader::resolve(const Family& f, Listed listed, const std::string& label,
                                             const Located& name) {
  const bool editions = listed == Listed::editions;
  if (auto found = editions ? f.find_edition(name.text) : f.find_version(name.text)) return found;
  std::vector<std::string> names;
  if (editions)
    for (const auto& e : f.editions) names.push_back(e.name);
  else
    for (const auto& v : f.versions) names.push_back(v.name);
  report(name.at, editions ? "unknown-edition" : "unknown-version",
         std::string(editions ? "expected an edition of " : "expected a version of ") + label + " (" +
             join(names, ", ") + "), found " + quote(name.text));
  return std::nullopt;
}

void Loader::read_terms(const toml::table& t, Family& f, const std::string& label) {
  constexpr std::string_view section = "[[family.terms]]";
  check_keys(t, section,
             {"name", "versions", "editions", "metric", "core_minimum_per_processor", "core_minimum_per_server",
              "core_minimum_per_vm", "processors_per_licence", "oses_per_licence", "user_pcs", "user_tablets",
              "user_phones", "source"});
  LicensingTerms terms;
  if (auto s = required_string(t, "name", section)) terms.name = s->text;
  if (t.get("versions") == nullptr) missing(t, "versions", section);
  for (const auto& v : strings(t, "versions"))
    if (auto idx = resolve(f, Listed::versions, label, v)) terms.versions.push_back(*idx);
  for (const auto& e : strings(t, "editions"))
    if (auto idx = resolve(f, Listed::editions, label, e)) terms.editions.push_back(*idx);
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

void Loader::read_reassignment(const toml::table& t, Family& f) {
  constexpr std::string_view section = "[[family.reassignment]]";
  check_keys(t, section, {"channels", "days", "source"});
  ReassignmentRule r;
  if (t.get("channels") == nullptr) missing(t, "channels", section);
  for (const auto& c : strings(t, "channels")) {
    const auto channel = parse<Channel>(c.text);
    if (!channel || *channel == Channel::oem)
      report(c.at, "bad-value",
             "expected one of retail, volume, subscription (an OEM licence never moves, O1), found " + quote(c.text));
    else if (f.reassignment_rule(*channel) != nullptr)
      report(c.at, "bad-value",
             "expected each channel in one [[family.reassignment]], found " + quote(c.text) + " again");
    else
      r.channels.push_back(*channel);
  }
  if (t.get("days") == nullptr) missing(t, "days", section);
  r.days = count(t, "days").value_or(90);
  if (auto s = source_string(t, "the reassignment limit", section)) r.source = s->text;
  f.reassignment.push_back(std::move(r));
}

void Loader::read_downgrade(const toml::table& t, Family& f, const std::string& label) {
  constexpr std::string_view section = "[[family.downgrade]]";
  check_keys(t, section, {"channel", "editions", "versions", "from", "to", "source"});
  DowngradeRight r;
  if (auto s = required_string(t, "channel", section)) {
    if (auto c = parse<Channel>(s->text))
      r.channel = *c;
    else
      report(s->at, "bad-value", "expected one of oem, retail, volume, subscription, found " + quote(s->text));
  }
  if (const toml::node* n = t.get("editions")) {
    if (const auto* a = n->as_array(); a != nullptr && a->empty())
      report(pos(n->source()), "bad-value",
             "expected at least one edition (leave `editions` out for every edition), found []");
    for (const auto& e : strings(t, "editions"))
      if (auto idx = resolve(f, Listed::editions, label, e)) r.editions.push_back(*idx);
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
      from_index = resolve(f, Listed::versions, label, *s);
      from_name = s->text;
    }
    if (to == nullptr) {
      missing(t, "to", section);
    } else if (const auto* a = to->as_array(); a != nullptr && a->empty()) {
      report(pos(to->source()), "bad-value", "expected at least one earlier version, found []");
    }
    for (const auto& v : strings(t, "to")) {
      const auto idx = resolve(f, Listed::versions, label, v);
      if (!idx || !from_index) continue;
      if (*idx >= *from_index) {
        report(v.at, "bad-value", "expected a version released before `" + from_name + "`, found " + quote(v.text));
        continue;
      }
      r.to.push_back(*idx);
    }
    if (from_index) r.from = *from_index;
  }
  if (auto s = source_string(t, "the downgrade right", section)) r.source = s->text;
  f.downgrades.push_back(std::move(r));
}

}  // namespace trueup::io::loading
