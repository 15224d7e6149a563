// SPDX-License-Identifier: BSL-1.0
// File: tests/io/readers_test.cpp
//
// The fleet readers (trueup/io/readers.hpp): every column of devices.csv, installs.csv and
// entitlements.csv landing in the model, and every diagnostic of docs/formats.md compared as
// its exact rendered text (`file:line:col: error[code]: message`). The rule pack is built here
// in C++ so that these tests do not depend on the pack loader.
#include "trueup/io/readers.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using trueup::io::FleetRead;
using trueup::io::FleetSources;
using trueup::io::parse_fleet;
using trueup::io::read_fleet;

/// A pack with one family: Office 2016 and 2019, Standard and Professional Plus ("ProPlus").
trueup::RulePack office_pack() {
  trueup::RulePack pack;
  pack.name = "test";
  pack.revision = "1";
  pack.publishers.push_back({"Microsoft", {"Microsoft Corporation"}});
  trueup::Family office;
  office.id = "office";
  office.name = "Office";
  office.match = {"Office"};
  office.editions.push_back({"Standard", {}, false, {}, "", {}, ""});
  office.editions.push_back({"Professional Plus", {"ProPlus"}, false, {}, "", {}, ""});
  office.versions.push_back(
      {"2016", {"2016"}, "16.0", trueup::Date::from_ymd(2015, 9, 22), trueup::Metric::device, {}, {}, {}, {}});
  office.versions.push_back(
      {"2019", {"2019"}, "", trueup::Date::from_ymd(2018, 9, 24), trueup::Metric::device, {}, {}, {}, {}});
  pack.families.push_back(office);
  return pack;
}

// The smallest valid files, for tests that break one file and keep the others valid.
constexpr std::string_view min_devices = "device_id\nPC-1\n";
constexpr std::string_view min_installs = "install_id,device_id,title\nI-1,PC-1,Office\n";
constexpr std::string_view min_entitlements =
    "licence_id,family,version,edition,channel,quantity\nL-1,office,2019,Standard,volume,5\n";

// Every column of every file.
constexpr std::string_view full_devices =
    "device_id,hostname,kind,ownership,status,status_date,primary_user,processors,cores,host\n"
    "PC-1,pc1.corp,laptop,owned,active,,alice,1,4,\n"
    "HV-1,hv1.corp,server,owned,failed,2024-02-01,,2,32,\n"
    "VM-1,vm1.corp,vm,leased,retired,2024-03-02,bob,0,0,HV-1\n";
constexpr std::string_view full_installs =
    "install_id,device_id,title,publisher,version,first_seen,last_seen\n"
    "I-1,PC-1,Microsoft Office Professional Plus 2016,Microsoft Corporation,16.0.4266.1001,2023-01-05,"
    "2024-06-30\n"
    "I-2,VM-1,Microsoft Office Standard 2019,,,,\n";
constexpr std::string_view full_entitlements =
    "licence_id,family,version,edition,channel,quantity,device_id,sku,reference,purchase_date,unit_cost,"
    "currency\n"
    "L-1,Office,2019,ProPlus,Volume,25,,79P-05729,EA-123,2020-01-15,412.50,EUR\n"
    "L-2,office,2016,Standard,OEM,1,PC-1,,,,,\n"
    "L-3,office,2016,Professional Plus,fpp,2,VM-1,,\"Invoice 7, line 2\",,0.0001,\n";

FleetSources sources(std::string_view devices, std::string_view installs, std::string_view entitlements) {
  FleetSources s;
  s.devices = devices;
  s.installs = installs;
  s.entitlements = entitlements;
  return s;
}

std::vector<std::string> render(const trueup::Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(trueup::to_string(d));
  return out;
}

/// The rendered diagnostics of a read that must fail.
std::vector<std::string> errors(std::string_view devices, std::string_view installs, std::string_view entitlements) {
  const auto read = parse_fleet(sources(devices, installs, entitlements), office_pack());
  EXPECT_FALSE(read.has_value());
  return read.has_value() ? std::vector<std::string>{} : render(read.error());
}

/// Every field of a fleet, one record per line, to compare two reads.
std::string dump(const trueup::Fleet& f) {
  std::string s;
  const auto date = [](const std::optional<trueup::Date>& d) { return d ? d->iso() : std::string("-"); };
  for (const auto& d : f.devices)
    s += "D|" + d.id + "|" + d.hostname + "|" + std::string(name(d.kind)) + "|" + std::string(name(d.ownership)) + "|" +
         std::string(name(d.status)) + "|" + date(d.status_date) + "|" + d.primary_user + "|" +
         std::to_string(d.processors) + "|" + std::to_string(d.cores) + "|" + d.host + "|" + std::to_string(d.line) +
         "\n";
  for (const auto& i : f.installs)
    s += "I|" + i.id + "|" + std::to_string(i.device.value) + "|" + i.title + "|" + i.publisher + "|" + i.version +
         "|" + date(i.first_seen) + "|" + date(i.last_seen) + "|" + std::to_string(i.line) + "\n";
  for (const auto& e : f.entitlements)
    s += "E|" + e.id + "|" + e.sku + "|" + std::to_string(e.product.family.value) + "/" +
         std::to_string(e.product.version) + "/" + std::to_string(e.product.edition) + "|" +
         std::string(name(e.channel)) + "|" + std::to_string(e.quantity) + "|" + std::to_string(e.device.value) + "|" +
         date(e.purchased) + "|" + (e.unit_cost ? e.unit_cost->str() : "-") + "|" + e.currency + "|" + e.reference +
         "|" + std::to_string(e.line) + "\n";
  return s;
}

