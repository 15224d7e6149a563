// SPDX-License-Identifier: BSL-1.0
// File: src/io/values.cpp
//
// How a found value is shown in a reader's message (values.hpp): quoted, escaped and cut, so
// that a whole line swallowed by a stray quote still gives a message of one line, and no value
// can drive the terminal the message is printed on (trueup/printable.hpp).
#include "values.hpp"

#include <chrono>

#include "trueup/printable.hpp"

namespace trueup::io::reading {

namespace {

constexpr std::size_t max_found_chars = 60;

}  // namespace

std::string quote_value(std::string_view v) {
  // The cut: after 60 characters (UTF-8 lead bytes), never inside one.
  std::size_t chars = 0;
  std::size_t cut = v.size();
  for (std::size_t i = 0; i < v.size(); ++i) {
    const bool starts_char = (static_cast<unsigned char>(v[i]) & 0xC0U) != 0x80U;
    if (starts_char && chars++ == max_found_chars) {
      cut = i;
      break;
    }
  }
  std::string out = "\"";
  append_printable(out, v.substr(0, cut), '"');
  if (cut < v.size()) out += "\xE2\x80\xA6";  // …
  out += '"';
  return out;
}

std::string quote_name(std::string_view name) {
  std::string out = "`";
  append_printable(out, name, '`');
  out += '`';
  return out;
}

std::string why_not_a_date(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return {};
  unsigned parts[3] = {0, 0, 0};
  for (std::size_t i = 0, part = 0; i < v.size(); ++i) {
    if (i == 4 || i == 7) {
      ++part;
      continue;
    }
    if (v[i] < '0' || v[i] > '9') return {};
    parts[part] = 10 * parts[part] + static_cast<unsigned>(v[i] - '0');
  }
  const auto [y, m, d] = parts;
  if (y == 0) return ", no year 0000 (years 0001 to 9999)";
  if (m < 1 || m > 12) return ", no such month";
  using namespace std::chrono;
  const auto last =
      static_cast<unsigned>(year_month_day_last(year{static_cast<int>(y)}, month_day_last(month{m})).day());
  static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                           "July",    "August",   "September", "October", "November", "December"};
  if (d < 1 || d > last)
    return ", no such day (" + std::string(months[m - 1]) + " " + std::string(v.substr(0, 4)) + " has " +
           std::to_string(last) + " days)";
  return {};
}

std::string escape_text(std::string_view s) { return printable(s); }

}  // namespace trueup::io::reading
