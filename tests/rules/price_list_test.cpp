// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/price_list_test.cpp
//
// The price list (prices.csv): what prices a shortfall where no licence record names a price,
// read with every problem located; the cheapest licence that may cover a shortfall prices it,
// under the use rights of the channel it is sold in; a shortfall nothing prices is unknown
// (null in the JSON), never zero.
#include <gtest/gtest.h>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

constexpr const char* prices_h = "sku,family,version,edition,channel,metric,unit_cost,currency\n";

test::Reconciled run(std::string devices, std::string installs, std::string entitlements, std::string prices) {
  io::FleetSources src;
  src.devices = std::string(test::devices_header) + devices;
  src.installs = std::string(test::installs_header) + installs;
  src.entitlements = std::string(test::entitlements_header) + entitlements;
  src.prices = prices_h + prices;
  return test::reconcile_sources(src);
}

std::vector<std::string> read_errors(std::string prices) {
  io::FleetSources src;
  src.devices = std::string(test::devices_header) + "PC-1,desktop,owned,active,,,\n";
  src.installs = std::string(test::installs_header);
  src.entitlements = std::string(test::entitlements_header);
  src.prices = prices_h + prices;
  auto read = io::parse_fleet(src, test::microsoft_pack());
  std::vector<std::string> out;
  if (!read)
    for (const auto& d : read.error()) out.push_back(to_string(d));
  return out;
}

TEST(PriceList, PricesAShortfallNoLicenceRecordPrices) {
  // Visio was never bought: before the price list its shortfall had no price ("?").
  const auto r = run("PC-1,desktop,owned,active,,,\nPC-2,desktop,owned,active,,,\n",
                     "I-1,PC-1,Microsoft Visio Professional 2016,Microsoft Corporation,\n"
                     "I-2,PC-2,Microsoft Visio Professional 2016,Microsoft Corporation,\n",
                     "", "D87-07508,visio,2016,Professional,volume,device,589.00,EUR\n");
  EXPECT_EQ(r.position.totals.shortfall, 2u);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "1178.00");
  EXPECT_EQ(r.position.totals.unpriced_shortfall, 0);
  EXPECT_EQ(r.fleet.prices.at(0).sku, "D87-07508");
}

TEST(PriceList, TheCheapestLicenceThatMayCoverTheShortfallPricesIt) {
  // A held 2019 licence names 439.00; the list sells 2021 at 469.00 and 2019 at 399.00: 2019
  // at 399.00 (the 2021 licence would cover it too, under downgrade rights, at more).
  const auto r = run("PC-1,desktop,owned,active,,,\nPC-2,desktop,owned,active,,,\n",
                     "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n"
                     "I-2,PC-2,Microsoft Office Professional Plus 2019,Microsoft Corporation,\n",
                     "L-1,office,2019,Professional Plus,volume,1,,439.00,EUR\n",
                     ",office,2021,Professional Plus,volume,,469.00,EUR\n"
                     ",office,2019,Professional Plus,volume,,399.00,EUR\n");
  EXPECT_EQ(r.position.totals.shortfall, 1u);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "399.00");
}

