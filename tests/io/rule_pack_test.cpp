// SPDX-License-Identifier: BSL-1.0
// File: tests/io/rule_pack_test.cpp
//
// The rule-pack loader and the shipped Microsoft pack. The shipped pack must load without a
// diagnostic and state the rights of licensing-rules.md exactly: volume downgrades (D1-D3),
// the OEM Windows client table (§5.2), Windows Server OEM downgrade and down-edition (§5.3),
// no retail or OEM-application downgrades (R4, O6), per-version server metrics (§7). Broken
// packs are checked code by code against the exact rendered diagnostics, positions included.
#include "trueup/io/rule_pack.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "trueup/rules/down_edition.hpp"
#include "trueup/rules/downgrade.hpp"

namespace {

using testing::ElementsAre;
using testing::HasSubstr;
using trueup::Channel;
using trueup::Family;
using trueup::Metric;
using trueup::RulePack;

std::vector<std::string> rendered(const trueup::Diagnostics& ds) {
  std::vector<std::string> out;
  for (const auto& d : ds) out.push_back(trueup::to_string(d));
  return out;
}

// The diagnostics of a pack that must fail to parse.
std::vector<std::string> errors_of(std::string_view toml) {
  auto r = trueup::io::parse_rule_pack(toml, "pack.toml");
  if (r) return {"(parsed without errors)"};
  return rendered(r.error());
}

const RulePack& microsoft() {
  static const RulePack pack = [] {
    auto r = trueup::io::load_rule_pack("microsoft");
    if (!r) ADD_FAILURE() << testing::PrintToString(rendered(r.error()));
    return r ? *r : RulePack{};
  }();
  return pack;
}

const Family& family(const RulePack& pack, std::string_view id) {
  static const Family none{};
  const auto f = pack.find_family(id);
  if (!f) {
    ADD_FAILURE() << "no family " << id;
    return none;
  }
  return pack.family(*f);
}

std::uint16_t version(const Family& f, std::string_view name) {
  const auto v = f.find_version(name);
  if (!v) ADD_FAILURE() << f.id << " has no version " << name;
  return v.value_or(0);
}
std::uint16_t edition(const Family& f, std::string_view name) {
  const auto e = f.find_edition(name);
  if (!e) ADD_FAILURE() << f.id << " has no edition " << name;
  return e.value_or(0);
}

// The pack's rights are read on a date when every version they name was still supported, so
// that a right that ends with the earlier version's support (§5.2) is seen as granted.
const trueup::Date all_supported = trueup::Date::from_ymd(2013, 6, 30);

// Whether a `channel` licence for `edition` `from` may run `to` of the same edition.
bool may_downgrade(const Family& f, Channel channel, std::string_view ed, std::string_view from, std::string_view to) {
  return trueup::rules::downgrade_right(f, channel, edition(f, ed), version(f, from), version(f, to), all_supported) !=
         nullptr;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory for one test, removed afterwards (per process: build trees run in parallel).
class ScopedDir {
 public:
  explicit ScopedDir(std::string_view name)
      : path_(std::filesystem::path(testing::TempDir()) / (std::string(name) + "-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~ScopedDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScopedDir(const ScopedDir&) = delete;
  ScopedDir& operator=(const ScopedDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// --- the shipped Microsoft pack ------------------------------------------------------------

TEST(MicrosoftPack, LoadsByNameWithoutDiagnostics) {
  auto pack = trueup::io::load_rule_pack("microsoft");
  ASSERT_TRUE(pack) << testing::PrintToString(rendered(pack.error()));
  EXPECT_EQ(pack->name, "microsoft");
  EXPECT_EQ(pack->revision, "2026.11");
  EXPECT_EQ(std::filesystem::path(pack->source).filename(), "microsoft.toml");
}

TEST(MicrosoftPack, LoadsByPathAndRecordsThePath) {
  const std::string path = std::string(TRUEUP_SOURCE_DIR) + "/rules/microsoft.toml";
  auto pack = trueup::io::load_rule_pack(path);
  ASSERT_TRUE(pack) << testing::PrintToString(rendered(pack.error()));
  EXPECT_EQ(pack->source, path);
  EXPECT_EQ(pack->families.size(), microsoft().families.size());
}

TEST(MicrosoftPack, ListsTheRequiredFamiliesVersionsAndEditionsInOrder) {
  const auto names = [](const auto& xs) {
    std::vector<std::string> out;
    for (const auto& x : xs) out.push_back(x.name);
    return out;
  };
  const RulePack& pack = microsoft();
  EXPECT_THAT(names(family(pack, "windows").versions), ElementsAre("XP", "Vista", "7", "8", "8.1", "10", "11"));
  EXPECT_THAT(names(family(pack, "windows").editions),
              ElementsAre("Home", "Pro", "Pro Education", "Pro for Workstations", "Education", "Enterprise"));
  EXPECT_THAT(names(family(pack, "office").versions),
              ElementsAre("2003", "2007", "2010", "2013", "2016", "2019", "2021", "2024"));
  EXPECT_THAT(names(family(pack, "office").editions), ElementsAre("Starter", "Home and Student", "Home and Business",
                                                                  "Standard", "Professional", "Professional Plus"));
  EXPECT_THAT(names(family(pack, "windows-server").versions),
              ElementsAre("2003", "2003 R2", "2008", "2008 R2", "2012", "2012 R2", "2016", "2019", "2022", "2025"));
  EXPECT_THAT(names(family(pack, "windows-server").editions),
              ElementsAre("Essentials", "Standard", "Enterprise", "Datacenter"));
}

TEST(MicrosoftPack, ReleaseDatesAreTheGeneralAvailabilityDates) {
  const RulePack& pack = microsoft();
  const Family& windows = family(pack, "windows");
  EXPECT_EQ(windows.versions.at(version(windows, "XP")).released.iso(), "2001-10-25");
  EXPECT_EQ(windows.versions.at(version(windows, "8.1")).released.iso(), "2013-10-17");
  EXPECT_EQ(windows.versions.at(version(windows, "11")).released.iso(), "2021-10-04");
  const Family& office = family(pack, "office");
  EXPECT_EQ(office.versions.at(version(office, "2019")).released.iso(), "2018-09-24");
  EXPECT_EQ(office.versions.at(version(office, "2010")).build, "14.0");
  const Family& server = family(pack, "windows-server");
  EXPECT_EQ(server.versions.at(version(server, "2012 R2")).released.iso(), "2013-10-18");
  EXPECT_EQ(server.versions.at(version(server, "2025")).released.iso(), "2024-11-01");
}

// SA1: "made available" is the earlier of the price list and the VLSC download; each such date
// names its source.
TEST(MicrosoftPack, VolumeLicensingDatesPrecedeGeneralAvailabilityWithTheirSource) {
  const RulePack& pack = microsoft();
  const Family& office = family(pack, "office");
  const trueup::VersionSpec& o2013 = office.versions.at(version(office, "2013"));
  EXPECT_EQ(o2013.made_available().iso(), "2012-10-28");
  EXPECT_THAT(o2013.available_source, HasSubstr("VLSC"));
  for (const auto& f : pack.families)
    for (const auto& v : f.versions) {
      if (!v.available) continue;
      EXPECT_FALSE(v.released < *v.available) << f.id << " " << v.name;
      EXPECT_FALSE(v.available_source.empty()) << f.id << " " << v.name;
    }
  const Family& windows = family(pack, "windows");
  EXPECT_EQ(windows.versions.at(version(windows, "7")).support_end->iso(), "2020-01-14");
}

TEST(MicrosoftPack, WindowsServerMetricFollowsTheLicenceVersion) {
  const Family& server = family(microsoft(), "windows-server");
  EXPECT_EQ(server.versions.at(version(server, "2003")).metric, Metric::server);
  EXPECT_EQ(server.versions.at(version(server, "2008 R2")).metric, Metric::server);
  EXPECT_EQ(server.versions.at(version(server, "2012")).metric, Metric::processor);
  EXPECT_EQ(server.versions.at(version(server, "2012 R2")).metric, Metric::processor);
  EXPECT_EQ(server.versions.at(version(server, "2016")).metric, Metric::core);
  EXPECT_EQ(server.versions.at(version(server, "2025")).metric, Metric::core);
  EXPECT_EQ(family(microsoft(), "office").versions.front().metric, Metric::device);
}

TEST(MicrosoftPack, VolumeOffice2019ProPlusMayRun2016ProPlus) {
  const Family& office = family(microsoft(), "office");
  const auto* right = trueup::rules::downgrade_right(office, Channel::volume, edition(office, "ProPlus"),
                                                     version(office, "2019"), version(office, "2016"), all_supported);
  ASSERT_NE(right, nullptr);
  EXPECT_THAT(right->source, HasSubstr("D1, D3"));
  EXPECT_TRUE(may_downgrade(office, Channel::volume, "Standard", "2024", "2003"));
}

TEST(MicrosoftPack, OemAndRetailOfficeHaveNoDowngradeRights) {
  const Family& office = family(microsoft(), "office");
  EXPECT_FALSE(may_downgrade(office, Channel::oem, "Home and Business", "2019", "2016"));
  EXPECT_FALSE(may_downgrade(office, Channel::retail, "Professional", "2019", "2016"));
}

TEST(MicrosoftPack, OfficeProPlusDoesNotCoverStandard) {
  const Family& office = family(microsoft(), "office");
  EXPECT_FALSE(
      trueup::rules::down_edition_allowed(office, edition(office, "Professional Plus"), edition(office, "Standard")));
  for (const auto& e : office.editions) EXPECT_TRUE(e.covers.empty()) << e.name;
}

TEST(MicrosoftPack, OfficeStarterIsAFreeEdition) {
  const Family& office = family(microsoft(), "office");
  EXPECT_TRUE(office.editions.at(edition(office, "Starter")).free);
  EXPECT_FALSE(office.editions.at(edition(office, "Standard")).free);
}

TEST(MicrosoftPack, OemWindows10ProMayRun7ProButNotXp) {
  const Family& windows = family(microsoft(), "windows");
  EXPECT_TRUE(may_downgrade(windows, Channel::oem, "Pro", "10", "8.1"));
  EXPECT_TRUE(may_downgrade(windows, Channel::oem, "Pro", "10", "7"));
  EXPECT_FALSE(may_downgrade(windows, Channel::oem, "Pro", "10", "8"));
  EXPECT_FALSE(may_downgrade(windows, Channel::oem, "Pro", "10", "XP"));
}

TEST(MicrosoftPack, OemWindowsDowngradesFollowTheOemTable) {
  const Family& windows = family(microsoft(), "windows");
  EXPECT_TRUE(may_downgrade(windows, Channel::oem, "Pro", "8", "7"));
  EXPECT_TRUE(may_downgrade(windows, Channel::oem, "Business", "8", "Vista"));
  EXPECT_TRUE(may_downgrade(windows, Channel::oem, "Professional", "7", "XP"));
  // 8.1 Pro is not in the table (§5.2), Home editions have no OEM downgrade rights.
  EXPECT_FALSE(may_downgrade(windows, Channel::oem, "Pro", "8.1", "8"));
  EXPECT_FALSE(may_downgrade(windows, Channel::oem, "Home", "10", "7"));
  EXPECT_FALSE(may_downgrade(windows, Channel::oem, "Enterprise", "10", "7"));
}

TEST(MicrosoftPack, Windows11ProOemRightIsMarkedUnverified) {
  const Family& windows = family(microsoft(), "windows");
  const auto* right = trueup::rules::downgrade_right(windows, Channel::oem, edition(windows, "Pro"),
                                                     version(windows, "11"), version(windows, "10"), all_supported);
  ASSERT_NE(right, nullptr);
  EXPECT_THAT(right->source, HasSubstr("unverified"));
}

TEST(MicrosoftPack, VolumeWindowsMayRunAnyEarlierVersionOfTheSameEdition) {
  const Family& windows = family(microsoft(), "windows");
  EXPECT_TRUE(may_downgrade(windows, Channel::volume, "Enterprise", "11", "7"));
  EXPECT_TRUE(may_downgrade(windows, Channel::volume, "Pro", "10", "XP"));
  // The one down-edition right documented for Windows client: Enterprise also covers Pro.
  for (const auto& e : windows.editions) EXPECT_EQ(e.covers.empty(), e.name != "Enterprise") << e.name;
  EXPECT_TRUE(trueup::rules::down_edition_allowed(windows, edition(windows, "Enterprise"), edition(windows, "Pro")));
  EXPECT_FALSE(trueup::rules::down_edition_allowed(windows, edition(windows, "Enterprise"), edition(windows, "Home")));
}

TEST(MicrosoftPack, RetailLicencesHaveNoDowngradeRights) {
  for (const auto& f : microsoft().families)
    for (const auto& r : f.downgrades) EXPECT_NE(r.channel, Channel::retail) << f.id << ": " << r.source;
}

TEST(MicrosoftPack, OemServer2019MayRun2016And2012R2Only) {
  const Family& server = family(microsoft(), "windows-server");
  EXPECT_TRUE(may_downgrade(server, Channel::oem, "Datacenter", "2019", "2016"));
  EXPECT_TRUE(may_downgrade(server, Channel::oem, "Standard", "2019", "2012 R2"));
  EXPECT_FALSE(may_downgrade(server, Channel::oem, "Standard", "2019", "2012"));
  EXPECT_TRUE(may_downgrade(server, Channel::oem, "Standard", "2016", "2012"));
  EXPECT_TRUE(may_downgrade(server, Channel::oem, "Standard", "2012 R2", "2008"));
  EXPECT_FALSE(may_downgrade(server, Channel::oem, "Standard", "2022", "2019"));
  EXPECT_TRUE(may_downgrade(server, Channel::volume, "Standard", "2025", "2003"));
}

TEST(MicrosoftPack, DatacenterCoversStandardAndEssentials) {
  const Family& server = family(microsoft(), "windows-server");
  const auto datacenter = edition(server, "Datacenter"), standard = edition(server, "Standard"),
             essentials = edition(server, "Essentials"), enterprise = edition(server, "Enterprise");
  EXPECT_TRUE(trueup::rules::down_edition_allowed(server, datacenter, standard));
  EXPECT_TRUE(trueup::rules::down_edition_allowed(server, datacenter, essentials));
  EXPECT_TRUE(trueup::rules::down_edition_allowed(server, standard, essentials));
  EXPECT_FALSE(trueup::rules::down_edition_allowed(server, standard, datacenter));
  EXPECT_FALSE(trueup::rules::down_edition_allowed(server, datacenter, enterprise));
  // Enterprise (2003-2008 R2) runs Standard; Datacenter and Standard of 2012 and later run
  // 2008 R2 Enterprise and earlier, a right that depends on the versions (§5.3).
  EXPECT_TRUE(trueup::rules::down_edition_allowed(server, enterprise, standard));
  EXPECT_TRUE(trueup::rules::down_edition_source(server, standard, version(server, "2016"), enterprise,
                                                 version(server, "2008 R2"))
                  .has_value());
  EXPECT_FALSE(trueup::rules::down_edition_source(server, standard, version(server, "2008 R2"), enterprise,
                                                  version(server, "2008 R2"))
                   .has_value());
  EXPECT_THAT(server.editions.at(datacenter).covers_source, HasSubstr("§5.3"));
}

TEST(MicrosoftPack, ComponentsIncludeThePractitionersExclusionList) {
  std::vector<std::string> patterns;
  for (const auto& c : microsoft().components) {
    patterns.push_back(c.pattern);
    EXPECT_FALSE(c.reason.empty()) << c.pattern;
  }
  for (const char* p : {"Update for", "Security Update", "Hotfix", "Service Pack", "MUI", "Language Pack",
                        "Proofing Tools", "Proof", "Redistributable", "KB", ".NET Framework", "Visual C++"})
    EXPECT_THAT(patterns, testing::Contains(std::string(p)));
  const auto& publisher = microsoft().publishers.at(0);
  EXPECT_EQ(publisher.name, "Microsoft");
  EXPECT_THAT(publisher.aliases, testing::Contains(std::string("Microsoft Corporation")));
}

// --- lookup ----------------------------------------------------------------------------------

TEST(RulePackLookup, UnknownNameListsTheDirectoriesSearched) {
  // $TRUEUP_RULES_PATH, then the application's directories, then the installed packs; never
  // the source tree (an installed library must not look where it was built).
  const ScopedEnv env("TRUEUP_RULES_PATH", "/nonexistent/a::/nonexistent/b");
  auto pack = trueup::io::load_rule_pack("contoso", {"/nonexistent/app"});
  ASSERT_FALSE(pack);
  ASSERT_EQ(pack.error().size(), 1u);
  const std::string text = trueup::to_string(pack.error()[0]);
  EXPECT_THAT(text,
              testing::StartsWith("contoso.toml: error[unknown-rule-pack]: expected a rule pack named "
                                  "\"contoso\" (contoso.toml in /nonexistent/a, /nonexistent/b, /nonexistent/app, "));
  EXPECT_THAT(text, testing::EndsWith("/share/trueup/rules), found none"));
  EXPECT_THAT(text, testing::Not(testing::HasSubstr(TRUEUP_SOURCE_DIR)));
}

TEST(RulePackLookup, TrueupRulesPathComesBeforeTheShippedPacks) {
  const ScopedDir tmp("trueup-rule-pack-test-path");
  const auto& dir = tmp.path();
  std::string text = read_file(std::string(TRUEUP_SOURCE_DIR) + "/rules/microsoft.toml");
  const std::string from = "revision = \"2026.11\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "revision = \"local\"");
  std::ofstream(dir / "microsoft.toml") << text;

  const ScopedEnv env("TRUEUP_RULES_PATH", "/nonexistent:" + dir.string());
  auto pack = trueup::io::load_rule_pack("microsoft");
  ASSERT_TRUE(pack) << testing::PrintToString(rendered(pack.error()));
  EXPECT_EQ(pack->revision, "local");
  EXPECT_EQ(pack->source, (dir / "microsoft.toml").string());
}

TEST(RulePackLookup, DiagnosticsNameThePathAsGivenOrTheNameDotToml) {
  const ScopedDir tmp("trueup-rule-pack-test-broken");
  const auto& dir = tmp.path();
  std::ofstream(dir / "broken.toml") << "[pack]\nname = \"broken\"\n";

  auto by_path = trueup::io::load_rule_pack((dir / "broken.toml").string());
  ASSERT_FALSE(by_path);
  EXPECT_THAT(rendered(by_path.error()),
              ElementsAre((dir / "broken.toml").string() +
                          ":1:1: error[missing-key]: expected key `revision` in [pack], found none"));

  const ScopedEnv env("TRUEUP_RULES_PATH", dir.string());
  auto by_name = trueup::io::load_rule_pack("broken");
  ASSERT_FALSE(by_name);
  EXPECT_THAT(rendered(by_name.error()),
              ElementsAre("broken.toml:1:1: error[missing-key]: expected key `revision` in [pack], found none"));
}

TEST(RulePackLookup, MissingFileIsReportedNotThrown) {
  auto pack = trueup::io::load_rule_pack("no/such/pack.toml");
  ASSERT_FALSE(pack);
  EXPECT_THAT(rendered(pack.error()),
              ElementsAre("no/such/pack.toml: error[unreadable-file]: expected a rule-pack file, found no such file"));
}

// --- the format --------------------------------------------------------------------------------

// The smallest valid pack; the broken packs below are variations of it.
constexpr std::string_view minimal = R"([pack]
name = "contoso"
revision = "1"

[[publisher]]
name = "Contoso"

[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
)";

TEST(RulePackFormat, MinimalPackTakesTheDocumentedDefaults) {
  auto pack = trueup::io::parse_rule_pack(minimal, "minimal.toml");
  ASSERT_TRUE(pack) << testing::PrintToString(rendered(pack.error()));
  EXPECT_EQ(pack->source, "minimal.toml");
  const Family& f = pack->families.at(0);
  EXPECT_EQ(f.publisher, 0);
  EXPECT_TRUE(f.match.empty());
  EXPECT_FALSE(f.editions.at(0).free);
  EXPECT_THAT(f.versions.at(0).tokens, ElementsAre("2022"));
  EXPECT_EQ(f.versions.at(0).metric, Metric::device);
  EXPECT_EQ(f.versions.at(0).build, "");
  EXPECT_TRUE(f.downgrades.empty());
}

TEST(RulePackFormat, TheDocumentedExampleLoads) {
  const std::string doc = read_file(std::string(TRUEUP_SOURCE_DIR) + "/docs/rule-packs.md");
  const std::string open = "```toml\n";
  const auto begin = doc.find(open);
  ASSERT_NE(begin, std::string::npos);
  const auto end = doc.find("```", begin + open.size());
  ASSERT_NE(end, std::string::npos);
  auto pack = trueup::io::parse_rule_pack(doc.substr(begin + open.size(), end - begin - open.size()), "rule-packs.md");
  ASSERT_TRUE(pack) << testing::PrintToString(rendered(pack.error()));
  const Family& f = pack->families.at(0);
  EXPECT_EQ(f.id, "designer");
  EXPECT_TRUE(f.editions.at(0).free);
  EXPECT_TRUE(trueup::rules::down_edition_allowed(f, 2, 1));
  EXPECT_EQ(f.versions.at(1).metric, Metric::server);
  EXPECT_THAT(f.versions.at(1).tokens, ElementsAre("2024 R2", "2024R2"));
  EXPECT_TRUE(may_downgrade(f, Channel::volume, "Std", "2024 R2", "2022"));
  EXPECT_TRUE(may_downgrade(f, Channel::oem, "Pro", "2024 R2", "2022"));
  EXPECT_FALSE(may_downgrade(f, Channel::oem, "Standard", "2024 R2", "2022"));
}

TEST(RulePackFormat, AReviewPatternNeedsItsReasonAndItsSource) {
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.review]]
  pattern = "Trial"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  released = 2022-01-01
)"),
      ElementsAre("pack.toml:10:3: error[missing-key]: expected key `reason` in [[family.review]], found none",
                  "pack.toml:10:3: error[missing-key]: expected key `source` in [[family.review]], found none"));
}

TEST(RulePackFormat, ReportsTomlSyntaxErrorWithPosition) {
  EXPECT_THAT(errors_of("[pack]\nname = \"contoso\nrevision = \"1\"\n"),
              ElementsAre("pack.toml:2:16: error[toml-syntax]: expected valid TOML, found an error while parsing "
                          "string: unescaped control characters other than TAB (U+0009) are explicitly prohibited"));
}

TEST(RulePackFormat, ReportsMissingKeyAtTheTableHeader) {
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
)"),
      ElementsAre("pack.toml:6:1: error[missing-key]: expected key `name` in [[family]], found none",
                  "pack.toml:11:3: error[missing-key]: expected key `released` in [[family.version]], found none"));
  EXPECT_THAT(errors_of("[[publisher]]\nname = \"Contoso\"\n"),
              ElementsAre("pack.toml: error[missing-key]: expected table [pack], found none"));
}

