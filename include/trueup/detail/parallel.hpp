// SPDX-License-Identifier: BSL-1.0
// File: trueup/detail/parallel.hpp
//
// Where the stages that may use a second thread (normalise, reading installs.csv, the JSON
// installs array) start to: below these sizes a thread costs more than it saves, so the work
// stays on the calling thread whatever `threads` says. No result depends on them: the
// parallel paths give the bytes the sequential ones give. Tests lower them so that the
// parallel paths run on small fleets too (tests/io/parallel_test.cpp).
#pragma once

#include <cstddef>

namespace trueup::detail {

struct ParallelThresholds {
  std::size_t normalise_installs = 50'000;  ///< installs per thread in normalise()
  std::size_t installs_csv_bytes = 4 << 20;  ///< installs.csv size read in two parts
  std::size_t sort_installs = 100'000;       ///< installs sorted by id in two halves
  std::size_t json_block = 8192;             ///< installs per block of the JSON installs array
};

/// The thresholds in force (one instance per program). Not synchronised: set them before
/// any run starts.
inline ParallelThresholds& parallel_thresholds() {
  static ParallelThresholds t;
  return t;
}

}  // namespace trueup::detail
