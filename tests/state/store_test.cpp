// SPDX-License-Identifier: BSL-1.0
// File: tests/state/store_test.cpp
//
// The state store (trueup/state/store.hpp, docs/state.md): runs recorded as a timeline, the
// refusals that write nothing, files that are not (or not yet, or no longer) ours, a second
// connection waiting then refusing, and processes killed in the middle of a run. Every test uses
// its own file under the temporary directory, removed afterwards. Files are inspected and
// damaged with the SQLite C API directly, as a user would with the sqlite3 shell.
#include "trueup/state/store.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace fs = std::filesystem;
using trueup::AssignmentReason;
using trueup::Date;
using trueup::LicenceAssignment;
using trueup::state::HistoryEntry;
using trueup::state::OpenOptions;
// Inside a TEST body `Run` names testing::Test::Run: the store's run goes by another name here.
using StateRun = trueup::state::Run;
using testing::HasSubstr;
using trueup::state::RunInfo;
using trueup::state::Store;

Date day(int y, unsigned m, unsigned d) { return Date::from_ymd(y, m, d); }

LicenceAssignment on_device(std::string licence, std::string device, Date from, trueup::Units units = 1,
                            AssignmentReason reason = AssignmentReason::initial) {
  return {std::move(licence), std::move(device), "", units, from, reason, 0};
}
LicenceAssignment on_user(std::string licence, std::string user, Date from, trueup::Units units = 1,
                          AssignmentReason reason = AssignmentReason::initial) {
  return {std::move(licence), "", std::move(user), units, from, reason, 0};
}

/// A state file path unique to this process and test, removed (with SQLite's journal) at the end.
class TempFile {
 public:
  TempFile() {
    static std::atomic<int> counter{0};
    std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(test.begin(), test.end(), '/', '-');  // parameterised tests: Name/0
    path_ = fs::temp_directory_path() /
            ("trueup-state-" + std::to_string(::getpid()) + "-" + test + "-" + std::to_string(counter++) + ".db");
    remove();
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { remove(); }
  [[nodiscard]] const fs::path& path() const { return path_; }
  [[nodiscard]] std::string str() const { return path_.string(); }
  [[nodiscard]] fs::path journal() const { return path_.string() + "-journal"; }

 private:
  void remove() const {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove_all(path_.string() + suffix, ec);
  }
  fs::path path_;
};

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The file through the C API, as the sqlite3 shell sees it.
class Raw {
 public:
  explicit Raw(const fs::path& p) {
    if (sqlite3_open_v2(p.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
      ADD_FAILURE() << "cannot open " << p;
  }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  ~Raw() { sqlite3_close(db_); }

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) ADD_FAILURE() << sql << ": " << error;
    sqlite3_free(error);
  }
  /// The rows of a query, columns separated by `|` (NULL printed as `NULL`), as the shell prints them.
  std::vector<std::string> rows(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(s); ++i) {
        if (i > 0) row += '|';
        const auto* t = sqlite3_column_text(s, i);
        row += t != nullptr ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out.push_back(row);
    }
    sqlite3_finalize(s);
    return out;
  }
  std::string one(const std::string& sql) {
    auto r = rows(sql);
    return r.empty() ? "" : r.front();
  }

 private:
  sqlite3* db_ = nullptr;
};

Store open_ok(const TempFile& f, OpenOptions options = {}) {
  auto s = Store::open(f.path(), options);
  if (!s) {
    for (const auto& d : s.error()) ADD_FAILURE() << to_string(d);
    throw std::runtime_error("cannot open the store");
  }
  return std::move(s).value();
}

StateRun begin_ok(Store& store) {
  auto r = store.begin_run();
  if (!r) {
    for (const auto& d : r.error()) ADD_FAILURE() << to_string(d);
    throw std::runtime_error("cannot begin a run");
  }
  return std::move(r).value();
}

RunInfo commit_ok(StateRun& run, Date as_of, const std::vector<LicenceAssignment>& held, std::string_view label = "") {
  auto info = run.commit(as_of, held, label);
  if (!info) {
    for (const auto& d : info.error()) ADD_FAILURE() << to_string(d);
    throw std::runtime_error("cannot commit");
  }
  return *info;
}

/// Records one run on the file: open, begin, commit, close.
RunInfo record(const TempFile& f, Date as_of, const std::vector<LicenceAssignment>& held, std::string_view label = "") {
  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  return commit_ok(run, as_of, held, label);
}

std::vector<LicenceAssignment> sorted(std::vector<LicenceAssignment> v) {
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return std::tie(a.licence, a.device, a.user, a.from) < std::tie(b.licence, b.device, b.user, b.from);
  });
  return v;
}

/// `code: message` of every diagnostic, checking that each names the file as given.
std::vector<std::string> texts(const trueup::Diagnostics& ds, const TempFile& f) {
  std::vector<std::string> out;
  for (const auto& d : ds) {
    EXPECT_EQ(d.file, f.str());
    EXPECT_EQ(d.severity, trueup::Severity::error);
    out.push_back(d.code + ": " + d.message);
  }
  return out;
}

