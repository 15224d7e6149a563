// SPDX-License-Identifier: BSL-1.0
// File: src/rules/metric_units.cpp
//
// Licence units under a licensing model (rules/metric_units.hpp), with the arithmetic in words
// for the evidence.
#include "trueup/rules/metric_units.hpp"

#include <algorithm>

namespace trueup::rules {

namespace {
std::string plural(Units n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}
}  // namespace

UnitCount units_for(const LicensingTerms* terms, std::uint32_t processors, std::uint32_t cores, bool virtual_machine) {
  if (terms == nullptr) return {1, "one licence per device"};
  const Units p = std::max<Units>(processors, 1);
  switch (terms->metric) {
    case Metric::device: return {1, "one licence per device"};
    case Metric::server: return {1, "one licence per server"};
    case Metric::user: return {1, "one licence per user"};
    case Metric::user_cal: return {1, "one CAL per user"};
    case Metric::device_cal: return {1, "one CAL per device"};
    case Metric::processor: {
      const Units per = std::max<Units>(terms->processors_per_licence, 1);
      const Units n = (p + per - 1) / per;
      return {n, plural(p, "processor", "processors") +
                     (per > 1 ? ", " + std::to_string(per) + " per licence" : std::string()) + " → " +
                     plural(n, "processor licence", "processor licences")};
    }
    case Metric::core: {
      const Units c = cores;
      if (virtual_machine && terms->core_minimum_per_vm > 0) {
        const Units n = std::max<Units>(terms->core_minimum_per_vm, c);
        return {n, plural(c, "virtual core", "virtual cores") + ", at least " +
                       std::to_string(terms->core_minimum_per_vm) + " per VM → " +
                       plural(n, "core licence", "core licences")};
      }
      const Units per_proc = p * terms->core_minimum_per_processor;
      // At least one unit: terms without minimums and a server of unknown cores still need one.
      const Units n = std::max({Units{1}, c, per_proc, static_cast<Units>(terms->core_minimum_per_server)});
      std::string why = plural(p, "processor", "processors") + ", " + plural(c, "physical core", "physical cores");
      if (terms->core_minimum_per_processor > 0)
        why += ", at least " + std::to_string(terms->core_minimum_per_processor) + " per processor";
      if (terms->core_minimum_per_server > 0)
        why += ", at least " + std::to_string(terms->core_minimum_per_server) + " per server";
      return {n, why + " → " + plural(n, "core licence", "core licences")};
    }
  }
  return {1, "one licence"};
}

UnitCount host_units(const LicensingTerms& terms, std::uint32_t processors, std::uint32_t cores, std::uint32_t oses) {
  UnitCount base = units_for(&terms, processors, cores, false);
  if (terms.oses_per_licence == 0) {
    base.why += "; " + plural(oses, "OSE", "OSEs") + ", unlimited OSEs";
    return base;
  }
  const Units per = terms.oses_per_licence;
  const Units stacks = std::max<Units>(1, (static_cast<Units>(oses) + per - 1) / per);
  base.why += "; " + plural(oses, "OSE", "OSEs") + " at " + std::to_string(per) + " per licensing";
  if (stacks > 1) base.why += " → ×" + std::to_string(stacks) + " = " + std::to_string(base.units * stacks);
  base.units *= stacks;
  return base;
}

}  // namespace trueup::rules
