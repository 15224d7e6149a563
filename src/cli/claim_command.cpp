// SPDX-License-Identifier: BSL-1.0
// File: src/cli/claim_command.cpp
//
// `trueup check-claim DIR --claim FILE`: the reply to an auditor's claim
// (include/trueup/report/claim_reply.hpp). It reads and reconciles the fleet as reconcile does,
// reads the claim (include/trueup/io/claim.hpp), checks it line by line and writes the reply
// whole or not at all, with --redact in pseudonyms. What the claim says is not an error: it exits 0 once the reply is
// written, 2 on invalid input (the fleet's or the claim's) or an output that cannot be written.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "trueup/claim/claim.hpp"
#include "trueup/io/claim.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/report/claim_reply.hpp"

namespace trueup::cli {

int check_claim(const FleetOptions& o) {
  auto pack = load_pack(o);
  if (!pack) return 2;
  auto read = read_the_fleet(o, *pack);
  auto claim = io::read_claim(*o.claim, *pack, o.dialect);
  if (!read || !claim) {
    if (!read) print_diagnostics(read.error());
    if (!claim) print_diagnostics(claim.error());
    fmt::print(stderr, "trueup: nothing was computed or written\n");
    return 2;
  }
  print_diagnostics(read->warnings);
  print_diagnostics(claim->warnings);
  ReconcileOptions options;
  options.as_of = o.as_of.value_or(Date::today());
  options.threads = o.threads;
  const Position computed = trueup::reconcile(*pack, read->fleet, options);
  std::optional<report::Redacted> redacted;
  if (const int status = redaction_of(o, computed, read->fleet, redacted); status != 0) return status;
  const Position& position = redacted ? redacted->position : computed;
  const ClaimCheck check = trueup::check_claim(*claim, position, *pack, redacted ? redacted->fleet : read->fleet);
  return written_status(write_with_map(o, redacted, [&]() -> Result<bool> {
    if (o.format == "xlsx") return report::write_claim_xlsx(*o.output, *claim, check, position, *pack);
    return write_text(o.output, o.format == "json" ? report::format_claim_json(*claim, check, position, *pack)
                                                   : report::format_claim_reply(*claim, check, position, *pack));
  }));
}

}  // namespace trueup::cli
