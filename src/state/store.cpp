// SPDX-License-Identifier: BSL-1.0
// File: src/state/store.cpp
//
// The state store on SQLite (docs/state.md). Every SQLite call is checked, and a failure
// becomes a diagnostic at the API boundary; an open write transaction is rolled back on every
// path that does not reach COMMIT.
//
// Ordering rule: open rows are read with ORDER BY licence, device, user, from_date and matched
// against the caller's records sorted by the same key in C++. The two orders agree because
// SQLite's BINARY collation and std::string both compare bytes as unsigned (memcmp), a NULL
// holder column sorts first as the empty string does, and ISO dates of years 0000–9999 sort as
// their day numbers.
#include "trueup/state/store.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <climits>
#include <compare>
#include <iterator>
#include <limits>
#include <system_error>
#include <tuple>
#include <utility>

namespace trueup::state {

namespace detail {

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

}  // namespace detail

namespace {

using detail::Connection;

// "trup": marks a state file in its header (PRAGMA application_id), so that another
// application's SQLite database is never mistaken for one.
constexpr std::int32_t application_id = 0x74727570;

// The schema migrations: migrations[v] takes a file from version v to v + 1, in one
// transaction that also sets user_version. Version 0 is a file without any schema object (a new
// or empty file). Append-only: a shipped step is never edited, a new layout is a new entry and a
// new schema_version.
//
// Layout choices measured at 1M rows: assignments_open holds every column that reading the open
// rows names (to_date too, though always NULL there) so that SQLite reads that index alone; the
// reason CHECK is a chain of ORs because as `reason IN (...)` SQLite 3.40 spent about 3 µs a row
// on it, tripling the cost of an insert.
constexpr std::array<std::string_view, 1> migrations = {
    // 0 → 1: runs and the assignment rows they opened and closed.
    R"sql(
CREATE TABLE runs(
  id          INTEGER PRIMARY KEY,
  as_of       TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  label       TEXT NOT NULL,
  assignments INTEGER NOT NULL
);
CREATE TABLE assignments(
  id        INTEGER PRIMARY KEY,
  licence   TEXT NOT NULL,
  device    TEXT,
  user      TEXT,
  units     INTEGER NOT NULL CHECK (units > 0),
  from_date TEXT NOT NULL,
  to_date   TEXT,
  reason    TEXT NOT NULL CHECK (reason = 'initial' OR reason = 'reassigned' OR
                                 reason = 'hardware-failure' OR reason = 'user-left'),
  opened_by INTEGER NOT NULL REFERENCES runs(id),
  closed_by INTEGER REFERENCES runs(id),
  CHECK ((device IS NULL) <> (user IS NULL)),
  CHECK ((to_date IS NULL) = (closed_by IS NULL))
);
CREATE INDEX assignments_by_licence ON assignments(licence);
CREATE INDEX assignments_by_device ON assignments(device) WHERE device IS NOT NULL;
CREATE INDEX assignments_by_user ON assignments(user) WHERE user IS NOT NULL;
CREATE INDEX assignments_open ON assignments(licence, device, user, from_date, units, reason, to_date)
  WHERE to_date IS NULL;
)sql",
};
static_assert(migrations.size() == schema_version, "one migration step per schema version");

// The dates a state file can hold: ISO text with a four-digit year.
constexpr Date first_date = Date::from_ymd(0, 1, 1);
constexpr Date last_date = Date::from_ymd(9999, 12, 31);
bool storable(Date d) { return first_date <= d && d <= last_date; }

struct StatementDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

Diagnostic diagnostic(const Connection& c, std::string code, std::string message) {
  return Diagnostic{Severity::error, c.file, 0, 0, std::move(code), std::move(message)};
}
Diagnostics failure(const Connection& c, std::string code, std::string message) {
  return {diagnostic(c, std::move(code), std::move(message))};
}

// A failed SQLite call, while `doing` (an infinitive: "expected to <doing>").
Diagnostics sqlite_failure(const Connection& c, int rc, std::string_view doing) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return failure(c, "state-busy",
                     fmt::format("expected to {}, found the file locked by another process after "
                                 "waiting {} ms",
                                 doing, c.wait.count()));
    case SQLITE_CANTOPEN:
      return failure(c, "state-open",
                     fmt::format("expected to {}, found the file cannot be opened: {}", doing,
                                 c.db != nullptr ? sqlite3_errmsg(c.db) : sqlite3_errstr(rc)));
    case SQLITE_NOTADB:
      return failure(c, "state-not-trueup",
                     "expected a trueup state file, found a file that is not an SQLite database");
    case SQLITE_CORRUPT:
      return failure(c, "state-corrupt",
                     fmt::format("expected to {}, found a damaged file: {}", doing,
                                 c.db != nullptr ? sqlite3_errmsg(c.db) : sqlite3_errstr(rc)));
    default:
      return failure(c, "state-io",
                     fmt::format("expected to {}, found an SQLite error: {}", doing,
                                 c.db != nullptr ? sqlite3_errmsg(c.db) : sqlite3_errstr(rc)));
  }
}

