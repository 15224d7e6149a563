// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_assignments.cpp
//
// assignments.csv (optional; docs/formats.md): where licences were assigned before, for the
// 90-day reassignment rule. History may name licences and devices no longer on file: such a
// row is a warning, never an error, and a row that cannot be applied is dropped whole. Ids
// are read back as `trueup reconcile --write-assignments` wrote them: its formula escape (a
// leading apostrophe, assignments_csv.cpp) is removed.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "fields.hpp"
#include "table_readers.hpp"

namespace trueup::io::reading {

namespace {

struct AssignmentCol {
  enum : std::size_t { licence_id, device_id, user, from, reason, units };
};
constexpr ColumnSpec assignment_columns[] = {{"licence_id", true}, {"device_id", false}, {"user", false},
                                             {"from", true},       {"reason", false},    {"units", false}};

/// A value as written before the writer's formula escape (assignments_csv.cpp): an apostrophe
/// in front of apostrophes and then `=`, `+`, `-`, `@`, a tab or a CR is removed.
std::string unescape_formula(std::string_view v) {
  const std::size_t i = v.find_first_not_of('\'');
  if (i == 0 || i == std::string_view::npos || std::string_view("=+-@\t\r").find(v[i]) == std::string_view::npos)
    return std::string(v);
  return std::string(v.substr(1));
}

}  // namespace

void read_assignments(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                      Fleet& fleet, Diagnostics& out) {
  Table t(text, file, assignment_columns, out, separator);
  std::unordered_set<std::string_view> licences;
  for (const Entitlement& e : fleet.entitlements) licences.insert(e.id);
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    LicenceAssignment a;
    a.line = t.line();
    bool ok = true;
    if (const auto id = required(t, AssignmentCol::licence_id)) {
      a.licence = unescape_formula(*id);
      // History may name licences no longer on file (sold, expired and removed): nothing to apply.
      if (licences.count(a.licence) == 0) {
        t.report(Severity::warning, AssignmentCol::licence_id, "unknown-licence",
                 "expected a licence_id listed in entitlements.csv, found " + quote_value(a.licence) +
                     "; the row is ignored");
        ok = false;
      }
    } else {
      ok = false;
    }
    a.device = unescape_formula(optional_text(t, AssignmentCol::device_id));
    a.user = unescape_formula(optional_text(t, AssignmentCol::user));
    if (a.device.empty() == a.user.empty()) {
      t.error(AssignmentCol::device_id, "bad-holder",
              "expected either a device_id or a user that held the licence, found " +
                  std::string(a.device.empty() ? "neither" : "both"));
      ok = false;
    } else if (!a.device.empty() && devices.known && devices.ids.find(a.device) == nullptr) {
      // A device removed from the inventory since: the licence was still assigned to it.
      t.report(Severity::warning, AssignmentCol::device_id, "unknown-device",
               "expected a device_id listed in " + std::string(devices.file) + ", found " + quote_value(a.device) +
                   "; the licence is taken to be still on a device no longer in the fleet");
    }
    if (const auto from = required(t, AssignmentCol::from)) {
      if (auto d = Date::parse(trim(*from)))
        a.from = *d;
      else {
        t.error(AssignmentCol::from, "bad-date",
                "expected a date YYYY-MM-DD, found " + quote_value(trim(*from)) + why_not_a_date(trim(*from)));
        ok = false;
      }
    } else {
      ok = false;
    }
    a.reason = optional_enum(t, AssignmentCol::reason, AssignmentReason::initial);
    if (const std::string_view v = t.value(AssignmentCol::units); !v.empty()) {
      const Bounded n = parse_bounded(v, limits::max_quantity);
      if (n.kind == Bounded::Kind::out_of_range)
        t.error(AssignmentCol::units, "out-of-range",
                "expected a whole number from 1 to " + std::to_string(limits::max_quantity) +
                    " (the limit of a licence record), found " + quote_value(v));
      else if (n.kind != Bounded::Kind::ok || n.value == 0)
        t.error(AssignmentCol::units, "bad-number", "expected a whole number > 0, found " + quote_value(v));
      a.units = n.kind == Bounded::Kind::ok && n.value > 0 ? n.value : 1;
    }
    if (ok) fleet.assignments.push_back(std::move(a));
  }
}

}  // namespace trueup::io::reading
