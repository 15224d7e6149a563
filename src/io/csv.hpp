// SPDX-License-Identifier: BSL-1.0
// File: src/io/csv.hpp
//
// The CSV layer under the fleet readers (private to trueup::io). It splits a whole file, held
// as one `std::string_view`, into records of fields, RFC 4180 style:
//
// - fields are separated by commas; a field may be double-quoted, and then may hold commas,
//   line breaks and `""` (one quote); whitespace around a quoted field is ignored;
// - surrounding spaces, tabs and carriage returns of an unquoted field are trimmed, so CRLF
//   and LF files read the same; a `"` inside an unquoted field is an ordinary character;
// - UTF-8 byte order marks at the start are skipped (a file converted twice has two), blank
//   lines are skipped, and a last line without a line break is read.
//
// Positions are physical: `line` counts every line break, including those inside quoted
// fields, and `column` is the 1-based byte column in its line where the field starts (the
// opening quote of a quoted field, the first non-blank byte of an unquoted one, or the byte
// after the comma of a blank one). Line 1 starts after the byte order marks.
//
// Allocation: fields are views into the input. Only a quoted field that holds `""` or a CRLF
// line break is rewritten, into a scratch buffer owned by the reader. Views stay valid until
// the next call to `next()`; the field vector and the scratch buffer are reused, so reading a
// file allocates once per record size, not once per field.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trueup::io {

struct CsvField {
  std::string_view value;  ///< unquoted, unescaped; trimmed when the field was not quoted
  std::uint32_t line = 0;  ///< physical line where the field starts
  std::uint32_t column = 0;
  bool quoted = false;
};

/// A malformed field, found while splitting. `field` is the 0-based index of the field in
/// its record, so that a reader can name the column.
struct CsvProblem {
  enum class Kind : std::uint8_t {
    /// A quoted field runs to the end of the file. Reported at its opening quote; nothing
    /// after it can be read.
    unterminated_quote,
    /// Text after the closing quote of a field (`"say "hi""`, usually a quote that should
    /// have been doubled). Reported at that text; the field keeps its quoted part.
    text_after_quote,
  };
  Kind kind = Kind::unterminated_quote;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::size_t field = 0;
  std::string_view found;  ///< the offending text (text_after_quote), up to the line's end
};

class CsvReader {
 public:
  /// \pre `text` outlives the reader. `separator` is `,` in the project's files; an importer
  /// reads exports separated by `;` or a tab (then a tab is a separator, never a blank).
  explicit CsvReader(std::string_view text, char separator = ',');
  /// A reader of a part of a file that starts at a line break's end, on physical line
  /// `first_line` (for reading a file in parts on several threads). No byte order mark is
  /// skipped: there is none inside a file.
  CsvReader(std::string_view part, std::uint32_t first_line, char separator = ',');

  /// Reads the next record that is not a blank line. Returns false at the end of the input,
  /// or when an unterminated quote swallowed the rest of it (then `problems()` holds it and
  /// the partial record is not returned).
  [[nodiscard]] bool next();

  /// The current record's fields; valid until the next call to `next()`.
  [[nodiscard]] std::span<const CsvField> fields() const { return fields_; }
  /// Physical line where the current record starts.
  [[nodiscard]] std::uint32_t line() const { return record_line_; }
  /// Problems of the current record (or, after `next()` returned false, of the end).
  [[nodiscard]] std::span<const CsvProblem> problems() const { return problems_; }

  /// Number of line breaks in `text`: an upper bound of its record count, to reserve for.
  [[nodiscard]] static std::size_t count_lines(std::string_view text);

 private:
  [[nodiscard]] std::uint32_t column_of(const char* p) const { return static_cast<std::uint32_t>(p - line_start_ + 1); }
  /// Trimmed around unquoted fields and skipped around quoted ones: space, tab and CR (so that
  /// the CR of a CRLF line break is never part of a value), but never the separator.
  [[nodiscard]] bool blank(char c) const { return (c == ' ' || c == '\t' || c == '\r') && c != sep_; }
  void read_quoted(CsvField& f);
  void read_unquoted(CsvField& f, const char* field_start);

  const char* p_;
  const char* end_;
  const char* line_start_;  ///< first byte of the physical line `line_` (after the BOM on line 1)
  std::uint32_t line_ = 1;
  std::uint32_t record_line_ = 0;
  bool finished_ = false;
  char sep_ = ',';

  std::vector<CsvField> fields_;
  std::vector<CsvProblem> problems_;
  // Unescaped values of the current record. Fields that live here hold an offset into it
  // (in `scratch_refs_`) until the record is complete, because appending may move the buffer.
  std::string scratch_;
  struct ScratchRef {
    std::size_t field;
    std::size_t offset;
    std::size_t size;
  };
  std::vector<ScratchRef> scratch_refs_;
};

}  // namespace trueup::io