TEST(RulePackFormat, ReportsMisspeltKeyAsUnknown) {
  // `cover` for `covers`: ignoring it would silently drop a down-edition right.
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.edition]]
  name = "Professional"
  cover = ["Standard"]
  [[family.version]]
  name = "2022"
  released = 2022-03-01
[extras]
)"),
              ElementsAre("pack.toml:14:3: error[unknown-key]: expected one of `name`, `aliases`, `free`, `covers`, "
                          "`source`, `production_edition`, `production_source` in [[family.edition]], found `cover`",
                          "pack.toml:18:2: error[unknown-key]: expected one of `pack`, `publisher`, `component`, "
                          "`family` in the top level, found `extras`"));
}

TEST(RulePackFormat, ReportsWrongTypeAtTheValue) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = 2026.11
[[publisher]]
name = "Contoso"
aliases = "Contoso Ltd."
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  free = "no"
  [[family.version]]
  name = 2022
  released = "2022-03-01"
)"),
              ElementsAre("pack.toml:3:12: error[bad-type]: expected a string, found a floating-point number",
                          "pack.toml:6:11: error[bad-type]: expected an array of strings, found a string",
                          "pack.toml:13:10: error[bad-type]: expected a boolean, found a string",
                          "pack.toml:15:10: error[bad-type]: expected a string, found an integer",
                          "pack.toml:16:14: error[bad-type]: expected a date (YYYY-MM-DD, unquoted), found a string"));
  EXPECT_THAT(errors_of("[pack]\nname = \"contoso\"\nrevision = \"1\"\n[family]\nid = \"designer\"\n"),
              ElementsAre("pack.toml:4:1: error[bad-type]: expected an array of tables ([[family]]), found a table"));
}

