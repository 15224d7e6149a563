// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_state.cpp
//
// The state store (trueup/state, docs/state.md) for `reconcile(..., state=FILE)`, `history()`
// and `runs()`: the run begun by state::begin_reconcile — the code the command runs, so the two
// record the same history — and the store's read-only queries.
//
// A `StateRun` holds the file's write lock until it commits or closes (or is collected): the
// facade commits it when the run is done, or hands it to the caller who defers the commit until
// the outputs are written (`python3 -m trueup reconcile --state`). Every call into the store
// releases the GIL: it may wait for another process's lock.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "core.hpp"
#include "trueup/state/reconcile_run.hpp"
#include "trueup/state/store.hpp"

namespace trueup::python {
namespace {

/// A begun run, or why there is none; closed (rolled back) once it has ended.
struct StateRun {
  std::optional<state::ReconcileRun> run;
  Diagnostics error;
};

py::dict run_info(const state::RunInfo& r) {
  py::dict d;
  d["id"] = r.id;
  d["as_of"] = to_date(r.as_of);
  d["recorded_at"] = to_str(r.recorded_at);
  d["assignments"] = r.assignments;
  d["label"] = to_str(r.label);
  return d;
}

py::tuple history_row(const state::HistoryEntry& e) {
  return py::make_tuple(to_str(e.licence), to_str(e.device), to_str(e.user), e.units, to_date(e.from), to_date(e.to),
                        to_str(name(e.reason)), e.opened_by_run,
                        e.closed_by_run ? py::object(py::int_(*e.closed_by_run)) : py::object(py::none()));
}

/// (rows, diagnostics): the rows as tuples when the file could be read, else None and why.
template <class T, class Row>
py::tuple rows_or_error(const Result<std::vector<T>>& r, Row row) {
  if (!r) return py::make_tuple(py::none(), py::cast(r.error()));
  py::list out;
  for (const T& e : *r) out.append(row(e));
  return py::make_tuple(out, py::cast(Diagnostics{}));
}

}  // namespace

void register_state(py::module_& m) {
  py::class_<StateRun>(m, "StateRun", "A run of the state store begun for a reconcile, or why it could not begin.")
      .def("has_value", [](const StateRun& s) { return s.run.has_value(); })
      .def(
          "error", [](const StateRun& s) -> const Diagnostics& { return s.error; },
          py::return_value_policy::reference_internal)
      .def_property_readonly("active", [](const StateRun& s) { return s.run && s.run->run.active(); })
      .def_property_readonly("history_in_state", [](const StateRun& s) { return s.run && s.run->history_in_state; })
      .def_property_readonly(
          "warnings", [](const StateRun& s) { return s.run ? s.run->warnings : Diagnostics{}; },
          "history-in-state when assignments.csv was given next to a file with recorded runs.")
      .def(
          "commit",
          [](StateRun& s, const Date& as_of, const Position& position, const std::string& label) {
            if (!s.run || !s.run->run.active()) throw InvariantError("commit: the state run is not active");
            Result<state::RunInfo> recorded = [&] {
              py::gil_scoped_release release;
              return s.run->run.commit(as_of, position.assignments, label);
            }();
            s.run.reset();
            if (!recorded) return py::make_tuple(py::none(), py::cast(recorded.error()));
            return py::make_tuple(run_info(*recorded), py::cast(Diagnostics{}));
          },
          py::arg("as_of"), py::arg("position"), py::arg("label"),
          "Records the run: (run info, []) or (None, why). The run ends either way.")
      .def(
          "close", [](StateRun& s) { s.run.reset(); }, "Ends an uncommitted run: the file stays as it was.");

  m.def(
      "begin_reconcile",
      [](const std::filesystem::path& file, const Date& as_of, Fleet& fleet, int wait_ms) {
        StateRun s;
        py::gil_scoped_release release;
        auto begun = state::begin_reconcile(file, as_of, fleet, {.wait = std::chrono::milliseconds(wait_ms)});
        if (begun)
          s.run.emplace(std::move(*begun));
        else
          s.error = begun.error();
        return s;
      },
      py::arg("file"), py::arg("as_of"), py::arg("fleet"), py::arg("wait_ms") = 30000,
      "Opens (or creates) the state file and begins a run for reconciling `fleet` on `as_of`: the file's history "
      "becomes the fleet's assignments once it has runs (state/reconcile_run.hpp).");

  m.def(
      "state_history",
      [](const std::filesystem::path& file, const std::string& by, const std::string& id) {
        auto read = [&]() -> Result<std::vector<state::HistoryEntry>> {
          py::gil_scoped_release release;
          auto store = state::Store::open(file, {.read_only = true});
          if (!store) return store.error();
          if (by == "licence") return store->history_of_licence(id);
          if (by == "device") return store->history_of_device(id);
          return store->history_of_user(id);
        };
        const auto rows = read();
        return rows_or_error(rows, history_row);
      },
      py::arg("file"), py::arg("by"), py::arg("id"),
      "(rows, diagnostics): the timeline of one licence, device or user (`by`), each row (licence, device, user, "
      "units, from, to, reason, opened_by_run, closed_by_run); the file is opened read-only.");
  m.def(
      "state_runs",
      [](const std::filesystem::path& file) {
        auto read = [&]() -> Result<std::vector<state::RunInfo>> {
          py::gil_scoped_release release;
          auto store = state::Store::open(file, {.read_only = true});
          if (!store) return store.error();
          return store->runs();
        };
        const auto runs = read();
        return rows_or_error(runs, run_info);
      },
      py::arg("file"), "(runs, diagnostics): every recorded run in commit order, each a dict; read-only.");
}

}  // namespace trueup::python
