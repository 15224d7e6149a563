// SPDX-License-Identifier: BSL-1.0
// File: src/state/sqlite.hpp
//
// The state store's SQLite layer (private to trueup::state): the connection a Store and its
// Run share, statements, reading a row's columns back into model types, and SQLite failures as
// diagnostics. Every SQLite call is checked, and a failure becomes a diagnostic at the API
// boundary, its code saying what kind of failure it was (docs/state.md).
//
// Ordering rule: open rows are read with ORDER BY licence, device, user, from_date and matched
// against the caller's records sorted by the same key in C++ (`key`). The two orders agree
// because SQLite's BINARY collation and std::string both compare bytes as unsigned (memcmp), a
// NULL holder column sorts first as the empty string does, and ISO dates of years 0000–9999
// sort as their day numbers.
#pragma once

#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "trueup/state/store.hpp"

namespace trueup::state::detail {

/// One SQLite connection, shared by a Store and its active Run.
struct Connection {
  sqlite3* db = nullptr;
  std::string file;  // as given by the caller: the diagnostics' file
  std::chrono::milliseconds wait{0};
  bool read_only = false;
  bool in_run = false;  // a Run holds the write transaction

  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close_v2(db); }  // an open transaction is rolled back by SQLite
};

// The dates a state file can hold: ISO text with a four-digit year.
inline constexpr Date first_date = Date::from_ymd(0, 1, 1);
inline constexpr Date last_date = Date::from_ymd(9999, 12, 31);
inline bool storable(Date d) { return first_date <= d && d <= last_date; }

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

inline Diagnostic diagnostic(const Connection& c, std::string code, std::string message) {
  return Diagnostic{Severity::error, c.file, 0, 0, std::move(code), std::move(message)};
}
inline Diagnostics failure(const Connection& c, std::string code, std::string message) {
  return {diagnostic(c, std::move(code), std::move(message))};
}

// A failed SQLite call, while `doing` (an infinitive: "expected to <doing>").
Diagnostics sqlite_failure(const Connection& c, int rc, std::string_view doing);

inline int exec(const Connection& c, const char* sql) { return sqlite3_exec(c.db, sql, nullptr, nullptr, nullptr); }

inline int prepare(const Connection& c, std::string_view sql, Statement& out) {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(c.db, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  out.reset(s);
  return rc;
}

inline void bind_text(sqlite3_stmt* s, int index, std::string_view text) {
  // SQLITE_STATIC: every bound text outlives the step that reads it. A null data pointer would
  // bind NULL, not the empty text.
  sqlite3_bind_text(s, index, text.data() != nullptr ? text.data() : "", static_cast<int>(text.size()), SQLITE_STATIC);
}
inline void bind_text_or_null(sqlite3_stmt* s, int index, std::string_view text) {
  if (text.empty())
    sqlite3_bind_null(s, index);
  else
    bind_text(s, index, text);
}

inline std::string_view column_text(sqlite3_stmt* s, int index) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, index));
  if (p == nullptr) return {};
  return {p, static_cast<std::size_t>(sqlite3_column_bytes(s, index))};
}

// Reads one row's fields back into model types, or says which column is damaged.
class RowReader {
 public:
  RowReader(const Connection& c, sqlite3_stmt* s) : c_(c), s_(s) {}

  std::optional<Date> date(int index, std::string_view column) {
    const std::string_view text = column_text(s_, index);
    auto d = Date::parse(text);
    if (!d) bad(column, "a date YYYY-MM-DD", text);
    return d;
  }
  std::optional<AssignmentReason> reason(int index) {
    const std::string_view text = column_text(s_, index);
    auto r = parse<AssignmentReason>(text);
    if (!r) bad("assignments.reason", "an assignment reason", text);
    return r;
  }
  [[nodiscard]] bool ok() const { return !error_; }
  [[nodiscard]] Diagnostics error() const { return *error_; }

 private:
  void bad(std::string_view column, std::string_view expected, std::string_view found) {
    if (!error_)
      error_ =
          failure(c_, "state-corrupt", fmt::format("column `{}`: expected {}, found \"{}\"", column, expected, found));
  }
  const Connection& c_;
  sqlite3_stmt* s_;
  std::optional<Diagnostics> error_;
};

/// The columns every assignment row is read with, from column `first` on: licence, device,
/// user, units, from_date, reason (a HistoryEntry or a LicenceAssignment).
template <class Holding>
void read_holding(sqlite3_stmt* s, int first, RowReader& read, Holding& h) {
  h.licence = column_text(s, first);
  h.device = column_text(s, first + 1);
  h.user = column_text(s, first + 2);
  h.units = sqlite3_column_int64(s, first + 3);
  h.from = read.date(first + 4, "assignments.from_date").value_or(Date{});
  h.reason = read.reason(first + 5).value_or(AssignmentReason::initial);
}

// The order of open rows, and the identity of an open row.
inline auto key(const LicenceAssignment& a) { return std::tie(a.licence, a.device, a.user, a.from); }
inline bool same_row(const LicenceAssignment& a, const LicenceAssignment& b) {
  return key(a) == key(b) && a.units == b.units && a.reason == b.reason;
}

/// Now, UTC, as `YYYY-MM-DDTHH:MM:SSZ`: when a run was recorded.
std::string utc_now();

}  // namespace trueup::state::detail
