// SPDX-License-Identifier: BSL-1.0
// File: trueup/detail/parallel.hpp
//
// Where the stages that may use a second thread (normalise, the verdicts, reading
// installs.csv, the JSON installs array) start to: below these sizes a thread costs more than it saves, so the work
// stays on the calling thread whatever `threads` says. No result depends on them: the
// parallel paths give the bytes the sequential ones give. Tests lower them so that the
// parallel paths run on small fleets too (tests/io/parallel_test.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace trueup::detail {

struct ParallelThresholds {
  std::size_t normalise_installs = 50'000;   ///< installs per thread in normalise()
  std::size_t installs_csv_bytes = 4 << 20;  ///< installs.csv size read in two parts
  std::size_t sort_installs = 100'000;       ///< installs sorted by id in two halves
  std::size_t json_block = 8192;             ///< installs per block of the JSON installs array
  std::size_t verdict_installs = 50'000;     ///< installs per thread in the verdicts stage
};

/// The thresholds in force (one instance per program). Not synchronised: set them before
/// any run starts.
inline ParallelThresholds& parallel_thresholds() {
  static ParallelThresholds t;
  return t;
}

/// How many contiguous ranges `n` items are cut into with `threads` threads when a range
/// should hold at least `min_per_range` items: 1 to `threads` (at most 64).
inline std::size_t range_count(std::size_t n, unsigned threads, std::size_t min_per_range) {
  return std::clamp<std::size_t>(std::min<std::size_t>(threads, n / std::max<std::size_t>(min_per_range, 1)), 1, 64);
}

/// Runs `work(begin, end, range)` for `ranges` contiguous ranges of [0, n), in order of range,
/// range 0 on the calling thread and each other on a thread of its own. Returns when all are
/// done; the first exception any range threw is then rethrown. `work` must write only what its
/// range owns.
template <class Work>
void for_each_range(std::size_t n, std::size_t ranges, Work&& work) {
  if (ranges <= 1) {
    work(std::size_t{0}, n, std::size_t{0});
    return;
  }
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&](std::size_t k) {
    try {
      work(n * k / ranges, n * (k + 1) / ranges, k);
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(ranges - 1);
  for (std::size_t k = 1; k < ranges; ++k) workers.emplace_back(run, k);
  run(0);
  for (auto& w : workers) w.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace trueup::detail