/// Everything a run can read back, to compare a file before and after.
struct Snapshot {
  std::vector<LicenceAssignment> current;
  std::optional<Date> last_as_of;
  std::vector<RunInfo> runs;
  std::vector<HistoryEntry> history;

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

Snapshot snapshot(const TempFile& f, std::string_view licence) {
  Store store = open_ok(f);
  Snapshot s;
  s.runs = store.runs().value();
  s.history = store.history_of_licence(licence).value();
  StateRun run = begin_ok(store);
  s.current = run.current();
  s.last_as_of = run.last_as_of();
  return s;
}

// --- Creating, reopening, recording ---------------------------------------------------------

TEST(StateStore, NewFileIsCreatedAtTheCurrentSchemaVersion) {
  TempFile f;
  Store store = open_ok(f);
  EXPECT_TRUE(fs::exists(f.path()));
  EXPECT_THAT(store.runs().value(), testing::IsEmpty());
  StateRun run = begin_ok(store);
  EXPECT_THAT(run.current(), testing::IsEmpty());
  EXPECT_EQ(run.last_as_of(), std::nullopt);

  Raw raw(f.path());
  EXPECT_EQ(raw.one("PRAGMA user_version"), "1");
  EXPECT_EQ(raw.one("PRAGMA application_id"), std::to_string(0x74727570));
  EXPECT_EQ(raw.one("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(raw.rows("SELECT name FROM sqlite_schema ORDER BY name"),
            (std::vector<std::string>{"assignments", "assignments_by_device", "assignments_by_licence",
                                      "assignments_by_user", "assignments_open", "runs"}));
}

TEST(StateStore, ReopenedFileGivesBackTheCommittedAssignmentsSorted) {
  TempFile f;
  const std::vector<LicenceAssignment> held = {
      on_user("M365-E3", "alice", day(2025, 1, 6)),
      on_device("WIN-OEM-7", "PC-0002", day(2024, 3, 1), 1, AssignmentReason::hardware_failure),
      on_device("OFFICE-VL-1", "PC-0001", day(2023, 9, 1), 1, AssignmentReason::reassigned),
      on_device("SQL-CORES", "SRV-01", day(2022, 5, 17), 16),
      on_device("OFFICE-VL-1", "PC-0001", day(2022, 1, 1)),  // same licence and device, earlier from
  };
  const RunInfo info = record(f, day(2025, 6, 30), held, "June true-up");
  EXPECT_EQ(info.id, 1);
  EXPECT_EQ(info.as_of, day(2025, 6, 30));
  EXPECT_EQ(info.assignments, 5u);
  EXPECT_EQ(info.label, "June true-up");
  EXPECT_THAT(info.recorded_at, testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));

  Store store = open_ok(f);
  EXPECT_EQ(store.runs().value(), std::vector<RunInfo>{info});
  StateRun run = begin_ok(store);
  EXPECT_EQ(run.current(), sorted(held));
  EXPECT_EQ(run.last_as_of(), day(2025, 6, 30));

  // Readable with the sqlite3 shell: ISO dates, reason names, NULL for the other holder.
  Raw raw(f.path());
  EXPECT_EQ(raw.one("SELECT licence, device, user, units, from_date, to_date, reason, opened_by, closed_by"
                    " FROM assignments WHERE licence = 'M365-E3'"),
            "M365-E3|NULL|alice|1|2025-01-06|NULL|initial|1|NULL");
  EXPECT_EQ(raw.one("SELECT id, as_of, label, assignments FROM runs"), "1|2025-06-30|June true-up|5");
}

TEST(StateStore, CommitKeepsUnchangedRowsClosesRemovedOnesAndInsertsNewOnes) {
  TempFile f;
  const auto kept = on_device("L-1", "PC-1", day(2024, 1, 1));
  const auto removed = on_device("L-1", "PC-2", day(2024, 1, 1));
  const auto regrown = on_device("SQL", "SRV-1", day(2024, 2, 1), 8);
  const auto by_user = on_user("L-2", "bob", day(2024, 3, 1));
  record(f, day(2024, 6, 30), {kept, removed, regrown, by_user}, "first");

  Raw raw(f.path());
  const auto ids_before = raw.rows("SELECT id, licence, ifnull(device, user) FROM assignments ORDER BY id");
  ASSERT_EQ(ids_before.size(), 4u);

  // Run 2: `removed` is gone, the server's licence grows to 16 cores (same from), PC-3 is new,
  // bob's licence is given again with a different reason (a change, not a keep).
  auto grown = regrown;
  grown.units = 16;
  auto bob_again = by_user;
  bob_again.reason = AssignmentReason::reassigned;
  const auto added = on_device("L-1", "PC-3", day(2024, 9, 15), 1, AssignmentReason::reassigned);
  const RunInfo second = record(f, day(2024, 9, 30), {added, bob_again, grown, kept}, "second");
  EXPECT_EQ(second.id, 2);
  EXPECT_EQ(second.assignments, 4u);

  EXPECT_EQ(raw.rows("SELECT id, licence, ifnull(device, user), units, from_date, ifnull(to_date, 'now'),"
                     " reason, opened_by, ifnull(closed_by, '-') FROM assignments ORDER BY id"),
            (std::vector<std::string>{
                "1|L-1|PC-1|1|2024-01-01|now|initial|1|-",  // kept: same row, untouched
                "2|L-1|PC-2|1|2024-01-01|2024-09-30|initial|1|2",
                "3|L-2|bob|1|2024-03-01|2024-09-30|initial|1|2",
                "4|SQL|SRV-1|8|2024-02-01|2024-09-30|initial|1|2",
                "5|L-1|PC-3|1|2024-09-15|now|reassigned|2|-",
                "6|L-2|bob|1|2024-03-01|now|reassigned|2|-",
                "7|SQL|SRV-1|16|2024-02-01|now|initial|2|-",
            }));

  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  EXPECT_EQ(run.current(), sorted({kept, added, bob_again, grown}));
  EXPECT_EQ(run.last_as_of(), day(2024, 9, 30));
}

TEST(StateStore, SameSetAgainWritesOnlyTheRunRow) {
  TempFile f;
  const std::vector<LicenceAssignment> held = {on_device("L-1", "PC-1", day(2024, 1, 1)),
                                               on_user("L-2", "ann", day(2024, 1, 2))};
  record(f, day(2024, 6, 30), held);
  record(f, day(2024, 6, 30), held, "same day again");  // an equal as-of is allowed
  Raw raw(f.path());
  EXPECT_EQ(raw.one("SELECT count(*), max(opened_by), count(closed_by) FROM assignments"), "2|1|0");
  EXPECT_EQ(raw.one("SELECT count(*) FROM runs"), "2");
}

TEST(StateStore, EmptySetClosesEverything) {
  TempFile f;
  record(f, day(2024, 6, 30), {on_device("L-1", "PC-1", day(2024, 1, 1))});
  const RunInfo info = record(f, day(2024, 7, 31), {});
  EXPECT_EQ(info.assignments, 0u);
  Store store = open_ok(f);
  EXPECT_THAT(begin_ok(store).current(), testing::IsEmpty());
  const auto h = store.history_of_device("PC-1").value();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0].to, day(2024, 7, 31));
  EXPECT_EQ(h[0].closed_by_run, 2);
}

