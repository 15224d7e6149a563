// SPDX-License-Identifier: BSL-1.0
// File: tests/io/fleet_input_test.cpp
//
// parse_fleet over inputs held elsewhere (io::FleetInput) and read_input_file, the entry points
// the Python module reads through (trueup/io/readers.hpp): the same fleet and the same
// diagnostics as parse_fleet on FleetSources and read_fleet on a directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/io/readers.hpp"

namespace {

using trueup::io::FleetInput;

trueup::RulePack office_pack() {
  trueup::RulePack pack;
  pack.name = "test";
  pack.revision = "1";
  trueup::Family office;
  office.id = "office";
  office.name = "Office";
  office.match = {"Office"};
  office.editions.push_back({"Standard", {}, false, {}, "", {}, ""});
  office.versions.push_back(
      {"2019", {"2019"}, "", trueup::Date::from_ymd(2018, 9, 24), trueup::Metric::device, {}, {}, {}, {}});
  pack.families.push_back(office);
  return pack;
}

std::vector<std::string> render(const trueup::Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(trueup::to_string(d));
  return out;
}

constexpr std::string_view devices = "device_id,kind\nPC-1,desktop\nPC-2,pda\n";
constexpr std::string_view installs = "install_id,device_id,title\nI-1,PC-1,Office 2019\nI-2,PC-9,Office 2019\n";
constexpr std::string_view entitlements =
    "licence_id,family,version,edition,channel,quantity,colour\nL-1,office,2019,Standard,volume,5,red\n";

TEST(FleetInput, ParsesTextsInPlaceAsParseFleetParsesSources) {
  const auto pack = office_pack();
  const std::string good_devices = "device_id\nPC-1\nPC-9\n";
  const auto a =
      trueup::io::parse_fleet(FleetInput{good_devices, "devices.csv", {}}, FleetInput{installs, "installs.csv", {}},
                              FleetInput{entitlements, "entitlements.csv", {}}, pack);
  trueup::io::FleetSources sources{good_devices, std::string(installs), std::string(entitlements)};
  const auto b = trueup::io::parse_fleet(sources, pack);
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(a->fleet.installs.size(), 2U);
  EXPECT_EQ(a->fleet.installs[1].id, b->fleet.installs[1].id);
  EXPECT_EQ(a->fleet.installs[1].device, b->fleet.installs[1].device);
  EXPECT_EQ(a->warnings, b->warnings);
  EXPECT_EQ(render(a->warnings),
            (std::vector<std::string>{"entitlements.csv:1:52: warning[unknown-column]: expected one of the columns "
                                      "licence_id, family, version, edition, channel, quantity, device_id, sku, "
                                      "reference, purchase_date, unit_cost, currency, metric, sa_start, sa_end, "
                                      "subscription_start, subscription_end, found `colour`; the column is "
                                      "ignored"}));
}

TEST(FleetInput, ReportsEveryProblemUnderTheNamesGiven) {
  const auto r = trueup::io::parse_fleet(FleetInput{devices, "devices", {}}, FleetInput{installs, "installs", {}},
                                         FleetInput{entitlements, "entitlements", {}}, office_pack());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(render(r.error()),
            (std::vector<std::string>{
                "devices:3:6: error[bad-enum]: column `kind`: expected one of desktop, laptop, server, vm, tablet, "
                "phone, other, found \"pda\"",
                "installs:3:5: error[unknown-device]: column `device_id`: expected a device_id listed in devices, "
                "found \"PC-9\"",
                "entitlements:1:52: warning[unknown-column]: expected one of the columns licence_id, family, version, "
                "edition, channel, quantity, device_id, sku, reference, purchase_date, unit_cost, currency, metric, "
                "sa_start, sa_end, subscription_start, subscription_end, found "
                "`colour`; the column is ignored",
            }));
}

TEST(FleetInput, AMissingInputIsReportedByItsProblemsAndTheOthersAreStillChecked) {
  const trueup::Diagnostics missing{
      {trueup::Severity::error, "devices.csv", 0, 0, "missing-file", "expected a file /x/devices.csv, found none"}};
  const auto r = trueup::io::parse_fleet(FleetInput{std::nullopt, "devices.csv", missing},
                                         FleetInput{installs, "installs.csv", {}},
                                         FleetInput{"licence_id\nL-1\n", "entitlements.csv", {}}, office_pack());
  ASSERT_FALSE(r.has_value());
  // No devices: installs naming devices are not each reported as unknown-device.
  EXPECT_EQ(render(r.error()), (std::vector<std::string>{
                                   "devices.csv: error[missing-file]: expected a file /x/devices.csv, found none",
                                   "entitlements.csv:1: error[missing-column]: expected column `family`, found "
                                   "columns licence_id",
                                   "entitlements.csv:1: error[missing-column]: expected column `version`, found "
                                   "columns licence_id",
                                   "entitlements.csv:1: error[missing-column]: expected column `edition`, found "
                                   "columns licence_id",
                                   "entitlements.csv:1: error[missing-column]: expected column `channel`, found "
                                   "columns licence_id",
                                   "entitlements.csv:1: error[missing-column]: expected column `quantity`, found "
                                   "columns licence_id",
                               }));
}

TEST(ReadInputFile, ReadsAFileWholeAndReportsWhatReadFleetReportsWhenItCannot) {
  const auto dir = std::filesystem::temp_directory_path() / ("trueup-fleet-input-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "installs.csv");  // a directory where a file should be
  constexpr std::string_view valid_devices = "device_id\nPC-1\n";
  std::ofstream(dir / "devices.csv", std::ios::binary) << valid_devices;

  const auto text = trueup::io::read_input_file(dir / "devices.csv", "devices.csv");
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text, valid_devices);

  const auto none = trueup::io::read_input_file(dir / "entitlements.csv", "entitlements.csv");
  const auto a_directory = trueup::io::read_input_file(dir / "installs.csv", "installs.csv");
  ASSERT_FALSE(none.has_value());
  ASSERT_FALSE(a_directory.has_value());
  const std::vector<std::string> expected{
      "installs.csv: error[missing-file]: expected a file " + (dir / "installs.csv").string() + ", found a directory",
      "entitlements.csv: error[missing-file]: expected a file " + (dir / "entitlements.csv").string() + ", found none"};
  EXPECT_EQ((std::vector<std::string>{render(a_directory.error())[0], render(none.error())[0]}), expected);

  // read_fleet reports the same problems with the same words.
  const auto read = trueup::io::read_fleet(dir, office_pack());
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(render(read.error()), expected);
  std::filesystem::remove_all(dir);
}

}  // namespace
