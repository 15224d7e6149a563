// SPDX-License-Identifier: BSL-1.0
// File: tests/solver/reconcile_optimality_test.cpp
//
// The whole pipeline (normalise, pools, OEM bound stage, class compression, solve,
// de-aggregation) against a brute force *per install*, on a thousand fixed-seed tiny
// estates (tests/support/random_instances.hpp: a pack built in code with a volume
// any-earlier downgrade right, an OEM listed-versions right and down-edition rights; devices
// owned or not, active or retired or failed; duplicate installs; OEM, retail and volume
// licences of 0-2 units, with and without prices).
//
// The rules from first principles and the brute force are tests/support/position_oracle.hpp,
// which tests/position/properties_test.cpp shares.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "support/position_oracle.hpp"
#include "support/random_instances.hpp"
#include "trueup/reconcile.hpp"

namespace {

using trueup::Channel;
using trueup::Device;
using trueup::DeviceIndex;
using trueup::Entitlement;
using trueup::Fleet;
using trueup::InstallIndex;
using trueup::Position;
using trueup::ProductRef;
using trueup::RulePack;
using trueup::Units;
using trueup::Verdict;
using trueup::test::analyse;
using trueup::test::Analysis;
using trueup::test::brute_force;
using trueup::test::Choice;
using trueup::test::counted;
using trueup::test::cover_choice;
using trueup::test::Objective;
using trueup::test::quantities;
using trueup::test::RandomEstate;
using trueup::test::short_choice;

// --- The checks -------------------------------------------------------------------------------

std::string entitlement_id(const Fleet& fleet, trueup::EntitlementIndex e) { return fleet.entitlement(e).id; }

/// Why an install that carries no demand is out: another publisher's title (X7), or a device
/// that is not owned (X1) or no longer in service (O8).
trueup::Exclusion expected_exclusion(const Fleet& fleet, const trueup::Install& in,
                                     const std::map<std::string, std::optional<ProductRef>>& product_of) {
  if (!product_of.at(in.id)) return trueup::Exclusion::other_publisher;
  const Device& d = fleet.device(in.device);
  if (d.ownership != trueup::Ownership::owned) return trueup::Exclusion::not_owned;
  return d.status == trueup::DeviceStatus::retired ? trueup::Exclusion::retired : trueup::Exclusion::failed;
}

/// Checks one reconciliation against the analysis; returns trueup's objective vector.
Objective check_position(const Fleet& fleet, const std::map<std::string, std::optional<ProductRef>>& product_of,
                         const Position& pos, const Analysis& an, const std::string& where) {
  EXPECT_EQ(pos.status, trueup::SolveStatus::optimal) << where;
  EXPECT_TRUE(trueup::check_accounting(pos, fleet)) << where;
  EXPECT_EQ(pos.installs.size(), fleet.installs.size()) << where;
  EXPECT_EQ(pos.totals.covered + pos.totals.shortfall + pos.totals.excluded + pos.totals.duplicate,
            fleet.installs.size())
      << where;

  Objective got;
  std::vector<Units> used(fleet.entitlements.size(), 0);
  trueup::MoneyTotal priced_cost;
  Units unpriced = 0;
  for (std::size_t i = 0; i < fleet.installs.size(); ++i) {
    const trueup::InstallVerdict& v = pos.installs[i];
    const std::string at = where + ", install " + fleet.installs[i].id;
    if (auto it = an.duplicate_of.find(i); it != an.duplicate_of.end()) {
      EXPECT_EQ(v.verdict, Verdict::duplicate) << at;
      EXPECT_EQ(v.duplicate_of, InstallIndex{static_cast<InstallIndex::value_type>(it->second)}) << at;
      EXPECT_TRUE(v.licences.empty()) << at;
      continue;
    }
    const auto it = an.demand_of_install.find(i);
    if (it == an.demand_of_install.end()) {
      EXPECT_EQ(v.verdict, Verdict::excluded) << at;
      EXPECT_EQ(v.exclusion, expected_exclusion(fleet, fleet.installs[i], product_of)) << at;
      EXPECT_TRUE(v.licences.empty()) << at;
      continue;
    }
    const std::size_t d = it->second;
    if (v.verdict != Verdict::covered && v.verdict != Verdict::shortfall) {
      ADD_FAILURE() << at << ": expected covered or short, found " << trueup::name(v.verdict);
      continue;
    }
    EXPECT_EQ(v.demanded, 1) << at;
    Units covered = 0;
    bool by_oem = false;
    for (const trueup::Allocation& a : v.licences) {
      const std::size_t e = a.entitlement.value;
      const std::string lic = at + ", licence " + entitlement_id(fleet, a.entitlement);
      if (a.units <= 0) {
        ADD_FAILURE() << lic << ": expected an allocation of at least one unit, found " << a.units;
        continue;
      }
      covered += a.units;
      used[e] += a.units;
      const auto u =
          std::find_if(an.usable[d].begin(), an.usable[d].end(), [&](const auto& x) { return x.first == e; });
      if (u == an.usable[d].end()) {
        ADD_FAILURE() << lic << ": the rules do not let it cover this install";
        continue;
      }
      const Choice c = cover_choice(fleet, e, u->second);
      got.exactness += a.units * c.cost.exactness;
      got.flexibility += a.units * c.cost.flexibility;
      by_oem = by_oem || fleet.entitlements[e].channel == Channel::oem;
    }
    EXPECT_EQ(covered, v.covered) << at;
    EXPECT_EQ(v.verdict == Verdict::covered, covered == 1) << at;
    // The bound stage: a live OEM licence that may cover the demand is used on it first, unless
    // other demands of the same device use up every such licence.
    if (an.has_oem[d] && !by_oem) {
      for (const auto& [e, x] : an.usable[d]) {
        if (fleet.entitlements[e].channel == Channel::oem) {
          EXPECT_EQ(pos.entitlements[e].consumed, fleet.entitlements[e].quantity)
              << at << ": OEM licence " << fleet.entitlements[e].id << " may cover it and is left unused";
        }
      }
    }
    EXPECT_TRUE(!by_oem || an.has_oem[d]) << at;
    const Units left = v.demanded - v.covered;
    got.shortfall += left;
    got.spend += left * an.price[d];
    if (left > 0 && an.priced[d]) priced_cost += trueup::MoneyTotal::times(trueup::Money{an.price[d]}, left);
    if (left > 0 && !an.priced[d]) unpriced += left;
  }
  EXPECT_EQ(pos.totals.true_up_cost, priced_cost)
      << where << ": true-up cost " << pos.totals.true_up_cost.str() << ", expected " << priced_cost.str();
  EXPECT_EQ(pos.totals.unpriced_shortfall, unpriced) << where;
  for (std::size_t e = 0; e < fleet.entitlements.size(); ++e) {
    const std::string lic = where + ", licence " + fleet.entitlements[e].id;
    EXPECT_LE(used[e], fleet.entitlements[e].quantity) << lic << " is over-used";
    EXPECT_EQ(pos.entitlements[e].consumed, used[e]) << lic;
    EXPECT_EQ(pos.entitlements[e].counted, counted(fleet, fleet.entitlements[e])) << lic;
  }
  return got;
}

/// A verdict with entitlement and install indices replaced by ids, for comparing positions of
/// the same fleet in different row orders.
std::string portable(const Fleet& fleet, const trueup::InstallVerdict& v) {
  std::string s = std::string(trueup::name(v.verdict)) + " " + std::to_string(v.covered) + "/" +
                  std::to_string(v.demanded) + " [" + std::string(trueup::name(v.exclusion)) + "] " + v.reason;
  if (v.verdict == Verdict::duplicate) s += " of " + fleet.install(v.duplicate_of).id;
  for (const auto& a : v.licences) s += " | " + fleet.entitlement(a.entitlement).id + " x" + std::to_string(a.units);
  for (const auto& r : v.evidence) s += " | " + std::string(trueup::name(r.kind)) + ": " + r.text;
  return s;
}

std::map<std::string, std::string> verdicts_by_install_id(const Fleet& fleet, const Position& pos) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < fleet.installs.size(); ++i) out[fleet.installs[i].id] = portable(fleet, pos.installs[i]);
  return out;
}

