// SPDX-License-Identifier: BSL-1.0
// File: src/cli/preflight.hpp
//
// The checks `trueup reconcile` makes of its output paths and dates before anything runs
// (src/cli/preflight.cpp, docs/state.md "Safety before the run").
#pragma once

#include "options.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/model/date.hpp"

namespace trueup::cli {

/// The problems of `o`'s outputs and as-of date (empty: the run may start), checked against
/// `today`; when there are none, the leftover pending files of this run's outputs are removed.
[[nodiscard]] Diagnostics preflight(const FleetOptions& o, Date today);

}  // namespace trueup::cli
