// SPDX-License-Identifier: BSL-1.0
// File: tests/io/hardening_test.cpp
//
// What the readers and writers do with hostile and careless input (docs/formats.md, "Limits"
// and "Encoding"): values beyond trueup/model/limits.hpp refused where they are read, naming
// the limit; values at the limits reconciled; a header of many columns checked in linear time;
// special files refused without blocking; files in another encoding or with CR line endings
// reported once, clearly; diagnostics that cannot drive a terminal; an assignments.csv that
// runs no formula and reads back as the ids written; a JSON report that is UTF-8 whatever the
// model holds.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/fleet_fixture.hpp"
#include "support/json_check.hpp"
#include "trueup/model/limits.hpp"
#include "trueup/printable.hpp"

namespace trueup {
namespace {

using test::microsoft_pack;

constexpr std::string_view devices_h = "device_id,kind,ownership,status,processors,cores\n";
constexpr std::string_view installs_h = "install_id,device_id,title,publisher\n";
constexpr std::string_view entitlements_h = "licence_id,family,version,edition,channel,quantity,device_id,unit_cost\n";
constexpr std::string_view one_server = "SRV-1,server,owned,active,2,8\n";
constexpr std::string_view one_install = "I-1,SRV-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation\n";
constexpr std::string_view one_licence = "L-1,windows-server,2022,Standard,volume,16,,\n";

io::FleetSources sources(std::string_view devices, std::string_view installs, std::string_view entitlements) {
  io::FleetSources s;
  s.devices = std::string(devices_h) + std::string(devices);
  s.installs = std::string(installs_h) + std::string(installs);
  s.entitlements = std::string(entitlements_h) + std::string(entitlements);
  return s;
}

std::vector<std::string> render(const Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(to_string(d));
  return out;
}

/// Every diagnostic of a read, errors or warnings.
std::vector<std::string> diagnostics(const io::FleetSources& s) {
  const auto read = io::parse_fleet(s, microsoft_pack());
  return read ? render(read->warnings) : render(read.error());
}

// --- Limits: checked where read, the limit named ------------------------------------------------

TEST(Limits, CoresAndProcessorsBeyondTheirLimitAreRefusedNamingIt) {
  EXPECT_EQ(diagnostics(sources("SRV-1,server,owned,active,1025,65537\n", one_install, one_licence)),
            (std::vector<std::string>{
                "devices.csv:2:27: error[out-of-range]: column `processors`: expected a whole number from 0 to 1024 "
                "(the limit of processors per device), found \"1025\"",
                "devices.csv:2:32: error[out-of-range]: column `cores`: expected a whole number from 0 to 65536 "
                "(the limit of cores per device), found \"65537\"",
            }));
  // 2^32 - 1 processors and 10^9 cores: what made the whole-server stage fail or hang.
  EXPECT_EQ(diagnostics(sources("SRV-1,server,owned,active,4294967295,1000000000\n", one_install, one_licence)).size(),
            2U);
  // Beyond 64 bits is beyond the limit too, not "not a number".
  EXPECT_EQ(diagnostics(sources("SRV-1,server,owned,active,2,99999999999999999999999\n", one_install, one_licence)),
            (std::vector<std::string>{
                "devices.csv:2:29: error[out-of-range]: column `cores`: expected a whole number from 0 to 65536 "
                "(the limit of cores per device), found \"99999999999999999999999\"",
            }));
}

TEST(Limits, QuantitiesAndPricesBeyondTheirLimitAreRefusedNamingIt) {
  const auto quantity = [](int line, const std::string& found) {
    return "entitlements.csv:" + std::to_string(line) +
           ":41: error[out-of-range]: column `quantity`: expected a quantity from 0 to 1000000000 (the limit of a "
           "licence record), found \"" +
           found + "\"";
  };
  const auto price = [](int line, const std::string& found) {
    return "entitlements.csv:" + std::to_string(line) +
           ":45: error[out-of-range]: column `unit_cost`: expected an amount of at most 1000000000 (the limit of a "
           "unit price), found \"" +
           found + "\"";
  };
  EXPECT_EQ(diagnostics(sources(one_server, one_install,
                                "L-1,windows-server,2022,Standard,volume,1000000001,,\n"
                                "L-2,windows-server,2022,Standard,volume,9223372036854775807,,\n"
                                "L-3,windows-server,2022,Standard,volume,-99999999999999999999,,\n"
                                "L-4,windows-server,2022,Standard,volume,16,,1000000000.0001\n"
                                "L-5,windows-server,2022,Standard,volume,16,,99999999999999999999.50\n")),
            (std::vector<std::string>{quantity(2, "1000000001"), quantity(3, "9223372036854775807"),
                                      quantity(4, "-99999999999999999999"), price(5, "1000000000.0001"),
                                      price(6, "99999999999999999999.50")}));
}

TEST(Limits, AssignedUnitsBeyondTheLimitAreRefusedNamingIt) {
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.assignments = "licence_id,device_id,user,from,reason,units\nL-1,SRV-1,,2026-01-01,initial,1000000001\n";
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "assignments.csv:2:31: error[out-of-range]: column `units`: expected a whole number "
                                "from 1 to 1000000000 (the limit of a licence record), found \"1000000001\"",
                            }));
}

