// SPDX-License-Identifier: BSL-1.0
// File: tests/model/money_test.cpp
//
// Money is exact: parsed without floats, summed without overflow, printed as it was written.
#include "trueup/model/money.hpp"

#include <gtest/gtest.h>

namespace trueup {
namespace {

TEST(Money, ParsesDecimalsExactly) {
  EXPECT_EQ(Money::parse("1234.5")->amount, 12345000);
  EXPECT_EQ(Money::parse("0.0001")->amount, 1);
  EXPECT_FALSE(Money::parse("1.23456"));
  EXPECT_FALSE(Money::parse("-1"));
  EXPECT_FALSE(Money::parse("1,000"));
  EXPECT_FALSE(Money::parse("1."));
}

TEST(Money, PrintsAtLeastTwoDecimals) {
  EXPECT_EQ(Money{12345000}.str(), "1234.50");
  EXPECT_EQ(Money{1}.str(), "0.0001");
  EXPECT_EQ(MoneyTotal{}.str(), "0.00");
  EXPECT_EQ(MoneyTotal::times(Money{2499900}, 3).str(), "749.97");
  EXPECT_EQ(MoneyTotal{-12345}.str(), "-1.2345");
}

TEST(MoneyTotal, SumsBeyondSixtyFourBitsStayExact) {
  // 9.2e14 units x 1M licences: far past int64 in ten-thousandths.
  const MoneyTotal t = MoneyTotal::times(Money{INT64_MAX}, 1'000'000);
  EXPECT_EQ(t.str(), "922337203685477580700.00");
}

}  // namespace
}  // namespace trueup