TEST(StateStore, HistoryOfLicenceDeviceAndUserAreTimelinesOldestFirst) {
  TempFile f;
  // Office L-1 moves from PC-1 to PC-2 (hardware failure) and then to PC-3; PC-1 gets L-9.
  // M365 U-1 goes from alice to bob when alice leaves.
  record(f, day(2024, 1, 31), {on_device("L-1", "PC-1", day(2023, 6, 1)), on_user("U-1", "alice", day(2023, 7, 1))},
         "jan");
  record(f, day(2024, 4, 30),
         {on_device("L-1", "PC-2", day(2024, 4, 2), 1, AssignmentReason::hardware_failure),
          on_user("U-1", "bob", day(2024, 3, 1), 1, AssignmentReason::user_left),
          on_device("L-9", "PC-1", day(2024, 4, 20))},
         "apr");
  record(f, day(2024, 9, 30),
         {on_device("L-1", "PC-3", day(2024, 8, 1), 1, AssignmentReason::reassigned),
          on_user("U-1", "bob", day(2024, 3, 1), 1, AssignmentReason::user_left),
          on_device("L-9", "PC-1", day(2024, 4, 20))},
         "sep");

  Store store = open_ok(f);
  using R = AssignmentReason;
  EXPECT_EQ(store.history_of_licence("L-1").value(),
            (std::vector<HistoryEntry>{
                {"L-1", "PC-1", "", 1, day(2023, 6, 1), day(2024, 4, 30), R::initial, 1, 2},
                {"L-1", "PC-2", "", 1, day(2024, 4, 2), day(2024, 9, 30), R::hardware_failure, 2, 3},
                {"L-1", "PC-3", "", 1, day(2024, 8, 1), std::nullopt, R::reassigned, 3, std::nullopt},
            }));
  EXPECT_EQ(store.history_of_device("PC-1").value(),
            (std::vector<HistoryEntry>{
                {"L-1", "PC-1", "", 1, day(2023, 6, 1), day(2024, 4, 30), R::initial, 1, 2},
                {"L-9", "PC-1", "", 1, day(2024, 4, 20), std::nullopt, R::initial, 2, std::nullopt},
            }));
  EXPECT_EQ(store.history_of_user("bob").value(),
            (std::vector<HistoryEntry>{
                {"U-1", "", "bob", 1, day(2024, 3, 1), std::nullopt, R::user_left, 2, std::nullopt},
            }));
  EXPECT_EQ(store.history_of_licence("U-1").value().size(), 2u);
  EXPECT_THAT(store.history_of_user("nobody").value(), testing::IsEmpty());
  // A device id is not a user name: the two columns are never mixed.
  EXPECT_THAT(store.history_of_user("PC-1").value(), testing::IsEmpty());

  const auto runs = store.runs().value();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].label, "jan");
  EXPECT_EQ(runs[1].as_of, day(2024, 4, 30));
  EXPECT_EQ(runs[2].assignments, 3u);
}

TEST(StateStore, RandomRunsAgreeWithASetModel) {
  // Ten runs of random keeps, drops, changes and additions on a few hundred rows: after each,
  // current() is the set committed, every row that left is closed on that run's date, and the
  // open rows in the file are exactly the committed set.
  TempFile f;
  std::mt19937_64 rng(20241122);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  std::vector<LicenceAssignment> held;
  Date as_of = day(2024, 1, 31);
  for (int r = 1; r <= 10; ++r) {
    std::vector<LicenceAssignment> next;
    for (const auto& a : held) {
      const int what = pick(10);
      if (what == 0) continue;  // dropped
      auto b = a;
      if (what == 1) b.units += 1;
      if (what == 2) b.reason = AssignmentReason::reassigned;
      next.push_back(b);
    }
    std::set<std::tuple<std::string, std::string, std::string, std::int32_t>> keys;
    for (const auto& a : next) keys.emplace(a.licence, a.device, a.user, a.from.days);
    for (int k = 0; k < 60; ++k) {
      auto a = pick(3) == 0 ? on_user("L-" + std::to_string(pick(40)), "user" + std::to_string(pick(30)), as_of)
                            : on_device("L-" + std::to_string(pick(40)), "PC-" + std::to_string(pick(50)),
                                        Date{as_of.days - pick(400)});
      if (keys.emplace(a.licence, a.device, a.user, a.from.days).second) next.push_back(a);
    }
    std::shuffle(next.begin(), next.end(), rng);
    record(f, as_of, next, "run " + std::to_string(r));

    Store store = open_ok(f);
    StateRun run = begin_ok(store);
    ASSERT_EQ(run.current(), sorted(next)) << "after run " << r;
    Raw raw(f.path());
    EXPECT_EQ(raw.one("SELECT count(*) FROM assignments WHERE to_date IS NULL"), std::to_string(next.size()));
    EXPECT_EQ(raw.one("SELECT count(*) FROM assignments WHERE closed_by = " + std::to_string(r) + " AND to_date <> '" +
                      as_of.iso() + "'"),
              "0");
    EXPECT_EQ(raw.one("PRAGMA integrity_check"), "ok");
    held = next;
    as_of = Date{as_of.days + 30 + pick(30)};
  }
}

