// SPDX-License-Identifier: BSL-1.0
// File: tests/io/dialect_test.cpp
//
// The CSV dialect of the fleet files (docs/formats.md, "The CSV dialect"): the separator detected
// from each header or given, Windows-1252 converted, decimal commas refused. The French sample
// (tests/data/excel-fr, written by its generate.py) is a part of the sample fleet as Excel set to
// French saves it; it must reconcile to the same JSON, byte for byte, as its UTF-8 twin.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "trueup/io/claim.hpp"
#include "trueup/io/dialect.hpp"
#include "trueup/io/writers.hpp"

namespace trueup {
namespace {

using test::microsoft_pack;

constexpr std::string_view one_server = "SRV-1,server,owned,active,2,8\n";
constexpr std::string_view one_install = "I-1,SRV-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n";
constexpr std::string_view one_licence = "L-1,windows-server,2022,Standard,volume,16,,\n";

/// The project's small fleet with every `,` made `separator`.
io::FleetSources fleet_with(char separator) {
  const auto sep = [&](std::string text) {
    for (char& c : text)
      if (c == ',') c = separator;
    return text;
  };
  io::FleetSources s;
  s.devices = sep("device_id,kind,ownership,status,processors,cores\n" + std::string(one_server));
  s.installs = sep("install_id,device_id,title,publisher\n" + std::string(one_install));
  s.entitlements =
      sep("licence_id,family,version,edition,channel,quantity,device_id,unit_cost\n" + std::string(one_licence));
  return s;
}

std::vector<std::string> diagnostics(const io::FleetSources& s, io::CsvDialect dialect = {}) {
  const auto read = io::parse_fleet(s, microsoft_pack(), 1, dialect);
  std::vector<std::string> out;
  for (const auto& d : read ? read->warnings : read.error()) out.push_back(to_string(d));
  return out;
}

std::string position_json(const std::string& dir, io::CsvDialect dialect) {
  auto read =
      io::read_fleet(std::string(TRUEUP_SOURCE_DIR) + "/tests/data/excel-fr/" + dir, microsoft_pack(), 1, dialect);
  if (!read) {
    ADD_FAILURE() << to_string(read.error().front());
    return {};
  }
  ReconcileOptions options;
  options.as_of = test::fixture_as_of;
  const Position position = reconcile(microsoft_pack(), read->fleet, options);
  return io::format_json(position, microsoft_pack(), read->fleet);
}

TEST(Dialect, AFrenchExcelFleetReconcilesAsItsUtf8Twin) {
  const std::string utf8 = position_json("utf8", {});
  const std::string french = position_json("excel-fr", {0, io::TextEncoding::windows_1252});
  ASSERT_FALSE(utf8.empty());
  EXPECT_EQ(french, utf8);
  // The accented titles reach the report as written (U+20AC, U+0152, U+2019 from 0x80, 0x8C, 0x92).
  EXPECT_NE(french.find("\xC3\x89"
                        "diteur de th\xC3\xA8ses f\xC3\xBCr \xC5\x92uvres \xE2\x80\x93 Prix 5 \xE2\x82\xAC"),
            std::string::npos);
  EXPECT_NE(french.find("de l\xE2\x80\x99\xC3\xA9quipe"), std::string::npos);
  // The separator given reads the same; the UTF-8 default refuses the file and names the option.
  EXPECT_EQ(position_json("excel-fr", {';', io::TextEncoding::windows_1252}), utf8);
  const auto refused =
      io::read_fleet(std::string(TRUEUP_SOURCE_DIR) + "/tests/data/excel-fr/excel-fr", microsoft_pack());
  ASSERT_FALSE(refused);
  EXPECT_NE(to_string(refused.error().front()).find("--encoding windows-1252"), std::string::npos);
}

TEST(Dialect, TheSeparatorIsDetectedFromEachHeader) {
  for (const char separator : {',', ';', '\t'}) {
    const auto read = io::parse_fleet(fleet_with(separator), microsoft_pack());
    ASSERT_TRUE(read) << separator;
    ASSERT_EQ(read->fleet.installs.size(), 1U);
    EXPECT_EQ(read->fleet.installs[0].title, "Microsoft Windows Server 2022 Standard");
    EXPECT_EQ(read->fleet.devices[0].cores, 8U);
  }
  // Each file its own: a `;` devices.csv next to `,` installs.csv.
  io::FleetSources mixed = fleet_with(',');
  mixed.devices = fleet_with(';').devices;
  EXPECT_TRUE(io::parse_fleet(mixed, microsoft_pack()));
}

TEST(Dialect, AWrongSeparatorGivenIsAnErrorAtTheFilesSeparator) {
  EXPECT_EQ(diagnostics(fleet_with(','), {';', io::TextEncoding::utf8}).front(),
            "devices.csv:1:10: error[wrong-separator]: expected a header whose columns are separated by `;` (the "
            "separator given), found one separated by `,` (6 of the expected columns); give that separator, or none "
            "to detect it");
  EXPECT_EQ(diagnostics(fleet_with(';'), {'\t', io::TextEncoding::utf8}).at(1),
            "installs.csv:1:11: error[wrong-separator]: expected a header whose columns are separated by a tab (the "
            "separator given), found one separated by `;` (4 of the expected columns); give that separator, or none "
            "to detect it");
}

TEST(Dialect, AHeaderThatTwoSeparatorsSplitAlikeIsAmbiguous) {
  io::FleetSources s = fleet_with(',');
  // Split by `,`: cores alone is a name; by `;`: device_id alone. Neither is the file's.
  s.devices = "device_id;kind,cores\nSRV-1;server,8\n";
  EXPECT_EQ(diagnostics(s).front(),
            "devices.csv:1: error[ambiguous-separator]: expected a header whose columns are separated by one of "
            "`,`, `;` or a tab, found one that splits into 1 expected column(s) by `,` and by `;`; give the "
            "separator (--csv-separator)");
}

TEST(Dialect, ADecimalCommaIsRefusedNotGuessed) {
  io::FleetSources s = fleet_with(';');
  s.entitlements =
      "licence_id;family;version;edition;channel;quantity;device_id;unit_cost\n"
      "L-1;windows-server;2022;Standard;volume;16;;1234,50\n";
  EXPECT_EQ(diagnostics(s).front(),
            "entitlements.csv:2:45: error[bad-money]: column `unit_cost`: expected an amount with a decimal point "
            "such as 1234.50, found \"1234,50\": a decimal comma is not read, since `1,234` may mean 1234 or 1.234 "
            "(a wrong amount is worse than none); save the file with a point as the decimal separator");
}

TEST(Dialect, Windows1252UndefinedBytesAndUtf8MarksAreErrors) {
  const io::CsvDialect cp1252{0, io::TextEncoding::windows_1252};
  io::FleetSources s = fleet_with(';');
  s.installs = "install_id;device_id;title;publisher\nI-1;SRV-1;Caf\xE9 \x81;X\n";
  EXPECT_EQ(diagnostics(s, cp1252).front(),
            "installs.csv:2:16: error[bad-encoding]: expected Windows-1252 text, found the byte 0x81, which "
            "Windows-1252 leaves undefined (the file is in another encoding?)");
  s.installs = "\xEF\xBB\xBFinstall_id;device_id;title;publisher\nI-1;SRV-1;x;X\n";
  EXPECT_EQ(diagnostics(s, cp1252).front(),
            "installs.csv:1:1: error[bad-encoding]: expected Windows-1252 text, found a UTF-8 byte order mark (the "
            "file is UTF-8); read it with the encoding utf-8 (the default)");
  // Every defined byte converts: 0x80..0x9F by the table, 0xA0..0xFF as Latin-1.
  s.installs = "install_id;device_id;title;publisher\nI-1;SRV-1;\x80\x8C\x92\x9F\xA0\xE9\xFF;X\n";
  const auto read = io::parse_fleet(s, microsoft_pack(), 1, cp1252);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->fleet.installs[0].title, "\xE2\x82\xAC\xC5\x92\xE2\x80\x99\xC5\xB8\xC2\xA0\xC3\xA9\xC3\xBF");
}

TEST(Dialect, TheClaimIsReadInTheDialectToo) {
  const std::string claim = "line;product;unit;installed;required;credited;shortfall\n1;Caf\xE9;device;1;1;0;1\n";
  const auto read = io::parse_claim(claim, "claim.csv", microsoft_pack(), {0, io::TextEncoding::windows_1252});
  ASSERT_TRUE(read) << to_string(read.error().front());
  ASSERT_EQ(read->lines.size(), 1U);
  EXPECT_EQ(read->lines[0].product, "Caf\xC3\xA9");
}

}  // namespace
}  // namespace trueup
