// SPDX-License-Identifier: BSL-1.0
// File: src/cli/explain_command.cpp
//
// `trueup explain DIR --install ID | --device ID | --licence ID | --product NAME`: reads and
// reconciles the fleet as reconcile does (with the state file's history when --state names
// one, which is read and never changed), then prints the explanation
// (include/trueup/report/explain.hpp) as text or JSON. An id the fleet does not hold is invalid
// input: exit 2, with the nearest ids, and nothing written.
//
// With --state, the explanation of a licence, a device or an install ends with the recorded
// timeline of the licence (of the device's licences): a reconcile sees only the open rows (the
// current holders), so a move between two runs is named from the file's closed rows here, each
// with the reassignment rule of its licence (licensing-rules V1: a licence may move, but not
// again within the pack's period of its last reassignment).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/report/explain.hpp"
#include "trueup/state/reconcile_run.hpp"
#include "trueup/state/store.hpp"

namespace trueup::cli {

namespace {

/// The licence of `fleet` whose id is `id`, or nullptr.
const Entitlement* licence_named(const Fleet& fleet, const std::string& id) {
  const auto it = std::find_if(fleet.entitlements.begin(), fleet.entitlements.end(),
                               [&id](const Entitlement& e) { return e.id == id; });
  return it == fleet.entitlements.end() ? nullptr : &*it;
}

std::string holder_of(const state::HistoryEntry& h) { return h.device.empty() ? "user " + h.user : h.device; }

/// The recorded timeline of the subject's licences, oldest first: each row, and each move from
/// one holder to another with the rule that allows it. Empty for a product or an id with no rows.
Result<std::vector<report::ExplainLine>> history_lines(const FleetOptions& o, const RulePack& pack,
                                                       const Fleet& fleet) {
  std::string device = o.explain_id;
  if (o.explain_by == "install") {
    const auto it = std::find_if(fleet.installs.begin(), fleet.installs.end(),
                                 [&o](const Install& in) { return in.id == o.explain_id; });
    if (it == fleet.installs.end()) return std::vector<report::ExplainLine>{};  // explain says why
    device = fleet.device(it->device).id;
  } else if (o.explain_by != "licence" && o.explain_by != "device") {
    return std::vector<report::ExplainLine>{};
  }
  auto store = state::Store::open(*o.state, {.read_only = true});
  if (!store) return store.error();
  auto rows = o.explain_by == "licence" ? store->history_of_licence(o.explain_id) : store->history_of_device(device);
  if (!rows) return rows.error();
  std::vector<report::ExplainLine> out;
  if (rows->empty()) return out;
  // Every row of each licence concerned, to find where a move came from.
  std::map<std::string, std::vector<state::HistoryEntry>> of_licence;
  for (const state::HistoryEntry& h : *rows) {
    if (of_licence.count(h.licence) != 0) continue;
    auto all = store->history_of_licence(h.licence);
    if (!all) return all.error();
    of_licence[h.licence] = std::move(*all);
  }
  out.push_back({0, "history",
                 std::to_string(rows->size()) + " assignment row(s) recorded in " +
                     std::filesystem::path(*o.state).filename().string() + ", oldest first"});
  for (const state::HistoryEntry& h : *rows) {
    out.push_back({1, "assignment",
                   h.from.iso() + " to " + (h.to ? h.to->iso() : std::string("now")) + ": " + h.licence + " on " +
                       holder_of(h) + ", " + std::to_string(h.units) + " unit(s), " + std::string(name(h.reason)) +
                       " (run " + std::to_string(h.opened_by_run) + ")"});
    // A move: rows of the licence closed on the day this one opened, with another holder.
    std::string from;
    for (const state::HistoryEntry& p : of_licence.at(h.licence))
      if (p.to && *p.to == h.from && holder_of(p) != holder_of(h)) from += (from.empty() ? "" : ", ") + holder_of(p);
    if (h.reason == AssignmentReason::initial || from.empty()) continue;
    std::string text = h.licence + " moved from " + from + " to " + holder_of(h) + " on " + h.from.iso();
    const Entitlement* e = licence_named(fleet, h.licence);
    const ReassignmentRule* rule =
        e != nullptr ? pack.family(e->product.family).reassignment_rule(e->channel) : nullptr;
    if (rule != nullptr)
      text += ": a licence may be reassigned, and not again within " + std::to_string(rule->days) +
              " days of its last reassignment unless for permanent hardware failure or a user leaving (" +
              rule->source + ")";
    else
      text += ": the rule pack sets no reassignment limit for this licence";
    out.push_back({2, "reassignment", std::move(text)});
  }
  return out;
}

}  // namespace

int explain(const FleetOptions& o) {
  auto pack = load_pack(o);
  if (!pack) return 2;
  auto read = read_or_report(o, *pack);
  if (!read) return 2;
  const Date as_of = o.as_of.value_or(Date::today());
  // The run begun reads the history and is never committed: destroying it leaves the file as
  // it was. A missing file is refused rather than created.
  std::optional<state::Run> state_run;
  std::vector<report::ExplainLine> history;
  if (o.state) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*o.state, ec)) {
      print_diagnostics({{Severity::error, *o.state, 0, 0, "state-open",
                          "expected a state file written by trueup reconcile --state, found none"}});
      return 2;
    }
    // The timeline is read before the run takes the file's lock.
    auto lines = history_lines(o, *pack, read->fleet);
    if (!lines) {
      print_diagnostics(lines.error());
      return 2;
    }
    history = std::move(*lines);
    auto begun = state::begin_reconcile(*o.state, as_of, read->fleet);
    if (!begun) {
      print_diagnostics(begun.error());
      return 2;
    }
    state_run = std::move(begun->run);
  }
  ReconcileOptions options;
  options.as_of = as_of;
  options.threads = o.threads;
  const Position position = trueup::reconcile(*pack, read->fleet, options);
  const auto subject = parse<report::ExplainSubject>(o.explain_by);
  if (!subject) throw std::logic_error("explain: no subject " + o.explain_by);
  auto explained = report::explain(*subject, o.explain_id, position, *pack, read->fleet);
  if (!explained) {
    print_diagnostics(explained.error());
    fmt::print(stderr, "trueup: nothing was written\n");
    return 2;
  }
  explained->lines.insert(explained->lines.end(), history.begin(), history.end());
  const std::string text = o.format == "json" ? report::format_explanation_json(*explained, position)
                                              : report::format_explanation(*explained, position);
  return written_status(write_text(o.output, text));
}

}  // namespace trueup::cli
