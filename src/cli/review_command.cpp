// SPDX-License-Identifier: BSL-1.0
// File: src/cli/review_command.cpp
//
// `trueup review [DIR] [--inventory KIND:PATH]...`: what was read and what recognition makes of
// every row (trueup/normalise/review.hpp), as a table or JSON, without reconciling. With
// --inventory it reads the exports alone (no licences needed); without, DIR's fleet. Invalid
// input is reported as reconcile reports it, and nothing is written.
#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/import/review_report.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/writers.hpp"

namespace trueup::cli {

namespace {

int unreadable(const Diagnostics& ds) {
  print_diagnostics(ds);
  std::size_t errors = 0;
  for (const auto& d : ds) errors += d.severity == Severity::error;
  fmt::print(stderr, "trueup: {} error(s) in the input; nothing was computed or written\n", errors);
  return 2;
}

/// Each source's device ids, each source read once more on its own (with one source, none):
/// which device a source describes is lost when the sources are merged. The sources were read
/// together first, so each reads alone; its warnings were printed then.
std::vector<std::pair<std::string, std::vector<std::string>>> devices_per_source(
    const std::vector<import::Source>& sources) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  if (sources.size() < 2) return out;
  for (const import::Source& source : sources) {
    auto alone = import::read_inventory({source});
    std::vector<std::string> ids;
    if (alone)
      for (const auto& d : alone->devices) ids.push_back(d.id);
    out.emplace_back(source.spec, std::move(ids));
  }
  return out;
}

/// The fleet and the sources it came from, or the exit code of invalid input.
int read_for_review(const FleetOptions& o, const RulePack& pack, Fleet& fleet, import::ReviewReport& report) {
  if (o.inventory.empty()) {
    auto read = io::read_fleet(o.dir, pack, o.threads, o.dialect);
    if (!read) return unreadable(read.error());
    print_diagnostics(read->warnings);
    fleet = std::move(read->fleet);
    report.sources.push_back({o.dir, 1, fleet.devices.size(), fleet.installs.size(), 0, 0});
    return 0;
  }
  if (const auto refused = dialect_with_inventory(o)) return unreadable(Diagnostics{*refused});
  std::vector<import::Source> sources;
  for (const std::string& spec : o.inventory) {
    auto source = import::parse_source(spec);
    if (!source) return unreadable(source.error());
    sources.push_back(std::move(*source));
  }
  auto inventory = import::read_inventory(sources);
  if (!inventory) return unreadable(inventory.error());
  auto read = import::read_fleet(*inventory, pack, o.dir);
  if (!read) return unreadable(read.error());
  print_diagnostics(read->warnings);
  fleet = std::move(read->fleet);
  report.sources = inventory->sources;
  for (const auto& d : inventory->devices)
    if (!d.software_reported) report.software_unknown.push_back(d.id);
  report.staleness = import::stale_devices(*inventory, o.as_of.value_or(Date::today()), o.stale_days);
  report.source_gaps = import::source_gaps(devices_per_source(sources));
  return 0;
}

}  // namespace

int review(const FleetOptions& o) {
  auto pack = load_pack(o);
  if (!pack) return 2;
  Fleet fleet;
  import::ReviewReport report;
  if (const int status = read_for_review(o, *pack, fleet, report); status != 0) return status;
  report.review = trueup::review(*pack, fleet);
  const std::string text =
      o.format == "json" ? import::format_review_json(report, *pack) : import::format_review_table(report, *pack);
  if (!o.output) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (auto written = io::write_file_atomically(*o.output, text); !written) {
    print_diagnostics(written.error());
    fmt::print(stderr, "trueup: nothing was written\n");
    return 2;
  }
  return 0;
}

}  // namespace trueup::cli