TEST(ReconcileOptimality, EveryInstallGetsTheBruteForceOptimum) {
  int with_shortfall = 0, with_downgrade = 0, with_oem = 0, contested = 0;
  // Odd seeds: the default estate. Even seeds: one family and few licences, so that demands
  // compete for the same units and the spend and preference levels decide who is left short.
  trueup::test::EstateShape contested_shape;
  contested_shape.families = 1;
  contested_shape.min_devices = 4;
  contested_shape.max_devices = 7;
  contested_shape.min_installs = 5;
  contested_shape.min_entitlements = 2;
  contested_shape.max_entitlements = 4;
  for (std::uint32_t seed = 1; seed <= 1000; ++seed) {
    std::mt19937 rng(seed);
    const RandomEstate es =
        trueup::test::random_estate(rng, seed % 2 == 1 ? trueup::test::EstateShape{} : contested_shape);
    const std::string where = "seed " + std::to_string(seed);
    const Position pos = trueup::reconcile(es.pack, es.fleet);
    const Analysis an = analyse(es, es.fleet);
    const Objective got = check_position(es.fleet, es.product_of, pos, an, where);

    // Levels 1-2 against every assignment, OEM licences included.
    std::vector<std::vector<Choice>> all(an.demands.size());
    for (std::size_t d = 0; d < an.demands.size(); ++d) {
      all[d].push_back(short_choice(an, d));
      for (const auto& [e, x] : an.usable[d]) all[d].push_back(cover_choice(es.fleet, e, x));
    }
    const Objective best = brute_force(all, quantities(es.fleet));
    EXPECT_EQ(got.shortfall, best.shortfall) << where;
    EXPECT_EQ(got.spend, best.spend) << where;

    // Levels 1-4 against every assignment that keeps trueup's bound-stage OEM choices.
    std::vector<std::vector<Choice>> kept(an.demands.size());
    for (std::size_t d = 0; d < an.demands.size(); ++d) {
      const auto& v = pos.installs[an.demands[d].representative];
      if (an.has_oem[d] && v.licences.size() == 1 &&
          es.fleet.entitlements[v.licences[0].entitlement.value].channel == Channel::oem) {
        kept[d].push_back(cover_choice(es.fleet, v.licences[0].entitlement.value, 0));
        continue;
      }
      kept[d].push_back(short_choice(an, d));
      for (const auto& [e, x] : an.usable[d])
        if (es.fleet.entitlements[e].channel != Channel::oem) kept[d].push_back(cover_choice(es.fleet, e, x));
    }
    const Objective best_kept = brute_force(kept, quantities(es.fleet));
    EXPECT_EQ(got, best_kept) << where;
    EXPECT_EQ(std::tie(best_kept.shortfall, best_kept.spend), std::tie(best.shortfall, best.spend))
        << where << ": applying OEM licences first never costs coverage or spend";

    with_shortfall += best.shortfall > 0;
    with_downgrade += best_kept.exactness > 0;
    with_oem += std::count(an.has_oem.begin(), an.has_oem.end(), true) > 0;
    contested += best.shortfall > 0 && best_kept.exactness + best_kept.flexibility > 0;
  }
  // The estates exercise every level (so the comparison above could fail).
  EXPECT_GT(with_shortfall, 300);
  EXPECT_GT(with_downgrade, 100);
  EXPECT_GT(with_oem, 100);
  EXPECT_GT(contested, 100);
}

