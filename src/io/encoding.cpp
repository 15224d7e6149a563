// SPDX-License-Identifier: BSL-1.0
// File: src/io/encoding.cpp
//
// The encoding and line-ending check of a fleet file (encoding.hpp). One pass, eight bytes at a
// time while they are ASCII without NUL (the common case: a gigabyte of ASCII costs a fraction
// of the CSV split); positions are counted only when something is reported.
#include "encoding.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "values.hpp"

namespace trueup::io::reading {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// Whether any of the 8 bytes of `w` is >= 0x80 or zero (the classic SWAR zero-byte test).
constexpr bool any_special(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101U, highs = 0x8080808080808080U;
  return ((w & highs) | ((w - ones) & ~w & highs)) != 0;
}

/// Line and column of byte `offset`, as the CSV layer counts them: line 1 starts at `start`
/// (after the byte order marks), columns are 1-based bytes.
std::pair<std::uint32_t, std::uint32_t> position(std::string_view text, std::size_t start, std::size_t offset) {
  std::uint32_t line = 1;
  std::size_t line_start = start;
  for (std::size_t i = start; i < offset; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return {line, static_cast<std::uint32_t>(offset - line_start + 1)};
}

std::string hex_byte(unsigned char c) {
  constexpr char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[c >> 4U] + digits[c & 0xFU];
}

/// The encoding a file of NUL bytes most likely has, from its first bytes; empty when the NULs
/// look like stray binary bytes in a text.
std::string_view wide_encoding(std::string_view text) {
  if (text.starts_with(std::string_view("\xFF\xFE\0\0", 4)) || text.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
    return "UTF-32";
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) return "UTF-16";
  const std::string_view head = text.substr(0, 256);
  std::size_t nuls = 0;
  for (const char c : head) nuls += c == '\0' ? 1 : 0;
  if (nuls == 0 || 4 * nuls < head.size()) return {};
  return 2 * nuls > head.size() ? "UTF-32" : "UTF-16";
}

/// The first invalid byte (or NUL) from `from` on, or npos.
std::size_t first_invalid(std::string_view text, std::size_t from) {
  std::size_t i = from;
  while (i < text.size()) {
    if (i + 8 <= text.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, text.data() + i, 8);
      if (!any_special(w)) {
        i += 8;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text.substr(i));
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0U) == 0x80U; };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // a UTF-16 surrogate, U+D800..U+DFFF
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;  // a continuation byte, C0/C1 (overlong) or F5..FF
}

bool check_text(std::string_view text, const std::string& file, Diagnostics& out) {
  const auto error = [&](std::uint32_t line, std::uint32_t column, const char* code, std::string message) {
    out.push_back({Severity::error, file, line, column, code, std::move(message)});
    return false;
  };
  if (const std::string_view wide = wide_encoding(text); !wide.empty())
    return error(0, 0, "bad-encoding",
                 "expected UTF-8 text, found " + std::string(wide) + " (starting " +
                     hex_byte(static_cast<unsigned char>(text[0])) + " " +
                     hex_byte(static_cast<unsigned char>(text[1])) + "); " + std::string(wide) + ": save as UTF-8");
  std::size_t start = 0;
  std::size_t marks = 0;
  while (text.substr(start).starts_with(utf8_bom)) {
    start += utf8_bom.size();
    ++marks;
  }
  if (marks > 1)
    out.push_back({Severity::warning, file, 0, 0, "repeated-bom",
                   "expected at most one byte order mark at the start, found " + std::to_string(marks) +
                       " (the file was converted to UTF-8 more than once); they are skipped"});

  if (const std::size_t bad = first_invalid(text, start); bad != std::string_view::npos) {
    const auto [line, column] = position(text, start, bad);
    const auto c = static_cast<unsigned char>(text[bad]);
    if (c == 0)
      return error(line, column, "bad-encoding",
                   "expected text, found a NUL byte (a binary file, or text in UTF-16 or UTF-32: save as UTF-8)");
    // How many more lines hold bytes that are not UTF-8: the file's encoding, not a typo.
    std::size_t more = 0;
    std::size_t at = text.find('\n', bad);
    while (at != std::string_view::npos) {
      const std::size_t next = first_invalid(text, at);
      if (next == std::string_view::npos) break;
      ++more;
      at = text.find('\n', next);
    }
    // ED A0..BF: a UTF-16 surrogate encoded alone (a lone surrogate in a Python str, CESU-8).
    const bool surrogate = c == 0xED && bad + 1 < text.size() && static_cast<unsigned char>(text[bad + 1]) >= 0xA0;
    const std::string what =
        surrogate ? ", a UTF-16 surrogate (U+D800 to U+DFFF), which UTF-8 cannot hold; "
                    "fix the value"
                  : ", which is not UTF-8 (Windows-1252 or Latin-1 text?); read it with the encoding windows-1252 "
                    "(--encoding windows-1252) or save the file as UTF-8";
    return error(line, column, "bad-encoding",
                 "expected UTF-8 text, found the byte " + hex_byte(c) + what +
                     (more > 0 ? "; " + std::to_string(more) + " more line(s) hold such bytes" : std::string()));
  }

  // Lines ending in CR alone: the whole file reads as one line of garbled columns.
  if (const std::size_t cr = text.find('\r', start);
      cr != std::string_view::npos && cr + 1 < text.size() && text.find('\n', start) == std::string_view::npos)
    return error(0, 0, "bad-line-ending",
                 "expected lines ending in LF or CRLF, found lines ending in CR alone (classic Mac OS); save the "
                 "file with LF or CRLF line endings");
  return true;
}

bool prepare_text(std::string_view& text, std::string& converted, const std::string& file, TextEncoding encoding,
                  Diagnostics& out) {
  if (encoding == TextEncoding::windows_1252) {
    if (!from_windows_1252(text, file, converted, out)) return false;
    text = converted;
  }
  return check_text(text, file, out);
}

bool from_windows_1252(std::string_view text, const std::string& file, std::string& utf8, Diagnostics& out) {
  // U+0080..U+009F as Windows-1252 maps them; 0 where it defines no character.
  static constexpr char16_t high[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                        0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  if (text.starts_with(utf8_bom)) {
    out.push_back({Severity::error, file, 1, 1, "bad-encoding",
                   "expected Windows-1252 text, found a UTF-8 byte order mark (the file is UTF-8); read it with the "
                   "encoding utf-8 (the default)"});
    return false;
  }
  utf8.clear();
  utf8.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      utf8 += static_cast<char>(c);
      continue;
    }
    const char32_t cp = c < 0xA0 ? high[c - 0x80] : c;
    if (cp == 0) {
      const auto [line, column] = position(text, 0, i);
      out.push_back({Severity::error, file, line, column, "bad-encoding",
                     "expected Windows-1252 text, found the byte " + hex_byte(c) +
                         ", which Windows-1252 leaves undefined (the file is in another encoding?)"});
      return false;
    }
    if (cp < 0x800) {
      utf8 += static_cast<char>(0xC0U | (cp >> 6U));
    } else {
      utf8 += static_cast<char>(0xE0U | (cp >> 12U));
      utf8 += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
    }
    utf8 += static_cast<char>(0x80U | (cp & 0x3FU));
  }
  return true;
}

}  // namespace trueup::io::reading

namespace trueup::io {

std::optional<TextEncoding> parse_encoding(std::string_view v) {
  const std::string l = reading::lower(v);
  if (l == "utf-8" || l == "utf8") return TextEncoding::utf8;
  if (l == "windows-1252" || l == "cp1252") return TextEncoding::windows_1252;
  return std::nullopt;
}

}  // namespace trueup::io
