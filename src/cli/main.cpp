// SPDX-License-Identifier: BSL-1.0
// File: src/cli/main.cpp
//
// The `trueup` command: a thin layer over the library.
//
//     trueup reconcile DIR [--rules NAME|PATH]... [--format table|json|xlsx|csv|html] [-o FILE] [--fail-on-shortfall]
//                          [--as-of YYYY-MM-DD] [--state FILE] [--write-assignments FILE]
//                          [--redact --secret-file FILE [--redaction-map FILE]] [--threads N] [--quiet]
//     trueup validate DIR [--rules NAME|PATH]... [--threads N]
//     trueup history --state FILE (--licence ID | --device ID | --user NAME)
//     trueup deployment DIR [--rules NAME|PATH]... [--format table|json|xlsx] [-o FILE] [--as-of YYYY-MM-DD]
//                       [--redact --secret-file FILE [--redaction-map FILE]]
//     trueup check-claim DIR --claim FILE [--rules NAME|PATH]... [--format table|json|xlsx] [-o FILE]
//                        [--as-of YYYY-MM-DD] [--redact --secret-file FILE [--redaction-map FILE]]
//     trueup explain DIR (--install ID | --device ID | --licence ID | --product NAME) [--rules NAME|PATH]
//                    [--format table|json] [-o FILE] [--as-of YYYY-MM-DD] [--state FILE]
//
// The command line is read in options.cpp, its help written in help.cpp, and each command is in
// a file of its own (reconcile_command.cpp, history_command.cpp, deployment_command.cpp,
// claim_command.cpp, explain_command.cpp).
//
// Exit codes: 0 ran (shortfalls are findings, not failures), 1 shortfall found with
// --fail-on-shortfall, 2 invalid input or usage (nothing is computed or written), 3 internal
// error (a broken invariant: a bug to report).
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "huge_pages.hpp"
#include "options.hpp"
#include "trueup/io/rule_pack.hpp"

namespace trueup::cli {

std::vector<std::filesystem::path> shipped_rule_packs() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const std::filesystem::path dir = exe.parent_path();
  return {dir / "share/trueup/rules", dir.parent_path() / "share/trueup/rules"};
}

std::optional<RulePack> load_pack(const FleetOptions& o) {
  auto pack =
      io::load_rule_packs(o.rules.empty() ? std::vector<std::string>{"microsoft"} : o.rules, shipped_rule_packs());
  if (!pack) {
    print_diagnostics(pack.error());
    return std::nullopt;
  }
  return std::move(*pack);
}

}  // namespace trueup::cli

int main(int argc, char** argv) {
  using namespace trueup::cli;
  use_huge_pages(argv);  // returns only when the run goes on as it is
  try {
    const auto parsed = parse_command_line(argc, argv);
    if (const int* status = std::get_if<int>(&parsed)) return *status;
    const auto& line = std::get<CommandLine>(parsed);
    switch (line.command) {
      case Command::reconcile: return reconcile(line.fleet);
      case Command::validate: return validate(line.fleet);
      case Command::history: return history(line.history);
      case Command::review: return review(line.fleet);
      case Command::deployment: return deployment(line.fleet);
      case Command::check_claim: return check_claim(line.fleet);
      case Command::explain: return explain(line.fleet);
    }
    return 3;  // not reached: every command is handled above
  } catch (const std::exception& e) {
    fmt::print(stderr, "trueup: internal error (please report): {}\n", e.what());
    return 3;
  }
}
