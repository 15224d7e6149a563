// SPDX-License-Identifier: BSL-1.0
// File: src/core/totals.cpp
//
// Per-product rows and totals. Rows are keyed by product and the metric its units count in: a
// 2012 R2 server licensed with 2016 core licences is a core row, one licensed with 2012 R2
// licences a processor row (G4). Units of different metrics are never added (Totals::units).
// True-up cost: each stage's shortfall priced at its cheapest known unit cost (core/pricing.hpp);
// units with no known price are counted apart. What to buy (Position::purchases): each row's
// shortfall units by the licence record or price-list line that priced them.
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "core/stages.hpp"

namespace trueup::core {
namespace {

using Rows = std::map<std::pair<ProductRef, Metric>, ProductPosition>;

ProductPosition& row(Rows& rows, ProductRef p, Metric m) {
  ProductPosition& r = rows[{p, m}];
  r.product = p;
  r.metric = m;
  return r;
}

void count_installs(const Position& pos, Rows& rows, Totals& t) {
  for (const auto& v : pos.installs) {
    t.covered += v.verdict == Verdict::covered;
    t.shortfall += v.verdict == Verdict::shortfall;
    t.excluded += v.verdict == Verdict::excluded;
    t.duplicate += v.verdict == Verdict::duplicate;
    if (!v.product) continue;
    ProductPosition& r = row(rows, *v.product, v.metric);
    ++r.installs;
    r.duplicates += v.verdict == Verdict::duplicate;
    r.excluded += v.verdict == Verdict::excluded;
    if (v.verdict == Verdict::covered || v.verdict == Verdict::shortfall) {
      ++r.demands;
      r.demand_units += v.demanded;
      r.covered_units += v.covered;
      r.shortfall_units += v.demanded - v.covered;
    }
  }
  for (const CalPosition& c : pos.cals) {
    ProductPosition& r = row(rows, c.product, c.metric);
    ++r.installs;
    ++r.demands;
    ++r.demand_units;
    r.covered_units += c.covered;
    r.shortfall_units += 1 - c.covered;
  }
}

/// The true-ups gathered by row and then by what prices them, in the order of the rows.
void write_purchases(const Work& work, Position& pos) {
  using Source = std::tuple<std::optional<std::uint16_t>, PriceSource>;
  std::map<std::pair<ProductRef, Metric>, std::map<Source, Purchase>> by_row;
  for (const TrueUp& u : work.true_ups) {
    const PriceSource source = u.price ? u.price->source : PriceSource{};
    Purchase& p = by_row[{u.product, u.metric}][{u.buy_edition, source}];
    p.product = u.product;
    p.metric = u.metric;
    p.buy_edition = u.buy_edition;
    p.source = source;
    p.unit_cost = Money{u.price ? u.price->unit_cost : 0};
    p.units += u.units;
    p.cost += MoneyTotal::times(p.unit_cost, u.units);
  }
  for (const ProductPosition& r : pos.products)
    if (const auto it = by_row.find({r.product, r.metric}); it != by_row.end())
      for (const auto& entry : it->second) pos.purchases.push_back(entry.second);
}

}  // namespace

void write_totals(const Run& run, const Work& work, Position& pos) {
  Rows rows;
  Totals& t = pos.totals;
  t.installs = static_cast<std::uint32_t>(run.fleet.installs.size());
  count_installs(pos, rows, t);
  for (const TrueUp& u : work.true_ups) {
    ProductPosition& r = row(rows, u.product, u.metric);
    if (u.buy_edition) r.buy_edition = u.buy_edition;
    if (u.price)
      r.true_up_cost += MoneyTotal::times(Money{u.price->unit_cost}, u.units);
    else
      r.unpriced_shortfall += u.units;
  }
  std::set<std::string> currencies;
  for (std::size_t i = 0; i < run.fleet.entitlements.size(); ++i) {
    const Entitlement& e = run.fleet.entitlements[i];
    const EntitlementUse& use = pos.entitlements[i];
    // A licence counts on the row of what it counts as (a converted one on its new model's).
    ProductPosition& r = use.counted ? row(rows, use.product, use.metric) : row(rows, e.product, e.metric);
    (use.counted ? r.licences : r.void_licences) += use.counted ? use.units : e.quantity;
    if (use.counted) r.licences_by_channel[static_cast<std::size_t>(e.channel)] += use.units;
    r.consumed += use.consumed;
    if (e.unit_cost && !e.currency.empty()) currencies.insert(e.currency);
  }
  for (auto& [key, r] : rows) {
    r.surplus = r.licences - r.consumed;
    UnitTotals& u = t.in(r.metric);
    u.demand += r.demand_units;
    u.covered += r.covered_units;
    u.shortfall += r.shortfall_units;
    u.licences += r.licences;
    u.consumed += r.consumed;
    u.surplus += r.surplus;
    t.true_up_cost += r.true_up_cost;
    t.unpriced_shortfall += r.unpriced_shortfall;
    pos.products.push_back(r);
  }
  // Host-licensed families are grouped by model (per server, per processor, per core), so a
  // report shows at a glance which servers are counted by which rules.
  std::stable_sort(pos.products.begin(), pos.products.end(), [&](const ProductPosition& a, const ProductPosition& b) {
    auto key = [&](const ProductPosition& r) {
      const bool host = run.pack.family(r.product.family).assignment == Assignment::host;
      return std::pair(r.product.family, host ? static_cast<int>(r.metric) : 0);
    };
    return key(a) < key(b);
  });
  write_purchases(work, pos);
  if (currencies.size() > 1) {
    std::string list;
    for (const auto& c : currencies) list += (list.empty() ? "" : ", ") + c;
    pos.warnings.push_back(Diagnostic::about(
        Subject::entitlements, "mixed-currencies",
        "expected one currency for true-up prices, found " + list + "; prices are compared as numbers"));
  }
  std::size_t review = 0;
  for (const InstallVerdict& v : pos.installs) review += v.exclusion == Exclusion::needs_review;
  if (review > 0)
    pos.warnings.push_back(Diagnostic::about(
        Subject::installs, "needs-review",
        "expected every row that names a product of the rule pack to be decided, found " + std::to_string(review) +
            " install(s) that need review (excluded as needs-review, each with its reason): they are not counted "
            "until an overlay pack or the inventory decides them"));
  if (run.norm.unknown_hardware > 0)
    pos.warnings.push_back(
        Diagnostic::about(Subject::devices, "unknown-hardware",
                          "expected processor and core counts for " + std::to_string(run.norm.unknown_hardware) +
                              " server(s) licensed per processor or core, found none; the minimums were used"));
}

}  // namespace trueup::core