std::string to_crlf(std::string_view lf) {
  std::string out;
  for (const char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// --- A valid fleet ------------------------------------------------------------------------------

TEST(FleetReader, ReadsEveryColumnOfAValidFleetIntoTheModel) {
  const auto read = parse_fleet(sources(full_devices, full_installs, full_entitlements), office_pack());
  ASSERT_TRUE(read.has_value()) << testing::PrintToString(render(read.error()));
  EXPECT_TRUE(read->warnings.empty());
  const trueup::Fleet& f = read->fleet;

  ASSERT_EQ(f.devices.size(), 3U);
  const trueup::Device& pc = f.devices[0];
  EXPECT_EQ(pc.id, "PC-1");
  EXPECT_EQ(pc.hostname, "pc1.corp");
  EXPECT_EQ(pc.kind, trueup::DeviceKind::laptop);
  EXPECT_EQ(pc.ownership, trueup::Ownership::owned);
  EXPECT_EQ(pc.status, trueup::DeviceStatus::active);
  EXPECT_FALSE(pc.status_date.has_value());
  EXPECT_EQ(pc.primary_user, "alice");
  EXPECT_EQ(pc.processors, 1U);
  EXPECT_EQ(pc.cores, 4U);
  EXPECT_EQ(pc.host, "");
  EXPECT_EQ(pc.line, 2U);
  const trueup::Device& hv = f.devices[1];
  EXPECT_EQ(hv.kind, trueup::DeviceKind::server);
  EXPECT_EQ(hv.status, trueup::DeviceStatus::failed);
  EXPECT_EQ(hv.status_date, trueup::Date::from_ymd(2024, 2, 1));
  EXPECT_EQ(hv.processors, 2U);
  EXPECT_EQ(hv.cores, 32U);
  const trueup::Device& vm = f.devices[2];
  EXPECT_EQ(vm.kind, trueup::DeviceKind::virtual_machine);
  EXPECT_EQ(vm.ownership, trueup::Ownership::leased);
  EXPECT_EQ(vm.status, trueup::DeviceStatus::retired);
  EXPECT_EQ(vm.status_date, trueup::Date::from_ymd(2024, 3, 2));
  EXPECT_EQ(vm.primary_user, "bob");
  EXPECT_EQ(vm.host, "HV-1");
  EXPECT_EQ(vm.line, 4U);
  EXPECT_EQ(vm.id, "VM-1");

  ASSERT_EQ(f.installs.size(), 2U);
  const trueup::Install& i1 = f.installs[0];
  EXPECT_EQ(i1.id, "I-1");
  EXPECT_EQ(i1.device.value, 0U);
  EXPECT_EQ(i1.title, "Microsoft Office Professional Plus 2016");
  EXPECT_EQ(i1.publisher, "Microsoft Corporation");
  EXPECT_EQ(i1.version, "16.0.4266.1001");
  EXPECT_EQ(i1.first_seen, trueup::Date::from_ymd(2023, 1, 5));
  EXPECT_EQ(i1.last_seen, trueup::Date::from_ymd(2024, 6, 30));
  EXPECT_EQ(i1.line, 2U);
  const trueup::Install& i2 = f.installs[1];
  EXPECT_EQ(i2.device.value, 2U);
  EXPECT_EQ(i2.publisher, "");
  EXPECT_FALSE(i2.first_seen.has_value());
  EXPECT_FALSE(i2.last_seen.has_value());
  EXPECT_EQ(i2.line, 3U);

  ASSERT_EQ(f.entitlements.size(), 3U);
  const trueup::Entitlement& l1 = f.entitlements[0];
  EXPECT_EQ(l1.id, "L-1");
  EXPECT_EQ(l1.product, (trueup::ProductRef{trueup::FamilyIndex{0}, 1, 1}));  // by name and alias
  EXPECT_EQ(l1.channel, trueup::Channel::volume);
  EXPECT_EQ(l1.quantity, 25);
  EXPECT_FALSE(l1.device.valid());
  EXPECT_EQ(l1.sku, "79P-05729");
  EXPECT_EQ(l1.reference, "EA-123");
  EXPECT_EQ(l1.purchased, trueup::Date::from_ymd(2020, 1, 15));
  EXPECT_EQ(l1.unit_cost, trueup::Money{4125000});
  EXPECT_EQ(l1.currency, "EUR");
  EXPECT_EQ(l1.line, 2U);
  const trueup::Entitlement& l2 = f.entitlements[1];
  EXPECT_EQ(l2.product, (trueup::ProductRef{trueup::FamilyIndex{0}, 0, 0}));
  EXPECT_EQ(l2.channel, trueup::Channel::oem);
  EXPECT_EQ(l2.device.value, 0U);
  EXPECT_FALSE(l2.purchased.has_value());
  EXPECT_FALSE(l2.unit_cost.has_value());
  EXPECT_EQ(l2.currency, "");
  const trueup::Entitlement& l3 = f.entitlements[2];
  EXPECT_EQ(l3.product, (trueup::ProductRef{trueup::FamilyIndex{0}, 0, 1}));
  EXPECT_EQ(l3.channel, trueup::Channel::retail);  // fpp
  EXPECT_EQ(l3.quantity, 2);
  EXPECT_EQ(l3.device.value, 2U);
  EXPECT_EQ(l3.reference, "Invoice 7, line 2");
  EXPECT_EQ(l3.unit_cost, trueup::Money{1});
  EXPECT_EQ(l3.line, 4U);
}

TEST(FleetReader, OptionalColumnsMayBeAbsentAndTakeTheirDefaults) {
  const auto read = parse_fleet(sources(min_devices, min_installs, min_entitlements), office_pack());
  ASSERT_TRUE(read.has_value());
  const trueup::Device& d = read->fleet.devices.at(0);
  EXPECT_EQ(d.kind, trueup::DeviceKind::desktop);
  EXPECT_EQ(d.ownership, trueup::Ownership::owned);
  EXPECT_EQ(d.status, trueup::DeviceStatus::active);
  EXPECT_EQ(d.processors, 0U);
  EXPECT_EQ(d.cores, 0U);
}

TEST(FleetReader, MatchesColumnNamesAndEnumValuesCaseInsensitivelyInAnyOrder) {
  const auto read = parse_fleet(sources(" OWNERSHIP ,Kind,DEVICE_ID\n\"Leased \",VM,PC-1\n",
                                        "Title,Device_ID,Install_ID\nOffice,PC-1,I-1\n", min_entitlements),
                                office_pack());
  ASSERT_TRUE(read.has_value()) << testing::PrintToString(render(read.error()));
  EXPECT_EQ(read->fleet.devices.at(0).id, "PC-1");
  EXPECT_EQ(read->fleet.devices.at(0).kind, trueup::DeviceKind::virtual_machine);
  EXPECT_EQ(read->fleet.devices.at(0).ownership, trueup::Ownership::leased);
  EXPECT_EQ(read->fleet.installs.at(0).title, "Office");
}

TEST(FleetReader, CrlfFleetReadsTheSameAsLf) {
  const auto lf = parse_fleet(sources(full_devices, full_installs, full_entitlements), office_pack());
  const auto crlf =
      parse_fleet(sources(to_crlf(full_devices), to_crlf(full_installs), to_crlf(full_entitlements)), office_pack());
  ASSERT_TRUE(lf.has_value());
  ASSERT_TRUE(crlf.has_value());
  EXPECT_EQ(dump(crlf->fleet), dump(lf->fleet));
}

TEST(FleetReader, Utf8ByteOrderMarkFleetReadsTheSame) {
  const std::string bom = "\xEF\xBB\xBF";
  const auto plain = parse_fleet(sources(full_devices, full_installs, full_entitlements), office_pack());
  const auto with_bom = parse_fleet(
      sources(bom + std::string(full_devices), bom + std::string(full_installs), bom + std::string(full_entitlements)),
      office_pack());
  ASSERT_TRUE(plain.has_value());
  ASSERT_TRUE(with_bom.has_value());
  EXPECT_EQ(dump(with_bom->fleet), dump(plain->fleet));
}

TEST(FleetReader, QuotedFieldsKeepCommasLineBreaksAndEscapedQuotes) {
  const auto read = parse_fleet(sources("device_id,hostname,primary_user\n"
                                        "PC-1,\"pc1, the \"\"big\"\" one\",\"Smith,\nJane\"\n"
                                        "PC-2,pc2,\n",
                                        "install_id,device_id,title\n"
                                        "I-1,PC-1,\"Office, \"\"Pro\"\"\n2016\"\n"
                                        "I-2,PC-2,Visio\n",
                                        min_entitlements),
                                office_pack());
  ASSERT_TRUE(read.has_value()) << testing::PrintToString(render(read.error()));
  const trueup::Fleet& f = read->fleet;
  EXPECT_EQ(f.devices.at(0).hostname, "pc1, the \"big\" one");
  EXPECT_EQ(f.devices.at(0).primary_user, "Smith,\nJane");
  EXPECT_EQ(f.devices.at(1).line, 4U);
  EXPECT_EQ(f.installs.at(0).title, "Office, \"Pro\"\n2016");
  EXPECT_EQ(f.installs.at(1).line, 4U);
}

TEST(FleetReader, LineNumbersAfterAnEmbeddedLineBreakCountPhysicalLines) {
  EXPECT_EQ(errors("device_id,hostname,status\nPC-1,\"a\nb\",gone\n",
                   "install_id,device_id,title\nI-1,PC-1,\"Office\n2016\"\nI-2,PC-3,Visio\n", min_entitlements),
            (std::vector<std::string>{
                "devices.csv:3:4: error[bad-enum]: column `status`: expected one of active, retired, failed, "
                "found \"gone\"",
                "installs.csv:4:5: error[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-3\"",
            }));
}

// --- Header problems ---------------------------------------------------------------------------

TEST(FleetReader, ReportsAMissingColumnAtTheHeaderWithTheColumnsFound) {
  EXPECT_EQ(errors(min_devices, "install_id,device_id,publisher\nI-1,PC-1,Microsoft\n",
                   "licence_id,family,version,edition\nL-1,office,2019,Standard\n"),
            (std::vector<std::string>{
                "installs.csv:1: error[missing-column]: expected column `title`, found columns install_id, "
                "device_id, publisher",
                "entitlements.csv:1: error[missing-column]: expected column `channel`, found columns licence_id, "
                "family, version, edition",
                "entitlements.csv:1: error[missing-column]: expected column `quantity`, found columns licence_id, "
                "family, version, edition",
            }));
}

TEST(FleetReader, ReportsAnEmptyFileExpectingAHeader) {
  EXPECT_EQ(errors("", "\xEF\xBB\xBF\r\n  \n", min_entitlements),
            (std::vector<std::string>{
                "devices.csv: error[empty-file]: expected a header line with columns device_id, hostname, kind, "
                "ownership, status, status_date, primary_user, processors, cores, host, motherboard_replaced, "
                "motherboard_reason, cpu_model, environment, found an empty file",
                "installs.csv: error[empty-file]: expected a header line with columns install_id, device_id, "
                "title, publisher, version, first_seen, last_seen, found an empty file",
            }));
}

TEST(FleetReader, ReportsADuplicatedColumnName) {
  EXPECT_EQ(errors("device_id,hostname,Device_ID\nPC-1,a,b\n", min_installs, min_entitlements),
            (std::vector<std::string>{
                "devices.csv:1:20: error[duplicate-column]: column `Device_ID`: expected each column once, found "
                "it again (first at column 1)",
            }));
}

TEST(FleetReader, WarnsOncePerUnknownColumnAndStillReads) {
  const auto read = parse_fleet(sources(min_devices, min_installs,
                                        "licence_id,family,version,edition,channel,quantity,unit_price\n"
                                        "L-1,office,2019,Standard,volume,5,10.00\n"
                                        "L-2,office,2016,Standard,volume,5,12.00\n"),
                                office_pack());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->fleet.entitlements.size(), 2U);
  EXPECT_EQ(render(read->warnings),
            (std::vector<std::string>{
                "entitlements.csv:1:52: warning[unknown-column]: expected one of the columns licence_id, family, "
                "version, edition, channel, quantity, device_id, sku, reference, purchase_date, unit_cost, "
                "currency, metric, sa_start, sa_end, subscription_start, subscription_end, found `unit_price`; the "
                "column is ignored",
            }));
}

TEST(FleetReader, WarnsAboutATrailingCommaColumnWithNoName) {
  // Spreadsheet exports often end every line with a comma: one nameless, ignored column.
  const auto read = parse_fleet(sources("device_id,\nPC-1,\n", min_installs, min_entitlements), office_pack());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->fleet.devices.at(0).id, "PC-1");
  EXPECT_EQ(render(read->warnings),
            (std::vector<std::string>{
                "devices.csv:1:11: warning[unknown-column]: expected one of the columns device_id, hostname, "
                "kind, ownership, status, status_date, primary_user, processors, cores, host, motherboard_replaced, "
                "motherboard_reason, cpu_model, environment, found a column "
                "with no name; the column is ignored",
            }));
}

