// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/rights.cpp
//
// What a family's licences allow, and how they are counted (loader.hpp): downgrade rights
// (`[[family.downgrade]]`), version-scoped down-edition rights (`[[family.down_edition]]`),
// licensing models (`[[family.terms]]`) and reassignment limits (`[[family.reassignment]]`).
// Each must say where it is granted or stated (`source`): a right without its document is not
// shipped. Every edition and version a right names must exist in its family, a downgrade only
// ever goes to versions released before the one it is from, and one that holds while the
// earlier version is supported only to versions whose end of support the pack knows.
#include <algorithm>
#include <cmath>
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

std::vector<Named> Loader::resolve_all(const toml::table& t, std::string_view key, Listed listed_as, const Family& f,
                                       const std::string& label, std::string_view section, bool required) {
  std::vector<Named> out;
  const std::string_view what = listed_as == Listed::editions ? "edition" : "version";
  for (auto& name : listed(t, key, section, what, required))
    if (auto idx = resolve(f, listed_as, label, name)) out.push_back({*idx, std::move(name)});
  return out;
}

void Loader::read_terms(const toml::table& t, Family& f, const std::string& label) {
  constexpr std::string_view section = "[[family.terms]]";
  check_keys(t, section,
             {"name",
              "versions",
              "editions",
              "metric",
              "core_minimum_per_processor",
              "core_minimum_per_server",
              "core_minimum_per_vm",
              "processors_per_licence",
              "socket_limit",
              "named_user_minimum_per_processor",
              "named_user_minimum_per_server",
              "oses_per_licence",
              "ose_stacking",
              "physical_ose_counts",
              "needs_cals",
              "host_licensing",
              "vm_needs_software_assurance",
              "user_pcs",
              "user_tablets",
              "user_phones",
              "core_factor",
              "core_factor_source",
              "source"});
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
  terms.socket_limit = count(t, "socket_limit").value_or(0);
  if (terms.socket_limit > 0 && terms.metric != Metric::processor)
    report(pos(t.get("socket_limit")->source()), "bad-value",
           "expected socket_limit only on terms of metric \"processor\", found metric " +
               quote(std::string(name(terms.metric))));
  terms.named_user_minimum_per_processor = count(t, "named_user_minimum_per_processor").value_or(0);
  terms.named_user_minimum_per_server = count(t, "named_user_minimum_per_server").value_or(0);
  terms.oses_per_licence = count(t, "oses_per_licence").value_or(0);
  if (const toml::node* n = t.get("ose_stacking")) {
    if (auto s = string_value(*n)) {
      if (auto stacking = parse<OseStacking>(s->text))
        terms.stacking = *stacking;
      else
        report(s->at, "bad-value", "expected one of " + word_list<OseStacking>() + ", found " + quote(s->text));
    }
  }
  terms.physical_ose_counts = boolean(t, "physical_ose_counts").value_or(false);
  terms.needs_cals = boolean(t, "needs_cals").value_or(true);
  terms.host_licensing = boolean(t, "host_licensing").value_or(false);
  if (terms.host_licensing && terms.metric != Metric::core && terms.metric != Metric::processor)
    report(pos(t.get("host_licensing")->source()), "bad-value",
           "expected host_licensing only on terms of metric \"core\" or \"processor\", found metric " +
               quote(std::string(name(terms.metric))));
  terms.vm_needs_software_assurance = boolean(t, "vm_needs_software_assurance").value_or(false);
  terms.user_pcs = count(t, "user_pcs").value_or(0);
  terms.user_tablets = count(t, "user_tablets").value_or(0);
  terms.user_phones = count(t, "user_phones").value_or(0);
  read_core_factors(t, terms);
  if (auto s = source_string(t, "the licensing model `" + terms.name + "`", section)) terms.source = s->text;
  f.terms.push_back(std::move(terms));
}