TEST(StateStore, BulkInsertRebuildsTheSameIndexesAndQueriesUseThem) {
  // 12,000 rows into a new file take the bulk path (indexes dropped, rows inserted, indexes
  // rebuilt); the schema must end as a new file's.
  TempFile fresh, bulk;
  { Store created = open_ok(fresh); }
  std::vector<LicenceAssignment> held;
  for (int i = 0; i < 12000; ++i)
    held.push_back(i % 4 == 0 ? on_user("L-" + std::to_string(i % 97), "user" + std::to_string(i), day(2024, 1, 1))
                              : on_device("L-" + std::to_string(i % 97), "PC-" + std::to_string(i), day(2024, 1, 1)));
  record(bulk, day(2024, 6, 30), held);

  const std::string schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name";
  Raw raw(bulk.path());
  EXPECT_EQ(raw.rows(schema), Raw(fresh.path()).rows(schema));
  EXPECT_EQ(raw.one("PRAGMA integrity_check"), "ok");

  // The queries the store runs read the indexes meant for them.
  EXPECT_THAT(raw.one("EXPLAIN QUERY PLAN SELECT id, licence, device, user, units, from_date, reason FROM assignments"
                      " WHERE to_date IS NULL ORDER BY licence, device, user, from_date"),
              HasSubstr("SCAN assignments USING COVERING INDEX assignments_open"));
  for (const char* column : {"licence", "device", "user"})
    EXPECT_THAT(raw.one(std::string("EXPLAIN QUERY PLAN SELECT * FROM assignments WHERE ") + column + " = 'x'"),
                HasSubstr(std::string("USING INDEX assignments_by_") + column));

  Store store = open_ok(bulk);
  EXPECT_EQ(store.history_of_device("PC-1").value().size(), 1u);
  EXPECT_EQ(store.history_of_user("user8").value().size(), 1u);
  EXPECT_EQ(store.history_of_licence("L-0").value().size(), 124u);
}

// --- Refusals that write nothing ------------------------------------------------------------

