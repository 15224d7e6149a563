// SPDX-License-Identifier: BSL-1.0
// File: trueup/state/store.hpp
//
// The state store: the licence assignments of every `trueup reconcile --state FILE` run, kept in
// one SQLite file so that the 90-day reassignment rule can see where a licence was before this
// run (docs/state.md). A run reads the assignments open after the previous run, reconciles, and
// records the complete set it holds afterwards; the store turns that into a timeline: rows that
// stay are untouched, rows that go are closed on the run's as-of date, new rows are opened.
//
// Rules the store keeps, whatever the caller does:
//
// - **One transaction per run.** `Store::begin_run` takes the file's write lock and
//   `Run::commit` writes everything in that one transaction. A refused commit, an exception, a
//   destroyed `Run` or a killed process leaves the file exactly as it was.
// - **One run at a time.** A second process (or a second `Store` on the same file) waits up to
//   `OpenOptions::wait` for the lock, then gets a `state-busy` diagnostic; it never writes
//   beside the first.
// - **History moves forward.** A run's as-of date is never earlier than the last recorded one.
// - **Open rows are a set.** At most one open row per (licence, device, user, from), and every
//   row has exactly one of device and user and units > 0.
//
// Failures that are normal (a missing, foreign, newer or locked file; refused input; I/O errors)
// are `Result` diagnostics with file = the path as given and stable codes (docs/state.md):
// `state-open`, `state-not-trueup`, `state-too-new`, `state-too-old`, `state-busy`,
// `state-as-of-earlier`, `state-bad-as-of`, `state-bad-assignment`, `state-corrupt`, `state-io`.
// Misuse (a second run on one Store, committing twice, writing through a read-only Store) breaks
// a precondition and throws `InvariantError`.
//
// A Store and its Runs are used from one thread at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/fwd.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/licence_assignment.hpp"
#include "trueup/result.hpp"

namespace trueup::state {

/// The schema version this build writes. Older files are migrated on a read-write open; newer
/// ones are refused (`state-too-new`).
inline constexpr int schema_version = 1;

/// One row of an assignment timeline: `units` of `licence` held by `device` or `user` from
/// `from` until `to` (exclusive; nullopt while the row is open).
struct HistoryEntry {
  std::string licence;
  std::string device;  ///< empty when a user holds it
  std::string user;    ///< empty when a device holds it
  Units units = 1;
  Date from;
  std::optional<Date> to;  ///< the as-of date of the run that closed the row
  AssignmentReason reason = AssignmentReason::initial;
  std::int64_t opened_by_run = 0;
  std::optional<std::int64_t> closed_by_run;

  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

/// A recorded run.
struct RunInfo {
  std::int64_t id = 0;  ///< 1, 2, ... in the order the runs were committed
  Date as_of;
  std::string recorded_at;      ///< when it was committed, UTC: `YYYY-MM-DDTHH:MM:SSZ`
  std::size_t assignments = 0;  ///< open rows after the run
  std::string label;

