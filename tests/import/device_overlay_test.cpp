// SPDX-License-Identifier: BSL-1.0
// File: tests/import/device_overlay_test.cpp
//
// DIR/devices.csv over the devices of an inventory (src/import/device_overlay.cpp,
// docs/formats.md "Facts no export holds"): the facts no inventory tool records, stated by the
// user without writing the rest; each problem where the user wrote it, nothing guessed.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "support/fleet_fixture.hpp"
#include "support/inventory_support.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/reconcile.hpp"

namespace trueup {
namespace {

using test::find_diagnostic;

const std::string samples_glpi = "glpi:" + (test::inventory_samples / "glpi").string();

/// A fleet directory holding no licences and, when given, a devices.csv overlay; and a folder
/// for the GLPI exports a test writes, beside it.
class Contracts {
 public:
  explicit Contracts(const std::string& devices = {}) {
    std::filesystem::create_directories(dir());
    std::filesystem::create_directories(folder_.dir() / "exports");
    write("entitlements.csv", std::string(test::entitlements_header));
    if (!devices.empty()) write("devices.csv", devices);
  }
  [[nodiscard]] std::filesystem::path dir() const { return folder_.dir() / "contracts"; }
  void write(const std::string& name, const std::string& text) const { (void)folder_.write("contracts/" + name, text); }
  /// Writes a GLPI inventory; returns the `--inventory` spec of every one written.
  [[nodiscard]] std::string export_glpi(const std::string& name, const std::string& json) const {
    (void)folder_.write("exports/" + name, json);
    return "glpi:" + (folder_.dir() / "exports").string();
  }