int exec(const Connection& c, const char* sql) { return sqlite3_exec(c.db, sql, nullptr, nullptr, nullptr); }

int prepare(const Connection& c, std::string_view sql, Statement& out) {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(c.db, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  out.reset(s);
  return rc;
}

void bind_text(sqlite3_stmt* s, int index, std::string_view text) {
  // SQLITE_STATIC: every bound text outlives the step that reads it. A null data pointer would
  // bind NULL, not the empty text.
  sqlite3_bind_text(s, index, text.data() != nullptr ? text.data() : "", static_cast<int>(text.size()),
                    SQLITE_STATIC);
}
void bind_text_or_null(sqlite3_stmt* s, int index, std::string_view text) {
  if (text.empty())
    sqlite3_bind_null(s, index);
  else
    bind_text(s, index, text);
}

std::string_view column_text(sqlite3_stmt* s, int index) {
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
    auto r = parse_assignment_reason(text);
    if (!r) bad("assignments.reason", "an assignment reason", text);
    return r;
  }
  [[nodiscard]] bool ok() const { return !error_; }
  [[nodiscard]] Diagnostics error() const { return *error_; }

 private:
  void bad(std::string_view column, std::string_view expected, std::string_view found) {
    if (!error_)
      error_ = failure(c_, "state-corrupt",
                       fmt::format("column `{}`: expected {}, found \"{}\"", column, expected, found));
  }
  const Connection& c_;
  sqlite3_stmt* s_;
  std::optional<Diagnostics> error_;
};

// The order of open rows, and the identity of an open row.
auto key(const LicenceAssignment& a) { return std::tie(a.licence, a.device, a.user, a.from); }
bool same_row(const LicenceAssignment& a, const LicenceAssignment& b) {
  return key(a) == key(b) && a.units == b.units && a.reason == b.reason;
}