TEST(RulePackFormat, ReportsValuesOutsideTheirLists) {
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "Designer"
name = "Designer"
publisher = "Contoso"
match = ["--"]
metric = "seat"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  build = "22.x"
  released = 2022-03-01
  [[family.downgrade]]
  channel = "lease"
  versions = "all"
  source = "EULA"
  [[family.downgrade]]
  channel = "oem"
  editions = []
  versions = "any-earlier"
  from = "2022"
  source = "EULA"
)"),
      ElementsAre(
          "pack.toml:7:6: error[bad-value]: expected a family id of lowercase letters, digits and '-', "
          "found \"Designer\"",
          "pack.toml:10:10: error[bad-value]: expected a title pattern with a letter or digit, found \"--\"",
          "pack.toml:11:10: error[bad-value]: expected one of device, server, processor, core, user, "
          "user-cal, device-cal, found \"seat\"",
          "pack.toml:16:11: error[bad-value]: expected a version-string prefix such as \"16.0\", found "
          "\"22.x\"",
          "pack.toml:19:13: error[bad-value]: expected one of oem, retail, volume, subscription, found \"lease\"",
          "pack.toml:20:14: error[bad-value]: expected \"any-earlier\", found \"all\"",
          "pack.toml:24:14: error[bad-value]: expected at least one edition (leave `editions` out for every "
          "edition), found []",
          "pack.toml:25:14: error[bad-value]: expected either `versions = \"any-earlier\"` or `from` and "
          "`to`, found both"));
}

