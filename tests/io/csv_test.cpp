// SPDX-License-Identifier: BSL-1.0
// File: tests/io/csv_test.cpp
//
// The RFC 4180 splitter under the fleet readers (src/io/csv.hpp): quoting, escaped quotes,
// line breaks inside fields, CRLF, the byte order mark, blank lines, and the physical
// positions every diagnostic relies on.
#include "../../src/io/csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using trueup::io::CsvField;
using trueup::io::CsvProblem;
using trueup::io::CsvReader;

/// One record as "line|value@line:column|value@line:column...", quoted values in [].
std::string show(const CsvReader& r) {
  std::string s = std::to_string(r.line());
  for (const CsvField& f : r.fields()) {
    s += "|";
    s += f.quoted ? "[" + std::string(f.value) + "]" : std::string(f.value);
    s += "@" + std::to_string(f.line) + ":" + std::to_string(f.column);
  }
  return s;
}

std::vector<std::string> records(std::string_view text, char separator = ',') {
  CsvReader r(text, separator);
  std::vector<std::string> out;
  while (r.next()) out.push_back(show(r));
  return out;
}

TEST(CsvReader, SplitsFieldsAndTrimsUnquotedWhitespace) {
  EXPECT_EQ(records("a,b,c\n  x , y\t,z  \n"),
            (std::vector<std::string>{"1|a@1:1|b@1:3|c@1:5", "2|x@2:3|y@2:7|z@2:10"}));
}

TEST(CsvReader, ExportsSeparatedBySemicolonsOrTabsSplitTheSameWay) {
  // An importer's exports (`Export-Csv -UseCulture`, tab-separated query results): a comma is
  // then text, and a tab separates even though it is otherwise a blank.
  EXPECT_EQ(records("a;\"b;c\";d,e\n", ';'), (std::vector<std::string>{"1|a@1:1|[b;c]@1:3|d,e@1:9"}));
  EXPECT_EQ(records("a\t\tc \n x\t\"y\"\t\n", '\t'),
            (std::vector<std::string>{"1|a@1:1|@1:3|c@1:4", "2|x@2:2|[y]@2:4|@2:8"}));
}

TEST(CsvReader, EmptyFieldsKeepTheirPlace) {
  // A blank field starts right after its comma; a trailing comma is one more, empty field.
  EXPECT_EQ(records("a,,c,\n,  ,\n"), (std::vector<std::string>{"1|a@1:1|@1:3|c@1:4|@1:6", "2|@2:1|@2:2|@2:5"}));
}

TEST(CsvReader, QuotedFieldsHoldCommasLineBreaksAndEscapedQuotes) {
  const std::string_view text =
      "id,title,note\n"
      "1,\"Office, \"\"Pro\"\" 2016\",\"two\nlines\"\n"
      "2,  \"padded\"  ,x\n";
  EXPECT_EQ(records(text), (std::vector<std::string>{
                               "1|id@1:1|title@1:4|note@1:10",
                               "2|1@2:1|[Office, \"Pro\" 2016]@2:3|[two\nlines]@2:26",
                               // The record after an embedded line break starts on physical line 4.
                               "4|2@4:1|[padded]@4:5|x@4:16",
                           }));
}

TEST(CsvReader, FieldsAfterAnEmbeddedLineBreakCountColumnsFromThatLine) {
  EXPECT_EQ(records("\"a\nbc\",d,\"e\"\n"), (std::vector<std::string>{"1|[a\nbc]@1:1|d@2:5|[e]@2:7"}));
}

TEST(CsvReader, CrlfReadsTheSameAsLf) {
  const std::string lf = "a,b\n1,\"x\ny\"\n\n2,\"\"\"q\"\"\"\n";
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  EXPECT_EQ(records(crlf), records(lf));
  EXPECT_EQ(records(lf), (std::vector<std::string>{"1|a@1:1|b@1:3", "2|1@2:1|[x\ny]@2:3", "5|2@5:1|[\"q\"]@5:3"}));
}

