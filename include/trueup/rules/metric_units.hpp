// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/metric_units.hpp
//
// Rule: how many licence units a device, a virtual machine or a whole server needs under a
// licensing model. The numbers are data (`LicensingTerms`, from the rule pack); this header
// only applies them:
//
// - device, server, user and CAL metrics: one unit (Office, Windows client per device, DT1;
//   Windows Server 2008 R2 and earlier per server, §7.3; a user licence, DT3; a CAL, CAL1).
// - processor: every physical processor, `processors_per_licence` of them per licence
//   (Windows Server 2012 / 2012 R2: 2, W12-1; 2008 R2 Datacenter: 1, §7.3).
// - core, physical: every physical core, at least `core_minimum_per_processor` per processor
//   and `core_minimum_per_server` per server (Windows Server 2016+: 8 and 16, WS1-WS3; SQL
//   Server: 4 per processor, SQL1). The datasheet's pack table (WS9) follows: 2 processors x
//   4 cores -> 16, 4 x 4 -> 32.
// - core, virtual machine (SQL Server per VM, SQL2): the VM's virtual cores, at least
//   `core_minimum_per_vm`.
// - virtualisation (host licensing): one full licensing of the server covers
//   `oses_per_licence` OSEs; more OSEs stack the whole licensing again (Standard: 2 per
//   licensing, WS6, W12-2); 0 means unlimited (Datacenter, WS7).
//
// Unknown hardware (0 processors or cores) counts as one processor with no cores, i.e. the
// minimums; the position warns when that happens.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup::rules {

/// Units and the arithmetic that gave them, for the evidence.
struct UnitCount {
  Units units = 1;
  std::string why;
};

namespace detail {
inline std::string plural(Units n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}
}  // namespace detail

/// Units one OSE needs: a physical server (`virtual_machine` false) or a virtual machine
/// licensed on its own (SQL2). `terms` may be null: one unit.
[[nodiscard]] inline UnitCount units_for(const LicensingTerms* terms, std::uint32_t processors, std::uint32_t cores,
                                         bool virtual_machine) {
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
      return {n, detail::plural(p, "processor", "processors") +
                     (per > 1 ? ", " + std::to_string(per) + " per licence" : std::string()) + " → " +
                     detail::plural(n, "processor licence", "processor licences")};
    }
    case Metric::core: {
      const Units c = cores;
      if (virtual_machine && terms->core_minimum_per_vm > 0) {
        const Units n = std::max<Units>(terms->core_minimum_per_vm, c);
        return {n, detail::plural(c, "virtual core", "virtual cores") + ", at least " +
                       std::to_string(terms->core_minimum_per_vm) + " per VM → " +
                       detail::plural(n, "core licence", "core licences")};
      }
      const Units per_proc = p * terms->core_minimum_per_processor;
      // At least one unit: terms without minimums and a server of unknown cores still need one.
      const Units n = std::max({Units{1}, c, per_proc, static_cast<Units>(terms->core_minimum_per_server)});
      std::string why = detail::plural(p, "processor", "processors") + ", " +
                        detail::plural(c, "physical core", "physical cores");
      if (terms->core_minimum_per_processor > 0)
        why += ", at least " + std::to_string(terms->core_minimum_per_processor) + " per processor";
      if (terms->core_minimum_per_server > 0)
        why += ", at least " + std::to_string(terms->core_minimum_per_server) + " per server";
      return {n, why + " → " + detail::plural(n, "core licence", "core licences")};
    }
  }
  return {1, "one licence"};
}

/// Units a physical server needs for `oses` OSEs under host terms: the whole server's units,
/// once per `oses_per_licence` OSEs (stacking), once for any number when unlimited.
[[nodiscard]] inline UnitCount host_units(const LicensingTerms& terms, std::uint32_t processors, std::uint32_t cores,
                                          std::uint32_t oses) {
  UnitCount base = units_for(&terms, processors, cores, false);
  if (terms.oses_per_licence == 0) {
    base.why += "; " + detail::plural(oses, "OSE", "OSEs") + ", unlimited OSEs";
    return base;
  }
  const Units per = terms.oses_per_licence;
  const Units stacks = std::max<Units>(1, (static_cast<Units>(oses) + per - 1) / per);
  base.why += "; " + detail::plural(oses, "OSE", "OSEs") + " at " + std::to_string(per) + " per licensing";
  if (stacks > 1) base.why += " → ×" + std::to_string(stacks) + " = " + std::to_string(base.units * stacks);
  base.units *= stacks;
  return base;
}

}  // namespace trueup::rules
