// SPDX-License-Identifier: BSL-1.0
// File: src/report/record_sheets.cpp
//
// The record sheets of the workbook, one row per record, in id order (as the JSON report):
// Installs (every install: its verdict and the evidence for it), Licences (every licence
// record: where it is used and its proof of purchase, since auditors refuse licences without
// one: a record with no `reference` is flagged "no proof on record"), Excluded (every install
// excluded or counted as a duplicate, and every void licence, with why).
#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "report/sheet.hpp"

namespace trueup::report {
namespace {

/// Devices named on a licence's row: more are counted, not listed.
constexpr std::size_t listed_holders = 20;

template <class T, class Id>
std::vector<std::size_t> order_by_id(const std::vector<T>& records, Id id) {
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return id(records[a]) < id(records[b]); });
  return order;
}

std::vector<std::size_t> install_order(const Fleet& fleet) {
  return order_by_id(fleet.installs, [](const Install& i) -> const std::string& { return i.id; });
}

/// Product names made once: most install rows name one.
class Names {
 public:
  explicit Names(const RulePack& pack) : pack_(pack) {}
  const std::string& operator()(ProductRef p) {
    auto it = names_.find(p);
    if (it == names_.end()) it = names_.emplace(p, pack_.product_name(p)).first;
    return it->second;
  }

 private:
  const RulePack& pack_;
  std::map<ProductRef, std::string> names_;
};

std::string licences_text(const InstallVerdict& v, const Fleet& fleet) {
  std::string out;
  for (const Allocation& a : v.licences)
    out += (out.empty() ? "" : "; ") + fleet.entitlement(a.entitlement).id + " x" + std::to_string(a.units);
  return out;
}

std::string evidence_text(const InstallVerdict& v) {
  std::string out;
  for (const RuleStep& s : v.evidence) out += (out.empty() ? "" : " | ") + std::string(name(s.kind)) + ": " + s.text;
  return out;
}

/// Per licence record: the installs and CAL holders it covers, and the first devices or
/// holders, in id order of the installs.
struct Uses {
  std::vector<std::int64_t> count;
  std::vector<std::vector<std::string>> holders;
};

Uses uses_of(const Position& position, const Fleet& fleet) {
  Uses u{std::vector<std::int64_t>(fleet.entitlements.size(), 0),
         std::vector<std::vector<std::string>>(fleet.entitlements.size())};
  const auto use = [&](EntitlementIndex e, const std::string& holder) {
    ++u.count[e.value];
    auto& list = u.holders[e.value];
    if (list.size() < listed_holders && std::find(list.begin(), list.end(), holder) == list.end())
      list.push_back(holder);
  };
  for (const std::size_t i : install_order(fleet))
    for (const Allocation& a : position.installs[i].licences)
      use(a.entitlement, fleet.device(fleet.installs[i].device).id);
  for (const CalPosition& c : position.cals)
    for (const Allocation& a : c.licences) use(a.entitlement, c.holder);
  return u;
}

}  // namespace

Sheet installs_sheet(const Position& position, const RulePack& pack, const Fleet& fleet) {
  Sheet s{"Installs", "installs.csv", {}, {}};
  s.columns = {{"Install ID", 12}, {"Device ID", 14}, {"Title", 44},        {"Publisher", 24},   {"Version", 14},
               {"Verdict", 10},    {"Product", 34},   {"Metric", 10},       {"Units needed", 8}, {"Units covered", 8},
               {"Licences", 24},   {"Exclusion", 16}, {"Duplicate of", 12}, {"Reason", 60},      {"Evidence", 80}};
  s.rows = [&position, &pack, &fleet](const RowSink& sink) {
    Names names(pack);
    Row row;
    for (const std::size_t i : install_order(fleet)) {
      const Install& in = fleet.installs[i];
      const InstallVerdict& v = position.installs[i];
      const bool demand = v.verdict == Verdict::covered || v.verdict == Verdict::shortfall;
      row = {Cell::of(in.id),
             Cell::of(fleet.device(in.device).id),
             Cell::of(in.title),
             Cell::of(in.publisher),
             Cell::of(in.version),
             Cell::of(name(v.verdict)),
             v.product ? Cell::of(names(*v.product)) : Cell{},
             demand ? Cell::of(name(v.metric)) : Cell{},
             demand ? Cell::of(v.demanded) : Cell{},
             demand ? Cell::of(v.covered) : Cell{},
             Cell::of(licences_text(v, fleet)),
             v.verdict == Verdict::excluded ? Cell::of(name(v.exclusion)) : Cell{},
             v.verdict == Verdict::duplicate ? Cell::of(fleet.install(v.duplicate_of).id) : Cell{},
             Cell::of(v.reason),
             Cell::of(evidence_text(v))};
      sink(row);
    }
  };
  return s;
}

