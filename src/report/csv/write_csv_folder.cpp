// SPDX-License-Identifier: BSL-1.0
// File: src/report/csv/write_csv_folder.cpp
//
// The workbook (report/sheet.hpp) as a folder of CSV files, one per sheet, in the dialect the
// readers take (docs/formats.md): UTF-8, comma-separated, a header row, a field quoted (its
// quotes doubled) only when it holds a comma, a quote or a line break, "\n" line ends. Numbers
// are plain (1234, 1234.50), dates ISO. Formula injection is neutralised (OWASP "CSV
// Injection"): a text field that starts with =, +, -, @, tab or carriage return gets a leading
// apostrophe, so a spreadsheet shows it as the text it is. The folder is written whole beside
// its target and then renamed into place.
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>

#include "report/sheet.hpp"

namespace trueup::report {
namespace {

void append_field(std::string& out, const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::empty: return;
    case Cell::Kind::integer: out += std::to_string(c.integer); return;
    case Cell::Kind::money: out += c.money.str(); return;
    case Cell::Kind::date: out += Date{static_cast<std::int32_t>(c.integer)}.iso(); return;
    case Cell::Kind::text:
    case Cell::Kind::flagged: break;
  }
  std::string text = clean_text(c.text);
  if (looks_like_formula(text)) text.insert(0, 1, '\'');
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out.push_back('"');
  for (const char ch : text) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
}

/// Writes `sheet` to `file`; false on a write error.
bool write_sheet(const std::filesystem::path& file, const Sheet& sheet) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = true;
  std::string line;
  const auto put = [&] {
    line.push_back('\n');
    if (ok) ok = std::fwrite(line.data(), 1, line.size(), f) == line.size();
    line.clear();
  };
  for (std::size_t c = 0; c < sheet.columns.size(); ++c) {
    if (c > 0) line.push_back(',');
    append_field(line, Cell::of(sheet.columns[c].header));
  }
  put();
  sheet.rows([&](const Row& row) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) line.push_back(',');
      append_field(line, row[c]);
    }
    put();
  });
  return std::fclose(f) == 0 && ok;
}

}  // namespace

bool csv_folder_replaceable(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return !ec;
  if (!fs::is_directory(dir, ec)) return false;
  const auto names = csv_folder_files();
  const std::set<std::string> ours(names.begin(), names.end());
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (!entry.is_regular_file() || ours.count(entry.path().filename().string()) == 0) return false;
  return !ec;
}

Result<bool> replace_folder(const std::filesystem::path& staged, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  const fs::path old = dir.string() + ".trueup-old";
  auto fail = [&](const std::string& what) {
    return Result<bool>(Diagnostics{{Severity::error, dir.string(), 0, 0, "write-failed", what}});
  };
  if (!csv_folder_replaceable(dir))
    return fail(
        "expected a new folder or one holding only a CSV workbook's files, found something else there; "
        "nothing was replaced");
  std::error_code ec;
  const bool exists = fs::exists(dir, ec);
  // An earlier output is moved aside, the new one takes its place, then the old one goes.
  if (exists) {
    fs::remove_all(old, ec);
    fs::rename(dir, old, ec);
    if (ec) return fail("expected to replace the folder, found: " + ec.message());
  }
  fs::rename(staged, dir, ec);
  if (ec) {
    std::error_code ignored;
    if (exists) fs::rename(old, dir, ignored);
    return fail("expected to replace the folder, found: " + ec.message());
  }
  if (exists) fs::remove_all(old, ec);
  return true;
}

Result<bool> write_csv_folder(const std::filesystem::path& dir, const Position& position, const RulePack& pack,
                              const Fleet& fleet, const WorkbookOptions& options) {
  namespace fs = std::filesystem;
  const fs::path tmp = dir.string() + ".trueup-tmp";
  std::error_code ec;
  auto fail = [&](const std::string& what) {
    std::error_code ignored;
    fs::remove_all(tmp, ignored);
    return Result<bool>(Diagnostics{{Severity::error, dir.string(), 0, 0, "write-failed", what}});
  };
  if (!csv_folder_replaceable(dir))
    return fail(
        "expected a new folder or one holding only a CSV workbook's files, found something else there; "
        "nothing was replaced");
  fs::remove_all(tmp, ec);
  if (!fs::create_directories(tmp, ec) || ec) return fail("expected a writable folder, found: " + ec.message());
  try {
    for (const Sheet& sheet : workbook_sheets(position, pack, fleet, options))
      if (!write_sheet(tmp / sheet.file_name, sheet))
        return fail("expected to write " + sheet.file_name + ", found a write error");
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  auto replaced = replace_folder(tmp, dir);
  if (!replaced) fs::remove_all(tmp, ec);
  return replaced;
}

}  // namespace trueup::report
