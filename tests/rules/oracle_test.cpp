// SPDX-License-Identifier: BSL-1.0
// File: tests/rules/oracle_test.cpp
//
// The shipped Oracle pack (rules/oracle.toml) used with the Microsoft pack in one run:
// Oracle Database Enterprise Edition under the Processor metric, physical cores x the core
// factor of the CPU model, rounded up per server; a CPU model the table does not list goes to
// review, never a guessed factor; Standard Edition 2 counted per occupied socket, on servers
// of at most two sockets (all licensing-rules §13 ORACLE). Each test is the published example that motivated the rule;
// the CPU models are spelt as Win32_Processor.Name reports them in real inventory dumps.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup {
namespace {

const RulePack& both_packs() {
  static const RulePack pack = [] {
    const std::string dir = std::string(TRUEUP_SOURCE_DIR) + "/rules/";
    auto p = io::load_rule_packs({dir + "microsoft.toml", dir + "oracle.toml"});
    if (!p) throw std::runtime_error(to_string(p.error().front()));
    return std::move(*p);
  }();
  return pack;
}

struct Reconciled {
  Fleet fleet;
  Position position;
};

/// One server `DB-1` of `processors` x `cores` (all sockets) with CPU `model`, running `title`,
/// and the licences `entitlements` (rows of family,version,edition,quantity,metric); `access`:
/// access.csv rows (server_id,user,device_id), none when empty.
Reconciled database_server(int processors, int cores, const std::string& model, const std::string& title,
                           const std::string& entitlements, const std::string& access = {}) {
  io::FleetSources src;
  src.devices = "device_id,kind,processors,cores,cpu_model\nDB-1,server," + std::to_string(processors) + "," +
                std::to_string(cores) + ",\"" + model + "\"\n";
  src.installs = "install_id,device_id,title,publisher\nI-1,DB-1," + title + ",Oracle Corporation\n";
  src.entitlements = "licence_id,family,version,edition,channel,quantity,metric\n" + entitlements;
  if (!access.empty()) src.access = "server_id,user,device_id\n" + access;
  auto read = io::parse_fleet(src, both_packs());
  if (!read) throw std::runtime_error(to_string(read.error().front()));
  Reconciled r{std::move(read->fleet), {}};
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2026, 6, 30);
  r.position = reconcile(both_packs(), r.fleet, options);
  return r;
}

const LicensingTerms& terms_of(const std::string& edition) {
  const RulePack& pack = both_packs();
  const FamilyIndex f = *pack.find_family("oracle-database");
  const auto e = pack.family(f).find_edition(edition);
  const auto v = pack.family(f).find_version("19c");
  const LicensingTerms* t = pack.family(f).terms_for(*v, *e);
  if (t == nullptr) throw std::logic_error("no terms for " + edition);
  return *t;
}

TEST(OracleProcessorMetric, TwoSixteenCoreX86ChipsAreSixteenProcessors) {
  // Remend FAQ (§13 ORACLE): "a server with two 16-core chips running Enterprise Database.
  // That's 2 times 16 times .5 equaling 16 Processors."
  const Reconciled r =
      database_server(2, 32, "Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz", "Oracle Database 19c Enterprise Edition",
                      "L-1,oracle-database,19c,Enterprise,volume,16,processor\n");
  ASSERT_EQ(r.position.installs.size(), 1u);
  EXPECT_EQ(r.position.installs[0].verdict, Verdict::covered);
  EXPECT_EQ(r.position.installs[0].demanded, 16);
  EXPECT_EQ(r.position.entitlements[0].consumed, 16);
  // Fifteen leave one short.
  const Reconciled short_one =
      database_server(2, 32, "Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz", "Oracle Database 19c Enterprise Edition",
                      "L-1,oracle-database,19c,Enterprise,volume,15,processor\n");
  EXPECT_EQ(short_one.position.totals.shortfall, 1u);
}

