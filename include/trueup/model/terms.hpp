// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/terms.hpp
//
// How a family's licences are assigned (to a device, a host, a user, an access) and counted
// (licensing terms: metric, minimums, virtualisation rights). Data of the rule pack
// (model/catalog.hpp); rules/metric_units.hpp applies the terms.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "trueup/enum_table.hpp"
#include "trueup/model/licensing.hpp"

namespace trueup {

/// What a family's licences are assigned to, which decides how demand is formed
/// (normalise.hpp):
/// - `device`: each device (or virtual OSE) that runs the product needs its own licence
///   units (Office, Windows client: DT1; SQL Server per core: SQL1, SQL2, SQL9);
/// - `host`: the physical server is licensed for every OSE that runs on it, physical and
///   virtual (Windows Server: WS8, W12-2, §7.3);
/// - `user`: a named user's licence covers that user's devices up to the terms' allowances,
///   and a per-device licence is the alternative (Microsoft 365 Apps: DT3);
/// - `access`: client access licences, demanded by the users and devices that access
///   servers (CAL1, CAL2), not by installs.
enum class Assignment : std::uint8_t { device, host, user, access };

template <>
struct EnumTable<Assignment> {
  static constexpr std::array<EnumEntry<Assignment>, 4> entries{{{Assignment::device, "device", "device"},
                                                                 {Assignment::host, "host", "host"},
                                                                 {Assignment::user, "user", "user"},
                                                                 {Assignment::access, "access", "access"}}};
};

/// How a licensing model's licences stack for more OSEs (LicensingTerms::stacking).
enum class OseStacking : std::uint8_t { whole_server, per_licence };

template <>
struct EnumTable<OseStacking> {
  static constexpr std::array<EnumEntry<OseStacking>, 2> entries{
      {{OseStacking::whole_server, "whole_server", "whole-server"},
       {OseStacking::per_licence, "per_licence", "per-licence"}}};
};

/// One row of a core factor table: processors whose model matches `pattern` (title words, any
/// case) count `factor_percent` / 100 of a licence per physical core (Oracle Processor Core
/// Factor Table: Intel and AMD x86 0.5, licensing-rules §13 ORACLE). A row may further require
/// one of `series`, model numbers where X stands for any digit ("62XX" matches the word 6234 of
/// "AMD Opteron(tm) Processor 6234"), and at least `min_cores_per_processor` physical cores per
/// processor (SQL Server 2012/2014 Core Factor Table: "AMD 31XX, 32XX, 41XX, 42XX, 61XX, 62XX
/// Series Processors with 6 or more cores 0.75", licensing-rules SQL7).
struct CoreFactor {
  std::string pattern;
  std::vector<std::string> series;  ///< lower case; empty: any model the pattern matches
  std::uint32_t min_cores_per_processor = 0;
  std::uint32_t factor_percent = 100;
};

/// The licensing model of some versions and editions of a family: the metric their licences
/// count in, the minimums that turn hardware into units, and the virtualisation rights
/// (rules/metric_units.hpp applies them). "The licence held sets the model" (G4, §7.4): the
/// terms of the *licence's* version and edition decide the units a server needs.
struct LicensingTerms {
  std::string name;                     ///< the model as reports name it: "per core (2016+)"
  std::vector<std::uint16_t> versions;  ///< the versions these terms apply to (sorted)
  std::vector<std::uint16_t> editions;  ///< and editions (empty: all)
  Metric metric = Metric::device;
  std::uint32_t core_minimum_per_processor = 0;  ///< WS2: 8; SQL1: 4
  std::uint32_t core_minimum_per_server = 0;     ///< WS3: 16
  std::uint32_t core_minimum_per_vm = 0;         ///< SQL2: a VM's virtual cores, at least 4
  std::uint32_t processors_per_licence = 1;      ///< W12-1: one licence covers 2 processors
  /// `processor` metric: the most occupied sockets a physical server may have to be licensed
  /// under these terms at all; 0 = no limit. Oracle Database Standard Edition 2 "may only be
  /// licensed on servers that have a maximum capacity of 2 sockets" (§13 ORACLE): a server
  /// beyond it goes to review, however many licences are held.
  std::uint32_t socket_limit = 0;
  /// Named User Plus, where the family also counts licences in the `user` metric: a server
  /// needs the greater of its named users and these minimums, per Processor as the Processor
  /// metric counts them (Oracle Database Enterprise Edition: 25) and per server (Standard
  /// Edition 2: 10), §13 ORACLE; normalise/named_users.hpp.
  std::uint32_t named_user_minimum_per_processor = 0;
  std::uint32_t named_user_minimum_per_server = 0;
  /// `processor` metric counted per core: physical cores x the factor of the first row whose
  /// pattern the device's CPU model matches, rounded up per server (Oracle Processor metric,
  /// §13 ORACLE); a server whose model matches no row goes to review, never a guessed factor.
  /// `core` metric: a physical server's cores x the factor, rounded up, before the minimums
  /// (SQL Server 2012/2014, SQL7: "Multiply cores by factor, round up, minimum 4 per
  /// processor"); not a VM's virtual cores (SQL7: physical cores only). A model matching no row
  /// goes to review only where some row could change the count (its factor is not 1 and the
  /// server has the cores per processor it asks for): elsewhere every listed factor is 1.
  std::vector<CoreFactor> core_factors;
  std::string core_factor_source;
  /// OSEs (virtual machines) one licensing covers; 0 = unlimited. Standard 2 (WS6, W12-2),
  /// Datacenter unlimited (WS7), 2008 Enterprise 4 (§7.3).
  std::uint32_t oses_per_licence = 0;
  /// How licences stack for more OSEs: the whole server licensed again for every
  /// `oses_per_licence` more (2016 and later: WS6), or each licence carrying its own OSEs, so
  /// that a server needs the licences its processors need or its OSEs need, whichever is more
  /// (2012 and 2012 R2: W12-1, W12-2, W12-4: four processors and four VMs, two licences).
  OseStacking stacking = OseStacking::whole_server;
  /// The physical OSE counts as one of the OSEs even when it only hosts the VMs (Windows
  /// Server 2003 and 2003 R2 Standard: the host and each guest need a licence, §7.3); from
  /// 2008 on, a physical OSE that only runs the virtualisation is not counted (WS11).
  bool physical_ose_counts = false;
  /// Servers licensed under these terms need client access licences for their users (CAL1);
  /// Essentials does not (W12-3).
  bool needs_cals = true;
  /// `device` families licensed per core: a physical host whose every physical core is licensed
  /// under these terms covers the VMs on it that run editions these licences cover, instead of
  /// each VM's virtual cores (SQL Server Enterprise, licensing-rules SQL4). Without Software
  /// Assurance or subscription it covers as many VMs as core licences: each VM beyond them
  /// needs one more core licence (normalise.hpp chooses, per host, the cheaper of the two).
  bool host_licensing = false;
  /// A VM licensed on its own (by its virtual cores, SQL2) needs licences with Software
  /// Assurance active on the as-of date, or subscriptions (SQL Server 2022 Product Terms:
  /// licensing-rules SQL3). Applied with the licence's terms (G4).
  bool vm_needs_software_assurance = false;
  /// `user` metric: devices one user licence covers, by kind (DT3: 5 PCs/Macs, 5 tablets,
  /// 5 phones).
  std::uint32_t user_pcs = 0;
  std::uint32_t user_tablets = 0;
  std::uint32_t user_phones = 0;
  std::string source;

  [[nodiscard]] bool applies(std::uint16_t version, std::uint16_t edition) const {
    const auto has = [](const std::vector<std::uint16_t>& v, std::uint16_t x) {
      return std::find(v.begin(), v.end(), x) != v.end();
    };
    return has(versions, version) && (editions.empty() || has(editions, edition));
  }
};

}  // namespace trueup