std::string utc_now() {
  using namespace std::chrono;
  const auto now = floor<seconds>(system_clock::now());
  const auto today = floor<days>(now);
  const hh_mm_ss time{now - today};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Date{static_cast<std::int32_t>(today.time_since_epoch().count())}.iso(),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

// What the header says about the file: its application id, schema version, schema objects.
struct Header {
  std::int64_t application = 0;
  std::int64_t version = 0;
  std::int64_t objects = 0;
};

int read_header(const Connection& c, Header& out) {
  Statement s;
  int rc = prepare(c,
                   "SELECT (SELECT application_id FROM pragma_application_id),"
                   " (SELECT user_version FROM pragma_user_version),"
                   " (SELECT count(*) FROM sqlite_schema)",
                   s);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(s.get());
  if (rc != SQLITE_ROW) return rc;
  out = {sqlite3_column_int64(s.get(), 0), sqlite3_column_int64(s.get(), 1), sqlite3_column_int64(s.get(), 2)};
  return SQLITE_OK;
}

// The file's schema version, or a diagnostic when it is not a trueup state file.
Result<std::int64_t> schema_of(const Connection& c, const Header& h) {
  if (h.application == application_id) {
    if (h.version > schema_version)
      return failure(c, "state-too-new",
                     fmt::format("expected a state file of schema version {} or older (what this "
                                 "trueup reads), found version {}: written by a newer trueup",
                                 schema_version, h.version));
    return h.version;
  }
  if (h.application == 0 && h.version == 0 && h.objects == 0) return std::int64_t{0};  // empty
  if (h.application != 0)
    return failure(c, "state-not-trueup",
                   fmt::format("expected a trueup state file, found an SQLite database of another "
                               "application (application_id {:#010x})",
                               static_cast<std::uint32_t>(h.application)));
  return failure(c, "state-not-trueup",
                 fmt::format("expected a trueup state file, found an SQLite database that trueup "
                             "did not create ({} schema objects)",
                             h.objects));
}

// Applies migrations[from..] one transaction each. Each step re-reads the version under the
// write lock: a second process may have migrated the file since it was opened.
Result<bool> migrate(const Connection& c, std::int64_t from) {
  for (std::int64_t v = from; v < schema_version; ++v) {
    const std::string doing = fmt::format("migrate the file to schema version {}", v + 1);
    int rc = exec(c, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
    auto rollback = [&](Diagnostics d) {
      exec(c, "ROLLBACK");
      return Result<bool>(std::move(d));
    };
    Header h;
    rc = read_header(c, h);
    if (rc != SQLITE_OK) return rollback(sqlite_failure(c, rc, doing));
    auto now = schema_of(c, h);
    if (!now) return rollback(now.error());
    if (*now == v) {
      const std::string sql =
          fmt::format("{}\nPRAGMA application_id = {};\nPRAGMA user_version = {};",
                      migrations[static_cast<std::size_t>(v)], application_id, v + 1);
      rc = exec(c, sql.c_str());
      if (rc != SQLITE_OK) return rollback(sqlite_failure(c, rc, doing));
    }
    rc = exec(c, "COMMIT");
    if (rc != SQLITE_OK) return rollback(sqlite_failure(c, rc, doing));
    if (*now > v) v = *now - 1;
  }
  return true;
}

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

// --- Store -------------------------------------------------------------------------------------

Store::Store(std::shared_ptr<detail::Connection> connection) : c_(std::move(connection)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Result<Store> Store::open(const std::filesystem::path& file, OpenOptions options) {
  auto c = std::make_shared<Connection>();
  c->file = file.string();
  c->wait = options.wait;
  c->read_only = options.read_only;

  // Read-only still opens for writing when the file allows it, so that SQLite can roll back
  // the journal a killed run left behind; query_only then forbids every write.
  const int flags = SQLITE_OPEN_READWRITE | (options.read_only ? 0 : SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(c->file.c_str(), &c->db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::error_code ec;
    const bool exists = std::filesystem::exists(file, ec);
    const std::string why = c->db != nullptr ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
    if (!exists && options.read_only)
      return failure(*c, "state-open", "expected an existing state file, found no file");
    return failure(*c, "state-open",
                   fmt::format("expected a state file that can be opened{}, found: {}",
                               options.read_only ? "" : " or created", why));
  }
  sqlite3_extended_result_codes(c->db, 1);
  sqlite3_busy_timeout(c->db, static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
                                  options.wait.count(), 0, INT_MAX)));

  Header h;
  rc = read_header(*c, h);
  if (rc != SQLITE_OK) return sqlite_failure(*c, rc, "read the file's header");
  auto version = schema_of(*c, h);
  if (!version) return version.error();

  // Rollback journal with synchronous=FULL (docs/state.md, "Journal mode"): one file, durable
  // commits, and a killed run leaves a journal that the next open rolls back.
  const char* pragmas = options.read_only
                            ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
                            : "PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE;"
                              " PRAGMA synchronous = FULL;";
  rc = exec(*c, pragmas);
  if (rc != SQLITE_OK) return sqlite_failure(*c, rc, "configure the connection");

  if (*version < schema_version) {
    if (options.read_only) {
      if (*version == 0)
        return failure(*c, "state-not-trueup", "expected a trueup state file, found an empty file");
      return failure(*c, "state-too-old",
                     fmt::format("expected a state file of schema version {}, found version {}: "
                                 "a read-write open migrates it",
                                 schema_version, *version));
    }
    auto migrated = migrate(*c, *version);
    if (!migrated) return migrated.error();
  }
  return Store(std::move(c));
}

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
    : c_(std::move(connection)), current_(std::move(current)), row_ids_(std::move(row_ids)),
      last_as_of_(last_as_of) {}

Run::Run(Run&& other) noexcept
    : c_(std::move(other.c_)), current_(std::move(other.current_)), row_ids_(std::move(other.row_ids_)),
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
    out.push_back(diagnostic(c, "state-bad-assignment",
                             fmt::format("assignment {} (licence \"{}\", {}): {}", index + 1, a.licence,
                                         holder_text(a), what)));
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
    return failure(c, "state-bad-as-of",
                   fmt::format("expected an as-of date in the years 0000-9999, found day {} after 1970-01-01",
                               as_of.days));
  if (last_as_of_ && as_of < *last_as_of_)
    return failure(c, "state-as-of-earlier",
                   fmt::format("expected an as-of date on or after {} (the last recorded run's): history "
                               "moves forward, found {}",
                               last_as_of_->iso(), as_of.iso()));

  // The records in key order: a pass when they come sorted (as current() is), a sort otherwise.
  std::vector<const LicenceAssignment*> sorted(assignments.size());
  for (std::size_t i = 0; i < assignments.size(); ++i) sorted[i] = &assignments[i];
  auto by_key = [](const LicenceAssignment* a, const LicenceAssignment* b) { return key(*a) < key(*b); };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) std::stable_sort(sorted.begin(), sorted.end(), by_key);
  if (auto problems = check_records(c, as_of, assignments, sorted); !problems.empty()) return problems;

  // The plan: the open rows to close and the records to insert, from one merge of the two sets
  // in key order. A row whose key stays but whose units or reason change is closed and inserted.
  std::vector<std::size_t> closes;  // indices into current_
  std::vector<const LicenceAssignment*> inserts;
  for (std::size_t i = 0, j = 0; i < current_.size() || j < sorted.size();) {
    const std::strong_ordering order = i == current_.size() ? std::strong_ordering::greater
                                       : j == sorted.size() ? std::strong_ordering::less
                                                            : key(current_[i]) <=> key(*sorted[j]);
    if (order < 0) {
      closes.push_back(i++);
    } else if (order > 0) {
      inserts.push_back(sorted[j++]);
    } else if (same_row(current_[i], *sorted[j])) {
      ++i, ++j;  // kept: untouched
    } else {
      closes.push_back(i++);
      inserts.push_back(sorted[j++]);
    }
  }

  constexpr std::string_view doing = "record the run";
  auto recreate = drop_indexes_for_bulk_insert(c, inserts.size());
  if (!recreate) return recreate.error();

  const std::string as_of_text = as_of.iso();
  std::int64_t run_id = 0;
  const std::string recorded_at = utc_now();
  {
    Statement s;
    int rc = prepare(c, "INSERT INTO runs(as_of, recorded_at, label, assignments) VALUES (?1, ?2, ?3, ?4)", s);
    if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
    bind_text(s.get(), 1, as_of_text);
    bind_text(s.get(), 2, recorded_at);
    bind_text(s.get(), 3, label);
    sqlite3_bind_int64(s.get(), 4, static_cast<sqlite3_int64>(assignments.size()));
    if ((rc = sqlite3_step(s.get())) != SQLITE_DONE) return sqlite_failure(c, rc, doing);
    run_id = sqlite3_last_insert_rowid(c.db);
  }

  Statement close;
  int rc = prepare(c, "UPDATE assignments SET to_date = ?1, closed_by = ?2 WHERE id = ?3", close);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
  bind_text(close.get(), 1, as_of_text);
  sqlite3_bind_int64(close.get(), 2, run_id);
  for (const std::size_t i : closes) {
    sqlite3_bind_int64(close.get(), 3, row_ids_[i]);
    rc = sqlite3_step(close.get());
    sqlite3_reset(close.get());
    if (rc != SQLITE_DONE) return sqlite_failure(c, rc, doing);
  }

  Statement insert;
  rc = prepare(c,
               "INSERT INTO assignments(licence, device, user, units, from_date, reason, opened_by)"
               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
               insert);
  if (rc != SQLITE_OK) return sqlite_failure(c, rc, doing);
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
    if (rc != SQLITE_DONE) return sqlite_failure(c, rc, doing);
  }

  for (const std::string& sql : *recreate) {
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
  return RunInfo{run_id, as_of, recorded_at, assignments.size(), std::string(label)};
}

}  // namespace trueup::state