// --- CSV structure -----------------------------------------------------------------------------

TEST(FleetReader, ReportsAnUnterminatedQuoteAtItsOpeningQuote) {
  EXPECT_EQ(errors(min_devices, "install_id,device_id,title\nI-1,PC-1,\"Office\nI-2,PC-1,Visio\n", min_entitlements),
            (std::vector<std::string>{
                "installs.csv:2:10: error[unterminated-quote]: column `title`: expected a closing quote for the "
                "field opened here, found the end of the file",
            }));
}

TEST(FleetReader, AnUnreadableDevicesFileDoesNotMakeEveryDeviceUnknown) {
  // Devices after the unterminated quote cannot be read, so references are not checked.
  EXPECT_EQ(errors("device_id\nPC-1\n\"PC-2\n", "install_id,device_id,title\nI-1,PC-5,Office\n", min_entitlements),
            (std::vector<std::string>{
                "devices.csv:3:1: error[unterminated-quote]: column `device_id`: expected a closing quote for "
                "the field opened here, found the end of the file",
            }));
}

TEST(FleetReader, ReportsTextAfterAClosingQuote) {
  EXPECT_EQ(errors(min_devices, "install_id,device_id,title\nI-1,PC-1,\"Office \"Pro\" 2016\"\n", min_entitlements),
            (std::vector<std::string>{
                "installs.csv:2:19: error[bad-quote]: column `title`: expected a comma or the end of the line "
                "after a closing quote, found \"Pro\\\" 2016\\\"\" (a quote inside a quoted field is written \"\")",
            }));
}

