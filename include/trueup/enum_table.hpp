// SPDX-License-Identifier: BSL-1.0
// File: trueup/enum_table.hpp
//
// One table per enumeration: each enumerator with its identifier (the C++ name, which the
// Python module upper-cases: `Verdict::shortfall` is `trueup.Verdict.SHORTFALL`) and the word
// files and reports use for it ("short"). `name(e)` and `parse<E>(word)` read the table, the
// readers list its words in "expected one of ..." messages, and the Python binding registers
// its enumerators from it, so the three can never disagree.
//
// An enumeration joins by specialising `EnumTable`:
//
//     template <> struct EnumTable<Channel> {
//       static constexpr std::array<EnumEntry<Channel>, 2> entries{{
//           {Channel::oem, "oem", "oem"}, {Channel::retail, "retail", "retail"}}};
//       static constexpr std::array<EnumEntry<Channel>, 1> aliases{{{Channel::retail, "retail", "fpp"}}};
//     };
//
// Invariant (checked by tests/model/enum_table_test.cpp): `entries` lists every enumerator
// once, in declaration order, with distinct words.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace trueup {

template <class E>
struct EnumEntry {
  E value;
  std::string_view identifier;  ///< the C++ enumerator's name
  std::string_view word;        ///< the name files and reports use
};

/// Specialised for each enumeration of the library (see the file comment).
template <class E>
struct EnumTable;

template <class E>
concept TabledEnum = requires {
  EnumTable<E>::entries;
};

namespace detail {
template <class E>
constexpr auto enum_aliases() {
  if constexpr (requires { EnumTable<E>::aliases; })
    return EnumTable<E>::aliases;
  else
    return std::array<EnumEntry<E>, 0>{};
}
}  // namespace detail

/// The word files and reports use for `e`; "?" for a value outside the enumeration.
template <TabledEnum E>
[[nodiscard]] constexpr std::string_view name(E e) {
  for (const auto& entry : EnumTable<E>::entries)
    if (entry.value == e) return entry.word;
  return "?";
}

/// The enumerator whose word (or alias) is `word`, exactly; nullopt for any other text.
template <TabledEnum E>
[[nodiscard]] constexpr std::optional<E> parse(std::string_view word) {
  for (const auto& entry : EnumTable<E>::entries)
    if (entry.word == word) return entry.value;
  for (const auto& entry : detail::enum_aliases<E>())
    if (entry.word == word) return entry.value;
  return std::nullopt;
}

/// Every word (each alias after its word) as "a, b, c", for an "expected one of ..." message;
/// `except` leaves one enumerator out (a value no file may state).
template <TabledEnum E>
[[nodiscard]] std::string word_list(std::optional<E> except = std::nullopt) {
  std::string out;
  for (const auto& entry : EnumTable<E>::entries) {
    if (except && entry.value == *except) continue;
    out += out.empty() ? "" : ", ";
    out += entry.word;
    for (const auto& alias : detail::enum_aliases<E>())
      if (alias.value == entry.value) (out += ", ") += alias.word;
  }
  return out;
}

}  // namespace trueup
