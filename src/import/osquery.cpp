// SPDX-License-Identifier: BSL-1.0
// File: src/import/osquery.cpp
//
// osquery results (docs/formats.md "osquery results"): what `osqueryd`'s filesystem logger
// writes (`osqueryd.results.log`, one JSON object per line, in any of its three formats: the
// event format `{"name", "hostIdentifier", "columns", "action": "added"|"removed"}`, snapshots
// `{"snapshot": [...], "action": "snapshot"}` and batches `{"diffResults": {"added", "removed"}}`),
// or what `osqueryi --json` prints (an array of rows; the host is the file's name).
//
// A row is read by the table its columns show, whatever the query was named (packs name them
// freely): `programs` (Windows Add/Remove Programs: `name` with `identifying_number` or
// `uninstall_string`), `deb_packages` (`maintainer` and `arch`), `rpm_packages` (`release` and
// `arch`), `os_version` (`major`, `minor`, `platform`: the operating system as one more install,
// as Add/Remove Programs never lists it), `system_info` (`cpu_physical_cores`: cores, sockets,
// CPU model, the hardware model), `cpu_info` (`number_of_cores`, `logical_processors`: one
// row per socket) and `chassis_info` (`chassis_types`: the enclosure, hence laptop, desktop or
// server). Rows of other tables are no software entry: not read, named in one warning.
//
// A log is a history: per host and query, a snapshot replaces what that query reported before,
// as does a run whose `counter` is 0 (all its records: a first run, or a reset database), and
// `added` rows are added and `removed` rows removed, in file and line order, so the rows read
// are what the host had at the end of the log. The same row reported by two queries is one row.
// Every software row the log reports is accounted for: an install, a row without a name
// (skipped, warned), or no install — a program gone by the end of the log (removed, or absent
// from a later snapshot), or a deb package whose `status` says its files are gone
// (`config-files`), as for dpkg lists — counted as not installed.
#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "json_text.hpp"

namespace trueup::import::detail {

namespace {

using json = nlohmann::json;

enum class Table : std::uint8_t { programs, deb, rpm, os, system, cpu, chassis, other };

Table table_of(const json& row) {
  if (!row.is_object()) return Table::other;
  const auto has = [&](const char* key) { return row.contains(key); };
  if (has("name") && (has("identifying_number") || has("uninstall_string"))) return Table::programs;
  if (has("name") && has("maintainer") && has("arch")) return Table::deb;
  if (has("name") && has("release") && has("arch")) return Table::rpm;
  if (has("major") && has("minor") && has("platform")) return Table::os;
  if (has("cpu_physical_cores")) return Table::system;
  if (has("number_of_cores") && has("logical_processors")) return Table::cpu;
  if (has("chassis_types")) return Table::chassis;
  return Table::other;
}

bool software(Table t) { return t == Table::programs || t == Table::deb || t == Table::rpm; }

/// One row as last reported: the row, where it was read, and its place in the reading order.
struct Held {
  json row;
  std::string where;
  std::size_t order = 0;
};

/// What one host reported, per query; rows keyed by their JSON text (a row is its columns).
struct Host {
  std::string id;
  std::string file;  ///< the first file that named it
  std::map<std::string, std::map<std::string, Held>> queries;
  /// Every software row the log ever reported for the host, added or removed: each is at the
  /// end an install, or a program the host no longer has (counted as not installed).
  std::set<std::string> software_reported;
  /// Per query, the `unixTime` of the run whose rows are all its records (`counter` 0).
  std::map<std::string, std::string> full_run;
  std::optional<Date> last_run;  ///< the latest result's `unixTime`: when osquery last reported the host
};

/// The hosts of one source, in the order they were first met, and what cannot be read.
struct Log {
  std::vector<Host> hosts;
  std::map<std::string, std::size_t> index;  ///< host id -> place in `hosts`
  std::set<std::string> other_queries;       ///< queries whose rows are of no table read here
  std::string other_file;                    ///< the file of the first such row
  std::size_t order = 0;