TEST(RulePackFormat, ReportsRightsThatPointTheWrongWay) {
  // A lower edition covering a higher one, or a "downgrade" to a later version.
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  covers = ["Professional"]
  source = "EULA"
  [[family.edition]]
  name = "Professional"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.version]]
  name = "2024"
  released = 2024-03-01
  [[family.downgrade]]
  channel = "oem"
  from = "2022"
  to = ["2024", "2022"]
  source = "EULA"
)"),
      ElementsAre("pack.toml:12:13: error[bad-value]: expected an edition ranked below `Standard` (listed "
                  "before it), found \"Professional\"",
                  "pack.toml:25:9: error[bad-value]: expected a version released before `2022`, found \"2024\"",
                  "pack.toml:25:17: error[bad-value]: expected a version released before `2022`, found \"2022\""));
}

// An edition free for development and test only (SQL10) names the edition it is licensed as
// in production: free itself, another edition that needs licences, and a source.
TEST(RulePackFormat, ReportsAProductionEditionThatCannotBeMeant) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Trial"
  production_edition = "Professional"
  production_source = "EULA"
  [[family.edition]]
  name = "Developer"
  free = true
  production_edition = "Developer"
  production_source = "EULA"
  [[family.edition]]
  name = "Express"
  free = true
  production_edition = "Lab"
  production_source = "EULA"
  [[family.edition]]
  name = "Lab"
  free = true
  production_edition = "Ultimate"
  production_source = "EULA"
  [[family.edition]]
  name = "Demo"
  free = true
  production_edition = "Professional"
  [[family.edition]]
  name = "Professional"
  [[family.version]]
  name = "2024"
  released = 2024-03-01
)"),
              ElementsAre("pack.toml:12:24: error[bad-value]: expected `free = true` beside `production_edition` (an "
                          "edition free outside production), found an edition that is never free",
                          "pack.toml:17:24: error[bad-value]: expected another edition of the family for "
                          "`production_edition`, found the edition itself",
                          "pack.toml:22:24: error[bad-value]: expected an edition that needs licences for "
                          "`production_edition`, found the free edition \"Lab\"",
                          "pack.toml:27:24: error[unknown-edition]: expected an edition of family `designer` (Trial, "
                          "Developer, Express, Lab, Demo, Professional), found \"Ultimate\"",
                          "pack.toml:29:3: error[missing-source]: expected key `production_source` naming where the "
                          "production edition of `Demo` is granted in [[family.edition]], found none"));
}

TEST(RulePackFormat, ReportsDuplicateIdsWithTheFirstLine) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
aliases = ["Contoso"]
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  aliases = ["Std"]
  [[family.edition]]
  name = "Std"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.version]]
  name = "2022"
  released = 2023-03-01
[[family]]
id = "designer"
name = "Designer 2"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
)"),
              ElementsAre("pack.toml:6:12: error[duplicate-id]: expected a unique publisher name or alias, found "
                          "\"Contoso\" again (first at line 5)",
                          "pack.toml:15:10: error[duplicate-id]: expected a unique edition name or alias in family "
                          "`designer`, found \"Std\" again (first at line 13)",
                          "pack.toml:20:10: error[duplicate-id]: expected a unique version name in family `designer`, "
                          "found \"2022\" again (first at line 17)",
                          "pack.toml:23:6: error[duplicate-id]: expected a unique family id, found \"designer\" again "
                          "(first at line 8)"));
}

TEST(RulePackFormat, ReportsTitleWordsThatTwoEditionsOrVersionsShare) {
  // Recognition compares normalised words: "PRO" is "Pro", and a token "2024" on 2024 R2
  // would make every "2024" title ambiguous. Either would silently resolve to the first.
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Pro"
  [[family.edition]]
  name = "Enterprise"
  aliases = ["PRO"]
  [[family.version]]
  name = "2024"
  released = 2024-03-01
  [[family.version]]
  name = "2024 R2"
  tokens = ["2024 R2", "2024"]
  released = 2024-09-01
)"),
              ElementsAre("pack.toml:14:14: error[duplicate-id]: expected a unique edition name or alias in family "
                          "`designer`, found \"PRO\" again (first at line 11)",
                          "pack.toml:20:24: error[duplicate-id]: expected a unique version token in family "
                          "`designer`, found \"2024\" again (first at line 16)"));
}