TEST(FleetReader, ReportsRowsWithTheWrongFieldCount) {
  EXPECT_EQ(errors(min_devices, "install_id,device_id,title\nI-1,PC-1,Office,extra\nI-2,PC-1\n", min_entitlements),
            (std::vector<std::string>{
                "installs.csv:2: error[field-count]: expected 3 fields as in the header, found 4",
                "installs.csv:3: error[field-count]: expected 3 fields as in the header, found 2",
            }));
}

TEST(FleetReader, ABrokenDeviceRowStillMakesItsIdKnown) {
  EXPECT_EQ(errors("device_id,hostname\nPC-1,a,b\n", min_installs, min_entitlements),
            (std::vector<std::string>{
                "devices.csv:2: error[field-count]: expected 2 fields as in the header, found 3",
            }));
}

// --- Values ------------------------------------------------------------------------------------

TEST(FleetReader, ReportsBadNumbersNamingTheColumnAndValue) {
  EXPECT_EQ(errors("device_id,processors,cores\nPC-1,4.5,-2\n", min_installs,
                   "licence_id,family,version,edition,channel,quantity\nL-1,office,2019,Standard,volume,ten\n"),
            (std::vector<std::string>{
                "devices.csv:2:6: error[bad-number]: column `processors`: expected a whole number >= 0, found "
                "\"4.5\"",
                "devices.csv:2:10: error[bad-number]: column `cores`: expected a whole number >= 0, found \"-2\"",
                "entitlements.csv:2:33: error[bad-number]: column `quantity`: expected a whole number, found "
                "\"ten\"",
            }));
}

