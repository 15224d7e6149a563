// SPDX-License-Identifier: BSL-1.0
// File: src/import/packages.cpp
//
// Linux package lists, one computer per file, as GLPI Agent's Deb and RPM inventory modules
// produce them (docs/formats.md "Linux package lists"):
//
//     dpkg-query --show
//     --showformat='${Package}\t${Architecture}\t${Version}\t${Installed-Size}\t${Section}\t${Status}\n' rpm -qa
//     --queryformat
//     '%{NAME}\t%{ARCH}\t%{VERSION}-%{RELEASE}\t%{INSTALLTIME}\t%{SIZE}\t%{VENDOR}\t%{SUMMARY}\t%{GROUP}\n'
//
// A package is an install when its files are on the disk. dpkg lists packages it no longer has
// installed (`deinstall ok config-files`: removed, its configuration kept; `not-installed`):
// those are no install, counted as `not_installed`, never rows (ecosystem §3: "removed but
// config-files status must not count"). The other dpkg states (`unpacked`, `half-configured`,
// `triggers-pending`, ...) leave the package's files on the disk: a row, with a warning that it
// is not fully installed. A line without a status (older agents did not ask for it) is a row.
// A row's id is the device, the format and the package (and, for rpm, its version: one rpm
// database may hold several versions of a package, e.g. kernels): stable across exports.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "importers.hpp"

namespace trueup::import::detail {

namespace {

enum class PackageFormat : std::uint8_t { dpkg, rpm };

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return fields;
    start = tab + 1;
  }
}

struct FileContext {
  const char* kind;  ///< "dpkg" or "rpm", for ids and messages
  std::string file;
  std::string device;
  std::map<std::string, int>& seen;  ///< row ids of the whole source: unique across its files
};

/// One list line as a row, or a warning, a count or an error; false on an error.
bool read_line(std::string_view line, std::uint32_t number, PackageFormat format, FileContext& ctx, Inventory& out,
               SourceCount& count, Diagnostics& errors) {
  const std::vector<std::string_view> f = split_tabs(line);
  const std::string at = ctx.file + ":" + std::to_string(number);
  if (f.size() < 3) {
    errors.push_back({Severity::error, ctx.file, number, 1, std::string("bad-") + ctx.kind,
                      std::string("expected a tab-separated package line (name, architecture, version, ...) as ") +
                          (format == PackageFormat::dpkg ? "dpkg-query --showformat" : "rpm -qa --queryformat") +
                          " writes it, found \"" + std::string(line.substr(0, 60)) + "\""});
    return false;
  }
  if (f[0].empty()) {
    ++count.skipped;
    out.warnings.push_back(
        {Severity::warning, ctx.file, number, 1, "no-title", "a package line without a name: skipped"});
    return true;
  }
  InventoryRow row;
  row.device_id = ctx.device;
  row.title = std::string(f[0]);
  row.version = std::string(f[2]);
  row.source = at;
  std::string key = std::string(f[0]) + ":" + std::string(f[1]);
  if (format == PackageFormat::dpkg) {
    const std::string_view state = f.size() > 5 ? dpkg_state(f[5]) : std::string_view();
    if (!state.empty() && !files_present(state)) {
      ++count.not_installed;
      return true;
    }
    if (!state.empty() && state != "installed")
      out.warnings.push_back({Severity::warning, ctx.file, number, 0, "not-fully-installed",
                              "package " + row.title + " is `" + std::string(state) +
                                  "`, not `installed`: its files are on the disk, read as an install"});
  } else {
    key = std::string(f[0]) + "-" + std::string(f[2]) + "." + std::string(f[1]);
    if (f.size() > 3 && !f[3].empty()) {
      row.first_seen = epoch_date(f[3]);
      if (!row.first_seen)
        out.warnings.push_back(
            {Severity::warning, ctx.file, number, 0, "bad-date",
             "`INSTALLTIME`: expected seconds since 1970, found \"" + std::string(f[3]) + "\"; read as none"});
    }
    if (f.size() > 5 && f[5] != "(none)") row.publisher = std::string(f[5]);
  }
  row.id = ctx.device + "/" + ctx.kind + "/" + key;
  if (const int n = ++ctx.seen[row.id]; n > 1) row.id += "#" + std::to_string(n);
  out.rows.push_back(std::move(row));
  return true;
}

void read_packages(const Source& source, PackageFormat format, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  std::map<std::string, int> seen;
  // A folder is read as all its files: the agents write lists without an extension.
  for (const auto& path : source_files(source, "", errors)) {
    std::string bytes;
    if (!read_bytes(path, bytes, errors)) continue;
    const std::string text = to_utf8(bytes);
    FileContext ctx{format == PackageFormat::dpkg ? "dpkg" : "rpm", path.filename().string(), path.stem().string(),
                    seen};
    const std::size_t rows_before = out.rows.size();
    bool ok = true;
    std::uint32_t number = 0;
    for (std::size_t start = 0; start < text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      std::string_view line(text.data() + start, end - start);
      start = end + 1;
      ++number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      // dpkg-query continues a multi-line field (a description) on lines starting with a space.
      if (line.empty() || line.front() == ' ') continue;
      ok = read_line(line, number, format, ctx, out, count, errors) && ok;
    }
    if (!ok) {
      out.rows.resize(rows_before);
      continue;
    }
    ++count.files;
    // `pc-1` and `pc-1.txt` in one folder are one computer's lists.
    if (std::any_of(out.devices.begin(), out.devices.end(),
                    [&](const InventoryDevice& d) { return d.id == ctx.device; }))
      continue;
    InventoryDevice d;
    d.id = ctx.device;
    d.hostname = d.id;
    d.software_reported = true;
    d.source = ctx.file;
    out.devices.push_back(std::move(d));
  }
  count.devices = out.devices.size();
  count.rows = out.rows.size();
  out.sources.push_back(std::move(count));
}

}  // namespace

void read_dpkg(const Source& source, Inventory& out, Diagnostics& errors) {
  read_packages(source, PackageFormat::dpkg, out, errors);
}

void read_rpm(const Source& source, Inventory& out, Diagnostics& errors) {
  read_packages(source, PackageFormat::rpm, out, errors);
}

}  // namespace trueup::import::detail
