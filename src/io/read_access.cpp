// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_access.cpp
//
// access.csv (optional; docs/formats.md): who or what accessed which server, the demand for
// client access licences. A row names a server and a user, a device, or both, and the service
// used when it needs CALs of its own (a Remote Desktop session: CAL3); without the file no CAL
// demand is computed.
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "fields.hpp"
#include "table_readers.hpp"
#include "values.hpp"

namespace trueup::io::reading {

namespace {

struct AccessCol {
  enum : std::size_t { server_id, user, device_id, service };
};
constexpr ColumnSpec access_columns[] = {
    {"server_id", true}, {"user", false}, {"device_id", false}, {"service", false}};

/// The services the pack's CAL families name.
std::set<std::string> services_of(const RulePack& pack) {
  std::set<std::string> services;
  for (const Family& f : pack.families)
    if (!f.service.empty()) services.insert(f.service);
  return services;
}

}  // namespace

void read_access(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                 const RulePack& pack, Fleet& fleet, Diagnostics& out) {
  Table t(text, file, access_columns, out, separator);
  std::optional<std::set<std::string>> services;  // computed at the first service named
  fleet.has_access = true;
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Access a;
    a.line = t.line();
    if (const auto server = required(t, AccessCol::server_id))
      a.server = devices.find(t, AccessCol::server_id, *server).value_or(DeviceIndex{});
    a.user = optional_text(t, AccessCol::user);
    if (const std::string_view d = t.value(AccessCol::device_id); !d.empty())
      a.device = devices.find(t, AccessCol::device_id, t.field(AccessCol::device_id)->value).value_or(DeviceIndex{});
    else if (a.user.empty())
      t.error(AccessCol::user, "empty-value",
              "expected a user or a device_id (or both) that accessed the server, found neither");
    // A service no CAL family of the pack names would need CALs nobody can say: refused, never
    // read as plain access (which would drop the service's CALs from the position).
    const std::string written = optional_text(t, AccessCol::service);
    if (std::string service = lower(written); !service.empty()) {
      if (!services) services = services_of(pack);
      if (services->count(service) != 0)
        a.service = std::move(service);
      else if (services->empty())
        t.error(AccessCol::service, "unknown-service",
                "expected no service (the rule pack's CAL families name none), found " + quote_value(written));
      else
        t.error(AccessCol::service, "unknown-service",
                "expected one of " + join(*services, [](const std::string& x) { return x; }) +
                    " (the services of the rule pack's CAL families), or nothing for plain access, found " +
                    quote_value(written));
    }
    fleet.access.push_back(std::move(a));
  }
}

}  // namespace trueup::io::reading
