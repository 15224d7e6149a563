// SPDX-License-Identifier: BSL-1.0
// File: src/io/table.cpp
//
// A fleet file's header and its CSV problems (table.hpp). The header decides which columns
// are read: a required column missing is an error once, at the header, not on every row; a
// column named twice is an error; a column of no name or an unknown name is a warning and is
// ignored, so that exports with extra columns still read. Header problems of one kind are listed
// up to `max_header_reports` times, then counted: a header of a million unknown columns gives a
// screen, not a million lines.
#include "table.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

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
  // Each name's first column, by its lower-case form: one lookup per column, so that a header
  // of a million columns is checked in linear time.
  std::unordered_map<std::string, std::uint32_t> first_at;
  first_at.reserve(header.size());
  HeaderReport unknown(*this, "unknown-column", Severity::warning);
  HeaderReport repeated(*this, "duplicate-column", Severity::error);
  for (std::size_t i = 0; i < header.size(); ++i) {
    const CsvField& f = header[i];
    const std::string_view name = trim(f.value);
    names_.emplace_back(name);
    if (name.empty()) {
      unknown.add(
          f, "expected one of the columns " + column_list() + ", found a column with no name; the column is ignored");
      continue;
    }
    const auto [first, fresh] = first_at.try_emplace(lower(name), f.column);
    if (!fresh) {
      repeated.add(f, "column " + quote_name(name) + ": expected each column once, found it again (first at column " +
                          std::to_string(first->second) + ")");
      continue;
    }
    const auto known =
        std::find_if(spec_.begin(), spec_.end(), [&](const ColumnSpec& c) { return iequals(c.name, name); });
    if (known == spec_.end()) {
      unknown.add(f, "expected one of the columns " + column_list() + ", found " + quote_name(name) +
                         "; the column is ignored");
      continue;
    }
    index_[static_cast<std::size_t>(known - spec_.begin())] = i;
  }
  unknown.finish();
  repeated.finish();
  for (std::size_t c = 0; c < spec_.size(); ++c) {
    if (!spec_[c].required || index_[c] != absent) continue;
    add(Severity::error, header_line_, 0, "missing-column",
        "expected column `" + std::string(spec_[c].name) + "`, found columns " + header_names());
  }
}

void Table::HeaderReport::add(const CsvField& f, std::string message) {
  if (++count_ <= max_header_reports) table_.add(severity_, f.line, f.column, code_, std::move(message));
}

void Table::HeaderReport::finish() {
  if (count_ <= max_header_reports) return;
  table_.add(severity_, table_.header_line_, 0, code_,
             "expected a header of the file's columns, found " + std::to_string(count_ - max_header_reports) +
                 " more column(s) like those above; not listed");
}

std::string Table::header_names() const {
  std::string out;
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (i == max_header_reports) return out + ", ... (" + std::to_string(names_.size()) + " columns)";
    if (i > 0) out += ", ";
    out += escape_text(names_[i]);
  }
  return out;
}

std::string Table::column_list() const {
  return join(spec_, [](const ColumnSpec& c) { return c.name; });
}

std::string Table::column_prefix(std::size_t field) const {
  if (field >= names_.size() || names_[field].empty()) return {};
  return "column " + quote_name(names_[field]) + ": ";
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
