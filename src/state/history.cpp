// SPDX-License-Identifier: BSL-1.0
// File: src/state/history.cpp
//
// Reading a state file's history (docs/state.md): every row a licence, device or user ever
// had, and every recorded run. Each query is one statement, so it reads one consistent
// snapshot: the last committed run, never a run in progress. A row whose date or reason cannot
// be read back is `state-corrupt`, naming the column.
#include <fmt/format.h>
#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite.hpp"
#include "trueup/state/store.hpp"

namespace trueup::state {

using namespace detail;  // the SQLite layer, sqlite.hpp

namespace {

Result<std::vector<HistoryEntry>> history(const Connection& c, std::string_view column, std::string_view value) {
  const std::string doing = fmt::format("read the history of {} \"{}\"", column, value);
  Statement s;
  int rc = prepare(c,
                   fmt::format("SELECT licence, device, user, units, from_date, reason, to_date, opened_by,"
                               " closed_by FROM assignments WHERE {} = ?1"
                               " ORDER BY from_date, opened_by, licence, device, user, id",
                               column),
                   s);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
  bind_text(s.get(), 1, value);
  std::vector<HistoryEntry> out;
  RowReader read(c, s.get());
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    HistoryEntry& e = out.emplace_back();
    read_holding(s.get(), 0, read, e);
    if (sqlite3_column_type(s.get(), 6) != SQLITE_NULL) e.to = read.date(6, "assignments.to_date");
    e.opened_by_run = sqlite3_column_int64(s.get(), 7);
    if (sqlite3_column_type(s.get(), 8) != SQLITE_NULL) e.closed_by_run = sqlite3_column_int64(s.get(), 8);
    if (!read.ok()) return read.error();
  }
  if (rc != SQLITE_DONE) return sqlite_failure(c, rc, doing);
  return out;
}

}  // namespace

Result<std::vector<HistoryEntry>> Store::history_of_licence(std::string_view licence) const {
  TRUEUP_CHECK(c_ != nullptr, "the Store was moved from");
  return history(*c_, "licence", licence);
}
Result<std::vector<HistoryEntry>> Store::history_of_device(std::string_view device) const {
  TRUEUP_CHECK(c_ != nullptr, "the Store was moved from");
  return history(*c_, "device", device);
}
Result<std::vector<HistoryEntry>> Store::history_of_user(std::string_view user) const {
  TRUEUP_CHECK(c_ != nullptr, "the Store was moved from");
  return history(*c_, "user", user);
}

Result<std::vector<RunInfo>> Store::runs() const {
  TRUEUP_CHECK(c_ != nullptr, "the Store was moved from");
  const Connection& c = *c_;
  constexpr std::string_view doing = "read the runs";
  Statement s;
  int rc = prepare(c, "SELECT id, as_of, recorded_at, assignments, label FROM runs ORDER BY id", s);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
  std::vector<RunInfo> out;
  RowReader read(c, s.get());
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    RunInfo& r = out.emplace_back();
    r.id = sqlite3_column_int64(s.get(), 0);
    r.as_of = read.date(1, "runs.as_of").value_or(Date{});
    r.recorded_at = column_text(s.get(), 2);
    r.assignments = static_cast<std::size_t>(sqlite3_column_int64(s.get(), 3));
    r.label = column_text(s.get(), 4);
    if (!read.ok()) return read.error();
  }
  if (rc != SQLITE_DONE) return sqlite_failure(c, rc, doing);
  return out;
}

}  // namespace trueup::state