// CAL3: the shipped RDS CALs are a service's CALs, one licensing mode per session host; the keys
// belong to CAL families only, and a service is an id (access.csv names it).
TEST(RulePackFormat, ReadsACalFamilysServiceAndModeAndRefusesThemElsewhere) {
  const auto rds = microsoft().find_family("windows-server-rds-cal");
  ASSERT_TRUE(rds);
  EXPECT_EQ(microsoft().family(*rds).service, "remote-desktop");
  EXPECT_TRUE(microsoft().family(*rds).one_mode_per_server);
  const auto base = microsoft().find_family("windows-server-cal");
  ASSERT_TRUE(base);
  EXPECT_EQ(microsoft().family(*base).service, "");
  EXPECT_FALSE(microsoft().family(*base).one_mode_per_server);

  std::string device(minimal);
  device.replace(device.find("publisher = \"Contoso\"\n  [[family.edition]]"), 21,
                 "publisher = \"Contoso\"\nservice = \"remote-desktop\"\none_mode_per_server = true");
  EXPECT_THAT(
      errors_of(device),
      ElementsAre(HasSubstr("error[bad-value]: expected `service` only in a family with licensing = \"access\""),
                  HasSubstr("error[bad-value]: expected `one_mode_per_server` only in a family with licensing "
                            "= \"access\"")));
  std::string spelled = read_file(std::filesystem::path(TRUEUP_SOURCE_DIR) / "rules/microsoft.toml");
  spelled.replace(spelled.find("service = \"remote-desktop\""), 26, "service = \"Remote Desktop\"");
  EXPECT_THAT(errors_of(spelled), ElementsAre(HasSubstr("error[bad-value]: expected a service of lowercase letters, "
                                                        "digits and '-', found \"Remote Desktop\"")));
}

TEST(RulePackFormat, ReportsUnknownPublisher) {
  std::string text(minimal);
  text.replace(text.find("publisher = \"Contoso\""), 21, "publisher = \"Contosso\"");
  EXPECT_THAT(errors_of(text),
              ElementsAre("pack.toml:11:13: error[unknown-publisher]: expected a publisher declared in [[publisher]] "
                          "(Contoso), found \"Contosso\""));
}

TEST(RulePackFormat, PublisherMayBeNamedByAlias) {
  std::string text(minimal);
  text.replace(text.find("name = \"Contoso\""), 16, "name = \"Contoso\"\naliases = [\"Contoso Ltd.\"]");
  text.replace(text.find("publisher = \"Contoso\""), 21, "publisher = \"Contoso Ltd.\"");
  auto pack = trueup::io::parse_rule_pack(text, "pack.toml");
  ASSERT_TRUE(pack) << testing::PrintToString(rendered(pack.error()));
  EXPECT_EQ(pack->families.at(0).publisher, 0);
}

TEST(RulePackFormat, ReportsUnknownEditionInCoversAndDowngrades) {
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.edition]]
  name = "Professional"
  covers = ["Standrad"]
  source = "EULA"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.downgrade]]
  channel = "volume"
  editions = ["Professional", "Enterprise"]
  versions = "any-earlier"
  source = "EULA"
)"),
      ElementsAre("pack.toml:14:13: error[unknown-edition]: expected an edition of family `designer` (Standard, "
                  "Professional), found \"Standrad\"",
                  "pack.toml:21:31: error[unknown-edition]: expected an edition of family `designer` (Standard, "
                  "Professional), found \"Enterprise\""));
}

TEST(RulePackFormat, ReportsUnknownVersionInDowngrades) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.version]]
  name = "2024"
  released = 2024-03-01
  [[family.downgrade]]
  channel = "oem"
  from = "2025"
  to = ["2022", "2021"]
  source = "EULA"
)"),
              ElementsAre("pack.toml:20:10: error[unknown-version]: expected a version of family `designer` (2022, "
                          "2024), found \"2025\"",
                          "pack.toml:21:17: error[unknown-version]: expected a version of family `designer` (2022, "
                          "2024), found \"2021\""));
}

TEST(RulePackFormat, ReportsVersionsOutOfReleaseOrder) {
  // Office 2016 listed after 2019: index order would let a 2016 licence "downgrade" to 2019.
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "office"
name = "Office"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2019"
  released = 2018-09-24
  [[family.version]]
  name = "2016"
  released = 2015-09-22
)"),
              ElementsAre("pack.toml:17:14: error[version-order]: expected a release date after 2018-09-24 (version "
                          "`2019` is listed before it), found 2015-09-22"));
}

TEST(RulePackFormat, ReportsRightsWithoutSource) {
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.edition]]
  name = "Professional"
  covers = ["Standard"]
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.downgrade]]
  channel = "volume"
  versions = "any-earlier"
  [[family.downgrade]]
  channel = "oem"
  versions = "any-earlier"
  source = ""
)"),
      ElementsAre("pack.toml:12:3: error[missing-source]: expected key `source` naming where the down-edition "
                  "right of `Professional` is granted in [[family.edition]], found none",
                  "pack.toml:18:3: error[missing-source]: expected key `source` naming where the downgrade right "
                  "is granted in [[family.downgrade]], found none",
                  "pack.toml:24:12: error[missing-source]: expected a `source` naming where the downgrade right is "
                  "granted, found \"\""));
}

TEST(RulePackFormat, ReportsFamilyWithoutVersionsOrEditions) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
match = ["Contoso Designer"]
)"),
              ElementsAre("pack.toml:6:1: error[empty-family]: expected at least one [[family.edition]] in family "
                          "`designer`, found none",
                          "pack.toml:6:1: error[empty-family]: expected at least one [[family.version]] in family "
                          "`designer`, found none"));
}

TEST(RulePackFormat, DowngradeNeedsEitherAnyEarlierOrFromAndTo) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.downgrade]]
  channel = "volume"
  source = "EULA"
  [[family.downgrade]]
  channel = "oem"
  from = "2022"
  source = "EULA"
)"),
              ElementsAre("pack.toml:15:3: error[missing-key]: expected key `versions` or keys `from` and `to` in "
                          "[[family.downgrade]], found none",
                          "pack.toml:18:3: error[missing-key]: expected key `to` in [[family.downgrade]], found none"));
}

TEST(RulePackFormat, ReportsEveryErrorOfABrokenPackInFileOrder) {
  // One pack, six mistakes of six kinds: all are reported, in the order they appear.
  EXPECT_THAT(
      errors_of(R"([pack]
name = "contoso"
revison = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso Ltd"
metric = "per-core"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2024"
  released = 2024-03-01
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.downgrade]]
  channel = "volume"
  versions = "any-earlier"
)"),
      ElementsAre("pack.toml:1:1: error[missing-key]: expected key `revision` in [pack], found none",
                  "pack.toml:3:1: error[unknown-key]: expected one of `name`, `revision`, `description` in [pack], "
                  "found `revison`",
                  "pack.toml:9:13: error[unknown-publisher]: expected a publisher declared in [[publisher]] "
                  "(Contoso), found \"Contoso Ltd\"",
                  "pack.toml:10:10: error[bad-value]: expected one of device, server, processor, core, user, "
                  "user-cal, device-cal, found \"per-core\"",
                  "pack.toml:18:14: error[version-order]: expected a release date after 2024-03-01 (version "
                  "`2024` is listed before it), found 2022-03-01",
                  "pack.toml:19:3: error[missing-source]: expected key `source` naming where the downgrade right "
                  "is granted in [[family.downgrade]], found none"));
}

}  // namespace

