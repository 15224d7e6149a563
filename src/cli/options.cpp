// SPDX-License-Identifier: BSL-1.0
// File: src/cli/options.cpp
//
// The command line, read with CLI11: the commands reconcile, validate and history, each with only
// its own options, which take their value as `--opt value` or `--opt=value`. Help and --version
// print on standard output and exit 0. Every usage mistake is one line on standard error, then
// exit 2 before anything is read, computed or written:
//
//     trueup: MESSAGE; HINT
//
// where HINT is the command's usage when that one line is its whole syntax (validate, history)
// and otherwise where its help is (`see trueup reconcile --help`, `see trueup --help`). An
// unknown option or command names the nearest known one when it is a likely misspelling.
#include "options.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "help.hpp"
#include "trueup/import/entitlements.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/version.hpp"

namespace trueup::cli {
namespace {

// The value checks. CLI11 reports a failed check as "NAME: MESSAGE"; each MESSAGE here completes
// the sentence that starts with the option's name (see message_of).
std::string check_format(const std::string& v) {
  return v == "table" || v == "json" || v == "xlsx" || v == "csv" || v == "html"
             ? std::string()
             : "must be table, json, xlsx, csv or html, not " + v;
}
std::string check_deployment_format(const std::string& v) {
  return v == "table" || v == "json" || v == "xlsx" ? std::string() : "must be table, json or xlsx, not " + v;
}
std::string check_explain_format(const std::string& v) {
  return v == "table" || v == "json" ? std::string() : "must be table or json, not " + v;
}
std::string check_threads(const std::string& v) {
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && end == v.data() + v.size() && n >= 1 ? std::string()
                                                                   : "expects a whole number >= 1, not " + v;
}
std::string check_date(const std::string& v) {
  return Date::parse(v) ? std::string() : "expects a date YYYY-MM-DD, not " + v;
}

// `--rules` and `--threads`: reconcile and validate read a fleet alike, with one description.
void add_rules(CLI::App& command, FleetOptions& o) {
  command
      .add_option("--rules", o.rules,
                  "rule pack: a shipped name (default: microsoft) or a .toml file; repeatable,\n"
                  "the packs used together in the order given (docs/rule-packs.md)")
      ->type_name("NAME|PATH")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}
// `--inventory KIND:PATH`, repeatable, each occurrence one export (checked here, read later).
std::string check_inventory(const std::string& v) {
  const auto colon = v.find(':');
  const std::string kind = colon == std::string::npos ? std::string() : v.substr(0, colon);
  if (import::parse_source(v)) return {};
  if (import::parse_source(kind + ":x")) return "expects a path after " + kind + ":, not " + v;
  return "expects KIND:PATH with KIND one of glpi, reg, sccm, lansweeper, wmi, dpkg, rpm, mssql, osquery, not " + v;
}
void add_inventory(CLI::App& command, FleetOptions& o) {
  command
      .add_option("--inventory", o.inventory,
                  "read the devices and installs from an inventory export instead of\n"
                  "DIR/devices.csv and DIR/installs.csv (repeatable): glpi:FILE|FOLDER (GLPI\n"
                  "Agent JSON), reg:FILE|FOLDER (registry export of the Uninstall keys, one\n"
                  "computer per file), sccm:FOLDER (Configuration Manager views exported as\n"
                  "CSV: v_R_System.csv, v_Add_Remove_Programs.csv, ...), lansweeper:FOLDER\n"
                  "(Lansweeper tables exported as CSV: tblAssets.csv, tblSoftware.csv,\n"
                  "tblSoftwareUni.csv, ...), wmi:FILE|FOLDER\n"
                  "(Win32_Processor dumps: processors and cores), dpkg:FILE|FOLDER and\n"
                  "rpm:FILE|FOLDER (Linux package lists, one computer per file),\n"
                  "mssql:FILE|FOLDER (SELECT @@VERSION of SQL Server instances, one per file),\n"
                  "osquery:FILE|FOLDER (osqueryd results logs or osqueryi --json output);\n"
                  "DIR then holds entitlements.csv and the optional files; a devices.csv\n"
                  "there states what no export holds (environment, ownership, status, host)\n"
                  "over the imported devices")
      ->type_name("KIND:PATH")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(check_inventory);
}
// `--entitlements [KIND:]PATH`, repeatable, each occurrence one licence source.
std::string check_entitlements(const std::string& v) {
  if (import::parse_entitlement_source(v)) return {};
  return "expects [KIND:]PATH with KIND csv, not " + v;
}
void add_entitlements(CLI::App& command, FleetOptions& o) {
  command
      .add_option("--entitlements", o.entitlements,
                  "read the licences from these sources instead of DIR/entitlements.csv\n"
                  "(repeatable, concatenated in the order given): csv:FILE or FILE (the\n"
                  "entitlements.csv format); with --inventory too, DIR is optional")
      ->type_name("[KIND:]PATH")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(check_entitlements);
}
void add_threads(CLI::App& command, FleetOptions& o) {
  command
      .add_option("--threads", o.threads,
                  "threads to use (default: the cores available, at most 2); the output\n"
                  "is the same for every N")
      ->type_name("N")
      ->check(check_threads);
}

// `--csv-separator` and `--encoding`: the CSV dialect of DIR's files (docs/formats.md).
void add_dialect(CLI::App& command, FleetOptions& o) {
  command
      .add_option_function<std::string>(
          "--csv-separator", [&o](const std::string& v) { o.dialect.separator = *io::parse_separator(v); },
          "the separator of DIR's CSV files (default: detected from each header)")
      ->type_name("','|';'|tab")
      ->check([](const std::string& v) { return io::parse_separator(v) ? std::string() : io::bad_separator(v); });
  command
      .add_option_function<std::string>(
          "--encoding", [&o](const std::string& v) { o.dialect.encoding = *io::parse_encoding(v); },
          "the encoding of DIR's CSV files (default: utf-8); windows-1252: as a\n"
          "spreadsheet in Western Europe saves \"CSV\"")
      ->type_name("utf-8|windows-1252")
      ->check([](const std::string& v) { return io::parse_encoding(v) ? std::string() : io::bad_encoding(v); });
}

// `-o FILE` and `--as-of`, which most commands take, each with one description.
void add_output(CLI::App& c, FleetOptions& o, const std::string& what) {
  c.add_option_function<std::string>(
       "-o,--output", [&o](const std::string& v) { o.output = v; }, "write the " + what + " instead of standard output")
      ->type_name("FILE");
}
void add_as_of(CLI::App& c, FleetOptions& o, const std::string& what) {
  c.add_option_function<std::string>(
       "--as-of", [&o](const std::string& v) { o.as_of = Date::parse(v); },
       "take the " + what + " on this date (default: today, UTC)")
      ->type_name("YYYY-MM-DD")
      ->check(check_date);
}
// `--redact`, `--secret-file`, `--redaction-map`: a report to share (reconcile, deployment,
// check-claim), with one description.
void add_redaction(CLI::App& c, FleetOptions& o) {
  c.add_flag("--redact", o.redact,
             "replace device, user and licence identifiers by pseudonyms (HMAC-SHA-256\n"
             "keyed with --secret-file) and drop host names: a report to share\n"
             "(docs/outputs.md#redaction)")
      ->disable_flag_override();
  c.add_option_function<std::string>(
       "--secret-file", [&o](const std::string& v) { o.secret_file = v; },
       "with --redact, the file holding your secret (at least 16 bytes; a final\n"
       "line break is not part of it): the same secret gives the same pseudonyms")
      ->type_name("FILE");
  c.add_option_function<std::string>(
       "--redaction-map", [&o](const std::string& v) { o.redaction_map = v; },
       "with --redact, write the map from pseudonyms back to the identifiers as\n"
       "CSV (kind,pseudonym,original), for you alone")
      ->type_name("FILE");
}
void add_reconcile(CLI::App& app, FleetOptions& o) {
  CLI::App& c = *app.add_subcommand("reconcile", "print the effective licence position of the fleet in DIR");
  c.add_option("DIR", o.dir, "the fleet directory");
  add_rules(c, o);
  add_inventory(c, o);
  add_entitlements(c, o);
  c.add_option("--format", o.format,
               "output format (default: table); xlsx: the auditor's workbook (ELP,\n"
               "Installs, Licences, Shortfall, Excluded, Assumptions); csv: the same\n"
               "sheets as a folder of CSV files; both need -o; html: one self-contained\n"
               "page (totals, charts, the ELP, what to buy, findings)")
      ->type_name("table|json|xlsx|csv|html")
      ->check(check_format);
  add_output(c, o, "report to FILE (a folder for csv)");
  c.add_flag("--fail-on-shortfall", o.fail_on_shortfall, "exit with 1 when any install is short")
      ->disable_flag_override();
  add_as_of(c, o, "position");
  c.add_option_function<std::string>(
       "--state", [&o](const std::string& v) { o.state = v; },
       "keep the licence assignments across runs in this SQLite file (created on\n"
       "first use; docs/state.md): honour where earlier runs put the licences\n"
       "(the 90-day reassignment rule) and record this run's, in one transaction")
      ->type_name("FILE");
  c.add_flag("--future-as-of", o.future_as_of,
             "with --state, record a run whose --as-of is after today (refused\n"
             "otherwise: no later run could then be recorded before that date)")
      ->disable_flag_override();
  c.add_option_function<std::string>(
       "--write-assignments", [&o](const std::string& v) { o.write_assignments = v; },
       "write the licence assignments after this run as CSV (the format of\n"
       "DIR/assignments.csv, which a later run reads as history)")
      ->type_name("FILE");
  add_redaction(c, o);
  add_threads(c, o);
  add_dialect(c, o);
  c.add_flag("-q,--quiet", o.quiet,
             "no progress bar (it is drawn on standard error only when that is a\n"
             "terminal)")
      ->disable_flag_override();
}

void add_validate(CLI::App& app, FleetOptions& o) {
  CLI::App& c = *app.add_subcommand("validate", "read and check the fleet in DIR without reconciling it");
  c.add_option("DIR", o.dir, "the fleet directory");
  add_rules(c, o);
  add_inventory(c, o);
  add_entitlements(c, o);
  add_threads(c, o);
  add_dialect(c, o);
}

void add_review(CLI::App& app, FleetOptions& o) {
  CLI::App& c = *app.add_subcommand(
      "review", "show what an inventory holds and what the rule pack recognises in it, without reconciling");
  c.add_option("DIR", o.dir,
               "the fleet directory (optional with --inventory: then only its devices.csv is read, over the "
               "imported devices)");
  add_rules(c, o);
  add_inventory(c, o);
  c.add_option("--format", o.format, "output format (default: table)")->type_name("table|json")->check(check_format);
  add_output(c, o, "report to FILE");
  add_as_of(c, o, "review");
  c.add_option("--stale-days", o.stale_days,
               "list the devices whose last inventory is more than N days\nbefore --as-of (default: 90)")
      ->type_name("N")
      ->check(CLI::Range(0U, 36500U));
}

void add_deployment(CLI::App& app, FleetOptions& o) {
  CLI::App& c = *app.add_subcommand("deployment",
                                    "print what is deployed in DIR per product, as an auditor's deployment form asks");
  c.add_option("DIR", o.dir, "the fleet directory");
  add_rules(c, o);
  c.add_option("--format", o.format, "output format (default: table); xlsx needs -o")
      ->type_name("table|json|xlsx")
      ->check(check_deployment_format);
  add_output(c, o, "summary to FILE");
  add_as_of(c, o, "deployment");
  add_inventory(c, o);
  add_entitlements(c, o);
  add_redaction(c, o);
  add_threads(c, o);
  add_dialect(c, o);
}

void add_check_claim(CLI::App& app, FleetOptions& o) {
  CLI::App& c =
      *app.add_subcommand("check-claim", "answer an auditor's claim line by line against the position of DIR");
  c.add_option("DIR", o.dir, "the fleet directory");
  c.add_option_function<std::string>(
       "--claim", [&o](const std::string& v) { o.claim = v; }, "the auditor's claim (docs/formats.md#claimcsv)")
      ->type_name("FILE");
  add_rules(c, o);
  add_inventory(c, o);
  add_entitlements(c, o);
  c.add_option("--format", o.format, "output format (default: table); xlsx needs -o")
      ->type_name("table|json|xlsx")
      ->check(check_deployment_format);
  add_output(c, o, "reply to FILE");
  add_as_of(c, o, "position");
  add_redaction(c, o);
  add_threads(c, o);
  add_dialect(c, o);
}

void add_explain(CLI::App& app, FleetOptions& o) {
  CLI::App& c = *app.add_subcommand(
      "explain", "explain the position of DIR for one install, device, licence or product, rule by rule");
  c.add_option("DIR", o.dir, "the fleet directory");
  // What to explain: the option given and its value; that exactly one is given, once, is
  // checked after parsing (missing_problem).
  struct Subject {
    const char* by;
    const char* description;
    const char* placeholder;
  };
  for (const Subject& s : {Subject{"install", "the install: recognition, verdict, licences and their rules", "ID"},
                           Subject{"device", "each install on the device, briefly", "ID"},
                           Subject{"licence", "where the licence's units went and what remains", "ID"},
                           Subject{"product", "the product's ELP line and how it was reached", "NAME"}})
    c.add_option_function<std::string>(
         std::string("--") + s.by,
         [&o, by = std::string(s.by)](const std::string& v) {
           o.explain_by = by;
           o.explain_id = v;
         },
         s.description)
        ->type_name(s.placeholder);
  add_rules(c, o);
  add_inventory(c, o);
  add_entitlements(c, o);
  c.add_option("--format", o.format, "output format (default: table)")
      ->type_name("table|json")
      ->check(check_explain_format);
  add_output(c, o, "explanation to FILE");
  add_as_of(c, o, "position");
  c.add_option_function<std::string>(
       "--state", [&o](const std::string& v) { o.state = v; },
       "read the assignment history from this state file (docs/state.md), as\n"
       "reconcile --state does; nothing is recorded in it")
      ->type_name("FILE");
  add_threads(c, o);
  add_dialect(c, o);
}

void add_history(CLI::App& app, HistoryOptions& o) {
  CLI::App& c =
      *app.add_subcommand("history", "print a state file's assignment timeline for one licence, device or user");
  c.add_option("--state", o.state, "the state file that trueup reconcile --state keeps")->type_name("FILE");
  // Which timeline: the option given (licence, device or user) and its value. That exactly one
  // is given, once, is checked after parsing (missing_problem).
  struct Timeline {
    const char* by;
    const char* description;
    const char* placeholder;
  };
  for (const Timeline& t : {Timeline{"licence", "the devices and users that held this licence", "ID"},
                            Timeline{"device", "the licences this device held", "ID"},
                            Timeline{"user", "the licences this user held", "NAME"}})
    c.add_option_function<std::string>(
         std::string("--") + t.by,
         [&o, by = std::string(t.by)](const std::string& v) {
           o.by = by;
           o.id = v;
         },
         t.description)
        ->type_name(t.placeholder);
}

/// The edit distance between `a` and `b`, an adjacent transposition counting as one edit.
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// " (did you mean X?)" for the candidate that `typed` most likely misspells, dashes aside: the
/// nearest within an edit per three characters (at most two; the first of equally near ones),
/// else the only one that `typed` begins; empty when there is none.
std::string suggestion(std::string_view typed, const std::vector<std::string>& candidates) {
  auto bare = [](std::string_view s) { return s.substr(std::min(s.find_first_not_of('-'), s.size())); };
  const std::string_view t = bare(typed);
  const std::size_t edits = std::min<std::size_t>(2, t.size() / 3);
  const std::string* best = nullptr;
  for (const auto& c : candidates)
    if (const auto d = distance(t, bare(c)); d <= edits && (!best || d < distance(t, bare(*best)))) best = &c;
  if (!best && t.size() >= 3) {
    for (const auto& c : candidates) {
      if (!bare(c).starts_with(t)) continue;
      if (best) return {};  // ambiguous
      best = &c;
    }
  }
  return best ? " (did you mean " + *best + "?)" : std::string();
}

std::vector<const CLI::App*> commands_of(const CLI::App& root) {
  return root.get_subcommands([](const CLI::App*) { return true; });
}

std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
  }
  return names;
}

