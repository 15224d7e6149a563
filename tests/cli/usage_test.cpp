// SPDX-License-Identifier: BSL-1.0
// File: tests/cli/usage_test.cpp
//
// The command line of the `trueup` executable: every usage mistake is one line on standard
// error, "trueup: MESSAGE; HINT", exits 2 and leaves nothing computed or written; options take
// their value as `--opt value` or `--opt=value`; each command has its own help, which exits 0.
// The messages are pinned exactly: scripts and people read them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/run_trueup.hpp"
#include "trueup/version.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path trueup_exe = trueup::test::trueup_exe();
const std::string fleet = std::string(TRUEUP_SOURCE_DIR) + "/examples/contoso";

const std::string reconcile_hint = "; see trueup reconcile --help\n";
const std::string validate_hint =
    "; usage: trueup validate DIR [--rules NAME|PATH]... [--inventory KIND:PATH]... [--threads N]\n";
const std::string history_hint = "; usage: trueup history --state FILE (--licence ID | --device ID | --user NAME)\n";

using trueup::test::file_bytes;
using trueup::test::Ran;
using trueup::test::run_trueup;

class Usage : public testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(trueup_exe)) GTEST_SKIP() << "the trueup executable is not built (TRUEUP_BUILD_CLI=OFF)";
    scratch_ = fs::temp_directory_path() / ("trueup-cli-usage-" + std::to_string(::getpid()));
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }

  /// Runs `trueup ARGS`, capturing both streams.
  Ran trueup(const std::vector<std::string>& args) const { return run_trueup(args, scratch_ / "stderr"); }

  /// Expects `trueup ARGS` to print nothing on standard output, `message` on standard error, and exit 2.
  void expect_usage_error(const std::vector<std::string>& args, const std::string& message) const {
    const Ran r = trueup(args);
    std::string command = "trueup";
    for (const auto& a : args) command += " " + a;
    EXPECT_EQ(r.exit, 2) << command;
    EXPECT_EQ(r.out, "") << command;
    EXPECT_EQ(r.err, message) << command;
  }

  fs::path scratch_;
};

TEST_F(Usage, AnUnknownOptionOrCommandNamesTheNearestOne) {
  expect_usage_error({"reconcile", fleet, "--formt", "json"},
                     "trueup: unknown option --formt (did you mean --format?)" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--formt=json"},
                     "trueup: unknown option --formt (did you mean --format?)" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--fail"},
                     "trueup: unknown option --fail (did you mean --fail-on-shortfall?)" + reconcile_hint);
  expect_usage_error({"history", "--state", "s.db", "--license", "L-1"},
                     "trueup: unknown option --license (did you mean --licence?)" + history_hint);
  expect_usage_error({"reconcile", fleet, "--colour"}, "trueup: unknown option --colour" + reconcile_hint);
  expect_usage_error({"reconcil", fleet},
                     "trueup: unknown command reconcil (did you mean reconcile?); see trueup --help\n");
}

TEST_F(Usage, OptionsTakeTheirValueAfterASpaceOrAnEqualsSign) {
  const Ran table = trueup({"reconcile", fleet, "--as-of=2026-06-30", "--format=table"});
  EXPECT_EQ(table.exit, 0) << table.err;
  EXPECT_EQ(table.out, file_bytes(fleet + "/expected-position.txt"));

  const fs::path json = scratch_ / "position.json";
  const Ran written = trueup({"reconcile", fleet, "--as-of=2026-06-30", "--format=json", "--output=" + json.string(),
                              "--threads=1", "--rules=microsoft"});
  EXPECT_EQ(written.exit, 0) << written.err;
  EXPECT_EQ(written.out, "");
  EXPECT_EQ(file_bytes(json), file_bytes(fleet + "/expected-position.json"));

  expect_usage_error({"reconcile", fleet, "--format=xml"},
                     "trueup: --format must be table, json, xlsx, csv or html, not xml" + reconcile_hint);
}

