// SPDX-License-Identifier: BSL-1.0
// File: src/io/values.hpp
//
// Values as the fleet files write them (private to trueup::io): trimming, ASCII case, a found
// value quoted for a message, and the typed parsers under the field checks (whole numbers,
// currency codes, enum names). The parsers report nothing: only their callers know the column
// and the message (fields.hpp).
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "trueup/fwd.hpp"

namespace trueup::io::reading {

// ---------------------------------------------------------------------------------------------
// Text helpers

constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return to_lower(x) == to_lower(y); });
}

/// A found value for a message: in double quotes, `"` and control characters escaped (the
/// escapes of trueup/printable.hpp), cut after 60 characters (UTF-8 code points, never inside
/// one) with "…".
std::string quote_value(std::string_view v);
/// A column name for a message, as written in the file: in backquotes, escaped, never cut.
std::string quote_name(std::string_view name);
/// Why `v`, shaped as YYYY-MM-DD, is no date: ", no such day (February 2026 has 28 days)",
/// ", no such month", ", no year 0000 (years 0001 to 9999)"; empty for another shape.
std::string why_not_a_date(std::string_view v);
/// Text for a message, escaped, not quoted.
std::string escape_text(std::string_view s);

template <class Range, class Proj>
std::string join(const Range& items, Proj proj) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!std::exchange(first, false)) out += ", ";
    out += proj(item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value parsers (no diagnostics: the callers know the column and the message)

/// A whole number made of ASCII digits only (no sign, no separators).
template <class Int>
std::optional<Int> parse_digits(std::string_view s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  Int v{};
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// A whole number checked against a limit: its value, or whether it is no number at all or one
/// beyond `max` (any count of digits: too many for 64 bits is beyond too).
struct Bounded {
  enum class Kind : std::uint8_t { ok, not_a_number, out_of_range };
  Kind kind = Kind::not_a_number;
  std::int64_t value = 0;
};
inline Bounded parse_bounded(std::string_view s, std::int64_t max, bool allow_sign = false) {
  const bool negative = allow_sign && !s.empty() && s.front() == '-';
  const std::string_view digits = negative ? s.substr(1) : s;
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return {};
  const auto v = parse_digits<std::int64_t>(digits);
  if (!v || *v > max) return {Bounded::Kind::out_of_range, 0};
  return {Bounded::Kind::ok, negative ? -*v : *v};
}

inline bool is_currency_code(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace trueup::io::reading
