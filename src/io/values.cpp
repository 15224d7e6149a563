// SPDX-License-Identifier: BSL-1.0
// File: src/io/values.cpp
//
// How a found value is shown in a reader's message (values.hpp): quoted, escaped and cut, so
// that a whole line swallowed by a stray quote still gives a message of one line.
#include "values.hpp"

namespace trueup::io::reading {

namespace {

constexpr std::size_t max_found_chars = 60;

}  // namespace

std::string quote_value(std::string_view v) {
  std::string out = "\"";
  std::size_t chars = 0;
  for (const char c : v) {
    const bool starts_char = (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    if (starts_char && chars++ == max_found_chars) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace trueup::io::reading
