// SPDX-License-Identifier: BSL-1.0
// File: src/import/registry.cpp
//
// Windows registry exports (`.reg`, as regedit and `reg export` write them: UTF-16LE with a byte
// order mark, "Windows Registry Editor Version 5.00"; REGEDIT4 files in UTF-8 are read too) of
// the Uninstall keys, which Add/Remove Programs lists: one computer per file, a folder of files
// for several. Columns and rules in docs/formats.md "Windows registry export".
//
// Every direct subkey of an `...\CurrentVersion\Uninstall` key with a `DisplayName` is one row,
// in both views (64-bit `SOFTWARE\Microsoft\...`, 32-bit `SOFTWARE\WOW6432Node\Microsoft\...`)
// and both hives (machine, user): Windows lists each, so one product may be several rows, which
// recognition and the duplicate rule then handle (ecosystem §0.1). A subkey without a
// `DisplayName` is not listed by Windows and is no install: counted, not a row. A row's id is
// the device, the view and the subkey's name (a product code or a name): stable across exports.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "importers.hpp"

namespace trueup::import::detail {

namespace {

/// One logical line: continuation lines (ending in `\`) joined, with its first physical line.
struct Line {
  std::string text;
  std::uint32_t number = 0;
};

std::vector<Line> logical_lines(const std::string& body) {
  std::vector<Line> lines;
  std::uint32_t number = 0;
  bool continued = false;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    std::string piece = body.substr(start, end - start);
    if (!piece.empty() && piece.back() == '\r') piece.pop_back();
    ++number;
    if (continued) {
      const auto first = piece.find_first_not_of(" \t");
      lines.back().text += first == std::string::npos ? std::string() : piece.substr(first);
    } else {
      lines.push_back({piece, number});
    }
    continued = !lines.back().text.empty() && lines.back().text.back() == '\\' && lines.back().text[0] != '[';
    if (continued) lines.back().text.pop_back();
    start = end + 1;
  }
  return lines;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}
std::size_t find_ci(std::string_view s, std::string_view what) {
  for (std::size_t i = 0; i + what.size() <= s.size(); ++i)
    if (starts_with_ci(s.substr(i), what)) return i;
  return std::string_view::npos;
}

/// A quoted .reg string at `s[i]` (the opening quote): its value (`\\` and `\"` unescaped) and
/// the index after the closing quote; nullopt when it does not close.
std::optional<std::pair<std::string, std::size_t>> quoted(const std::string& s, std::size_t i) {
  std::string v;
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == '"')) {
      v += s[++i];
    } else if (s[i] == '"') {
      return std::make_pair(std::move(v), i + 1);
    } else {
      v += s[i];
    }
  }
  return std::nullopt;
}

/// `hex(2):`/`hex(1):`/`hex(7):` data (comma-separated bytes of UTF-16LE text) as UTF-8, up to
/// its first NUL; nullopt when a byte is not two hex digits.
std::optional<std::string> hex_text(std::string_view data) {
  std::string bytes = "\xFF\xFE";  // to_utf8() takes the byte order mark as the encoding
  std::size_t i = 0;
  while (i < data.size()) {
    const std::size_t comma = std::min(data.find(',', i), data.size());
    std::string_view hex = data.substr(i, comma - i);
    while (!hex.empty() && hex.front() == ' ') hex.remove_prefix(1);
    while (!hex.empty() && hex.back() == ' ') hex.remove_suffix(1);
    if (hex.size() != 2 || !std::isxdigit(static_cast<unsigned char>(hex[0])) ||
        !std::isxdigit(static_cast<unsigned char>(hex[1])))
      return std::nullopt;
    bytes += static_cast<char>(std::stoi(std::string(hex), nullptr, 16));
    i = comma + 1;
  }
  std::string text = to_utf8(bytes);
  if (const auto nul = text.find('\0'); nul != std::string::npos) text.resize(nul);
  return text;
}

struct Key {
  std::string id_part;  ///< view and subkey, for the row id
  std::uint32_t line = 0;
  std::map<std::string, std::string> values;  ///< the string values, by lower-case name
};

/// The Uninstall subkey a key path names, with its hive and view, or nullopt for any other key.
std::optional<std::string> uninstall_entry(const std::string& path) {
  constexpr std::string_view marker = "\\CurrentVersion\\Uninstall\\";
  const std::size_t at = find_ci(path, marker);
  if (at == std::string::npos) return std::nullopt;
  const std::string sub = path.substr(at + marker.size());
  if (sub.empty() || sub.find('\\') != std::string::npos) return std::nullopt;  // a deeper key
  std::string prefix;
  if (starts_with_ci(path, "HKEY_CURRENT_USER") || starts_with_ci(path, "HKEY_USERS")) prefix += "user/";
  if (find_ci(path, "\\WOW6432Node\\") != std::string::npos) prefix += "x86/";
  return prefix + sub;
}

