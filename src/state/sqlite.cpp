// SPDX-License-Identifier: BSL-1.0
// File: src/state/sqlite.cpp
//
// SQLite failures as the state store's diagnostics (sqlite.hpp): the code says what kind of
// failure it was, so that a caller can tell a locked file (`state-busy`, try again later) from
// a damaged one (`state-corrupt`) or one that is not a state file at all (`state-not-trueup`).
#include "sqlite.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace trueup::state::detail {

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

std::string utc_now() {
  using namespace std::chrono;
  const auto now = floor<seconds>(system_clock::now());
  const auto today = floor<days>(now);
  const hh_mm_ss time{now - today};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Date{static_cast<std::int32_t>(today.time_since_epoch().count())}.iso(),
                     time.hours().count(), time.minutes().count(), time.seconds().count());
}

}  // namespace trueup::state::detail
