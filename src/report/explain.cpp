// SPDX-License-Identifier: BSL-1.0
// File: src/report/explain.cpp
//
// explain() (trueup/report/explain.hpp): finds the subject, or the nearest ids when there is
// none, and explains a device, a licence or a product; installs are explained in
// explain_install.cpp. Also the shared labels and the explanation as text and JSON.
#include "trueup/report/explain.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/json.hpp"
#include "report/explain_parts.hpp"
#include "report/sheet.hpp"
#include "trueup/version.hpp"

namespace trueup::report {
namespace explaining {

std::vector<std::vector<UnitUse>> uses_by_licence(const Position& position, std::size_t entitlements) {
  std::vector<std::vector<UnitUse>> uses(entitlements);
  for (std::uint32_t i = 0; i < position.installs.size(); ++i)
    for (const Allocation& a : position.installs[i].licences)
      uses[a.entitlement.value].push_back({InstallIndex{i}, 0, a.units});
  for (std::uint32_t c = 0; c < position.cals.size(); ++c)
    for (const Allocation& a : position.cals[c].licences) uses[a.entitlement.value].push_back({{}, c, a.units});
  return uses;
}

std::string licence_label(const Entitlement& e, const RulePack& pack) {
  return e.id + " (" + std::string(name(e.channel)) + " " + pack.product_name(e.product) + ", " +
         std::to_string(e.quantity) + " " + std::string(name(e.metric)) + " unit(s))";
}

std::string device_label(const Device& d, Date as_of) {
  return d.id + " (" + std::string(name(d.kind)) + ", " + std::string(name(d.ownership)) + ", " +
         std::string(name(d.status_on(as_of))) + " on " + as_of.iso() + ")";
}

std::string use_label(const UnitUse& use, const Position& position, const RulePack& pack, const Fleet& fleet) {
  if (!use.install.valid()) {
    const CalPosition& c = position.cals[use.cal];
    return c.holder + "'s " + std::string(name(c.metric)) + " (" + pack.product_name(c.product) + ")";
  }
  const Install& in = fleet.install(use.install);
  const InstallVerdict& v = position.installs[use.install.value];
  return in.id + " on " + fleet.device(in.device).id + " (" + (v.product ? pack.product_name(*v.product) : in.title) +
         (use.units == 1 ? "" : ", " + std::to_string(use.units) + " units") + ")";
}

std::string uses_list(const std::vector<UnitUse>& uses, const Position& position, const RulePack& pack,
                      const Fleet& fleet, std::size_t shown) {
  std::string out;
  for (std::size_t k = 0; k < uses.size() && k < shown; ++k)
    out += (k == 0 ? "" : ", ") + use_label(uses[k], position, pack, fleet);
  if (uses.size() > shown) out += " and " + std::to_string(uses.size() - shown) + " more";
  return out;
}

}  // namespace explaining

namespace {

using namespace explaining;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// The edit distance between `a` and `b` (case aside).
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

/// Whether every space-separated word of `words` occurs in `text` ("office 2016" in "office
/// standard 2016").
bool has_words(const std::string& text, const std::string& words) {
  std::size_t from = 0;
  while (from < words.size()) {
    const std::size_t end = std::min(words.find(' ', from), words.size());
    if (end > from && text.find(words.substr(from, end - from)) == std::string::npos) return false;
    from = end + 1;
  }
  return !words.empty();
}

/// The error for an id that names nothing: the five nearest candidates (by edit distance, then
/// text) within a third of its length in edits (at least two), or that contain each of its words.
Diagnostics unknown(ExplainSubject subject, std::string_view id, const std::vector<std::string>& candidates) {
  const std::string wanted = lower(id);
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& c : candidates) {
    const std::size_t d = distance(id, c);
    if (d <= std::max<std::size_t>(2, id.size() / 3) || has_words(lower(c), wanted)) near.emplace_back(d, c);
  }
  std::sort(near.begin(), near.end());
  near.erase(std::unique(near.begin(), near.end()), near.end());
  std::string list;
  for (std::size_t k = 0; k < near.size() && k < 5; ++k) list += (k == 0 ? "" : ", ") + near[k].second;
  static constexpr std::array<std::string_view, 4> what{"an install id", "a device id", "a licence id",
                                                        "a product name"};
  const std::string message = "expected " + std::string(what[static_cast<std::size_t>(subject)]) +
                              " of the fleet, found " + std::string(id) +
                              (list.empty() ? "; nothing near it" : "; nearest: " + list);
  // Named after the option that asked for it, as the command line gave it.
  return {{Severity::error, "--" + std::string(name(subject)), 0, 0, "unknown-" + std::string(name(subject)), message}};
}

Explanation explain_device(DeviceIndex d, const Position& position, const RulePack& pack, const Fleet& fleet) {
  const Device& dev = fleet.device(d);
  Explanation x{ExplainSubject::device, dev.id, "Device " + device_label(dev, position.as_of), {}};
  if (!dev.primary_user.empty()) x.lines.push_back({0, "user", "primary user " + dev.primary_user});
  if (dev.cores != 0 || dev.processors != 0)
    x.lines.push_back({0, "hardware",
                       std::to_string(dev.processors) + " processor(s), " + std::to_string(dev.cores) + " core(s)" +
                           (dev.host.empty() ? "" : ", a virtual machine on " + dev.host)});
  std::vector<ExplainLine> installs;
  for (std::uint32_t i = 0; i < fleet.installs.size(); ++i)
    if (fleet.installs[i].device == d)
      installs.push_back({1, "install", verdict_summary(InstallIndex{i}, position, pack, fleet)});
  x.lines.push_back({0, "installs", std::to_string(installs.size()) + " install(s):"});
  x.lines.insert(x.lines.end(), installs.begin(), installs.end());
  for (const ServerPosition& s : position.servers)
    if (s.device == d)
      x.lines.push_back({0, "licensing-model",
                         pack.product_name(s.product) + " " + s.model + ": " + s.why + ", " +
                             std::to_string(s.covered) + " of " + std::to_string(s.required) + " unit(s) covered"});
  for (const Entitlement& e : fleet.entitlements)
    if (e.device == d)
      x.lines.push_back({0, "licence-on-record", licence_label(e, pack) + " is recorded on this device"});
  return x;
}

Explanation explain_licence(EntitlementIndex e, const Position& position, const RulePack& pack, const Fleet& fleet) {
  const Entitlement& ent = fleet.entitlement(e);
  const EntitlementUse& use = position.entitlements[e.value];
  Explanation x{ExplainSubject::licence, ent.id, "Licence " + licence_label(ent, pack), {}};
  x.lines.push_back({0, "record",
                     (ent.sku.empty() ? std::string("no SKU") : "SKU " + ent.sku) +
                         (ent.purchased ? ", bought " + ent.purchased->iso() : std::string(", no purchase date")) +
                         (ent.reference.empty() ? ", no proof of purchase on record" : ", proof " + ent.reference) +
                         (ent.device.valid() ? ", on " + fleet.device(ent.device).id : std::string())});
  if (ent.sa_end)
    x.lines.push_back({0, "software-assurance",
                       "Software Assurance" + (ent.sa_start ? " from " + ent.sa_start->iso() : std::string()) + " to " +
                           ent.sa_end->iso()});
  if (ent.subscription_end)
    x.lines.push_back({0, "subscription",
                       "subscription term" +
                           (ent.subscription_start ? " from " + ent.subscription_start->iso() : std::string()) +
                           " to " + ent.subscription_end->iso()});
  if (!use.counted) {
    x.lines.push_back({0, "void", "counts for nothing on " + position.as_of.iso() + ": " + use.reason});
    return x;
  }
  x.lines.push_back({0, "counted",
                     "counts as " + std::to_string(use.units) + " " + std::string(name(use.metric)) + " unit(s) of " +
                         pack.product_name(use.product) + (use.converted ? " (converted by Software Assurance)" : "")});
  if (!use.note.empty()) x.lines.push_back({1, "note", use.note});
  const auto uses = uses_by_licence(position, fleet.entitlements.size())[e.value];
  x.lines.push_back({0, "used", std::to_string(use.consumed) + " unit(s) in use" + (uses.empty() ? "" : ":")});
  for (const UnitUse& u : uses) {
    std::string line = use_label(u, position, pack, fleet);
    if (u.install.valid()) line = verdict_summary(u.install, position, pack, fleet);
    x.lines.push_back({1, u.install.valid() ? "install" : "cal", line});
  }
  x.lines.push_back({0, "remains", std::to_string(use.units - use.consumed) + " unit(s) unused"});
  return x;
}

Explanation explain_product(const std::vector<std::size_t>& rows, const Position& position, const RulePack& pack,
                            const Fleet& fleet) {
  const ProductPosition& first = position.products[rows.front()];
  Explanation x{
      ExplainSubject::product, pack.product_name(first.product), "Product " + pack.product_name(first.product), {}};
  const auto uses = uses_by_licence(position, fleet.entitlements.size());
  for (const std::size_t r : rows) {
    const ProductPosition& p = position.products[r];
    const std::string metric(name(p.metric));
    x.lines.push_back(
        {0, "elp",
         metric + " licensing: installs " + std::to_string(p.installs) + ", duplicates " +
             std::to_string(p.duplicates) + ", excluded " + std::to_string(p.excluded) + ", demand " +
             std::to_string(p.demand_units) + ", licences " + std::to_string(p.licences) + ", consumed " +
             std::to_string(p.consumed) + ", surplus " + std::to_string(p.surplus) + ", short " +
             std::to_string(p.shortfall_units) + ", true-up " + p.true_up_cost.str() +
             (p.unpriced_shortfall > 0 ? " + " + std::to_string(p.unpriced_shortfall) + " unpriced" : "")});
    std::map<std::string, std::uint32_t> excluded;
    std::map<std::string, Units> covered_by;  // the covering licences' products
    for (const InstallVerdict& v : position.installs) {
      if (!v.product || *v.product != p.product) continue;
      if (v.verdict == Verdict::excluded) ++excluded[std::string(name(v.exclusion))];
      if (v.metric != p.metric) continue;
      for (const Allocation& a : v.licences)
        covered_by[pack.product_name(fleet.entitlement(a.entitlement).product)] += a.units;
    }
    for (const auto& [why, n] : excluded)
      x.lines.push_back({1, "excluded", std::to_string(n) + " install(s) excluded: " + why});
    x.lines.push_back({0, "demand",
                       std::to_string(p.demands) + " demand(s) need " + std::to_string(p.demand_units) + " " + metric +
                           " unit(s); " + std::to_string(p.covered_units) + " covered, " +
                           std::to_string(p.shortfall_units) + " short"});
    for (const auto& [by, n] : covered_by)
      x.lines.push_back({1, "covered-by", std::to_string(n) + " unit(s) by licences of " + by});
    x.lines.push_back({0, "licences",
                       std::to_string(p.licences) + " unit(s) of its own licences count, " +
                           std::to_string(p.void_licences) + " void:"});
    for (std::uint32_t e = 0; e < fleet.entitlements.size(); ++e) {
      const EntitlementUse& use = position.entitlements[e];
      if (fleet.entitlements[e].product != p.product && (!use.counted || use.product != p.product)) continue;
      if (use.counted && use.metric != p.metric) continue;
      x.lines.push_back(
          {1, "licence",
           licence_label(fleet.entitlements[e], pack) +
               (use.counted ? ": " + std::to_string(use.consumed) + " in use" +
                                  (uses[e].empty() ? "" : " by " + uses_list(uses[e], position, pack, fleet, 3))
                            : ": void, " + use.reason)});
    }
    for (const Purchase& b : position.purchases) {
      if (b.product != p.product || b.metric != p.metric) continue;
      x.lines.push_back({0, "true-up",
                         std::to_string(b.units) + " unit(s) to buy at " +
                             (b.source.kind == PriceSource::Kind::none ? std::string("no known price")
                                                                       : b.unit_cost.str() + " = " + b.cost.str())});
    }
  }
  return x;
}

}  // namespace