 private:
  test::ScratchFolder folder_;
};

const Device& device(const Fleet& fleet, const std::string& id) {
  const auto it = std::find_if(fleet.devices.begin(), fleet.devices.end(), [&](const Device& d) { return d.id == id; });
  if (it == fleet.devices.end()) throw std::runtime_error("no device " + id);
  return *it;
}

Result<io::FleetRead> read_with(const Contracts& contracts, const std::string& spec = samples_glpi) {
  const auto inv = test::read_sources({spec});
  if (!inv) return inv.error();
  return import::read_fleet(contracts.dir(), *inv, test::microsoft_pack());
}

// The case that motivated it: SQL Server Developer is free for development and test and licensed
// as Enterprise in production (licensing-rules SQL10); no export says which a server is, so an
// imported one went to review with no way to decide it from the command line.
TEST(DeviceOverlay, TheEnvironmentStatedForAnImportedServerDecidesSqlServerDeveloper) {
  const std::string server = R"({"deviceid":"SRV-DEV-2024","content":{"hardware":{"name":"SRV-DEV"},)"
                             R"("cpus":[{"core":4,"name":"Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz"}],)"
                             R"("softwares":[{"name":"SQL Server 2019 Developer Edition",)"
                             R"("publisher":"Microsoft Corporation","version":"15.0.2000.5"}]}})";
  ReconcileOptions options;
  options.as_of = Date::from_ymd(2025, 1, 31);
  const auto verdict = [&](const std::string& devices) {
    const Contracts contracts(devices);
    const auto read = read_with(contracts, contracts.export_glpi("SRV-DEV.json", server));
    if (!read) throw std::runtime_error(to_string(read.error()[0]));
    const Position p = reconcile(test::microsoft_pack(), read->fleet, options);
    if (p.installs.size() != 1) throw std::runtime_error("expected one install");
    return p.installs[0];
  };
  EXPECT_EQ(verdict("").exclusion, Exclusion::needs_review);
  EXPECT_EQ(verdict("device_id,environment\nSRV-DEV,unknown\n").exclusion, Exclusion::needs_review);
  EXPECT_EQ(verdict("device_id,environment\nSRV-DEV,non-production\n").exclusion, Exclusion::free_edition);
  EXPECT_EQ(verdict("device_id,environment\nsrv-dev,test\n").exclusion, Exclusion::free_edition);
  const auto production = verdict("device_id,environment\nSRV-DEV,production\n");
  EXPECT_EQ(production.exclusion, Exclusion::none);
  EXPECT_EQ(production.verdict, Verdict::shortfall);  // licensed as Enterprise, and no licence is held
}

TEST(DeviceOverlay, AStatedValueReplacesTheExportsAndAnEmptyCellKeepsIt) {
  const auto plain = read_with(Contracts());
  ASSERT_TRUE(plain.has_value()) << to_string(plain.error()[0]);
  const Device& before = device(plain->fleet, "PC-0101");
  ASSERT_NE(before.cores, 0U);

  const Contracts contracts(
      "device_id;kind;ownership;status;status_date;cores;primary_user\n"
      "PC-0101;laptop;leased;;;;\n"
      "PC-0102;;;retired;2024-06-30;;marie.dupont\n");
  const auto read = read_with(contracts);
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  EXPECT_EQ(read->fleet.devices.size(), plain->fleet.devices.size());
  const Device& pc = device(read->fleet, "PC-0101");
  EXPECT_EQ(pc.kind, DeviceKind::laptop);
  EXPECT_EQ(pc.ownership, Ownership::leased);
  EXPECT_EQ(pc.status, DeviceStatus::active);
  EXPECT_EQ(pc.cores, before.cores);  // empty: the export's count stays
  EXPECT_EQ(pc.hostname, before.hostname);
  const Device& retired = device(read->fleet, "PC-0102");
  EXPECT_EQ(retired.status, DeviceStatus::retired);
  EXPECT_EQ(retired.status_date, Date::from_ymd(2024, 6, 30));
  EXPECT_EQ(retired.primary_user, "marie.dupont");
  // Devices the overlay does not name are as the export has them; installs are untouched.
  EXPECT_EQ(device(read->fleet, "HV-0201").cores, device(plain->fleet, "HV-0201").cores);
  EXPECT_EQ(read->fleet.installs.size(), plain->fleet.installs.size());
}

TEST(DeviceOverlay, ARowMatchesItsDeviceInAnotherCaseAndAHostFollowsIt) {
  const Contracts contracts("device_id,kind,host\nhv-0201,server,\nHV-0300,server,\nvm-sql01,vm,HV-0300\n");
  const auto read = read_with(contracts);
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  const Fleet& f = read->fleet;
  const Device& vm = device(f, "VM-SQL01");  // the export's id, not the row's spelling
  ASSERT_TRUE(vm.host_index.valid());
  EXPECT_EQ(f.device(vm.host_index).id, "HV-0300");
  EXPECT_EQ(device(f, "HV-0201").kind, DeviceKind::server);
}

// A device no export lists (a host the inventory tool never scanned) is added as stated, and
// said so: it may be a typing slip as well as a real device.
TEST(DeviceOverlay, ADeviceNoExportListsIsAddedWithAWarning) {
  const Contracts contracts("device_id,kind,processors,cores\nHV-0300,server,2,32\n");
  const auto read = read_with(contracts);
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  const Device& host = device(read->fleet, "HV-0300");
  EXPECT_EQ(host.cores, 32U);
  const Diagnostic* added = find_diagnostic(read->warnings, "not-in-inventory");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->file, "devices.csv");
  EXPECT_EQ(added->line, 2U);
  EXPECT_NE(added->message.find("found 1 device(s) no export lists (\"HV-0300\")"), std::string::npos);
}

TEST(DeviceOverlay, ARowThatCouldBeSeveralDevicesIsAnErrorNotAGuess) {
  // Two computers whose names differ only in case (the GLPI importer keeps both): "Pc-7" is
  // either.
  const Contracts contracts("device_id,ownership\nPc-7,leased\n");
  (void)contracts.export_glpi("a.json", R"({"deviceid":"A-1","content":{"hardware":{"name":"PC-7"},"softwares":[]}})");
  const std::string spec =
      contracts.export_glpi("b.json", R"({"deviceid":"B-2","content":{"hardware":{"name":"pc-7"},"softwares":[]}})");
  const auto read = read_with(contracts, spec);
  ASSERT_FALSE(read.has_value());
  const Diagnostic* d = find_diagnostic(read.error(), "ambiguous-device");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->line, 2U);
  EXPECT_EQ(d->column, 1U);
}

TEST(DeviceOverlay, EachProblemIsReportedWhereTheUserWroteIt) {
  const Contracts contracts(
      "device_id,environment,host\n"
      "PC-0101,staging,\n"
      "PC-0102,,HV-9\n"
      "pc-0101,test,\n");
  const auto read = read_with(contracts);
  ASSERT_FALSE(read.has_value());
  const Diagnostics& ds = read.error();
  for (const Diagnostic& d : ds) EXPECT_EQ(d.file, "devices.csv") << to_string(d);
  const Diagnostic* bad = find_diagnostic(ds, "bad-enum");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->line, 2U);
  EXPECT_EQ(bad->column, 9U);
  const Diagnostic* host = find_diagnostic(ds, "unknown-device");
  ASSERT_NE(host, nullptr);
  EXPECT_EQ(host->line, 3U);
  const Diagnostic* twice = find_diagnostic(ds, "duplicate-device");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->line, 4U);
  EXPECT_NE(twice->message.find("line 2"), std::string::npos);
  EXPECT_EQ(ds.size(), 3U);  // one mistake, one diagnostic: no echo from the imported devices
}

// The header is read as devices.csv's reader reads it: a name quoted with spaces around it is
// still its column, so a stated value is never dropped in silence.
TEST(DeviceOverlay, AHeaderIsReadAsTheDevicesReaderReadsIt) {
  const Contracts contracts("\n\"device_id\";\" Environment \"\nvm-sql01;production\n");
  const auto read = read_with(contracts);
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  EXPECT_EQ(device(read->fleet, "VM-SQL01").environment, Environment::production);
}

