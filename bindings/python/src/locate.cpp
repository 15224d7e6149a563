// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/locate.cpp
//
// Diagnostic positions to (row, column name): see locate.hpp. The text is split again by the
// readers' CsvReader, so a position means here exactly what it meant to the reader.
#include "locate.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <utility>

#include "csv.hpp"        // src/io: the readers' CSV splitter
#include "separator.hpp"  // src/io: the separator a header uses most

namespace trueup::python {

namespace {

std::string_view trim(std::string_view s) {  // as the readers trim column names
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

using Start = std::pair<std::uint32_t, std::uint32_t>;  // (line, column) of a field's start

}  // namespace

std::vector<Location> locate(std::string_view text, const std::vector<TextPosition>& positions, char separator) {
  std::vector<Location> out(positions.size());
  std::vector<std::size_t> order(positions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(positions[a].line, positions[a].column) < std::tie(positions[b].line, positions[b].column);
  });
  std::size_t q = 0;                                              // next position to place, in `order`
  while (q < order.size() && positions[order[q]].line == 0) ++q;  // the whole file: no row, no column

  // The record positions are placed in: its first line, where its fields start, its data row
  // (none for the header). A position belongs to the last record starting on or before it.
  struct Record {
    std::uint32_t line = 0;
    std::vector<Start> starts;
    std::optional<std::size_t> row;
    std::optional<std::size_t> failed_field;  ///< a record cut by an unterminated quote: that field
    Start failed_at{};
  };
  std::optional<Record> current;
  std::vector<std::string> header;
  auto column_name = [&](std::size_t field) -> std::optional<std::string> {
    if (field < header.size() && !header[field].empty()) return header[field];
    return std::nullopt;
  };
  // Places every position before line `next` in the current record.
  auto place_before = [&](std::uint32_t next) {
    for (; q < order.size() && positions[order[q]].line < next; ++q) {
      const TextPosition& p = positions[order[q]];
      if (!current || p.line < current->line) continue;
      Location& loc = out[order[q]];
      loc.row = current->row;
      if (p.column == 0) continue;
      const Start at{p.line, p.column};
      if (current->failed_field && at == current->failed_at) {
        loc.column = column_name(*current->failed_field);
        continue;
      }
      std::optional<std::size_t> field;
      for (std::size_t f = 0; f < current->starts.size() && current->starts[f] <= at; ++f) field = f;
      if (field) loc.column = column_name(*field);
    }
  };

  // The separator the reader split the text with: given, or the one its header uses most.
  io::CsvReader csv(text, separator != 0 ? separator : io::most_frequent_separator(text.substr(0, text.find('\n'))));
  std::optional<std::size_t> row;  // none while reading the header
  bool header_read = false;
  while (q < order.size()) {
    if (!csv.next()) {
      if (!csv.problems().empty()) {  // an unterminated quote: the record it cut starts at csv.line()
        place_before(csv.line());
        const io::CsvProblem& problem = csv.problems().front();
        current =
            Record{csv.line(), {}, header_read ? row : std::nullopt, problem.field, {problem.line, problem.column}};
      }
      place_before(UINT32_MAX);
      break;
    }
    place_before(csv.line());
    Record r{csv.line(), {}, row, std::nullopt, {}};
    r.starts.reserve(csv.fields().size());
    for (const io::CsvField& f : csv.fields()) r.starts.emplace_back(f.line, f.column);
    if (!header_read) {
      for (const io::CsvField& f : csv.fields()) header.emplace_back(trim(f.value));
      header_read = true;
      row = 0;
    } else {
      row = *row + 1;
    }
    current = std::move(r);
  }
  return out;
}

}  // namespace trueup::python