  Host& host(const std::string& id, const std::string& file) {
    const auto [it, fresh] = index.emplace(id, hosts.size());
    if (fresh) hosts.push_back({id, file, {}, {}, {}, {}});
    return hosts[it->second];
  }
  void add(Host& h, const std::string& query, const json& row, const std::string& where) {
    const Table t = table_of(row);
    if (t == Table::other) {
      other_queries.insert(query.empty() ? "(unnamed)" : query);
      if (other_file.empty()) other_file = where.substr(0, where.rfind(':'));  // `FILE:LINE`, `FILE: [I]`
      return;
    }
    std::string key = row.dump();
    if (software(t)) h.software_reported.insert(key);
    h.queries[query].insert_or_assign(std::move(key), Held{row, where, order++});
  }
  /// A row reported removed is gone even when the log never showed it added (a log rotated
  /// away): it is still a program the host no longer has.
  void remove(Host& h, const std::string& query, const json& row) {
    std::string key = row.dump();
    h.queries[query].erase(key);
    if (software(table_of(row))) h.software_reported.insert(std::move(key));
  }
};

/// A result whose `counter` is 0 holds all the query's records (osquery's first run of a query,
/// or of a new epoch: its database was reset), not a difference: what the query reported before
/// is forgotten. An event-format run writes one line per row, all with the run's `unixTime`.
void start_run(const json& r, Host& h, const std::string& query) {
  if (json_text(r, "counter") != "0") return;
  const std::string time = json_text(r, "unixTime");
  const auto [it, fresh] = h.full_run.try_emplace(query, time);
  if (!fresh && it->second == time) return;  // a later line of the same run
  it->second = time;
  h.queries[query].clear();
}

/// One results-log line; false (and an error) when it is not an osquery result.
bool read_result(const json& r, const std::string& file, std::uint32_t line, Log& log, Diagnostics& errors) {
  const std::string host_id = json_text(r, "hostIdentifier");
  const std::string query = json_text(r, "name");
  const std::string where = file + ":" + std::to_string(line);
  const bool columns = r.is_object() && r.contains("columns") && r["columns"].is_object();
  const bool snapshot = r.is_object() && r.contains("snapshot") && r["snapshot"].is_array();
  const bool batch = r.is_object() && r.contains("diffResults") && r["diffResults"].is_object();
  if (host_id.empty() || (!columns && !snapshot && !batch)) {
    errors.push_back({Severity::error, file, line, 1, "bad-osquery",
                      "expected an osquery result: an object with `hostIdentifier` and `columns`, `snapshot` or "
                      "`diffResults`, found " +
                          (r.is_object() ? std::string("an object without them") : std::string(r.type_name()))});
    return false;
  }
  Host& h = log.host(host_id, file);
  if (const auto at = epoch_date(json_text(r, "unixTime")); at && !(h.last_run >= at)) h.last_run = at;
  if (columns) {
    start_run(r, h, query);
    if (json_text(r, "action") == "removed")
      log.remove(h, query, r["columns"]);
    else
      log.add(h, query, r["columns"], where);
  } else if (snapshot) {
    h.queries[query].clear();
    for (const json& row : r["snapshot"]) log.add(h, query, row, where);
  } else {
    start_run(r, h, query);
    const json& diff = r["diffResults"];
    if (diff.contains("removed") && diff["removed"].is_array())
      for (const json& row : diff["removed"]) log.remove(h, query, row);
    if (diff.contains("added") && diff["added"].is_array())
      for (const json& row : diff["added"]) log.add(h, query, row, where);
  }
  return true;
}

/// One file: an `osqueryi --json` array, or a results log. False on an error.
bool read_file(const std::filesystem::path& path, Log& log, Diagnostics& errors) {
  std::string bytes;
  if (!read_bytes(path, bytes, errors)) return false;
  const std::string text = to_utf8(bytes);
  const std::string file = path.filename().string();
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    const auto rows = parse_json(text, file, 1, errors);
    if (!rows) return false;
    Host& h = log.host(path.stem().string(), file);
    for (std::size_t i = 0; i < rows->size(); ++i) log.add(h, "", (*rows)[i], file + ": [" + std::to_string(i) + "]");
    return true;
  }
  bool ok = true;
  std::uint32_t number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto r = parse_json(line, file, number, errors);
    ok = r && read_result(*r, file, number, log, errors) && ok;
  }
  return ok;
}