TEST(FleetReader, ReportsBadDatesNamingTheColumnAndValue) {
  EXPECT_EQ(errors("device_id,status,status_date\nPC-1,retired,2024-13-01\n",
                   "install_id,device_id,title,first_seen\nI-1,PC-1,Office,31/12/2024\n",
                   "licence_id,family,version,edition,channel,quantity,purchase_date\n"
                   "L-1,office,2019,Standard,volume,5,2020-02-30\n"),
            (std::vector<std::string>{
                "devices.csv:2:14: error[bad-date]: column `status_date`: expected a date YYYY-MM-DD, found "
                "\"2024-13-01\", no such month",
                "installs.csv:2:17: error[bad-date]: column `first_seen`: expected a date YYYY-MM-DD, found "
                "\"31/12/2024\"",
                "entitlements.csv:2:35: error[bad-date]: column `purchase_date`: expected a date YYYY-MM-DD, "
                "found \"2020-02-30\", no such day (February 2020 has 29 days)",
            }));
}

TEST(FleetReader, ReportsUnknownEnumValues) {
  EXPECT_EQ(errors("device_id,kind,ownership,status\nPC-1,pda,lease,Active\n", min_installs,
                   "licence_id,family,version,edition,channel,quantity\nL-1,office,2019,Standard,box,5\n"),
            (std::vector<std::string>{
                "devices.csv:2:6: error[bad-enum]: column `kind`: expected one of desktop, laptop, server, vm, "
                "tablet, phone, other, found \"pda\"",
                "devices.csv:2:10: error[bad-enum]: column `ownership`: expected one of owned, leased, rented, "
                "customer, personal, found \"lease\"",
                "entitlements.csv:2:26: error[bad-enum]: column `channel`: expected one of oem, retail, fpp, "
                "volume, subscription, found \"box\"",
            }));
}

TEST(FleetReader, ReportsAnEmptyRequiredValue) {
  EXPECT_EQ(
      errors("device_id,hostname\n  ,a\nPC-1,b\n", "install_id,device_id,title\nI-1,PC-1,\"\"\n", min_entitlements),
      (std::vector<std::string>{
          "devices.csv:2:1: error[empty-value]: column `device_id`: expected a value, found an empty field",
          "installs.csv:2:10: error[empty-value]: column `title`: expected a value, found an empty field",
      }));
}

TEST(FleetReader, ReportsDuplicateIdsWithTheFirstLine) {
  EXPECT_EQ(
      errors("device_id\nPC-1\nPC-2\nPC-1\n", "install_id,device_id,title\nI-1,PC-1,A\nI-1,PC-2,B\n", min_entitlements),
      (std::vector<std::string>{
          "devices.csv:4:1: error[duplicate-id]: column `device_id`: expected a unique device_id, found "
          "\"PC-1\" again (first on line 2)",
          "installs.csv:3:1: error[duplicate-id]: column `install_id`: expected a unique install_id, found "
          "\"I-1\" again (first on line 2)",
      }));
}

// Install ids are checked for duplicates after the rows are read (UniqueIds, by sorting
// hashes): every repeat names the first line the id was on, in file order, an id that is
// not in the first column is reported at its own column, ids that differ only in case or
// by one character are not duplicates, and a row with an empty id is not compared.
TEST(FleetReader, ReportsEveryRepeatOfAnInstallIdAgainstItsFirstLine) {
  EXPECT_EQ(errors("device_id\nPC-1\nPC-2\n",
                   "device_id,title,install_id\nPC-1,A,I-7\nPC-2,B,I-1\nPC-1,C,i-7\nPC-2,D,I-7\nPC-1,E,I-1\n"
                   "PC-1,F,I-7\nPC-2,G,I-70\nPC-2,H,\"\"\n",
                   min_entitlements),
            (std::vector<std::string>{
                "installs.csv:5:8: error[duplicate-id]: column `install_id`: expected a unique install_id, found "
                "\"I-7\" again (first on line 2)",
                "installs.csv:6:8: error[duplicate-id]: column `install_id`: expected a unique install_id, found "
                "\"I-1\" again (first on line 3)",
                "installs.csv:7:8: error[duplicate-id]: column `install_id`: expected a unique install_id, found "
                "\"I-7\" again (first on line 2)",
                "installs.csv:9:8: error[empty-value]: column `install_id`: expected a value, found an empty field",
            }));
}

// Licence ids too: checked after the rows are read, every repeat against the first line.
TEST(FleetReader, ReportsRepeatedLicenceIdsAgainstTheirFirstLine) {
  EXPECT_EQ(errors("device_id\nPC-1\n", min_installs,
                   "licence_id,family,version,edition,channel,quantity\nL-1,office,2019,Standard,volume,5\n"
                   "L-2,office,2019,Standard,volume,5\nL-1,office,2019,Standard,volume,1\n"
                   "L-1,office,2019,Standard,volume,2\n"),
            (std::vector<std::string>{
                "entitlements.csv:4:1: error[duplicate-id]: column `licence_id`: expected a unique licence_id, "
                "found \"L-1\" again (first on line 2)",
                "entitlements.csv:5:1: error[duplicate-id]: column `licence_id`: expected a unique licence_id, "
                "found \"L-1\" again (first on line 2)",
            }));
}

