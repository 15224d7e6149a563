// SPDX-License-Identifier: BSL-1.0
// File: src/io/table.cpp
//
// A fleet file's header and its CSV problems (table.hpp). The header decides which columns
// are read: a required column missing is an error once, at the header, not on every row; a
// column named twice is an error; a column of no name or an unknown name is a warning and is
// ignored, so that exports with extra columns still read.
#include "table.hpp"

#include <algorithm>

namespace trueup::io::reading {

void Table::read_header() {
  if (!csv_.next()) {
    if (!csv_.problems().empty()) {
      report_csv_problems();
      return;
    }
    add(Severity::error, 0, 0, "empty-file",
        "expected a header line with columns " + column_list() + ", found an empty file");
    return;
  }
  has_header_ = true;
  header_size_ = csv_.fields().size();
  header_line_ = csv_.line();
  report_csv_problems();
  const auto header = csv_.fields();
  names_.reserve(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    const CsvField& f = header[i];
    const std::string_view name = trim(f.value);
    names_.emplace_back(name);
    const auto known =
        std::find_if(spec_.begin(), spec_.end(), [&](const ColumnSpec& c) { return iequals(c.name, name); });
    if (name.empty()) {
      add(Severity::warning, f.line, f.column, "unknown-column",
          "expected one of the columns " + column_list() + ", found a column with no name; the column is ignored");
      continue;
    }
    const auto first = std::find_if(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(i),
                                    [&](const CsvField& g) { return iequals(trim(g.value), name); });
    if (first != header.begin() + static_cast<std::ptrdiff_t>(i)) {
      add(Severity::error, f.line, f.column, "duplicate-column",
          "column `" + std::string(name) + "`: expected each column once, found it again (first at column " +
              std::to_string(first->column) + ")");
      continue;
    }
    if (known == spec_.end()) {
      add(Severity::warning, f.line, f.column, "unknown-column",
          "expected one of the columns " + column_list() + ", found `" + std::string(name) +
              "`; the column is ignored");
      continue;
    }
    index_[static_cast<std::size_t>(known - spec_.begin())] = i;
  }
  for (std::size_t c = 0; c < spec_.size(); ++c) {
    if (!spec_[c].required || index_[c] != absent) continue;
    add(Severity::error, header_line_, 0, "missing-column",
        "expected column `" + std::string(spec_[c].name) + "`, found columns " +
            join(names_, [](const std::string& n) { return n; }));
  }
}

std::string Table::column_list() const {
  return join(spec_, [](const ColumnSpec& c) { return c.name; });
}

std::string Table::column_prefix(std::size_t field) const {
  if (field >= names_.size() || names_[field].empty()) return {};
  return "column `" + names_[field] + "`: ";
}

void Table::report_csv_problems() {
  for (const CsvProblem& p : csv_.problems()) {
    switch (p.kind) {
      case CsvProblem::Kind::unterminated_quote:
        add(Severity::error, p.line, p.column, "unterminated-quote",
            column_prefix(p.field) + "expected a closing quote for the field opened here, found the end of the file");
        break;
      case CsvProblem::Kind::text_after_quote:
        add(Severity::error, p.line, p.column, "bad-quote",
            column_prefix(p.field) + "expected a comma or the end of the line after a closing quote, found " +
                quote_value(p.found) + " (a quote inside a quoted field is written \"\")");
        break;
    }
  }
}

}  // namespace trueup::io::reading