TEST_F(Usage, AWorkbookNeedsAFileOrAFolderAndNeverReplacesAnotherFolder) {
  expect_usage_error({"reconcile", fleet, "--format", "xlsx"},
                     "trueup: --format xlsx writes a file: give -o FILE" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--format=csv"},
                     "trueup: --format csv writes a folder: give -o DIR" + reconcile_hint);
  expect_usage_error({"deployment", fleet, "--format", "xlsx"},
                     "trueup: --format xlsx writes a file: give -o FILE; see trueup deployment --help\n");
  expect_usage_error({"deployment", fleet, "--format", "csv"},
                     "trueup: --format must be table, json or xlsx, not csv; see trueup deployment --help\n");
  expect_usage_error({"check-claim", fleet}, "trueup: no --claim FILE given; see trueup check-claim --help\n");
  expect_usage_error({"check-claim", fleet, "--claim", "claim.csv", "--format", "xlsx"},
                     "trueup: --format xlsx writes a file: give -o FILE; see trueup check-claim --help\n");
  const fs::path documents = scratch_ / "documents";
  fs::create_directories(documents);
  std::ofstream(documents / "thesis.odt") << "years of work";
  const Ran refused = trueup({"reconcile", fleet, "--format", "csv", "-o", documents.string(), "-q"});
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(refused.err.find("error[write-failed]"), std::string::npos) << refused.err;
  EXPECT_EQ(file_bytes(documents / "thesis.odt"), "years of work");
  EXPECT_EQ(std::distance(fs::directory_iterator(documents), fs::directory_iterator()), 1);
  const Ran written = trueup({"reconcile", fleet, "--format", "csv", "-o", (scratch_ / "csv").string(), "-q"});
  EXPECT_EQ(written.exit, 0) << written.err;
  EXPECT_TRUE(fs::is_regular_file(scratch_ / "csv" / "elp.csv"));
  EXPECT_FALSE(fs::exists(scratch_ / "csv.trueup-pending"));
  // A second run replaces the folder of the first, which holds nothing but that report.
  const std::string first = file_bytes(scratch_ / "csv" / "elp.csv");
  fs::remove(scratch_ / "csv" / "elp.csv");
  const Ran again = trueup({"reconcile", fleet, "--format", "csv", "-o", (scratch_ / "csv").string(), "-q"});
  EXPECT_EQ(again.exit, 0) << again.err;
  EXPECT_EQ(file_bytes(scratch_ / "csv" / "elp.csv"), first);
}

TEST_F(Usage, ABadValueIsRefusedInOneLine) {
  expect_usage_error({"reconcile", fleet, "--format", "xml"},
                     "trueup: --format must be table, json, xlsx, csv or html, not xml" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--threads", "abc"},
                     "trueup: --threads expects a whole number >= 1, not abc" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--threads", "0"},
                     "trueup: --threads expects a whole number >= 1, not 0" + reconcile_hint);
  expect_usage_error({"validate", fleet, "--threads=-2"},
                     "trueup: --threads expects a whole number >= 1, not -2" + validate_hint);
  expect_usage_error({"reconcile", fleet, "--as-of", "2026-02-30"},
                     "trueup: --as-of expects a date YYYY-MM-DD, not 2026-02-30" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--as-of", "30/06/2026"},
                     "trueup: --as-of expects a date YYYY-MM-DD, not 30/06/2026" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--format"}, "trueup: --format needs a value" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--inventory", "ocs:exports/"},
                     "trueup: --inventory expects KIND:PATH with KIND one of glpi, reg, sccm, lansweeper, wmi, dpkg, "
                     "rpm, mssql, osquery, not "
                     "ocs:exports/" +
                         reconcile_hint);
  expect_usage_error({"validate", fleet, "--inventory=glpi:"},
                     "trueup: --inventory expects a path after glpi:, not glpi:" + validate_hint);
  expect_usage_error({"reconcile", fleet, "--quiet=yes"}, "trueup: --quiet takes no value" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--csv-separator", "|"},
                     "trueup: --csv-separator expects , or ; or tab, not |" + reconcile_hint);
  expect_usage_error({"validate", fleet, "--csv-separator=,,"},
                     "trueup: --csv-separator expects , or ; or tab, not ,," + validate_hint);
  expect_usage_error({"reconcile", fleet, "--csv-separator"}, "trueup: --csv-separator needs a value" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--encoding", "latin-1"},
                     "trueup: --encoding expects utf-8 or windows-1252, not latin-1" + reconcile_hint);
}