// Consecutive rows of one device are looked up once (exports group a device's installs); an
// unknown device is still reported on every row that names it, and a known device after an
// unknown one is found.
TEST(FleetReader, ReportsAnUnknownDeviceOnEveryRowThatNamesIt) {
  EXPECT_EQ(errors("device_id\nPC-1\n", "install_id,device_id,title\nI-1,PC-1,A\nI-2,PC-9,B\nI-3,PC-9,C\nI-4,PC-1,D\n",
                   min_entitlements),
            (std::vector<std::string>{
                "installs.csv:3:5: error[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-9\"",
                "installs.csv:4:5: error[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-9\"",
            }));
  const auto read = parse_fleet(
      sources("device_id\nPC-1\nPC-2\n",
              "install_id,device_id,title\nI-1,PC-1,A\nI-2,PC-1,B\nI-3,\"PC-2\",C\nI-4,PC-1,D\n", min_entitlements),
      office_pack());
  ASSERT_TRUE(read.has_value());
  std::vector<std::uint32_t> devices;
  for (const auto& in : read->fleet.installs) devices.push_back(in.device.value);
  EXPECT_EQ(devices, (std::vector<std::uint32_t>{0, 0, 1, 0}));
}

TEST(FleetReader, ReportsUnknownDevicesInInstallsEntitlementsAndHosts) {
  EXPECT_EQ(errors("device_id,kind,host\nVM-1,vm,HV-9\nVM-2,vm,HV-1\nHV-1,server,\nPC-1,,\n",
                   "install_id,device_id,title\nI-1,PC-9,Office\n",
                   "licence_id,family,version,edition,channel,quantity,device_id\nL-1,office,2016,Standard,oem,1,"
                   "PC-7\n"),
            (std::vector<std::string>{
                "devices.csv:2:9: error[unknown-device]: column `host`: expected a device_id listed in "
                "devices.csv, "
                "found \"HV-9\"",
                "installs.csv:2:5: error[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-9\"",
                "entitlements.csv:2:32: error[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-7\"",
            }));
}

TEST(FleetReader, ReportsNegativeQuantityAndWarnsOnZero) {
  EXPECT_EQ(errors(min_devices, min_installs,
                   "licence_id,family,version,edition,channel,quantity\n"
                   "L-1,office,2019,Standard,volume,-3\n"
                   "L-2,office,2019,Standard,volume,0\n"),
            (std::vector<std::string>{
                "entitlements.csv:2:33: error[negative-quantity]: column `quantity`: expected a quantity >= 0, "
                "found \"-3\"",
                "entitlements.csv:3:33: warning[zero-quantity]: column `quantity`: expected a quantity > 0, found "
                "\"0\"; the licence counts for nothing",
            }));
}

TEST(FleetReader, ReportsUnknownFamilyVersionAndEditionListingTheChoices) {
  EXPECT_EQ(errors(min_devices, min_installs,
                   "licence_id,family,version,edition,channel,quantity\n"
                   "L-1,Ofice,2013,Pro,volume,1\n"
                   "L-2,office,2013,Standard,volume,1\n"
                   "L-3,Office,2016,Pro,volume,1\n"),
            (std::vector<std::string>{
                // An unknown family hides its version and edition: one mistake, one diagnostic.
                "entitlements.csv:2:5: error[unknown-product]: column `family`: expected a product family of the "
                "rule pack (office), found \"Ofice\"",
                "entitlements.csv:3:12: error[unknown-version]: column `version`: expected a version of office "
                "(2016, 2019), found \"2013\"",
                "entitlements.csv:4:17: error[unknown-edition]: column `edition`: expected an edition of office "
                "(Standard, Professional Plus, ProPlus), found \"Pro\"",
            }));
}

TEST(FleetReader, ReportsBadMoneyAndCurrency) {
  EXPECT_EQ(errors(min_devices, min_installs,
                   "licence_id,family,version,edition,channel,quantity,unit_cost,currency\n"
                   "L-1,office,2019,Standard,volume,5,$12,eur\n"),
            (std::vector<std::string>{
                "entitlements.csv:2:35: error[bad-money]: column `unit_cost`: expected an amount such as 1234.50 "
                "(digits, at most 4 decimals, no sign or currency symbol), found \"$12\"",
                "entitlements.csv:2:39: error[bad-currency]: column `currency`: expected a currency code of 3 "
                "capital letters such as EUR, found \"eur\"",
            }));
}

TEST(FleetReader, WarnsAboutAnOemLicenceWithoutDevice) {
  const auto read = parse_fleet(sources(min_devices, min_installs,
                                        "licence_id,family,version,edition,channel,quantity,device_id\n"
                                        "L-1,office,2016,Standard,oem,1,\n"),
                                office_pack());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(render(read->warnings),
            (std::vector<std::string>{
                "entitlements.csv:2:32: warning[oem-without-device]: column `device_id`: expected the device this "
                "OEM licence came with, found none; an OEM licence counts only on the device it came with; this "
                "one will not count",
            }));
  // Without the column at all, the warning is on the row.
  const auto no_column =
      parse_fleet(sources(min_devices, min_installs,
                          "licence_id,family,version,edition,channel,quantity\nL-1,office,2016,Standard,OEM,1\n"),
                  office_pack());
  ASSERT_TRUE(no_column.has_value());
  ASSERT_EQ(no_column->warnings.size(), 1U);
  EXPECT_EQ(trueup::to_string(no_column->warnings[0]).substr(0, 55),
            "entitlements.csv:2: warning[oem-without-device]: column");
}

