// SPDX-License-Identifier: BSL-1.0
// File: tests/position/determinism_test.cpp
//
// Same inputs -> byte-identical output, including when the rows of every file are shuffled.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

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

/// Four hosts of Windows Server 2022 Standard, each with three VMs (32 core licences: 16 from
/// its own OEM licence, 16 from six volume records of different sizes), devices in `order`.
io::FleetSources four_hosts(const std::vector<std::string>& order) {
  io::FleetSources s;
  s.devices = "device_id,kind,ownership,status,processors,cores,host\n";
  s.installs = "install_id,device_id,title,publisher\n";
  s.entitlements = "licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency\n";
  for (const std::string& host : order) {
    s.devices += host + ",server,owned,active,1,16,\n";
    for (const char* vm : {"-VM1", "-VM2", "-VM3"}) s.devices += host + vm + ",vm,owned,active,,4," + host + "\n";
  }
  int n = 0;
  for (const char* host : {"SRV-A", "SRV-B", "SRV-C", "SRV-D"}) {
    s.entitlements += std::string("OEM-") + host + ",windows-server,2022,Standard,oem,16," + host + ",,\n";
    for (const char* os : {"", "-VM1", "-VM2", "-VM3"})
      s.installs += "I-" + std::to_string(++n) + "," + host + os +
                    ",Microsoft Windows Server 2022 Standard,Microsoft Corporation\n";
  }
  n = 0;
  for (const int quantity : {6, 10, 16, 16, 3, 13})
    s.entitlements += "VL-" + std::to_string(++n) + ",windows-server,2022,Standard,volume," + std::to_string(quantity) +
                      ",,61.00,EUR\n";
  return s;
}

TEST(Determinism, VolumeLicencesAreSplitOverServersAlikeWhateverTheDeviceOrder) {
  // The hardening issue: shuffling devices.csv of the generated 1M fleet changed how volume
  // licences were split over 8 Windows Server hosts (same totals). The whole-server stage
  // ordered its classes of servers by a key holding pool indices and the bound device's row
  // index, both in devices.csv's order; the class order decides which server draws which
  // volume records. This fleet showed it in 4 hosts.
  const std::string reference = json_of(four_hosts({"SRV-A", "SRV-B", "SRV-C", "SRV-D"}));
  ASSERT_FALSE(reference.empty());
  EXPECT_NE(reference.find("\"licence_id\":\"VL-6\""), std::string::npos);
  EXPECT_EQ(json_of(four_hosts({"SRV-D", "SRV-C", "SRV-B", "SRV-A"})), reference);
  EXPECT_EQ(json_of(four_hosts({"SRV-C", "SRV-A", "SRV-D", "SRV-B"})), reference);
}

TEST(Determinism, TheQualifyingLicenceNamedIsTheSameWhateverTheRowOrder) {
  // Found by fuzz/reconcile_fuzz.cpp: a PC with two OEM licences that both qualify it for a
  // volume Windows upgrade licence (O4). The evidence named the qualifying licence first in
  // entitlements.csv's row order, so the two orders of its rows gave two reports.
  io::FleetSources forward;
  forward.devices = "device_id,kind,ownership,status\nPC-1,desktop,owned,active\n";
  forward.installs =
      "install_id,device_id,title,publisher\n"
      "I-1,PC-1,Microsoft Windows 11 Enterprise,Microsoft Corporation\n";
  const std::string header = "licence_id,family,version,edition,channel,quantity,device_id\n";
  const std::string oem_a = "OEM-A,windows,11,Pro,oem,1,PC-1\n";
  const std::string oem_b = "OEM-B,windows,11,Pro,oem,1,PC-1\n";
  const std::string volume = "VL-1,windows,11,Enterprise,volume,1,\n";
  io::FleetSources backward = forward;
  forward.entitlements = header + oem_a + oem_b + volume;
  backward.entitlements = header + volume + oem_b + oem_a;
  const std::string reference = json_of(forward);
  EXPECT_NE(reference.find("qualifying licence OEM-A (oem Windows 11 Pro) on PC-1"), std::string::npos) << reference;
  EXPECT_EQ(json_of(backward), reference);
}

}  // namespace
}  // namespace trueup