// A VM put on a VM (WS8: a VM is licensed on the physical server it runs on) is reported where
// the overlay says so: at its `host`, or at the `kind` that makes an imported host a VM.
TEST(DeviceOverlay, AHostThatIsAVmIsReportedAtTheFieldThatMakesItSo) {
  const auto on_a_vm = read_with(Contracts("device_id,host\nPC-0101,vm-sql01\n"));
  ASSERT_FALSE(on_a_vm.has_value());
  ASSERT_EQ(on_a_vm.error().size(), 1U) << to_string(on_a_vm.error()[1]);
  EXPECT_EQ(on_a_vm.error()[0].code, "host-not-physical");
  EXPECT_EQ(on_a_vm.error()[0].file, "devices.csv");
  EXPECT_EQ(on_a_vm.error()[0].line, 2U);
  EXPECT_EQ(on_a_vm.error()[0].column, 9U);
  const auto host_made_a_vm = read_with(Contracts("device_id,kind\nHV-0201,vm\n"));
  ASSERT_FALSE(host_made_a_vm.has_value());
  ASSERT_EQ(host_made_a_vm.error().size(), 1U);
  EXPECT_EQ(host_made_a_vm.error()[0].code, "host-not-physical");
  EXPECT_EQ(host_made_a_vm.error()[0].line, 2U);
  EXPECT_EQ(host_made_a_vm.error()[0].column, 9U);
  EXPECT_NE(host_made_a_vm.error()[0].message.find("VM-SQL01 runs on it"), std::string::npos);
}

// Only the overlay's own lines are ever blamed: an empty file, a header without device_id and a
// second row of one id are each one problem, none about the imported devices.
TEST(DeviceOverlay, AMalformedOverlayIsReportedOnItsOwnLinesOnly) {
  for (const std::string& text : {std::string(), std::string("environment\nproduction\n"),
                                  std::string("device_id,environment\nPC-0101,test\nPC-0101,production\n")}) {
    const auto read = read_with(Contracts(text.empty() ? "\n" : text));
    ASSERT_FALSE(read.has_value()) << text;
    EXPECT_EQ(read.error().size(), 1U) << text << to_string(read.error()[0]);
    for (const Diagnostic& d : read.error()) {
      EXPECT_EQ(d.file, "devices.csv");
      EXPECT_LE(d.line, 3U) << to_string(d);
      EXPECT_EQ(d.message.find("PC-0102"), std::string::npos) << to_string(d);
    }
  }
}

TEST(DeviceOverlay, AHostNamedInAnotherCaseIsTheImportedDevice) {
  const auto read = read_with(Contracts("device_id,kind,host\nVM-NEW,vm,hv-0201\n"));
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  const Device& vm = device(read->fleet, "VM-NEW");
  ASSERT_TRUE(vm.host_index.valid());
  EXPECT_EQ(read->fleet.device(vm.host_index).id, "HV-0201");
}

TEST(DeviceOverlay, AFleetDirectoryThatIsNotThereIsAnError) {
  const auto inv = test::read_sources({samples_glpi});
  ASSERT_TRUE(inv.has_value());
  const auto read = import::read_fleet(*inv, test::microsoft_pack(), "/nonexistent/contracts");
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error()[0].code, "missing-file");
}

TEST(DeviceOverlay, AnInstallsCsvBesideTheExportsIsNotReadAndSaysSo) {
  const Contracts contracts;
  contracts.write("installs.csv", "install_id,device_id,title\nI-1,PC-0101,Visio Professional 2019\n");
  const auto read = read_with(contracts);
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  EXPECT_NE(find_diagnostic(read->warnings, "not-read"), nullptr);
  for (const Install& in : read->fleet.installs) EXPECT_NE(in.id, "I-1");
}

// `trueup review DIR --inventory ...` reads the overlay too: what it still lists as missing is
// what nobody has stated.
TEST(DeviceOverlay, TheReviewReadsItToo) {
  const auto inv = test::read_sources({samples_glpi});
  ASSERT_TRUE(inv.has_value());
  const Contracts contracts("device_id,environment\nVM-SQL01,production\n");
  const auto read = import::read_fleet(*inv, test::microsoft_pack(), contracts.dir());
  ASSERT_TRUE(read.has_value()) << to_string(read.error()[0]);
  EXPECT_EQ(device(read->fleet, "VM-SQL01").environment, Environment::production);
  const auto without = import::read_fleet(*inv, test::microsoft_pack());
  ASSERT_TRUE(without.has_value());
  EXPECT_EQ(device(without->fleet, "VM-SQL01").environment, Environment::unknown);
}

}  // namespace
}  // namespace trueup
