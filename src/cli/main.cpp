// SPDX-License-Identifier: BSL-1.0
// File: src/cli/main.cpp
//
// The `trueup` command: a thin layer over the library.
//
//     trueup reconcile DIR [--rules NAME|PATH] [--format table|json] [-o FILE] [--fail-on-shortfall]
//                          [--as-of YYYY-MM-DD] [--state FILE] [--write-assignments FILE]
//                          [--threads N] [--quiet]
//     trueup validate DIR [--rules NAME|PATH]
//     trueup history --state FILE (--licence ID | --device ID | --user NAME)
//
// Exit codes: 0 ran (shortfalls are findings, not failures), 1 shortfall found with
// --fail-on-shortfall, 2 invalid input or usage (nothing is computed or written), 3 internal
// error (a broken invariant: a bug to report).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/state/store.hpp"
#include "trueup/version.hpp"
#include "progress.hpp"

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

struct Options {
  std::string command;
  std::string dir;
  std::string rules = "microsoft";
  std::string format = "table";
  std::optional<std::string> output;
  bool fail_on_shortfall = false;
  std::optional<trueup::Date> as_of;
  std::optional<std::string> write_assignments;
  std::optional<std::string> state;
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

/// Prints `ds` and says that nothing was written (nor computed, before reconciling); the exit
/// code of invalid input.
int failed(const trueup::Diagnostics& ds, bool computed = false) {
  print_diagnostics(ds);
  fmt::print(stderr, "trueup: nothing was {}written\n", computed ? "" : "computed or ");
  return 2;
}

/// Keeps `value` alive until the process exits, so that it is never destroyed: freeing a million
/// installs' strings, verdicts and evidence one by one takes 0.2-0.25 s at the end of a run
/// (measured at 1M), while the kernel takes the whole address space back at once. Every
/// object kept stays reachable from a list that is itself never freed, so leak checkers see no
/// leak and no store can be optimised away.
template <class T>
void keep_until_exit(T&& value) {
  using Kept = std::remove_cvref_t<T>;
  static std::vector<Kept*>* const kept = new std::vector<Kept*>();
  kept->push_back(new Kept(std::forward<T>(value)));
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

  const trueup::Date as_of = o.as_of.value_or(trueup::Date::today());
  // The state store: the run holds its write lock from here to the commit, so that a second
  // process waits (then refuses) instead of reconciling from a history about to change.
  std::optional<trueup::state::Store> store;
  std::optional<trueup::state::Run> state_run;
  if (o.state) {
    progress.finish();  // diagnostics may follow; the bar resumes with the next stage
    auto opened = trueup::state::Store::open(*o.state);
    if (!opened) return failed(opened.error());
    auto begun = opened->begin_run();
    if (!begun) return failed(begun.error());
    if (const auto last = begun->last_as_of(); last && *last > as_of)
      return failed({{trueup::Severity::error, *o.state, 0, 0, "state-as-of-earlier",
                      "expected an as-of date on or after the last recorded run's " + last->iso() + ", found " +
                          as_of.iso() + " (history moves forward)"}});
    if (begun->last_as_of()) {  // the state holds the history; assignments.csv only seeds a new one
      if (!read->fleet.assignments.empty())
        print_diagnostics({{trueup::Severity::warning, "assignments.csv", 0, 0, "history-in-state",
                            "expected the assignment history in one place, found assignments.csv next to a state "
                            "file with recorded runs; assignments.csv is ignored"}});
      read->fleet.assignments = begun->current();
    }
    store = std::move(*opened);
    state_run = std::move(*begun);
  }

  trueup::ReconcileOptions options;
  options.as_of = as_of;
  options.record_assignments = o.write_assignments.has_value() || o.state.has_value();
  options.threads = o.threads;
  options.on_stage = [&](trueup::Stage s) { progress.done(s); };
  trueup::Position position = trueup::reconcile(*pack, read->fleet, options);
  if (!position.warnings.empty()) progress.finish();
  print_diagnostics(position.warnings);
  // JSON is streamed: a million installs make about 400 MB of it, never held whole.
  const bool json = o.format == "json";
  const std::string report = json ? std::string() : trueup::io::format_table(position, *pack, read->fleet);
  // The files are written whole beside their targets first, then the state is recorded, then
  // the files take their places (a rename each) and the table or JSON goes to standard output.
  // When the state cannot be recorded the files written beside are removed: a failed run leaves
  // neither a new report nor a changed state, and never removes what was there before.
  std::vector<std::pair<std::string, std::string>> staged;  // (pending file, target)
  auto discard = [&] {
    for (const auto& [pending, target] : staged) std::remove(pending.c_str());
  };
  auto stage = [&](const std::string& path, auto&& write) {
    const std::string pending = path + ".trueup-pending";
    auto done = write(pending);
    if (!done) {
      progress.finish();
      print_diagnostics(done.error());
      return false;
    }
    staged.emplace_back(pending, path);
    return true;
  };
  if ((o.write_assignments && !stage(*o.write_assignments,
                                     [&](const std::string& f) {
                                       return trueup::io::write_file_atomically(
                                           f, trueup::io::format_assignments_csv(position.assignments));
                                     })) ||
      (o.output && !stage(*o.output, [&](const std::string& f) {
         return json ? trueup::io::write_json_file(f, position, *pack, read->fleet, o.threads)
                     : trueup::io::write_file_atomically(f, report);
       }))) {
    discard();
    return failed({}, true);
  }
  if (state_run) {
    auto recorded = state_run->commit(as_of, position.assignments, o.dir);
    if (!recorded) {
      discard();
      progress.finish();
      return failed(recorded.error(), true);
    }
  }
  for (const auto& [pending, target] : staged) {
    std::error_code ec;
    std::filesystem::rename(pending, target, ec);
    if (ec) {
      discard();
      progress.finish();
      print_diagnostics({{trueup::Severity::error, target, 0, 0, "write-failed",
                          "expected to replace the file, found: " + ec.message()}});
      return 2;
    }
  }
  if (!o.output && json)
    trueup::io::write_json(
        position, *pack, read->fleet, [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); },
        o.threads);
  else if (!o.output)
    std::fwrite(report.data(), 1, report.size(), stdout);
  progress.done(trueup::Stage::write);
  progress.finish();
  const int status = o.fail_on_shortfall && position.totals.shortfall > 0 ? 1 : 0;
  keep_until_exit(std::move(position));
  keep_until_exit(std::move(*read));
  return status;
}