TEST(StateStore, EarlierAsOfIsRefusedAndNothingIsWritten) {
  TempFile f;
  record(f, day(2025, 6, 30), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  const std::string before = bytes_of(f.path());

  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  const std::vector<LicenceAssignment> late = {on_device("L-1", "PC-2", day(2025, 5, 1))};
  auto r = run.commit(day(2025, 5, 31), late, "late");
  ASSERT_FALSE(r);
  EXPECT_THAT(texts(r.error(), f),
              testing::ElementsAre("state-as-of-earlier: expected an as-of date on or after 2025-06-30 (the "
                                   "last recorded run's): history moves forward, found 2025-05-31"));
  EXPECT_FALSE(run.active());  // the lock is released: a new run can begin at once
  EXPECT_TRUE(store.begin_run());
  EXPECT_EQ(bytes_of(f.path()), before);
}

TEST(StateStore, InvalidRecordsAreRefusedAllAtOnceAndNothingIsWritten) {
  TempFile f;
  record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  const std::string before = bytes_of(f.path());

  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  const std::vector<LicenceAssignment> bad = {
      on_device("L-1", "PC-1", day(2025, 1, 1)),            // 1: fine
      {"L-2", "PC-2", "carol", 1, day(2025, 1, 1), {}, 0},  // 2: both holders
      {"L-3", "", "", 1, day(2025, 1, 1), {}, 0},           // 3: no holder
      on_device("L-4", "PC-4", day(2025, 1, 1), 0),         // 4: no units
      on_device("", "PC-5", day(2025, 1, 1)),               // 5: no licence
      on_device("L-6", "PC-6", day(2025, 3, 1)),            // 6: from after as-of
      on_device("L-1", "PC-1", day(2025, 1, 1), 2),         // 7: repeats 1's key
      on_device("L-8", "PC-8", Date{3'000'000}),            // 8: year > 9999
  };
  auto r = run.commit(day(2025, 2, 28), bad, "bad");
  ASSERT_FALSE(r);
  EXPECT_THAT(texts(r.error(), f),
              testing::ElementsAre(
                  "state-bad-assignment: assignment 2 (licence \"L-2\", device \"PC-2\" and user \"carol\"): "
                  "expected exactly one of device and user, found both",
                  "state-bad-assignment: assignment 3 (licence \"L-3\", no holder): expected exactly one of "
                  "device and user, found neither",
                  "state-bad-assignment: assignment 4 (licence \"L-4\", device \"PC-4\"): expected units > 0, "
                  "found 0",
                  "state-bad-assignment: assignment 5 (licence \"\", device \"PC-5\"): expected a licence id, "
                  "found an empty one",
                  "state-bad-assignment: assignment 6 (licence \"L-6\", device \"PC-6\"): expected a from date "
                  "on or before the as-of date 2025-02-28, found 2025-03-01",
                  "state-bad-assignment: assignment 8 (licence \"L-8\", device \"PC-8\"): expected a from date "
                  "in the years 0000-9999, found day 3000000 after 1970-01-01",
                  "state-bad-assignment: assignment 7 (licence \"L-1\", device \"PC-1\"): expected one record "
                  "per licence, holder and from date, found it again (assignment 1)"));
  EXPECT_FALSE(run.active());
  EXPECT_EQ(bytes_of(f.path()), before);
}

TEST(StateStore, AsOfOutsideTheStorableYearsIsRefused) {
  TempFile f;
  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  auto r = run.commit(Date{-800'000}, {}, "");
  ASSERT_FALSE(r);
  EXPECT_THAT(texts(r.error(), f),
              testing::ElementsAre("state-bad-as-of: expected an as-of date in the years 0000-9999, found day "
                                   "-800000 after 1970-01-01"));
}

TEST(StateStore, RunDestroyedWithoutCommitRollsBackAndReleasesTheLock) {
  TempFile f;
  record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  const Snapshot before = snapshot(f, "L-1");
  {
    Store store = open_ok(f);
    StateRun run = begin_ok(store);
    EXPECT_EQ(run.current().size(), 1u);
  }  // neither committed nor failed
  Store other = open_ok(f, {.wait = std::chrono::milliseconds(0)});
  EXPECT_TRUE(other.begin_run());  // no lock left behind
  EXPECT_EQ(snapshot(f, "L-1"), before);
}

TEST(StateStore, FailureHalfWayThroughTheWritesRollsBackEverything) {
  // A trigger added with the shell refuses the last insert of the run, after the run row, the
  // closes and the other inserts were written and the indexes dropped for the bulk insert: the
  // file must come back exactly as it was.
  TempFile f;
  std::vector<LicenceAssignment> first;
  for (int i = 0; i < 2000; ++i)
    first.push_back(on_device("L-" + std::to_string(i), "PC-" + std::to_string(i), day(2025, 1, 1)));
  record(f, day(2025, 1, 31), first);
  {
    Raw raw(f.path());
    raw.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON assignments WHEN NEW.licence = 'ZZZ'"
        " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  }
  const std::string before = bytes_of(f.path());
  const Snapshot snap = snapshot(f, "L-7");

  // Closes 1000 rows and inserts 12,001: a bulk insert, so the indexes were dropped too.
  std::vector<LicenceAssignment> second(first.begin() + 1000, first.end());
  for (int i = 0; i < 12000; ++i)
    second.push_back(on_user("M-" + std::to_string(i), "u" + std::to_string(i), day(2025, 2, 1)));
  second.push_back(on_user("ZZZ", "last", day(2025, 2, 1)));  // sorts last: written last
  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  auto r = run.commit(day(2025, 2, 28), second, "refused");
  ASSERT_FALSE(r);
  EXPECT_THAT(texts(r.error(), f),
              testing::ElementsAre("state-io: expected to record the run, found an SQLite error: refused by the test"));
  EXPECT_FALSE(run.active());
  EXPECT_EQ(bytes_of(f.path()), before);
  EXPECT_FALSE(fs::exists(f.journal()));
  EXPECT_EQ(snapshot(f, "L-7"), snap);
}

TEST(StateStore, MisuseBreaksPreconditions) {
  TempFile f;
  Store store = open_ok(f);
  StateRun run = begin_ok(store);
  EXPECT_THAT([&] { (void)store.begin_run(); },
              testing::ThrowsMessage<trueup::InvariantError>(HasSubstr("one run at a time per Store")));
  commit_ok(run, day(2025, 1, 1), {});
  EXPECT_THAT([&] { (void)run.commit(day(2025, 1, 1), {}, ""); },
              testing::ThrowsMessage<trueup::InvariantError>(HasSubstr("commit needs an active Run")));
  Store moved = std::move(store);
  EXPECT_THAT([&] { (void)store.runs(); },  // NOLINT(bugprone-use-after-move): that is the test
              testing::ThrowsMessage<trueup::InvariantError>(HasSubstr("moved from")));
  EXPECT_EQ(moved.runs().value().size(), 1u);
}

TEST(StateStore, RunOutlivingItsStoreStillCommits) {
  TempFile f;
  std::optional<StateRun> run;
  {
    Store store = open_ok(f);
    run.emplace(begin_ok(store));
  }
  commit_ok(*run, day(2025, 1, 1), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  run.reset();
  Store store = open_ok(f);
  EXPECT_EQ(store.history_of_device("PC-1").value().size(), 1u);
}

// --- Files that are not ours, not yet ours, or newer ----------------------------------------

TEST(StateStore, EmptyFileIsSchemaVersionZeroAndIsMigrated) {
  // An existing empty file (touch, mktemp) is a database without any schema object: version 0.
  TempFile f;
  std::ofstream(f.path()).close();
  ASSERT_EQ(fs::file_size(f.path()), 0u);
  Store store = open_ok(f);
  EXPECT_THAT(store.runs().value(), testing::IsEmpty());
  Raw raw(f.path());
  EXPECT_EQ(raw.one("PRAGMA user_version"), "1");
}

TEST(StateStore, NewerSchemaIsRefused) {
  TempFile f;
  record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  Raw(f.path()).exec("PRAGMA user_version = 2");
  const std::string before = bytes_of(f.path());
  auto s = Store::open(f.path());
  ASSERT_FALSE(s);
  EXPECT_THAT(texts(s.error(), f),
              testing::ElementsAre("state-too-new: expected a state file of schema version 1 or older (what "
                                   "this trueup reads), found version 2: written by a newer trueup"));
  EXPECT_EQ(bytes_of(f.path()), before);
}

// Found by the state_file fuzz target: trueup's application id with a negative user_version
// (the header's bytes changed) sent the migration loop to a negative step.
TEST(StateStore, TrueupsIdWithAVersionBelowOneIsADamagedHeaderAndIsLeftAlone) {
  for (const std::int64_t version : {std::int64_t{-385875967}, std::int64_t{-1}, std::int64_t{0}}) {
    SCOPED_TRACE(version);
    TempFile f;
    record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1))});
    Raw(f.path()).exec(fmt::format("PRAGMA user_version = {}", version));
    const std::string before = bytes_of(f.path());
    for (const bool read_only : {false, true}) {
      auto s = Store::open(f.path(), OpenOptions{.read_only = read_only});
      ASSERT_FALSE(s);
      EXPECT_THAT(texts(s.error(), f),
                  testing::ElementsAre(fmt::format("state-corrupt: expected a state file of schema version 1 to 1, "
                                                   "found trueup's application id with schema version {} (a "
                                                   "damaged or hand-edited header)",
                                                   version)));
      EXPECT_EQ(bytes_of(f.path()), before);
    }
  }
}

TEST(StateStore, AnotherApplicationsSqliteFileIsRefused) {
  TempFile f;
  Raw(f.path()).exec(
      "CREATE TABLE inventory(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO inventory VALUES (1, 'x')");
  const std::string before = bytes_of(f.path());
  auto s = Store::open(f.path());
  ASSERT_FALSE(s);
  EXPECT_THAT(texts(s.error(), f),
              testing::ElementsAre("state-not-trueup: expected a trueup state file, found an SQLite database "
                                   "that trueup did not create (1 schema objects)"));
  EXPECT_EQ(bytes_of(f.path()), before);

  TempFile g;
  Raw(g.path()).exec("PRAGMA application_id = 252006674");  // a Fossil repository's
  auto t = Store::open(g.path());
  ASSERT_FALSE(t);
  EXPECT_THAT(texts(t.error(), g),
              testing::ElementsAre("state-not-trueup: expected a trueup state file, found an SQLite database "
                                   "of another application (application_id 0x0f055112)"));
}

TEST(StateStore, TextFileIsRefusedAndLeftAlone) {
  TempFile f;
  std::ofstream(f.path()) << "device_id,kind\nPC-1,desktop\n";
  const std::string before = bytes_of(f.path());
  for (const bool read_only : {false, true}) {
    auto s = Store::open(f.path(), {.read_only = read_only});
    ASSERT_FALSE(s);
    EXPECT_THAT(texts(s.error(), f),
                testing::ElementsAre("state-not-trueup: expected a trueup state file, found a file that is not "
                                     "an SQLite database"));
  }
  EXPECT_EQ(bytes_of(f.path()), before);
}

TEST(StateStore, HandEditsThatBreakTheFilesRulesAreReportedNotGuessed) {
  TempFile f;
  record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1)), on_device("L-2", "PC-1", day(2025, 1, 1))});
  Raw(f.path()).exec("UPDATE assignments SET from_date = '31/12/2024' WHERE licence = 'L-2'");
  Store store = open_ok(f);
  const std::string expected =
      "state-corrupt: column `assignments.from_date`: expected a date YYYY-MM-DD, found \"31/12/2024\"";
  auto run = store.begin_run();
  ASSERT_FALSE(run);
  EXPECT_THAT(texts(run.error(), f), testing::ElementsAre(expected));
  auto timeline = store.history_of_device("PC-1");
  ASSERT_FALSE(timeline);
  EXPECT_THAT(texts(timeline.error(), f), testing::ElementsAre(expected));
  EXPECT_TRUE(store.history_of_licence("L-1"));  // rows that are fine still read

  // Two open rows with one key: the set the commit merges with would be ambiguous.
  Raw(f.path()).exec(
      "UPDATE assignments SET from_date = '2025-01-01';"
      " INSERT INTO assignments(licence, device, units, from_date, reason, opened_by)"
      " VALUES ('L-1', 'PC-1', 3, '2025-01-01', 'initial', 1)");
  auto twice = store.begin_run();
  ASSERT_FALSE(twice);
  EXPECT_THAT(texts(twice.error(), f),
              testing::ElementsAre("state-corrupt: expected one open row per licence, holder and from date, "
                                   "found two: licence \"L-1\", holder \"PC-1\", from 2025-01-01"));
}