// A factor is a published decimal of at most two places in (0, 1] (0.25, 0.5, 0.75, 1.0 in
// Oracle's table), kept as a whole percentage so that cores x factor rounds up exactly.
void Loader::read_core_factors(const toml::table& t, LicensingTerms& terms) {
  constexpr std::string_view section = "[[family.terms.core_factor]]";
  const auto rows = tables(t, "core_factor");
  if (rows.empty()) return;
  if (terms.metric != Metric::processor && terms.metric != Metric::core)
    report(pos(t.get("core_factor")->source()), "bad-value",
           "expected core_factor only on terms of metric \"processor\" or \"core\", found metric " +
               quote(std::string(name(terms.metric))));
  if (auto s = source_string(t, "the core factor table of `" + terms.name + "`", "[[family.terms]]",
                             "core_factor_source", "stated"))
    terms.core_factor_source = s->text;
  for (const toml::table* row : rows) {
    check_keys(*row, section, {"pattern", "series", "min_cores_per_processor", "factor"});
    CoreFactor cf;
    if (auto p = required_string(*row, "pattern", section)) {
      check_pattern(*p);
      cf.pattern = p->text;
    }
    cf.series = core_factor_series(*row);
    cf.min_cores_per_processor = count(*row, "min_cores_per_processor").value_or(0);
    const toml::node* n = row->get("factor");
    if (n == nullptr) {
      missing(*row, "factor", section);
      continue;
    }
    const auto* f = n->as_floating_point();
    const double value = f != nullptr ? f->get() : 0.0;
    const double percent = value * 100.0;
    if (f == nullptr || !(value > 0.0 && value <= 1.0) || std::abs(percent - std::round(percent)) > 1e-9) {
      report(pos(n->source()), "bad-value",
             "expected a factor such as 0.5 (a decimal in (0, 1], at most two places), found " +
                 (f != nullptr ? std::to_string(value) : std::string(a_type(n->type()))));
      continue;
    }
    cf.factor_percent = static_cast<std::uint32_t>(std::lround(percent));
    terms.core_factors.push_back(std::move(cf));
  }
}

// A series is a model number as the publisher's table writes it, digits and X for any digit
// ("62XX"); kept in lower case, as model words are compared.
std::vector<std::string> Loader::core_factor_series(const toml::table& row) {
  std::vector<std::string> out;
  for (const auto& s : strings(row, "series")) {
    const bool digits_and_x = !s.text.empty() && std::all_of(s.text.begin(), s.text.end(), [](char c) {
      return (c >= '0' && c <= '9') || c == 'X' || c == 'x';
    });
    if (!digits_and_x) {
      report(s.at, "bad-value", "expected a model series of digits and X (\"62XX\"), found " + quote(s.text));
      continue;
    }
    std::string lower = s.text;
    std::replace(lower.begin(), lower.end(), 'X', 'x');
    out.push_back(std::move(lower));
  }
  return out;
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
  check_keys(t, section, {"channel", "editions", "versions", "from", "to", "while_supported", "source"});
  DowngradeRight r;
  if (auto s = required_string(t, "channel", section)) {
    if (auto c = parse<Channel>(s->text))
      r.channel = *c;
    else
      report(s->at, "bad-value", "expected one of oem, retail, volume, subscription, found " + quote(s->text));
  }
  for (const auto& e : resolve_all(t, "editions", Listed::editions, f, label, section, false))
    r.editions.push_back(e.index);

  std::vector<Named> to;
  const toml::node* versions = t.get("versions");
  if (versions != nullptr && (t.get("from") != nullptr || t.get("to") != nullptr)) {
    report(pos(versions->source()), "bad-value",
           "expected either `versions = \"any-earlier\"` or `from` and `to`, found both");
  } else if (versions != nullptr) {
    if (auto s = string_value(*versions)) {
      if (s->text == "any-earlier")
        r.any_earlier = true;
      else
        report(s->at, "bad-value", "expected \"any-earlier\", found " + quote(s->text));
    }
  } else if (t.get("from") == nullptr && t.get("to") == nullptr) {
    report(pos(t.source()), "missing-key",
           "expected key `versions` or keys `from` and `to` in " + std::string(section) + ", found none");
  } else {
    to = read_downgrade_versions(t, f, label, r);
  }
  r.while_supported = boolean(t, "while_supported").value_or(false);
  if (r.while_supported) check_while_supported(t, f, r, to);
  if (auto s = source_string(t, "the downgrade right", section)) r.source = s->text;
  f.downgrades.push_back(std::move(r));
}

