// SPDX-License-Identifier: BSL-1.0
// File: trueup/state/reconcile_run.hpp
//
// The state store as a reconcile uses it (docs/state.md), written once for the command
// (`trueup reconcile --state FILE`) and the Python module (`reconcile(..., state=FILE)`):
//
//     auto begun = trueup::state::begin_reconcile("trueup.db", as_of, fleet);
//     if (!begun) return report(begun.error());        // nothing changed, nothing reconciled
//     Position position = trueup::reconcile(pack, fleet, {.as_of = as_of, .record_assignments = true});
//     ... write the outputs beside their targets ...
//     auto recorded = begun->run.commit(as_of, position.assignments, label);
//     if (!recorded) ... remove the outputs written beside: the file is as it was
//
// Rules it keeps:
// - **History moves forward.** A run dated before the last recorded run is refused before the
//   fleet is reconciled (`state-as-of-earlier`), not only when it commits.
// - **One history.** Once the file has recorded runs it is the assignment history the 90-day
//   reassignment rule reads [V1, R2]: the fleet's assignments (from assignments.csv) are replaced
//   by the state's open rows, with the warning `history-in-state` when there were any. A file
//   with no runs yet leaves them as they are: assignments.csv seeds a new history.
// - The run holds the file's write lock from here until it commits or is destroyed (store.hpp),
//   so that a second process waits, then refuses, instead of reconciling from a history about to
//   change.
#pragma once

#include <filesystem>

#include "trueup/diagnostic.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/result.hpp"
#include "trueup/state/store.hpp"

namespace trueup::state {

/// A run begun for a reconcile.
struct ReconcileRun {
  Run run;
  /// Whether the fleet's assignments now come from the file (it had recorded runs), so that
  /// warnings about the history name the state file, not assignments.csv.
  bool history_in_state = false;
  /// `history-in-state` when assignments.csv was given next to a file with recorded runs.
  Diagnostics warnings;
};

/// Opens `file` (creating it when missing), begins a run and makes the file's history the
/// fleet's, as described above. The errors are the store's (`state-open`, `state-not-trueup`,
/// `state-too-new`, `state-busy`, `state-corrupt`, ...) and `state-as-of-earlier`; each names
/// `file` as given.
[[nodiscard]] Result<ReconcileRun> begin_reconcile(const std::filesystem::path& file, Date as_of, Fleet& fleet,
                                                   OpenOptions options = {});

}  // namespace trueup::state
