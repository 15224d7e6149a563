// SPDX-License-Identifier: BSL-1.0
// File: tests/support/json_check.hpp
//
// A strict validator of JSON text (RFC 8259) in UTF-8 (RFC 3629), for the tests and the fuzz
// targets: what trueup writes must parse in every JSON reader, so this one accepts nothing a
// strict reader refuses. Checked: the grammar (one value, objects, arrays, strings, numbers,
// literals, whitespace), string escapes (`\uXXXX` surrogates paired), no raw control character
// in a string, and UTF-8 throughout (no overlong form, surrogate, or code point beyond
// U+10FFFF). Nesting is bounded, so a hostile input cannot exhaust the stack.
//
// Returns the empty string for valid text, else what is wrong and at which byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace trueup::testing {

class JsonCheck {
 public:
  static std::string check(std::string_view text) {
    JsonCheck c(text);
    c.space();
    if (!c.value(0)) return c.error_;
    c.space();
    if (c.i_ != text.size()) {
      c.fail("expected the end of the text");
      return c.error_;
    }
    return {};
  }

 private:
  explicit JsonCheck(std::string_view s) : s_(s) {}

  static constexpr int max_depth = 512;

  bool fail(const char* what) {
    if (error_.empty()) error_ = std::string(what) + " at byte " + std::to_string(i_);
    return false;
  }
  [[nodiscard]] bool at_end() const { return i_ >= s_.size(); }
  [[nodiscard]] unsigned char peek() const { return static_cast<unsigned char>(s_[i_]); }
  void space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++i_;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return fail("expected a value");
    i_ += word.size();
    return true;
  }

  bool value(int depth) {
    if (depth > max_depth) return fail("nested too deep");
    if (at_end()) return fail("expected a value, found the end");
    switch (peek()) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  bool object(int depth) {
    ++i_;
    space();
    if (!at_end() && peek() == '}') return ++i_, true;
    for (;;) {
      space();
      if (at_end() || peek() != '"') return fail("expected a member name");
      if (!string()) return false;
      space();
      if (at_end() || peek() != ':') return fail("expected ':'");
      ++i_;
      space();
      if (!value(depth + 1)) return false;
      space();
      if (at_end()) return fail("expected ',' or '}'");
      if (peek() == '}') return ++i_, true;
      if (peek() != ',') return fail("expected ',' or '}'");
      ++i_;
    }
  }

  bool array(int depth) {
    ++i_;
    space();
    if (!at_end() && peek() == ']') return ++i_, true;
    for (;;) {
      space();
      if (!value(depth + 1)) return false;
      space();
      if (at_end()) return fail("expected ',' or ']'");
      if (peek() == ']') return ++i_, true;
      if (peek() != ',') return fail("expected ',' or ']'");
      ++i_;
    }
  }

  bool digits() {
    const std::size_t start = i_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
    return i_ > start;
  }

  bool number() {
    if (!at_end() && peek() == '-') ++i_;
    if (at_end()) return fail("expected a value");
    if (peek() == '0') {
      ++i_;
    } else if (!digits()) {
      return fail("expected a value");
    }
    if (!at_end() && peek() == '.') {
      ++i_;
      if (!digits()) return fail("expected digits after '.'");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++i_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++i_;
      if (!digits()) return fail("expected exponent digits");
    }
    return true;
  }

  /// Four hex digits after `\u`; -1 when they are not.
  long hex4() {
    if (i_ + 4 > s_.size()) return -1;
    long v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v *= 16;
      if (c >= '0' && c <= '9')
        v += c - '0';
      else if (c >= 'a' && c <= 'f')
        v += c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v += c - 'A' + 10;
      else
        return -1;
    }
    return v;
  }

  bool escape() {
    if (at_end()) return fail("expected an escape");
    const char c = s_[i_++];
    if (std::string_view("\"\\/bfnrt").find(c) != std::string_view::npos) return true;
    if (c != 'u') return fail("expected a valid escape");
    const long u = hex4();
    if (u < 0) return fail("expected 4 hex digits");
    if (u >= 0xDC00 && u <= 0xDFFF) return fail("found a lone low surrogate escape");
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (s_.substr(i_, 2) != "\\u") return fail("found a lone high surrogate escape");
      i_ += 2;
      const long low = hex4();
      if (low < 0xDC00 || low > 0xDFFF) return fail("found a lone high surrogate escape");
    }
    return true;
  }

  /// One UTF-8 sequence that is not ASCII.
  bool utf8() {
    const unsigned char c = peek();
    const auto cont = [&](std::size_t k) {
      return i_ + k < s_.size() && (static_cast<unsigned char>(s_[i_ + k]) & 0xC0U) == 0x80U;
    };
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s_[i_ + k]); };
    std::size_t n = 0;
    if (c >= 0xC2 && c <= 0xDF && cont(1)) {
      n = 2;
    } else if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
      if ((c == 0xE0 && byte(1) < 0xA0) || (c == 0xED && byte(1) >= 0xA0)) return fail("found invalid UTF-8");
      n = 3;
    } else if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
      if ((c == 0xF0 && byte(1) < 0x90) || (c == 0xF4 && byte(1) >= 0x90)) return fail("found invalid UTF-8");
      n = 4;
    } else {
      return fail("found invalid UTF-8");
    }
    i_ += n;
    return true;
  }

  bool string() {
    ++i_;  // the opening quote
    for (;;) {
      if (at_end()) return fail("expected a closing quote");
      const unsigned char c = peek();
      if (c == '"') return ++i_, true;
      if (c < 0x20) return fail("found a raw control character in a string");
      if (c == '\\') {
        ++i_;
        if (!escape()) return false;
      } else if (c >= 0x80) {
        if (!utf8()) return false;
      } else {
        ++i_;
      }
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

}  // namespace trueup::testing
