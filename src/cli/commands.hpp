// SPDX-License-Identifier: BSL-1.0
// File: src/cli/commands.hpp
//
// The commands of `trueup`, each run from a complete and valid command line (options.hpp). Each
// returns the process's exit status: 0 ran, 1 shortfall found with --fail-on-shortfall, 2 invalid
// input (every problem is on standard error and nothing is written). A broken invariant is thrown
// and becomes exit 3 in main().
#pragma once

#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "options.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/report/redact.hpp"
#include "trueup/result.hpp"

namespace trueup::cli {

/// Where the command ships its rule packs: share/trueup/rules next to its executable (the build
/// tree) or one level up (an installed prefix, wherever it was moved).
[[nodiscard]] std::vector<std::filesystem::path> shipped_rule_packs();
/// The rule pack `--rules` names (a shipped pack or a file); when it cannot be loaded, its
/// problems are printed and there is none (the command exits 2). Every command starts here.
[[nodiscard]] std::optional<RulePack> load_pack(const FleetOptions& o);

/// The fleet: DIR's files, or, with --inventory, the exports' devices and installs and DIR's
/// other files (src/cli/reconcile_command.cpp; reconcile, validate, deployment and check-claim).
[[nodiscard]] Result<io::FleetRead> read_the_fleet(const FleetOptions& o, const RulePack& pack);
/// The fleet with its warnings printed; or, when it cannot be read, its problems printed, that
/// nothing was computed, and none (the command exits 2).
[[nodiscard]] std::optional<io::FleetRead> read_or_report(const FleetOptions& o, const RulePack& pack);
/// The error of `--csv-separator` or `--encoding` given with `--inventory`, which they do not
/// apply to; nullopt when they are not both given.
[[nodiscard]] std::optional<Diagnostic> dialect_with_inventory(const FleetOptions& o);

/// `trueup reconcile DIR` (src/cli/reconcile_command.cpp).
[[nodiscard]] int reconcile(const FleetOptions& o);
/// `trueup validate DIR`: reads and checks as reconcile() does, then stops (src/cli/reconcile_command.cpp).
[[nodiscard]] int validate(const FleetOptions& o);
/// `trueup review`: what was read and what recognition makes of it (src/cli/review_command.cpp).
[[nodiscard]] int review(const FleetOptions& o);
/// `trueup deployment DIR` (src/cli/deployment_command.cpp).
[[nodiscard]] int deployment(const FleetOptions& o);
/// `trueup check-claim DIR --claim FILE` (src/cli/claim_command.cpp).
[[nodiscard]] int check_claim(const FleetOptions& o);
/// `trueup explain DIR --install ID|--device ID|--licence ID|--product NAME`
/// (src/cli/explain_command.cpp).
[[nodiscard]] int explain(const FleetOptions& o);
/// `trueup history` (src/cli/history_command.cpp).
[[nodiscard]] int history(const HistoryOptions& o);

/// A report's text to `output` (written whole, atomically) or to standard output
/// (src/cli/report_output.cpp).
[[nodiscard]] Result<bool> write_text(const std::optional<std::string>& output, const std::string& text);
/// 0 when the report was written; else prints why and that nothing was written, and returns 2.
[[nodiscard]] int written_status(const Result<bool>& written);

/// With --redact, `redacted` becomes the position and fleet with pseudonyms (docs/outputs.md
/// #redaction); 0, or 2 after printing why the secret could not be read. Without it, nothing.
[[nodiscard]] int redaction_of(const FleetOptions& o, const Position& position, const Fleet& fleet,
                               std::optional<report::Redacted>& redacted);
/// Calls `write_report` and, with --redact and --redaction-map, writes the map: both or neither.
[[nodiscard]] Result<bool> write_with_map(const FleetOptions& o, const std::optional<report::Redacted>& redacted,
                                          const std::function<Result<bool>()>& write_report);

/// Each diagnostic on its own line of standard error.
inline void print_diagnostics(const Diagnostics& ds) {
  for (const auto& d : ds) fmt::print(stderr, "{}\n", to_string(d));
}

}  // namespace trueup::cli
