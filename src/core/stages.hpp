// SPDX-License-Identifier: BSL-1.0
// File: src/core/stages.hpp
//
// The stages of reconcile() after normalisation and supply, and what they share. Before them,
// settle_core_factors (core_factor.cpp) settles which terms count a server of the SQL Server
// 2012/2014 core factor (SQL7; G4, D6). Data flows
// one way: each stage reads the run's inputs (`Run`, never changed), takes licence units only
// through the `Ledger`, fills the demands it owns (`Work::fills`), records what it leaves
// short (`Work::true_ups`), and writes its own part of the position. In order:
//
//   bound_stage      OEM and locked licences on their own device        bound_stage.cpp
//   transport_stage  per-device demands: classes x pools, solved         transport_stage.cpp
//   host_stage       whole servers under one licensing model each         host_stage.cpp
//   user_stage       per-user licences and the devices they cover         user_stage.cpp
//   access_stage     client access licences                               access_stage.cpp
//   write_verdicts   one verdict with evidence per install                verdicts.cpp
//   write_totals     per-product rows and totals                          totals.cpp
//   next_assignments what the next run reads as history                   next_assignments.cpp
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ledger.hpp"
#include "core/pricing.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/demand/rule_step.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/position.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/rules/reassignment.hpp"
#include "trueup/solver/status.hpp"

namespace trueup::core {

/// What every stage reads: the run's inputs and what normalisation and supply made of them.
struct Run {
  const RulePack& pack;
  const Fleet& fleet;
  const Normalised& norm;
  const Supply& supply;
  const Holdings& holdings;
  Date as_of;
};

/// One demand's share of the licences, built up by the stages that serve its kind.
struct DemandFill {
  Metric metric = Metric::device;  ///< what the units count (a host's model, a user licence)
  Units demanded = 0;
  Units remaining = 0;
  std::uint32_t carrier = UINT32_MAX;  ///< per-user: the demand whose user licence covers this one
  std::vector<Allocation> licences;
  std::vector<RuleStep> evidence;
};

/// Shortfall units of a stage and the unit price that buys them (nullopt: unknown).
struct TrueUp {
  ProductRef product;
  Metric metric;
  std::optional<Quote> price;
  Units units;
  /// The edition the cheapest fix buys, when not the product's own (a Standard server whose
  /// cheapest licensing is Datacenter).
  std::optional<std::uint16_t> buy_edition = std::nullopt;
};

/// Why a per-device demand of a transport class is short: the units of the licences that may
/// cover it (all in use when > 0), or why the first refused licence could not.
struct ShortfallNote {
  Units eligible_units = 0;
  std::string refusal;
  bool refusal_of_own_edition = false;  ///< refused a licence of the demand's own edition: says most
};

/// What the stages write as they go.
struct Work {
  Ledger ledger;
  std::vector<DemandFill> fills;            ///< per demand
  std::vector<TrueUp> true_ups;             ///< what each stage leaves short, priced
  std::vector<std::string> carrier_reason;  ///< per demand: covered by another's user licence
  std::vector<std::uint32_t> demand_note;   ///< per demand: index into notes, or UINT32_MAX
  std::vector<ShortfallNote> notes;         ///< per transport class
  /// Sorted by demand: why the device's own bound licence could not cover a demand that no
  /// bound licence covers (an OEM downgrade right that ended, say).
  std::vector<std::pair<std::uint32_t, std::string>> bound_refusals;
};

/// Demands that compete for their device's bound licences, which the transport stage then
/// solves; the bound stage covered every other demand it could.
struct Contested {
  std::vector<bool> demand;                               ///< per demand
  std::map<DeviceIndex, std::vector<std::size_t>> pools;  ///< device -> its contested bound pools
};

/// SQL7 under G4 and D6 (core_factor.cpp): a demand counted with the core factor that no
/// licence held whose terms carry the factor may cover counts every core instead.
void settle_core_factors(const RulePack& pack, const Supply& supply, Date as_of, Normalised& norm);
/// The demand counted with the core factor that the stages so far left most short (ties: the
/// greatest install id), or none; one per round, so that the licences it held may wholly
/// cover another factored demand when solved again.
[[nodiscard]] std::vector<std::uint32_t> short_factored(const Fleet& fleet, const Normalised& norm, const Work& work);
/// Sends the installs of `demands` (from short_factored) to review with the reason; the
/// demands then need nothing.
void review_factored(const RulePack& pack, const std::vector<std::uint32_t>& demands, Normalised& norm);
/// The evidence of a demand that counts every core although its install's terms have the core
/// factor, or nullopt.
[[nodiscard]] std::optional<RuleStep> every_core_evidence(const RulePack& pack, const Demand& dem);

[[nodiscard]] Contested bound_stage(const Run& run, Work& work);
/// Reports the end of each step that ReconcileOptions::on_stage names.
using StageDone = std::function<void(Stage)>;

[[nodiscard]] SolveStatus transport_stage(const Run& run, const Contested& contested, SolveOptions options,
                                          const StageDone& done, Work& work, Position& pos);
[[nodiscard]] SolveStatus host_stage(const Run& run, Work& work, Position& pos);
void user_stage(const Run& run, Work& work, Position& pos);
[[nodiscard]] SolveStatus access_stage(const Run& run, Work& work, Position& pos);
/// \pre `norm` is the Normalised `run` refers to: its exclusion reasons move to the verdicts.
void write_verdicts(const Run& run, Normalised& norm, Work& work, std::size_t ranges, Position& pos);
void write_totals(const Run& run, const Work& work, Position& pos);
[[nodiscard]] std::vector<LicenceAssignment> next_assignments(const Run& run, Position& pos);

}  // namespace trueup::core
