// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/money.hpp
//
// Exact money. An amount is an integer count of 1/10000 of a currency unit (enough for every
// ISO 4217 minor unit), never a float. Sums that could exceed 64 bits are taken in 128 bits
// (`MoneyTotal`, the compiler's built-in 128-bit integer: GCC and Clang); a single price fits
// in 64 bits (up to 922 trillion units).
#pragma once

#include <charconv>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trueup {

/// A signed 128-bit integer (`__extension__`: not ISO C++, but built into GCC and Clang).
__extension__ using Int128 = __int128;

struct Money {
  static constexpr std::int64_t scale = 10000;  ///< ten-thousandths of a unit
  std::int64_t amount = 0;

  friend constexpr auto operator<=>(Money, Money) = default;

  /// Parses a non-negative decimal with at most 4 fractional digits ("1234", "12.5",
  /// "0.0001"); nullopt for anything else (signs, exponents, thousands separators).
  [[nodiscard]] static std::optional<Money> parse(std::string_view s) {
    const auto dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty() || frac.size() > 4 || (dot != std::string_view::npos && frac.empty())) return std::nullopt;
    for (char c : whole)
      if (c < '0' || c > '9') return std::nullopt;
    for (char c : frac)
      if (c < '0' || c > '9') return std::nullopt;
    std::int64_t w = 0;
    auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), w);
    if (ec != std::errc{} || w > INT64_MAX / scale - 1) return std::nullopt;
    std::int64_t f = 0;
    for (std::size_t i = 0; i < 4; ++i) f = f * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    return Money{w * scale + f};
  }

  /// "1234.50": at least two decimals, more only when needed.
  [[nodiscard]] std::string str() const;
};

/// A sum of money that cannot overflow: licence counts times prices across a fleet.
struct MoneyTotal {
  Int128 amount = 0;  ///< ten-thousandths, like Money

  MoneyTotal& operator+=(const MoneyTotal& o) {
    amount += o.amount;
    return *this;
  }
  [[nodiscard]] static MoneyTotal times(Money unit, std::int64_t count) {
    return MoneyTotal{Int128(unit.amount) * count};
  }
  friend bool operator==(const MoneyTotal&, const MoneyTotal&) = default;
  friend bool operator<(const MoneyTotal& a, const MoneyTotal& b) { return a.amount < b.amount; }
  friend MoneyTotal operator+(MoneyTotal a, const MoneyTotal& b) { return a += b; }

  /// "1234.50", like Money::str(). Digits by hand: cpp_int::str() and `"-" + std::string`
  /// trip a false GCC 12 -Wrestrict at -O3.
  [[nodiscard]] std::string str() const {
    Int128 a = amount < 0 ? -amount : amount;
    std::string digits;  // least significant first; digits[0..3] are the four decimals
    do {
      digits.push_back(static_cast<char>('0' + static_cast<int>(a % 10)));
      a /= 10;
    } while (a != 0);
    while (digits.size() < 5) digits.push_back('0');
    std::size_t skip = 0;  // trailing decimal zeros dropped, keeping two decimals
    while (skip < 2 && digits[skip] == '0') ++skip;
    std::string out;
    out.reserve(digits.size() + 2);
    if (amount < 0) out.push_back('-');
    for (std::size_t i = digits.size(); i-- > 4;) out.push_back(digits[i]);
    out.push_back('.');
    for (std::size_t i = 4; i-- > skip;) out.push_back(digits[i]);
    return out;
  }
};

inline std::string Money::str() const { return MoneyTotal{amount}.str(); }

}  // namespace trueup
