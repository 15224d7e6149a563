// SPDX-License-Identifier: BSL-1.0
// File: src/io/format_table.cpp
//
// The terminal table for a Position (docs/formats.md, "Output"): one row per product, in pack
// order, blocked by family (and by licensing model in host-licensed families); one total row
// per metric present, since device licences and core licences do not add up; then a summary
// of the installs, the void licences, the true-up cost, the servers, users, CALs and the
// history. Every server, user and holder, and every reason, is in the JSON instead.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "trueup/io/columns.hpp"
#include "trueup/io/writers.hpp"

namespace trueup::io {

namespace {

constexpr std::size_t ncol = 11;
using Row = std::array<std::string, ncol>;

std::string exclusion_breakdown(const Position& p) {
  std::map<Exclusion, std::uint32_t> by;
  for (const auto& v : p.installs)
    if (v.verdict == Verdict::excluded) ++by[v.exclusion];
  std::string s;
  for (const auto& [e, n] : by) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", name(e), n);
  return s;
}

// The true-up cell: "-" when nothing is short, "?" when no shortfall unit has a known price,
// and a trailing "+?" when only some have one.
std::string money_or_dash(const MoneyTotal& m, Units unpriced, Units shortfall) {
  if (shortfall == 0) return "-";
  if (unpriced == shortfall) return "?";
  return unpriced > 0 ? m.str() + "+?" : m.str();
}

/// The product rows, and where a blank line separates one block from the next.
struct ProductRows {
  std::vector<Row> rows;
  std::vector<FamilyIndex> family_of_row;
  std::vector<int> model_of_row;  // host families: one block per model
  std::uint32_t installs = 0, dups = 0, excl = 0;
};

ProductRows product_rows(const Position& p, const RulePack& pack) {
  ProductRows out;
  for (const ProductPosition& r : p.products) {
    // The edition the true-up buys, when the cheapest fix is another one (Standard -> Datacenter).
    const std::string product =
        pack.product_name(r.product) +
        (r.buy_edition ? " (buy " + pack.family(r.product.family).editions[*r.buy_edition].name + ")" : std::string());
    out.rows.push_back({product, std::string(name(r.metric)), std::to_string(r.installs), std::to_string(r.duplicates),
                        std::to_string(r.excluded), std::to_string(r.demand_units), std::to_string(r.licences),
                        std::to_string(r.consumed), std::to_string(r.surplus), std::to_string(r.shortfall_units),
                        money_or_dash(r.true_up_cost, r.unpriced_shortfall, r.shortfall_units)});
    out.family_of_row.push_back(r.product.family);
    out.model_of_row.push_back(pack.family(r.product.family).assignment == Assignment::host ? static_cast<int>(r.metric)
                                                                                            : -1);
    out.installs += r.installs;
    out.dups += r.duplicates;
    out.excl += r.excluded;
  }
  return out;
}

// One total row per metric present: device licences and core licences do not add up.
std::vector<Row> metric_totals(const Position& p) {
  std::vector<Row> totals;
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals& u = p.totals.units[m];
    if (u.demand == 0 && u.licences == 0) continue;
    MoneyTotal cost;
    Units unpriced = 0;
    for (const ProductPosition& r : p.products)
      if (r.metric == static_cast<Metric>(m)) {
        cost += r.true_up_cost;
        unpriced += r.unpriced_shortfall;
      }
    totals.push_back({"Total", std::string(name(static_cast<Metric>(m))), "", "", "", std::to_string(u.demand),
                      std::to_string(u.licences), std::to_string(u.consumed), std::to_string(u.surplus),
                      std::to_string(u.shortfall), money_or_dash(cost, unpriced, u.shortfall)});
  }
  return totals;
}

/// The table itself: the heads, the product rows in blocks, the totals per metric and the
/// grand total, each column as wide as its widest cell.
std::string table_text(const Row& heads, const ProductRows& products, const std::vector<Row>& totals,
                       const Row& total) {
  std::array<std::size_t, ncol> width{};
  for (std::size_t c = 0; c < ncol; ++c) {
    width[c] = std::max(heads[c].size(), total[c].size());
    for (const auto& r : products.rows) width[c] = std::max(width[c], r[c].size());
    for (const auto& r : totals) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const Row& cells) {
    std::string s = fmt::format("{:<{}}  {:<{}}", cells[0], width[0], cells[1], width[1]);
    for (std::size_t c = 2; c < ncol; ++c) s += fmt::format("  {:>{}}", cells[c], width[c]);
    return s + "\n";
  };
  std::size_t table_width = 0;
  for (std::size_t c = 0; c < ncol; ++c) table_width += width[c] + (c == 0 ? 0 : 2);
  const std::string rule(table_width, '-');

  std::string out = line(heads) + rule + "\n";
  const auto& rows = products.rows;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i != 0 && (products.family_of_row[i] != products.family_of_row[i - 1] ||
                   products.model_of_row[i] != products.model_of_row[i - 1]))
      out += "\n";  // one block per family, and per model in host-licensed families
    out += line(rows[i]);
  }
  out += rule + "\n";
  for (const auto& r : totals) out += line(r);
  out += line(total) + "\n";
  return out;
}

