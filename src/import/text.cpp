// SPDX-License-Identifier: BSL-1.0
// File: src/import/text.cpp
//
// What every importer needs from the file system and from text encodings (importers.hpp):
// the files of a source in a stable order, a file's bytes, and UTF-8 from the encodings real
// exports are written in (regedit writes UTF-16LE with a byte order mark).
#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <iterator>
#include <system_error>

#include "importers.hpp"

namespace trueup::import::detail {

namespace {

bool ends_with_ci(const std::string& name, std::string_view suffix) {
  if (name.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), name.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                    });
}

void missing(Diagnostics& errors, const std::filesystem::path& path, const std::string& expected,
             const std::string& found) {
  errors.push_back(
      {Severity::error, path.filename().string(), 0, 0, "missing-file", "expected " + expected + ", found " + found});
}

}  // namespace

std::vector<std::filesystem::path> source_files(const Source& source, std::string_view extension, Diagnostics& errors) {
  std::error_code ec;
  const auto status = std::filesystem::status(source.path, ec);
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(status)) {
    missing(errors, source.path, "a file or folder " + source.path.string(), "none");
    return files;
  }
  if (!std::filesystem::is_directory(status)) {
    files.push_back(source.path);
    return files;
  }
  for (const auto& entry : std::filesystem::directory_iterator(source.path, ec))
    if (entry.is_regular_file(ec) && ends_with_ci(entry.path().filename().string(), extension))
      files.push_back(entry.path());
  // Sorted by name (bytes), not by the directory's order: the same folder gives the same ids.
  std::sort(files.begin(), files.end());
  if (files.empty())
    missing(errors, source.path, "files named *" + std::string(extension) + " in the folder " + source.path.string(),
            "none");
  return files;
}

std::string_view dpkg_state(std::string_view status) {
  const std::size_t space = status.find_last_of(' ');
  return space == std::string_view::npos ? status : status.substr(space + 1);
}

bool files_present(std::string_view state) {
  constexpr std::array<std::string_view, 6> present = {"installed",       "unpacked",         "half-installed",
                                                       "half-configured", "triggers-awaited", "triggers-pending"};
  return std::find(present.begin(), present.end(), state) != present.end();
}

std::optional<Date> epoch_date(std::string_view s) {
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
  if (ec != std::errc() || end != s.data() + s.size() || seconds < 0 || seconds > 253'402'300'799)  // 9999-12-31
    return std::nullopt;
  return Date{static_cast<std::int32_t>(seconds / 86'400)};
}

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::string ascii_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<Date> windows_date(std::string_view s) {
  if (s.size() == 8 && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
    return Date::parse(std::string(s.substr(0, 4)) + "-" + std::string(s.substr(4, 2)) + "-" +
                       std::string(s.substr(6, 2)));
  if (s.size() > 10 && (s[10] == ' ' || s[10] == 'T')) s = s.substr(0, 10);
  return Date::parse(s);
}

bool read_bytes(const std::filesystem::path& path, std::string& bytes, Diagnostics& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    missing(errors, path, "a readable file " + path.string(), "a file that cannot be read");
    return false;
  }
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string to_utf8(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (bytes.size() >= 3 && byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) return std::string(bytes.substr(3));
  const bool le = bytes.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE;
  const bool be = bytes.size() >= 2 && byte(0) == 0xFE && byte(1) == 0xFF;
  if (!le && !be) return std::string(bytes);
  const auto unit = [&](std::size_t i) -> std::uint32_t {
    return le ? byte(i) | (byte(i + 1) << 8U) : (byte(i) << 8U) | byte(i + 1);
  };
  std::string out;
  out.reserve(bytes.size() / 2);
  constexpr std::uint32_t replacement = 0xFFFD;
  for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
    const std::uint32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) < 0xE000) {
      append_utf8(out, 0x10000 + ((u - 0xD800) << 10U) + (unit(i + 2) - 0xDC00));
      i += 2;
    } else {
      append_utf8(out, u >= 0xD800 && u < 0xE000 ? replacement : u);
    }
  }
  return out;
}

TextPosition position_of(std::string_view text, std::size_t offset) {
  TextPosition p;
  offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

}  // namespace trueup::import::detail
