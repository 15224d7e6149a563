// SPDX-License-Identifier: BSL-1.0
// File: src/state/run.cpp
//
// Recording a run (docs/state.md): `Store::begin_run` takes the file's write lock and reads the
// open assignments; `Run::commit` checks the records it is given, merges them with the open
// rows in key order (sqlite.hpp: the ordering rule) and writes the difference, all in the one
// transaction the run holds. A refused commit, a failure, an exception or a destroyed Run
// rolls that transaction back: the file is exactly as it was.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sqlite.hpp"
#include "trueup/state/store.hpp"

namespace trueup::state {

using namespace detail;  // the SQLite layer, sqlite.hpp

// --- Store::begin_run ---------------------------------------------------------------------------

namespace {

/// SQLite's quick check of the whole file (every page and every record's format; it does not
/// compare the indexes with their tables): a damaged page that the open rows' index does not
/// touch would otherwise go unnoticed until `trueup history` read it, and a run would extend a
/// damaged history. Linear in the file's size; nullopt when the file passes.
std::optional<Diagnostics> quick_check(const Connection& c) {
  constexpr std::string_view doing = "check the file (SQLite's quick_check)";
  Statement s;
  int rc = prepare(c, "PRAGMA quick_check(5)", s);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
  std::string problems;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0));
    const std::string_view line = text != nullptr ? std::string_view(text) : std::string_view();
    if (line == "ok") continue;
    if (!problems.empty()) problems += "; ";
    for (const char ch : line) problems += ch == '\n' ? ' ' : ch;  // SQLite's lines, one message line
  }
  if (rc != SQLITE_DONE) return sqlite_failure(c, rc, doing);
  if (problems.empty()) return std::nullopt;
  return failure(
      c, "state-corrupt",
      "expected a file that passes SQLite's quick_check, found: " + problems + " (restore the file from a backup)");
}

}  // namespace

Result<Run> Store::begin_run() {
  TRUEUP_CHECK(c_ != nullptr, "the Store was moved from");
  Connection& c = *c_;
  TRUEUP_CHECK(!c.read_only, "begin_run needs a Store opened for writing");
  TRUEUP_CHECK(!c.in_run, "one run at a time per Store: commit or destroy the active Run first");

  int rc = exec(c, "BEGIN IMMEDIATE");
  if ((rc & 0xff) == SQLITE_BUSY)
    return failure(c, "state-busy",
                   fmt::format("expected to take the run lock, found another run holding it after "
                               "waiting {} ms",
                               c.wait.count()));
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, "start a run");
  auto rollback = [&](Diagnostics d) {
    exec(c, "ROLLBACK");
    return Result<Run>(std::move(d));
  };
  if (auto damaged = quick_check(c)) return rollback(std::move(*damaged));

  constexpr std::string_view doing = "read the open assignments";
  std::optional<Date> last;
  {
    Statement s;
    rc = prepare(c, "SELECT as_of FROM runs ORDER BY id DESC LIMIT 1", s);
    if (rc != SQLITE_OK) return rollback(sqlite_failure(c, rc, doing));
    rc = sqlite3_step(s.get());
    if (rc == SQLITE_ROW) {
      RowReader read(c, s.get());
      last = read.date(0, "runs.as_of");
      if (!read.ok()) return rollback(read.error());
    } else if (rc != SQLITE_DONE) {
      return rollback(sqlite_failure(c, rc, doing));
    }
  }

  std::vector<LicenceAssignment> current;
  std::vector<std::int64_t> ids;
  {
    Statement count;
    rc = prepare(c, "SELECT count(*) FROM assignments WHERE to_date IS NULL", count);
    if (rc != SQLITE_OK || (rc = sqlite3_step(count.get())) != SQLITE_ROW)
      return rollback(sqlite_failure(c, rc, doing));
    const auto n = static_cast<std::size_t>(sqlite3_column_int64(count.get(), 0));
    current.reserve(n);
    ids.reserve(n);
  }
  Statement s;
  // Reads the covering index assignments_open in its order: no sort, no table lookups.
  rc = prepare(c,
               "SELECT id, licence, device, user, units, from_date, reason FROM assignments"
               " WHERE to_date IS NULL ORDER BY licence, device, user, from_date",
               s);
  if (rc != SQLITE_OK) return rollback(sqlite_failure(c, rc, doing));
  RowReader read(c, s.get());
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    ids.push_back(sqlite3_column_int64(s.get(), 0));
    LicenceAssignment& a = current.emplace_back();
    read_holding(s.get(), 1, read, a);
    if (!read.ok()) return rollback(read.error());
    if (current.size() > 1 && !(key(current[current.size() - 2]) < key(a)))
      return rollback(failure(c, "state-corrupt",
                              fmt::format("expected one open row per licence, holder and from date, "
                                          "found two: licence \"{}\", holder \"{}{}\", from {}",
                                          a.licence, a.device, a.user, a.from.iso())));
  }
  if (rc != SQLITE_DONE) return rollback(sqlite_failure(c, rc, doing));

  c.in_run = true;
  return Run(c_, std::move(current), std::move(ids), last);
}

