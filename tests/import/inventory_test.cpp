// SPDX-License-Identifier: BSL-1.0
// File: tests/import/inventory_test.cpp
//
// The importers on exports in their exact formats: the project's own samples (tests/data/
// inventory: GLPI Agent JSON of a PC, a Hyper-V host, a VM on it and a partial inventory; a
// UTF-16LE registry export with both views, a user hive, an update, a hex(2) Cyrillic name), and
// the real files of ../shared/data/inventory when that folder is present.
#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "support/fleet_fixture.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/normalise/recognise.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;

const fs::path samples = fs::path(TRUEUP_SOURCE_DIR) / "tests/data/inventory";
/// The real files: next to the repository (../shared), or next to the folder of worktrees.
fs::path shared_inventory() {
  for (const char* up : {"../shared/data/inventory", "../../shared/data/inventory"})
    if (fs::is_directory(fs::path(TRUEUP_SOURCE_DIR) / up)) return fs::path(TRUEUP_SOURCE_DIR) / up;
  return fs::path(TRUEUP_SOURCE_DIR) / "../shared/data/inventory";
}
const fs::path shared = shared_inventory();

import::Inventory read(std::initializer_list<std::string> specs){std::vector<import::Source> sources;
for (const auto& spec : specs) sources.push_back(import::parse_source(spec).value());
auto inventory = import::read_inventory(sources);
if (!inventory) {
  for (const auto& d : inventory.error()) ADD_FAILURE() << to_string(d);
  throw std::runtime_error("unreadable inventory");
}
return std::move(*inventory);
}  // namespace
const import::InventoryDevice& device(const import::Inventory& inv, std::string_view id) {
  const auto it = std::find_if(inv.devices.begin(), inv.devices.end(), [&](const auto& d) { return d.id == id; });
  if (it == inv.devices.end()) throw std::runtime_error("no device " + std::string(id));
  return *it;
}
std::vector<std::string> titles(const import::Inventory& inv, std::string_view device_id) {
  std::vector<std::string> out;
  for (const auto& r : inv.rows)
    if (r.device_id == device_id) out.push_back(r.title);
  return out;
}
bool has_warning(const import::Inventory& inv, std::string_view code) {
  return std::any_of(inv.warnings.begin(), inv.warnings.end(), [&](const Diagnostic& d) { return d.code == code; });
}

