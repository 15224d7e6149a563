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
//   With a core factor table (SQL Server 2012/2014, SQL7), a physical server's cores are first
//   multiplied by the factor of its CPU model and rounded up: AMD Opteron 62XX, 2 x 6 cores x
//   0.75 -> 9; a model the table does not list, where a factor other than 1 could apply, goes
//   to review (`unknown_core_factor`). A server of unknown processors or cores is never
//   factored: SQL7's rows are for processors of so many cores, which it does not tell.
// - core, virtual machine (SQL Server per VM, SQL2): the VM's virtual cores, at least
//   `core_minimum_per_vm`.
// - virtualisation (host licensing): one licensing covers `oses_per_licence` OSEs; 0 means
//   unlimited (Datacenter, WS7). More OSEs stack the whole licensing again (2016 and later
//   Standard: WS6), or, where each licence carries its own OSEs, need more licences only when
//   the OSEs need more than the processors (2012 and 2012 R2 Standard: W12-2, W12-4).
//
// Unknown hardware (0 processors or cores) counts as one processor with no cores, i.e. the
// minimums; the position warns when that happens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup::rules {

/// Units and the arithmetic that gave them, for the evidence.
struct UnitCount {
  Units units = 1;
  std::string why;
  /// The terms count with a core factor and the CPU model matches no row of the table:
  /// `units` are the unfactored cores, and the server goes to review (§13 ORACLE, SQL7).
  bool unknown_core_factor = false;
  /// The terms allow at most `socket_limit` occupied sockets and the physical server has more:
  /// no number of these licences makes it compliant (SE2, §13 ORACLE); the server goes to
  /// review with `why` naming the limit.
  bool beyond_socket_limit = false;
  /// A core factor other than 1 lowered the count (SQL7): the count without it (every
  /// physical core, after the minimums), which terms without the factor ask (G4, D6); else 0.
  Units unfactored = 0;
};

/// Units one OSE needs: a physical server (`virtual_machine` false) or a virtual machine
/// licensed on its own (SQL2). `terms` may be null: one unit.
/// `cpu_model` is looked up in the terms' core factor table, when they have one.
[[nodiscard]] UnitCount units_for(const LicensingTerms* terms, std::uint32_t processors, std::uint32_t cores,
                                  bool virtual_machine, std::string_view cpu_model = {});

/// Units a physical server needs for `oses` OSEs under host terms: once for any number when
/// unlimited; else, stacking the whole server, its units once per `oses_per_licence` OSEs
/// (WS6), or, stacking per licence, the units its processors need or one per
/// `oses_per_licence` OSEs, whichever is more (W12-2, W12-4). `host_also`: the physical OSE runs
/// the product too, next to its VMs; it counts as an OSE where the terms say so (2003 R2
/// Standard, §7.3), not where it may only host them (WS11).
[[nodiscard]] UnitCount host_units(const LicensingTerms& terms, std::uint32_t processors, std::uint32_t cores,
                                   std::uint32_t oses, bool host_also = false);

}  // namespace trueup::rules
