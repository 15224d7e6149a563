// SPDX-License-Identifier: BSL-1.0
// File: src/report/sheets.cpp
//
// The summary sheets of the workbook. ELP: one row per product row of the position (family,
// version, edition and the metric its units count in), with the licences held split by channel
// (volume, retail, OEM, subscription; they add up to Licences), installs, demand, consumed
// (including by downgrade and down-edition: a 2019 licence covering a 2016 install is consumed
// on the 2019 row), surplus, shortfall and the true-up cost. Shortfall: what to buy, from
// Position::purchases: the SKU and price of the licence record or price-list line that priced
// each part of a row's shortfall. Assumptions: what the position rests on.
#include <string>
#include <vector>

#include "report/sheet.hpp"
#include "trueup/version.hpp"

namespace trueup::report {
namespace {

/// A cost that may be unknown: empty when no unit of the shortfall has a known price (unknown
/// is not free), as the JSON's null.
Cell cost_cell(const MoneyTotal& cost, Units unpriced) {
  return unpriced > 0 && cost == MoneyTotal{} ? Cell{} : Cell::of(cost);
}

std::string bought(const RulePack& pack, const Purchase& p) {
  ProductRef ref = p.product;
  if (p.buy_edition) ref.edition = *p.buy_edition;
  return pack.product_name(ref);
}

}  // namespace

Sheet elp_sheet(const Position& position, const RulePack& pack) {
  Sheet s{"ELP", "elp.csv", {}, {}};
  s.columns = {{"Product", 34},
               {"Family", 10},
               {"Version", 9},
               {"Edition", 16},
               {"Metric", 10},
               {"Volume licences", 10},
               {"Retail (FPP) licences", 10},
               {"OEM licences", 10},
               {"Subscription licences", 12},
               {"Licences", 10},
               {"Void licences", 10},
               {"Installs", 10},
               {"Duplicates", 10},
               {"Excluded", 10},
               {"Devices needing a licence", 12},
               {"Demand units", 10},
               {"Covered units", 10},
               {"Consumed", 10},
               {"Surplus", 10},
               {"Shortfall", 10},
               {"True-up cost", 14},
               {"Unpriced shortfall units", 12},
               {"Buy edition", 12}};
  s.rows = [&position, &pack](const RowSink& sink) {
    Row row;
    for (const ProductPosition& r : position.products) {
      const Family& f = pack.family(r.product.family);
      const auto channel = [&](Channel c) { return Cell::of(r.licences_by_channel[static_cast<std::size_t>(c)]); };
      row = {Cell::of(pack.product_name(r.product)),
             Cell::of(f.id),
             Cell::of(f.versions[r.product.version].name),
             Cell::of(f.editions[r.product.edition].name),
             Cell::of(name(r.metric)),
             channel(Channel::volume),
             channel(Channel::retail),
             channel(Channel::oem),
             channel(Channel::subscription),
             Cell::of(r.licences),
             Cell::of(r.void_licences),
             Cell::of(std::int64_t{r.installs}),
             Cell::of(std::int64_t{r.duplicates}),
             Cell::of(std::int64_t{r.excluded}),
             Cell::of(std::int64_t{r.demands}),
             Cell::of(r.demand_units),
             Cell::of(r.covered_units),
             Cell::of(r.consumed),
             Cell::of(r.surplus),
             Cell::of(r.shortfall_units),
             cost_cell(r.true_up_cost, r.unpriced_shortfall),
             Cell::of(r.unpriced_shortfall),
             r.buy_edition ? Cell::of(f.editions[*r.buy_edition].name) : Cell{}};
      sink(row);
    }
  };
  return s;
}

Sheet shortfall_sheet(const Position& position, const RulePack& pack, const Fleet& fleet) {
  Sheet s{"Shortfall", "shortfall.csv", {}, {}};
  s.columns = {{"Product short", 34}, {"Metric", 10},  {"Buy", 34},       {"SKU", 14},
               {"Priced from", 26},   {"Channel", 12}, {"Quantity", 10},  {"Unit cost", 12},
               {"Currency", 9},       {"Cost", 14},    {"Price known", 8}};
  s.rows = [&position, &pack, &fleet](const RowSink& sink) {
    Row row;
    for (const Purchase& p : position.purchases) {
      std::string sku, from, currency, channel;
      switch (p.source.kind) {
        case PriceSource::Kind::licence: {
          const Entitlement& e = fleet.entitlements.at(p.source.index);
          sku = e.sku, from = "licence " + e.id, currency = e.currency, channel = std::string(name(e.channel));
          break;
        }
        case PriceSource::Kind::price_list: {
          const Price& o = fleet.prices.at(p.source.index);
          sku = o.sku, from = "prices.csv line " + std::to_string(o.line), currency = o.currency;
          channel = std::string(name(o.channel));
          break;
        }
        case PriceSource::Kind::none: from = "no known price"; break;
      }
      const bool priced = p.source.kind != PriceSource::Kind::none;
      row = {Cell::of(pack.product_name(p.product)),
             Cell::of(name(p.metric)),
             Cell::of(bought(pack, p)),
             Cell::of(sku),
             Cell::of(from),
             Cell::of(channel),
             Cell::of(p.units),
             priced ? Cell::of(MoneyTotal{p.unit_cost.amount}) : Cell{},
             Cell::of(currency),
             priced ? Cell::of(p.cost) : Cell{},
             Cell::of(priced ? "yes" : "no")};
      sink(row);
    }
  };
  return s;
}

Sheet assumptions_sheet(const Position& position, const Fleet& fleet, const WorkbookOptions& options) {
  Sheet s{"Assumptions", "assumptions.csv", {{"Item", 34}, {"Value", 90}}, {}};
  s.rows = [&position, &fleet, &options](const RowSink& sink) {
    const auto line = [&](std::string_view item, Cell value) { sink({Cell::of(item), std::move(value)}); };
    line("trueup", Cell::of(version_string));
    line("Rule pack", Cell::of(position.rule_pack));
    line("As-of date", Cell::of(position.as_of));
    line("Solver", Cell::of(position.status == SolveStatus::optimal ? "optimal" : "bad-cost-range"));
    for (const auto& [option, value] : options.options) line("Option: " + option, Cell::of(value));
    line("Devices read", Cell::of(static_cast<std::int64_t>(fleet.devices.size())));
    line("Installs read", Cell::of(std::int64_t{position.totals.installs}));
    line("Licence records read", Cell::of(static_cast<std::int64_t>(fleet.entitlements.size())));
    line("Price-list lines read", Cell::of(static_cast<std::int64_t>(fleet.prices.size())));
    line("Installs covered", Cell::of(std::int64_t{position.totals.covered}));
    line("Installs short", Cell::of(std::int64_t{position.totals.shortfall}));
    line("Installs excluded", Cell::of(std::int64_t{position.totals.excluded}));
    line("Installs duplicate", Cell::of(std::int64_t{position.totals.duplicate}));
    for (std::size_t m = 0; m < metric_count; ++m) {
      const UnitTotals& u = position.totals.units[m];
      if (u.demand == 0 && u.licences == 0) continue;
      const std::string metric(name(static_cast<Metric>(m)));
      line("Demand units (" + metric + ")", Cell::of(u.demand));
      line("Licences (" + metric + ")", Cell::of(u.licences));
      line("Shortfall units (" + metric + ")", Cell::of(u.shortfall));
    }
    line("True-up cost", cost_cell(position.totals.true_up_cost, position.totals.unpriced_shortfall));
    line("Shortfall units with no known price", Cell::of(position.totals.unpriced_shortfall));
    line("Money", Cell::of("exact amounts in the currency of the prices given (prices.csv, unit_cost); a shortfall "
                           "is priced at the cheapest known unit price of a licence that would cover it"));
    line("Proof of purchase", Cell::of("a licence record's reference (invoice, agreement number) is its proof of "
                                       "purchase; records without one are flagged \"no proof on record\" on the "
                                       "Licences sheet, as auditors may refuse them"));
    line("Licence units", Cell::of("units of different metrics (devices, processors, cores, users, CALs) are "
                                   "never added together"));
    for (const Diagnostic& d : position.warnings) line("Warning: " + d.code, Cell::of(to_string(d)));
  };
  return s;
}

std::vector<Sheet> workbook_sheets(const Position& position, const RulePack& pack, const Fleet& fleet,
                                   const WorkbookOptions& options) {
  std::vector<Sheet> sheets;
  sheets.push_back(elp_sheet(position, pack));
  sheets.push_back(installs_sheet(position, pack, fleet));
  sheets.push_back(licences_sheet(position, pack, fleet));
  sheets.push_back(shortfall_sheet(position, pack, fleet));
  sheets.push_back(excluded_sheet(position, pack, fleet));
  sheets.push_back(assumptions_sheet(position, fleet, options));
  return sheets;
}

std::vector<std::string> csv_folder_files() {
  return {"elp.csv", "installs.csv", "licences.csv", "shortfall.csv", "excluded.csv", "assumptions.csv"};
}

}  // namespace trueup::report