/// A scratch folder, removed at the end of the test.
class Scratch {
 public:
  Scratch() : dir_(fs::temp_directory_path() / ("trueup-import-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() { fs::remove_all(dir_); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  fs::path write(const std::string& name, std::string_view text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  [[nodiscard]] const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

TEST(InventorySource, KindAndPath) {
  auto s = import::parse_source("glpi:inventories/");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->format, import::Format::glpi);
  EXPECT_EQ(s->path, fs::path("inventories/"));
  EXPECT_EQ(import::parse_source("reg:C:/x.reg")->path, fs::path("C:/x.reg"));  // only the first colon splits
  EXPECT_EQ(import::parse_source("sccm:exports")->format, import::Format::sccm);
  EXPECT_EQ(import::parse_source("lansweeper:exports")->format, import::Format::lansweeper);
  EXPECT_EQ(import::parse_source("wmi:cpus/")->format, import::Format::wmi);
  for (const char* bad : {"ocs:x", "sccm", "inventories/", "glpi:", ":x"}) {
    auto b = import::parse_source(bad);
    ASSERT_FALSE(b.has_value()) << bad;
    EXPECT_EQ(b.error()[0].code, "bad-inventory");
  }
}

TEST(GlpiImport, DevicesWithTheirHardwareFacts) {
  const auto inv = read({"glpi:" + (samples / "glpi").string()});
  ASSERT_EQ(inv.devices.size(), 4u);
  // In file-name order, whatever the directory's order.
  EXPECT_EQ(inv.devices[0].id, "HV-0201");
  EXPECT_EQ(inv.devices[3].id, "VM-SQL01");
  const auto& host = device(inv, "HV-0201");
  EXPECT_EQ(host.kind, DeviceKind::server);  // a rack-mount chassis
  EXPECT_EQ(host.processors, 2u);
  EXPECT_EQ(host.cores, 32u);
  const auto& vm = device(inv, "VM-SQL01");
  EXPECT_EQ(vm.kind, DeviceKind::virtual_machine);  // vmsystem Hyper-V
  EXPECT_EQ(vm.cores, 6u);                          // two virtual sockets of 3
  EXPECT_EQ(vm.host, "HV-0201");                    // listed by the host, uuid in another case
  EXPECT_EQ(device(inv, "PC-0101").kind, DeviceKind::desktop);
  EXPECT_EQ(device(inv, "PC-0102").kind, DeviceKind::laptop);  // chassis Notebook
  EXPECT_EQ(device(inv, "PC-0101").cores, 8u);
}

TEST(GlpiImport, EverySoftwareEntryAndTheOperatingSystemAreRows) {
  const auto inv = read({"glpi:" + (samples / "glpi").string()});
  const auto pc = titles(inv, "PC-0101");
  // 7 entries, one without a name (not a row, a warning), plus the OS.
  ASSERT_EQ(pc.size(), 7u);
  EXPECT_EQ(pc.back(), "Microsoft Windows 10 Pro");
  EXPECT_EQ(std::count(pc.begin(), pc.end(), "Microsoft Office Professional Plus 2019 - fr-fr"), 2);
  EXPECT_NE(std::find(pc.begin(), pc.end(), "КриптоПро CSP"), pc.end());  // Unicode unchanged
  EXPECT_TRUE(has_warning(inv, "no-title"));
  ASSERT_EQ(inv.sources.size(), 1u);
  EXPECT_EQ(inv.sources[0].skipped, 1u);
  EXPECT_EQ(inv.sources[0].files, 4u);
  EXPECT_EQ(inv.sources[0].rows, inv.rows.size());
  // A host with an empty software list: its OS is still a row; the list was reported.
  EXPECT_EQ(titles(inv, "HV-0201"), std::vector<std::string>{"Microsoft Windows Server 2022 Datacenter"});
  EXPECT_TRUE(device(inv, "HV-0201").software_reported);
  const auto os =
      std::find_if(inv.rows.begin(), inv.rows.end(), [](const auto& r) { return r.id == "PC-0101/glpi/os"; });
  ASSERT_NE(os, inv.rows.end());
  EXPECT_EQ(os->first_seen, Date::from_ymd(2022, 1, 15));  // from a date-time
}

TEST(GlpiImport, APartialInventoryIsPartialNotEmpty) {
  const auto inv = read({"glpi:" + (samples / "glpi").string()});
  const auto& partial = device(inv, "PC-0102");
  EXPECT_FALSE(partial.software_reported);
  EXPECT_EQ(partial.cores, 4u);
  EXPECT_TRUE(titles(inv, "PC-0102").empty());
  EXPECT_TRUE(has_warning(inv, "partial-inventory"));
}

TEST(GlpiImport, APartialInventoryUpdatesTheSectionsItCarries) {
  Scratch scratch;
  scratch.write("a.json", R"({"deviceid":"X-1","content":{"hardware":{"name":"X"},
    "cpus":[{"core":2}],"softwares":[{"name":"Microsoft Visio Professional 2016"}]}})");
  scratch.write("b.json", R"({"deviceid":"X-1","partial":true,"content":{"cpus":[{"core":4},{"core":4}]}})");
  const auto inv = read({"glpi:" + scratch.dir().string()});
  ASSERT_EQ(inv.devices.size(), 1u);
  EXPECT_EQ(inv.devices[0].cores, 8u);                  // the later CPUs
  EXPECT_EQ(titles(inv, "X").size(), 1u);               // the earlier software kept
  EXPECT_FALSE(has_warning(inv, "partial-inventory"));  // software known from a.json
}

TEST(GlpiImport, CoresUnknownWhenAnyProcessorLacksThem) {
  Scratch scratch;
  scratch.write("a.json", R"({"deviceid":"X","content":{"cpus":[{"core":2},{"name":"cpu"}]}})");
  const auto inv = read({"glpi:" + scratch.dir().string()});
  EXPECT_EQ(inv.devices[0].processors, 2u);
  EXPECT_EQ(inv.devices[0].cores, 0u);
}

