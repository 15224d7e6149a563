// SPDX-License-Identifier: BSL-1.0
// File: src/state/schema.cpp
//
// Opening a state file (docs/state.md): checking that it is a trueup state file of a schema
// this build reads, and migrating an older one. A file is recognised by its header alone
// (application id, schema version, number of schema objects), so another application's SQLite
// database is refused before anything is read or written. Read-only still opens for writing
// when the file allows it, so that SQLite can roll back the journal a killed run left behind.
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "sqlite.hpp"
#include "trueup/state/store.hpp"

namespace trueup::state {

using namespace detail;  // the SQLite layer, sqlite.hpp

namespace {

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
    // Step 0 → 1 sets the application id and version 1 in one transaction: trueup's id with a
    // version below 1 is a header edited or damaged since, never a file trueup wrote.
    if (h.version < 1)
      return failure(c, "state-corrupt",
                     fmt::format("expected a state file of schema version 1 to {}, found trueup's "
                                 "application id with schema version {} (a damaged or hand-edited header)",
                                 schema_version, h.version));
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
      const std::string sql = fmt::format("{}\nPRAGMA application_id = {};\nPRAGMA user_version = {};",
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

}  // namespace

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
  sqlite3_busy_timeout(c->db,
                       static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(options.wait.count(), 0, INT_MAX)));

  Header h;
  rc = read_header(*c, h);
  if (rc != SQLITE_OK) return sqlite_failure(*c, rc, "read the file's header");
  auto version = schema_of(*c, h);
  if (!version) return version.error();

  // Rollback journal with synchronous=FULL (docs/state.md, "Journal mode"): one file, durable
  // commits, and a killed run leaves a journal that the next open rolls back.
  const char* pragmas = options.read_only ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON;"
                                          : "PRAGMA foreign_keys = ON; PRAGMA journal_mode = DELETE;"
                                            " PRAGMA synchronous = FULL;";
  rc = exec(*c, pragmas);
  if (rc != SQLITE_OK) return sqlite_failure(*c, rc, "configure the connection");

  if (*version < schema_version) {
    if (options.read_only) {
      if (*version == 0) return failure(*c, "state-not-trueup", "expected a trueup state file, found an empty file");
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

}  // namespace trueup::state
