// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_entitlements.cpp
//
// entitlements.csv (docs/formats.md): one row per licence record, its id unique, its product
// named by the rule pack's family, version and edition names. A licence's channel decides its
// rights (licensing-rules G3): an OEM licence is tied to its device (O1), a subscription
// carries no Software Assurance and a perpetual licence no subscription term.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fields.hpp"
#include "products.hpp"
#include "table_readers.hpp"

namespace trueup::io::reading {

namespace {

struct EntitlementCol {
  enum : std::size_t {
    licence_id,
    family,
    version,
    edition,
    channel,
    quantity,
    device_id,
    sku,
    reference,
    purchase_date,
    unit_cost,
    currency,
    metric,
    sa_start,
    sa_end,
    subscription_start,
    subscription_end
  };
};
constexpr ColumnSpec entitlement_columns[] = {
    {"licence_id", true},       {"family", true},         {"version", true},    {"edition", true},
    {"channel", true},          {"quantity", true},       {"device_id", false}, {"sku", false},
    {"reference", false},       {"purchase_date", false}, {"unit_cost", false}, {"currency", false},
    {"metric", false},          {"sa_start", false},      {"sa_end", false},    {"subscription_start", false},
    {"subscription_end", false}};

/// A term (Software Assurance, subscription): both dates optional, the end not before the start.
void read_term(Table& t, std::size_t start_col, std::size_t end_col, std::optional<Date>& start,
               std::optional<Date>& end) {
  start = optional_date(t, start_col);
  end = optional_date(t, end_col);
  if (start && end && *end < *start)
    t.report(Severity::error, end_col, "dates-out-of-order",
             "expected a date on or after " + std::string(t.column_name(start_col)) + " " + start->iso() + ", found " +
                 quote_value(t.value(end_col)));
}

/// The metric column: one that licences of the product may count in (its own, or one of the
/// family's `metrics`); otherwise the product's own stays.
void read_metric(Table& t, const RulePack& pack, ProductRef p, Entitlement& e) {
  const std::string_view v = trim(t.value(EntitlementCol::metric));
  if (v.empty()) return;
  const Family& f = pack.family(p.family);
  const auto m = parse<Metric>(lower(v));
  if (m && (*m == e.metric || std::find(f.metrics.begin(), f.metrics.end(), *m) != f.metrics.end())) {
    e.metric = *m;
  } else {
    std::string allowed(name(e.metric));
    for (Metric x : f.metrics)
      if (x != e.metric) allowed += ", " + std::string(name(x));
    t.error(EntitlementCol::metric, "bad-metric",
            "expected a metric licences of " + pack.product_name(p) + " may count in (" + allowed + "), found " +
                quote_value(v));
  }
}

std::optional<Channel> read_channel(Table& t) {
  std::optional<Channel> channel;
  if (const auto v = required(t, EntitlementCol::channel)) {
    channel = parse<Channel>(lower(trim(*v)));
    if (!channel)
      t.error(EntitlementCol::channel, "bad-enum",
              "expected one of " + word_list<Channel>() + ", found " + quote_value(trim(*v)));
  }
  return channel;
}

void read_quantity(Table& t, Entitlement& e) {
  if (const auto v = required(t, EntitlementCol::quantity)) {
    const std::string_view q = trim(*v);
    const Bounded b = parse_bounded(q, limits::max_quantity, true);
    if (b.kind == Bounded::Kind::not_a_number)
      t.error(EntitlementCol::quantity, "bad-number", "expected a whole number, found " + quote_value(q));
    else if (b.kind == Bounded::Kind::out_of_range)
      t.error(EntitlementCol::quantity, "out-of-range",
              "expected a quantity from 0 to " + std::to_string(limits::max_quantity) +
                  " (the limit of a licence record), found " + quote_value(q));
    else if (b.value < 0)
      t.error(EntitlementCol::quantity, "negative-quantity", "expected a quantity >= 0, found " + quote_value(q));
    else if (b.value == 0)
      t.report(Severity::warning, EntitlementCol::quantity, "zero-quantity",
               "expected a quantity > 0, found " + quote_value(q) + "; the licence counts for nothing");
    e.quantity = b.kind == Bounded::Kind::ok ? b.value : 0;
  }
}

void read_device(Table& t, const DeviceRefs& devices, std::optional<Channel> channel, Entitlement& e) {
  const std::string_view device = t.value(EntitlementCol::device_id);
  if (!device.empty()) {
    e.device =
        devices.find(t, EntitlementCol::device_id, t.field(EntitlementCol::device_id)->value).value_or(DeviceIndex{});
  } else if (channel == Channel::oem) {
    // licensing-rules O1: an OEM licence is tied to the device it came with; without one it
    // cannot be shown to belong anywhere (rules/oem_binding.hpp voids it).
    t.report(Severity::warning, EntitlementCol::device_id, "oem-without-device",
             "expected the device this OEM licence came with, found none; an OEM licence counts only "
             "on the device it came with; this one will not count");
  }
}

/// The Software Assurance and subscription terms, each only on the channel that has one.
void read_terms(Table& t, std::optional<Channel> channel, Entitlement& e) {
  read_term(t, EntitlementCol::sa_start, EntitlementCol::sa_end, e.sa_start, e.sa_end);
  read_term(t, EntitlementCol::subscription_start, EntitlementCol::subscription_end, e.subscription_start,
            e.subscription_end);
  const bool has_subscription_term = e.subscription_start || e.subscription_end;
  if (channel && *channel != Channel::subscription && has_subscription_term)
    t.error(e.subscription_start ? EntitlementCol::subscription_start : EntitlementCol::subscription_end, "bad-term",
            "expected a subscription term only on a subscription licence, found one on a " +
                std::string(name(*channel)) + " licence");
  if (channel == Channel::subscription && (e.sa_start || e.sa_end))
    t.error(e.sa_start ? EntitlementCol::sa_start : EntitlementCol::sa_end, "bad-term",
            "expected Software Assurance only on a perpetual licence (a subscription includes new versions), "
            "found it on a subscription");
  if (e.sa_end && !e.sa_start && !e.purchased)
    t.report(Severity::warning, EntitlementCol::sa_end, "sa-without-start",
             "expected sa_start or purchase_date with sa_end, found neither; Software Assurance is counted from "
             "the licence's own version's release");
}

/// The unit price, for the true-up cost: an amount and its currency, both optional.
void read_price(Table& t, Entitlement& e) {
  e.unit_cost = optional_money(t, EntitlementCol::unit_cost);
  e.currency = optional_currency(t, EntitlementCol::currency);
}

}  // namespace

void read_entitlements(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                       const RulePack& pack, Fleet& fleet, Diagnostics& out) {
  Table t(text, file, entitlement_columns, out, separator);
  const std::size_t rows = CsvReader::count_lines(text) + 1;
  UniqueIds ids;  // licence ids are looked up later by the history, not here
  ids.reserve(rows);
  fleet.entitlements.reserve(rows);

  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Entitlement e;
    e.line = t.line();
    if (const auto id = required(t, EntitlementCol::licence_id)) {
      e.id = *id;
      ids.add(*id, fleet.entitlements.size(), *t.field(EntitlementCol::licence_id));
    }
    const auto p = product(t, pack, EntitlementCol::family, EntitlementCol::version, EntitlementCol::edition);
    if (p) {
      e.product = *p;
      e.metric = pack.metric_of(*p);
      read_metric(t, pack, *p, e);
    }
    const std::optional<Channel> channel = read_channel(t);
    e.channel = channel.value_or(Channel::volume);
    read_quantity(t, e);
    read_device(t, devices, channel, e);
    e.sku = optional_text(t, EntitlementCol::sku);
    e.reference = optional_text(t, EntitlementCol::reference);
    e.purchased = optional_date(t, EntitlementCol::purchase_date);
    read_terms(t, channel, e);
    read_price(t, e);
    fleet.entitlements.push_back(std::move(e));
  }
  ids.report(fleet.entitlements, file, entitlement_columns[EntitlementCol::licence_id].name, out);
}

}  // namespace trueup::io::reading
