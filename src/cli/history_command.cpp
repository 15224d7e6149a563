// SPDX-License-Identifier: BSL-1.0
// File: src/cli/history_command.cpp
//
// `trueup history`: one timeline of the state store, as a table whose columns are as wide as
// their widest cell. Rows come in the store's order, so the output depends only on the file,
// which is opened read-only: never created, migrated or changed.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "trueup/state/store.hpp"

namespace trueup::cli {
namespace {

using Table = std::vector<std::array<std::string, 7>>;

/// The table laid out: two blanks between columns, units right-aligned, no trailing blanks.
std::string layout(const Table& table) {
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
      if (c == 4)  // units
        out += pad + row[c] + "  ";
      else if (c + 1 < row.size())
        out += row[c] + pad + "  ";
      else
        out += row[c];
    }
    out += '\n';
  }
  return out;
}

}  // namespace

int history(const HistoryOptions& o) {
  auto store = state::Store::open(o.state, {.read_only = true});
  if (!store) {
    print_diagnostics(store.error());
    return 2;
  }
  auto rows = o.by == "licence"  ? store->history_of_licence(o.id)
              : o.by == "device" ? store->history_of_device(o.id)
                                 : store->history_of_user(o.id);
  if (!rows) {
    print_diagnostics(rows.error());
    return 2;
  }
  if (rows->empty()) {
    fmt::print("no assignments recorded for {} {}\n", o.by, o.id);
    return 0;
  }

  Table table{{"from", "to", "licence", "holder", "units", "reason", "run"}};
  for (const auto& e : *rows)
    table.push_back(
        {e.from.iso(), e.to ? e.to->iso() : "now", e.licence,
         e.device.empty() ? "user " + e.user : "device " + e.device, std::to_string(e.units),
         std::string(name(e.reason)),
         e.closed_by_run ? fmt::format("{}-{}", e.opened_by_run, *e.closed_by_run) : std::to_string(e.opened_by_run)});
  const std::string out = layout(table);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace trueup::cli