TEST(GlpiImport, IdsAreStableAndTheTablesByteIdentical) {
  const auto a = read({"glpi:" + (samples / "glpi").string()});
  const auto b = read({"glpi:" + (samples / "glpi").string()});
  EXPECT_EQ(import::devices_csv(a), import::devices_csv(b));
  EXPECT_EQ(import::installs_csv(a), import::installs_csv(b));
  EXPECT_EQ(a.rows.front().id, "HV-0201/glpi/os");  // HV-0201.json first; its software list is empty
  EXPECT_EQ(a.rows[1].id, "PC-0101/glpi/sw1");
  std::vector<std::string> ids;
  for (const auto& r : a.rows) ids.push_back(r.id);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());
}

TEST(GlpiImport, BrokenJsonIsAnErrorWithItsPosition) {
  Scratch scratch;
  scratch.write("a.json", "{\"deviceid\": \"X\",\n  \"content\": {\"cpus\": [}\n}");
  scratch.write("b.json", "[1, 2]");
  auto inv = import::read_inventory({import::parse_source("glpi:" + scratch.dir().string()).value()});
  ASSERT_FALSE(inv.has_value());
  ASSERT_EQ(inv.error().size(), 2u);
  EXPECT_EQ(inv.error()[0].file, "a.json");
  EXPECT_EQ(inv.error()[0].code, "bad-json");
  EXPECT_EQ(inv.error()[0].line, 2u);
  EXPECT_EQ(inv.error()[0].column, 24u);
  EXPECT_EQ(inv.error()[1].code, "bad-inventory");
}

TEST(GlpiImport, ANumberBeyondADoubleIsAnErrorWithItsPositionNotACrash) {
  // Found by the `glpi` fuzz target: nlohmann's out_of_range (406) for `1e309` escaped
  // read_inventory, and `trueup reconcile --inventory` ended in std::terminate.
  Scratch scratch;
  scratch.write("a.json", "{\"deviceid\": \"X\",\n  \"content\": {\"batteries\": [{\"capacity\": 1e309}]}\n}");
  auto inv = import::read_inventory({import::parse_source("glpi:" + scratch.dir().string()).value()});
  ASSERT_FALSE(inv.has_value());
  ASSERT_EQ(inv.error().size(), 1u);
  EXPECT_EQ(to_string(inv.error()[0]),
            "a.json:2:42: error[bad-json]: expected a JSON number a double can hold, found number overflow parsing "
            "'1e309'");
}

TEST(GlpiImport, MissingSourceIsAnError) {
  auto inv = import::read_inventory({import::parse_source("glpi:/nonexistent/inventories").value()});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(inv.error()[0].code, "missing-file");
}

TEST(RegImport, EveryNamedUninstallKeyInEveryViewIsARow) {
  const auto inv = read({"reg:" + (samples / "reg/PC-0042.reg").string()});
  ASSERT_EQ(inv.devices.size(), 1u);
  EXPECT_EQ(inv.devices[0].id, "PC-0042");  // the file's name
  EXPECT_FALSE(inv.devices[0].kind.has_value());
  const auto t = titles(inv, "PC-0042");
  // 9 subkeys with a name (Office 2016 three times: MSI key, Office16.PROPLUS, 32-bit view);
  // one subkey without a name is not a program.
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(std::count(t.begin(), t.end(), "Microsoft Office Professional Plus 2016"), 3);
  EXPECT_NE(std::find(t.begin(), t.end(), "1С:Предприятие 8 (8.3.22.1709)"), t.end());  // hex(2), Cyrillic
  EXPECT_EQ(inv.sources[0].unnamed_keys, 1u);
  std::vector<std::string> ids;
  for (const auto& r : inv.rows) ids.push_back(r.id);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "PC-0042/reg/x86/{90160000-0011-0000-1000-0000000FF1CE}"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "PC-0042/reg/user/Teams"), ids.end());
  EXPECT_EQ(inv.rows[0].first_seen, Date::from_ymd(2019, 3, 12));  // 20190312
  EXPECT_TRUE(has_warning(inv, "bad-date"));                       // 2024-02-30
}