// --- Run ---------------------------------------------------------------------------------------

Run::Run(std::shared_ptr<detail::Connection> connection, std::vector<LicenceAssignment> current,
         std::vector<std::int64_t> row_ids, std::optional<Date> last_as_of)
    : c_(std::move(connection)), current_(std::move(current)), row_ids_(std::move(row_ids)), last_as_of_(last_as_of) {}

Run::Run(Run&& other) noexcept
    : c_(std::move(other.c_)),
      current_(std::move(other.current_)),
      row_ids_(std::move(other.row_ids_)),
      last_as_of_(other.last_as_of_) {}

Run& Run::operator=(Run&& other) noexcept {
  if (this != &other) {
    end();
    c_ = std::move(other.c_);
    current_ = std::move(other.current_);
    row_ids_ = std::move(other.row_ids_);
    last_as_of_ = other.last_as_of_;
  }
  return *this;
}

Run::~Run() { end(); }

void Run::end() noexcept {
  if (c_ == nullptr) return;
  if (sqlite3_get_autocommit(c_->db) == 0) exec(*c_, "ROLLBACK");
  c_->in_run = false;
  c_.reset();
}

namespace {

std::string holder_text(const LicenceAssignment& a) {
  if (!a.device.empty() && !a.user.empty()) return fmt::format("device \"{}\" and user \"{}\"", a.device, a.user);
  if (!a.device.empty()) return fmt::format("device \"{}\"", a.device);
  if (!a.user.empty()) return fmt::format("user \"{}\"", a.user);
  return "no holder";
}

// Every problem of the records, at most `limit` of them plus a count of the rest.
Diagnostics check_records(const Connection& c, Date as_of, std::span<const LicenceAssignment> records,
                          std::span<const LicenceAssignment* const> sorted) {
  constexpr std::size_t limit = 20;
  Diagnostics out;
  std::size_t problems = 0;
  auto bad = [&](const LicenceAssignment& a, std::string what) {
    if (++problems > limit) return;
    const auto index = static_cast<std::size_t>(&a - records.data());
    out.push_back(
        diagnostic(c, "state-bad-assignment",
                   fmt::format("assignment {} (licence \"{}\", {}): {}", index + 1, a.licence, holder_text(a), what)));
  };
  for (const LicenceAssignment& a : records) {
    if (a.licence.empty()) bad(a, "expected a licence id, found an empty one");
    if (a.device.empty() == a.user.empty())
      bad(a, fmt::format("expected exactly one of device and user, found {}", a.device.empty() ? "neither" : "both"));
    if (a.units <= 0) bad(a, fmt::format("expected units > 0, found {}", a.units));
    if (!storable(a.from))
      bad(a, fmt::format("expected a from date in the years 0000-9999, found day {} after 1970-01-01", a.from.days));
    else if (a.from > as_of)
      bad(a, fmt::format("expected a from date on or before the as-of date {}, found {}", as_of.iso(), a.from.iso()));
  }
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (key(*sorted[i - 1]) == key(*sorted[i]))
      bad(*sorted[i], fmt::format("expected one record per licence, holder and from date, found it again "
                                  "(assignment {})",
                                  static_cast<std::size_t>(sorted[i - 1] - records.data()) + 1));
  if (problems > limit)
    out.push_back(diagnostic(c, "state-bad-assignment",
                             fmt::format("expected valid assignments, found {} more problems", problems - limit)));
  return out;
}

// Before a bulk insert (many rows, more than the file holds): drops the indexes of the
// assignments table in the open transaction and returns the SQL that recreates them once the
// rows are in. Building an index by sorting its keys takes about half the time of inserting the
// same keys one by one in random order. Returns no SQL, and drops nothing, for other inserts.
Result<std::vector<std::string>> drop_indexes_for_bulk_insert(const Connection& c, std::size_t inserts) {
  constexpr std::size_t bulk = 10'000;
  constexpr std::string_view doing = "prepare a bulk insert";
  std::vector<std::string> recreate;
  if (inserts < bulk) return recreate;
  Statement s;
  int rc = prepare(c, "SELECT count(*) FROM assignments", s);
  if (rc != SQLITE_OK || (rc = sqlite3_step(s.get())) != SQLITE_ROW) return sqlite_failure(c, rc, doing);
  if (static_cast<std::size_t>(sqlite3_column_int64(s.get(), 0)) >= inserts) return recreate;

  std::vector<std::string> names;
  rc = prepare(c,
               "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'assignments'"
               " AND sql IS NOT NULL ORDER BY name",
               s);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    names.emplace_back(column_text(s.get(), 0));
    recreate.emplace_back(column_text(s.get(), 1));
  }
  if (rc != SQLITE_DONE) return sqlite_failure(c, rc, doing);
  s.reset();
  for (const std::string& index : names) {
    rc = exec(c, fmt::format("DROP INDEX \"{}\"", index).c_str());
    if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
  }
  return recreate;
}