TEST(StateStore, ADamagedPageAnywhereInTheFileIsFoundBeforeARunStarts) {
  TempFile f;
  std::vector<LicenceAssignment> held;
  for (int i = 0; i < 2000; ++i)
    held.push_back(on_device("L-" + std::to_string(i), "PC-" + std::to_string(i), day(2025, 1, 1)));
  record(f, day(2025, 1, 31), held);
  // The root page of an index that a run neither reads nor needs to read: before the check, the
  // run started on the damaged file and only `trueup history --device` saw the damage.
  long long page = 0, size = 0;
  {
    Raw raw(f.path());
    page = std::stoll(raw.one("SELECT rootpage FROM sqlite_master WHERE name = 'assignments_by_device'"));
    size = std::stoll(raw.one("PRAGMA page_size"));
  }
  ASSERT_GT(page, 1);
  {
    std::fstream io(f.path(), std::ios::in | std::ios::out | std::ios::binary);
    io.seekp((page - 1) * size);
    io.put('\x00');  // no valid b-tree page type
  }
  const std::string before = bytes_of(f.path());
  Store store = open_ok(f);
  auto run = store.begin_run();
  ASSERT_FALSE(run);
  ASSERT_EQ(run.error().size(), 1U);
  EXPECT_EQ(run.error()[0].code, "state-corrupt");
  EXPECT_THAT(run.error()[0].message, HasSubstr("quick_check"));
  EXPECT_TRUE(store.runs());  // what a run reads is intact: only the check finds the damage
  EXPECT_EQ(bytes_of(f.path()), before);
}