Result<Explanation> explain(ExplainSubject subject, std::string_view id, const Position& position, const RulePack& pack,
                            const Fleet& fleet) {
  std::vector<std::string> names;
  switch (subject) {
    case ExplainSubject::install:
      for (std::uint32_t i = 0; i < fleet.installs.size(); ++i)
        if (fleet.installs[i].id == id) return explain_install(InstallIndex{i}, position, pack, fleet);
      for (const Install& i : fleet.installs) names.push_back(i.id);
      break;
    case ExplainSubject::device:
      for (std::uint32_t d = 0; d < fleet.devices.size(); ++d)
        if (fleet.devices[d].id == id) return explain_device(DeviceIndex{d}, position, pack, fleet);
      for (const Device& d : fleet.devices) names.push_back(d.id);
      break;
    case ExplainSubject::licence:
      for (std::uint32_t e = 0; e < fleet.entitlements.size(); ++e)
        if (fleet.entitlements[e].id == id) return explain_licence(EntitlementIndex{e}, position, pack, fleet);
      for (const Entitlement& e : fleet.entitlements) names.push_back(e.id);
      break;
    case ExplainSubject::product: {
      std::vector<std::size_t> rows;
      for (std::size_t r = 0; r < position.products.size(); ++r) {
        names.push_back(pack.product_name(position.products[r].product));
        if (lower(names.back()) == lower(id)) rows.push_back(r);
      }
      if (!rows.empty()) return explain_product(rows, position, pack, fleet);
      break;
    }
  }
  return unknown(subject, id, names);
}

std::string format_explanation(const Explanation& e, const Position& position) {
  std::string out =
      e.heading + "\n(position as of " + position.as_of.iso() + ", rule pack " + position.rule_pack + ")\n";
  for (const ExplainLine& l : e.lines)
    out += std::string(2 * (std::size_t{l.depth} + 1), ' ') + l.kind + ": " + clean_text(l.text) + "\n";
  return out;
}

std::string format_explanation_json(const Explanation& e, const Position& position) {
  io::writing::Json j;
  j.begin_object();
  j.str("trueup", version_string);
  j.str("rule_pack", position.rule_pack);
  j.str("as_of", position.as_of.iso());
  j.str("subject", name(e.subject));
  j.str("id", clean_text(e.id));
  j.str("heading", clean_text(e.heading));
  j.begin_array("lines");
  for (const ExplainLine& l : e.lines) {
    j.begin_object({}, io::writing::Json::Layout::one_line);
    j.num("depth", l.depth);
    j.str("kind", l.kind);
    j.str("text", clean_text(l.text));
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.text().push_back('\n');
  return std::string(j.text());
}

}  // namespace trueup::report