TEST(Limits, ValuesAtTheLimitsReconcileExactlyAndQuickly) {
  // The largest server, quantity and price the readers accept: the whole-server stage needs
  // every core licensed (WS9: max(cores, 16 per server, 8 per processor)) and the totals are
  // exact. Before the limits, 10^7 cores ran for hours and 2^32 - 1 processors failed an
  // invariant.
  const auto start = std::chrono::steady_clock::now();
  const auto r = test::reconcile_files(
      std::string(devices_h) + "SRV-1,server,owned,active,1024,65536\n",
      std::string(installs_h) + std::string(one_install),
      std::string(entitlements_h) + "L-1,windows-server,2022,Standard,volume,1000000000,,1000000000\n");
  EXPECT_EQ(r.install("I-1").verdict, Verdict::covered);
  EXPECT_EQ(r.server("SRV-1").required, 65536);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), "0.00");
  const auto short_of =
      test::reconcile_files(std::string(devices_h) + "SRV-1,server,owned,active,1024,65536\n",
                            std::string(installs_h) + std::string(one_install),
                            std::string(entitlements_h) + "L-1,windows-server,2022,Standard,volume,16,,1000000000\n");
  EXPECT_EQ(short_of.install("I-1").verdict, Verdict::shortfall);
  // 65520 missing core licences at the largest price: 65,520 x 10^9, exact.
  EXPECT_EQ(short_of.position.totals.true_up_cost.str(), "65520000000000.00");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