TEST(StateStore, DirectoryCannotBeOpened) {
  TempFile f;
  fs::create_directory(f.path());
  auto s = Store::open(f.path());
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].code, "state-open");
}

TEST(StateStore, ReadOnlyOpenNeverCreatesMigratesOrWrites) {
  TempFile f;
  auto missing = Store::open(f.path(), {.read_only = true});
  ASSERT_FALSE(missing);
  EXPECT_THAT(texts(missing.error(), f),
              testing::ElementsAre("state-open: expected an existing state file, found no file"));
  EXPECT_FALSE(fs::exists(f.path()));

  std::ofstream(f.path()).close();
  auto empty = Store::open(f.path(), {.read_only = true});
  ASSERT_FALSE(empty);
  EXPECT_THAT(texts(empty.error(), f),
              testing::ElementsAre("state-not-trueup: expected a trueup state file, found an empty file"));
  EXPECT_EQ(fs::file_size(f.path()), 0u);

  record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  const std::string before = bytes_of(f.path());
  Store store = open_ok(f, {.read_only = true});
  EXPECT_EQ(store.history_of_licence("L-1").value().size(), 1u);
  EXPECT_EQ(store.runs().value().size(), 1u);
  EXPECT_THAT([&] { (void)store.begin_run(); },
              testing::ThrowsMessage<trueup::InvariantError>(HasSubstr("opened for writing")));
  EXPECT_EQ(bytes_of(f.path()), before);
}

// --- A second process at the same time ------------------------------------------------------

TEST(StateStore, SecondConnectionWaitsThenRefusesWhileARunIsOpen) {
  TempFile f;
  record(f, day(2025, 1, 31), {on_device("L-1", "PC-1", day(2025, 1, 1))});
  Store first = open_ok(f);
  Store second = open_ok(f, {.wait = std::chrono::milliseconds(100)});

  StateRun run = begin_ok(first);
  const auto start = std::chrono::steady_clock::now();
  auto refused = second.begin_run();
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(refused);
  EXPECT_THAT(texts(refused.error(), f),
              testing::ElementsAre("state-busy: expected to take the run lock, found another run holding it "
                                   "after waiting 100 ms"));
  EXPECT_GE(waited, std::chrono::milliseconds(90));

  // Readers, and opening the file, are not blocked by a run that has not committed yet.
  EXPECT_EQ(second.history_of_licence("L-1").value().size(), 1u);
  EXPECT_EQ(open_ok(f, {.wait = std::chrono::milliseconds(0)}).runs().value().size(), 1u);

  commit_ok(run, day(2025, 2, 28), {on_device("L-1", "PC-2", day(2025, 2, 1))});
  StateRun next = begin_ok(second);
  EXPECT_EQ(next.current(), std::vector<LicenceAssignment>{on_device("L-1", "PC-2", day(2025, 2, 1))});
  EXPECT_EQ(next.last_as_of(), day(2025, 2, 28));
}

// --- Killed in the middle of a run ----------------------------------------------------------

