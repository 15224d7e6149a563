// SPDX-License-Identifier: BSL-1.0
// File: src/cli/explain_command.cpp
//
// `trueup explain DIR --install ID | --device ID | --licence ID | --product NAME`: reads and
// reconciles the fleet as reconcile does (with the state file's history when --state names
// one, which is read and never changed), then prints the explanation
// (include/trueup/report/explain.hpp) as text or JSON. An id the fleet does not hold is invalid
// input: exit 2, with the nearest ids, and nothing written.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "commands.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/report/explain.hpp"
#include "trueup/state/reconcile_run.hpp"

namespace trueup::cli {

int explain(const FleetOptions& o) {
  auto pack = load_pack(o);
  if (!pack) return 2;
  auto read = read_or_report(o, *pack);
  if (!read) return 2;
  const Date as_of = o.as_of.value_or(Date::today());
  // The run begun reads the history and is never committed: destroying it leaves the file as
  // it was. A missing file is refused rather than created.
  std::optional<state::Run> state_run;
  if (o.state) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*o.state, ec)) {
      print_diagnostics({{Severity::error, *o.state, 0, 0, "state-open",
                          "expected a state file written by trueup reconcile --state, found none"}});
      return 2;
    }
    auto begun = state::begin_reconcile(*o.state, as_of, read->fleet);
    if (!begun) {
      print_diagnostics(begun.error());
      return 2;
    }
    state_run = std::move(begun->run);
  }
  ReconcileOptions options;
  options.as_of = as_of;
  options.threads = o.threads;
  const Position position = trueup::reconcile(*pack, read->fleet, options);
  const auto subject = parse<report::ExplainSubject>(o.explain_by);
  if (!subject) throw std::logic_error("explain: no subject " + o.explain_by);
  const auto explained = report::explain(*subject, o.explain_id, position, *pack, read->fleet);
  if (!explained) {
    print_diagnostics(explained.error());
    fmt::print(stderr, "trueup: nothing was written\n");
    return 2;
  }
  const std::string text = o.format == "json" ? report::format_explanation_json(*explained, position)
                                              : report::format_explanation(*explained, position);
  return written_status(write_text(o.output, text));
}

}  // namespace trueup::cli
