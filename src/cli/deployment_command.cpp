// SPDX-License-Identifier: BSL-1.0
// File: src/cli/deployment_command.cpp
//
// `trueup deployment DIR`: the deployment summary an auditor asks a customer to fill in
// (include/trueup/report/deployment.hpp), as a table, JSON or a workbook. It reads and
// reconciles the fleet as reconcile does (the position decides which installs are deployed and
// which are excluded) and writes the summary whole or not at all, with --redact in pseudonyms.
// Shortfalls are not its business: it exits 0 once written, 2 on invalid input.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/report/deployment.hpp"

namespace trueup::cli {

int deployment(const FleetOptions& o) {
  auto pack = load_pack(o);
  if (!pack) return 2;
  auto read = read_or_report(o, *pack);
  if (!read) return 2;
  ReconcileOptions options;
  options.as_of = o.as_of.value_or(Date::today());
  options.threads = o.threads;
  const Position computed = trueup::reconcile(*pack, read->fleet, options);
  std::optional<report::Redacted> redacted;
  if (const int status = redaction_of(o, computed, read->fleet, redacted); status != 0) return status;
  const Position& position = redacted ? redacted->position : computed;
  const Fleet& fleet = redacted ? redacted->fleet : read->fleet;
  return written_status(write_with_map(o, redacted, [&]() -> Result<bool> {
    if (o.format == "xlsx") return report::write_deployment_xlsx(*o.output, position, *pack, fleet);
    return write_text(o.output, o.format == "json" ? report::format_deployment_json(position, *pack, fleet)
                                                   : report::format_deployment_table(position, *pack, fleet));
  }));
}

}  // namespace trueup::cli