TEST(RulePackFormat, ReadsReassignmentLimitsAndRejectsOemOrARepeatedChannel) {
  const std::string head = R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "designer"
name = "Designer"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2022"
  released = 2022-03-01
  [[family.reassignment]]
  channels = ["volume", "retail"]
  days = 90
  source = "EULA 4.2"
)";
  auto pack = trueup::io::parse_rule_pack(head, "pack.toml");
  ASSERT_TRUE(pack.has_value());
  const trueup::Family& f = pack->families[0];
  ASSERT_NE(f.reassignment_rule(trueup::Channel::retail), nullptr);
  EXPECT_EQ(f.reassignment_rule(trueup::Channel::volume)->days, 90u);
  EXPECT_EQ(f.reassignment_rule(trueup::Channel::volume)->source, "EULA 4.2");
  EXPECT_EQ(f.reassignment_rule(trueup::Channel::subscription), nullptr);
  EXPECT_THAT(errors_of(head + R"(  [[family.reassignment]]
  channels = ["oem", "volume"]
  days = 30
  source = "EULA 4.3"
)"),
              ElementsAre("pack.toml:20:15: error[bad-value]: expected one of retail, volume, subscription (an OEM "
                          "licence never moves, O1), found \"oem\"",
                          "pack.toml:20:22: error[bad-value]: expected each channel in one [[family.reassignment]], "
                          "found \"volume\" again"));
}

// --- the rights of the published examples: dates, upgrades, conversions, terms ---------------

namespace {

// A server family of three versions and three editions (24 lines): the packs below append
// their rights to it, so the first appended line is line 25.
constexpr std::string_view server_head = R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "server"
name = "Server"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.edition]]
  name = "Enterprise"
  [[family.edition]]
  name = "Datacenter"
  [[family.version]]
  name = "2008 R2"
  released = 2009-10-22
  [[family.version]]
  name = "2012"
  released = 2012-09-04
  [[family.version]]
  name = "2016"
  released = 2016-10-12
)";

// The first family of a pack that must load.
Family family_of(std::string_view toml) {
  auto pack = trueup::io::parse_rule_pack(toml, "pack.toml");
  if (!pack) {
    ADD_FAILURE() << testing::PrintToString(rendered(pack.error()));
    return Family{};
  }
  return pack->families.at(0);
}

// A pack with versions that state when they were made available and when support ended.
constexpr std::string_view dated_versions = R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "office"
name = "Office"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2010"
  released = 2010-06-15
  support_end = 2020-10-13
  support_source = "Microsoft Lifecycle: Office 2010"
  [[family.version]]
  name = "2013"
  released = 2013-01-29
  available = 2012-10-28
  available_source = "VLSC availability, licensing-rules SA1"
  [[family.version]]
  name = "2016"
  released = 2015-09-22
)";

}  // namespace

TEST(RulePackRights, ReadsWhenAVersionWasMadeAvailableAndWhenItsSupportEnds) {
  const Family f = family_of(dated_versions);
  ASSERT_EQ(f.versions.size(), 3u);
  const auto& v2010 = f.versions[0];
  const auto& v2013 = f.versions[1];
  const auto& v2016 = f.versions[2];
  ASSERT_TRUE(v2010.support_end.has_value());
  EXPECT_EQ(v2010.support_end->iso(), "2020-10-13");
  EXPECT_EQ(v2010.support_source, "Microsoft Lifecycle: Office 2010");
  EXPECT_FALSE(v2010.available.has_value());
  ASSERT_TRUE(v2013.available.has_value());
  EXPECT_EQ(v2013.available->iso(), "2012-10-28");
  EXPECT_EQ(v2013.available_source, "VLSC availability, licensing-rules SA1");
  EXPECT_EQ(v2013.made_available().iso(), "2012-10-28");
  EXPECT_FALSE(v2013.support_end.has_value());
  // Without `available`, a version is made available at general availability.
  EXPECT_EQ(v2016.made_available().iso(), "2015-09-22");
  EXPECT_TRUE(v2016.available_source.empty());
  EXPECT_TRUE(v2016.support_source.empty());
}

TEST(RulePackRights, ReportsVersionDatesOutOfOrderOrWithoutTheirSources) {
  EXPECT_THAT(errors_of(R"([pack]
name = "contoso"
revision = "1"
[[publisher]]
name = "Contoso"
[[family]]
id = "office"
name = "Office"
publisher = "Contoso"
  [[family.edition]]
  name = "Standard"
  [[family.version]]
  name = "2013"
  released = 2013-01-29
  available = 2013-02-01
  support_end = 2013-01-29
  [[family.version]]
  name = "2016"
  released = 2015-09-22
  available = "2015-09-01"
  available_source = "VLSC"
  support_source = ""
  [[family.version]]
  name = "2019"
  released = 2018-09-24
  support_end = 2025-10-14
  support_source = ""
  available_source = "VLSC"
)"),
              ElementsAre("pack.toml:12:3: error[missing-source]: expected key `available_source` naming where the "
                          "volume-licensing availability of version `2013` is stated in [[family.version]], found none",
                          "pack.toml:12:3: error[missing-source]: expected key `support_source` naming where the end "
                          "of support of version `2013` is stated in [[family.version]], found none",
                          "pack.toml:15:15: error[bad-value]: expected an `available` date on or before `released` "
                          "(2013-01-29), found 2013-02-01",
                          "pack.toml:16:17: error[bad-value]: expected a `support_end` date after `released` "
                          "(2013-01-29), found 2013-01-29",
                          "pack.toml:17:3: error[missing-key]: expected key `support_end` in [[family.version]] "
                          "(`support_source` is the source of its date), found none",
                          "pack.toml:20:15: error[bad-type]: expected a date (YYYY-MM-DD, unquoted), found a string",
                          "pack.toml:23:3: error[missing-key]: expected key `available` in [[family.version]] "
                          "(`available_source` is the source of its date), found none",
                          "pack.toml:27:20: error[missing-source]: expected a `support_source` naming where the end "
                          "of support of version `2019` is stated, found \"\""));
}

TEST(RulePackRights, ReadsDowngradeRightsThatHoldWhileTheEarlierVersionIsSupported) {
  const Family f = family_of(std::string(dated_versions) + R"(  [[family.downgrade]]
  channel = "oem"
  from = "2016"
  to = ["2010"]
  while_supported = true
  source = "OEM terms §7, licensing-rules §5.2"
  [[family.downgrade]]
  channel = "volume"
  versions = "any-earlier"
  source = "D1"
)");
  ASSERT_EQ(f.downgrades.size(), 2u);
  EXPECT_TRUE(f.downgrades[0].while_supported);
  EXPECT_THAT(f.downgrades[0].to, ElementsAre(0));
  EXPECT_FALSE(f.downgrades[1].while_supported);
}

TEST(RulePackRights, ReportsWhileSupportedRightsToVersionsWithoutSupportEnd) {
  // 2013 has no support_end: neither a listed right to it nor an any-earlier right can end.
  EXPECT_THAT(errors_of(std::string(dated_versions) + R"(  [[family.downgrade]]
  channel = "oem"
  from = "2016"
  to = ["2010", "2013"]
  while_supported = true
  source = "OEM terms §7"
  [[family.downgrade]]
  channel = "volume"
  versions = "any-earlier"
  while_supported = true
  source = "D1"
  [[family.downgrade]]
  channel = "retail"
  versions = "any-earlier"
  while_supported = "yes"
  source = "EULA"
)"),
              ElementsAre("pack.toml:28:17: error[bad-value]: expected a version with a `support_end` "
                          "(`while_supported`: the right holds while it is supported), found \"2013\"",
                          "pack.toml:34:21: error[bad-value]: expected a `support_end` in every earlier version "
                          "(`while_supported` with `versions = \"any-earlier\"`), found none in 2013",
                          "pack.toml:39:21: error[bad-type]: expected a boolean, found a string"));
}

