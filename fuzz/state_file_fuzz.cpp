// SPDX-License-Identifier: BSL-1.0
// File: fuzz/state_file_fuzz.cpp
//
// libFuzzer target `state_file` (scripts/fuzz state_file SECONDS, docs/testing.md): the state
// store on a fuzzed file. The input's bytes are written as the state file, then used as the
// commands use it: `trueup history` opens it read-only and lists its runs and timelines;
// `trueup reconcile --state` opens it, begins a run (SQLite's quick check first), reads the open
// assignments and records the run. A damaged, foreign or refused file must be a diagnostic,
// never a crash, a hang or an exception; and what a run records must be what the next run reads
// (docs/state.md: open rows equal to the recorded ones stay as they were).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "trueup/state/store.hpp"

namespace {

using trueup::state::OpenOptions;
using trueup::state::Store;

template <class T>
void check(const trueup::Result<T>& r) {
  if (!r) trueup::fuzz::check_printable(r.error());
}

/// What `trueup history` reads: every run, and the timeline of a few holders and licences.
void read_history(const std::filesystem::path& file, const std::vector<trueup::LicenceAssignment>& open_rows) {
  auto store = Store::open(file, OpenOptions{.wait = std::chrono::milliseconds(0), .read_only = true});
  check(store);
  if (!store) return;
  check(store->runs());
  for (std::size_t i = 0; i < std::min<std::size_t>(open_rows.size(), 3); ++i) {
    check(store->history_of_licence(open_rows[i].licence));
    check(store->history_of_device(open_rows[i].device));
    check(store->history_of_user(open_rows[i].user));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static trueup::fuzz::InputFile input(".db");
  const auto& file = input.write(std::string_view(reinterpret_cast<const char*>(data), size));

  auto store = Store::open(file, OpenOptions{.wait = std::chrono::milliseconds(0)});
  check(store);
  if (!store) return 0;
  auto run = store->begin_run();
  check(run);
  if (!run) return 0;
  const std::vector<trueup::LicenceAssignment> open_rows = run->current();
  const trueup::Date as_of = std::max(run->last_as_of().value_or(trueup::Date{}), trueup::Date::from_ymd(2026, 6, 30));
  auto recorded = run->commit(as_of, open_rows, "fuzz");
  check(recorded);
  read_history(file, open_rows);
  if (!recorded) return 0;

  // Recording the open rows again changes none of them: the next run reads them back.
  auto again = Store::open(file, OpenOptions{.wait = std::chrono::milliseconds(0)});
  if (!again) trueup::fuzz::fail("a file just recorded does not open", trueup::to_string(again.error().front()));
  auto next = again->begin_run();
  if (!next) trueup::fuzz::fail("a file just recorded does not begin a run", trueup::to_string(next.error().front()));
  if (next->current() != open_rows) trueup::fuzz::fail("the open rows changed by recording them again", file.string());
  if (next->last_as_of() != as_of) trueup::fuzz::fail("the last as-of date is not the one recorded", as_of.iso());
  return 0;
}