TEST(ReconcileOptimality, ShuffledRowsGiveTheSameVerdictPerInstall) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(100'000 + seed);
    const RandomEstate es = trueup::test::random_estate(rng);
    const Position pos = trueup::reconcile(es.pack, es.fleet);
    const auto expected = verdicts_by_install_id(es.fleet, pos);
    for (int round = 0; round < 2; ++round) {
      const std::string where = "seed " + std::to_string(seed) + ", shuffle " + std::to_string(round);
      const Fleet fleet = trueup::test::shuffled(es.fleet, rng);
      const Position again = trueup::reconcile(es.pack, fleet);
      (void)check_position(fleet, es.product_of, again, analyse(es, fleet), where);
      EXPECT_EQ(verdicts_by_install_id(fleet, again), expected) << where;
      EXPECT_EQ(again.totals.true_up_cost, pos.totals.true_up_cost) << where;
    }
  }
}

// --- Named cases: the motivating situation of each level, small enough to read ------------------

/// Suite 2016 / 2019 / 2021 in Standard and Professional (Professional covers Standard);
/// volume licences downgrade to any earlier version (D1), OEM 2021 only to 2019 (5.2), retail
/// not at all (R4).
RulePack suite_pack() {
  RulePack pack;
  pack.name = "named";
  pack.revision = "1";
  pack.publishers.push_back({"Contoso", {}});
  trueup::Family f;
  f.id = "suite";
  f.name = "Suite";
  f.match = {"Suite"};
  for (const char* v : {"2016", "2019", "2021"})
    f.versions.push_back({v, {v}, "", {}, trueup::Metric::device, {}, {}, {}, {}});
  f.editions = {{"Standard", {}, false, {}, "", {}, ""},
                {"Professional", {}, false, {0}, "Professional covers Standard", {}, ""}};
  f.downgrades = {{Channel::volume, {}, true, 0, {}, false, "D1"}, {Channel::oem, {}, false, 2, {1}, false, "5.2"}};
  pack.families.push_back(std::move(f));
  return pack;
}

