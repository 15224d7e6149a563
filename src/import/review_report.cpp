// SPDX-License-Identifier: BSL-1.0
// File: src/import/review_report.cpp
//
// The table and the JSON of `trueup review` (trueup/import/review_report.hpp; documented in
// docs/formats.md "The review"). Columns are padded by characters, not bytes, so that Cyrillic
// and accented titles line up.
#include "trueup/import/review_report.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <set>
#include <string_view>

namespace trueup::import {

namespace {

/// The characters of UTF-8 text (continuation bytes are not counted).
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}
std::string pad(std::string s, std::size_t to) {
  const std::size_t w = width(s);
  if (w < to) s.append(to - w, ' ');
  return s;
}

void section(std::string& out, std::string_view heading, const std::vector<Review::Group>& groups, bool titles) {
  out += fmt::format("\n{} ({} row(s))\n", heading, Review::total(groups));
  if (groups.empty()) return;
  std::size_t name_width = 7;
  for (const auto& g : groups) name_width = std::max(name_width, std::min<std::size_t>(width(g.name), 60));
  for (const auto& g : groups) {
    out += fmt::format("  {} {:>6} row(s) on {:>5} device(s)", pad(g.name, name_width), g.rows, g.devices);
    if (titles) {
      out += fmt::format("  publisher \"{}\"", g.detail);
      out += "\n      why: " + g.reason;
      // The suggested overlay entry, indented under its group; its lines are TOML comments.
      std::string_view rest = g.suggestion;
      if (!rest.empty()) out += "\n      suggested overlay entry:";
      while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        out += "\n        " + std::string(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      }
    } else if (!g.detail.empty()) {
      out += "  " + g.detail;
    }
    out += '\n';
  }
}

nlohmann::ordered_json groups_json(const std::vector<Review::Group>& groups, const char* name, const char* detail,
                                   bool with_reason) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& g : groups) {
    nlohmann::ordered_json o;
    o[name] = g.name;
    if (detail != nullptr) o[detail] = g.detail;
    if (with_reason) {
      o["reason"] = g.reason;
      o["suggestion"] = g.suggestion;
    }
    o["rows"] = g.rows;
    o["devices"] = g.devices;
    list.push_back(std::move(o));
  }
  return list;
}

void stale_table(std::string& out, const Staleness& s) {
  out += fmt::format("\nStale devices: last inventory more than {} day(s) before {}: {}\n", s.days, s.as_of.iso(),
                     s.stale.size());
  for (const auto& d : s.stale)
    out += fmt::format("  {}  last inventory {} ({} days)\n", d.device, d.last_inventory.iso(), d.days_ago);
  if (s.undated.empty()) return;
  out += fmt::format("Devices with no inventory date (unknown, not fresh): {}\n", s.undated.size());
  for (const auto& d : s.undated) out += "  " + d + "\n";
}

/// "A, B, C, and N more": at most `shown` ids on a line.
std::string some_ids(const std::vector<std::string>& ids) {
  constexpr std::size_t shown = 8;
  std::string out;
  for (std::size_t i = 0; i < std::min(shown, ids.size()); ++i) out += (i == 0 ? "" : ", ") + ids[i];
  if (ids.size() > shown) out += fmt::format(", and {} more", ids.size() - shown);
  return out;
}

}  // namespace

std::vector<SourceGap> source_gaps(const std::vector<std::pair<std::string, std::vector<std::string>>>& devices) {
  std::vector<std::set<std::string>> sets;
  for (const auto& source : devices) sets.emplace_back(source.second.begin(), source.second.end());
  std::vector<SourceGap> out;
  auto add = [&](std::size_t a, std::size_t b) {
    SourceGap gap{devices[a].first, devices[b].first, {}};
    std::set_difference(sets[a].begin(), sets[a].end(), sets[b].begin(), sets[b].end(),
                        std::back_inserter(gap.devices));
    if (!gap.devices.empty()) out.push_back(std::move(gap));
  };
  for (std::size_t a = 0; a < devices.size(); ++a)
    for (std::size_t b = a + 1; b < devices.size(); ++b) {
      add(a, b);
      add(b, a);
    }
  return out;
}

Staleness stale_devices(const Inventory& inventory, Date as_of, std::uint32_t days) {
  Staleness out{as_of, days, {}, {}};
  for (const InventoryDevice& d : inventory.devices) {
    if (!d.last_inventory) {
      out.undated.push_back(d.id);
      continue;
    }
    const std::int32_t age = as_of.days - d.last_inventory->days;
    if (age > static_cast<std::int64_t>(days)) out.stale.push_back({d.id, *d.last_inventory, age});
  }
  std::sort(out.stale.begin(), out.stale.end(), [](const Staleness::Stale& a, const Staleness::Stale& b) {
    return a.last_inventory != b.last_inventory ? a.last_inventory < b.last_inventory : a.device < b.device;
  });
  std::sort(out.undated.begin(), out.undated.end());
  return out;
}