// `--csv-separator` and `--encoding` say how DIR's files are written (docs/formats.md, "The CSV
// dialect"): a part of the sample fleet saved by a French Excel reads as its UTF-8 twin.
TEST_F(Usage, TheCsvDialectOptionsReadAFrenchExcelFleet) {
  const std::string data = std::string(TRUEUP_SOURCE_DIR) + "/tests/data/excel-fr/";
  const Ran utf8 = trueup({"reconcile", data + "utf8", "--as-of", "2026-06-30", "--format", "json", "--quiet"});
  ASSERT_EQ(utf8.exit, 0) << utf8.err;
  const Ran french = trueup({"reconcile", data + "excel-fr", "--as-of", "2026-06-30", "--format", "json", "--quiet",
                             "--csv-separator", ";", "--encoding", "windows-1252"});
  EXPECT_EQ(french.exit, 0) << french.err;
  EXPECT_EQ(french.out, utf8.out);
  const Ran refused = trueup({"validate", data + "excel-fr"});
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(refused.err.find("--encoding windows-1252"), std::string::npos) << refused.err;
}

// With --inventory the dialect options are refused, by every command that takes both, before
// anything is read or written: the exports are read in their own encodings and DIR's files
// with the defaults, and the one dialect of a run cannot say both.
TEST_F(Usage, TheCsvDialectOptionsAreRefusedWithAnInventory) {
  const std::string refusal =
      "--inventory: error[bad-option]: expected --csv-separator and --encoding without --inventory (each export is "
      "read in its own encoding, DIR's files as UTF-8 with their separator detected), found them with --inventory\n";
  const fs::path report = scratch_ / "report.json";
  const std::vector<std::vector<std::string>> runs = {
      {"reconcile", "examples/sccm", "--encoding", "windows-1252", "--as-of", "2026-06-30", "-o", report.string()},
      {"validate", "examples/sccm", "--csv-separator", ";"},
      {"deployment", "examples/sccm", "--csv-separator", "tab", "--encoding", "utf-8", "-o", report.string()},
      {"check-claim", "examples/sccm", "--claim", fleet + "/auditor-claim.csv", "--encoding", "cp1252", "--as-of",
       "2026-06-30", "-o", report.string()},
  };
  for (std::vector<std::string> args : runs) {
    args.insert(args.begin() + 2, {"--inventory", "sccm:examples/sccm/exports"});
    const Ran r = trueup(args);
    EXPECT_EQ(r.exit, 2) << args[0];
    EXPECT_EQ(r.err.substr(0, refusal.size()), refusal) << args[0];
    EXPECT_FALSE(fs::exists(report)) << args[0];
  }
  // The defaults given explicitly are the defaults: nothing to refuse.
  const Ran defaults =
      trueup({"validate", "examples/sccm", "--inventory", "sccm:examples/sccm/exports", "--encoding", "utf-8"});
  EXPECT_EQ(defaults.exit, 0) << defaults.err;
}

