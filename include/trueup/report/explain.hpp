// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/explain.hpp
//
// Why the position says what it says about one install, device, licence or product
// (docs/outputs.md#explain), in plain words, from the position and its evidence alone:
//
// - an install: what recognition made of its title (the pack's family entry, version and
//   edition), whether it was excluded or is a duplicate and why, the demand it creates, each
//   licence record that covers it with the chain of rules that allowed it (downgrade,
//   down-edition, Software Assurance, OEM binding, retail reassignment: the evidence the
//   position records, with its rule ids and sources); for an install short of licences, each
//   licence record of its family and why it could not cover it (another edition or an earlier
//   version with no right to reach it, OEM bound to another device, void on the as-of date, or
//   every unit used elsewhere, and where);
// - a device: its facts, then each of its installs in one line;
// - a licence: its record, whether it counts and why not, where its units went, what remains;
// - a product: its line of the ELP and how it was reached (installs, duplicates, exclusions
//   by reason, demand, licences by record, consumption, what the true-up buys).
//
// An explanation is data (lines with a depth and a kind) that the command prints as text or
// JSON and Python returns as a dict; it depends only on its inputs.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/enum_table.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/result.hpp"

namespace trueup::report {

/// What is explained.
enum class ExplainSubject : std::uint8_t { install, device, licence, product };

/// One statement of an explanation. `depth` 0 states a fact about the subject, deeper lines
/// support the line above them; `kind` says what it states (a stable, kebab-case word:
/// "recognition", "verdict", "demand", "licence", "downgrade", "candidate", ...; an evidence
/// step keeps the rule name the position's JSON gives it).
struct ExplainLine {
  std::uint8_t depth = 0;
  std::string kind;
  std::string text;
  friend bool operator==(const ExplainLine&, const ExplainLine&) = default;
};

struct Explanation {
  ExplainSubject subject = ExplainSubject::install;
  std::string id;       ///< the install, device or licence id, or the product's name
  std::string heading;  ///< one line naming the subject
  std::vector<ExplainLine> lines;
};

/// The explanation of the install, device or licence whose id is `id`, or of the product(s)
/// whose name is `id` (as reports print it, case aside; a name shared by two licensing models,
/// Microsoft 365 Apps per device and per user, explains both lines). An id the fleet does not
/// hold is the error `unknown-install` (`unknown-device`, `unknown-licence`, `unknown-product`):
/// "expected an install id of the fleet, found X", followed by the nearest ids or names.
/// \pre `position` was reconciled from `fleet` with `pack`.
[[nodiscard]] Result<Explanation> explain(ExplainSubject subject, std::string_view id, const Position& position,
                                          const RulePack& pack, const Fleet& fleet);

/// The explanation as text: the heading, then each line indented by its depth.
[[nodiscard]] std::string format_explanation(const Explanation& e, const Position& position);
/// The explanation as JSON: trueup's version, the rule pack and the as-of date, the subject,
/// its id and heading, then `lines` (objects with depth, kind and text). Always valid UTF-8.
[[nodiscard]] std::string format_explanation_json(const Explanation& e, const Position& position);

}  // namespace trueup::report

namespace trueup {
template <>
struct EnumTable<report::ExplainSubject> {
  using S = report::ExplainSubject;
  static constexpr std::array<EnumEntry<S>, 4> entries{{{S::install, "install", "install"},
                                                        {S::device, "device", "device"},
                                                        {S::licence, "licence", "licence"},
                                                        {S::product, "product", "product"}}};
};
}  // namespace trueup
