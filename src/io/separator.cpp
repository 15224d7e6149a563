// SPDX-License-Identifier: BSL-1.0
// File: src/io/separator.cpp
//
// The separator of a CSV file (separator.hpp). A fleet file's separator is the one of `,`, `;`
// and tab that splits its header line into the most of its expected column names: a column
// name never holds a separator, so the right one finds them all and the others find at most one.
// Only the header record is split, once per candidate: the cost does not grow with the file.
#include "separator.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <utility>

#include "csv.hpp"
#include "table.hpp"
#include "values.hpp"

namespace trueup::io {

char most_frequent_separator(std::string_view header) {
  std::array<std::size_t, 3> counts{};
  bool quoted = false;
  for (const char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == ',') ++counts[0];
    if (c == ';') ++counts[1];
    if (c == '\t') ++counts[2];
  }
  if (counts[1] > counts[0] && counts[1] >= counts[2]) return ';';
  if (counts[2] > counts[0] && counts[2] > counts[1]) return '\t';
  return ',';
}

std::string separator_name(char separator) {
  if (separator == '\t') return "a tab";
  return std::string("`") + separator + "`";
}

}  // namespace trueup::io

namespace trueup::io::reading {

namespace {

constexpr std::array<char, 3> candidates{',', ';', '\t'};

/// The header record split by one candidate.
struct Split {
  bool read = false;       ///< a header record was read (the file is neither empty nor broken there)
  std::size_t known = 0;   ///< its fields that are expected column names
  std::size_t fields = 0;  ///< its field count
  std::uint32_t line = 0;
};

Split split_header(std::string_view text, std::span<const ColumnSpec> spec, char separator) {
  CsvReader csv(text, separator);
  Split s;
  if (!csv.next()) return s;
  s.read = true;
  s.fields = csv.fields().size();
  s.line = csv.line();
  for (const CsvField& f : csv.fields()) {
    const std::string_view name = trim(f.value);
    s.known +=
        std::any_of(spec.begin(), spec.end(), [&](const ColumnSpec& c) { return iequals(c.name, name); }) ? 1 : 0;
  }
  return s;
}

/// The column of the first `wanted` in the header as split by `separator`: where the file's
/// real separator is, for a message about a wrong one; 1 when not found.
std::uint32_t column_of_separator(std::string_view text, char separator, char wanted) {
  CsvReader csv(text, separator);
  if (!csv.next()) return 1;
  for (const CsvField& f : csv.fields())
    if (const std::size_t at = f.value.find(wanted); at != std::string_view::npos)
      return f.column + static_cast<std::uint32_t>(at) + (f.quoted ? 1 : 0);
  return 1;
}

}  // namespace

Table::SeparatorChoice Table::choose_separator(std::string_view text, std::span<const ColumnSpec> spec, char forced) {
  const auto use = [](char c) {
    SeparatorChoice choice;
    choice.separator = c;
    return choice;
  };
  std::array<Split, candidates.size()> splits;
  for (std::size_t i = 0; i < candidates.size(); ++i) splits[i] = split_header(text, spec, candidates[i]);
  // An empty file or a header broken by a quote: read_header() reports it with any separator.
  if (!splits[0].read) return use(forced != 0 ? forced : ',');
  const auto best = std::max_element(splits.begin(), splits.end(), [](const Split& a, const Split& b) {
    // Of as many names, one that splits the header at all.
    return std::pair(a.known, a.fields > 1) < std::pair(b.known, b.fields > 1);
  });
  const char detected = candidates[static_cast<std::size_t>(best - splits.begin())];
  if (forced != 0) {
    const Split& given =
        splits[static_cast<std::size_t>(std::find(candidates.begin(), candidates.end(), forced) - candidates.begin())];
    if (given.known >= best->known) return use(forced);
    return {forced,
            "expected a header whose columns are separated by " + separator_name(forced) +
                " (the separator given), found one separated by " + separator_name(detected) + " (" +
                std::to_string(best->known) + " of the expected columns); give that separator, or none to detect it",
            "wrong-separator", given.line, column_of_separator(text, forced, detected)};
  }
  // No expected name at all: read as the project writes, and let read_header() name the columns.
  if (best->known == 0) return use(',');
  // Two separators that both split the header and find as many names: neither can be trusted.
  for (const Split& s : splits) {
    if (&s == &*best || s.known != best->known || s.fields < 2 || best->fields < 2) continue;
    const char other = candidates[static_cast<std::size_t>(&s - splits.data())];
    return {',',
            "expected a header whose columns are separated by one of `,`, `;` or a tab, found one that splits into " +
                std::to_string(best->known) + " expected column(s) by " + separator_name(detected) + " and by " +
                separator_name(other) + "; give the separator (--csv-separator)",
            "ambiguous-separator", best->line, 0};
  }
  return use(detected);
}

}  // namespace trueup::io::reading