std::vector<Named> Loader::read_downgrade_versions(const toml::table& t, const Family& f, const std::string& label,
                                                   DowngradeRight& r) {
  constexpr std::string_view section = "[[family.downgrade]]";
  std::optional<std::uint16_t> from_index;
  std::string from_name;
  if (auto s = required_string(t, "from", section)) {
    from_index = resolve(f, Listed::versions, label, *s);
    from_name = s->text;
  }
  const toml::node* to = t.get("to");
  if (to == nullptr) {
    missing(t, "to", section);
  } else if (const auto* a = to->as_array(); a != nullptr && a->empty()) {
    report(pos(to->source()), "bad-value", "expected at least one earlier version, found []");
  }
  std::vector<Named> kept;
  for (auto& v : strings(t, "to")) {
    const auto idx = resolve(f, Listed::versions, label, v);
    if (!idx || !from_index) continue;
    if (*idx >= *from_index) {
      report(v.at, "bad-value", "expected a version released before `" + from_name + "`, found " + quote(v.text));
      continue;
    }
    r.to.push_back(*idx);
    kept.push_back({*idx, std::move(v)});
  }
  if (from_index) r.from = *from_index;
  return kept;
}

// "Only for as long as Microsoft provides support for that earlier version" (§5.2): the right
// cannot be applied to a version whose end of support the pack does not know.
void Loader::check_while_supported(const toml::table& t, const Family& f, const DowngradeRight& r,
                                   const std::vector<Named>& to) {
  for (const auto& v : to)
    if (!f.versions[v.index].support_end)
      report(v.name.at, "bad-value",
             "expected a version with a `support_end` (`while_supported`: the right holds while it is supported), "
             "found " +
                 quote(v.name.text));
  if (!r.any_earlier) return;
  // Any earlier version: every version but the latest may be run under the right.
  std::vector<std::string> unsupported;
  for (std::size_t i = 0; i + 1 < f.versions.size(); ++i)
    if (!f.versions[i].support_end) unsupported.push_back(f.versions[i].name);
  if (!unsupported.empty())
    report(pos(t.get("while_supported")->source()), "bad-value",
           "expected a `support_end` in every earlier version (`while_supported` with `versions = \"any-earlier\"`), "
           "found none in " +
               join(unsupported, ", "));
}

// Rights that hold for every version are the editions' own (`covers` of [[family.edition]]);
// this one names the licence versions and the versions it covers (§5.3: Windows Server 2012
// and later Standard and Datacenter may run 2008 R2 Enterprise and earlier). The edition it
// covers may rank above the licence's, so no rank is checked.
void Loader::read_down_edition(const toml::table& t, Family& f, const std::string& label) {
  constexpr std::string_view section = "[[family.down_edition]]";
  check_keys(t, section, {"editions", "versions", "covers", "up_to", "source"});
  DownEditionRight r;
  for (const auto& e : resolve_all(t, "editions", Listed::editions, f, label, section, true))
    r.editions.push_back(e.index);
  const auto versions = resolve_all(t, "versions", Listed::versions, f, label, section, true);
  for (const auto& v : versions) r.versions.push_back(v.index);
  for (const auto& c : resolve_all(t, "covers", Listed::editions, f, label, section, true)) r.covers.push_back(c.index);
  if (auto s = required_string(t, "up_to", section)) {
    if (auto idx = resolve(f, Listed::versions, label, *s)) {
      r.up_to = *idx;
      const auto earliest = std::min_element(versions.begin(), versions.end(),
                                             [](const Named& a, const Named& b) { return a.index < b.index; });
      if (earliest != versions.end() && earliest->index <= *idx)
        report(s->at, "bad-value",
               "expected a version released before `" + earliest->name.text + "` (the earliest of `versions`), found " +
                   quote(s->text));
    }
  }
  if (auto s = source_string(t, "the down-edition right", section)) r.source = s->text;
  f.down_editions.push_back(std::move(r));
}

}  // namespace trueup::io::loading