/// The commands (other than `app`) that have the option `name`, as "reconcile", "reconcile and
/// history" or "reconcile, review and deployment".
std::string commands_with(const CLI::App& root, const CLI::App* app, const std::string& name) {
  std::vector<std::string> names;
  for (const CLI::App* c : commands_of(root))
    if (c != app && c->get_option_no_throw(name) != nullptr) names.push_back(c->get_name());
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return out;
}

/// What is wrong with the arguments that `app` (the program or the command given) could not
/// place, the first of them in the order given; nothing when there are none.
std::optional<std::string> leftover_problem(const CLI::App& root, const CLI::App& app) {
  bool options_ended = false;  // by "--", which CLI11 keeps among the leftovers
  for (const std::string& arg : app.remaining()) {
    if (arg == "--" && !options_ended) {
      options_ended = true;
      continue;
    }
    if (!options_ended && arg.size() > 1 && arg[0] == '-') {
      const std::string name = arg.substr(0, arg.find('='));
      if (const std::string others = commands_with(root, &app, name); !others.empty())
        return &app == &root ? fmt::format("{} is an option of {}: give it after the command", name, others)
                             : fmt::format("{} does not apply to {}", name, app.get_name());
      return fmt::format("unknown option {}{}", name, suggestion(name, option_names(app)));
    }
    if (&app != &root) return "unexpected argument " + arg;
    std::vector<std::string> commands;
    for (const CLI::App* c : commands_of(root)) commands.push_back(c->get_name());
    return fmt::format("unknown command {}{}", arg, suggestion(arg, commands));
  }
  return std::nullopt;
}

