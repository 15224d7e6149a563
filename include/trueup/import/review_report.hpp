// SPDX-License-Identifier: BSL-1.0
// File: trueup/import/review_report.hpp
//
// The report of `trueup review`: rows read per source, then the review of the rows
// (normalise/review.hpp) as a table or as JSON. Deterministic: the same inputs give the same
// bytes; the JSON is valid UTF-8 (a byte that is not is replaced by U+FFFD).
#pragma once

#include <string>
#include <vector>

#include "trueup/import/inventory.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/normalise/review.hpp"

namespace trueup::import {

struct ReviewReport {
  Review review;
  std::vector<SourceCount> sources;           ///< one per --inventory, or the fleet directory
  std::vector<std::string> software_unknown;  ///< devices whose software no source reported
};

[[nodiscard]] std::string format_review_table(const ReviewReport& report, const RulePack& pack);
[[nodiscard]] std::string format_review_json(const ReviewReport& report, const RulePack& pack);

}  // namespace trueup::import