/// The installs read, the void licences and the true-up cost.
std::string counts_summary(const Position& p, const Fleet& fleet) {
  const Totals& t = p.totals;
  std::string out = fmt::format("Installs read {}: covered {}, short {}, excluded {}, duplicate {}\n", t.installs,
                                t.covered, t.shortfall, t.excluded, t.duplicate);
  if (t.excluded > 0) out += fmt::format("Excluded: {}\n", exclusion_breakdown(p));
  Units void_units = 0;
  std::size_t void_records = 0;
  for (std::size_t i = 0; i < p.entitlements.size(); ++i)
    if (!p.entitlements[i].counted) {
      ++void_records;
      void_units += fleet.entitlements[i].quantity;
    }
  out += fmt::format("Licences: {} record(s) void, {} unit(s) (reasons in the JSON)\n", void_records, void_units);
  out += fmt::format("True-up: {} install(s) short", t.shortfall);
  if (t.shortfall > 0) {
    out += fmt::format(", {} at the cheapest known unit prices", t.true_up_cost.str());
    if (t.unpriced_shortfall > 0) out += fmt::format(" plus {} unit(s) with no known price", t.unpriced_shortfall);
  }
  out += "\n";
  return out;
}

// Servers by model, users, CALs: the summary; every server, user and holder is in the JSON.
std::string holders_summary(const Position& p) {
  std::string out;
  std::map<std::pair<std::string, Metric>, std::array<Units, 4>> models;  // servers, short, required, covered
  for (const ServerPosition& sp : p.servers) {
    auto& m = models[{sp.model, sp.metric}];
    ++m[0];
    m[1] += sp.covered < sp.required;
    m[2] += sp.required;
    m[3] += sp.covered;
  }
  for (const auto& [key, m] : models)
    out += fmt::format("Servers licensed {}: {} server(s), {} short; {} {} licence unit(s) required, {} covered\n",
                       key.first, m[0], m[1], m[2], name(key.second), m[3]);
  if (!p.users.empty()) {
    std::size_t with = 0, owned = 0, under = 0, per_device = 0, device_short = 0;
    for (const UserPosition& u : p.users) {
      with += u.user_licence;
      owned += u.user_licence_owned;
      under += u.under_user_licence;
      per_device += u.device_licences;
      device_short += u.device_short;
    }
    out += fmt::format(
        "Users: {} user(s), {} with a user licence ({} owned) covering {} device(s); {} device(s) "
        "per device, {} of them short\n",
        p.users.size(), with, owned, under, per_device, device_short);
  }
  if (!p.cals.empty()) {
    std::size_t users = 0, devices = 0, short_ = 0;
    for (const CalPosition& c : p.cals) {
      (c.metric == Metric::user_cal ? users : devices) += 1;
      short_ += c.covered == 0;
    }
    out += fmt::format("CALs: {} user CAL(s), {} device CAL(s) needed, {} short\n", users, devices, short_);
  }
  return out;
}

}  // namespace

std::string format_table(const Position& p, const RulePack& pack, const Fleet& fleet) {
  Row heads;
  for (std::size_t c = 0; c < heads.size(); ++c) heads[c] = columns::products[columns::table_columns[c]].heading;
  const ProductRows products = product_rows(p, pack);
  const Totals& t = p.totals;
  const std::vector<Row> totals = metric_totals(p);
  Units all_short = 0;
  for (const UnitTotals& u : t.units) all_short += u.shortfall;
  const Row total = {"Total",
                     "",
                     std::to_string(products.installs),
                     std::to_string(products.dups),
                     std::to_string(products.excl),
                     "",
                     "",
                     "",
                     "",
                     "",
                     money_or_dash(t.true_up_cost, t.unpriced_shortfall, all_short)};

  std::string out = fmt::format("Effective licence position as of {} (rule pack {})\n\n", p.as_of.iso(), p.rule_pack);
  out += table_text(heads, products, totals, total);
  out += counts_summary(p, fleet);
  out += holders_summary(p);
  if (!p.assignments.empty())
    out += fmt::format(
        "Assignments: {} unit(s) kept where they were, {} moved, {} newly assigned, {} held idle by the "
        "90-day rule\n",
        p.history.kept, p.history.moved, p.history.assigned, p.history.locked);
  out += fmt::format("Solver: {} demand classes x {} pools in {} component(s), {}\n", p.demand_classes, p.pools,
                     p.components, p.status == SolveStatus::optimal ? "optimal" : "bad cost range");
  return out;
}

}  // namespace trueup::io