/// The one-line message of a CLI11 parse error.
std::string message_of(const CLI::ParseError& e) {
  std::string what = e.what();
  std::replace(what.begin(), what.end(), '\n', ' ');
  const bool mismatch = dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr;
  // A flag given a value ("--quiet=yes"): "NAME was given a disallowed flag override", NAME bare.
  if (constexpr std::string_view tail = " was given a disallowed flag override"; mismatch && what.ends_with(tail)) {
    const std::string name = what.substr(0, what.size() - tail.size());
    return (name.size() > 1 ? "--" : "-") + name + " takes no value";
  }
  const auto colon = what.find(": ");
  if (colon == std::string::npos) return what;
  const std::string name = what.substr(0, colon), rest = what.substr(colon + 2);
  // A check's message completes the sentence that starts with the option's name (see check_format).
  if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) return name + " " + rest;
  // The last argument was an option without its value: "NAME: 1 required TYPE missing".
  if (mismatch && rest.ends_with(" missing") && rest.find(" required ") != std::string::npos)
    return name + " needs a value";
  return what;
}

/// Reports a usage error of `where` (the program, named "trueup", or a command); its exit code.
int usage_error(const std::string& message, const CLI::App& where) {
  fmt::print(stderr, "trueup: {}; {}\n", message, usage_hint(where.get_name()));
  return 2;
}