// A VFS that forwards to the default one and kills the process just before the Nth write to a
// main database file: a run's pages half copied into the file, its journal on disk.
namespace killing_vfs {

sqlite3_vfs* real = nullptr;
sqlite3_vfs vfs;
sqlite3_io_methods methods;
int writes_left = 0;

struct File {
  sqlite3_file base;
  bool main_db;
  sqlite3_file* inner() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
File* as_file(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* inner(sqlite3_file* f) { return as_file(f)->inner(); }

int close(sqlite3_file* f) { return inner(f)->pMethods->xClose(inner(f)); }
int read(sqlite3_file* f, void* p, int n, sqlite3_int64 o) { return inner(f)->pMethods->xRead(inner(f), p, n, o); }
int write(sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
  if (as_file(f)->main_db && --writes_left == 0) ::raise(SIGKILL);
  return inner(f)->pMethods->xWrite(inner(f), p, n, o);
}
int truncate(sqlite3_file* f, sqlite3_int64 n) { return inner(f)->pMethods->xTruncate(inner(f), n); }
int sync(sqlite3_file* f, int flags) { return inner(f)->pMethods->xSync(inner(f), flags); }
int file_size(sqlite3_file* f, sqlite3_int64* n) { return inner(f)->pMethods->xFileSize(inner(f), n); }
int lock(sqlite3_file* f, int l) { return inner(f)->pMethods->xLock(inner(f), l); }
int unlock(sqlite3_file* f, int l) { return inner(f)->pMethods->xUnlock(inner(f), l); }
int reserved(sqlite3_file* f, int* r) { return inner(f)->pMethods->xCheckReservedLock(inner(f), r); }
int control(sqlite3_file* f, int op, void* a) { return inner(f)->pMethods->xFileControl(inner(f), op, a); }
int sector(sqlite3_file* f) { return inner(f)->pMethods->xSectorSize(inner(f)); }
int device(sqlite3_file* f) { return inner(f)->pMethods->xDeviceCharacteristics(inner(f)); }

int open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  File* file = as_file(f);
  file->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
  const int rc = real->xOpen(real, name, file->inner(), flags, out_flags);
  file->base.pMethods = file->inner()->pMethods != nullptr ? &methods : nullptr;
  return rc;
}

/// Makes the killing VFS the default for connections opened from now on (in this process).
void install(int kill_at_write) {
  real = sqlite3_vfs_find(nullptr);
  vfs = *real;
  vfs.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
  vfs.zName = "trueup-test-killing";
  vfs.xOpen = open;
  methods = {};
  methods.iVersion = 1;  // no shared memory, no mmap: the rollback journal needs neither
  methods.xClose = close;
  methods.xRead = read;
  methods.xWrite = write;
  methods.xTruncate = truncate;
  methods.xSync = sync;
  methods.xFileSize = file_size;
  methods.xLock = lock;
  methods.xUnlock = unlock;
  methods.xCheckReservedLock = reserved;
  methods.xFileControl = control;
  methods.xSectorSize = sector;
  methods.xDeviceCharacteristics = device;
  writes_left = kill_at_write;
  sqlite3_vfs_register(&vfs, 1);
}

}  // namespace killing_vfs

std::vector<LicenceAssignment> numbered(std::string_view prefix, int n, Date from) {
  std::vector<LicenceAssignment> out;
  for (int i = 0; i < n; ++i) {
    const std::string id = std::to_string(i);
    out.push_back(i % 5 == 0 ? on_user(std::string(prefix) + id, "user" + id, from)
                             : on_device(std::string(prefix) + id, "PC-" + id, from, 1 + i % 3));
  }
  return out;
}

/// How a child process ended: "killed" for SIGKILL, "exit N" otherwise.
std::string ending(pid_t child) {
  int status = 0;
  if (::waitpid(child, &status, 0) != child) return "waitpid failed";
  if (WIFSIGNALED(status)) return WTERMSIG(status) == SIGKILL ? "killed" : "signal " + std::to_string(WTERMSIG(status));
  return "exit " + std::to_string(WEXITSTATUS(status));
}

// Children never return into GoogleTest: they end with _exit or SIGKILL. No thread is started
// before fork, and the parent holds no connection across it (SQLite forbids both).

TEST(StateStoreKilled, WhileHoldingTheRunLeavesTheFileAsItWasAndUnlocked) {
  TempFile f;
  record(f, day(2025, 1, 31), numbered("L-", 500, day(2025, 1, 1)), "before");
  const std::string before = bytes_of(f.path());
  const Snapshot snap = snapshot(f, "L-3");

  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    ::close(ready[0]);
    auto store = Store::open(f.path());
    if (!store) ::_exit(10);
    auto run = store->begin_run();
    if (!run) ::_exit(11);
    const char byte = 'r';
    if (::write(ready[1], &byte, 1) != 1) ::_exit(12);
    for (;;) ::pause();  // holds the run until killed
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::close(ready[0]);
  ::kill(child, SIGKILL);
  EXPECT_EQ(ending(child), "killed");

  Store store = open_ok(f, {.wait = std::chrono::milliseconds(0)});
  EXPECT_TRUE(store.begin_run());  // the dead process's lock went with it
  EXPECT_EQ(snapshot(f, "L-3"), snap);
  EXPECT_EQ(bytes_of(f.path()), before);
}

class StateStoreKilledWhileWriting : public testing::TestWithParam<int> {};

TEST_P(StateStoreKilledWhileWriting, LeavesTheFileAsItWas) {
  TempFile f;
  // Run 1: 20,000 rows. The run killed closes half of them and adds 20,000: about a thousand
  // pages to write.
  const auto first = numbered("L-", 20000, day(2025, 1, 1));
  record(f, day(2025, 1, 31), first, "before");
  const std::string before = bytes_of(f.path());
  const Snapshot snap = snapshot(f, "L-10");

  const pid_t child = ::fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    killing_vfs::install(GetParam());
    auto store = Store::open(f.path());
    if (!store) ::_exit(10);
    auto run = store->begin_run();
    if (!run) ::_exit(11);
    auto next = std::vector<LicenceAssignment>(first.begin() + 10000, first.end());
    for (auto& a : numbered("M-", 20000, day(2025, 2, 1))) next.push_back(a);
    auto done = run->commit(day(2025, 2, 28), next, "killed");
    ::_exit(done ? 0 : 13);  // reached only if the kill never came
  }
  ASSERT_EQ(ending(child), "killed") << "the child finished its run before the write it was to die at";
  EXPECT_TRUE(fs::exists(f.journal())) << "a half-written run leaves its journal";

  {
    Store store = open_ok(f);  // rolls the journal back
    Raw raw(f.path());
    EXPECT_EQ(raw.one("PRAGMA integrity_check"), "ok");
  }
  EXPECT_FALSE(fs::exists(f.journal()));
  EXPECT_EQ(bytes_of(f.path()), before);
  EXPECT_EQ(snapshot(f, "L-10"), snap);

  // And the file takes the next run normally.
  const RunInfo next = record(f, day(2025, 2, 28), numbered("N-", 10, day(2025, 2, 1)), "after");
  EXPECT_EQ(next.id, 2);
}

// The 1st write (the file still intact, the journal hot), an early one, a late one.
INSTANTIATE_TEST_SUITE_P(AtWrite, StateStoreKilledWhileWriting, testing::Values(1, 7, 400));

}  // namespace
