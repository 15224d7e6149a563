// SPDX-License-Identifier: BSL-1.0
// File: src/report/text.cpp
//
// Text as a workbook may hold it. A spreadsheet cell holds at most 32,767 characters (Excel's
// specifications and limits); XML 1.0 allows no control character but tab, line feed and
// carriage return; a file with invalid UTF-8 does not open. Inputs are copied as they were
// read, so every text passes here first. Formula injection (OWASP, "CSV Injection"): a cell
// whose text starts with =, +, -, @, tab or carriage return is read as a formula when typed or
// imported from CSV.
#include <cstdint>
#include <string>
#include <string_view>

#include "report/sheet.hpp"

namespace trueup::report {
namespace {

constexpr std::size_t max_cell_chars = 32'767;
constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view ellipsis = "\xE2\x80\xA6";     // U+2026

/// The length of the valid UTF-8 sequence at s[i], 0 when it is not one (overlong forms,
/// surrogates and code points above U+10FFFF are not).
std::size_t sequence_at(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  const std::uint8_t b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n = 0;
  std::uint32_t cp = 0;
  if ((b & 0xE0) == 0xC0)
    n = 2, cp = b & 0x1Fu;
  else if ((b & 0xF0) == 0xE0)
    n = 3, cp = b & 0x0Fu;
  else if ((b & 0xF8) == 0xF0)
    n = 4, cp = b & 0x07u;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  const std::uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

std::string clean_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = sequence_at(s, i);
    if (chars == max_cell_chars - 1 && i + (n == 0 ? 1 : n) < s.size()) {  // more than one left
      out += ellipsis;
      break;
    }
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 0 || (n == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F))) {
      out += replacement;
      i += n == 0 ? 1 : n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
    ++chars;
  }
  return out;
}

bool looks_like_formula(std::string_view s) {
  return !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

}  // namespace trueup::report
