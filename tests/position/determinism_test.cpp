// SPDX-License-Identifier: BSL-1.0
// File: tests/position/determinism_test.cpp
//
// Same inputs -> byte-identical output, including when the rows of every file are shuffled.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string shuffled(const std::string& csv, std::mt19937& rng) {
  std::vector<std::string> lines;
  std::stringstream s(csv);
  for (std::string line; std::getline(s, line);) lines.push_back(line);
  std::shuffle(lines.begin() + 1, lines.end(), rng);
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string json_of(const io::FleetSources& src) {
  auto read = io::parse_fleet(src, test::microsoft_pack());
  EXPECT_TRUE(read.has_value());
  if (!read) return {};
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  const Position p = reconcile(test::microsoft_pack(), read->fleet, options);
  return io::format_json(p, test::microsoft_pack(), read->fleet) +
         io::format_table(p, test::microsoft_pack(), read->fleet);
}

TEST(Determinism, ShuffledRowsGiveByteIdenticalOutput) {
  const std::string dir = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso/";
  io::FleetSources src;
  src.devices = slurp(dir + "devices.csv");
  src.installs = slurp(dir + "installs.csv");
  src.entitlements = slurp(dir + "entitlements.csv");
  const std::string reference = json_of(src);
  ASSERT_FALSE(reference.empty());
  EXPECT_EQ(json_of(src), reference);
  for (unsigned seed = 1; seed <= 5; ++seed) {
    std::mt19937 rng(seed);
    io::FleetSources s = src;
    s.devices = shuffled(src.devices, rng);
    s.installs = shuffled(src.installs, rng);
    s.entitlements = shuffled(src.entitlements, rng);
    EXPECT_EQ(json_of(s), reference) << "seed " << seed;
  }
}

TEST(Determinism, ServersWithoutLicensingTermsAreReportedInDeviceOrderWhateverTheRowOrder) {
  // Found by tests/position/properties_test.cpp: the whole-server stage met its servers in
  // devices.csv's order, so the `no-licensing-terms` warnings of two servers whose edition has
  // no terms (Windows Server Enterprise after 2012) came out in row order.
  io::FleetSources forward;
  forward.devices =
      "device_id,kind,ownership,status,processors,cores\n"
      "SRV-A,server,owned,active,1,8\n"
      "SRV-B,server,owned,active,2,16\n";
  forward.installs =
      "install_id,device_id,title,publisher\n"
      "I-1,SRV-A,Microsoft Windows Server 2019 Enterprise,Microsoft Corporation\n"
      "I-2,SRV-B,Microsoft Windows Server 2012 R2 Enterprise,Microsoft Corporation\n";
  forward.entitlements = "licence_id,family,version,edition,channel,quantity\n";
  io::FleetSources backward = forward;
  backward.devices =
      "device_id,kind,ownership,status,processors,cores\n"
      "SRV-B,server,owned,active,2,16\n"
      "SRV-A,server,owned,active,1,8\n";
  backward.installs =
      "install_id,device_id,title,publisher\n"
      "I-2,SRV-B,Microsoft Windows Server 2012 R2 Enterprise,Microsoft Corporation\n"
      "I-1,SRV-A,Microsoft Windows Server 2019 Enterprise,Microsoft Corporation\n";
  const std::string reference = json_of(forward);
  const auto a = reference.find(
      "no-licensing-terms\",\"message\":\"installs: warning[no-licensing-terms]: expected the OSEs on SRV-A");
  const auto b = reference.find(
      "no-licensing-terms\",\"message\":\"installs: warning[no-licensing-terms]: expected the OSEs on SRV-B");
  ASSERT_NE(a, std::string::npos) << reference;
  ASSERT_NE(b, std::string::npos) << reference;
  EXPECT_LT(a, b);
  EXPECT_EQ(json_of(backward), reference);
}

}  // namespace
}  // namespace trueup