/// The kind a chassis_info `chassis_types` says (Win32_SystemEnclosure.ChassisTypes: SMBIOS
/// enclosure types, DSP0134 7.4.1), which osquery writes as names ("Notebook", from osquery 5.5)
/// or as codes ("10"), comma-separated when the firmware gives several; the first that says a
/// kind wins. Nullopt when none does (Docking Station, Other, Unknown).
std::optional<DeviceKind> chassis_kind(std::string_view types) {
  struct Enclosure {
    int code;
    const char* name;
    DeviceKind kind;
  };
  static constexpr Enclosure known[] = {
      {3, "desktop", DeviceKind::desktop},
      {4, "low profile desktop", DeviceKind::desktop},
      {5, "pizza box", DeviceKind::desktop},
      {6, "mini tower", DeviceKind::desktop},
      {7, "tower", DeviceKind::desktop},
      {8, "portable", DeviceKind::laptop},
      {9, "laptop", DeviceKind::laptop},
      {10, "notebook", DeviceKind::laptop},
      {13, "all in one", DeviceKind::desktop},
      {14, "sub notebook", DeviceKind::laptop},
      {15, "space-saving", DeviceKind::desktop},
      {16, "lunch box", DeviceKind::desktop},
      {17, "main server chassis", DeviceKind::server},
      {23, "rack mount chassis", DeviceKind::server},
      {24, "sealed-case pc", DeviceKind::desktop},
      {25, "multi-system chassis", DeviceKind::server},
      {28, "blade", DeviceKind::server},
      {29, "blade enclosure", DeviceKind::server},
      {30, "tablet", DeviceKind::tablet},
      {31, "convertible", DeviceKind::laptop},
      {32, "detachable", DeviceKind::laptop},
      {34, "embedded pc", DeviceKind::desktop},
      {35, "mini pc", DeviceKind::desktop},
      {36, "stick pc", DeviceKind::desktop},
  };
  for (std::size_t start = 0; start <= types.size();) {
    const std::size_t comma = std::min(types.find(',', start), types.size());
    const std::string item = ascii_lower(trimmed(types.substr(start, comma - start)));
    start = comma + 1;
    int code = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), code);
    const bool numeric = !item.empty() && ec == std::errc() && end == item.data() + item.size();
    for (const Enclosure& e : known)
      if (numeric ? code == e.code : item == e.name) return e.kind;
  }
  return std::nullopt;
}

/// What the device's rows say of its kind. A VM by the hardware model its firmware reports
/// (system_info `hardware_model`: the hypervisors' own model names); else a server when its
/// operating system is a server edition (os_version `name`: Windows Server, Red Hat Enterprise
/// Linux Server), whatever its enclosure (a tower server reports Tower); else the enclosure's
/// kind (chassis_info, Windows only); else unknown.
struct KindEvidence {
  bool vm = false, server_os = false;
  std::optional<DeviceKind> chassis;

  void read(Table t, const json& row) {
    if (t == Table::system) {
      const std::string m = ascii_lower(json_text(row, "hardware_model"));
      for (const char* hypervisor : {"vmware", "virtual machine", "virtualbox", "kvm", "hvm domu", "standard pc (",
                                     "google compute engine", "openstack nova"})
        vm = vm || m.find(hypervisor) != std::string::npos;
    } else if (t == Table::os) {
      server_os = server_os || ascii_lower(json_text(row, "name")).find("server") != std::string::npos;
    } else if (t == Table::chassis && !chassis) {
      chassis = chassis_kind(json_text(row, "chassis_types"));
    }
  }
  [[nodiscard]] std::optional<DeviceKind> kind() const {
    if (vm) return DeviceKind::virtual_machine;
    if (server_os) return DeviceKind::server;
    return chassis;
  }
};

