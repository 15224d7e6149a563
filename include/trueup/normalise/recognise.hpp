// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/recognise.hpp
//
// Recognition: what product, if any, an inventory row is. Rules, in order:
//
// 1. A title matching one of the pack's component patterns (updates, language packs,
//    proofing tools, redistributables) is a *component*: licensed with its product, never a
//    demand of its own (licensing-rules X5; ecosystem §0.2).
// 2. A row whose publisher is set and is none of the pack's publishers' spellings is *another
//    publisher's* product: the pack does not license it (X7: a non-Microsoft office suite is
//    not Microsoft Office); unless its title names a whole product of the pack (family, version
//    and edition by rules 3-5), which *needs review*: a variant spelling ("Microsoft
//    Corporation, Inc.") or a repackager, never a reassuring "other publisher".
// 3. The family is the one whose match pattern is the longest whole-word match in the title
//    ("Windows Server" beats "Windows"), among the families none of whose exclude patterns
//    occurs in it ("Kingsoft Office Professional" is not Microsoft Office).
// 4. The version is the longest whole-word version token in the title ("2012 R2" beats
//    "2012"); failing that, the version string's build prefix, if exactly one version has it
//    (ecosystem §0.3: Office 2016-2024 all report 16.0, so a bare 16.0 is not enough).
// 5. The edition is the longest whole-word edition name or alias in the title.
// 6. A title of a family (rule 3) whose version or edition rules 4-5 cannot decide *needs
//    review*: "Microsoft Office Professional Plus" at 16.0.x (2016 to 2024, Click-to-Run or MSI)
//    or "Microsoft SQL Server 2019 (64-bit)" (no edition in the title) names a demand, but
//    which one only other evidence or a person can say. So does a title matching one of the
//    family's review patterns (Family::review: an evaluation copy, licensed only while it is
//    evaluated, which the inventory cannot tell). A title of no family is *unrecognised*.
//
// Titles repeat across a fleet (thousands of distinct titles for a million rows), so results
// are cached per distinct (title, publisher, version).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "trueup/model/catalog.hpp"

namespace trueup {

struct Recognition {
  enum class Kind : std::uint8_t {
    product,          ///< a licensable product of the pack
    component,        ///< update / language pack / proofing tool ...
    other_publisher,  ///< not a product of any publisher the pack licenses
    unrecognised,     ///< a pack publisher's row that names no family of the pack
    /// a whole product of the pack by a publisher spelling the pack does not know, or a title
    /// of a family whose version or edition it does not decide: a decision for a person (an
    /// alias in an overlay pack, other evidence, or another publisher's product)
    needs_review,
  };
  Kind kind = Kind::unrecognised;
  ProductRef product;  ///< when kind == product (or needs_review: what the title reads as)
  std::string reason;  ///< for every other kind: why, in words
  /// For needs_review: the decision it waits for. `publisher`: whose spelling the publisher is
  /// (`product` is what the title reads as); `version`, `edition`: which one of `family`'s;
  /// `use`: how the copy is used (a review pattern of `family`, e.g. an evaluation copy).
  enum class Open : std::uint8_t { none, publisher, version, edition, use };
  Open open = Open::none;
  FamilyIndex family;  ///< for needs_review other than `publisher`: the family the title names
};

class Recogniser {
 public:
  /// \pre the pack outlives the recogniser.
  explicit Recogniser(const RulePack& pack);

  /// What the row is. Results are cached per distinct (title, publisher, version): a row whose
  /// title was seen before costs a hash and a compare, no allocation.
  [[nodiscard]] const Recognition& recognise(std::string_view title, std::string_view publisher,
                                             std::string_view version);

 private:
  struct FamilyWords {
    std::vector<std::string> match;
    std::vector<std::string> exclude;
    std::vector<std::string> review;  ///< Family::review's patterns, in its order
    std::vector<std::vector<std::string>> versions;
    std::vector<std::vector<std::string>> editions;
  };

  [[nodiscard]] Recognition compute(std::string_view title, std::string_view publisher, std::string_view version) const;
  /// Rules 3-5 on a normalised title, whoever published it.
  [[nodiscard]] Recognition match(std::string_view title_words, std::string_view version, bool no_publisher) const;

  const RulePack& pack_;
  std::vector<std::pair<std::string, std::string>> components_;
  std::vector<std::string> publishers_;
  std::vector<FamilyWords> families_;
  std::unordered_map<std::string, Recognition> cache_;
  std::string key_;  ///< scratch for recognise()'s cache key
};

}  // namespace trueup