  friend bool operator==(const RunInfo&, const RunInfo&) = default;
};

struct OpenOptions {
  /// How long to wait for another process's run (or commit) before giving up with `state-busy`.
  std::chrono::milliseconds wait{30000};
  /// Open an existing file for queries only: a missing file is `state-open`; nothing is
  /// created, migrated or written, and `begin_run` may not be called.
  bool read_only = false;
};

namespace detail {
struct Connection;
}

class Run;

/// An open state file.
///
/// **Example**:
///
///     auto store = trueup::state::Store::open("trueup.db");
///     if (!store) return report(store.error());
///     auto run = store->begin_run();          // waits for another process's run, then state-busy
///     if (!run) return report(run.error());
///     std::vector<trueup::LicenceAssignment> held = reconcile_with(run->current());
///     auto recorded = run->commit(as_of, held, "monthly true-up");
///     if (!recorded) return report(recorded.error());   // the file is as it was
class Store {
 public:
  /// Opens `file`, creating it when missing (unless `options.read_only`) and migrating an older
  /// schema. Returns `state-open` when it cannot be opened or created, `state-not-trueup` for
  /// anything that is not a trueup state file (a text file, another application's SQLite
  /// database), `state-too-new` for a schema newer than `schema_version`, `state-too-old` for
  /// an older schema opened read-only, `state-busy` when another process keeps it locked for
  /// longer than `options.wait`.
  [[nodiscard]] static Result<Store> open(const std::filesystem::path& file, OpenOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  /// \name Queries (each a consistent snapshot of the last committed run)
  /// Every row that `licence` / `device` / `user` ever had, ordered by (from, opening run,
  /// licence, device, user): the timeline, oldest first.
  [[nodiscard]] Result<std::vector<HistoryEntry>> history_of_licence(std::string_view licence) const;
  [[nodiscard]] Result<std::vector<HistoryEntry>> history_of_device(std::string_view device) const;
  [[nodiscard]] Result<std::vector<HistoryEntry>> history_of_user(std::string_view user) const;
  /// Every recorded run, in commit order.
  [[nodiscard]] Result<std::vector<RunInfo>> runs() const;

  /// \name Writing
  /// Starts a run: takes the file's write lock (held until the Run commits or is destroyed) and
  /// reads the open assignments. Waits up to `OpenOptions::wait` for another run, then returns
  /// `state-busy`. The whole file passes SQLite's quick check first (`state-corrupt` when it
  /// does not): a run never extends a damaged history.
  /// \pre the store was not opened read-only, and no other Run of this Store is active.
  [[nodiscard]] Result<Run> begin_run();

 private:
  explicit Store(std::shared_ptr<detail::Connection> connection);
  std::shared_ptr<detail::Connection> c_;  // null only when moved from
};

/// One run: a write transaction on the state file. Destroying an uncommitted Run rolls it back.
/// A Run keeps its file open even if its Store is destroyed first.
class Run {
 public:
  Run(Run&&) noexcept;
  Run& operator=(Run&&) noexcept;
  ~Run();

  /// The assignments open when the run began (`to` unset), sorted by (licence, device, user,
  /// from), with `line` = 0. Unchanged by `commit`.
  [[nodiscard]] const std::vector<LicenceAssignment>& current() const { return current_; }
  /// The as-of date of the latest recorded run, or nullopt for a new file.
  [[nodiscard]] std::optional<Date> last_as_of() const { return last_as_of_; }

  /// Records this run: `assignments` is the complete set held after it, in any order (`line` is
  /// ignored). Open rows equal to one of them in (licence, device, user, units, from, reason)
  /// stay untouched; every other open row is closed with `to` = `as_of`; the rest are inserted.
  /// Then the run row is written and the transaction committed.
  ///
  /// Refuses, writing nothing: `state-as-of-earlier` when `as_of` < `last_as_of()`;
  /// `state-bad-as-of` for a date outside the years 0000–9999; `state-bad-assignment` for a
  /// record without a licence, with both or neither of device and user, with units <= 0, with
  /// `from` after `as_of` or outside 0000–9999, or repeating another's (licence, device, user,
  /// from). Other failures (`state-busy` when readers keep the file past the wait, `state-io`)
  /// also leave the file as it was.
  ///
  /// The run ends either way: the write lock is released.
  /// \pre the run is active (not committed, not ended by a failed commit, not moved from).
  [[nodiscard]] Result<RunInfo> commit(Date as_of, std::span<const LicenceAssignment> assignments,
                                       std::string_view label);

  /// Whether the run still holds the write lock (false after `commit`, whatever its outcome).
  [[nodiscard]] bool active() const { return c_ != nullptr; }

 private:
  friend class Store;
  Run(std::shared_ptr<detail::Connection> connection, std::vector<LicenceAssignment> current,
      std::vector<std::int64_t> row_ids, std::optional<Date> last_as_of);
  void end() noexcept;  // rolls back when still active

  std::shared_ptr<detail::Connection> c_;  // null once the run has ended
  std::vector<LicenceAssignment> current_;
  std::vector<std::int64_t> row_ids_;  // row_ids_[i] is the assignments.id of current_[i]
  std::optional<Date> last_as_of_;
};

}  // namespace trueup::state
