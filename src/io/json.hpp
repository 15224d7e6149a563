// SPDX-License-Identifier: BSL-1.0
// File: src/io/json.hpp
//
// The JSON writer under the report (private to trueup::io): a growing text buffer whose appends
// inline, string escaping eight bytes at a time, and a streaming writer of objects and arrays.
// Written for a million install records: nothing here allocates per value, and the writer can
// continue inside a document, so that parts of one array are formatted apart (on worker
// threads) and joined byte for byte.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "trueup/printable.hpp"

namespace trueup::io::writing {

/// Whether `c` must be escaped inside a JSON string.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/// Whether any of the 8 bytes in `w` must be escaped or checked: the classic SWAR tests for a
/// byte below 0x20 and for a byte equal to '"' or '\\' (Hacker's Delight, "find the first zero
/// byte"), and any byte of a multi-byte UTF-8 sequence (checked one by one).
constexpr bool any_needs_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101U, highs = 0x8080808080808080U;
  const auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t below_space = (w - 0x20 * ones) & ~w & highs;
  return (below_space | (w & highs) | zero_byte(w ^ ('"' * ones)) | zero_byte(w ^ ('\\' * ones))) != 0;
}

/// The text a JSON writer appends to: a growing buffer whose appends are inline (std::string's
/// are calls into the library, one per character written: a tenth of formatting a million
/// installs, measured).
class JsonText {
 public:
  JsonText() = default;
  JsonText(JsonText&& other) noexcept
      : data_(std::move(other.data_)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  JsonText& operator=(JsonText&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    return *this;
  }
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;
  ~JsonText() = default;

  void push_back(char c) {
    if (size_ == capacity_) [[unlikely]]
      grow(1);
    data_[size_++] = c;
  }
  void append(const char* p, std::size_t n) {
    if (n == 0) return;  // p may be null then
    if (capacity_ - size_ < n) [[unlikely]]
      grow(n);
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  void append(const char* begin, const char* end) { append(begin, static_cast<std::size_t>(end - begin)); }
  void append(std::size_t n, char c) {
    if (capacity_ - size_ < n) grow(n);
    std::memset(data_.get() + size_, c, n);
    size_ += n;
  }
  JsonText& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  void reserve(std::size_t n) {
    if (n > capacity_) grow(n - size_);
  }
  void clear() { size_ = 0; }
  [[nodiscard]] std::string_view view() const { return {data_.get(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: handed to sinks as text

 private:
  [[gnu::noinline]] void grow(std::size_t n) {  // rare: keeps the appends small enough to inline
    const std::size_t capacity = std::max(2 * capacity_, size_ + n);
    std::unique_ptr<char[]> data(new char[capacity]);  // not zero-filled: written before read
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

/// A JSON string of `s`. The output is valid UTF-8 whatever `s` holds: the readers refuse text
/// that is not UTF-8 (encoding.hpp), and should a byte that is not UTF-8 reach here by another
/// way, it is written as U+FFFD, so that no report ever fails to parse.
inline void json_string(JsonText& out, std::string_view s) {
  out.push_back('"');
  // Runs of bytes that need no escape are appended whole: most texts have none, and are
  // scanned eight bytes at a time.
  std::size_t run = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    if (any_needs_escape(w)) break;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const std::size_t n = detail::decode_utf8(s, i).second; n > 0) {
        i += n - 1;  // valid: copied with the run
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      continue;
    }
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        constexpr char hex[] = "0123456789abcdef";
        const char u[] = {'\\', 'u', '0', '0', hex[c >> 4U], hex[c & 0xFU]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// A tiny streaming writer: objects and arrays with two-space indentation, one member per line,
// except containers opened `one_line`: those and everything inside them are written on one
// line with no spaces ({"a":1,"b":[2,3]}). Records in the long arrays (every install, licence,
// server, user and CAL holder) are written so: a million installs make a million lines, not
// twenty-five million, and the file is a quarter smaller.
class Json {
 public:
  enum class Layout : bool { lines, one_line };

  Json() = default;
  /// A writer that continues inside a document: `depth` containers are open, the innermost
  /// has members already unless `first`. Used to format parts of an array apart and join them.
  Json(std::size_t depth, bool first) : first_(depth, false) {
    if (depth > 0) first_.back() = first;
  }
  /// The same, writing into `buffer` (emptied first): a buffer used before keeps its memory.
  Json(std::size_t depth, bool first, JsonText buffer) : Json(depth, first) {
    out_ = std::move(buffer);
    out_.clear();
  }

  JsonText take() { return std::move(out_); }
  /// The text so far, for a caller that hands it on in pieces and then clears it.
  JsonText& text() { return out_; }
  /// The innermost container has members (written by other writers).
  void mark_members() { first_.back() = false; }

  void begin_object(std::string_view key = {}, Layout layout = Layout::lines) { open(key, '{', layout); }
  void end_object() { close('}'); }
  void begin_array(std::string_view key = {}) { open(key, '[', Layout::lines); }
  void end_array() { close(']'); }

  void str(std::string_view key, std::string_view v) {
    member(key);
    json_string(out_, v);
  }
  void num(std::string_view key, long long v) {
    member(key);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void boolean(std::string_view key, bool v) {
    member(key);
    out_ += v ? "true" : "false";
  }
  void null(std::string_view key) {
    member(key);
    out_ += "null";
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  [[nodiscard]] bool in_line() const { return first_.size() >= one_line_from_; }

  void member(std::string_view key) {
    if (!first_.empty()) {
      if (!first_.back()) out_.push_back(',');
      first_.back() = false;
      if (!in_line()) {
        out_.push_back('\n');
        out_.append(2 * first_.size(), ' ');
      }
    }
    if (!key.empty()) {  // keys are this file's literals, none needing an escape
      out_.push_back('"');
      out_ += key;
      out_ += in_line() ? std::string_view("\":") : std::string_view("\": ");
    }
  }
  void open(std::string_view key, char c, Layout layout) {
    member(key);
    out_.push_back(c);
    first_.push_back(true);
    if (layout == Layout::one_line && !in_line()) one_line_from_ = first_.size();
  }
  void close(char c) {
    const bool empty = first_.back();
    const bool was_in_line = in_line();
    first_.pop_back();
    if (!in_line()) one_line_from_ = none;
    if (!empty && !was_in_line) {
      out_.push_back('\n');
      out_.append(2 * first_.size(), ' ');
    }
    out_.push_back(c);
  }
  JsonText out_;
  std::vector<bool> first_;
  std::size_t one_line_from_ = none;  ///< depth from which containers are written on one line
};

}  // namespace trueup::io::writing