/// The records in key order: a pass when they come sorted (as current() is), a sort otherwise.
std::vector<const LicenceAssignment*> in_key_order(std::span<const LicenceAssignment> assignments) {
  std::vector<const LicenceAssignment*> sorted(assignments.size());
  for (std::size_t i = 0; i < assignments.size(); ++i) sorted[i] = &assignments[i];
  auto by_key = [](const LicenceAssignment* a, const LicenceAssignment* b) { return key(*a) < key(*b); };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) std::stable_sort(sorted.begin(), sorted.end(), by_key);
  return sorted;
}

/// What a commit writes: the open rows to close and the records to insert.
struct Plan {
  std::vector<std::size_t> closes;  // indices into the open rows
  std::vector<const LicenceAssignment*> inserts;
};

// The plan, from one merge of the two sets in key order. A row whose key stays but whose units
// or reason change is closed and inserted; a row equal to a record is kept, untouched.
Plan plan_changes(const std::vector<LicenceAssignment>& open, const std::vector<const LicenceAssignment*>& sorted) {
  Plan plan;
  for (std::size_t i = 0, j = 0; i < open.size() || j < sorted.size();) {
    const std::strong_ordering order = i == open.size()     ? std::strong_ordering::greater
                                       : j == sorted.size() ? std::strong_ordering::less
                                                            : key(open[i]) <=> key(*sorted[j]);
    if (order < 0) {
      plan.closes.push_back(i++);
    } else if (order > 0) {
      plan.inserts.push_back(sorted[j++]);
    } else if (same_row(open[i], *sorted[j])) {
      ++i, ++j;  // kept: untouched
    } else {
      plan.closes.push_back(i++);
      plan.inserts.push_back(sorted[j++]);
    }
  }
  return plan;
}

constexpr std::string_view recording = "record the run";

/// The run's own row; returns its id.
Result<std::int64_t> insert_run(const Connection& c, const std::string& as_of_text, const std::string& recorded_at,
                                std::string_view label, std::size_t assignments) {
  Statement s;
  int rc = prepare(c, "INSERT INTO runs(as_of, recorded_at, label, assignments) VALUES (?1, ?2, ?3, ?4)", s);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, recording);
  bind_text(s.get(), 1, as_of_text);
  bind_text(s.get(), 2, recorded_at);
  bind_text(s.get(), 3, label);
  sqlite3_bind_int64(s.get(), 4, static_cast<sqlite3_int64>(assignments));
  if ((rc = sqlite3_step(s.get())) != SQLITE_DONE) return sqlite_failure(c, rc, recording);
  const std::int64_t run_id = sqlite3_last_insert_rowid(c.db);
  return run_id;
}

/// Closes the open rows `closes` (indices into `row_ids`) on the run's as-of date.
Result<bool> close_rows(const Connection& c, const std::string& as_of_text, std::int64_t run_id,
                        const std::vector<std::size_t>& closes, const std::vector<std::int64_t>& row_ids) {
  Statement close;
  int rc = prepare(c, "UPDATE assignments SET to_date = ?1, closed_by = ?2 WHERE id = ?3", close);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, recording);
  bind_text(close.get(), 1, as_of_text);
  sqlite3_bind_int64(close.get(), 2, run_id);
  for (const std::size_t i : closes) {
    sqlite3_bind_int64(close.get(), 3, row_ids[i]);
    rc = sqlite3_step(close.get());
    sqlite3_reset(close.get());
    if (rc != SQLITE_DONE) return sqlite_failure(c, rc, recording);
  }
  return true;
}

