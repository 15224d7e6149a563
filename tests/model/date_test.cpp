// SPDX-License-Identifier: BSL-1.0
// File: tests/model/date_test.cpp
//
// Dates as the inputs write them (docs/formats.md: YYYY-MM-DD, nothing else): two on every
// inventory row, so Date::parse reads digits at fixed places instead of calling a number
// parser. It accepts what it accepted before, and now also refuses a year written with a sign
// ("-026-06-30"), which the number parser let through as year -26.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "trueup/model/date.hpp"

namespace trueup {
namespace {

TEST(Date, ParsesIsoDatesAndWritesThemBackTheSame) {
  for (const std::string s : {"2026-06-30", "2024-02-29", "2000-02-29", "1999-12-31", "0001-01-01", "9999-12-31"}) {
    const std::optional<Date> d = Date::parse(s);
    ASSERT_TRUE(d.has_value()) << s;
    EXPECT_EQ(d->iso(), s);
  }
  EXPECT_EQ(Date::parse("2026-06-30"), Date::from_ymd(2026, 6, 30));
  EXPECT_EQ(Date::parse("2026-07-01")->days - Date::parse("2026-06-30")->days, 1);
}

// Year 0000 does not exist in ISO 8601 without extension nor in Python's datetime.date: a date
// the Python module could not return.
TEST(Date, RefusesDaysThatDoNotExist) {
  for (const char* s :
       {"2023-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01"})
    EXPECT_FALSE(Date::parse(s).has_value()) << s;
}

TEST(Date, RefusesAnythingButFourTwoTwoDigits) {
  for (const char* s : {"", "2026-6-30", "2026-06-3", "26-06-30", "2026/06/30", "30.06.2026", "2026-06-30 ",
                        " 2026-06-30", "-026-06-30", "+026-06-30", "2026-+6-30", "2026-06--1", "2026-0a-30",
                        "2026-06-3x", "2O26-06-30", "20260630", "2026-06-30T00:00"})
    EXPECT_FALSE(Date::parse(s).has_value()) << '"' << s << '"';
}

}  // namespace
}  // namespace trueup
