// SPDX-License-Identifier: BSL-1.0
// File: src/cli/reconcile_command.cpp
//
// `trueup reconcile DIR` and `trueup validate DIR`: load the rule pack, read and check the fleet
// (every problem reported, nothing computed on an error), then, for reconcile, take the position
// with the state file's history when --state is given and write the report. A run writes all of
// its outputs or none: the report files and the state change together (write_outputs).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "preflight.hpp"
#include "progress.hpp"
#include "trueup/import/entitlements.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/report/html.hpp"
#include "trueup/report/redact.hpp"
#include "trueup/report/secret.hpp"
#include "trueup/report/workbook.hpp"
#include "trueup/state/reconcile_run.hpp"
#include "trueup/state/store.hpp"

namespace trueup::cli {

std::optional<Diagnostic> dialect_with_inventory(const FleetOptions& o) {
  if (o.dialect.separator == 0 && o.dialect.encoding == io::TextEncoding::utf8) return std::nullopt;
  if (o.inventory.empty())  // the licence sources are read in their own dialects, as exports are
    return Diagnostic{Severity::error,
                      "--entitlements",
                      0,
                      0,
                      "bad-option",
                      "expected --csv-separator and --encoding without --entitlements (each licence source is read "
                      "in its own encoding and separator), found them with --entitlements"};
  // Refused, not applied: the inventory's exports are read in their own encodings and
  // separators (trueup/import), and become UTF-8 CSV text that is parsed in one dialect with
  // DIR's files; a dialect for DIR alone would misread them. DIR's files are read as UTF-8
  // with their separator detected, which a user is told here rather than left to find out.
  return Diagnostic{Severity::error,
                    "--inventory",
                    0,
                    0,
                    "bad-option",
                    "expected --csv-separator and --encoding without --inventory (each export is read in its own "
                    "encoding, DIR's files as UTF-8 with their separator detected), found them with --inventory"};
}

namespace {

/// The licences of `--entitlements`, read.
Result<import::Entitlements> read_licences(const FleetOptions& o) {
  std::vector<import::EntitlementSource> sources;
  for (const std::string& spec : o.entitlements) {
    auto source = import::parse_entitlement_source(spec);
    if (!source) return source.error();
    sources.push_back(std::move(*source));
  }
  return import::read_entitlements(sources);
}

}  // namespace

Result<io::FleetRead> read_the_fleet(const FleetOptions& o, const RulePack& pack) {
  if (o.inventory.empty() && o.entitlements.empty()) return io::read_fleet(o.dir, pack, o.threads, o.dialect);
  if (const auto refused = dialect_with_inventory(o)) return Diagnostics{*refused};
  std::optional<import::Inventory> inventory;
  if (!o.inventory.empty()) {
    std::vector<import::Source> sources;
    for (const std::string& spec : o.inventory) {
      auto source = import::parse_source(spec);
      if (!source) return source.error();
      sources.push_back(std::move(*source));
    }
    auto read = import::read_inventory(sources);
    if (!read) return read.error();
    inventory = std::move(*read);
  }
  if (o.entitlements.empty()) return import::read_fleet(o.dir, *inventory, pack);
  auto licences = read_licences(o);
  if (!licences) return licences.error();
  return import::read_fleet(o.dir, inventory ? &*inventory : nullptr, *licences, pack);
}

std::optional<io::FleetRead> read_or_report(const FleetOptions& o, const RulePack& pack) {
  auto read = read_the_fleet(o, pack);
  if (!read) {
    print_diagnostics(read.error());
    fmt::print(stderr, "trueup: nothing was computed or written\n");
    return std::nullopt;
  }
  print_diagnostics(read->warnings);
  return std::move(*read);
}

namespace {

/// Prints `ds` and says that nothing was written (nor computed, before reconciling); the exit
/// code of invalid input.
int failed(const Diagnostics& ds, bool computed = false) {
  print_diagnostics(ds);
  fmt::print(stderr, "trueup: nothing was {}written\n", computed ? "" : "computed or ");
  return 2;
}

/// Prints the errors of a fleet that could not be read, and their count; the exit code of
/// invalid input.
int unreadable(const Diagnostics& ds) {
  print_diagnostics(ds);
  std::size_t errors = 0;
  for (const auto& d : ds) errors += d.severity == Severity::error;
  fmt::print(stderr, "trueup: {} error(s) in the input; nothing was computed or written\n", errors);
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

/// What the workbook's Assumptions sheet says the run was given.
report::WorkbookOptions workbook_options(const FleetOptions& o, Date as_of) {
  report::WorkbookOptions w;
  std::string rules;  // every pack, in the order given
  for (const auto& r : o.rules.empty() ? std::vector<std::string>{"microsoft"} : o.rules)
    rules += (rules.empty() ? "" : ", ") + r;
  // The sources as given, so that the workbook says what the position was computed from.
  if (!o.dir.empty()) w.options.emplace_back("fleet", o.dir);
  for (const auto& spec : o.inventory) w.options.emplace_back("inventory", spec);
  for (const auto& spec : o.entitlements) w.options.emplace_back("entitlements", spec);
  w.options.emplace_back("rules", rules);
  w.options.emplace_back("as-of", as_of.iso());
  if (o.redact) w.options.emplace_back("redacted", report::redaction_assumption);
  if (o.state) w.options.emplace_back("state", *o.state);
  if (o.fail_on_shortfall) w.options.emplace_back("fail-on-shortfall", "yes");
  return w;
}

/// Writes the report in `o.format` to `file` (a folder for csv), whole or not at all.
Result<bool> write_report(const FleetOptions& o, const std::string& file, const std::string& table,
                          const Position& position, const RulePack& pack, const Fleet& fleet, Date as_of) {
  if (o.format == "json") return io::write_json_file(file, position, pack, fleet, o.threads);
  if (o.format == "xlsx") return report::write_xlsx(file, position, pack, fleet, workbook_options(o, as_of));
  if (o.format == "csv") return report::write_csv_folder(file, position, pack, fleet, workbook_options(o, as_of));
  return io::write_file_atomically(file, table);
}

/// Moves a staged output into its place: a file by a rename, a CSV folder by replace_folder.
Result<bool> put_in_place(const std::string& pending, const std::string& target) {
  std::error_code ec;
  if (std::filesystem::is_directory(pending, ec)) return report::replace_folder(pending, target);
  std::filesystem::rename(pending, target, ec);
  if (ec)
    return Diagnostics{
        {Severity::error, target, 0, 0, "write-failed", "expected to replace the file, found: " + ec.message()}};
  return true;
}

/// What the report shows: the position, or its redaction with the map for --redaction-map.
struct Shown {
  const Position& position;
  const Fleet& fleet;
  const std::vector<report::RedactionEntry>* map = nullptr;
};

/// Writes the report (to -o FILE or standard output) and the --write-assignments file, and
/// records the run in the state. The files are written whole beside their targets first, then
/// the state is recorded, then the files take their places (a rename each) and the table or
/// JSON goes to standard output. When the state cannot be recorded the files written beside are
/// removed: a failed run leaves neither a new report nor a changed state, and never removes what
/// was there before. Returns 0, or 2 after printing why.
int write_outputs(const FleetOptions& o, const Position& position, const RulePack& pack, const Shown& shown,
                  std::optional<state::Run>& state_run, Date as_of, ProgressBar& progress) {
  // JSON is streamed: a million installs make about 400 MB of it, never held whole.
  const bool json = o.format == "json";
  const std::string report = o.format == "table" ? io::format_table(shown.position, pack, shown.fleet)
                             : o.format == "html"
                                 ? report::format_html(shown.position, pack, shown.fleet, workbook_options(o, as_of))
                                 : std::string();
  if (o.format == "csv" && o.output && !report::csv_folder_replaceable(*o.output)) {
    progress.finish();
    return failed({{Severity::error, *o.output, 0, 0, "write-failed",
                    "expected a new folder or one holding only a CSV workbook's files, found something else there"}},
                  true);
  }
  std::vector<std::pair<std::string, std::string>> staged;  // (pending file, target)
  auto discard = [&] {
    std::error_code ec;
    for (const auto& [pending, target] : staged) std::filesystem::remove_all(pending, ec);
  };
  auto stage = [&](const std::string& path, auto&& write) {
    const std::string pending = path + ".trueup-pending";
    auto done = write(pending);
    if (!done) {
      progress.finish();
      Diagnostics problems = done.error();
      for (Diagnostic& d : problems)  // the user named the target, not its pending twin
        if (d.file.rfind(pending, 0) == 0) d.file = path;
      print_diagnostics(problems);
      return false;
    }
    staged.emplace_back(pending, path);
    return true;
  };
  if ((o.write_assignments && !stage(*o.write_assignments,
                                     [&](const std::string& f) {
                                       return io::write_file_atomically(
                                           f, io::format_assignments_csv(position.assignments));
                                     })) ||
      (o.output && !stage(*o.output,
                          [&](const std::string& f) {
                            return write_report(o, f, report, shown.position, pack, shown.fleet, as_of);
                          })) ||
      (o.redaction_map && shown.map != nullptr && !stage(*o.redaction_map, [&](const std::string& f) {
         return io::write_file_atomically(f, report::format_redaction_map(*shown.map));
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
    auto placed = put_in_place(pending, target);
    if (!placed) {
      discard();
      progress.finish();
      print_diagnostics(placed.error());
      return 2;
    }
  }
  if (!o.output && json)
    io::write_json(
        shown.position, pack, shown.fleet,
        [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); }, o.threads);
  else if (!o.output)
    std::fwrite(report.data(), 1, report.size(), stdout);
  return 0;
}

}  // namespace

int validate(const FleetOptions& o) {
  auto pack = load_pack(o);
  if (!pack) return 2;
  auto read = read_the_fleet(o, *pack);
  if (!read) return unreadable(read.error());
  print_diagnostics(read->warnings);
  const Fleet& fleet = read->fleet;
  auto optional_count = [](std::size_t n, std::string_view what) {
    return n > 0 ? fmt::format(", {} {}", n, what) : std::string();
  };
  fmt::print("{}: {} devices, {} installs, {} entitlements{}{}{}: valid ({} warning(s))\n", o.dir, fleet.devices.size(),
             fleet.installs.size(), fleet.entitlements.size(),
             fleet.has_access ? fmt::format(", {} accesses", fleet.access.size()) : std::string(),
             optional_count(fleet.assignments.size(), "assignments"), optional_count(fleet.prices.size(), "prices"),
             read->warnings.size());
  return 0;
}

int reconcile(const FleetOptions& o) {
  // Output paths and the as-of date are checked before anything is read (preflight.cpp).
  if (const Diagnostics refused = preflight(o, Date::today()); !refused.empty()) return failed(refused);
  std::optional<std::string> secret;
  if (o.redact) {
    auto read_it = report::read_secret(*o.secret_file);
    if (!read_it) return failed(read_it.error());
    secret = std::move(*read_it);
  }
  ProgressBar progress(!o.quiet);
  auto pack = load_pack(o);
  if (!pack) return 2;
  auto read = read_the_fleet(o, *pack);
  progress.done(Stage::read);
  if (!read) {
    progress.finish();
    return unreadable(read.error());
  }
  if (!read->warnings.empty()) progress.finish();
  print_diagnostics(read->warnings);

  const Date as_of = o.as_of.value_or(Date::today());
  // The state's run holds the file's write lock from here to the commit (reconcile_run.hpp).
  std::optional<state::Run> state_run;
  bool history_in_state = false;
  if (o.state) {
    progress.finish();  // diagnostics may follow; the bar resumes with the next stage
    auto begun = state::begin_reconcile(*o.state, as_of, read->fleet);
    if (!begun) return failed(begun.error());
    print_diagnostics(begun->warnings);
    history_in_state = begun->history_in_state;
    state_run = std::move(begun->run);
  }

  ReconcileOptions options;
  options.as_of = as_of;
  options.record_assignments = o.write_assignments.has_value() || o.state.has_value();
  options.threads = o.threads;
  options.on_stage = [&](Stage s) { progress.done(s); };
  Position position = trueup::reconcile(*pack, read->fleet, options);
  // The history comes from the state file once it holds runs, else from assignments.csv.
  attribute(position.warnings,
            [&](Subject s) { return s == Subject::history && history_in_state ? *o.state : io::fleet_file(s); });
  if (!position.warnings.empty()) progress.finish();
  print_diagnostics(position.warnings);
  // The report holds every warning, the readers' first (unknown columns, zero quantities ...),
  // not only what the terminal showed.
  position.warnings.insert(position.warnings.begin(), read->warnings.begin(), read->warnings.end());
  // A redacted report shows the pseudonyms; the assignments and the state keep the identifiers.
  std::optional<report::Redacted> redacted;
  if (secret) redacted = report::redact(position, read->fleet, *secret);
  const Shown shown =
      redacted ? Shown{redacted->position, redacted->fleet, &redacted->map} : Shown{position, read->fleet, nullptr};
  if (const int status = write_outputs(o, position, *pack, shown, state_run, as_of, progress); status != 0)
    return status;
  progress.done(Stage::write);
  progress.finish();
  const int status = o.fail_on_shortfall && position.totals.shortfall > 0 ? 1 : 0;
  keep_until_exit(std::move(position));
  keep_until_exit(std::move(*read));
  return status;
}

}  // namespace trueup::cli