TEST(RegImport, NotARegistryExportIsAnError) {
  Scratch scratch;
  const auto file = scratch.write("x.reg", "\xEF\xBB\xBFhello\n");
  auto inv = import::read_inventory({import::parse_source("reg:" + file.string()).value()});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(inv.error()[0].code, "bad-reg");
  EXPECT_EQ(inv.error()[0].line, 1u);
}

TEST(RegImport, ABrokenValueLineIsAnErrorAtItsLine) {
  Scratch scratch;
  const auto file =
      scratch.write("x.reg",
                    "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\A]\n"
                    "\"DisplayName=\"unterminated\n");
  auto inv = import::read_inventory({import::parse_source("reg:" + file.string()).value()});
  ASSERT_FALSE(inv.has_value());
  EXPECT_EQ(inv.error()[0].line, 4u);
}

TEST(InventoryMerge, ADeviceInTwoSourcesIsOneDevice) {
  Scratch scratch;
  scratch.write("PC-0042.json",
                R"({"deviceid":"PC-0042-1","content":{"hardware":{"name":"PC-0042"},"cpus":[{"core":4}]}})");
  const auto inv = read({"reg:" + (samples / "reg/PC-0042.reg").string(), "glpi:" + scratch.dir().string()});
  ASSERT_EQ(inv.devices.size(), 1u);
  EXPECT_EQ(inv.devices[0].cores, 4u);  // unknown in the registry export, known from GLPI
  EXPECT_TRUE(inv.devices[0].software_reported);
  EXPECT_EQ(inv.sources.size(), 2u);
}

TEST(InventoryFleet, ReadAsAFleetAndRecognised) {
  Scratch scratch;
  scratch.write("entitlements.csv", std::string(test::entitlements_header));
  const auto inv = read({"glpi:" + (samples / "glpi").string(), "reg:" + (samples / "reg/PC-0042.reg").string()});
  auto fleet = import::read_fleet(scratch.dir(), inv, test::microsoft_pack());
  ASSERT_TRUE(fleet.has_value()) << to_string(fleet.error()[0]);
  EXPECT_EQ(fleet->fleet.devices.size(), inv.devices.size());
  ASSERT_EQ(fleet->fleet.installs.size(), inv.rows.size());
  const Fleet& f = fleet->fleet;
  EXPECT_EQ(f.device(f.installs[0].device).id, "HV-0201");
  const auto vm = std::find_if(f.devices.begin(), f.devices.end(), [](const Device& d) { return d.id == "VM-SQL01"; });
  EXPECT_EQ(f.devices.at(vm->host_index.value).id, "HV-0201");
  // Every row ends recognised, excluded with a reason, or needing review: none is lost.
  Recogniser recogniser(test::microsoft_pack());
  std::map<std::string, Recognition::Kind> kinds;
  for (const Install& in : f.installs) kinds[in.title] = recogniser.recognise(in.title, in.publisher, in.version).kind;
  EXPECT_EQ(kinds["Microsoft Windows 10 Pro"], Recognition::Kind::product);
  EXPECT_EQ(kinds["Microsoft Office Professional Plus 2016"], Recognition::Kind::product);
  EXPECT_EQ(kinds["Update for Microsoft Office 2016 (KB4484103) 64-Bit Edition"], Recognition::Kind::component);
  EXPECT_EQ(kinds["Microsoft Visual C++ 2015-2022 Redistributable (x86) - 14.36.32532"], Recognition::Kind::component);
  EXPECT_EQ(kinds["LibreOffice 7.5.3.2"], Recognition::Kind::other_publisher);
  EXPECT_EQ(kinds["Microsoft SQL Server 2019 (64-bit)"], Recognition::Kind::needs_review);  // no edition
  EXPECT_EQ(kinds["Microsoft Teams"], Recognition::Kind::unrecognised);
  EXPECT_EQ(kinds["1С:Предприятие 8 (8.3.22.1709)"], Recognition::Kind::other_publisher);
  EXPECT_EQ(kinds["Microsoft Windows Server 2022 Datacenter"], Recognition::Kind::product);
  EXPECT_EQ(kinds["Microsoft Office Professional Plus 2019 - fr-fr"], Recognition::Kind::product);
}

