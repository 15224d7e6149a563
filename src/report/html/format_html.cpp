// SPDX-License-Identifier: BSL-1.0
// File: src/report/html/format_html.cpp
//
// The position as one self-contained HTML page (trueup/report/html.hpp). The tables are the
// workbook's sheets (report/sheet.hpp), so the page and the workbook cannot disagree; the
// numbers of the totals carry ids (`total-installs`, `total-true-up-cost`, ...) by which a test
// or a script finds them. Every text is cleaned (valid UTF-8) and escaped; there is no script.
#include "trueup/report/html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "report/sheet.hpp"
#include "trueup/version.hpp"

namespace trueup::report {
namespace {

std::string escaped(std::string_view raw) {
  const std::string s = clean_text(raw);
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr std::string_view style = R"(
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1b1b}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
.meta{color:#555}dl.totals{display:grid;grid-template-columns:max-content max-content;gap:.2em 1.5em}
dl.totals dt{color:#555}dl.totals dd{margin:0;font-weight:600;text-align:right}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.2em .5em;vertical-align:top}
th{background:#f2f2f2;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.flag{background:#fde2e1}tr.short td{background:#fff4f2}.ok{fill:#2e7d32}.short{fill:#c62828}
.cost{fill:#8e24aa}svg text{font-size:12px;fill:#1b1b1b}ul.findings li{margin:.3em 0}code{font-size:.9em}
)";

/// A sheet as a table: numbers right-aligned, flagged text highlighted, rows with a shortfall
/// marked when the sheet has a "Shortfall" column.
std::string table_of(const Sheet& sheet) {
  std::string out = "<table>\n<thead><tr>";
  std::size_t shortfall_column = sheet.columns.size();
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    out += "<th>" + escaped(sheet.columns[c].header) + "</th>";
    if (sheet.columns[c].header == "Shortfall") shortfall_column = c;
  }
  out += "</tr></thead>\n<tbody>\n";
  sheet.rows([&](const Row& row) {
    const bool short_row = shortfall_column < row.size() && row[shortfall_column].kind == Cell::Kind::integer &&
                           row[shortfall_column].integer > 0;
    out += short_row ? "<tr class=\"short\">" : "<tr>";
    for (const Cell& cell : row) {
      const bool number = cell.kind == Cell::Kind::integer || cell.kind == Cell::Kind::money;
      out += number ? "<td class=\"n\">" : cell.kind == Cell::Kind::flagged ? "<td class=\"flag\">" : "<td>";
      out += escaped(cell_text(cell)) + "</td>";
    }
    out += "</tr>\n";
  });
  return out + "</tbody>\n</table>\n";
}

std::string totals_of(const Position& p) {
  const Totals& t = p.totals;
  const auto item = [](std::string_view id, std::string_view label, const std::string& value) {
    return fmt::format("<dt>{}</dt><dd id=\"total-{}\">{}</dd>\n", label, id, value);
  };
  std::string out = "<dl class=\"totals\">\n";
  out += item("installs", "Installs", std::to_string(t.installs));
  out += item("covered", "Covered", std::to_string(t.covered));
  out += item("short", "Short", std::to_string(t.shortfall));
  out += item("excluded", "Excluded", std::to_string(t.excluded));
  out += item("duplicate", "Duplicates", std::to_string(t.duplicate));
  out += item("true-up-cost", "True-up cost", t.true_up_cost.str());
  out += item("unpriced-shortfall-units", "Shortfall units with no known price", std::to_string(t.unpriced_shortfall));
  out +=
      "</dl>\n<table>\n<thead><tr><th>Metric</th><th>Demand units</th><th>Covered</th><th>Shortfall</th>"
      "<th>Licences</th><th>Consumed</th><th>Surplus</th></tr></thead>\n<tbody>\n";
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals& u = t.units[m];
    if (u.demand == 0 && u.licences == 0) continue;
    out += fmt::format(
        "<tr id=\"units-{0}\"><td>{0}</td><td class=\"n\">{1}</td><td class=\"n\">{2}</td><td class=\"n\">{3}</td>"
        "<td class=\"n\">{4}</td><td class=\"n\">{5}</td><td class=\"n\">{6}</td></tr>\n",
        name(static_cast<Metric>(m)), u.demand, u.covered, u.shortfall, u.licences, u.consumed, u.surplus);
  }
  return out + "</tbody>\n</table>\n";
}

constexpr int label_width = 300, bar_width = 360, row_height = 22;

/// Per product with demand: its covered and short units as shares of its demand (100 % is
/// compliant), so that products counted in cores and in devices compare.
std::string compliance_chart(const Position& p, const RulePack& pack) {
  std::vector<const ProductPosition*> rows;
  for (const ProductPosition& r : p.products)
    if (r.demand_units > 0) rows.push_back(&r);
  if (rows.empty()) return "<p>No product needs a licence.</p>\n";
  std::string out = fmt::format(
      "<svg role=\"img\" aria-label=\"Compliance per product\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">\n",
      label_width + bar_width + 160, static_cast<int>(rows.size()) * row_height + 4);
  int y = 2;
  for (const ProductPosition* r : rows) {
    const double covered = static_cast<double>(r->covered_units) / static_cast<double>(r->demand_units);
    const int ok = static_cast<int>(std::lround(covered * bar_width));
    out += fmt::format("<text x=\"0\" y=\"{}\">{}</text>", y + 15, escaped(pack.product_name(r->product)));
    out += fmt::format("<rect class=\"ok\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\"/>", label_width, y, ok);
    out += fmt::format("<rect class=\"short\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\"/>", label_width + ok, y,
                       bar_width - ok);
    out += fmt::format("<text x=\"{}\" y=\"{}\">{} of {} {} units covered</text>\n", label_width + bar_width + 6,
                       y + 15, r->covered_units, r->demand_units, name(r->metric));
    y += row_height;
  }
  return out + "</svg>\n";
}

/// Per product with a priced shortfall: its true-up cost, bars scaled to the largest.
std::string cost_chart(const Position& p, const RulePack& pack) {
  std::vector<const ProductPosition*> rows;
  for (const ProductPosition& r : p.products)
    if (r.true_up_cost.amount > 0) rows.push_back(&r);
  if (rows.empty()) return "<p>No shortfall has a known price.</p>\n";
  // Largest first; equal costs in the position's (pack) order.
  std::stable_sort(rows.begin(), rows.end(), [](const ProductPosition* a, const ProductPosition* b) {
    return b->true_up_cost < a->true_up_cost;
  });
  const auto largest = static_cast<double>(rows.front()->true_up_cost.amount);
  std::string out = fmt::format(
      "<svg role=\"img\" aria-label=\"Shortfall cost per product\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">\n",
      label_width + bar_width + 160, static_cast<int>(rows.size()) * row_height + 4);
  int y = 2;
  for (const ProductPosition* r : rows) {
    const int w = std::max(1, static_cast<int>(static_cast<double>(r->true_up_cost.amount) / largest * bar_width));
    out += fmt::format("<text x=\"0\" y=\"{}\">{}</text>", y + 15, escaped(pack.product_name(r->product)));
    out += fmt::format("<rect class=\"cost\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\"/>", label_width, y, w);
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", label_width + w + 6, y + 15, r->true_up_cost.str());
    y += row_height;
  }
  return out + "</svg>\n";
}

std::string findings_of(const Position& p) {
  if (p.warnings.empty()) return "<p>No finding.</p>\n";
  std::string out = "<ul class=\"findings\">\n";
  for (const Diagnostic& d : p.warnings)
    out += "<li><code>" + escaped(d.code) + "</code> " + escaped(d.file.empty() ? "" : d.file + ": ") +
           escaped(d.message) + "</li>\n";
  return out + "</ul>\n";
}

}  // namespace

std::string format_html(const Position& position, const RulePack& pack, const Fleet& fleet,
                        const WorkbookOptions& options) {
  const std::string title = "Effective licence position as of " + position.as_of.iso();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      escaped(title) + "</title>\n<style>" + std::string(style) + "</style>\n</head>\n<body>\n";
  out += "<h1>" + escaped(title) + "</h1>\n";
  out += "<p class=\"meta\">Rule pack " + escaped(position.rule_pack) + " · trueup " + escaped(version_string) +
         " · solve " + escaped(name(position.status)) + "</p>\n";
  out += "<h2 id=\"totals\">Totals</h2>\n" + totals_of(position);
  out += "<h2 id=\"compliance\">Compliance per product</h2>\n" + compliance_chart(position, pack);
  out += "<h2 id=\"cost\">Shortfall cost per product</h2>\n" + cost_chart(position, pack);
  out += "<h2 id=\"elp\">Effective licence position</h2>\n" + table_of(elp_sheet(position, pack));
  out += "<h2 id=\"shortfall\">What to buy</h2>\n" + table_of(shortfall_sheet(position, pack, fleet));
  out += "<h2 id=\"findings\">Findings</h2>\n" + findings_of(position);
  out += "<h2 id=\"assumptions\">Assumptions</h2>\n" + table_of(assumptions_sheet(position, fleet, options));
  out +=
      "<p class=\"meta\">Every install and licence, one by one: <code>trueup reconcile --format xlsx</code> "
      "or <code>--format csv</code>.</p>\n</body>\n</html>\n";
  return out;
}

}  // namespace trueup::report