/// Opens a row for each of `inserts`, opened by the run.
Result<bool> insert_rows(const Connection& c, std::int64_t run_id,
                         const std::vector<const LicenceAssignment*>& inserts) {
  Statement insert;
  int rc = prepare(c,
                   "INSERT INTO assignments(licence, device, user, units, from_date, reason, opened_by)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   insert);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, recording);
  sqlite3_bind_int64(insert.get(), 7, run_id);
  Date last_from{std::numeric_limits<std::int32_t>::min()};
  std::string from_text;  // formatted once per change of date
  for (const LicenceAssignment* a : inserts) {
    bind_text(insert.get(), 1, a->licence);
    bind_text_or_null(insert.get(), 2, a->device);
    bind_text_or_null(insert.get(), 3, a->user);
    sqlite3_bind_int64(insert.get(), 4, a->units);
    if (a->from != last_from) {
      last_from = a->from;
      from_text = a->from.iso();
    }
    bind_text(insert.get(), 5, from_text);
    bind_text(insert.get(), 6, name(a->reason));
    rc = sqlite3_step(insert.get());
    sqlite3_reset(insert.get());
    if (rc != SQLITE_DONE) return sqlite_failure(c, rc, recording);
  }
  return true;
}

/// Rebuilds the indexes a bulk insert dropped, then commits the run's transaction.
Result<bool> rebuild_and_commit(const Connection& c, const std::vector<std::string>& recreate) {
  int rc = SQLITE_OK;
  for (const std::string& sql : recreate) {
    rc = exec(c, sql.c_str());
    if (rc != SQLITE_OK) return sqlite_failure(c, rc, "rebuild the indexes");
  }

  rc = exec(c, "COMMIT");
  if (rc != SQLITE_OK) {
    if ((rc & 0xff) == SQLITE_BUSY)
      return failure(c, "state-busy",
                     fmt::format("expected to commit the run, found readers holding the file after "
                                 "waiting {} ms",
                                 c.wait.count()));
    return sqlite_failure(c, rc, "commit the run");
  }
  return true;
}

}  // namespace

Result<RunInfo> Run::commit(Date as_of, std::span<const LicenceAssignment> assignments, std::string_view label) {
  TRUEUP_CHECK(c_ != nullptr, "commit needs an active Run (not committed, failed or moved from)");
  // The run ends here whatever happens: on every early return or exception, `ended` rolls back.
  struct Ender {
    Run& run;
    ~Ender() { run.end(); }
  } ended{*this};
  const Connection& c = *c_;

  if (!storable(as_of))
    return failure(
        c, "state-bad-as-of",
        fmt::format("expected an as-of date in the years 0000-9999, found day {} after 1970-01-01", as_of.days));
  if (last_as_of_ && as_of < *last_as_of_)
    return failure(c, "state-as-of-earlier",
                   fmt::format("expected an as-of date on or after {} (the last recorded run's): history "
                               "moves forward, found {}",
                               last_as_of_->iso(), as_of.iso()));

  const std::vector<const LicenceAssignment*> sorted = in_key_order(assignments);
  if (auto problems = check_records(c, as_of, assignments, sorted); !problems.empty()) return problems;
  const Plan plan = plan_changes(current_, sorted);

  auto recreate = drop_indexes_for_bulk_insert(c, plan.inserts.size());
  if (!recreate) return recreate.error();
  const std::string as_of_text = as_of.iso();
  const std::string recorded_at = utc_now();
  const auto run_id = insert_run(c, as_of_text, recorded_at, label, assignments.size());
  if (!run_id) return run_id.error();
  if (auto closed = close_rows(c, as_of_text, *run_id, plan.closes, row_ids_); !closed) return closed.error();
  if (auto inserted = insert_rows(c, *run_id, plan.inserts); !inserted) return inserted.error();
  if (auto committed = rebuild_and_commit(c, *recreate); !committed) return committed.error();
  return RunInfo{*run_id, as_of, recorded_at, assignments.size(), std::string(label)};
}

}  // namespace trueup::state
