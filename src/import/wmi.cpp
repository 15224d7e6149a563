// SPDX-License-Identifier: BSL-1.0
// File: src/import/wmi.cpp
//
// WMI `Win32_Processor` dumps: what `wmic path Win32_Processor get /format:list` (or
// `Get-CimInstance Win32_Processor | Format-List *`) writes, one computer per file — `Name=Value`
// lines, a blank line between instances (one instance per socket), UTF-16LE with a byte order
// mark as wmic writes it, or UTF-8. They give the hardware facts other sources lack (a registry
// export has none): processors and cores. Columns and rules in docs/formats.md "WMI processor
// dumps".
//
// - The device is the instances' `SystemName`, else the file name without `.wmi`.
// - Processors: the instances; cores: `NumberOfCores` summed (unknown when any lacks it);
//   logical processors: `NumberOfLogicalProcessors` summed, kept for a virtual machine, whose
//   cores are its virtual processors (read_inventory applies it once every source is merged).
// - `NumberOfEnabledCore` above `NumberOfCores` does not happen on physical hardware, but in
//   virtual machines (an AMD EPYC guest: 2 cores, 4 enabled, 4 logical): a `cores-uncertain`
//   warning says so, since the dump alone does not tell a VM from a server.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "importers.hpp"

namespace trueup::import::detail {

namespace {

using Instance = std::map<std::string, std::string>;  // lower-case property -> value

/// The instances of a `/format:list` text; `line_of` receives each instance's first line.
std::vector<Instance> instances_of(std::string_view text, std::vector<std::uint32_t>& line_of) {
  std::vector<Instance> out;
  bool open = false;
  std::uint32_t line = 0;
  while (!text.empty()) {
    ++line;
    const auto nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
    while (!l.empty() && l.front() == ' ') l.remove_prefix(1);
    const auto eq = l.find('=');
    if (l.empty() || eq == std::string_view::npos || eq == 0) {
      open = false;  // a blank line (or one without a property) ends an instance
      continue;
    }
    if (!open) {
      out.emplace_back();
      line_of.push_back(line);
      open = true;
    }
    out.back().emplace(ascii_lower(std::string(l.substr(0, eq))), std::string(l.substr(eq + 1)));
  }
  return out;
}

std::optional<std::uint32_t> count(const Instance& i, const char* property) {
  const auto it = i.find(property);
  if (it == i.end() || it->second.empty() || it->second.size() > 6 ||
      !std::all_of(it->second.begin(), it->second.end(), [](unsigned char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<std::uint32_t>(std::stoul(it->second));
}

std::string value(const Instance& i, const char* property) {
  const auto it = i.find(property);
  return it == i.end() ? std::string() : it->second;
}

/// One file: its device with processors, cores and logical processors; false on an error.
bool read_file(const std::filesystem::path& path, Inventory& out, Diagnostics& errors) {
  std::string bytes;
  if (!read_bytes(path, bytes, errors)) return false;
  const std::string name = path.filename().string();
  std::vector<std::uint32_t> lines;
  std::vector<Instance> all = instances_of(to_utf8(bytes), lines);
  std::vector<const Instance*> cpus;
  for (const Instance& i : all)
    if (ascii_lower(value(i, "creationclassname")) == "win32_processor") cpus.push_back(&i);
  if (cpus.empty()) {
    const std::string found = all.empty() ? std::string("no Name=Value lines")
                              : value(all[0], "creationclassname").empty()
                                  ? "instances without CreationClassName (another class)"
                                  : "CreationClassName=" + value(all[0], "creationclassname");
    errors.push_back({Severity::error, name, all.empty() ? 1 : lines[0], 1, "bad-wmi",
                      "expected a Win32_Processor dump (`wmic path Win32_Processor get /format:list`: Name=Value "
                      "lines with CreationClassName=Win32_Processor), found " +
                          found});
    return false;
  }
  InventoryDevice d;
  d.id = value(*cpus[0], "systemname");
  if (d.id.empty()) d.id = path.stem().string();
  d.hostname = d.id;
  d.source = name;
  d.processors = static_cast<std::uint32_t>(cpus.size());
  d.cpu_model = trimmed(value(*cpus[0], "name"));
  std::optional<std::uint32_t> cores = 0, logical = 0;
  bool enabled_beyond = false;
  for (const Instance* cpu : cpus) {
    const auto c = count(*cpu, "numberofcores"), l = count(*cpu, "numberoflogicalprocessors");
    cores = cores && c ? std::optional(*cores + *c) : std::nullopt;
    logical = logical && l ? std::optional(*logical + *l) : std::nullopt;
    if (const auto e = count(*cpu, "numberofenabledcore"); e && c && *e > *c) enabled_beyond = true;
  }
  d.cores = cores.value_or(0);
  d.logical_processors = logical.value_or(0);
  if (enabled_beyond)
    out.warnings.push_back(
        {Severity::warning, name, lines[0], 0, "cores-uncertain",
         "device " + d.id + ": expected NumberOfEnabledCore at most NumberOfCores, as on physical processors, found " +
             "more (seen in virtual machines); read as " + std::to_string(d.cores) +
             " cores — if it is a VM, say so (kind vm, from another --inventory source of the same device: GLPI, SCCM) "
             "and its " +
             std::to_string(d.logical_processors) + " virtual processors are its cores"});
  out.devices.push_back(std::move(d));
  return true;
}

}  // namespace

void read_wmi(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount tally{source.spec};
  for (const auto& path : source_files(source, ".wmi", errors))
    if (read_file(path, out, errors)) ++tally.files;
  // One device per computer: a second dump of the same SystemName is reported, not added.
  std::map<std::string, std::string> seen;
  std::vector<InventoryDevice> kept;
  for (InventoryDevice& d : out.devices) {
    if (const auto [it, fresh] = seen.emplace(d.id, d.source); !fresh) {
      out.warnings.push_back({Severity::warning, d.source, 0, 0, "duplicate-device",
                              "expected one dump per computer, found " + d.id + " again (first in " + it->second +
                                  "); the first is read"});
      continue;
    }
    kept.push_back(std::move(d));
  }
  out.devices = std::move(kept);
  tally.devices = out.devices.size();
  out.sources.push_back(std::move(tally));
}

}  // namespace trueup::import::detail