TEST(InventoryFleet, EntitlementsAreStillRequired) {
  Scratch scratch;
  const auto inv = read({"glpi:" + (samples / "glpi").string()});
  auto fleet = import::read_fleet(scratch.dir(), inv, test::microsoft_pack());
  ASSERT_FALSE(fleet.has_value());
  EXPECT_EQ(fleet.error()[0].code, "missing-file");
}

// --- The real files of ../shared/data/inventory (written by GLPI Agent, not by the project).

class RealInventories : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(shared))
      GTEST_SKIP() << "the real inventory files are not here (" << shared.string() << "): skipped";
  }
};

TEST_F(RealInventories, GlpiComputerWithItsPartialCpuInventory) {
  const auto full = read({"glpi:" + (shared / "glpi-inventory-format/computer_1.json").string()});
  ASSERT_EQ(full.devices.size(), 1u);
  EXPECT_EQ(full.devices[0].id, "glpixps");
  EXPECT_EQ(full.devices[0].kind, DeviceKind::laptop);
  EXPECT_EQ(full.devices[0].processors, 1u);
  EXPECT_EQ(full.devices[0].cores, 2u);
  EXPECT_EQ(full.devices[0].cpu_model, "Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz");
  const auto t = titles(full, "glpixps");
  ASSERT_EQ(t.size(), 7u);  // six packages and the OS
  EXPECT_EQ(t.back(), "Fedora 31 (Workstation Edition)");
  const auto partial = read({"glpi:" + (shared / "glpi-inventory-format/computer_1_partial_cpu.json").string()});
  EXPECT_FALSE(partial.devices[0].software_reported);
  EXPECT_EQ(partial.devices[0].cores, 2u);
  EXPECT_TRUE(partial.rows.empty());
}

TEST_F(RealInventories, GlpiPartialInventoryWithHostedMachines) {
  const auto inv = read({"glpi:" + (shared / "glpi-inventory-format/computer_2_partial_vms.json").string()});
  ASSERT_EQ(inv.devices.size(), 1u);
  EXPECT_EQ(inv.devices[0].id, "COMP1");
  EXPECT_FALSE(inv.devices[0].software_reported);
  EXPECT_TRUE(has_warning(inv, "partial-inventory"));
}

TEST_F(RealInventories, GlpiFolderMergesOneComputersFiles) {
  Scratch scratch;  // the two inventories of computer_1, as an agent's folder holds them
  for (const char* name : {"computer_1.json", "computer_1_partial_cpu.json"})
    fs::copy_file(shared / "glpi-inventory-format" / name, scratch.dir() / name);
  const auto inv = read({"glpi:" + scratch.dir().string()});
  ASSERT_EQ(inv.devices.size(), 1u);
  EXPECT_TRUE(device(inv, "glpixps").software_reported);  // from the full inventory
  EXPECT_EQ(titles(inv, "glpixps").size(), 7u);
  EXPECT_FALSE(has_warning(inv, "partial-inventory"));
}

TEST_F(RealInventories, AFolderWithAFileThatIsNoInventoryIsAnError) {
  // The format's folder also holds its JSON schema: JSON, but no inventory.
  auto inv =
      import::read_inventory({import::parse_source("glpi:" + (shared / "glpi-inventory-format").string()).value()});
  ASSERT_FALSE(inv.has_value());
  ASSERT_EQ(inv.error().size(), 2u);  // the error, then the readable files' warnings
  EXPECT_EQ(inv.error()[0].file, "inventory.schema.json");
  EXPECT_EQ(inv.error()[0].code, "bad-inventory");
}

TEST_F(RealInventories, RussianUninstallExport) {
  const auto inv = read({"reg:" + (shared / "glpi-agent/10_russian-Uninstall.reg").string()});
  const auto t = titles(inv, "10_russian-Uninstall");
  EXPECT_EQ(t, (std::vector<std::string>{"КриптоПро CSP", "1C Предприятие 7.7"}));
  EXPECT_EQ(inv.rows[0].publisher, "Компания КриптоПро");
  EXPECT_EQ(inv.rows[0].version, "5.0.12000");
  EXPECT_EQ(inv.rows[0].first_seen, Date::from_ymd(2021, 7, 24));
  EXPECT_EQ(inv.rows[1].id, "10_russian-Uninstall/reg/1C Предприятие 7.7.27");
}

}  // namespace trueup
}  // namespace trueup
