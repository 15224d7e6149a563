// SPDX-License-Identifier: BSL-1.0
// File: src/rules/software_assurance.cpp
//
// Software Assurance's new-version rights (rules/software_assurance.hpp).
#include "trueup/rules/software_assurance.hpp"

namespace trueup::rules {

std::optional<NewVersionRight> new_version_right(const RulePack& pack, const Entitlement& e, Date as_of) {
  if (!e.sa_start && !e.sa_end) return std::nullopt;
  const Family& f = pack.family(e.product.family);
  const Date start = e.sa_start ? *e.sa_start : e.purchased ? *e.purchased : f.versions[e.product.version].released;
  if (start > as_of) return std::nullopt;
  const bool lapsed = e.sa_end && *e.sa_end < as_of;
  const Date last = lapsed ? *e.sa_end : as_of;
  std::optional<std::uint16_t> best;
  for (std::size_t i = e.product.version + 1u; i < f.versions.size(); ++i) {
    const auto v = static_cast<std::uint16_t>(i);
    const Date released = f.versions[v].released;
    if (released < start || released > last) continue;
    if (pack.metric_of({e.product.family, v, e.product.edition}) != e.metric) continue;
    best = v;
  }
  if (!best) return std::nullopt;
  const VersionSpec& got = f.versions[*best];
  std::string why = "Software Assurance from " + start.iso() + (e.sa_end ? " to " + e.sa_end->iso() : std::string()) +
                    " was active when " + f.name + " " + got.name + " was made available (" + got.released.iso() + ")";
  why += lapsed ? "; it lapsed on " + e.sa_end->iso() +
                      ", and the right to the latest version made available while "
                      "it was active remains (licensing-rules SA1, SA4)"
                : ": new-version rights (licensing-rules SA1)";
  return NewVersionRight{*best, std::move(why)};
}

}  // namespace trueup::rules