// A field of 100,000 characters (a title an installer padded, an id a script built) is read
// whole, recognised or not on its words, and written whole into a report that parses.
TEST(Limits, FieldsOfAHundredThousandCharactersAreReadWholeAndReportedWhole) {
  const std::string long_id = "I-" + std::string(100000, 'y');
  const std::string padded = "Microsoft Windows Server 2022 Standard " + std::string(100000, 'x');
  const std::string unknown(100000, 'Z');
  const auto start = std::chrono::steady_clock::now();
  const auto r =
      test::reconcile_files(std::string(devices_h) + std::string(one_server),
                            std::string(installs_h) + long_id + ",SRV-1," + padded + ",Microsoft Corporation\n" +
                                "I-2,SRV-1," + unknown + ",Microsoft Corporation\n",
                            std::string(entitlements_h) + std::string(one_licence));
  EXPECT_EQ(r.install(long_id).verdict, Verdict::covered);
  EXPECT_EQ(r.install("I-2").exclusion, Exclusion::unrecognised);  // sent to review, not dropped
  const std::string json = r.json();
  EXPECT_EQ(testing::JsonCheck::check(json), "");
  EXPECT_NE(json.find(long_id), std::string::npos);
  EXPECT_NE(json.find(unknown), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

TEST(Limits, EveryTitleDistinctIsRecognisedAsItsWordsSayAndTheUnknownOnesAllGoToReview) {
  // A fleet whose titles are all distinct (a build tag after each, as some packagers write):
  // recognition is per distinct title, so nothing may be shared between titles but their
  // words. 4,000 PCs, each with Office under a title of its own and a title no family knows.
  // Measured at 1M distinct titles through the command: docs/testing.md, "Limits".
  constexpr int pcs = 4000;
  std::string devices(devices_h), installs(installs_h), plain(installs_h);
  for (int i = 0; i < pcs; ++i) {
    const std::string pc = "PC-" + std::to_string(i), tag = std::to_string(100000 + i);
    devices += pc + ",desktop,owned,active,,\n";
    installs += "O-" + pc + "," + pc + ",Microsoft Office Professional Plus 2019 (build " + tag +
                "),Microsoft Corporation\n" + "T-" + pc + "," + pc + ",Microsoft Toolbox " + tag +
                ",Microsoft Corporation\n";
    plain += "O-" + pc + "," + pc + ",Microsoft Office Professional Plus 2019,Microsoft Corporation\n";
  }
  const std::string licences = std::string(entitlements_h) + "L-1,office,2019,Professional Plus,volume,1000,,\n";
  const auto r = test::reconcile_files(devices, installs, licences);
  const auto reference = test::reconcile_files(devices, plain, licences);
  EXPECT_EQ(r.position.totals.installs, 2U * pcs);
  EXPECT_EQ(r.position.totals.covered, 1000U);
  EXPECT_EQ(r.position.totals.shortfall, pcs - 1000U);
  for (int i = 0; i < pcs; ++i) {
    const std::string pc = "PC-" + std::to_string(i);
    ASSERT_EQ(r.install("O-" + pc).verdict, reference.install("O-" + pc).verdict) << pc;
    ASSERT_EQ(r.install("O-" + pc).product, reference.install("O-" + pc).product) << pc;
    ASSERT_EQ(r.install("T-" + pc).exclusion, Exclusion::unrecognised) << pc;  // to review, each of them
  }
  EXPECT_EQ(testing::JsonCheck::check(r.json()), "");
}

TEST(Limits, AHeaderOfManyRepeatedAndUnknownColumnsIsCheckedInLinearTimeAndReportedBriefly) {
  // 200,000 columns: the pairwise check took minutes here (an hour at a million); the report
  // lists 20 of each kind and counts the rest.
  std::string header = "device_id";
  for (int i = 0; i < 100'000; ++i) header += ",Device_ID,x" + std::to_string(i);
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.devices = header + "\nSRV-1\n";
  const auto start = std::chrono::steady_clock::now();
  const auto read = io::parse_fleet(s, microsoft_pack());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  ASSERT_FALSE(read.has_value());
  const auto all = render(read.error());
  // Errors and warnings together, sorted: the two counts at the header's line first.
  ASSERT_EQ(all.size(), 43U);
  EXPECT_EQ(all[0],
            "devices.csv:1: warning[unknown-column]: expected a header of the file's columns, found 99980 "
            "more column(s) like those above; not listed");
  EXPECT_EQ(all[1],
            "devices.csv:1: error[duplicate-column]: expected a header of the file's columns, found 99980 "
            "more column(s) like those above; not listed");
  EXPECT_EQ(all[2],
            "devices.csv:1:11: error[duplicate-column]: column `Device_ID`: expected each column once, found it "
            "again (first at column 1)");
  EXPECT_EQ(all[42], "devices.csv:2: error[field-count]: expected 200001 fields as in the header, found 1");
}

// --- Special files ------------------------------------------------------------------------------

class Folder {
 public:
  Folder() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("trueup-hardening-" + std::to_string(::getpid()) + "-" + info->name());
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~Folder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  void write(const std::string& name, std::string_view text) const {
    std::ofstream(path_ / name, std::ios::binary) << text;
  }

 private:
  std::filesystem::path path_;
};

TEST(SpecialFiles, AFifoADeviceAndADirectoryAreRefusedWithoutReadingOrBlocking) {
  const Folder dir;
  // A FIFO with no writer: opening it to read would block forever.
  ASSERT_EQ(::mkfifo((dir.path() / "devices.csv").c_str(), 0600), 0);
  // /dev/zero: read to its end, it grows until memory runs out.
  std::filesystem::create_symlink("/dev/zero", dir.path() / "installs.csv");
  std::filesystem::create_directory(dir.path() / "entitlements.csv");
  const auto read = io::read_fleet(dir.path(), microsoft_pack());
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(render(read.error()),
            (std::vector<std::string>{
                "devices.csv: error[missing-file]: expected a regular file " + (dir.path() / "devices.csv").string() +
                    ", found a FIFO (named pipe); special files are not read",
                "installs.csv: error[missing-file]: expected a regular file " + (dir.path() / "installs.csv").string() +
                    ", found a character device; special files are not read",
                "entitlements.csv: error[missing-file]: expected a file " + (dir.path() / "entitlements.csv").string() +
                    ", found a directory",
            }));
}

// --- Encoding and line endings -------------------------------------------------------------------

TEST(Encoding, Utf16IsOneErrorNamingTheEncoding) {
  const Folder dir;
  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string(devices_h) + std::string(one_server)) {
    utf16 += c;
    utf16 += '\0';
  }
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.devices = utf16;
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "devices.csv: error[bad-encoding]: expected UTF-8 text, found UTF-16 (starting 0xFF "
                                "0xFE); UTF-16: save as UTF-8",
                            }));
  s.devices = utf16.substr(2);  // no byte order mark: told by its NUL bytes
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "devices.csv: error[bad-encoding]: expected UTF-8 text, found UTF-16 (starting 0x64 "
                                "0x00); UTF-16: save as UTF-8",
                            }));
}

