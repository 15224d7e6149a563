// SPDX-License-Identifier: BSL-1.0
// File: src/cli/help.cpp
//
// The help of `trueup` and of each of its commands. The prose (usage, what the command does, exit
// codes) is here; the options and their descriptions come from the CLI11 definitions in
// src/cli/options.cpp. Every line fits in 100 columns: descriptions carry their own line breaks,
// and their later lines are indented to the description column.
#include "help.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace trueup::cli {
namespace {

struct CommandText {
  std::string_view name;  // "trueup" for the program itself
  std::string_view usage;
  std::string_view about;  // empty, or paragraphs without a final newline
  std::string_view exit_codes;
};

constexpr std::string_view all_exit_codes =
    "exit codes: 0 ran, 1 shortfall (with --fail-on-shortfall), 2 invalid input or usage, 3 internal error";
constexpr std::string_view exit_codes_without_shortfall =
    "exit codes: 0 ran, 2 invalid input or usage, 3 internal error";

constexpr std::array texts{
    CommandText{"trueup", "trueup --version",
                "A command's options follow it and take their value after a space or an equals sign\n"
                "(--format json or --format=json); trueup COMMAND --help lists them.",
                all_exit_codes},
    CommandText{"reconcile", "trueup reconcile DIR [options]",
                "Reconciles DIR/devices.csv, DIR/installs.csv and DIR/entitlements.csv (and DIR/access.csv, when\n"
                "present, for client access licences, and DIR/assignments.csv, the assignment history) against a\n"
                "rule pack and prints the effective licence position. With --inventory, the devices and installs\n"
                "come from inventory exports (GLPI Agent JSON, registry exports) instead of DIR's CSV files;\n"
                "with --entitlements, the licences come from licence files instead of DIR/entitlements.csv,\n"
                "and with both DIR is optional.",
                all_exit_codes},
    CommandText{"validate", "trueup validate DIR [--rules NAME|PATH]... [--inventory KIND:PATH]... [--threads N]",
                "Reads and checks DIR/devices.csv, DIR/installs.csv and DIR/entitlements.csv (and DIR/access.csv\n"
                "and DIR/assignments.csv, when present) as reconcile does, without reconciling: every problem\n"
                "is reported with its file, line and column, and a valid fleet is summarised in one line.",
                exit_codes_without_shortfall},
    CommandText{"review", "trueup review [DIR] [--inventory KIND:PATH]... [options]",
                "Reads an inventory (the exports given with --inventory, or DIR's devices.csv and installs.csv)\n"
                "and prints the rows read per source and what the rule pack makes of every row: recognised\n"
                "products, exclusions by reason, and the titles that need review or are unrecognised, grouped\n"
                "and counted, each with the overlay-pack entry that would decide it (commented, for you to\n"
                "fill in); with --inventory, the devices whose last inventory is more than --stale-days N\n"
                "(default 90) days before --as-of, and those no export dates. Nothing is reconciled; no\n"
                "licences are needed.",
                exit_codes_without_shortfall},
    CommandText{"history", "trueup history --state FILE (--licence ID | --device ID | --user NAME)",
                "Prints the assignment timeline that a state file (docs/state.md) holds for one licence, device\n"
                "or user: from, to (or \"now\"), licence, holder, units, reason and the runs that opened and\n"
                "closed each row. It never creates or changes the file.",
                exit_codes_without_shortfall},
    CommandText{"deployment", "trueup deployment DIR [options]",
                "Prints what is deployed in the fleet in DIR per product, version and edition, as an auditor's\n"
                "deployment form asks: installs counted and excluded, PCs and other devices, physical servers\n"
                "with their processors and cores, VMs per host, users (docs/outputs.md).",
                exit_codes_without_shortfall},
    CommandText{"check-claim", "trueup check-claim DIR --claim FILE [options]",
                "Answers an auditor's claim (a CSV, docs/formats.md) line by line against the position of the\n"
                "fleet in DIR: claimed against computed, a verdict, and the difference broken down by cause, each\n"
                "with its units, the licensing rule and its source, and the installs, devices and licences it\n"
                "concerns (docs/outputs.md). It exits 0 whatever the claim says.",
                exit_codes_without_shortfall},
    CommandText{"explain", "trueup explain DIR (--install ID | --device ID | --licence ID | --product NAME) [options]",
                "Explains the position of the fleet in DIR for one subject, in plain words: for an install, what\n"
                "recognised it, whether it is excluded and why, the demand it creates, the licences that cover it\n"
                "and the rules (with their sources) that allow each; for a short install, why each licence of its\n"
                "family could not cover it. For a device, each of its installs; for a licence, where its units\n"
                "went; for a product, its ELP line and how it was reached (docs/outputs.md). An id the fleet does\n"
                "not hold exits 2 with the nearest ones.",
                exit_codes_without_shortfall},
};

const CommandText& text_of(std::string_view name) {
  const auto* t = std::find_if(texts.begin(), texts.end(), [&](const CommandText& c) { return c.name == name; });
  if (t == texts.end()) throw std::logic_error("no help text for the command " + std::string(name));
  return *t;
}

constexpr std::size_t name_column = 24;

/// One entry of a list: `name` in the first column, `description` beside it with its later lines
/// indented to match; a name that fills the column puts the description on the next line.
std::string entry(std::string_view name, std::string_view description) {
  std::string out = "  " + std::string(name);
  if (out.size() >= name_column)
    out += '\n' + std::string(name_column, ' ');
  else
    out.resize(name_column, ' ');
  for (const char c : description) {
    out += c;
    if (c == '\n') out.append(name_column, ' ');
  }
  return out + '\n';
}

/// "-o, --output FILE": the short names, the long names, then the value's placeholder.
std::string option_name(const CLI::Option& opt) {
  std::vector<std::string> names;
  for (const auto& s : opt.get_snames()) names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) names.push_back("--" + l);
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  if (opt.get_type_size() != 0) out += " " + opt.get_type_name();
  return out;
}

class Help final : public CLI::FormatterBase {
 public:
  std::string make_help(const CLI::App* app, std::string /*name*/, CLI::AppFormatMode /*mode*/) const override {
    const CommandText& text = text_of(app->get_name());
    const auto commands = app->get_subcommands([](const CLI::App*) { return true; });
    std::string out = "usage: ";
    for (const CLI::App* c : commands) out += std::string(text_of(c->get_name()).usage) + "\n       ";
    out += std::string(text.usage) + "\n";
    if (!text.about.empty()) out += "\n" + std::string(text.about) + "\n";
    if (!commands.empty()) {
      out += "\ncommands:\n";
      for (const CLI::App* c : commands) out += entry(c->get_name(), c->get_description());
    }
    // In definition order, but the help flag, which CLI11 defines first, last.
    auto options = app->get_options([](const CLI::Option* o) { return o->nonpositional(); });
    std::stable_partition(options.begin(), options.end(),
                          [app](const CLI::Option* o) { return o != app->get_help_ptr(); });
    out += "\noptions:\n";
    for (const CLI::Option* o : options) out += entry(option_name(*o), o->get_description());
    return out + "\n" + std::string(text.exit_codes) + "\n";
  }
};

}  // namespace

std::shared_ptr<CLI::FormatterBase> help_formatter() { return std::make_shared<Help>(); }

std::string usage_hint(std::string_view command) {
  if (command == "validate" || command == "history") return "usage: " + std::string(text_of(command).usage);
  return command == "trueup" ? "see trueup --help" : "see trueup " + std::string(command) + " --help";
}

}  // namespace trueup::cli