/// Reads a value line into `key`; false when it is not one.
bool read_value(const std::string& s, Key* key) {
  std::string name;
  std::size_t i = 0;
  if (s[0] == '@') {
    i = 1;
  } else {
    auto q = quoted(s, 0);
    if (!q) return false;
    name = std::move(q->first);
    i = q->second;
  }
  if (i >= s.size() || s[i] != '=') return false;
  const std::string data = s.substr(i + 1);
  std::optional<std::string> value;
  if (!data.empty() && data[0] == '"') {
    auto q = quoted(data, 0);
    if (!q) return false;
    value = std::move(q->first);
  } else if (starts_with_ci(data, "hex(2):") || starts_with_ci(data, "hex(1):") || starts_with_ci(data, "hex(7):")) {
    value = hex_text(std::string_view(data).substr(7));
    if (!value) return false;
  }  // dword:, hex:, and deletions (-) carry nothing a row needs
  if (key != nullptr && value) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    key->values[name] = std::move(*value);
  }
  return true;
}

/// Parses one file's keys; false (with errors) when it is not a registry export.
bool parse_keys(const std::string& body, const std::string& name, std::vector<Key>& keys, std::size_t& other_keys,
                Diagnostics& errors) {
  const std::vector<Line> lines = logical_lines(body);
  auto first = std::find_if(lines.begin(), lines.end(), [](const Line& l) { return !l.text.empty(); });
  if (first == lines.end() || (first->text != "Windows Registry Editor Version 5.00" && first->text != "REGEDIT4")) {
    errors.push_back(
        {Severity::error, name, first == lines.end() ? 0 : first->number, 1, "bad-reg",
         "expected a registry export starting with `Windows Registry Editor Version 5.00` or "
         "`REGEDIT4`, found " +
             (first == lines.end() ? std::string("an empty file") : "\"" + first->text.substr(0, 60) + "\"")});
    return false;
  }
  Key* current = nullptr;
  bool ok = true;
  for (auto it = first + 1; it != lines.end(); ++it) {
    const std::string& s = it->text;
    if (s.empty() || s[0] == ';') continue;
    if (s[0] == '[') {
      current = nullptr;
      const auto close = s.rfind(']');
      const auto entry = close == std::string::npos ? std::nullopt : uninstall_entry(s.substr(1, close - 1));
      if (entry && s[1] != '-') {
        keys.push_back({*entry, it->number, {}});
        current = &keys.back();
      } else {
        ++other_keys;
      }
      continue;
    }
    if ((s[0] == '"' || s[0] == '@') && read_value(s, current)) continue;
    errors.push_back(
        {Severity::error, name, it->number, 1, "bad-reg",
         "expected a key `[...]`, a value `\"Name\"=...` or a blank line, found \"" + s.substr(0, 60) + "\""});
    ok = false;
  }
  return ok;
}

void add_device(const std::filesystem::path& path, const std::vector<Key>& keys, Inventory& out, SourceCount& count) {
  const std::string file = path.filename().string();
  InventoryDevice d;
  d.id = path.stem().string();
  d.hostname = d.id;
  d.software_reported = true;
  d.source = file;
  std::map<std::string, int> seen;
  for (const Key& k : keys) {
    const auto value = [&](const char* v) {
      const auto it = k.values.find(v);
      return it == k.values.end() ? std::string() : it->second;
    };
    std::string title = value("displayname");
    if (title.empty()) {
      ++count.unnamed_keys;
      continue;
    }
    std::string id = d.id + "/reg/" + k.id_part;
    if (const int n = ++seen[id]; n > 1) id += "#" + std::to_string(n);
    const std::string date = value("installdate");
    const auto first_seen = windows_date(date);
    if (!date.empty() && !first_seen)
      out.warnings.push_back({Severity::warning, file, k.line, 0, "bad-date",
                              "`InstallDate`: expected a date YYYYMMDD, found \"" + date + "\"; read as none"});
    out.rows.push_back({std::move(id), d.id, std::move(title), value("publisher"), value("displayversion"), first_seen,
                        file + ":" + std::to_string(k.line)});
  }
  out.devices.push_back(std::move(d));
}

}  // namespace

void read_reg(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  for (const auto& path : source_files(source, ".reg", errors)) {
    std::string bytes;
    if (!read_bytes(path, bytes, errors)) continue;
    std::vector<Key> keys;
    std::size_t other_keys = 0;
    if (!parse_keys(to_utf8(bytes), path.filename().string(), keys, other_keys, errors)) continue;
    ++count.files;
    add_device(path, keys, out, count);
  }
  count.devices = out.devices.size();
  count.rows = out.rows.size();
  out.sources.push_back(std::move(count));
}

}  // namespace trueup::import::detail
