// SPDX-License-Identifier: BSL-1.0
// File: trueup/printable.hpp
//
// Text made safe to print on one line of a terminal: every character that a terminal acts on
// or that breaks a line is written as an escape, so that a value read from an input file can
// neither drive the terminal (ESC sequences, BEL, NUL) nor forge a second diagnostic line.
//
// Escaped: the C0 controls and DEL (`\n`, `\r`, `\t`, others as `\u001b`), the C1 controls
// U+0080..U+009F (a terminal may take U+009B as CSI), the line and paragraph separators
// U+2028 and U+2029, the byte order mark U+FEFF (invisible: "device_id" and "\ufeffdevice_id"
// would look alike), the bidirectional overrides and isolates U+202A..U+202E and
// U+2066..U+2069 (they reorder what follows them on the line), and any byte that is not part
// of valid UTF-8 (as `\xE9`). Everything else is copied: the result is valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace trueup {

namespace detail {

inline void append_escape(std::string& out, char kind, unsigned code, int digits) {
  constexpr char hex[] = "0123456789abcdef";
  out += '\\';
  out += kind;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) out += hex[(code >> static_cast<unsigned>(shift)) & 0xFU];
}

/// The code point of the valid UTF-8 sequence at `s[i]` (not ASCII) and its length; length 0
/// when the bytes there are not valid UTF-8.
inline std::pair<unsigned, std::size_t> decode_utf8(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[i + k])); };
  const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0U) == 0x80U; };
  const unsigned c = b(0);
  if (c >= 0xC2 && c <= 0xDF && cont(1)) return {((c & 0x1FU) << 6U) | (b(1) & 0x3FU), 2};
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    const unsigned cp = ((c & 0x0FU) << 12U) | ((b(1) & 0x3FU) << 6U) | (b(2) & 0x3FU);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) return {cp, 3};
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const unsigned cp = ((c & 0x07U) << 18U) | ((b(1) & 0x3FU) << 12U) | ((b(2) & 0x3FU) << 6U) | (b(3) & 0x3FU);
    if (cp >= 0x10000 && cp <= 0x10FFFF) return {cp, 4};
  }
  return {0, 0};
}

/// Whether code point `cp` (not ASCII) is one printable() escapes.
constexpr bool escaped_code_point(unsigned cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace detail

/// Appends `s` to `out` with the escapes above; `quote`, when not 0, is escaped too (`\"`).
inline void append_printable(std::string& out, std::string_view s, char quote = 0) {
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      const auto [cp, n] = detail::decode_utf8(s, i);
      if (n == 0) {
        detail::append_escape(out, 'x', u, 2);
        ++i;
      } else {
        if (detail::escaped_code_point(cp))
          detail::append_escape(out, 'u', cp, 4);
        else
          out.append(s.data() + i, n);
        i += n;
      }
      continue;
    }
    ++i;
    if (c == quote && quote != 0) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7F) {
      detail::append_escape(out, 'u', u, 4);
    } else {
      out += c;
    }
  }
}

/// `s` with the escapes above.
[[nodiscard]] inline std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_printable(out, s);
  return out;
}

}  // namespace trueup
