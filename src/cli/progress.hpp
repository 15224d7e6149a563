// SPDX-License-Identifier: BSL-1.0
// File: src/cli/progress.hpp
//
// The command's progress bar: one line on standard error, redrawn as each stage of a run ends
// (read, normalise, ..., write). It is drawn only when standard error is a terminal and
// --quiet was not given, and it never writes to standard output, so a report on standard
// output or in -o FILE is the same with or without it.
#pragma once

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "trueup/reconcile.hpp"

namespace trueup::cli {

class ProgressBar {
 public:
  /// Draws nothing unless `enabled` and standard error is a terminal.
  explicit ProgressBar(bool enabled) : on_(enabled && isatty(STDERR_FILENO) == 1) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { finish(); }

  /// `s` has ended; the bar shows the share of a typical run's time done so far.
  void done(Stage s) {
    if (!on_) return;
    const auto i = static_cast<std::size_t>(s);
    draw(cumulative(i + 1), i + 1 < weights.size() ? name(static_cast<Stage>(i + 1)) : "done");
  }
  /// Clears the line, so that what follows on standard error starts at its left.
  void finish() {
    if (!on_ || !drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }

 private:
  // Shares of a run's wall time per stage, measured at a million installs (docs/performance.md).
  static constexpr std::array<int, 8> weights{30, 8, 1, 6, 1, 4, 5, 45};
  static constexpr int total_weight = [] {
    int t = 0;
    for (int w : weights) t += w;
    return t;
  }();
  static_assert(total_weight > 0);
  static int cumulative(std::size_t stages) {
    int sum = 0;
    for (std::size_t i = 0; i < weights.size() && i < stages; ++i) sum += weights[i];
    return 100 * sum / total_weight;
  }
  void draw(int percent, std::string_view next) {
    constexpr int width = 30;
    const int filled = width * percent / 100;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    fmt::print(stderr, "\r\033[K[{:#<{}}{: <{}}] {:3}% {:.1f}s {}", "", filled, "", width - filled, percent, secs,
               next);
    std::fflush(stderr);
    drawn_ = true;
  }

  bool on_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace trueup::cli
