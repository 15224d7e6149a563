// SPDX-License-Identifier: BSL-1.0
// File: src/cli/main.cpp
//
// The `trueup` command: a thin layer over the library.
//
//     trueup reconcile DIR [--rules NAME|PATH] [--format table|json] [-o FILE] [--fail-on-shortfall]
//                          [--as-of YYYY-MM-DD] [--write-assignments FILE] [--threads N] [--quiet]
//     trueup validate DIR [--rules NAME|PATH]
//
// Exit codes: 0 ran (shortfalls are findings, not failures), 1 shortfall found with
// --fail-on-shortfall, 2 invalid input or usage (nothing is computed or written), 3 internal
// error (a broken invariant: a bug to report).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <exception>
#include <thread>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/version.hpp"
#include "progress.hpp"

namespace {

constexpr std::string_view usage = R"(usage: trueup reconcile DIR [options]
       trueup validate DIR [--rules NAME|PATH]
       trueup --version

Reconciles DIR/devices.csv, DIR/installs.csv and DIR/entitlements.csv (and DIR/access.csv, when
present, for client access licences) against a rule pack and prints the effective licence
position.

options:
  --rules NAME|PATH     rule pack: a shipped name (default: microsoft) or a .toml file
  --format table|json   output format (default: table)
  -o, --output FILE     write the report to FILE instead of standard output
  --fail-on-shortfall   exit with 1 when any install is short
  --as-of YYYY-MM-DD    take the position on this date (default: today, UTC)
  --write-assignments FILE
                        write the licence assignments after this run as CSV (the format of
                        DIR/assignments.csv, which a later run reads as history)
  --threads N           threads to use (default: the cores available, at most 2); the output
                        is the same for every N
  -q, --quiet           no progress bar (it is drawn on standard error only when that is a
                        terminal)
  -h, --help            show this help

exit codes: 0 ran, 1 shortfall (with --fail-on-shortfall), 2 invalid input or usage, 3 internal error
)";

struct Options {
  std::string command;
  std::string dir;
  std::string rules = "microsoft";
  std::string format = "table";
  std::optional<std::string> output;
  bool fail_on_shortfall = false;
  std::optional<trueup::Date> as_of;
  std::optional<std::string> write_assignments;
  unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1U, 2U);
  bool quiet = false;
};

int usage_error(const std::string& what) {
  fmt::print(stderr, "trueup: {}\n\n{}", what, usage);
  return 2;
}

void print_diagnostics(const trueup::Diagnostics& ds) {
  for (const auto& d : ds) fmt::print(stderr, "{}\n", trueup::to_string(d));
}

int run(const Options& o) {
  trueup::cli::ProgressBar progress(!o.quiet && o.command == "reconcile");
  auto pack = trueup::io::load_rule_pack(o.rules);
  if (!pack) {
    print_diagnostics(pack.error());
    return 2;
  }
  auto read = trueup::io::read_fleet(o.dir, *pack, o.threads);
  progress.done(trueup::Stage::read);
  if (!read) {
    progress.finish();
    print_diagnostics(read.error());
    std::size_t errors = 0;
    for (const auto& d : read.error()) errors += d.severity == trueup::Severity::error;
    fmt::print(stderr, "trueup: {} error(s) in the input; nothing was computed or written\n", errors);
    return 2;
  }
  if (!read->warnings.empty()) progress.finish();
  print_diagnostics(read->warnings);
  if (o.command == "validate") {
    fmt::print("{}: {} devices, {} installs, {} entitlements{}: valid ({} warning(s))\n", o.dir,
               read->fleet.devices.size(), read->fleet.installs.size(), read->fleet.entitlements.size(),
               read->fleet.has_access ? fmt::format(", {} accesses", read->fleet.access.size()) : std::string(),
               read->warnings.size());
    return 0;
  }

  trueup::ReconcileOptions options;
  options.as_of = o.as_of;
  options.record_assignments = o.write_assignments.has_value();
  options.threads = o.threads;
  options.on_stage = [&](trueup::Stage s) { progress.done(s); };
  const trueup::Position position = trueup::reconcile(*pack, read->fleet, options);
  if (!position.warnings.empty()) progress.finish();
  print_diagnostics(position.warnings);
  // JSON is streamed: a million installs make about 400 MB of it, never held whole.
  const bool json = o.format == "json";
  const std::string report = json ? std::string() : trueup::io::format_table(position, *pack, read->fleet);
  if (o.write_assignments) {
    auto written =
        trueup::io::write_file_atomically(*o.write_assignments, trueup::io::format_assignments_csv(position.assignments));
    if (!written) {
      print_diagnostics(written.error());
      return 2;
    }
  }
  if (o.output) {
    auto written = json ? trueup::io::write_json_file(*o.output, position, *pack, read->fleet, o.threads)
                        : trueup::io::write_file_atomically(*o.output, report);
    if (!written) {
      progress.finish();
      print_diagnostics(written.error());
      return 2;
    }
  } else if (json) {
    trueup::io::write_json(
        position, *pack, read->fleet, [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); },
        o.threads);
  } else {
    std::fwrite(report.data(), 1, report.size(), stdout);
  }
  progress.done(trueup::Stage::write);
  progress.finish();
  return o.fail_on_shortfall && position.totals.shortfall > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  Options o;
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
      fmt::print("trueup {}\n", trueup::version_string);
      return 0;
    } else if (a == "--rules" || a == "--format" || a == "-o" || a == "--output" || a == "--as-of" ||
               a == "--write-assignments") {
      auto v = value();
      if (!v) return usage_error(fmt::format("{} needs a value", a));
      if (a == "--rules") {
        o.rules = *v;
      } else if (a == "--format") {
        o.format = *v;
      } else if (a == "--as-of") {
        o.as_of = trueup::Date::parse(*v);
        if (!o.as_of) return usage_error(fmt::format("--as-of expects a date YYYY-MM-DD, not {}", *v));
      } else if (a == "--write-assignments") {
        o.write_assignments = *v;
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
    } else if (o.command.empty()) {
      o.command = a;
    } else if (o.dir.empty()) {
      o.dir = a;
    } else {
      return usage_error(fmt::format("unexpected argument {}", a));
    }
  }
  if (o.command != "reconcile" && o.command != "validate")
    return usage_error(o.command.empty() ? "no command given" : fmt::format("unknown command {}", o.command));
  if (o.dir.empty()) return usage_error("no fleet directory given");
  if (o.format != "table" && o.format != "json")
    return usage_error(fmt::format("--format must be table or json, not {}", o.format));
  try {
    return run(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "trueup: internal error (please report): {}\n", e.what());
    return 3;
  }
}