TEST(PriceList, AnOfferPricesOnlyWhatItsChannelsRightsCover) {
  // Retail Windows 11 Pro carries no downgrade right (D1 is a volume right): it cannot price a
  // Windows 10 Pro shortfall, which stays unpriced; a volume Windows 11 Pro upgrade would need
  // a qualifying licence on the PC (O4), which it has not.
  const auto r = run("PC-1,desktop,owned,active,,,\n", "I-1,PC-1,Microsoft Windows 10 Pro,Microsoft Corporation,\n", "",
                     ",windows,11,Pro,retail,device,259.00,EUR\n,windows,11,Pro,volume,device,199.00,EUR\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(r.position.totals.unpriced_shortfall, 1);
  ASSERT_EQ(r.position.products.size(), 1u);
  EXPECT_EQ(r.position.products[0].unpriced_shortfall, r.position.products[0].shortfall_units);
  // The JSON says null: unknown, not free.
  EXPECT_NE(r.json().find("\"true_up_cost\": null"), std::string::npos);
  // The same PC running Windows 11 Pro: the retail offer prices it.
  const auto eleven =
      run("PC-1,desktop,owned,active,,,\n", "I-1,PC-1,Microsoft Windows 11 Pro,Microsoft Corporation,\n", "",
          ",windows,11,Pro,retail,device,259.00,EUR\n");
  EXPECT_EQ(eleven.position.totals.true_up_cost.str(), "259.00");
}

TEST(PriceList, ADenseHostIsPricedAtTheDatacenterTheListSells) {
  // 12 Standard VMs on 16 cores, nothing held: Standard 6 x 16 x 69.00 = 6624.00, Datacenter
  // 16 x 399.00 = 6384.00; the position buys Datacenter and says so.
  std::string devices = "HV-1,server,owned,active,,1,16\n";
  std::string installs;
  for (int n = 1; n <= 12; ++n) {
    devices += "VM-" + std::to_string(n) + ",vm,owned,active,,1,2\n";
    installs += "I-" + std::to_string(n) + ",VM-" + std::to_string(n) +
                ",Microsoft Windows Server 2025 Standard,Microsoft Corporation,\n";
  }
  io::FleetSources src;
  src.devices = "device_id,kind,ownership,status,status_date,processors,cores,host\n";
  for (std::size_t at = 0, next; at < devices.size(); at = next + 1) {
    next = devices.find('\n', at);
    const std::string row = devices.substr(at, next - at);
    src.devices += row + (row.rfind("VM-", 0) == 0 ? ",HV-1\n" : ",\n");
  }
  src.installs = std::string(test::installs_header) + installs;
  src.entitlements = std::string(test::entitlements_header);
  src.prices = std::string(prices_h) + ",windows-server,2025,Standard,volume,core,69.00,EUR\n" +
               ",windows-server,2025,Datacenter,volume,core,399.00,EUR\n";
  const auto r = test::reconcile_sources(src);
  ASSERT_EQ(r.position.products.size(), 1u);
  const ProductPosition& row = r.position.products[0];
  EXPECT_EQ(row.shortfall_units, 16);
  EXPECT_EQ(row.true_up_cost.str(), "6384.00");
  ASSERT_TRUE(row.buy_edition.has_value());
  EXPECT_EQ(test::microsoft_pack().family(row.product.family).editions[*row.buy_edition].name, "Datacenter");
  EXPECT_NE(r.json().find("\"buy_edition\": \"Datacenter\""), std::string::npos);
}

TEST(PriceList, EveryProblemIsReportedAtItsLineAndColumn) {
  const auto errors = read_errors(
      ",offfice,2019,Professional Plus,volume,device,1.00,EUR\n"
      ",office,2019,Professional Plus,oem,device,1.00,EUR\n"
      ",office,2019,Professional Plus,volume,core,1.00,EUR\n"
      ",office,2019,Professional Plus,volume,device,$1,EUR\n"
      ",office,2019,Professional Plus,volume,device,,EUR\n");
  ASSERT_EQ(errors.size(), 5u);
  EXPECT_NE(errors[0].find("prices.csv:2:2: error[unknown-product]"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("prices.csv:3:"), std::string::npos) << errors[1];
  EXPECT_NE(errors[1].find("error[bad-channel]"), std::string::npos) << errors[1];
  EXPECT_NE(errors[1].find("an OEM licence is sold only with a new device"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("error[bad-metric]"), std::string::npos) << errors[2];
  EXPECT_NE(errors[3].find("prices.csv:5:"), std::string::npos) << errors[3];
  EXPECT_NE(errors[4].find("prices.csv:6:"), std::string::npos) << errors[4];
}

}  // namespace
}  // namespace trueup
