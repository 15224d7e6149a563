// SPDX-License-Identifier: BSL-1.0
// File: src/cli/options.cpp
//
// The command line, read by hand: the options may come in any order around the command and its
// DIR; a usage mistake prints its message and the whole usage on standard error.
#include "options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <span>
#include <string_view>
#include <vector>

#include "trueup/version.hpp"

namespace trueup::cli {
namespace {

constexpr std::string_view usage = R"(usage: trueup reconcile DIR [options]
       trueup validate DIR [--rules NAME|PATH]
       trueup history --state FILE (--licence ID | --device ID | --user NAME)
       trueup --version

Reconciles DIR/devices.csv, DIR/installs.csv and DIR/entitlements.csv (and DIR/access.csv, when
present, for client access licences, and DIR/assignments.csv, the assignment history) against a
rule pack and prints the effective licence position.

options:
  --rules NAME|PATH     rule pack: a shipped name (default: microsoft) or a .toml file
  --format table|json   output format (default: table)
  -o, --output FILE     write the report to FILE instead of standard output
  --fail-on-shortfall   exit with 1 when any install is short
  --as-of YYYY-MM-DD    take the position on this date (default: today, UTC)
  --state FILE          keep the licence assignments across runs in this SQLite file (created on
                        first use; docs/state.md): honour where earlier runs put the licences
                        (the 90-day reassignment rule) and record this run's, in one transaction
  --write-assignments FILE
                        write the licence assignments after this run as CSV (the format of
                        DIR/assignments.csv, which a later run reads as history)
  --threads N           threads to use (default: the cores available, at most 2); the output
                        is the same for every N
  -q, --quiet           no progress bar (it is drawn on standard error only when that is a
                        terminal)
  -h, --help            show this help

history prints the assignment timeline that a state file (docs/state.md) holds for one licence,
device or user: from, to (or "now"), licence, holder, units, reason and the runs that opened and
closed each row. It never creates or changes the file.

exit codes: 0 ran, 1 shortfall (with --fail-on-shortfall), 2 invalid input or usage, 3 internal error
)";

int usage_error(const std::string& what) {
  fmt::print(stderr, "trueup: {}\n\n{}", what, usage);
  return 2;
}

std::variant<CommandLine, int> parse_history(std::span<const std::string_view> args) {
  CommandLine line;
  line.command = Command::history;
  HistoryOptions& o = line.history;
  bool state = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "-h" || a == "--help") {
      fmt::print("{}", usage);
      return 0;
    }
    if (a != "--state" && a != "--licence" && a != "--device" && a != "--user")
      return usage_error(fmt::format("history: unexpected argument {}", a));
    if (i + 1 >= args.size()) return usage_error(fmt::format("{} needs a value", a));
    const std::string_view v = args[++i];
    if (a == "--state") {
      o.state = std::string(v);
      state = true;
    } else {
      if (!o.by.empty()) return usage_error("history: give one of --licence, --device and --user");
      o.by = a.substr(2);
      o.id = std::string(v);
    }
  }
  if (!state) return usage_error("history: no --state FILE given");
  if (o.by.empty()) return usage_error("history: give one of --licence, --device and --user");
  return line;
}

}  // namespace

std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "history") return parse_history(std::span(args).subspan(1));
  CommandLine line;
  FleetOptions& o = line.fleet;
  std::string command;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return std::string(args[++i]);
    };
    if (a == "-h" || a == "--help") {
      fmt::print("{}", usage);
      return 0;
    } else if (a == "--version") {
      fmt::print("trueup {}\n", version_string);
      return 0;
    } else if (a == "--rules" || a == "--format" || a == "-o" || a == "--output" || a == "--as-of" ||
               a == "--write-assignments" || a == "--state") {
      auto v = value();
      if (!v) return usage_error(fmt::format("{} needs a value", a));
      if (a == "--rules") {
        o.rules = *v;
      } else if (a == "--format") {
        o.format = *v;
      } else if (a == "--as-of") {
        o.as_of = Date::parse(*v);
        if (!o.as_of) return usage_error(fmt::format("--as-of expects a date YYYY-MM-DD, not {}", *v));
      } else if (a == "--write-assignments") {
        o.write_assignments = *v;
      } else if (a == "--state") {
        o.state = *v;
      } else {
        o.output = *v;
      }
    } else if (a == "--threads") {
      auto v = value();
      unsigned n = 0;
      if (!v || std::from_chars(v->data(), v->data() + v->size(), n).ptr != v->data() + v->size() || n == 0)
        return usage_error("--threads expects a whole number >= 1");
      o.threads = n;
    } else if (a == "-q" || a == "--quiet") {
      o.quiet = true;
    } else if (a == "--fail-on-shortfall") {
      o.fail_on_shortfall = true;
    } else if (!a.empty() && a[0] == '-') {
      return usage_error(fmt::format("unknown option {}", a));
    } else if (command.empty()) {
      command = a;
    } else if (o.dir.empty()) {
      o.dir = a;
    } else {
      return usage_error(fmt::format("unexpected argument {}", a));
    }
  }
  if (command != "reconcile" && command != "validate")
    return usage_error(command.empty() ? "no command given" : fmt::format("unknown command {}", command));
  if (o.dir.empty()) return usage_error("no fleet directory given");
  if (o.format != "table" && o.format != "json")
    return usage_error(fmt::format("--format must be table or json, not {}", o.format));
  line.command = command == "validate" ? Command::validate : Command::reconcile;
  return line;
}

}  // namespace trueup::cli