TEST(OracleProcessorMetric, FactorsByProcessorFamily) {
  // Redress Compliance (§13 ORACLE): "a database server with 64 AMD EPYC cores requires 32
  // Oracle processor licences (64 x 0.5 = 32). The same workload on a 64-core IBM POWER9
  // server requires 64".
  const LicensingTerms& ee = terms_of("Enterprise");
  EXPECT_EQ(rules::units_for(&ee, 2, 64, false, "AMD EPYC 7302 16-Core Processor").units, 32);
  EXPECT_EQ(rules::units_for(&ee, 2, 64, false, "IBM POWER9 (raw), altivec supported").units, 64);
  // Rounded up once per server (Redress: "Total Physical Cores x Core Factor, rounded up"):
  // six UltraSPARC T2 cores at 0.75 are 4.5, so 5.
  const rules::UnitCount sparc = rules::units_for(&ee, 1, 6, false, "UltraSPARC T2");
  EXPECT_EQ(sparc.units, 5);
  EXPECT_NE(sparc.why.find("core factor 0.75"), std::string::npos) << sparc.why;
}

TEST(OracleProcessorMetric, AnUnlistedCpuModelGoesToReviewNeverAGuessedFactor) {
  const LicensingTerms& ee = terms_of("Enterprise");
  EXPECT_TRUE(rules::units_for(&ee, 2, 32, false, "").unknown_core_factor);
  EXPECT_TRUE(rules::units_for(&ee, 2, 32, false, "Intel Itanium Processor 9560").unknown_core_factor);
  const Reconciled r = database_server(2, 32, "", "Oracle Database 19c Enterprise Edition",
                                       "L-1,oracle-database,19c,Enterprise,volume,16,processor\n");
  EXPECT_EQ(r.position.installs[0].verdict, Verdict::excluded);
  EXPECT_EQ(r.position.installs[0].exclusion, Exclusion::needs_review);
  EXPECT_EQ(r.position.entitlements[0].consumed, 0);
  bool warned = false;
  for (const auto& w : r.position.warnings) warned = warned || w.code == "needs-review";
  EXPECT_TRUE(warned);
}

TEST(OracleStandardEdition2, EachOccupiedSocketIsOneProcessor) {
  // Remend FAQ (§13 ORACLE): "Got Standard Edition? Ignore the cores and core factors, and
  // count each chip as a Processor": two 16-core chips are 2 Processors, whatever the model.
  const Reconciled r =
      database_server(2, 32, "Intel(R) Xeon(R) CPU E5506 @ 2.13GHz", "Oracle Database 19c Standard Edition 2",
                      "L-1,oracle-database,19c,Standard Edition 2,volume,2,processor\n");
  EXPECT_EQ(r.position.installs[0].verdict, Verdict::covered);
  EXPECT_EQ(r.position.installs[0].demanded, 2);
  EXPECT_EQ(rules::units_for(&terms_of("Standard Edition 2"), 1, 8, false, "").units, 1);
}

TEST(OracleStandardEdition2, AServerBeyondTwoSocketsGoesToReviewWhateverIsHeld) {
  // dbi services, "You are in Standard Edition, when to worry?" (§13 ORACLE): Standard
  // Edition 2 "can be licensed only on servers that have a maximum capacity of two sockets".
  // Four occupied sockets and four SE2 licences: no licence is consumed, the server is reviewed.
  const std::string four = "L-1,oracle-database,19c,Standard Edition 2,volume,4,processor\n";
  const Reconciled r = database_server(4, 64, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz",
                                       "Oracle Database 19c Standard Edition 2", four);
  ASSERT_EQ(r.position.installs.size(), 1u);
  EXPECT_EQ(r.position.installs[0].verdict, Verdict::excluded);
  EXPECT_EQ(r.position.installs[0].exclusion, Exclusion::needs_review);
  EXPECT_EQ(r.position.entitlements[0].consumed, 0);
  const rules::UnitCount why = rules::units_for(&terms_of("Standard Edition 2"), 4, 64, false, "");
  EXPECT_TRUE(why.beyond_socket_limit);
  EXPECT_NE(why.why.find("at most 2 sockets"), std::string::npos) << why.why;
  // Two sockets are within the limit, and the Enterprise Edition has none: four sockets of
  // 16 Xeon cores are 64 x 0.5 = 32 Processors.
  EXPECT_FALSE(rules::units_for(&terms_of("Standard Edition 2"), 2, 64, false, "").beyond_socket_limit);
  const Reconciled ee =
      database_server(4, 64, "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", "Oracle Database 19c Enterprise Edition",
                      "L-1,oracle-database,19c,Enterprise,volume,32,processor\n");
  EXPECT_EQ(ee.position.installs[0].verdict, Verdict::covered);
  EXPECT_EQ(ee.position.installs[0].demanded, 32);
}