TEST(RulePackRights, ReadsVersionScopedDownEditionRights) {
  const Family f = family_of(std::string(server_head) + R"(  [[family.down_edition]]
  editions = ["Standard", "Datacenter"]
  versions = ["2012", "2016"]
  covers = ["Enterprise"]
  up_to = "2008 R2"
  source = "licensing-rules §5.3"
)");
  ASSERT_EQ(f.down_editions.size(), 1u);
  const auto& r = f.down_editions[0];
  EXPECT_THAT(r.editions, ElementsAre(0, 2));
  EXPECT_THAT(r.versions, ElementsAre(1, 2));
  EXPECT_THAT(r.covers, ElementsAre(1));
  EXPECT_EQ(r.up_to, 0);
  EXPECT_EQ(r.source, "licensing-rules §5.3");
  // The version-scoped right leaves the editions' own rights alone.
  for (const auto& e : f.editions) EXPECT_TRUE(e.covers.empty()) << e.name;
}

TEST(RulePackRights, ReportsDownEditionRightsWithMissingKeysOrUnknownNames) {
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.down_edition]]
  editions = ["Standard"]
  [[family.down_edition]]
  editions = ["Datacentre"]
  versions = ["2012", "2019"]
  covers = []
  up_to = "2008"
  source = "§5.3"
)"),
              ElementsAre("pack.toml:25:3: error[missing-key]: expected key `versions` in [[family.down_edition]], "
                          "found none",
                          "pack.toml:25:3: error[missing-key]: expected key `covers` in [[family.down_edition]], "
                          "found none",
                          "pack.toml:25:3: error[missing-key]: expected key `up_to` in [[family.down_edition]], found "
                          "none",
                          "pack.toml:25:3: error[missing-source]: expected key `source` naming where the down-edition "
                          "right is granted in [[family.down_edition]], found none",
                          "pack.toml:28:15: error[unknown-edition]: expected an edition of family `server` (Standard, "
                          "Enterprise, Datacenter), found \"Datacentre\"",
                          "pack.toml:29:23: error[unknown-version]: expected a version of family `server` (2008 R2, "
                          "2012, 2016), found \"2019\"",
                          "pack.toml:30:12: error[bad-value]: expected at least one edition, found []",
                          "pack.toml:31:11: error[unknown-version]: expected a version of family `server` (2008 R2, "
                          "2012, 2016), found \"2008\""));
}

TEST(RulePackRights, ReportsDownEditionUpToNotBeforeEveryLicenceVersion) {
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.down_edition]]
  editions = ["Datacenter"]
  versions = ["2016", "2012"]
  covers = ["Enterprise"]
  up_to = "2012"
  source = "§5.3"
)"),
              ElementsAre("pack.toml:29:11: error[bad-value]: expected a version released before `2012` (the "
                          "earliest of `versions`), found \"2012\""));
}

TEST(RulePackRights, ReadsUpgradeRules) {
  const Family f = family_of(std::string(server_head) + R"(  [[family.upgrade]]
  channels = ["volume"]
  qualifying_channels = ["oem", "fpp"]
  qualifying_editions = ["Enterprise", "Datacenter"]
  bound_without_sa = true
  source = "licensing-rules O4, O5"
  [[family.upgrade]]
  channels = ["subscription"]
  qualifying_channels = ["volume"]
  source = "O4"
)");
  ASSERT_EQ(f.upgrades.size(), 2u);
  const auto* volume = f.upgrade_rule(Channel::volume);
  ASSERT_NE(volume, nullptr);
  EXPECT_THAT(volume->qualifying_channels, ElementsAre(Channel::oem, Channel::retail));
  EXPECT_THAT(volume->qualifying_editions, ElementsAre(1, 2));
  EXPECT_TRUE(volume->bound_without_sa);
  EXPECT_EQ(volume->source, "licensing-rules O4, O5");
  const auto* subscription = f.upgrade_rule(Channel::subscription);
  ASSERT_NE(subscription, nullptr);
  EXPECT_TRUE(subscription->qualifying_editions.empty());
  EXPECT_FALSE(subscription->bound_without_sa);
  EXPECT_EQ(f.upgrade_rule(Channel::oem), nullptr);
  EXPECT_EQ(f.upgrade_rule(Channel::retail), nullptr);
}

TEST(RulePackRights, ReportsUpgradeRulesForOemOrARepeatedChannel) {
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.upgrade]]
  channels = ["volume", "oem"]
  qualifying_channels = ["oem", "lease"]
  source = "O4"
  [[family.upgrade]]
  channels = ["retail", "volume"]
  qualifying_channels = ["oem"]
  source = "O4"
)"),
              ElementsAre("pack.toml:26:25: error[bad-value]: expected one of retail, fpp, volume, subscription "
                          "(OEM licences are qualifying licences, not upgrades: O4), found \"oem\"",
                          "pack.toml:27:33: error[bad-value]: expected one of oem, retail, fpp, volume, subscription, "
                          "found \"lease\"",
                          "pack.toml:30:25: error[bad-value]: expected each channel in one [[family.upgrade]], found "
                          "\"volume\" again"));
}

TEST(RulePackRights, ReportsUpgradeRulesWithMissingKeysOrUnknownEditions) {
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.upgrade]]
  bound_without_sa = 1
  [[family.upgrade]]
  channels = []
  qualifying_channels = ["retail"]
  qualifying_editions = ["Pro"]
  source = "O4"
  [[family.upgrade]]
  channels = ["volume"]
  qualifying_channels = ["oem"]
  qualifying_editions = []
  source = "O4"
)"),
              ElementsAre("pack.toml:25:3: error[missing-key]: expected key `channels` in [[family.upgrade]], found "
                          "none",
                          "pack.toml:25:3: error[missing-key]: expected key `qualifying_channels` in "
                          "[[family.upgrade]], found none",
                          "pack.toml:25:3: error[missing-source]: expected key `source` naming where the upgrade rule "
                          "is granted in [[family.upgrade]], found none",
                          "pack.toml:26:22: error[bad-type]: expected a boolean, found an integer",
                          "pack.toml:28:14: error[bad-value]: expected at least one channel, found []",
                          "pack.toml:30:26: error[unknown-edition]: expected an edition of family `server` (Standard, "
                          "Enterprise, Datacenter), found \"Pro\"",
                          "pack.toml:35:25: error[bad-value]: expected at least one edition (leave "
                          "`qualifying_editions` out for every edition), found []"));
}

TEST(RulePackRights, ReadsSoftwareAssuranceConversions) {
  const Family f = family_of(std::string(server_head) + R"(  [[family.conversion]]
  from = ["2008 R2", "2012"]
  editions = ["Datacenter"]
  to = "2016"
  units_per_licence = 16
  source = "licensing-rules SA5"
  [[family.conversion]]
  from = ["2012"]
  to = "2016"
  units_per_licence = 1
  source = "SA5"
)");
  ASSERT_EQ(f.conversions.size(), 2u);
  const auto& c = f.conversions[0];
  EXPECT_THAT(c.from_versions, ElementsAre(0, 1));
  EXPECT_THAT(c.editions, ElementsAre(2));
  EXPECT_EQ(c.to, 2);
  EXPECT_EQ(c.units_per_licence, 16u);
  EXPECT_EQ(c.source, "licensing-rules SA5");
  EXPECT_TRUE(f.conversions[1].editions.empty());
}

