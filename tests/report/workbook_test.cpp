// SPDX-License-Identifier: BSL-1.0
// File: tests/report/workbook_test.cpp
//
// The workbook's writers on the sample fleet, where the file format's limits matter: a sheet
// longer than the rows a sheet may hold continues on further sheets (tested with a low limit),
// every text is made valid for a file that must open, formula-like text is recognised, and a
// CSV folder never replaces a folder that holds anything else. The numbers are checked against
// the JSON in tests/report/workbook_test.py.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

#include "report/sheet.hpp"
#include "support/fleet_fixture.hpp"
#include "trueup/report/workbook.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;

class Workbook : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fleet_ = &test::contoso_sample().fleet;
    position_ = &test::contoso_sample().position;
  }
  void SetUp() override {
    dir_ = fs::path(TRUEUP_BINARY_DIR) / "tests" / "report-workbook" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  static std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
  static const Fleet* fleet_;
  static const Position* position_;
  fs::path dir_;
};
const Fleet* Workbook::fleet_ = nullptr;
const Position* Workbook::position_ = nullptr;

TEST_F(Workbook, LongSheetsContinueOnFurtherSheetsWithTheHeaderRepeated) {
  report::WorkbookOptions options;
  options.max_rows = 100;  // 99 records and the header per sheet
  const fs::path file = dir_ / "split.xlsx";
  ASSERT_TRUE(report::write_xlsx(file, *position_, test::microsoft_pack(), *fleet_, options).has_value());
  std::size_t expected = 0;
  for (const report::Sheet& s : report::workbook_sheets(*position_, test::microsoft_pack(), *fleet_, options)) {
    std::size_t rows = 0;
    s.rows([&](const report::Row&) { ++rows; });
    expected += rows == 0 ? 1 : (rows + 98) / 99;
  }
  // The zip's file names are stored uncompressed: one worksheet part per sheet.
  const std::string bytes = slurp(file);
  std::set<std::string> parts;
  const std::regex part("xl/worksheets/sheet[0-9]+\\.xml");
  for (auto it = std::sregex_iterator(bytes.begin(), bytes.end(), part); it != std::sregex_iterator(); ++it)
    parts.insert(it->str());
  EXPECT_GT(fleet_->installs.size(), 4U * 99);  // Installs alone needs five sheets
  EXPECT_EQ(parts.size(), expected);
  EXPECT_GE(expected, 6U + 4U);
}

TEST_F(Workbook, TheCsvFolderHasOneFilePerSheetAndOneLinePerRecord) {
  const fs::path out = dir_ / "position";
  ASSERT_TRUE(report::write_csv_folder(out, *position_, test::microsoft_pack(), *fleet_).has_value());
  std::set<std::string> files;
  for (const auto& e : fs::directory_iterator(out)) files.insert(e.path().filename().string());
  const auto names = report::csv_folder_files();
  EXPECT_EQ(files, std::set<std::string>(names.begin(), names.end()));
  // No install title of the sample fleet holds a line break: one line per install and the header.
  const std::string installs = slurp(out / "installs.csv");
  EXPECT_EQ(static_cast<std::size_t>(std::count(installs.begin(), installs.end(), '\n')), fleet_->installs.size() + 1);
  // Written again over its own output: replaced.
  ASSERT_TRUE(report::write_csv_folder(out, *position_, test::microsoft_pack(), *fleet_).has_value());
  EXPECT_FALSE(fs::exists(dir_ / "position.trueup-tmp"));
  EXPECT_FALSE(fs::exists(dir_ / "position.trueup-old"));
}

TEST_F(Workbook, ACsvFolderNeverReplacesAFolderHoldingAnythingElse) {
  const fs::path out = dir_ / "documents";
  fs::create_directories(out);
  std::ofstream(out / "thesis.odt") << "years of work";
  const auto written = report::write_csv_folder(out, *position_, test::microsoft_pack(), *fleet_);
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().front().code, "write-failed");
  EXPECT_EQ(slurp(out / "thesis.odt"), "years of work");
  EXPECT_FALSE(fs::exists(out / "elp.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "documents.trueup-tmp"));
}

TEST(WorkbookText, InvalidUtf8AndControlCharactersAreReplacedAndLongTextIsCut) {
  EXPECT_EQ(report::clean_text("Office \xC3\xA9t\xC3\xA9"), "Office \xC3\xA9t\xC3\xA9");  // valid: as it is
  EXPECT_EQ(report::clean_text("a\xFF"
                               "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(report::clean_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong "/"
  EXPECT_EQ(report::clean_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(report::clean_text("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // cut short
  EXPECT_EQ(report::clean_text("a\x01"
                               "b\tc\r\nd\x7F"),
            "a\xEF\xBF\xBD"
            "b\tc\r\nd\xEF\xBF\xBD");
  const std::string fits(32'767, 'x');
  EXPECT_EQ(report::clean_text(fits), fits);
  const std::string cut = report::clean_text(fits + "y");
  EXPECT_EQ(cut, std::string(32'766, 'x') + "\xE2\x80\xA6");
}

TEST(WorkbookText, TextThatASpreadsheetWouldTakeForAFormulaIsRecognised) {
  for (const char* s : {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"})
    EXPECT_TRUE(report::looks_like_formula(s)) << s;
  for (const char* s : {"", "Office", " =1", "1-1", "'=1"}) EXPECT_FALSE(report::looks_like_formula(s)) << s;
}

}  // namespace
}  // namespace trueup
