// SPDX-License-Identifier: BSL-1.0
// File: tests/normalise/overlay_suggestion_test.cpp
//
// The overlay entries `trueup review` suggests: inert as written (pasted unchanged they change
// nothing), rejected when uncommented but not filled in, and, filled in as a person would, they
// make the rows they were written for recognised or excluded as chosen, and no others.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "normalise/overlay_suggestion.hpp"
#include "support/fleet_fixture.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/normalise/review.hpp"

namespace trueup {
namespace {

/// The review of the project's GLPI sample and registry sample, read as `trueup review` reads them.
Review sample_review(const RulePack& pack) {
  const std::string data = std::string(TRUEUP_SOURCE_DIR) + "/tests/data/inventory/";
  auto inventory = import::read_inventory({import::parse_source("glpi:" + data + "glpi").value(),
                                           import::parse_source("reg:" + data + "reg/PC-0042.reg").value()});
  if (!inventory) throw std::runtime_error("samples unreadable");
  auto fleet = import::read_fleet(*inventory, pack);
  if (!fleet) throw std::runtime_error("sample fleet unreadable: " + to_string(fleet.error()[0]));
  return review(pack, fleet->fleet);
}

Review csv_review(const RulePack& pack, const std::string& installs) {
  return review(
      pack, test::reconcile_csv("PC-1,desktop,owned,active,,,\nSRV-1,server,owned,active,,1,8\n", installs, "").fleet);
}

/// Every suggestion of the review, one after another: the overlay a person starts from.
std::string overlay_of(const Review& r) {
  std::string out = "[pack]\nname = \"site\"\nrevision = \"1\"\n";
  for (const auto* groups : {&r.needs_review, &r.unrecognised})
    for (const auto& g : *groups) out += "\n" + g.suggestion;
  return out;
}

/// What a person does: uncomments the TOML lines of each suggestion and writes `reason`.
std::string filled(const std::string& overlay, const std::string& reason) {
  std::string out;
  for (std::size_t at = 0; at < overlay.size();) {
    const std::size_t end = overlay.find('\n', at);
    std::string line = overlay.substr(at, end - at);
    at = end == std::string::npos ? overlay.size() : end + 1;
    for (const char* key : {"# [[", "# pattern = ", "# reason = ", "# name = ", "# aliases = "})
      if (line.rfind(key, 0) == 0) line.erase(0, 2);
    if (line == "reason = \"\"" && !reason.empty()) line = "reason = \"" + reason + "\"";
    out += line + "\n";
  }
  return out;
}

Result<RulePack> with_overlay(const std::string& overlay) {
  auto site = io::parse_rule_pack(overlay, "site.toml");
  if (!site) return Result<RulePack>(site.error());
  return io::combine_rule_packs({test::microsoft_pack(), std::move(*site)});
}

/// The review's groups as text, to compare two reviews.
std::string groups(const Review& r) {
  std::string out;
  for (const auto* list : {&r.recognised, &r.excluded, &r.needs_review, &r.unrecognised}) {
    for (const auto& g : *list) out += g.name + "|" + g.detail + "|" + std::to_string(g.rows) + "\n";
    out += "--\n";
  }
  return out;
}

const char* const doubtful =
    "I-1,PC-1,Microsoft SQL Server 2019 (64-bit),Microsoft Corporation,15.0.2000.5\n"
    "I-2,PC-1,Microsoft Office Professional Plus - en-us,Microsoft Corporation,16.0.14332.20255\n"
    "I-3,PC-1,Microsoft Teams,Microsoft Corporation,1.6.00.4472\n"
    "I-4,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation (Europe),16.0.10402.20023\n"
    "I-5,SRV-1,Microsoft Windows Server 2022 Datacenter Evaluation,Microsoft Corporation,10.0.20348\n"
    "I-6,SRV-1,Microsoft SQL Server 2019 Developer,Microsoft Corporation,15.0.2000.5\n"
    "I-7,PC-1,\"Microsoft \"\"Tool\"\" \\ 1\",Microsoft Corporation,1.0\n";

TEST(OverlaySuggestion, EveryGroupToDecideHasOneAndItIsOnlyComments) {
  const Review r = csv_review(test::microsoft_pack(), doubtful);
  ASSERT_EQ(r.needs_review.size() + r.unrecognised.size(), 7u);
  for (const auto* list : {&r.needs_review, &r.unrecognised})
    for (const auto& g : *list) {
      ASSERT_FALSE(g.suggestion.empty()) << g.name;
      for (std::size_t at = 0; at < g.suggestion.size(); at = g.suggestion.find('\n', at) + 1)
        EXPECT_EQ(g.suggestion[at], '#') << g.suggestion;
    }
  // Pasted unchanged, the overlay loads and the review is the same.
  auto pack = with_overlay(overlay_of(r));
  ASSERT_TRUE(pack.has_value()) << to_string(pack.error()[0]);
  EXPECT_EQ(groups(csv_review(*pack, doubtful)), groups(r));
}

// A pack's own text (a review reason, a family name) with a line break in it stays inside the
// comment: pasted unchanged, the suggestion is still only comments.
TEST(OverlaySuggestion, APacksTextWithALineBreakStaysInTheComment) {
  Recognition r;
  r.kind = Recognition::Kind::needs_review;
  r.open = Recognition::Open::use;
  r.family = *test::microsoft_pack().find_family("windows-server");
  r.reason = "an evaluation copy\n[[component]]\npattern = \"Microsoft\"\nreason = \"free\"";
  const std::string s =
      detail::overlay_suggestion(test::microsoft_pack(), r, "Windows Server 2022 Evaluation", "Microsoft", "");
  ASSERT_FALSE(s.empty());
  for (std::size_t at = 0; at < s.size(); at = s.find('\n', at) + 1) EXPECT_EQ(s[at], '#') << s;
}

TEST(OverlaySuggestion, TheChoiceIsSpelledOutNeverMade) {
  const Review r = csv_review(test::microsoft_pack(), doubtful);
  std::string all;
  for (const auto& g : r.needs_review) all += g.suggestion;
  EXPECT_NE(all.find("Decide which SQL Server \"Microsoft SQL Server 2019 (64-bit)\" (publisher \"Microsoft "
                     "Corporation\") is: its edition, one of Express, Developer, Workgroup, Standard, Enterprise "
                     "or Datacenter."),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("its version, one of 2016, 2019, 2021 or 2024"), std::string::npos) << all;
  EXPECT_NE(all.find("# If it is Microsoft's, uncomment:\n# [[publisher]]\n# name = \"Microsoft\"\n"
                     "# aliases = [\"Microsoft Corporation (Europe)\"]\n"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("State each device's environment in devices.csv"), std::string::npos) << all;
  EXPECT_EQ(all.find("edition ="), std::string::npos);
}

TEST(OverlaySuggestion, UncommentedButNotFilledInIsRejected) {
  const Review r = csv_review(test::microsoft_pack(), doubtful);
  auto pack = with_overlay(filled(overlay_of(r), ""));
  ASSERT_FALSE(pack.has_value());
  EXPECT_EQ(to_string(pack.error()[0]).find("site.toml:"), 0u) << to_string(pack.error()[0]);
  EXPECT_NE(to_string(pack.error()[0]).find("bad-value"), std::string::npos);
  EXPECT_NE(to_string(pack.error()[0]).find("expected a non-empty string, found \"\""), std::string::npos)
      << to_string(pack.error()[0]);
}

// The round trip on the samples: GLPI's edition-less SQL Server shared-features entry and the
// registry's Teams, decided by their suggestions filled in, are excluded with the reason written;
// the rest of the review is unchanged.
TEST(OverlaySuggestion, FilledInTheRowsAreDecidedAsChosen) {
  const Review before = sample_review(test::microsoft_pack());
  ASSERT_EQ(before.needs_review.size(), 1u);
  ASSERT_EQ(before.unrecognised.size(), 1u);
  auto pack = with_overlay(filled(overlay_of(before), "decided by the site"));
  ASSERT_TRUE(pack.has_value()) << to_string(pack.error()[0]);
  const Review after = sample_review(*pack);
  EXPECT_TRUE(after.needs_review.empty());
  EXPECT_TRUE(after.unrecognised.empty());
  EXPECT_EQ(Review::total(after.recognised), Review::total(before.recognised));
  std::size_t decided = 0;
  for (const auto& g : after.excluded) decided += g.detail == "decided by the site" ? g.rows : 0;
  EXPECT_EQ(decided, Review::total(before.needs_review) + Review::total(before.unrecognised));
}

// A publisher alias is keyed on the publisher as reported: "Microsoft Corporation (Europe)" becomes Microsoft's,
// another spelling stays in review.
TEST(OverlaySuggestion, APublisherAliasDecidesThatSpellingOnly) {
  const std::string rows =
      "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation (Europe),16.0.10402.20023\n"
      "I-2,PC-1,Microsoft Office Professional Plus 2019,Contoso Packaging,16.0.10402.20023\n";
  const Review r = csv_review(test::microsoft_pack(), "I-1" + rows.substr(3, rows.find('\n') - 2));
  auto pack = with_overlay(filled(overlay_of(r), ""));
  ASSERT_TRUE(pack.has_value()) << to_string(pack.error()[0]);
  const Review after = csv_review(*pack, rows);
  ASSERT_EQ(after.recognised.size(), 1u);
  EXPECT_EQ(after.recognised[0].name, "Office Professional Plus 2019");
  EXPECT_EQ(after.recognised[0].rows, 1u);
  ASSERT_EQ(after.needs_review.size(), 1u);
  EXPECT_EQ(after.needs_review[0].detail, "Contoso Packaging");
}

}  // namespace
}  // namespace trueup
