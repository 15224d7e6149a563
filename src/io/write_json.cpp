// SPDX-License-Identifier: BSL-1.0
// File: src/io/write_json.cpp
//
// The JSON document for a Position (docs/formats.md, "Output"): the totals, every product,
// every install's verdict (json_installs.cpp), every host-licensed server, user and CAL holder,
// every licence's use, and the warnings. Records come out in a canonical order (products in
// pack order, installs and entitlements by id), so shuffled input rows give byte-identical
// output. The document is streamed: the sink gets it in pieces, never the whole at once.
#include <algorithm>
#include <cstddef>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "json.hpp"
#include "json_installs.hpp"
#include "trueup/io/columns.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/version.hpp"

namespace trueup::io {

namespace writing {

namespace {

template <class T, class Id>
std::vector<std::size_t> order_by_id(const std::vector<T>& records, Id id) {
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return id(records[a]) < id(records[b]); });
  return order;
}

void totals_json(Json& j, const Totals& t) {
  j.begin_object("totals");
  j.num("installs", t.installs);
  j.num("covered", t.covered);
  j.num("short", t.shortfall);
  j.num("excluded", t.excluded);
  j.num("duplicate", t.duplicate);
  if (t.unpriced_shortfall > 0 && t.true_up_cost == MoneyTotal{})
    j.null("true_up_cost");
  else
    j.str("true_up_cost", t.true_up_cost.str());
  j.num("unpriced_shortfall_units", t.unpriced_shortfall);
  j.begin_array("units");  // per metric: units of different metrics are never added
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals& u = t.units[m];
    if (u.demand == 0 && u.licences == 0) continue;
    j.begin_object();
    j.str("metric", name(static_cast<Metric>(m)));
    j.num("demand_units", u.demand);
    j.num("covered_units", u.covered);
    j.num("shortfall_units", u.shortfall);
    j.num("licences", u.licences);
    j.num("consumed", u.consumed);
    j.num("surplus", u.surplus);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void solver_json(Json& j, const Position& p) {
  j.begin_object("solver");
  j.num("demand_classes", static_cast<long long>(p.demand_classes));
  j.num("pools", static_cast<long long>(p.pools));
  j.num("components", static_cast<long long>(p.components));
  j.end_object();
}

void products_json(Json& j, const Position& p, const RulePack& pack, const ProductNames& product_name) {
  using K = columns::ProductKey;
  const auto key = [](std::size_t c) { return columns::products[c].key; };
  j.begin_array("products");
  for (const ProductPosition& r : p.products) {
    const Family& f = pack.family(r.product.family);
    j.begin_object();
    j.str(key(K::product), product_name(r.product));
    j.str(key(K::family), f.id);
    j.str(key(K::version), f.versions[r.product.version].name);
    j.str(key(K::edition), f.editions[r.product.edition].name);
    j.str(key(K::metric), name(r.metric));
    j.num(key(K::installs), r.installs);
    j.num(key(K::duplicates), r.duplicates);
    j.num(key(K::excluded), r.excluded);
    j.num(key(K::demands), r.demands);
    j.num(key(K::demand_units), r.demand_units);
    j.num(key(K::covered_units), r.covered_units);
    j.num(key(K::shortfall_units), r.shortfall_units);
    j.num(key(K::licences), r.licences);
    j.num(key(K::void_licences), r.void_licences);
    j.num(key(K::consumed), r.consumed);
    j.num(key(K::surplus), r.surplus);
    // null when no unit of the shortfall has a known price: the cost is unknown, not zero.
    if (r.unpriced_shortfall > 0 && r.true_up_cost == MoneyTotal{})
      j.null(key(K::true_up_cost));
    else
      j.str(key(K::true_up_cost), r.true_up_cost.str());
    j.num(key(K::unpriced_shortfall_units), r.unpriced_shortfall);
    if (r.buy_edition) j.str(key(K::buy_edition), f.editions[*r.buy_edition].name);
    j.end_object();
  }
  j.end_array();
}

// Host-licensed servers: the model each is licensed under and why it needs what it needs
// (an auditor who counts a 2012 R2 server by 2016 rules is answered here).
void servers_json(Json& j, const Position& p, const RulePack& pack, const ProductNames& product_name,
                  const Fleet& fleet) {
  j.begin_array("servers");
  for (const ServerPosition& sp : p.servers) {
    const Family& f = pack.family(sp.product.family);
    j.begin_object({}, Json::Layout::one_line);
    j.str("device_id", fleet.device(sp.device).id);
    j.str("install_id", fleet.install(sp.install).id);
    j.str("product", product_name(sp.product));
    j.num("oses", sp.oses);
    j.str("model", sp.model);
    j.str("licence_edition", f.editions[sp.edition].name);
    j.str("metric", name(sp.metric));
    j.num("units_required", sp.required);
    j.num("covered_units", sp.covered);
    j.str("why", sp.why);
    if (!sp.source.empty()) j.str("source", sp.source);
    j.end_object();
  }
  j.end_array();
}

void users_json(Json& j, const Position& p, const ProductNames& product_name) {
  j.begin_array("users");
  for (const UserPosition& u : p.users) {
    j.begin_object({}, Json::Layout::one_line);
    j.str("user", u.user);
    j.str("product", product_name(u.product));
    j.num("devices", u.devices);
    j.boolean("user_licence", u.user_licence);
    if (u.user_licence) j.boolean("user_licence_owned", u.user_licence_owned);
    j.num("devices_under_user_licence", u.under_user_licence);
    j.num("device_licences", u.device_licences);
    j.num("device_licences_short", u.device_short);
    j.end_object();
  }
  j.end_array();
}

void cals_json(Json& j, const Position& p, const ProductNames& product_name, const Fleet& fleet) {
  j.begin_array("cals");
  for (const CalPosition& c : p.cals) {
    j.begin_object({}, Json::Layout::one_line);
    j.str("holder", c.holder);
    j.str("metric", name(c.metric));
    j.str("product", product_name(c.product));
    j.num("servers_accessed", c.servers);
    j.boolean("covered", c.covered == 1);
    j.begin_array("licences");
    for (const Allocation& a : c.licences) j.str("", fleet.entitlement(a.entitlement).id);
    j.end_array();
    j.end_object();
  }
  j.end_array();
}

void entitlements_json(Json& j, const Position& p, const ProductNames& product_name, const Fleet& fleet) {
  using K = columns::EntitlementKey;
  const auto key = [](std::size_t c) { return columns::entitlements[c].key; };
  j.begin_array("entitlements");
  for (std::size_t i :
       order_by_id(fleet.entitlements, [](const Entitlement& x) -> const std::string& { return x.id; })) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementUse& u = p.entitlements[i];
    j.begin_object({}, Json::Layout::one_line);
    j.str(key(K::licence_id), e.id);
    j.str(key(K::product), product_name(e.product));
    j.str(key(K::channel), name(e.channel));
    j.str(key(K::metric), name(e.metric));
    j.num(key(K::quantity), e.quantity);
    if (e.device.valid()) j.str(key(K::device_id), fleet.device(e.device).id);
    j.boolean(key(K::counted), u.counted);
    j.num(key(K::consumed), u.consumed);
    if (!u.counted) j.str(key(K::reason), u.reason);
    if (!u.note.empty()) j.str(key(K::note), u.note);
    if (u.converted) {
      j.str(key(K::counted_product), product_name(u.product));
      j.str(key(K::counted_metric), name(u.metric));
      j.num(key(K::counted_units), u.units);
    }
    j.end_object();
  }
  j.end_array();
}

/// Only when the run had a history (assignments.csv or a state file): what became of it.
void assignments_json(Json& j, const Position& p) {
  if (p.assignments.empty()) return;
  j.begin_object("assignments");
  j.num("records", static_cast<Units>(p.assignments.size()));
  j.num("kept", p.history.kept);
  j.num("moved", p.history.moved);
  j.num("assigned", p.history.assigned);
  j.num("locked", p.history.locked);
  j.end_object();
}

void warnings_json(Json& j, const Position& p) {
  j.begin_array("warnings");
  for (const Diagnostic& d : p.warnings) {
    j.begin_object({}, Json::Layout::one_line);
    j.str("code", d.code);
    j.str("message", to_string(d));
    j.end_object();
  }
  j.end_array();
}

}  // namespace

}  // namespace writing

