// SPDX-License-Identifier: BSL-1.0
// File: src/io/table.hpp
//
// One fleet file as a table (private to trueup::io): a CSV text with a header line, its
// columns found by name (any order, any ASCII case; unknown ones warned about and ignored),
// read row by row, with every diagnostic about the file's shape (header, field counts,
// quoting) reported where it is. A problem with a value is reported through `Table::report`,
// at the value's field, its message naming the column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv.hpp"
#include "trueup/diagnostic.hpp"
#include "values.hpp"

namespace trueup::io::reading {

struct ColumnSpec {
  std::string_view name;
  bool required;
};

inline constexpr std::size_t absent = static_cast<std::size_t>(-1);
/// Header problems of one kind (unknown or repeated columns) listed one by one; the rest are
/// counted in one more diagnostic. Also the header names a message lists.
inline constexpr std::size_t max_header_reports = 20;

class Table {
 public:
  enum class Row { end, ok, broken };

  /// A table of `text` whose fields are separated by `separator` (`,`, `;` or a tab), or, when it
  /// is 0, by the one that splits the header line into the spec's column names.
  Table(std::string_view text, std::string file, std::span<const ColumnSpec> spec, Diagnostics& out, char separator)
      : choice_(choose_separator(text, spec, separator)),
        csv_(text, choice_.separator),
        file_(std::move(file)),
        spec_(spec),
        out_(out),
        index_(spec.size(), absent) {
    if (!choice_.problem.empty()) {
      add(Severity::error, choice_.line, choice_.column, choice_.code, std::move(choice_.problem));
      return;  // no header: no row is read
    }
    read_header();
  }
  /// The rows of `part`, a later part of `header`'s file that starts at a record's start on
  /// physical line `first_line`, read with `header`'s columns. Its diagnostics go to `out`.
  Table(const Table& header, std::string_view part, std::uint32_t first_line, Diagnostics& out)
      : choice_(header.choice_),
        csv_(part, first_line, header.choice_.separator),
        file_(header.file_),
        spec_(header.spec_),
        out_(out),
        index_(header.index_),
        names_(header.names_),
        header_size_(header.header_size_),
        header_line_(header.header_line_),
        has_header_(header.has_header_) {}

  [[nodiscard]] bool has_column(std::size_t c) const { return index_[c] != absent; }
  /// Every row was read: there is a header and no quote swallowed the end of the file.
  [[nodiscard]] bool complete() const { return has_header_ && complete_; }
  [[nodiscard]] std::string_view column_name(std::size_t c) const { return spec_[c].name; }
  [[nodiscard]] std::uint32_t line() const { return csv_.line(); }
  [[nodiscard]] char separator() const { return choice_.separator; }

  /// The next data row. `broken` rows (field count, stray quote) are already reported; their
  /// fields may be misaligned and should only be used to suppress cascades.
  Row next() {
    if (!has_header_) return Row::end;
    if (!csv_.next()) {
      report_csv_problems();
      complete_ = csv_.problems().empty();
      return Row::end;
    }
    bool broken = !csv_.problems().empty();
    report_csv_problems();
    if (csv_.fields().size() != header_size_) {
      add(Severity::error, csv_.line(), 0, "field-count",
          "expected " + std::to_string(header_size_) + " fields as in the header, found " +
              std::to_string(csv_.fields().size()));
      broken = true;
    }
    return broken ? Row::broken : Row::ok;
  }

  /// The field of column `c` in the current row, or nullptr when the file lacks the column
  /// (or a broken row is too short).
  [[nodiscard]] const CsvField* field(std::size_t c) const {
    const std::size_t i = index_[c];
    return i < csv_.fields().size() ? &csv_.fields()[i] : nullptr;
  }
  /// The trimmed value of column `c`, empty when absent.
  [[nodiscard]] std::string_view value(std::size_t c) const {
    const CsvField* f = field(c);
    return f == nullptr ? std::string_view{} : trim(f->value);
  }

  /// Reports a problem with column `c` of the current row: at its field, or at the row when
  /// the file lacks the column. The message names the column.
  void report(Severity severity, std::size_t c, std::string_view code, const std::string& message) {
    const CsvField* f = field(c);
    add(severity, f != nullptr ? f->line : csv_.line(), f != nullptr ? f->column : 0, code,
        "column `" + std::string(spec_[c].name) + "`: " + message);  // a spec name: plain ASCII
  }
  void error(std::size_t c, std::string_view code, const std::string& message) {
    report(Severity::error, c, code, message);
  }

  void add(Severity severity, std::uint32_t line, std::uint32_t column, std::string_view code, std::string message) {
    out_.push_back({severity, file_, line, column, std::string(code), std::move(message)});
  }

 private:
  /// The separator a table is read with, or the error that none can be.
  struct SeparatorChoice {
    char separator = ',';
    std::string problem;  ///< empty when the separator is usable
    std::string_view code;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
  };
  static SeparatorChoice choose_separator(std::string_view text, std::span<const ColumnSpec> spec, char forced);

  void read_header();
  /// Header problems of one kind: the first `max_header_reports` reported, the rest counted.
  class HeaderReport {
   public:
    HeaderReport(Table& table, std::string_view code, Severity severity)
        : table_(table), code_(code), severity_(severity) {}
    void add(const CsvField& f, std::string message);
    void finish();

   private:
    Table& table_;
    std::string_view code_;
    Severity severity_;
    std::size_t count_ = 0;
  };

  [[nodiscard]] std::string column_list() const;
  /// The header's names for a message, escaped, the first `max_header_reports` of them.
  [[nodiscard]] std::string header_names() const;
  /// "column `title`: " for a field of a named header column, nothing past the header.
  [[nodiscard]] std::string column_prefix(std::size_t field) const;
  void report_csv_problems();

  SeparatorChoice choice_;  // before csv_, which is built with its separator
  CsvReader csv_;
  std::string file_;
  std::span<const ColumnSpec> spec_;
  Diagnostics& out_;
  std::vector<std::size_t> index_;  ///< spec column -> field index in the header, or `absent`
  std::vector<std::string> names_;  ///< the header's names as written (trimmed)
  std::size_t header_size_ = 0;
  std::uint32_t header_line_ = 0;
  bool has_header_ = false;
  bool complete_ = true;
};

}  // namespace trueup::io::reading