/// access.csv rows: `n` distinct users of DB-1.
std::string users_of_db1(int n) {
  std::string rows;
  for (int i = 1; i <= n; ++i) rows += "DB-1,dbuser" + std::to_string(i) + ",\n";
  return rows;
}

TEST(OracleNamedUserPlus, TheGreaterOfTheUsersAnd25PerProcessor) {
  // Remend FAQ (§13 ORACLE): "16 times the 25 per-Processor minimum equals 400 NUPs or the
  // actual number of users, whichever is greater". Two 16-core Xeon chips are 16 Processors.
  const std::string model = "Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz";
  const std::string title = "Oracle Database 19c Enterprise Edition";
  const Reconciled few =
      database_server(2, 32, model, title, "L-1,oracle-database,19c,Enterprise,volume,400,user\n", users_of_db1(120));
  ASSERT_EQ(few.position.installs.size(), 1u);
  EXPECT_EQ(few.position.installs[0].verdict, Verdict::covered);
  EXPECT_EQ(few.position.installs[0].demanded, 400);
  EXPECT_EQ(few.position.installs[0].metric, Metric::user);
  // 450 users are more than the minimum: 450 NUPs, so 400 leave 50 short.
  const Reconciled many =
      database_server(2, 32, model, title, "L-1,oracle-database,19c,Enterprise,volume,400,user\n", users_of_db1(450));
  EXPECT_EQ(many.position.installs[0].demanded, 450);
  EXPECT_EQ(many.position.installs[0].verdict, Verdict::shortfall);
  EXPECT_EQ(many.position.installs[0].covered, 400);
  // A user counted once however many rows; a row with a device only counts that device.
  const Reconciled rows = database_server(2, 32, model, title, "L-1,oracle-database,19c,Enterprise,volume,400,user\n",
                                          users_of_db1(420) + "DB-1,dbuser1,DB-1\nDB-1,,DB-1\n");
  EXPECT_EQ(rows.position.installs[0].demanded, 421);
  // Processor licences held too: the product's own metric stays (the licence held sets the model).
  const Reconciled both = database_server(
      2, 32, model, title,
      "L-1,oracle-database,19c,Enterprise,volume,400,user\nL-2,oracle-database,19c,Enterprise,volume,16,processor\n",
      users_of_db1(120));
  EXPECT_EQ(both.position.installs[0].metric, Metric::processor);
  EXPECT_EQ(both.position.installs[0].demanded, 16);
}

TEST(OracleNamedUserPlus, StandardEdition2TenPerServer) {
  // Redress Compliance (§13 ORACLE): SE2 "has a Named User Plus minimum of ten users per
  // server", whatever its sockets.
  const Reconciled r =
      database_server(2, 32, "Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz", "Oracle Database 19c Standard Edition 2",
                      "L-1,oracle-database,19c,Standard Edition 2,volume,10,user\n", users_of_db1(4));
  EXPECT_EQ(r.position.installs[0].verdict, Verdict::covered);
  EXPECT_EQ(r.position.installs[0].demanded, 10);
}

TEST(OracleRecognition, LinuxPackagesAndFreeEditions) {
  // The package names Oracle ships (oracle-database-ee-19c) recognise as the database; XE is free.
  const Reconciled ee = database_server(1, 8, "AMD EPYC 7302 16-Core Processor", "oracle-database-ee-19c-1.0-1.x86_64",
                                        "L-1,oracle-database,19c,Enterprise,volume,4,processor\n");
  EXPECT_EQ(ee.position.installs[0].verdict, Verdict::covered);
  EXPECT_EQ(ee.position.installs[0].demanded, 4);
  const Reconciled xe =
      database_server(1, 8, "AMD EPYC 7302 16-Core Processor", "oracle-database-xe-21c-1.0-1.ol8.x86_64",
                      "L-1,oracle-database,19c,Enterprise,volume,4,processor\n");
  EXPECT_EQ(xe.position.installs[0].verdict, Verdict::excluded);
  EXPECT_EQ(xe.position.installs[0].exclusion, Exclusion::free_edition);
}

}  // namespace
}  // namespace trueup
