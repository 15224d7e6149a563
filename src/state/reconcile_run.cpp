// SPDX-License-Identifier: BSL-1.0
// File: src/state/reconcile_run.cpp
//
// begin_reconcile (trueup/state/reconcile_run.hpp): the store's run, checked against the as-of
// date and made the fleet's assignment history.
#include "trueup/state/reconcile_run.hpp"

#include <utility>

namespace trueup::state {

Result<ReconcileRun> begin_reconcile(const std::filesystem::path& file, Date as_of, Fleet& fleet, OpenOptions options) {
  auto opened = Store::open(file, options);
  if (!opened) return opened.error();
  auto begun = opened->begin_run();
  if (!begun) return begun.error();
  if (const auto last = begun->last_as_of(); last && *last > as_of)
    return Diagnostics{{Severity::error, file.string(), 0, 0, "state-as-of-earlier",
                        "expected an as-of date on or after the last recorded run's " + last->iso() + ", found " +
                            as_of.iso() + " (history moves forward)"}};
  ReconcileRun r{std::move(*begun), false, {}};
  if (r.run.last_as_of()) {  // the file holds the history; assignments.csv only seeds a new one
    r.history_in_state = true;
    if (!fleet.assignments.empty())
      r.warnings.push_back({Severity::warning, "assignments.csv", 0, 0, "history-in-state",
                            "expected the assignment history in one place, found assignments.csv next to a state "
                            "file with recorded runs; assignments.csv is ignored"});
    fleet.assignments = r.run.current();
  }
  return r;  // the Run keeps the file open without its Store
}

}  // namespace trueup::state
