// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/overlay_suggestion.hpp
//
// The overlay-pack entry `trueup review` suggests for a title that needs review or is
// unrecognised (docs/formats.md "The review", docs/rule-packs.md "Several packs in one run").
//
// A suggestion is the decision a *person* makes, never one made for them: it is TOML comment
// lines only, so that pasted unchanged into an overlay pack it changes nothing. It states the
// choice, then each alternative the pack format can express as commented TOML written with the
// row's own spelling (a publisher alias on the publisher as reported; a component pattern on
// the title as reported, which also matches longer titles with those words: said in the
// suggestion), and says when a row stays in review. Every line, the pack's own text quoted in
// it included, is a comment. An alternative that excludes
// rows has an empty `reason` to write: the loader rejects an empty string, so an alternative
// uncommented but not filled in is an error, never a silent exclusion. No
// alternative names an edition or a version the row does not state: the pack format keys an
// edition on title words, which would decide every title with those words, so an edition is
// left to the evidence that states it (licensing-rules X7: nothing doubtful is guessed).
#pragma once

#include <string>
#include <string_view>

#include "trueup/model/catalog.hpp"
#include "trueup/normalise/recognise.hpp"

namespace trueup::detail {

/// The suggestion for rows titled `title` from `publisher` (version string `version`) that
/// recognition `r` sends to review or leaves unrecognised; empty for any other kind.
[[nodiscard]] std::string overlay_suggestion(const RulePack& pack, const Recognition& r, std::string_view title,
                                             std::string_view publisher, std::string_view version);

/// The suggestion for rows of an edition free outside production only on devices whose
/// environment is unknown: not a pack decision but a devices.csv fact (licensing-rules SQL10).
[[nodiscard]] std::string environment_suggestion(const std::string& product_name);

/// `text` as a TOML basic string, quotes included.
[[nodiscard]] std::string toml_string(std::string_view text);

}  // namespace trueup::detail
