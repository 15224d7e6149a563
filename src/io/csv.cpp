// SPDX-License-Identifier: BSL-1.0
// File: src/io/csv.cpp
//
// The RFC 4180 splitter behind the fleet readers (see csv.hpp for the dialect). One pass over
// the input, byte by byte, with no allocation per field: unquoted fields and quoted fields
// without escapes are views into the input.
#include "csv.hpp"

#include <cstring>

namespace trueup::io {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

}  // namespace

CsvReader::CsvReader(std::string_view text, char separator)
    : p_(text.data()), end_(text.data() + text.size()), line_start_(text.data()), sep_(separator) {
  // Every mark at the start: a file converted twice has two (encoding.hpp warns about it).
  while (std::string_view(p_, static_cast<std::size_t>(end_ - p_)).starts_with(utf8_bom)) {
    p_ += utf8_bom.size();
    line_start_ = p_;
  }
}

CsvReader::CsvReader(std::string_view part, std::uint32_t first_line, char separator)
    : p_(part.data()), end_(part.data() + part.size()), line_start_(part.data()), line_(first_line), sep_(separator) {}

std::size_t CsvReader::count_lines(std::string_view text) {
  std::size_t n = 0;
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p != end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return n;
}

bool CsvReader::next() {
  problems_.clear();
  while (!finished_) {
    if (p_ == end_) {
      finished_ = true;
      break;
    }
    fields_.clear();
    scratch_.clear();
    scratch_refs_.clear();
    record_line_ = line_;
    for (;;) {
      const char* field_start = p_;
      while (p_ != end_ && blank(*p_)) ++p_;
      CsvField& f = fields_.emplace_back();
      if (p_ != end_ && *p_ == '"') {
        read_quoted(f);
        if (finished_) {
          // An unterminated quote consumed the rest of the input: the record is incomplete.
          fields_.clear();
          return false;
        }
      } else {
        read_unquoted(f, field_start);
      }
      if (p_ != end_ && *p_ == sep_) {
        ++p_;
        continue;
      }
      if (p_ != end_) {  // '\n'
        ++p_;
        ++line_;
        line_start_ = p_;
      }
      break;
    }
    if (fields_.size() == 1 && !fields_[0].quoted && fields_[0].value.empty()) continue;  // blank line
    for (const ScratchRef& r : scratch_refs_)
      fields_[r.field].value = std::string_view(scratch_).substr(r.offset, r.size);
    return true;
  }
  return false;
}

void CsvReader::read_quoted(CsvField& f) {
  f.quoted = true;
  f.line = line_;
  f.column = column_of(p_);
  const std::uint32_t open_line = line_;
  const std::uint32_t open_column = f.column;
  const char* const content = ++p_;
  bool rewrite = false;  // holds `""` or a CRLF line break
  for (;;) {
    if (p_ == end_) {
      problems_.push_back({CsvProblem::Kind::unterminated_quote, open_line, open_column, fields_.size() - 1, {}});
      finished_ = true;
      return;
    }
    const char c = *p_;
    if (c == '"') {
      if (p_ + 1 != end_ && p_[1] == '"') {
        rewrite = true;
        p_ += 2;
        continue;
      }
      break;
    }
    if (c == '\n') {
      if (p_ != content && p_[-1] == '\r') rewrite = true;
      ++line_;
      line_start_ = p_ + 1;
    }
    ++p_;
  }
  const std::string_view raw(content, static_cast<std::size_t>(p_ - content));
  ++p_;  // the closing quote
  if (rewrite) {
    const std::size_t offset = scratch_.size();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '"')
        ++i;  // `""` -> `"`
      else if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n')
        continue;
      scratch_ += raw[i];
    }
    scratch_refs_.push_back({fields_.size() - 1, offset, scratch_.size() - offset});
  } else {
    f.value = raw;
  }
  while (p_ != end_ && blank(*p_)) ++p_;
  if (p_ != end_ && *p_ != sep_ && *p_ != '\n') {
    // Text after the closing quote: report it and skip to the end of the field.
    const char* junk = p_;
    while (p_ != end_ && *p_ != sep_ && *p_ != '\n') ++p_;
    const char* junk_end = p_;
    while (junk_end != junk && blank(junk_end[-1])) --junk_end;
    problems_.push_back({CsvProblem::Kind::text_after_quote, line_, column_of(junk), fields_.size() - 1,
                         std::string_view(junk, static_cast<std::size_t>(junk_end - junk))});
  }
}

void CsvReader::read_unquoted(CsvField& f, const char* field_start) {
  const char* first = p_;  // after leading blanks
  while (p_ != end_ && *p_ != sep_ && *p_ != '\n') ++p_;
  const char* last = p_;
  while (last != first && blank(last[-1])) --last;
  f.line = line_;
  f.column = column_of(first == last ? field_start : first);
  f.value = std::string_view(first, static_cast<std::size_t>(last - first));
}

}  // namespace trueup::io
