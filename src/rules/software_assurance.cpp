// SPDX-License-Identifier: BSL-1.0
// File: src/rules/software_assurance.cpp
//
// Software Assurance's new-version rights (rules/software_assurance.hpp).
#include "trueup/rules/software_assurance.hpp"

#include <algorithm>

namespace trueup::rules {
namespace {

/// The conversion that lets a licence of `e`'s version and edition become version `v`, if any:
/// one from its version, to a version no later than `v`, made available within [start, last].
const ModelConversion* conversion_to(const Family& f, const Entitlement& e, std::uint16_t v, Date start, Date last) {
  const auto has = [](const std::vector<std::uint16_t>& xs, std::uint16_t x) {
    return std::find(xs.begin(), xs.end(), x) != xs.end();
  };
  for (const ModelConversion& c : f.conversions) {
    if (!has(c.from_versions, e.product.version) || (!c.editions.empty() && !has(c.editions, e.product.edition)))
      continue;
    const Date made = f.versions[c.to].made_available();
    if (c.to <= v && !(made < start) && !(last < made)) return &c;
  }
  return nullptr;
}

}  // namespace

std::optional<NewVersionRight> new_version_right(const RulePack& pack, const Entitlement& e, Date as_of) {
  if (!e.sa_start && !e.sa_end) return std::nullopt;
  const Family& f = pack.family(e.product.family);
  const Date start = e.sa_start ? *e.sa_start : e.purchased ? *e.purchased : f.versions[e.product.version].released;
  if (start > as_of) return std::nullopt;
  const bool lapsed = e.sa_end && *e.sa_end < as_of;
  const Date last = lapsed ? *e.sa_end : as_of;
  std::optional<NewVersionRight> best;
  for (std::size_t i = e.product.version + 1u; i < f.versions.size(); ++i) {
    const auto v = static_cast<std::uint16_t>(i);
    const Date made = f.versions[v].made_available();
    if (made < start || made > last) continue;
    const Metric metric = pack.metric_of({e.product.family, v, e.product.edition});
    if (metric == e.metric) {
      if (!best || best->conversion == nullptr) best = NewVersionRight{v, {}, nullptr, 0, metric, 1};
      continue;
    }
    if (const ModelConversion* c = conversion_to(f, e, v, start, last))
      best = NewVersionRight{v, {}, c, c->to, metric, static_cast<Units>(c->units_per_licence)};
  }
  if (!best) return std::nullopt;
  const VersionSpec& got = f.versions[best->version];
  std::string why = "Software Assurance from " + start.iso() + (e.sa_end ? " to " + e.sa_end->iso() : std::string()) +
                    " was active when " + f.name + " " + got.name + " was made available (" +
                    got.made_available().iso() +
                    (got.available ? " under volume licensing: " + got.available_source : std::string()) + ")";
  if (best->conversion != nullptr)
    why += "; each " + f.versions[e.product.version].name + " licence converts to " +
           std::to_string(best->units_per_licence) + " " + std::string(name(best->metric)) + " licences of " +
           f.versions[best->converted_to].name + " (" + best->conversion->source + ")";
  why += lapsed ? "; it lapsed on " + e.sa_end->iso() +
                      ", and the right to the latest version made available while "
                      "it was active remains (licensing-rules SA1, SA4)"
                : ": new-version rights (licensing-rules SA1)";
  best->why = std::move(why);
  return best;
}

bool software_assurance_active(const Entitlement& e, Date as_of) {
  if (e.channel == Channel::subscription) return true;
  if (!e.sa_start && !e.sa_end) return false;
  const std::optional<Date> start = e.sa_start ? e.sa_start : e.purchased;
  return (!start || !(as_of < *start)) && (!e.sa_end || !(*e.sa_end < as_of));
}

}  // namespace trueup::rules