Sheet licences_sheet(const Position& position, const RulePack& pack, const Fleet& fleet) {
  Sheet s{"Licences", "licences.csv", {}, {}};
  s.columns = {{"Licence ID", 12},  {"Product", 34},      {"Channel", 12},
               {"Metric", 10},      {"Quantity", 9},      {"Bound or assigned to", 14},
               {"Counted", 8},      {"Counted units", 9}, {"Consumed", 9},
               {"Unused", 9},       {"Covers", 8},        {"Used on", 40},
               {"Void reason", 50}, {"Note", 50},         {"Counted as", 34},
               {"SKU", 14},         {"Reference", 18},    {"Purchase date", 12},
               {"Unit cost", 12},   {"Currency", 9},      {"Proof of purchase", 20}};
  s.rows = [&position, &pack, &fleet](const RowSink& sink) {
    const Uses uses = uses_of(position, fleet);
    Row row;
    for (const std::size_t i :
         order_by_id(fleet.entitlements, [](const Entitlement& e) -> const std::string& { return e.id; })) {
      const Entitlement& e = fleet.entitlements[i];
      const EntitlementUse& u = position.entitlements[i];
      std::string used_on;
      for (const std::string& h : uses.holders[i]) used_on += (used_on.empty() ? "" : ", ") + h;
      if (uses.count[i] > static_cast<std::int64_t>(uses.holders[i].size())) used_on += ", ...";
      row = {Cell::of(e.id),
             Cell::of(pack.product_name(e.product)),
             Cell::of(name(e.channel)),
             Cell::of(name(e.metric)),
             Cell::of(e.quantity),
             e.device.valid() ? Cell::of(fleet.device(e.device).id) : Cell{},
             Cell::of(u.counted ? "yes" : "no"),
             Cell::of(u.counted ? u.units : 0),
             Cell::of(u.consumed),
             Cell::of(u.counted ? u.units - u.consumed : 0),
             Cell::of(uses.count[i]),
             Cell::of(used_on),
             Cell::of(u.counted ? std::string() : u.reason),
             Cell::of(u.note),
             u.converted ? Cell::of(pack.product_name(u.product) + " (" + std::string(name(u.metric)) + ")") : Cell{},
             Cell::of(e.sku),
             Cell::of(e.reference),
             e.purchased ? Cell::of(*e.purchased) : Cell{},
             e.unit_cost ? Cell::of(MoneyTotal{e.unit_cost->amount}) : Cell{},
             Cell::of(e.currency),
             e.reference.empty() ? Cell::flag("no proof on record") : Cell::of("reference on record")};
      sink(row);
    }
  };
  return s;
}

Sheet excluded_sheet(const Position& position, const RulePack& pack, const Fleet& fleet) {
  Sheet s{"Excluded", "excluded.csv", {}, {}};
  s.columns = {{"Record", 9},     {"ID", 12},  {"Device ID", 14},    {"Title or product", 44},
               {"Publisher", 24}, {"Why", 16}, {"Duplicate of", 12}, {"Reason", 80}};
  s.rows = [&position, &pack, &fleet](const RowSink& sink) {
    Row row;
    for (const std::size_t i : install_order(fleet)) {
      const InstallVerdict& v = position.installs[i];
      if (v.verdict != Verdict::excluded && v.verdict != Verdict::duplicate) continue;
      const Install& in = fleet.installs[i];
      const bool dup = v.verdict == Verdict::duplicate;
      row = {Cell::of("install"),
             Cell::of(in.id),
             Cell::of(fleet.device(in.device).id),
             Cell::of(in.title),
             Cell::of(in.publisher),
             Cell::of(dup ? std::string("duplicate") : std::string(name(v.exclusion))),
             dup ? Cell::of(fleet.install(v.duplicate_of).id) : Cell{},
             Cell::of(v.reason)};
      sink(row);
    }
    for (const std::size_t i :
         order_by_id(fleet.entitlements, [](const Entitlement& e) -> const std::string& { return e.id; })) {
      const EntitlementUse& u = position.entitlements[i];
      if (u.counted) continue;
      const Entitlement& e = fleet.entitlements[i];
      row = {Cell::of("licence"),
             Cell::of(e.id),
             e.device.valid() ? Cell::of(fleet.device(e.device).id) : Cell{},
             Cell::of(pack.product_name(e.product)),
             Cell{},
             Cell::of("void"),
             Cell{},
             Cell::of(u.reason)};
      sink(row);
    }
  };
  return s;
}

}  // namespace trueup::report