void write_json(const Position& p, const RulePack& pack, const Fleet& fleet, const JsonSink& sink, unsigned threads) {
  using namespace writing;
  const ProductNames product_name(pack);
  Json j;
  j.begin_object();
  j.str("trueup", version_string);
  j.str("rule_pack", p.rule_pack);
  j.str("as_of", p.as_of.iso());
  j.str("status", p.status == SolveStatus::optimal ? "optimal" : "bad-cost-range");
  totals_json(j, p.totals);
  solver_json(j, p);
  products_json(j, p, pack, product_name);
  installs_json(j, sink, p, product_name, fleet, threads);
  servers_json(j, p, pack, product_name, fleet);
  users_json(j, p, product_name);
  cals_json(j, p, product_name, fleet);
  entitlements_json(j, p, product_name, fleet);
  assignments_json(j, p);
  warnings_json(j, p);
  j.end_object();
  j.text().push_back('\n');
  sink(j.text());
}

std::string format_json(const Position& p, const RulePack& pack, const Fleet& fleet, unsigned threads) {
  std::string out;
  write_json(
      p, pack, fleet, [&](std::string_view piece) { out.append(piece); }, threads);
  return out;
}

Result<bool> write_json_file(const std::filesystem::path& path, const Position& p, const RulePack& pack,
                             const Fleet& fleet, unsigned threads) {
  return write_file_atomically(path, [&](const TextSink& sink) { write_json(p, pack, fleet, sink, threads); });
}

}  // namespace trueup::io