/// A count osquery wrote as text (or, with --logger_numerics, as a number); nullopt when it is
/// not a whole number that fits 32 bits. The fleet's readers then check it against its limits.
std::optional<std::uint32_t> count_of(const json& row, const char* key) {
  const std::string s = json_text(row, key);
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

/// The device's facts from its system_info, cpu_info, os_version and chassis_info rows.
/// cpu_info has one row per socket, named by `device_id` (`CPU0`): a socket reported twice (by
/// two queries, or with another `load_percentage` in a snapshot of a later run) counts once,
/// its last report read.
void hardware_facts(const std::vector<const Held*>& rows, InventoryDevice& d) {
  std::map<std::string, const json*> sockets;
  KindEvidence evidence;
  for (const Held* h : rows) {
    const Table t = table_of(h->row);
    evidence.read(t, h->row);
    if (t == Table::system) {
      if (const std::string name = json_text(h->row, "hostname"); !name.empty()) d.hostname = name;
      d.cpu_model = trimmed(json_text(h->row, "cpu_brand"));
      d.cores = count_of(h->row, "cpu_physical_cores").value_or(0);
      d.logical_processors = count_of(h->row, "cpu_logical_cores").value_or(0);
      d.processors = count_of(h->row, "cpu_sockets").value_or(0);
    } else if (t == Table::cpu) {
      const std::string socket = json_text(h->row, "device_id");
      sockets.insert_or_assign(socket.empty() ? h->row.dump() : socket, &h->row);
    }
  }
  d.kind = evidence.kind();
  if (sockets.empty()) return;
  // cpu_info counts sockets, which system_info reports only from osquery 5.
  std::uint64_t cpu_cores = 0, cpu_logical = 0;  // summed wide, then clamped: never wrapped to a small count
  bool cpu_cores_known = true;
  for (const auto& entry : sockets) {
    const json& cpu = *entry.second;
    const auto cores = count_of(cpu, "number_of_cores");
    const auto logical = count_of(cpu, "logical_processors");
    cpu_cores_known = cpu_cores_known && cores && logical;
    if (cpu_cores_known) {
      cpu_cores += *cores;
      cpu_logical += *logical;
    }
    if (d.cpu_model.empty()) d.cpu_model = trimmed(json_text(cpu, "model"));
  }
  // A count beyond 32 bits stays beyond the fleet readers' limit, which refuses it by name.
  constexpr std::uint64_t most = std::numeric_limits<std::uint32_t>::max();
  d.processors = static_cast<std::uint32_t>(std::min<std::uint64_t>(sockets.size(), most));
  if (cpu_cores_known) {
    d.cores = static_cast<std::uint32_t>(std::min(cpu_cores, most));
    d.logical_processors = static_cast<std::uint32_t>(std::min(cpu_logical, most));
  }
}

/// The install row of a software or os_version row, or false when it is none.
bool row_of(const Held& h, const std::string& device, InventoryRow& row) {
  const json& r = h.row;
  row.device_id = device;
  row.title = json_text(r, "name");
  row.version = json_text(r, "version");
  row.source = h.where;
  switch (table_of(r)) {
    case Table::programs: {
      row.publisher = json_text(r, "publisher");
      row.first_seen = windows_date(json_text(r, "install_date"));
      const std::string product_code = json_text(r, "identifying_number");
      row.id = device + "/osquery/programs/" + (product_code.empty() ? row.title + "|" + row.version : product_code);
      return !row.title.empty();
    }
    case Table::deb:
      row.id = device + "/osquery/deb/" + row.title + ":" + json_text(r, "arch");
      return !row.title.empty();
    case Table::rpm:
      row.publisher = json_text(r, "vendor");
      row.first_seen = epoch_date(json_text(r, "install_time"));
      row.version += "-" + json_text(r, "release");
      row.id = device + "/osquery/rpm/" + row.title + "-" + row.version + "." + json_text(r, "arch");
      return !row.title.empty();
    case Table::os: row.id = device + "/osquery/os"; return !row.title.empty();
    default: return false;
  }
}

}  // namespace

void read_osquery(const Source& source, Inventory& out, Diagnostics& errors) {
  SourceCount count{source.spec};
  Log log;
  for (const auto& path : source_files(source, "", errors))
    if (read_file(path, log, errors)) ++count.files;
  std::map<std::string, int> seen;
  for (Host& host : log.hosts) {
    // Every query's rows, once each, in the order they were read.
    std::map<std::string, const Held*> unique;
    for (const auto& [query, rows] : host.queries)
      for (const auto& [text, held] : rows)
        if (const auto [it, fresh] = unique.emplace(text, &held); !fresh && held.order < it->second->order)
          it->second = &held;
    std::vector<const Held*> rows;
    for (const auto& [text, held] : unique) rows.push_back(held);
    std::sort(rows.begin(), rows.end(), [](const Held* a, const Held* b) { return a->order < b->order; });

    InventoryDevice d;
    d.id = host.id;
    d.hostname = host.id;
    d.source = host.file;
    d.software_reported = !host.software_reported.empty();
    d.last_inventory = host.last_run;
    hardware_facts(rows, d);
    for (const Held* h : rows) {
      InventoryRow row;
      if (!row_of(*h, d.id, row)) {
        if (software(table_of(h->row))) {
          ++count.skipped;
          out.warnings.push_back(
              {Severity::warning, host.file, 0, 0, "no-title", h->where + ": a row without a `name`; not read"});
        }
        continue;
      }
      if (table_of(h->row) == Table::deb) {
        const std::string status = json_text(h->row, "status");
        if (!status.empty() && !files_present(dpkg_state(status))) {
          ++count.not_installed;
          continue;
        }
      }
      if (const int n = ++seen[row.id]; n > 1) row.id += "#" + std::to_string(n);
      out.rows.push_back(std::move(row));
    }
    // Every software row the log reported is an install above, a row without a name (skipped),
    // a deb package without its files, or a program gone by the end of the log.
    for (const std::string& text : host.software_reported)
      if (unique.count(text) == 0) ++count.not_installed;
    out.devices.push_back(std::move(d));
  }
  if (!log.other_queries.empty()) {
    std::string names;
    for (const std::string& q : log.other_queries) names += (names.empty() ? "" : ", ") + q;
    out.warnings.push_back({Severity::warning, log.other_file, 0, 0, "not-read",
                            "rows of queries whose columns are of no table read here (programs, deb_packages, "
                            "rpm_packages, os_version, system_info, cpu_info, chassis_info): " +
                                names + "; not read"});
  }
  count.devices = out.devices.size();
  count.rows = out.rows.size();
  out.sources.push_back(std::move(count));
}

}  // namespace trueup::import::detail