// --entitlements replaces DIR/entitlements.csv; with --inventory too DIR is optional, and the
// position is the one of the same licences read from a fleet directory, byte for byte.
TEST_F(Usage, EntitlementsReplaceTheFleetDirectorysLicences) {
  const std::vector<std::string> as_of = {"--as-of", "2025-01-31", "--format", "json"};
  std::vector<std::string> from_dir = {"reconcile", "examples/sccm", "--inventory", "sccm:examples/sccm/exports"};
  std::vector<std::string> imported = {"reconcile", "--inventory", "sccm:examples/sccm/exports", "--entitlements",
                                       "csv:examples/sccm/entitlements.csv"};
  from_dir.insert(from_dir.end(), as_of.begin(), as_of.end());
  imported.insert(imported.end(), as_of.begin(), as_of.end());
  const Ran a = trueup(from_dir);
  const Ran b = trueup(imported);
  ASSERT_EQ(a.exit, 0) << a.err;
  ASSERT_EQ(b.exit, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(b.out.find("\"licence_id\":\"L-0169\""), std::string::npos);

  // Without an inventory DIR still gives the devices and installs.
  expect_usage_error({"reconcile", "--entitlements", "examples/sccm/entitlements.csv"},
                     "trueup: no fleet directory given" + reconcile_hint);
  expect_usage_error({"reconcile", "examples/sccm/csv", "--entitlements", "ocs:licences.csv"},
                     "trueup: --entitlements expects [KIND:]PATH with KIND csv, not ocs:licences.csv" + reconcile_hint);
  // Each source is read in its own dialect: one dialect for DIR is refused, as with --inventory.
  const Ran refused = trueup(
      {"validate", "examples/sccm/csv", "--entitlements", "examples/sccm/entitlements.csv", "--csv-separator", ";"});
  EXPECT_EQ(refused.exit, 2);
  EXPECT_NE(refused.err.find("--entitlements: error[bad-option]"), std::string::npos) << refused.err;
}

TEST_F(Usage, InventoryIsRepeatableOneExportEach) {
  // Each --inventory takes one value, so DIR after it is still DIR.
  const Ran ran = trueup({"validate", "--inventory", "glpi:examples/glpi/inventories", "--inventory",
                          "reg:tests/data/inventory/reg/PC-0042.reg", "examples/glpi"});
  EXPECT_EQ(ran.exit, 0) << ran.err;
  EXPECT_NE(ran.out.find("examples/glpi: 8 devices, 22 installs, 23 entitlements: valid"), std::string::npos)
      << ran.out;
  EXPECT_NE(ran.err.find("PC-0042.reg:35: warning[bad-date]"), std::string::npos) << ran.err;
}

TEST_F(Usage, TheDeploymentFormReadsInventoriesToo) {
  const Ran deployment = trueup({"deployment", "examples/sccm", "--inventory", "sccm:examples/sccm/exports", "--as-of",
                                 "2026-06-30", "--format", "json"});
  EXPECT_EQ(deployment.exit, 0) << deployment.err;
  EXPECT_NE(deployment.out.find("\"HV-01\""), std::string::npos);  // a host named by the views, with its VMs
  EXPECT_NE(deployment.err.find("v_R_System.csv:11: warning[duplicate-device]"), std::string::npos) << deployment.err;
}

TEST_F(Usage, ReviewReadsALansweeperExport) {
  const Ran table = trueup({"review", "--inventory", "lansweeper:examples/lansweeper"});
  EXPECT_EQ(table.exit, 0) << table.err;
  EXPECT_EQ(table.err,
            "tblAssets.csv:6: warning[not-active]: asset 1005 (PC-0099) has tblAssetCustom.State 2, not 1 (Active): "
            "read as in service, since Lansweeper also sets assets it has not seen lately non-active; a device "
            "disposed of needs status retired in devices.csv\n");
  // Every row of the sample accounted for: 13 programs and 5 systems, none skipped.
  EXPECT_NE(table.out.find("lansweeper:examples/lansweeper       7        5       18        0\n"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Rows 18: recognised 8, excluded 6, needs review 1, unrecognised 3\n"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("  Windows Server 2019 Standard       1 row(s)"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("Needs review (1 row(s))\n  Microsoft SQL Server 2019 (64-bit)"), std::string::npos)
      << table.out;
  // The Store's Office hub app is not Office.
  EXPECT_NE(table.out.find("  Microsoft.MicrosoftOfficeHub      2 row(s)"), std::string::npos) << table.out;
  const Ran missing = trueup({"review", "--inventory", "lansweeper:examples/sccm/exports"});
  EXPECT_EQ(missing.exit, 2) << missing.err;  // invalid input: nothing computed
  EXPECT_NE(missing.err.find("error[missing-file]: expected tblAssets.csv (the assets) in the folder"),
            std::string::npos)
      << missing.err;
}

TEST_F(Usage, ReviewReadsAnInventoryWithoutLicences) {
  const Ran table = trueup({"review", "--inventory", "glpi:tests/data/inventory/glpi"});
  EXPECT_EQ(table.exit, 0) << table.err;
  EXPECT_NE(table.out.find("glpi:tests/data/inventory/glpi       4        4       11        1\n"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Needs review (1 row(s))\n  Microsoft SQL Server 2019 (64-bit)"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("Devices whose software is unknown (partial inventories only): 1\n  PC-0102\n"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.err.find("warning[no-title]"), std::string::npos) << table.err;
  const Ran json = trueup({"review", "--inventory", "glpi:tests/data/inventory/glpi", "--format", "json"});
  EXPECT_EQ(json.exit, 0);
  EXPECT_NE(json.out.find("\"software_unknown\": [\n    \"PC-0102\"\n  ]"), std::string::npos) << json.out;
  // Without DIR or --inventory there is nothing to review.
  const Ran none = trueup({"review"});
  EXPECT_EQ(none.exit, 2);
  EXPECT_EQ(none.err, "trueup: give a fleet directory or --inventory KIND:PATH; see trueup review --help\n");
}

TEST_F(Usage, AnOptionOfAnotherCommandIsRefused) {
  const fs::path state = scratch_ / "s.db";
  expect_usage_error({"validate", fleet, "--state", state.string()},
                     "trueup: --state does not apply to validate" + validate_hint);
  EXPECT_FALSE(fs::exists(state));
  expect_usage_error({"validate", fleet, "-o", "out.txt"}, "trueup: -o does not apply to validate" + validate_hint);
  expect_usage_error({"history", "--format", "json"}, "trueup: --format does not apply to history" + history_hint);
  expect_usage_error({"reconcile", fleet, "--licence=L-1"},
                     "trueup: --licence does not apply to reconcile" + reconcile_hint);
  // Options follow their command.
  expect_usage_error(
      {"--format", "json", "reconcile", fleet},
      "trueup: --format is an option of reconcile, review, deployment, check-claim and explain: give it after the "
      "command" +
          reconcile_hint);
}

TEST_F(Usage, ARulePackThatCannotBeLoadedStopsEveryCommandBeforeAnythingIsWritten) {
  const std::string missing = (scratch_ / "nosuch.toml").string();
  const std::string expected = missing + ": error[unreadable-file]: expected a rule-pack file, found no such file\n";
  for (const std::string command : {"reconcile", "validate", "review", "deployment"}) {
    const fs::path out = scratch_ / (command + ".out");
    std::vector<std::string> args{command, fleet, "--rules", missing};
    if (command != "validate") args.insert(args.end(), {"-o", out.string()});
    const Ran r = trueup(args);
    EXPECT_EQ(r.exit, 2) << command;
    EXPECT_EQ(r.err, expected) << command;
    EXPECT_EQ(r.out, "") << command;
    EXPECT_FALSE(fs::exists(out)) << command;
  }
}

TEST_F(Usage, RulesAreRepeatableAndPacksThatDefineOneFamilyTwiceAreRefused) {
  // Each command takes several packs, in order; the sample fleet reads with the Oracle pack next
  // to the Microsoft one. The same pack twice defines every family twice: refused, both files named.
  for (const std::string command : {"reconcile", "deployment"}) {
    const Ran both = trueup({command, fleet, "--rules", "microsoft", "--rules", "oracle", "--as-of", "2026-06-30"});
    EXPECT_LE(both.exit, 1) << command << both.err;
  }
  for (const std::string command : {"validate", "review"}) {
    const Ran both = trueup({command, fleet, "--rules", "microsoft", "--rules", "oracle"});
    EXPECT_EQ(both.exit, 0) << command << both.err;
  }
  const std::string pack = std::string(TRUEUP_SOURCE_DIR) + "/rules/microsoft.toml";
  const Ran twice = trueup({"validate", fleet, "--rules", pack, "--rules", pack});
  EXPECT_EQ(twice.exit, 2);
  EXPECT_EQ(twice.out, "");
  EXPECT_NE(twice.err.find(pack +
                           ": error[duplicate-family]: expected family \"windows\" to be defined once, found "
                           "it in " +
                           pack + " and in " + pack),
            std::string::npos)
      << twice.err;
  const Ran table = trueup({"reconcile", fleet, "--rules", "microsoft", "--rules", "oracle", "--as-of", "2026-06-30"});
  EXPECT_NE(table.out.find("(rule pack microsoft "), std::string::npos) << table.out.substr(0, 200);
  EXPECT_NE(table.out.find(", oracle 2026.1)"), std::string::npos) << table.out.substr(0, 200);
}

TEST_F(Usage, AMissingOrExtraArgumentIsNamed) {
  expect_usage_error({"reconcile"}, "trueup: no fleet directory given" + reconcile_hint);
  expect_usage_error({"reconcile", "--as-of", "2026-06-30"}, "trueup: no fleet directory given" + reconcile_hint);
  expect_usage_error({"validate"}, "trueup: no fleet directory given" + validate_hint);
  expect_usage_error({}, "trueup: no command given; see trueup --help\n");
  expect_usage_error({"reconcile", fleet, "extra"}, "trueup: unexpected argument extra" + reconcile_hint);
  expect_usage_error({"history", "--licence", "L-1"}, "trueup: no --state FILE given" + history_hint);
  expect_usage_error({"history", "--state", "s.db", "--licence", "L-1", "--user", "bob"},
                     "trueup: give one of --licence, --device and --user" + history_hint);
  expect_usage_error({"reconcile", fleet, "--redact"}, "trueup: --redact needs --secret-file FILE" + reconcile_hint);
  expect_usage_error({"reconcile", fleet, "--secret-file", "key.txt"},
                     "trueup: --secret-file needs --redact" + reconcile_hint);
  const std::string explain_hint = "; see trueup explain --help\n";
  expect_usage_error({"explain", fleet},
                     "trueup: give one of --install, --device, --licence and --product" + explain_hint);
  expect_usage_error({"explain", fleet, "--install", "I-00011", "--device", "PC-0005"},
                     "trueup: give one of --install, --device, --licence and --product" + explain_hint);
  expect_usage_error({"explain", fleet, "--install", "I-00011", "--format", "xlsx"},
                     "trueup: --format must be table or json, not xlsx" + explain_hint);
}

TEST_F(Usage, AUsageErrorComputesAndWritesNothing) {
  const fs::path report = scratch_ / "report.json", state = scratch_ / "s.db", assignments = scratch_ / "a.csv";
  for (const char* mistake :
       {"--formt=json", "--threads=none", "--as-of=2026-13-01", "--fail-on-shortfall=no", "--state"}) {
    const Ran r = trueup({"reconcile", fleet, "-o", report.string(), "--state", state.string(), "--write-assignments",
                          assignments.string(), mistake});
    EXPECT_EQ(r.exit, 2) << mistake;
    EXPECT_EQ(r.out, "") << mistake;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_FALSE(fs::exists(report) || fs::exists(state) || fs::exists(assignments)) << mistake;
  }
}

TEST_F(Usage, EachCommandHasItsHelpAndItExitsZero) {
  const std::string exit_codes =
      "\nexit codes: 0 ran, 1 shortfall (with --fail-on-shortfall), 2 invalid input or usage, 3 internal error\n";
  const Ran top = trueup({"--help"});
  EXPECT_EQ(top.exit, 0);
  EXPECT_EQ(top.err, "");
  EXPECT_TRUE(
      top.out.starts_with("usage: trueup reconcile DIR [options]\n"
                          "       trueup validate DIR [--rules NAME|PATH]... [--inventory KIND:PATH]... [--threads N]\n"
                          "       trueup history --state FILE (--licence ID | --device ID | --user NAME)\n"
                          "       trueup review [DIR] [--inventory KIND:PATH]... [options]\n"
                          "       trueup deployment DIR [options]\n"
                          "       trueup check-claim DIR --claim FILE [options]\n"
                          "       trueup explain DIR (--install ID | --device ID | --licence ID | --product NAME) "
                          "[options]\n"
                          "       trueup --version\n"))
      << top.out;
  EXPECT_NE(top.out.find("\ncommands:\n  reconcile  "), std::string::npos) << top.out;
  EXPECT_TRUE(top.out.ends_with(exit_codes)) << top.out;
  EXPECT_EQ(trueup({"-h"}).out, top.out);

  const Ran reconcile = trueup({"reconcile", "--help"});
  EXPECT_EQ(reconcile.exit, 0);
  EXPECT_EQ(reconcile.err, "");
  EXPECT_TRUE(reconcile.out.starts_with("usage: trueup reconcile DIR [options]\n\nReconciles DIR/devices.csv"));
  for (const char* line :
       {"\n  --rules NAME|PATH     rule pack: a shipped name (default: microsoft) or a .toml file; repeatable,\n",
        "\n  --format table|json|xlsx|csv|html\n                        output format (default: table); xlsx",
        "\n  -o, --output FILE     write the report to FILE (a folder for csv) instead of standard output\n",
        "\n  --fail-on-shortfall   exit with 1 when any install is short\n",
        "\n  --as-of YYYY-MM-DD    take the position on this date (default: today, UTC)\n",
        "\n  --state FILE          keep the licence assignments across runs in this SQLite file",
        "\n  --write-assignments FILE\n                        write the licence assignments",
        "\n  --inventory KIND:PATH read the devices and installs from an inventory export",
        "\n  --threads N           threads to use", "\n  -q, --quiet           no progress bar",
        "\n  -h, --help            show this help\n"})
    EXPECT_NE(reconcile.out.find(line), std::string::npos) << line;
  EXPECT_TRUE(reconcile.out.ends_with(exit_codes)) << reconcile.out;
  EXPECT_EQ(trueup({"reconcile", fleet, "-h"}).out, reconcile.out);

  const Ran validate = trueup({"validate", "--help"});
  EXPECT_EQ(validate.exit, 0);
  EXPECT_TRUE(validate.out.starts_with(
      "usage: trueup validate DIR [--rules NAME|PATH]... [--inventory KIND:PATH]... [--threads N]\n"))
      << validate.out;
  EXPECT_NE(validate.out.find("\n  --threads N "), std::string::npos) << validate.out;
  EXPECT_EQ(validate.out.find("--state"), std::string::npos) << validate.out;
  EXPECT_TRUE(validate.out.ends_with("\nexit codes: 0 ran, 2 invalid input or usage, 3 internal error\n"));

  const Ran history = trueup({"history", "--help"});
  EXPECT_EQ(history.exit, 0);
  EXPECT_TRUE(
      history.out.starts_with("usage: trueup history --state FILE (--licence ID | --device ID | --user NAME)\n"
                              "\nPrints the assignment timeline"))
      << history.out;
  for (const char* option : {"\n  --state FILE ", "\n  --licence ID ", "\n  --device ID ", "\n  --user NAME "})
    EXPECT_NE(history.out.find(option), std::string::npos) << option;
  EXPECT_EQ(history.out.find("--format"), std::string::npos) << history.out;

  const Ran version = trueup({"--version"});
  EXPECT_EQ(version.exit, 0);
  EXPECT_EQ(version.out, std::string("trueup ") + trueup::version_string + "\n");
}

}  // namespace
