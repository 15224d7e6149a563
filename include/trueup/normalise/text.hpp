// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/text.hpp
//
// Title normalisation for recognition: ASCII-lowercased, every run of characters other than
// letters, digits and '.' turned into one space, and padded with a space at both ends, so
// that " office 2016 " contains the whole word " 2016 " but " 8.1 " does not contain " 8 ".
#pragma once

#include <string>
#include <string_view>

namespace trueup::detail {

[[nodiscard]] inline std::string normalise_words(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back(' ');
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c >= 0x80;
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if (word)
      out.push_back(static_cast<char>(c));
    else if (out.back() != ' ')
      out.push_back(' ');
  }
  // A trailing '.' ends a sentence, not a version: "Office 2016." names 2016.
  while (out.size() > 1 && (out.back() == '.' || out.back() == ' ')) out.pop_back();
  out.push_back(' ');
  return out;
}

/// True when `needle` (normalised, padded) occurs in `haystack` (normalised, padded).
[[nodiscard]] inline bool contains_words(std::string_view haystack, std::string_view needle) {
  return needle.size() > 2 && haystack.find(needle) != std::string_view::npos;
}

}  // namespace trueup::detail
