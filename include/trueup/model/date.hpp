// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/date.hpp
//
// A calendar date (proleptic Gregorian), stored as days since 1970-01-01 so that comparisons
// and "90 days later" are integer operations. Parsed and printed as ISO 8601 `YYYY-MM-DD`.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trueup {

struct Date {
  std::int32_t days = 0;  ///< days since 1970-01-01

  friend constexpr auto operator<=>(Date, Date) = default;

  [[nodiscard]] static constexpr Date from_ymd(int y, unsigned m, unsigned d) {
    using namespace std::chrono;
    return Date{static_cast<std::int32_t>(sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count())};
  }

  /// Today in UTC: the default as-of date of a reconciliation.
  [[nodiscard]] static Date today() {
    using namespace std::chrono;
    return Date{static_cast<std::int32_t>(floor<std::chrono::days>(system_clock::now()).time_since_epoch().count())};
  }

  /// `n` days later (earlier when negative).
  [[nodiscard]] constexpr Date plus_days(std::int32_t n) const { return Date{days + n}; }

  /// Parses exactly `YYYY-MM-DD` with a valid calendar day of the years 0001 to 9999 (the
  /// years of ISO 8601 without extension, and of Python's datetime.date); nullopt otherwise.
  [[nodiscard]] static std::optional<Date> parse(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    // Digits at fixed places (two dates on every inventory row: no general number parser).
    for (const std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
    const auto digits = [&](std::size_t from, std::size_t n) {
      unsigned v = 0;
      for (std::size_t i = from; i < from + n; ++i) v = 10 * v + static_cast<unsigned>(s[i] - '0');
      return v;
    };
    const int y = static_cast<int>(digits(0, 4));
    const unsigned m = digits(5, 2), d = digits(8, 2);
    if (y == 0) return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year{y}, month{m}, day{d}};
    if (!ymd.ok()) return std::nullopt;
    return from_ymd(y, m, d);
  }

  [[nodiscard]] std::string iso() const {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    char buf[16];
    const int y = static_cast<int>(ymd.year());
    const unsigned m = static_cast<unsigned>(ymd.month()), d = static_cast<unsigned>(ymd.day());
    buf[0] = static_cast<char>('0' + y / 1000 % 10);
    buf[1] = static_cast<char>('0' + y / 100 % 10);
    buf[2] = static_cast<char>('0' + y / 10 % 10);
    buf[3] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + m / 10);
    buf[6] = static_cast<char>('0' + m % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + d / 10);
    buf[9] = static_cast<char>('0' + d % 10);
    return std::string(buf, 10);
  }
};

}  // namespace trueup
