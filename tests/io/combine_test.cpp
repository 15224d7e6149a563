// SPDX-License-Identifier: BSL-1.0
// File: tests/io/combine_test.cpp
//
// Several rule packs in one run (io::combine_rule_packs, docs/rule-packs.md "Several packs in
// one run"): the shipped Microsoft and Oracle packs side by side, a later pack adding spellings
// to a publisher, replacing a family only with `overlay = true`, and the errors that name both
// files when two packs define one family without saying so.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "trueup/io/rule_pack.hpp"

namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using trueup::RulePack;

RulePack parsed(const std::string& toml, const std::string& file) {
  auto p = trueup::io::parse_rule_pack(toml, file);
  if (!p) throw std::runtime_error(file + ": " + trueup::to_string(p.error().front()));
  return std::move(*p);
}

std::vector<std::string> rendered(const trueup::Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(trueup::to_string(d));
  return out;
}

// A pack of one publisher and one family `id` with the given extra family keys.
std::string pack_text(const std::string& name, const std::string& publisher, const std::string& aliases,
                      const std::string& id, const std::string& family_name, const std::string& extra = "") {
  return "[pack]\nname = \"" + name + "\"\nrevision = \"1\"\n[[publisher]]\nname = \"" + publisher + "\"\naliases = [" +
         aliases + "]\n[[family]]\nid = \"" + id + "\"\nname = \"" + family_name + "\"\npublisher = \"" + publisher +
         "\"\nmatch = [\"" + family_name + "\"]\n" + extra +
         "[[family.edition]]\nname = \"Standard\"\n[[family.version]]\nname = \"1\"\nreleased = 2020-01-01\n";
}

TEST(CombinedPacks, MicrosoftAndOracleSideBySide) {
  const std::string rules = std::string(TRUEUP_SOURCE_DIR) + "/rules/";
  auto both = trueup::io::load_rule_packs({rules + "microsoft.toml", rules + "oracle.toml"});
  ASSERT_TRUE(both) << rendered(both.error()).front();
  auto ms = trueup::io::load_rule_pack(rules + "microsoft.toml");
  ASSERT_TRUE(ms);
  EXPECT_EQ(both->families.size(), ms->families.size() + 1);
  // Every family keeps its own publisher; Microsoft's families keep their indices.
  const auto db = both->find_family("oracle-database");
  ASSERT_TRUE(db.has_value());
  EXPECT_EQ(both->publishers.at(both->family(*db).publisher).name, "Oracle");
  const auto office = both->find_family("office");
  ASSERT_TRUE(office.has_value());
  EXPECT_EQ(office->value, ms->find_family("office")->value);
  EXPECT_EQ(both->publishers.at(both->family(*office).publisher).name, "Microsoft");
  // CALs still serve Windows Server: `serves` points into the combined pack.
  for (const auto& f : both->families) {
    if (f.serves) {
      EXPECT_EQ(both->family(*f.serves).id, "windows-server") << f.id;
    }
  }
  // Reports name every pack with its revision, in the order given.
  EXPECT_EQ(both->label(), "microsoft " + ms->revision + ", oracle 2026.1");
  ASSERT_EQ(both->packs.size(), 2u);
  EXPECT_EQ(both->packs[1].source, rules + "oracle.toml");
  // Alone, a pack is named as before.
  EXPECT_EQ(ms->label(), "microsoft " + ms->revision);
}

TEST(CombinedPacks, TwoPacksDefiningOneFamilyIsAnErrorNamingBothFiles) {
  auto r = trueup::io::combine_rule_packs({parsed(pack_text("a", "Contoso", "", "designer", "Designer"), "a.toml"),
                                           parsed(pack_text("b", "Contoso", "", "designer", "Designer"), "b.toml")});
  ASSERT_FALSE(r);
  EXPECT_THAT(rendered(r.error()),
              ElementsAre("b.toml: error[duplicate-family]: expected family \"designer\" to be defined once, found it "
                          "in a.toml and in b.toml (write overlay = true in b.toml's family to replace a.toml's)"));
}

TEST(CombinedPacks, AnOverlayReplacesTheEarlierFamilyWholesale) {
  // A site pack after the shipped one: the same family with an extra recognition title.
  auto r = trueup::io::combine_rule_packs({parsed(pack_text("a", "Contoso", "", "designer", "Designer"), "a.toml"),
                                           parsed(pack_text("site", "Contoso", "\"Contoso Ltd\"", "designer",
                                                            "Designer", "overlay = true\nexclude = [\"Viewer\"]\n"),
                                                  "site.toml")});
  ASSERT_TRUE(r) << rendered(r.error()).front();
  ASSERT_EQ(r->families.size(), 1u);
  EXPECT_THAT(r->families[0].exclude, ElementsAre("Viewer"));
  EXPECT_TRUE(r->families[0].overlay);
  // The publisher named again is the same publisher, with the later pack's spelling added.
  ASSERT_EQ(r->publishers.size(), 1u);
  EXPECT_THAT(r->publishers[0].aliases, ElementsAre("Contoso Ltd"));
  EXPECT_EQ(r->label(), "a 1, site 1");
}

TEST(CombinedPacks, AnOverlayOfNothingAndAStolenNameAreErrors) {
  auto r = trueup::io::combine_rule_packs(
      {parsed(pack_text("a", "Contoso", "\"Contoso Ltd\"", "designer", "Designer"), "a.toml"),
       parsed(pack_text("b", "Fabrikam", "\"Contoso Ltd\"", "painter", "Designer", "overlay = true\n"), "b.toml")});
  ASSERT_FALSE(r);
  const auto all = rendered(r.error());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_THAT(all[0], HasSubstr("alias \"Contoso Ltd\" to name no other publisher, found it naming \"Contoso\""));
  EXPECT_THAT(all[1], HasSubstr("family \"painter\" with overlay = true to replace a family of an earlier pack, "
                                "found none of that id"));
  EXPECT_THAT(all[2], HasSubstr("family name \"Designer\" to be unique, found it already used by family "
                                "\"designer\" of a.toml"));
}

TEST(CombinedPacks, EveryPackThatFailsToLoadIsReported) {
  auto r = trueup::io::load_rule_packs({"no-such-pack-a", "no-such-pack-b"});
  ASSERT_FALSE(r);
  ASSERT_EQ(r.error().size(), 2u);
  EXPECT_EQ(r.error()[0].file, "no-such-pack-a.toml");
  EXPECT_EQ(r.error()[1].file, "no-such-pack-b.toml");
}

}  // namespace