TEST(FleetReader, WarnsWhenFirstSeenIsAfterLastSeen) {
  const auto read = parse_fleet(sources(min_devices,
                                        "install_id,device_id,title,first_seen,last_seen\n"
                                        "I-1,PC-1,A,2024-05-01,2024-01-01\n",
                                        min_entitlements),
                                office_pack());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(render(read->warnings),
            (std::vector<std::string>{
                "installs.csv:2:23: warning[dates-out-of-order]: column `last_seen`: expected a date on or after "
                "first_seen 2024-05-01, found \"2024-01-01\"",
            }));
}

TEST(FleetReader, CutsLongFoundValuesAtSixtyCharacters) {
  const std::string long_status(70, 'x');
  EXPECT_EQ(errors("device_id,status\nPC-1," + long_status + "\n", min_installs, min_entitlements),
            (std::vector<std::string>{
                "devices.csv:2:6: error[bad-enum]: column `status`: expected one of active, retired, failed, found "
                "\"" +
                    std::string(60, 'x') + "\xE2\x80\xA6\"",
            }));
}

// --- Every problem at once ---------------------------------------------------------------------

TEST(FleetReader, ReportsEveryBadRowOfAFileAtOnce) {
  EXPECT_EQ(errors(min_devices,
                   "install_id,device_id,title,last_seen\n"
                   "I-1,PC-1,A,yesterday\n"
                   "I-2,PC-1,,\n"
                   "I-3,PC-9,C,\n",
                   min_entitlements),
            (std::vector<std::string>{
                "installs.csv:2:12: error[bad-date]: column `last_seen`: expected a date YYYY-MM-DD, found "
                "\"yesterday\"",
                "installs.csv:3:10: error[empty-value]: column `title`: expected a value, found an empty field",
                "installs.csv:4:5: error[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-9\"",
            }));
}

TEST(FleetReader, ReportsErrorsOfEveryFileTogetherSortedByFileLineAndColumn) {
  // The host is checked after every device is read, yet its error comes first: line 2.
  EXPECT_EQ(errors("device_id,kind,host\nVM-1,vm,HV-9\nPC-1,pda,\n", "install_id,device_id,title\nI-1,PC-1,\n",
                   "licence_id,family,version,edition,channel,quantity,notes\nL-1,office,2019,Standard,volume,-3,n\n"),
            (std::vector<std::string>{
                "devices.csv:2:9: error[unknown-device]: column `host`: expected a device_id listed in "
                "devices.csv, "
                "found \"HV-9\"",
                "devices.csv:3:6: error[bad-enum]: column `kind`: expected one of desktop, laptop, server, vm, "
                "tablet, phone, other, found \"pda\"",
                "installs.csv:2:10: error[empty-value]: column `title`: expected a value, found an empty field",
                "entitlements.csv:1:52: warning[unknown-column]: expected one of the columns licence_id, family, "
                "version, edition, channel, quantity, device_id, sku, reference, purchase_date, unit_cost, "
                "currency, metric, sa_start, sa_end, subscription_start, subscription_end, found `notes`; the column "
                "is ignored",
                "entitlements.csv:2:33: error[negative-quantity]: column `quantity`: expected a quantity >= 0, "
                "found \"-3\"",
            }));
}

// --- read_fleet --------------------------------------------------------------------------------

/// A fresh directory under the system's temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    path_ =
        std::filesystem::temp_directory_path() / ("trueup-readers-" + std::to_string(::getpid()) + "-" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, std::string_view text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(ReadFleet, ReadsTheThreeFilesOfADirectory) {
  const TempDir dir;
  dir.write("devices.csv", full_devices);
  dir.write("installs.csv", full_installs);
  dir.write("entitlements.csv", full_entitlements);
  const auto read = read_fleet(dir.path(), office_pack());
  ASSERT_TRUE(read.has_value()) << testing::PrintToString(render(read.error()));
  const auto parsed = parse_fleet(sources(full_devices, full_installs, full_entitlements), office_pack());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(dump(read->fleet), dump(parsed->fleet));
}

TEST(ReadFleet, ReportsAMissingFileByItsExpectedPathAndStillReadsTheOthers) {
  const TempDir dir;
  // No devices.csv: installs naming devices must not each become unknown-device.
  dir.write("installs.csv", min_installs);
  dir.write("entitlements.csv",
            "licence_id,family,version,edition,channel,quantity\nL-1,office,2019,Standard,volume,x\n");
  const auto read = read_fleet(dir.path(), office_pack());
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(
      render(read.error()),
      (std::vector<std::string>{
          "devices.csv: error[missing-file]: expected a file " + (dir.path() / "devices.csv").string() + ", found none",
          "entitlements.csv:2:33: error[bad-number]: column `quantity`: expected a whole number, found \"x\"",
      }));
}

}  // namespace

// --- Time and history: terms, motherboards, assignments.csv ------------------------------------

std::vector<std::string> all_diagnostics(const FleetSources& src) {
  const auto read = parse_fleet(src, office_pack());
  return read.has_value() ? render(read->warnings) : render(read.error());
}