TEST(Encoding, CrOnlyLineEndingsAreOneErrorNamingThem) {
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.installs = "install_id,device_id,title,publisher\rI-1,SRV-1,Microsoft Windows Server 2022 Standard,Microsoft\r";
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "installs.csv: error[bad-line-ending]: expected lines ending in LF or CRLF, found "
                                "lines ending in CR alone (classic Mac OS); save the file with LF or CRLF line endings",
                            }));
}

TEST(Encoding, ADoubledByteOrderMarkIsAWarningAndTheFileReads) {
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.devices = "\xEF\xBB\xBF\xEF\xBB\xBF" + s.devices;
  const auto read = io::parse_fleet(s, microsoft_pack());
  ASSERT_TRUE(read.has_value()) << render(read.error()).front();
  EXPECT_EQ(render(read->warnings),
            (std::vector<std::string>{
                "devices.csv: warning[repeated-bom]: expected at most one byte order mark at the start, found 2 (the "
                "file was converted to UTF-8 more than once); they are skipped",
            }));
  EXPECT_EQ(read->fleet.devices.at(0).id, "SRV-1");
}

TEST(Encoding, BytesThatAreNotUtf8AreReportedAtTheFirstWithACount) {
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.installs = std::string(installs_h) + "I-1,SRV-1,Caf\xE9 2022,Microsoft\nI-2,SRV-1,Caf\xE9,X\nI-3,SRV-1,ok,X\n";
  EXPECT_EQ(diagnostics(s),
            (std::vector<std::string>{
                "installs.csv:2:14: error[bad-encoding]: expected UTF-8 text, found the byte 0xE9, which is not UTF-8 "
                "(Windows-1252 or Latin-1 text?); read it with the encoding windows-1252 (--encoding windows-1252) or "
                "save the file as UTF-8; 1 more line(s) hold such bytes",
            }));
  s.installs = std::string(installs_h) + "I-1,SRV-1,\xED\xA0\x80,X\n";  // a lone surrogate
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "installs.csv:2:11: error[bad-encoding]: expected UTF-8 text, found the byte 0xED, a "
                                "UTF-16 surrogate (U+D800 to U+DFFF), which UTF-8 cannot hold; fix the value",
                            }));
  s.installs = std::string(installs_h) + std::string("I-1,SRV-1,a\0b,X\n", 16);
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "installs.csv:2:12: error[bad-encoding]: expected text, found a NUL byte (a binary "
                                "file, or text in UTF-16 or UTF-32: save as UTF-8)",
                            }));
}

TEST(Encoding, AnImpossibleDateSaysWhy) {
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.devices = "device_id,status,status_date\nSRV-1,retired,2026-02-30\nSRV-2,retired,0000-01-01\n";
  EXPECT_EQ(diagnostics(s), (std::vector<std::string>{
                                "devices.csv:2:15: error[bad-date]: column `status_date`: expected a date YYYY-MM-DD, "
                                "found \"2026-02-30\", no such day (February 2026 has 28 days)",
                                "devices.csv:3:15: error[bad-date]: column `status_date`: expected a date YYYY-MM-DD, "
                                "found \"0000-01-01\", no year 0000 (years 0001 to 9999)",
                            }));
}

// --- Diagnostics on a terminal -------------------------------------------------------------------