/// One owned, active PC per install, "PC-<install id>"; `title` after "Contoso Suite ".
struct NamedFleet {
  Fleet fleet;
  void install(const std::string& id, const std::string& title) {
    Device d;
    d.id = "PC-" + id;
    fleet.devices.push_back(d);
    trueup::Install in;
    in.id = id;
    in.device = DeviceIndex{static_cast<DeviceIndex::value_type>(fleet.devices.size() - 1)};
    in.title = "Contoso Suite " + title;
    in.publisher = "Contoso";
    fleet.installs.push_back(in);
  }
  void licence(const std::string& id, std::uint16_t version, std::uint16_t edition, Channel channel, Units quantity,
               std::optional<std::int64_t> price) {
    Entitlement e;
    e.id = id;
    e.product = ProductRef{trueup::FamilyIndex{0}, version, edition};
    e.channel = channel;
    e.quantity = quantity;
    if (price) e.unit_cost = trueup::Money{*price * trueup::Money::scale};
    fleet.entitlements.push_back(e);
  }
};

/// "covered by E-1 x1", "short", ... per install id.
std::map<std::string, std::string> outcome(const Fleet& fleet, const Position& pos) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < fleet.installs.size(); ++i) {
    const auto& v = pos.installs[i];
    std::string s(trueup::name(v.verdict));
    for (std::size_t k = 0; k < v.licences.size(); ++k)
      s += (k == 0 ? " by " : ", ") + fleet.entitlement(v.licences[k].entitlement).id + " x" +
           std::to_string(v.licences[k].units);
    out[fleet.installs[i].id] = s;
  }
  return out;
}

constexpr std::uint16_t v2016 = 0, v2019 = 1, v2021 = 2, standard = 0;

