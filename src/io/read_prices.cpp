// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_prices.cpp
//
// prices.csv (optional; docs/formats.md): the price list. One row per product a shortfall could
// be bought as, named by the rule pack's family, version and edition, with the unit cost of one
// licence unit in its metric; what prices a shortfall where no licence record names a price.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "fields.hpp"
#include "products.hpp"
#include "table_readers.hpp"

namespace trueup::io::reading {

namespace {

struct PriceCol {
  enum : std::size_t { sku, family, version, edition, channel, metric, unit_cost, currency };
};
constexpr ColumnSpec price_columns[] = {{"sku", false},      {"family", true},   {"version", true},
                                        {"edition", true},   {"channel", false}, {"metric", false},
                                        {"unit_cost", true}, {"currency", false}};

/// How the licence is sold (volume when blank). An OEM licence is not on a price list: it is
/// sold only preinstalled on a new device (licensing-rules O1), so it cannot fix a shortfall.
void read_price_channel(Table& t, Price& p) {
  const std::string_view v = trim(t.value(PriceCol::channel));
  if (v.empty()) return;
  const auto c = parse<Channel>(lower(v));
  if (c && *c != Channel::oem) {
    p.channel = *c;
    return;
  }
  t.error(PriceCol::channel, "bad-channel",
          "expected volume, retail or subscription (an OEM licence is sold only with a new device), found " +
              quote_value(v));
}

/// The metric one unit counts in: the product's own or one its family allows (Family::metrics).
void read_price_metric(Table& t, const RulePack& pack, Price& p) {
  p.metric = pack.metric_of(p.product);
  const std::string_view v = trim(t.value(PriceCol::metric));
  if (v.empty()) return;
  const Family& f = pack.family(p.product.family);
  const auto m = parse<Metric>(lower(v));
  if (m && (*m == p.metric || std::find(f.metrics.begin(), f.metrics.end(), *m) != f.metrics.end())) {
    p.metric = *m;
    return;
  }
  std::string allowed(name(p.metric));
  for (Metric x : f.metrics)
    if (x != p.metric) allowed += ", " + std::string(name(x));
  t.error(PriceCol::metric, "bad-metric",
          "expected a metric licences of " + pack.product_name(p.product) + " may count in (" + allowed + "), found " +
              quote_value(v));
}

}  // namespace

void read_prices(std::string_view text, const std::string& file, char separator, const RulePack& pack, Fleet& fleet,
                 Diagnostics& out) {
  Table t(text, file, price_columns, out, separator);
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Price p;
    p.line = t.line();
    p.sku = optional_text(t, PriceCol::sku);
    const auto product_ref = product(t, pack, PriceCol::family, PriceCol::version, PriceCol::edition);
    if (product_ref) {
      p.product = *product_ref;
      read_price_metric(t, pack, p);
    }
    read_price_channel(t, p);
    if (required(t, PriceCol::unit_cost)) {
      if (const auto cost = optional_money(t, PriceCol::unit_cost)) p.unit_cost = *cost;
    }
    p.currency = optional_currency(t, PriceCol::currency);
    if (product_ref) fleet.prices.push_back(std::move(p));
  }
}

}  // namespace trueup::io::reading
