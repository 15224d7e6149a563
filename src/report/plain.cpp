// SPDX-License-Identifier: BSL-1.0
// File: src/report/plain.cpp
//
// Sheets (report/sheet.hpp) as a terminal table and as JSON, for the outputs that have those
// forms besides a workbook (the deployment summary). The JSON is UTF-8 whatever the input (text
// passes clean_text first); numbers are integers, money decimal strings, as the position's JSON.
#include <algorithm>
#include <string>
#include <vector>

#include "io/json.hpp"
#include "report/sheet.hpp"
#include "trueup/version.hpp"

namespace trueup::report {
namespace {

/// "Installs counted" -> "installs_counted".
std::string key_of(const std::string& header) {
  std::string key;
  for (const char ch : header) {
    const bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (alnum)
      key.push_back(static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch));
    else if (!key.empty() && key.back() != '_')
      key.push_back('_');
  }
  while (!key.empty() && key.back() == '_') key.pop_back();
  return key;
}

}  // namespace

std::string cell_text(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::empty: return "";
    case Cell::Kind::integer: return std::to_string(c.integer);
    case Cell::Kind::money: return c.money.str();
    case Cell::Kind::date: return Date{static_cast<std::int32_t>(c.integer)}.iso();
    case Cell::Kind::text:
    case Cell::Kind::flagged: break;
  }
  std::string t = clean_text(c.text);
  std::replace_if(
      t.begin(), t.end(), [](char ch) { return ch == '\n' || ch == '\r' || ch == '\t'; }, ' ');
  return t;
}

std::string format_sheets_table(const std::vector<Sheet>& sheets) {
  std::string out;
  for (const Sheet& sheet : sheets) {
    std::vector<std::vector<std::string>> rows(1);  // the header, then the rows
    std::vector<bool> number(sheet.columns.size(), false);
    for (const Column& c : sheet.columns) rows.front().push_back(c.header);
    sheet.rows([&](const Row& row) {
      rows.emplace_back();
      for (std::size_t c = 0; c < row.size(); ++c) {
        rows.back().push_back(cell_text(row[c]));
        if (row[c].kind == Cell::Kind::integer || row[c].kind == Cell::Kind::money) number[c] = true;
      }
    });
    std::vector<std::size_t> width(sheet.columns.size(), 0);
    for (const auto& r : rows)
      for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    out += sheet.name + "\n\n";
    for (const auto& r : rows) {
      std::string line;
      for (std::size_t c = 0; c < r.size(); ++c) {
        const std::string pad(width[c] - r[c].size(), ' ');
        line += (c == 0 ? "" : "  ") + (number[c] ? pad + r[c] : r[c] + pad);
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    out += "\n";
  }
  return out;
}

std::string format_sheets_json(const std::vector<Sheet>& sheets, const Position& position) {
  io::writing::Json j;
  j.begin_object();
  j.str("trueup", version_string);
  j.str("rule_pack", position.rule_pack);
  j.str("as_of", position.as_of.iso());
  for (const Sheet& sheet : sheets) {
    std::vector<std::string> keys;
    for (const Column& c : sheet.columns) keys.push_back(key_of(c.header));
    j.begin_array(sheet.file_name.substr(0, sheet.file_name.find('.')));
    sheet.rows([&](const Row& row) {
      j.begin_object({}, io::writing::Json::Layout::one_line);
      for (std::size_t c = 0; c < row.size(); ++c) {
        const Cell& v = row[c];
        if (v.kind == Cell::Kind::empty)
          j.null(keys[c]);
        else if (v.kind == Cell::Kind::integer)
          j.num(keys[c], v.integer);
        else
          j.str(keys[c], cell_text(v));
      }
      j.end_object();
    });
    j.end_array();
  }
  j.end_object();
  j.text().push_back('\n');
  return std::string(j.text());
}

}  // namespace trueup::report