TEST(RulePackRights, ReportsConversionsToAnEarlierVersionOrOfNoUnits) {
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.conversion]]
  from = ["2008 R2", "2016"]
  to = "2012"
  units_per_licence = 0
  source = "SA5"
  [[family.conversion]]
  editions = ["Essentials"]
  to = "2019"
  units_per_licence = -2
  [[family.conversion]]
  from = ["2012"]
  editions = []
  source = "SA5"
)"),
              ElementsAre("pack.toml:26:22: error[bad-value]: expected a version released before `2012` (the "
                          "version it converts to), found \"2016\"",
                          "pack.toml:28:23: error[bad-value]: expected units_per_licence >= 1, found 0",
                          "pack.toml:30:3: error[missing-key]: expected key `from` in [[family.conversion]], found "
                          "none",
                          "pack.toml:30:3: error[missing-source]: expected key `source` naming where the conversion "
                          "is granted in [[family.conversion]], found none",
                          "pack.toml:31:15: error[unknown-edition]: expected an edition of family `server` (Standard, "
                          "Enterprise, Datacenter), found \"Essentials\"",
                          "pack.toml:32:8: error[unknown-version]: expected a version of family `server` (2008 R2, "
                          "2012, 2016), found \"2019\"",
                          "pack.toml:33:23: error[bad-value]: expected a whole number >= 0, found -2",
                          "pack.toml:34:3: error[missing-key]: expected key `to` in [[family.conversion]], found none",
                          "pack.toml:34:3: error[missing-key]: expected key `units_per_licence` in "
                          "[[family.conversion]], found none",
                          "pack.toml:36:14: error[bad-value]: expected at least one edition (leave `editions` out for "
                          "every edition), found []"));
}

TEST(RulePackRights, ReadsStackingPhysicalOseAndCalsOfTermsWithTheirDefaults) {
  const Family f = family_of(std::string(server_head) + R"(  [[family.terms]]
  name = "per processor 2012"
  versions = ["2012"]
  metric = "processor"
  ose_stacking = "per-licence"
  needs_cals = false
  source = "W12-2, W12-3, W12-4"
  [[family.terms]]
  name = "per server 2008 R2"
  versions = ["2008 R2"]
  metric = "server"
  physical_ose_counts = true
  ose_stacking = "whole-server"
  source = "§7.3"
  [[family.terms]]
  name = "per core 2016"
  versions = ["2016"]
  metric = "core"
  source = "WS1"
)");
  ASSERT_EQ(f.terms.size(), 3u);
  EXPECT_EQ(f.terms[0].stacking, trueup::OseStacking::per_licence);
  EXPECT_FALSE(f.terms[0].needs_cals);
  EXPECT_FALSE(f.terms[0].physical_ose_counts);
  EXPECT_EQ(f.terms[1].stacking, trueup::OseStacking::whole_server);
  EXPECT_TRUE(f.terms[1].physical_ose_counts);
  EXPECT_TRUE(f.terms[1].needs_cals);
  EXPECT_EQ(f.terms[2].stacking, trueup::OseStacking::whole_server);
  EXPECT_FALSE(f.terms[2].physical_ose_counts);
  EXPECT_TRUE(f.terms[2].needs_cals);
}

TEST(RulePackRights, ReportsUnknownStackingAndNonBooleanTerms) {
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.terms]]
  name = "per processor 2012"
  versions = ["2012"]
  metric = "processor"
  ose_stacking = "per-vm"
  physical_ose_counts = "no"
  needs_cals = 0
  source = "W12-2"
)"),
              ElementsAre("pack.toml:29:18: error[bad-value]: expected one of whole-server, per-licence, found "
                          "\"per-vm\"",
                          "pack.toml:30:25: error[bad-type]: expected a boolean, found a string",
                          "pack.toml:31:16: error[bad-type]: expected a boolean, found an integer"));
}

TEST(RulePackRights, ReadsCoreFactorRowsWithSeriesAndCoresPerProcessor) {
  // SQL7: "AMD 31XX, 32XX, 41XX, 42XX, 61XX, 62XX Series Processors with 6 or more cores 0.75".
  const Family f = family_of(std::string(server_head) + R"(  [[family.terms]]
  name = "per core"
  versions = ["2012"]
  metric = "core"
  core_minimum_per_processor = 4
  source = "SQL1"
  core_factor_source = "SQL7"
    [[family.terms.core_factor]]
    pattern = "Opteron"
    series = ["31XX", "62xx"]
    min_cores_per_processor = 6
    factor = 0.75
)");
  ASSERT_EQ(f.terms.size(), 1u);
  ASSERT_EQ(f.terms[0].core_factors.size(), 1u);
  const trueup::CoreFactor& row = f.terms[0].core_factors[0];
  EXPECT_THAT(row.series, ElementsAre("31xx", "62xx"));
  EXPECT_EQ(row.min_cores_per_processor, 6u);
  EXPECT_EQ(row.factor_percent, 75u);
  // A series is digits and X; a core factor table on a per-server model has nothing to factor.
  EXPECT_THAT(errors_of(std::string(server_head) + R"(  [[family.terms]]
  name = "per core"
  versions = ["2012"]
  metric = "core"
  source = "SQL1"
  core_factor_source = "SQL7"
    [[family.terms.core_factor]]
    pattern = "Opteron"
    series = ["62**"]
    factor = 0.75
  [[family.terms]]
  name = "per server"
  versions = ["2016"]
  metric = "server"
  source = "SQL6"
  core_factor_source = "SQL7"
    [[family.terms.core_factor]]
    pattern = "Opteron"
    factor = 0.75
)"),
              ElementsAre("pack.toml:33:15: error[bad-value]: expected a model series of digits and X "
                          "(\"62XX\"), found \"62**\"",
                          "pack.toml:41:5: error[bad-value]: expected core_factor only on terms of metric "
                          "\"processor\" or \"core\", found metric \"server\""));
}

TEST(RulePackRights, ReadsVmCopiesOnTheLicensedDevice) {
  std::string text(minimal);
  EXPECT_FALSE(family_of(text).vm_copies_on_licensed_device);
  text.replace(text.find("publisher = \"Contoso\""), 21,
               "publisher = \"Contoso\"\nvm_copies_on_licensed_device = true");
  EXPECT_TRUE(family_of(text).vm_copies_on_licensed_device);
  text.replace(text.find("= true"), 6, "= \"yes\"");
  EXPECT_THAT(errors_of(text), ElementsAre("pack.toml:12:32: error[bad-type]: expected a boolean, found a string"));
}

TEST(RulePackRights, ReportsMisspeltKeysOfTheNewRightsAsUnknown) {
  EXPECT_THAT(
      errors_of(std::string(server_head) + R"(  [[family.down_edition]]
  editions = ["Datacenter"]
  versions = ["2012"]
  cover = ["Enterprise"]
  covers = ["Enterprise"]
  up_to = "2008 R2"
  source = "§5.3"
  [[family.upgrade]]
  channels = ["volume"]
  qualifying_channels = ["oem"]
  bound_without_SA = true
  source = "O4"
  [[family.conversion]]
  from = ["2012"]
  to = "2016"
  units = 16
  units_per_licence = 16
  source = "SA5"
)"),
      ElementsAre("pack.toml:28:3: error[unknown-key]: expected one of `editions`, `versions`, `covers`, `up_to`, "
                  "`source` in [[family.down_edition]], found `cover`",
                  "pack.toml:35:3: error[unknown-key]: expected one of `channels`, `qualifying_channels`, "
                  "`qualifying_editions`, `bound_without_sa`, `source` in [[family.upgrade]], found `bound_without_SA`",
                  "pack.toml:40:3: error[unknown-key]: expected one of `from`, `editions`, `to`, `units_per_licence`, "
                  "`source` in [[family.conversion]], found `units`"));
}