TEST(ReconcileOptimality, ShortfallFallsOnTheDemandWithTheCheapestLicence) {
  // Three PCs, two licences. The 2021 installs could each be bought a retail licence at 50;
  // the 2016 install only at the volume price of 300. Leaving a 2021 install short costs 50,
  // so the volume licence downgrades to 2016 (an exactness cost, paid because spend ranks
  // first) and one 2021 install is short.
  NamedFleet f;
  f.install("A", "Standard 2016");
  f.install("B1", "Standard 2021");
  f.install("B2", "Standard 2021");
  f.licence("R", v2021, standard, Channel::retail, 1, 50);
  f.licence("V", v2021, standard, Channel::volume, 1, 300);
  const Position pos = trueup::reconcile(suite_pack(), f.fleet);
  EXPECT_EQ(outcome(f.fleet, pos),
            (std::map<std::string, std::string>{{"A", "covered by V x1"}, {"B1", "covered by R x1"}, {"B2", "short"}}));
  EXPECT_EQ(pos.totals.true_up_cost.str(), "50.00");
}

TEST(ReconcileOptimality, UnpricedShortfallRanksAboveEveryKnownPrice) {
  // As above, but the volume licence has no price: the 2016 install has no known price and
  // ranks above the dearest known one (50 + 1 minor unit), so it is covered first.
  NamedFleet f;
  f.install("A", "Standard 2016");
  f.install("B1", "Standard 2021");
  f.install("B2", "Standard 2021");
  f.licence("R", v2021, standard, Channel::retail, 1, 50);
  f.licence("V", v2021, standard, Channel::volume, 1, std::nullopt);
  const Position pos = trueup::reconcile(suite_pack(), f.fleet);
  EXPECT_EQ(outcome(f.fleet, pos),
            (std::map<std::string, std::string>{{"A", "covered by V x1"}, {"B1", "covered by R x1"}, {"B2", "short"}}));
  EXPECT_EQ(pos.totals.true_up_cost.str(), "50.00");
  EXPECT_EQ(pos.totals.unpriced_shortfall, 0);
}

TEST(ReconcileOptimality, ExactVersionIsUsedBeforeADowngrade) {
  // A 2019 install and licences for 2019 and 2021: the 2021 licence stays free for a newer
  // install (licensing-rules 5.5: the exact version is licensed first).
  NamedFleet f;
  f.install("A", "Standard 2019");
  f.licence("V21", v2021, standard, Channel::volume, 1, 100);
  f.licence("V19", v2019, standard, Channel::volume, 1, 100);
  const Position pos = trueup::reconcile(suite_pack(), f.fleet);
  EXPECT_EQ(outcome(f.fleet, pos), (std::map<std::string, std::string>{{"A", "covered by V19 x1"}}));
}

TEST(ReconcileOptimality, RetailLicenceIsUsedBeforeTheMoreFlexibleVolumeLicence) {
  NamedFleet f;
  f.install("A", "Standard 2021");
  f.licence("V", v2021, standard, Channel::volume, 1, 100);
  f.licence("R", v2021, standard, Channel::retail, 1, 100);
  const Position pos = trueup::reconcile(suite_pack(), f.fleet);
  EXPECT_EQ(outcome(f.fleet, pos), (std::map<std::string, std::string>{{"A", "covered by R x1"}}));
}

TEST(ReconcileOptimality, ZeroSeatRecordIsNeverListedAsCoveringAnInstall) {
  // A volume record of 0 seats sorts first in its pool (by id). It covers nothing, so it must
  // not appear among the licences of the install the pool's next record covers.
  NamedFleet f;
  f.install("A", "Standard 2021");
  f.licence("E-1", v2021, standard, Channel::volume, 0, 100);
  f.licence("E-2", v2021, standard, Channel::volume, 1, 100);
  const Position pos = trueup::reconcile(suite_pack(), f.fleet);
  EXPECT_EQ(outcome(f.fleet, pos), (std::map<std::string, std::string>{{"A", "covered by E-2 x1"}}));
  EXPECT_EQ(pos.entitlements[0].consumed, 0);
  EXPECT_EQ(pos.entitlements[1].consumed, 1);
}

}  // namespace
