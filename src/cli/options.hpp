// SPDX-License-Identifier: BSL-1.0
// File: src/cli/options.hpp
//
// The command line of `trueup`, parsed: which command runs, and with what. parse_command_line()
// (src/cli/options.cpp) reads it with CLI11 and answers help, --version and every usage mistake
// itself, so that a command only ever starts from a complete and valid command line: a usage
// error computes nothing and writes nothing.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "trueup/io/dialect.hpp"
#include "trueup/model/date.hpp"

namespace trueup::cli {

enum class Command { reconcile, validate, history, review, deployment, check_claim, explain };

/// The options of `trueup reconcile DIR`; `trueup validate DIR` uses `dir`, `rules`, `inventory`
/// and `threads`; `trueup review` those and `format`, `output`; `trueup deployment DIR` `dir`,
/// `rules`, `threads`, `format`, `output`, `as_of`, `quiet`; `trueup check-claim DIR` those of
/// deployment, `inventory` and `claim`; `trueup explain DIR` those of reconcile but the outputs'
/// and `explain_by`, `explain_id`.
struct FleetOptions {
  std::string dir;
  /// `--inventory KIND:PATH`, in the order given: the fleet's devices and installs come from
  /// these exports (trueup/import/inventory.hpp) instead of DIR's devices.csv and installs.csv.
  std::vector<std::string> inventory;
  /// `--entitlements [KIND:]PATH`, in the order given: the fleet's licences come from these
  /// sources (trueup/import/entitlements.hpp) instead of DIR/entitlements.csv.
  std::vector<std::string> entitlements;
  /// `--rules`, in the order given: shipped names or .toml files, used together
  /// (io::load_rule_packs); the command line gives microsoft when none is given.
  std::vector<std::string> rules;
  std::string format = "table";  // "table", "json", "xlsx" or "csv"
  std::optional<std::string> output;
  bool fail_on_shortfall = false;
  std::optional<Date> as_of;
  std::uint32_t stale_days = 90;  // review: a last inventory older than this is stale
  std::optional<std::string> write_assignments;
  std::optional<std::string> state;
  bool future_as_of = false;  // with --state, an as-of date after today is recorded anyway
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 2U);
  /// `--csv-separator` and `--encoding`: how DIR's CSV files (and the claim) are written.
  io::CsvDialect dialect;
  bool quiet = false;
  std::optional<std::string> claim;          // check-claim: the auditor's claim.csv
  bool redact = false;                       // reconcile: pseudonymise identifiers (docs/outputs.md)
  std::optional<std::string> secret_file;    // ... with the user's secret in this file
  std::optional<std::string> redaction_map;  // ... and write the map back to the originals here
  std::string explain_by;                    // explain: "install", "device", "licence" or "product"
  std::string explain_id;                    // explain: the id or product name
};

/// The options of `trueup history`: one licence's, device's or user's timeline in a state file.
struct HistoryOptions {
  std::string state;
  std::string by;  // "licence", "device" or "user"
  std::string id;
};

struct CommandLine {
  Command command = Command::reconcile;
  FleetOptions fleet;      // reconcile, validate, review and deployment
  HistoryOptions history;  // history
};

/// The command to run, or the exit status when there is none to run: 0 once the help or the
/// version is printed on standard output, 2 once a usage error is reported on standard error, in
/// one line ending with a hint (docs in src/cli/options.cpp).
[[nodiscard]] std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv);

}  // namespace trueup::cli