TEST(FleetReader, ReadsSoftwareAssuranceAndSubscriptionTerms) {
  FleetSources src = sources(min_devices, min_installs,
                             "licence_id,family,version,edition,channel,quantity,sa_start,sa_end,subscription_start,"
                             "subscription_end\n"
                             "L-1,office,2019,Standard,volume,5,2020-01-01,2022-12-31,,\n"
                             "L-2,office,2019,Standard,subscription,5,,,2026-01-01,2026-12-31\n");
  const auto read = parse_fleet(src, office_pack());
  ASSERT_TRUE(read.has_value());
  const auto& e = read->fleet.entitlements;
  EXPECT_EQ(e[0].sa_start, trueup::Date::from_ymd(2020, 1, 1));
  EXPECT_EQ(e[0].sa_end, trueup::Date::from_ymd(2022, 12, 31));
  EXPECT_EQ(e[1].subscription_start, trueup::Date::from_ymd(2026, 1, 1));
  EXPECT_EQ(e[1].subscription_end, trueup::Date::from_ymd(2026, 12, 31));
}

TEST(FleetReader, ReportsTermsThatDoNotFitTheChannelOrEndBeforeTheyStart) {
  EXPECT_EQ(errors(min_devices, min_installs,
                   "licence_id,family,version,edition,channel,quantity,sa_start,sa_end,subscription_start,"
                   "subscription_end\n"
                   "L-1,office,2019,Standard,volume,5,2022-01-01,2021-12-31,,\n"
                   "L-2,office,2019,Standard,volume,5,,,2026-01-01,\n"
                   "L-3,office,2019,Standard,subscription,5,2026-01-01,,,\n"),
            (std::vector<std::string>{
                "entitlements.csv:2:46: error[dates-out-of-order]: column `sa_end`: expected a date on or after "
                "sa_start 2022-01-01, found \"2021-12-31\"",
                "entitlements.csv:3:37: error[bad-term]: column `subscription_start`: expected a subscription "
                "term only on a subscription licence, found one on a volume licence",
                "entitlements.csv:4:41: error[bad-term]: column `sa_start`: expected Software Assurance only on "
                "a perpetual licence (a subscription includes new versions), found it on a subscription",
            }));
}

TEST(FleetReader, ReadsAMotherboardReplacementAndNeedsItsReason) {
  const auto read = parse_fleet(sources("device_id,motherboard_replaced,motherboard_reason\nPC-1,2026-02-01,failure\n",
                                        min_installs, min_entitlements),
                                office_pack());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->fleet.devices[0].motherboard, trueup::MotherboardChange::after_failure);
  EXPECT_EQ(read->fleet.devices[0].motherboard_date, trueup::Date::from_ymd(2026, 2, 1));
  EXPECT_EQ(
      errors("device_id,motherboard_replaced,motherboard_reason\nPC-1,2026-02-01,\n", min_installs, min_entitlements),
      (std::vector<std::string>{
          "devices.csv:2:17: error[empty-value]: column `motherboard_reason`: expected why the motherboard "
          "was replaced (failure or upgrade: a defective one keeps the OEM licence, O3), found an empty "
          "field"}));
}

TEST(FleetReader, ReadsTheAssignmentHistory) {
  FleetSources src = sources("device_id,primary_user\nPC-1,alice\n", min_installs, min_entitlements);
  src.assignments =
      "licence_id,device_id,user,from,reason,units\n"
      "L-1,PC-1,,2026-01-05,initial,2\n"
      "L-1,,alice,2026-02-01,reassigned,\n";
  const auto read = parse_fleet(src, office_pack());
  ASSERT_TRUE(read.has_value());
  const auto& a = read->fleet.assignments;
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0], (trueup::LicenceAssignment{"L-1", "PC-1", "", 2, trueup::Date::from_ymd(2026, 1, 5),
                                             trueup::AssignmentReason::initial, 2}));
  EXPECT_EQ(a[1], (trueup::LicenceAssignment{"L-1", "", "alice", 1, trueup::Date::from_ymd(2026, 2, 1),
                                             trueup::AssignmentReason::reassigned, 3}));
}

TEST(FleetReader, ReportsEveryProblemOfTheAssignmentHistory) {
  FleetSources src = sources(min_devices, min_installs, min_entitlements);
  src.assignments =
      "licence_id,device_id,user,from,reason,units\n"
      "L-1,PC-1,alice,2026-01-05,,\n"
      "L-1,,,2026-01-05,,\n"
      "L-1,PC-1,,05/01/2026,moved,0\n"
      "L-9,PC-1,,2026-01-05,,\n"
      "L-1,PC-7,,2026-01-05,,\n";
  EXPECT_EQ(all_diagnostics(src),
            (std::vector<std::string>{
                "assignments.csv:2:5: error[bad-holder]: column `device_id`: expected either a device_id or a user "
                "that held the licence, found both",
                "assignments.csv:3:5: error[bad-holder]: column `device_id`: expected either a device_id or a user "
                "that held the licence, found neither",
                "assignments.csv:4:11: error[bad-date]: column `from`: expected a date YYYY-MM-DD, found "
                "\"05/01/2026\"",
                "assignments.csv:4:22: error[bad-enum]: column `reason`: expected one of initial, reassigned, "
                "hardware-failure, user-left, found \"moved\"",
                "assignments.csv:4:28: error[bad-number]: column `units`: expected a whole number > 0, found \"0\"",
                "assignments.csv:5:1: warning[unknown-licence]: column `licence_id`: expected a licence_id listed in "
                "entitlements.csv, found \"L-9\"; the row is ignored",
                "assignments.csv:6:5: warning[unknown-device]: column `device_id`: expected a device_id listed in "
                "devices.csv, found \"PC-7\"; the licence is taken to be still on a device no longer in the fleet",
            }));
}