/// What the command given lacks once every argument was placed; nothing when it is complete.
std::optional<std::string> missing_problem(const CommandLine& line, const CLI::App& command) {
  if (line.command == Command::review)
    return line.fleet.dir.empty() && line.fleet.inventory.empty()
               ? std::optional<std::string>("give a fleet directory or --inventory KIND:PATH")
               : std::nullopt;
  if (line.command != Command::history) {
    if (line.fleet.dir.empty() && (line.fleet.inventory.empty() || line.fleet.entitlements.empty()))
      return "no fleet directory given";
    if (line.command == Command::check_claim && !line.fleet.claim) return "no --claim FILE given";
    if (line.fleet.redact && !line.fleet.secret_file) return "--redact needs --secret-file FILE";
    if (!line.fleet.redact && (line.fleet.secret_file || line.fleet.redaction_map))
      return std::string(line.fleet.secret_file ? "--secret-file" : "--redaction-map") + " needs --redact";
    if (line.command == Command::explain && command.count("--install") + command.count("--device") +
                                                    command.count("--licence") + command.count("--product") !=
                                                1)
      return "give one of --install, --device, --licence and --product";
    if ((line.fleet.format == "xlsx" || line.fleet.format == "csv") && !line.fleet.output)
      return "--format " + line.fleet.format + " writes " + (line.fleet.format == "csv" ? "a folder" : "a file") +
             ": give -o " + (line.fleet.format == "csv" ? "DIR" : "FILE");
    return std::nullopt;
  }
  if (line.history.state.empty()) return "no --state FILE given";
  const std::size_t given = command.count("--licence") + command.count("--device") + command.count("--user");
  if (given != 1) return "give one of --licence, --device and --user";
  return std::nullopt;
}

}  // namespace

