// SPDX-License-Identifier: BSL-1.0
// File: trueup/reconcile.hpp
//
// The pipeline, one pure function: normalise installs into demands, group entitlements into
// pools, apply bound (OEM) licences on their own devices, solve the per-device demands as a
// transportation problem, license whole servers, per-user licences and CALs exactly, and hand
// the units back to installs in id order. Same inputs, same Position, byte for byte.
// docs/architecture.md draws the stages and names the file of each.
//
// **Example**:
//
//     trueup::Position p = trueup::reconcile(pack, fleet);
//     for (const auto& row : p.products)
//       std::printf("%s: short %lld\n", pack.product_name(row.product).c_str(), (long long)row.shortfall_units);
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include "trueup/enum_table.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/solver/status.hpp"

namespace trueup {

/// The stages of a run, in order, as reported when each ends (ReconcileOptions::on_stage).
/// `read` and `write` belong to the callers that read the files and write the report.
enum class Stage : std::uint8_t { read, normalise, supply, classify, solve, deaggregate, verdicts, write };

template <>
struct EnumTable<Stage> {
  static constexpr std::array<EnumEntry<Stage>, 8> entries{{{Stage::read, "read", "read"},
                                                            {Stage::normalise, "normalise", "normalise"},
                                                            {Stage::supply, "supply", "supply"},
                                                            {Stage::classify, "classify", "classify"},
                                                            {Stage::solve, "solve", "solve"},
                                                            {Stage::deaggregate, "deaggregate", "de-aggregate"},
                                                            {Stage::verdicts, "verdicts", "verdicts"},
                                                            {Stage::write, "write", "write"}}};
};

struct ReconcileOptions {
  SolveOptions solve{};
  /// Threads the stages that split by install may use (recognition and exclusion in
  /// normalise, the verdicts). The result does not depend on it: each thread works on a
  /// contiguous range of installs and the ranges are joined in order.
  unsigned threads = 1;
  /// Called as each stage ends, on the calling thread: for progress reporting and timing.
  /// It observes only; the result does not depend on it.
  std::function<void(Stage)> on_stage;
  /// The date the position is taken on (default: today, UTC). Devices retired after it still
  /// count, installs first seen after it do not, licences bought after it do not, subscriptions
  /// count within their term, Software Assurance grants the versions made available during its
  /// term up to it, and the 90-day reassignment rule is read from it.
  std::optional<Date> as_of;
  /// Fill Position::assignments (and Position::history): the assignments to record for the
  /// next run (the state store, `--write-assignments`). Off by default: one record per licence
  /// and holder is work a one-off report does not need.
  bool record_assignments = false;
};

/// Reconciles a fleet against its entitlements under the pack's rules. \pre `fleet` was
/// validated against `pack` (the readers do this). Throws InvariantError only on a bug.
///
/// Problems the position reports (`Position::warnings`) name their subject (devices,
/// entitlements, history), not a file: the caller knows where it read each subject from
/// (`attribute` in trueup/diagnostic.hpp).
[[nodiscard]] Position reconcile(const RulePack& pack, const Fleet& fleet, ReconcileOptions options = {});

}  // namespace trueup
