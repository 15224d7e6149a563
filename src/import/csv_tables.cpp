// SPDX-License-Identifier: BSL-1.0
// File: src/import/csv_tables.cpp
//
// Folders of table exports, one CSV file per table (csv_tables.hpp): the shared reading of the
// Configuration Manager and Lansweeper importers.
#include "csv_tables.hpp"

#include <algorithm>
#include <system_error>
#include <utility>

#include "../io/separator.hpp"

namespace trueup::import::detail {

std::string TableRow::operator[](std::string_view column) const {
  const auto it = columns_.find(column);
  if (it == columns_.end()) return {};
  const std::string_view v = fields_[it->second].value;
  return v == "NULL" ? std::string() : std::string(v);
}

std::uint32_t TableRow::column(std::string_view column) const {
  const auto it = columns_.find(column);
  return it == columns_.end() ? 0 : fields_[it->second].column;
}

std::uint32_t TableRow::line(std::string_view column) const {
  const auto it = columns_.find(column);
  return it == columns_.end() ? 0 : fields_[it->second].line + skipped_lines_;
}

namespace {

/// The header's columns by lower-case name; false (and a `missing-column` error per column)
/// when one of `required` is not there, or (`duplicate-column`) when one of `required` or
/// `optional` is there twice.
bool header_columns(const io::CsvReader& csv, const std::string& name, std::uint32_t line,
                    const std::vector<std::string_view>& required, const std::vector<std::string_view>& optional,
                    ColumnIndex& columns, Diagnostics& errors) {
  std::string found;
  bool ok = true;
  for (std::size_t i = 0; i < csv.fields().size(); ++i) {
    const io::CsvField& field = csv.fields()[i];
    const auto [it, fresh] = columns.emplace(ascii_lower(std::string(field.value)), i);
    found += (i == 0 ? "" : ", ") + std::string(field.value);
    const std::string& lower = it->first;
    const auto read = [&lower](const std::vector<std::string_view>& list) {
      return std::find(list.begin(), list.end(), lower) != list.end();
    };
    if (!fresh && (read(required) || read(optional))) {
      errors.push_back({Severity::error, name, line, field.column, "duplicate-column",
                        "column `" + std::string(field.value) +
                            "`: expected each column once, found it again (first at column " +
                            std::to_string(csv.fields()[it->second].column) + "); which value is meant is not known"});
      ok = false;
    }
  }
  for (const std::string_view column : required)
    if (columns.count(std::string(column)) == 0) {
      errors.push_back({Severity::error, name, line, 1, "missing-column",
                        "expected column `" + std::string(column) + "` (any case), found columns " + found});
      ok = false;
    }
  return ok;
}

}  // namespace

bool read_table(const std::filesystem::path& path, const std::vector<std::string_view>& required,
                const std::function<void(const TableRow&)>& each, Diagnostics& errors,
                const std::vector<std::string_view>& optional) {
  std::string bytes;
  if (!read_bytes(path, bytes, errors)) return false;
  std::string text = to_utf8(bytes);
  const std::string name = path.filename().string();
  std::uint32_t skipped_lines = 0;
  if (text.starts_with("#TYPE")) {  // PowerShell 5's Export-Csv type line
    const auto nl = text.find('\n');
    text.erase(0, nl == std::string::npos ? text.size() : nl + 1);
    skipped_lines = 1;
  }
  io::CsvReader csv(text, io::most_frequent_separator(std::string_view(text).substr(0, text.find('\n'))));
  if (!csv.next()) {
    errors.push_back({Severity::error, name, 1, 1, "empty-file", "expected a header line, found an empty file"});
    return false;
  }
  ColumnIndex columns;
  if (!header_columns(csv, name, 1 + skipped_lines, required, optional, columns, errors)) return false;
  const std::size_t width = csv.fields().size();
  while (csv.next()) {
    for (const io::CsvProblem& p : csv.problems())
      errors.push_back({Severity::error, name, p.line + skipped_lines, p.column, "bad-quote",
                        "expected a separator or the end of the line after a closing quote, found \"" +
                            std::string(p.found) + "\""});
    if (csv.fields().size() != width) {
      errors.push_back({Severity::error, name, csv.line() + skipped_lines, 1, "field-count",
                        "expected " + std::to_string(width) + " fields as in the header, found " +
                            std::to_string(csv.fields().size())});
      continue;
    }
    each(TableRow(columns, csv.fields(), skipped_lines));
  }
  for (const io::CsvProblem& p : csv.problems())  // an unterminated quote ends the file
    errors.push_back({Severity::error, name, p.line + skipped_lines, p.column, "unterminated-quote",
                      "expected a closing quote for the field opened here, found the end of the file"});
  return true;
}

std::map<std::string, std::filesystem::path> table_files(const Source& source, std::string_view what,
                                                         std::string_view required, std::string_view required_label,
                                                         Diagnostics& errors) {
  std::map<std::string, std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::is_directory(source.path, ec)) {
    errors.push_back({Severity::error, source.path.filename().string(), 0, 0, "missing-file",
                      "expected a folder of " + std::string(what) + ", found " +
                          std::string(std::filesystem::exists(source.path, ec) ? "a file" : "nothing") + " at " +
                          source.path.string()});
    return files;
  }
  for (const auto& path : source_files(source, ".csv", errors))
    files.emplace(ascii_lower(path.filename().string()), path);
  if (!files.empty() && files.count(std::string(required)) == 0)  // an empty folder is already an error
    errors.push_back(
        {Severity::error, source.path.filename().string(), 0, 0, "missing-file",
         "expected " + std::string(required_label) + " in the folder " + source.path.string() + ", found none"});
  return files;
}

bool table_flag(const std::string& value) { return value == "1" || ascii_lower(value) == "true"; }

std::string unique_device_id(std::map<std::string, std::string>& taken, const std::string& name,
                             std::string_view key_label, const std::string& key, std::string& first) {
  first.clear();
  const auto [it, fresh] = taken.emplace(ascii_lower(name), key);
  if (fresh) return name;
  first = it->second;
  const std::string label = " (" + std::string(key_label) + " " + key;
  std::string id = name + label + ")";
  for (std::uint32_t n = 2; !taken.emplace(ascii_lower(id), key).second; ++n)
    id = name + label + " #" + std::to_string(n) + ")";
  return id;
}

}  // namespace trueup::import::detail