std::variant<CommandLine, int> parse_command_line(int argc, const char* const* argv) {
  CommandLine line;
  CLI::App app("", "trueup");
  app.formatter(help_formatter());
  app.set_help_flag("-h,--help", "show this help");
  app.set_version_flag("--version", fmt::format("trueup {}", version_string), "print the version");
  // Leftover arguments are not CLI11 errors but ours (leftover_problem), with a suggestion; a
  // repeated option keeps its last value; at most one command. Commands inherit the first two.
  app.allow_extras();
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.require_subcommand(0, 1);
  add_reconcile(app, line.fleet);
  add_validate(app, line.fleet);
  add_history(app, line.history);
  add_review(app, line.fleet);
  add_deployment(app, line.fleet);
  add_check_claim(app, line.fleet);
  add_explain(app, line.fleet);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return 0;
  } catch (const CLI::CallForVersion& e) {
    fmt::print("{}\n", e.what());
    return 0;
  } catch (const CLI::ParseError& e) {
    const auto given = app.get_subcommands();
    return usage_error(message_of(e), given.empty() ? app : *given.front());
  }

  const auto given = app.get_subcommands();
  if (auto problem = leftover_problem(app, app)) return usage_error(*problem, given.empty() ? app : *given.front());
  if (given.empty()) return usage_error("no command given", app);
  const CLI::App& command = *given.front();
  if (auto problem = leftover_problem(app, command)) return usage_error(*problem, command);
  line.command = command.get_name() == "reconcile"     ? Command::reconcile
                 : command.get_name() == "validate"    ? Command::validate
                 : command.get_name() == "review"      ? Command::review
                 : command.get_name() == "deployment"  ? Command::deployment
                 : command.get_name() == "check-claim" ? Command::check_claim
                 : command.get_name() == "explain"     ? Command::explain
                                                       : Command::history;
  if (auto problem = missing_problem(line, command)) return usage_error(*problem, command);
  return line;
}

}  // namespace trueup::cli