TEST(CsvReader, SkipsTheByteOrderMarkWithoutShiftingColumns) {
  EXPECT_EQ(records("\xEF\xBB\xBF"
                    "device_id,host\nPC-1,\n"),
            records("device_id,host\nPC-1,\n"));
  EXPECT_EQ(records("\xEF\xBB\xBF"
                    "device_id,host\n")[0],
            "1|device_id@1:1|host@1:11");
}

TEST(CsvReader, SkipsBlankLinesAndReadsALastLineWithoutLineBreak) {
  EXPECT_EQ(records("\n  \na,b\r\n\t\r\n\nc,d"), (std::vector<std::string>{"3|a@3:1|b@3:3", "6|c@6:1|d@6:3"}));
}

TEST(CsvReader, AQuotedEmptyFieldIsNotABlankLine) {
  EXPECT_EQ(records("a\n\"\"\n"), (std::vector<std::string>{"1|a@1:1", "2|[]@2:1"}));
}

TEST(CsvReader, EmptyInputHasNoRecords) {
  EXPECT_TRUE(records("").empty());
  EXPECT_TRUE(records("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(records("\r\n \n").empty());
}

TEST(CsvReader, AQuoteInsideAnUnquotedFieldIsAnOrdinaryCharacter) {
  EXPECT_EQ(records("Monitor 24\" wide,x\n"), (std::vector<std::string>{"1|Monitor 24\" wide@1:1|x@1:18"}));
}

TEST(CsvReader, ReportsAnUnterminatedQuoteAtItsOpeningQuote) {
  CsvReader r("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_TRUE(r.next());
  ASSERT_TRUE(r.next());
  EXPECT_EQ(show(r), "2|1@2:1|2@2:3");
  EXPECT_FALSE(r.next());
  ASSERT_EQ(r.problems().size(), 1U);
  const CsvProblem& p = r.problems()[0];
  EXPECT_EQ(p.kind, CsvProblem::Kind::unterminated_quote);
  EXPECT_EQ(p.line, 3U);
  EXPECT_EQ(p.column, 3U);
  EXPECT_EQ(p.field, 1U);
  EXPECT_TRUE(r.fields().empty());
  EXPECT_FALSE(r.next());
}

TEST(CsvReader, ReportsTextAfterAClosingQuoteAndKeepsTheQuotedPart) {
  CsvReader r("\"say \"hi\" now\",x\n");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(show(r), "1|[say ]@1:1|x@1:16");
  ASSERT_EQ(r.problems().size(), 1U);
  EXPECT_EQ(r.problems()[0].kind, CsvProblem::Kind::text_after_quote);
  EXPECT_EQ(r.problems()[0].column, 7U);
  EXPECT_EQ(r.problems()[0].field, 0U);
  EXPECT_EQ(r.problems()[0].found, "hi\" now\"");
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.problems().empty());
}

TEST(CsvReader, FieldsWithoutEscapesAreViewsIntoTheInput) {
  const std::string text = "abc,\"quoted, plain\"\n";
  CsvReader r(text);
  ASSERT_TRUE(r.next());
  for (const CsvField& f : r.fields()) {
    EXPECT_GE(f.value.data(), text.data());
    EXPECT_LE(f.value.data() + f.value.size(), text.data() + text.size());
  }
}

TEST(CsvReader, ManyEscapedFieldsInOneRecordAllStayValid) {
  // Enough unescaped text to make the scratch buffer grow (and move) several times.
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) {
    const std::string body(static_cast<std::size_t>(10 * i + 1), static_cast<char>('a' + i % 26));
    if (i != 0) text += ',';
    text += "\"" + body + "\"\"\"";
    expected.push_back(body + "\"");
  }
  CsvReader r(text);
  ASSERT_TRUE(r.next());
  ASSERT_EQ(r.fields().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(r.fields()[i].value, expected[i]) << i;
}

TEST(CsvReader, CountsLineBreaksToReserveFor) {
  EXPECT_EQ(CsvReader::count_lines("a\nb\r\nc"), 2U);
  EXPECT_EQ(CsvReader::count_lines(""), 0U);
}

}  // namespace
