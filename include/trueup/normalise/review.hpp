// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/review.hpp
//
// The data-quality review of an inventory against a rule pack (`trueup review`): what every
// install row is by recognition (normalise/recognise.hpp), counted and grouped so that a person
// sees what was read, what was recognised, what was excluded and why, and what needs a decision.
// Every row is counted in exactly one of: a recognised product, an exclusion reason, needs
// review, unrecognised (the counts add up to the rows: nothing dropped).
//
// It reads recognition only, not the devices' ownership or status nor any date: those are the
// reconciliation's exclusions, reported by `trueup reconcile`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup {

struct Review {
  /// A group of rows: a product, an exclusion reason, or a title, with how many rows and on how
  /// many devices.
  struct Group {
    std::string name;    ///< the product; an exclusion's kind ("component"); or the title
    std::string detail;  ///< an exclusion's reason in words; a title's publisher as reported
    std::string reason;  ///< for titles: why recognition could not decide
    std::size_t rows = 0;
    std::size_t devices = 0;
  };
  std::size_t rows = 0;
  std::vector<Group> recognised;    ///< by product, in rule-pack order
  std::vector<Group> excluded;      ///< by kind and reason (component, free edition, other publisher)
  std::vector<Group> needs_review;  ///< by title and publisher, most rows first
  std::vector<Group> unrecognised;  ///< by title and publisher, most rows first

  [[nodiscard]] static std::size_t total(const std::vector<Group>& groups) {
    std::size_t n = 0;
    for (const Group& g : groups) n += g.rows;
    return n;
  }
};

/// Groups every install of `fleet` by what `pack` recognises it as. Deterministic: the same
/// installs in any order give the same review.
[[nodiscard]] Review review(const RulePack& pack, const Fleet& fleet);

}  // namespace trueup