// `trueup history`: one timeline of the state store, as a table whose columns are as wide as
// their widest cell. Rows come in the store's order, so the output depends only on the file.
int history(std::span<const std::string_view> args) {
  std::optional<std::string> state;
  std::string_view by;  // licence, device or user
  std::string id;
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
      state = std::string(v);
    } else {
      if (!by.empty()) return usage_error("history: give one of --licence, --device and --user");
      by = a.substr(2);
      id = std::string(v);
    }
  }
  if (!state) return usage_error("history: no --state FILE given");
  if (by.empty()) return usage_error("history: give one of --licence, --device and --user");

  auto store = trueup::state::Store::open(*state, {.read_only = true});
  if (!store) {
    print_diagnostics(store.error());
    return 2;
  }
  auto rows = by == "licence" ? store->history_of_licence(id)
              : by == "device" ? store->history_of_device(id)
                               : store->history_of_user(id);
  if (!rows) {
    print_diagnostics(rows.error());
    return 2;
  }
  if (rows->empty()) {
    fmt::print("no assignments recorded for {} {}\n", by, id);
    return 0;
  }

  std::vector<std::array<std::string, 7>> table{{"from", "to", "licence", "holder", "units", "reason", "run"}};
  for (const auto& e : *rows)
    table.push_back({e.from.iso(), e.to ? e.to->iso() : "now", e.licence,
                     e.device.empty() ? "user " + e.user : "device " + e.device, std::to_string(e.units),
                     std::string(trueup::name(e.reason)),
                     e.closed_by_run ? fmt::format("{}-{}", e.opened_by_run, *e.closed_by_run)
                                     : std::to_string(e.opened_by_run)});
  // Widths in characters (UTF-8 sequences), so that non-ASCII names keep the columns aligned.
  auto chars = [](const std::string& t) {
    return static_cast<std::size_t>(std::count_if(t.begin(), t.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
  };
  std::array<std::size_t, 7> width{};
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], chars(row[c]));
  std::string out;
  for (const auto& row : table) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - chars(row[c]), ' ');
      if (c == 4)  // units, right-aligned
        out += pad + row[c] + "  ";
      else if (c + 1 < row.size())
        out += row[c] + pad + "  ";
      else
        out += row[c];  // no trailing blanks
    }
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "history") {
    try {
      return history(std::span(args).subspan(1));
    } catch (const std::exception& e) {
      fmt::print(stderr, "trueup: internal error (please report): {}\n", e.what());
      return 3;
    }
  }
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
               a == "--write-assignments" || a == "--state") {
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