TEST(Printable, ValuesAndHeaderNamesCannotDriveTheTerminalOrForgeALine) {
  io::FleetSources s = sources(one_server, one_install, one_licence);
  s.devices = "device_id,\"evil\n/x.csv:1:1: error[forged]: \x1b[2J\x07\"\nSRV-1,\x1b]0;pwned\x07\n";
  const auto all = diagnostics(s);
  ASSERT_EQ(all.size(), 1U);
  EXPECT_EQ(all[0],
            "devices.csv:1:11: warning[unknown-column]: expected one of the columns device_id, hostname, kind, "
            "ownership, status, status_date, primary_user, processors, cores, host, motherboard_replaced, "
            "motherboard_reason, cpu_model, environment, found `evil\\n/x.csv:1:1: error[forged]: \\u001b[2J\\u0007`; "
            "the column is "
            "ignored");
  // Also what no reader would pass: NUL, C1 CSI, bidirectional override, invalid UTF-8.
  EXPECT_EQ(printable(std::string_view("a\0b\xC2\x9B"
                                       "c\xE2\x80\xAE"
                                       "d\xFF",
                                       11)),
            "a\\u0000b\\u009bc\\u202ed\\xff");
  EXPECT_EQ(printable("Café – ok"), "Café – ok");
}

// --- assignments.csv: no formula, read back identically -------------------------------------------

TEST(AssignmentsCsv, FormulasAreNeutralisedAndEveryIdReadsBackAsWritten) {
  const std::vector<std::string> ids = {
      "=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(A1)", "'=x", "'plain", " lead", "trail ", "a,b",
      "say \"hi\"",         "plain"};
  std::vector<LicenceAssignment> written;
  std::string devices = "device_id\n", installs = "install_id,device_id,title\n";
  std::string entitlements = "licence_id,family,version,edition,channel,quantity\n";
  const auto csv_field = [](const std::string& v) {
    std::string q = "\"";
    for (const char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (const auto& id : ids) {
    written.push_back({id, id, "", 1, Date::from_ymd(2026, 1, 1), AssignmentReason::initial, 0});
    devices += csv_field(id) + "\n";
    entitlements += csv_field(id) + ",windows-server,2022,Standard,volume,16\n";
  }
  const std::string csv = io::format_assignments_csv(written);
  // No line starts a formula: every such id is quoted with an apostrophe in front.
  EXPECT_NE(csv.find("\"'=cmd|' /C calc'!A0\",\"'=cmd|' /C calc'!A0\","), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"''=x\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\n'plain,'plain,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\" lead\",\" lead\""), std::string::npos) << csv;
  for (std::size_t at = csv.find('\n'); at + 1 < csv.size(); at = csv.find('\n', at + 1))
    EXPECT_EQ(std::string_view("=+-@").find(csv[at + 1]), std::string_view::npos) << csv.substr(at + 1, 20);

  io::FleetSources s;
  s.devices = devices;
  s.installs = installs;
  s.entitlements = entitlements;
  s.assignments = csv;
  const auto read = io::parse_fleet(s, microsoft_pack());
  ASSERT_TRUE(read.has_value()) << render(read.error()).front();
  ASSERT_EQ(read->fleet.assignments.size(), ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(read->fleet.assignments[i].licence, ids[i]);
    EXPECT_EQ(read->fleet.assignments[i].device, ids[i]);
  }
}

// --- The JSON report is UTF-8 -------------------------------------------------------------------

TEST(JsonReport, InvalidUtf8InAnIdOrTitleIsReplacedAndTheReportParses) {
  auto r = test::reconcile_files(std::string(devices_h) + std::string(one_server),
                                 std::string(installs_h) + std::string(one_install),
                                 std::string(entitlements_h) + std::string(one_licence));
  const std::string clean = r.json();
  EXPECT_EQ(testing::JsonCheck::check(clean), "");
  // The readers refuse such bytes (Encoding tests); a fleet built by a program may hold them.
  r.fleet.installs[0].title = "Caf\xE9 \xED\xA0\x80 \xF4\x90\x80\x80 \x1b\x07 ok";
  r.fleet.devices[0].id = "SRV-\xC0\xAF";
  const std::string json = r.json();
  EXPECT_EQ(testing::JsonCheck::check(json), "") << json;
  EXPECT_NE(
      json.find("Caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF"
                "\xBD \\u001b\\u0007 ok"),
      std::string::npos)
      << json;
}

}  // namespace
}  // namespace trueup
