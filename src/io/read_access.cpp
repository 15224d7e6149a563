// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_access.cpp
//
// access.csv (optional; docs/formats.md): who or what accessed which server, the demand for
// client access licences. A row names a server and a user, a device, or both; without the
// file no CAL demand is computed.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "fields.hpp"
#include "table_readers.hpp"

namespace trueup::io::reading {

namespace {

struct AccessCol {
  enum : std::size_t { server_id, user, device_id };
};
constexpr ColumnSpec access_columns[] = {{"server_id", true}, {"user", false}, {"device_id", false}};

}  // namespace

void read_access(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                 Fleet& fleet, Diagnostics& out) {
  Table t(text, file, access_columns, out, separator);
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
    fleet.access.push_back(std::move(a));
  }
}

}  // namespace trueup::io::reading
