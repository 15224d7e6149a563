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
// reconciliation's exclusions, reported by `trueup reconcile`. Besides the groups it lists the
// devices that lack a fact their recognised products are licensed by (cores, processors, a
// primary user): without it the reconciliation cannot count their licences right.
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
    /// For titles: the overlay-pack entry that decides them, as TOML comment lines stating the
    /// choice and its alternatives keyed on the exact spelling; inert until a person uncomments
    /// one (docs/formats.md "The review").
    std::string suggestion;
  };
  std::size_t rows = 0;
  std::vector<Group> recognised;    ///< by product, in rule-pack order
  std::vector<Group> excluded;      ///< by kind and reason (component, free edition, other publisher)
  std::vector<Group> needs_review;  ///< by title and publisher, most rows first
  std::vector<Group> unrecognised;  ///< by title and publisher, most rows first

  /// A product and a fact its licences are counted by that some of its devices lack.
  struct MissingFact {
    std::string product;
    std::string fact;                  ///< "cores", "processors" or "primary user"
    std::string why;                   ///< the licensing rule that needs it, with its id
    std::vector<std::string> devices;  ///< the devices lacking it, in id order
  };
  std::vector<MissingFact> missing_facts;  ///< by product (rule-pack order), then fact

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