std::string format_review_table(const ReviewReport& report, const RulePack& pack) {
  std::string out = fmt::format("Inventory review (rule pack {})\n\n", pack.label());
  std::size_t source_width = 6;
  for (const auto& s : report.sources) source_width = std::max(source_width, width(s.spec));
  out += fmt::format("{}  {:>6}  {:>7}  {:>7}  {:>7}\n", pad("Source", source_width), "Files", "Devices", "Rows",
                     "Skipped");
  for (const auto& s : report.sources)
    out += fmt::format("{}  {:>6}  {:>7}  {:>7}  {:>7}\n", pad(s.spec, source_width), s.files, s.devices, s.rows,
                       s.skipped);
  // What a source names but is no install: said, so that every entry of an export is accounted for.
  for (const auto& s : report.sources) {
    if (s.unnamed_keys != 0)
      out += fmt::format("  {}: {} Uninstall key(s) without a DisplayName (Windows does not list them): no install\n",
                         s.spec, s.unnamed_keys);
    if (s.not_installed != 0)
      out += fmt::format(
          "  {}: {} package(s) removed, only their configuration left (config-files, "
          "not-installed): no install\n",
          s.spec, s.not_installed);
  }
  const Review& r = report.review;
  out += fmt::format("\nRows {}: recognised {}, excluded {}, needs review {}, unrecognised {}\n", r.rows,
                     Review::total(r.recognised), Review::total(r.excluded), Review::total(r.needs_review),
                     Review::total(r.unrecognised));
  section(out, "Recognised", r.recognised, false);
  section(out, "Excluded", r.excluded, false);
  section(out, "Needs review", r.needs_review, true);
  section(out, "Unrecognised (no product family of the rule pack)", r.unrecognised, true);
  if (!r.missing_facts.empty()) {
    out += "\nDevices lacking a fact their products are licensed by\n";
    for (const auto& m : r.missing_facts) {
      constexpr std::size_t shown = 8;
      std::string ids;
      for (std::size_t i = 0; i < std::min(shown, m.devices.size()); ++i) ids += (i == 0 ? "" : ", ") + m.devices[i];
      if (m.devices.size() > shown) ids += fmt::format(", and {} more", m.devices.size() - shown);
      out += fmt::format("  {}: {} unknown on {} device(s): {}\n    {}\n", m.product, m.fact, m.devices.size(), ids,
                         m.why);
    }
  }
  if (!report.software_unknown.empty()) {
    out += fmt::format("\nDevices whose software is unknown (partial inventories only): {}\n",
                       report.software_unknown.size());
    for (const auto& d : report.software_unknown) out += "  " + d + "\n";
  }
  if (report.staleness) stale_table(out, *report.staleness);
  if (!report.source_gaps.empty()) out += "\nDevices seen in one source and not another\n";
  for (const auto& g : report.source_gaps)
    out += fmt::format("  in {}, not in {}: {} device(s): {}\n", g.seen_in, g.not_in, g.devices.size(),
                       some_ids(g.devices));
  return out;
}

std::string format_review_json(const ReviewReport& report, const RulePack& pack) {
  nlohmann::ordered_json j;
  j["rule_pack"] = {{"name", pack.name}, {"revision", pack.revision}};
  auto sources = nlohmann::ordered_json::array();
  for (const auto& s : report.sources)
    sources.push_back({{"source", s.spec},
                       {"files", s.files},
                       {"devices", s.devices},
                       {"rows", s.rows},
                       {"skipped", s.skipped},
                       {"unnamed_keys", s.unnamed_keys},
                       {"not_installed", s.not_installed}});
  j["sources"] = std::move(sources);
  const Review& r = report.review;
  j["rows"] = r.rows;
  j["recognised"] = {{"rows", Review::total(r.recognised)},
                     {"products", groups_json(r.recognised, "product", nullptr, false)}};
  j["excluded"] = {{"rows", Review::total(r.excluded)}, {"reasons", groups_json(r.excluded, "kind", "reason", false)}};
  j["needs_review"] = {{"rows", Review::total(r.needs_review)},
                       {"titles", groups_json(r.needs_review, "title", "publisher", true)}};
  j["unrecognised"] = {{"rows", Review::total(r.unrecognised)},
                       {"titles", groups_json(r.unrecognised, "title", "publisher", true)}};
  auto missing = nlohmann::ordered_json::array();
  for (const auto& m : r.missing_facts)
    missing.push_back({{"product", m.product}, {"fact", m.fact}, {"why", m.why}, {"devices", m.devices}});
  j["missing_facts"] = std::move(missing);
  j["software_unknown"] = report.software_unknown;
  if (report.staleness) {
    const Staleness& s = *report.staleness;
    auto stale = nlohmann::ordered_json::array();
    for (const auto& d : s.stale)
      stale.push_back({{"device", d.device}, {"last_inventory", d.last_inventory.iso()}, {"days", d.days_ago}});
    j["stale"] = {{"as_of", s.as_of.iso()}, {"days", s.days}, {"devices", std::move(stale)}, {"undated", s.undated}};
  } else {
    j["stale"] = nullptr;
  }
  auto gaps = nlohmann::ordered_json::array();
  for (const auto& g : report.source_gaps)
    gaps.push_back({{"seen_in", g.seen_in}, {"not_in", g.not_in}, {"devices", g.devices}});
  j["source_gaps"] = std::move(gaps);
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace trueup::import
