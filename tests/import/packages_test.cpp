// SPDX-License-Identifier: BSL-1.0
// File: tests/import/packages_test.cpp
//
// Linux package lists (src/import/packages.cpp, docs/formats.md "Linux package lists"): the
// project's samples in the exact shape GLPI Agent's Deb and RPM modules ask dpkg-query and rpm
// for (tests/data/inventory/packages: a Debian web server with a removed and a purged package, a
// half-installed one and two architectures of libc6; a RHEL database server with Oracle Database
// and two kernels), and the real lists of ../shared/data/inventory when that folder is present.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "support/inventory_support.hpp"

namespace trueup {
namespace {

namespace fs = std::filesystem;
using test::find_device;
using test::find_diagnostic;
using test::find_row;
using test::read_sources;

const fs::path samples = test::inventory_samples / "packages";

TEST(DpkgImport, EveryPackageWithItsFilesOnTheDiskIsARow) {
  const auto inv = read_sources({"dpkg:" + (samples / "srv-web01").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_NE(find_device(*inv, "srv-web01"), nullptr);  // the file's name
  EXPECT_TRUE(find_device(*inv, "srv-web01")->software_reported);
  std::vector<std::string> ids;
  for (const auto& r : inv->rows) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"srv-web01/dpkg/adduser:all", "srv-web01/dpkg/libreoffice-calc:amd64",
                                           "srv-web01/dpkg/libreoffice-writer:amd64", "srv-web01/dpkg/jcagent:amd64",
                                           "srv-web01/dpkg/libc6:amd64", "srv-web01/dpkg/libc6:i386"}));
  const auto* calc = find_row(*inv, "srv-web01/dpkg/libreoffice-calc:amd64");
  EXPECT_EQ(calc->title, "libreoffice-calc");
  EXPECT_EQ(calc->version, "4:7.4.7-1+deb12u8");
  EXPECT_EQ(calc->publisher, "");  // dpkg-query's list names no vendor
  EXPECT_EQ(calc->source, "srv-web01:2");
}

TEST(DpkgImport, RemovedAndPurgedPackagesAreNoInstallButAreCounted) {
  const auto inv = read_sources({"dpkg:" + (samples / "srv-web01").string()});
  ASSERT_TRUE(inv.has_value());
  for (const auto& r : inv->rows) {
    EXPECT_NE(r.title, "vlc-nox");              // deinstall ok config-files
    EXPECT_NE(r.title, "openoffice.org-core");  // purge ok not-installed
  }
  ASSERT_EQ(inv->sources.size(), 1U);
  EXPECT_EQ(inv->sources[0].not_installed, 2U);
  EXPECT_EQ(inv->sources[0].rows, 6U);
  EXPECT_EQ(inv->sources[0].skipped, 0U);
}

TEST(DpkgImport, AnUnpackedPackageIsAnInstallWithAWarning) {
  const auto inv = read_sources({"dpkg:" + (samples / "srv-web01").string()});
  ASSERT_TRUE(inv.has_value());
  const auto* w = find_diagnostic(inv->warnings, "not-fully-installed");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->line, 4U);
  EXPECT_NE(w->message.find("libreoffice-writer is `unpacked`"), std::string::npos) << w->message;
}

TEST(DpkgImport, ALineWithoutAStatusIsARow) {
  test::ScratchFolder s;
  const auto inv = read_sources({"dpkg:" + s.write("pc-1", "adduser\tall\t3.112+nmu2\t1228\tadmin\n")});
  ASSERT_TRUE(inv.has_value());
  ASSERT_EQ(inv->rows.size(), 1U);
  EXPECT_EQ(inv->rows[0].id, "pc-1/dpkg/adduser:all");
}

TEST(DpkgImport, SomethingElseIsAnErrorAtItsLineAndNothingOfTheFileIsRead) {
  test::ScratchFolder s;
  const auto inv =
      read_sources({"dpkg:" + s.write("pc-1", "adduser\tall\t3.134\t849\tadmin\tinstall ok installed\n{\"a\": 1}\n")});
  ASSERT_FALSE(inv.has_value());
  const auto* e = find_diagnostic(inv.error(), "bad-dpkg");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->file, "pc-1");
  EXPECT_EQ(e->line, 2U);
  EXPECT_NE(e->message.find("expected a tab-separated package line"), std::string::npos);
  EXPECT_NE(e->message.find("found \"{\"a\": 1}\""), std::string::npos) << e->message;
}

TEST(DpkgImport, AFolderIsOneComputerPerFileInNameOrder) {
  test::ScratchFolder s;
  (void)s.write("pc-2.txt", "bash\tamd64\t5.2.15-2+b7\t7164\tshells\tinstall ok installed\n");
  (void)s.write("pc-1", "bash\tamd64\t5.2.15-2+b7\t7164\tshells\tinstall ok installed\r\n");
  (void)s.write("pc-1.txt", "zsh\tamd64\t5.9-4+b2\t2453\tshells\tinstall ok installed\n");
  const auto inv = read_sources({"dpkg:" + s.dir().string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->devices.size(), 2U);  // pc-1 and pc-1.txt are one computer's lists
  EXPECT_EQ(inv->devices[0].id, "pc-1");
  EXPECT_EQ(inv->devices[1].id, "pc-2");
  ASSERT_EQ(inv->rows.size(), 3U);
  EXPECT_EQ(inv->rows[0].version, "5.2.15-2+b7");  // the CR of a CRLF line is not the version's
  EXPECT_EQ(inv->rows[1].id, "pc-1/dpkg/zsh:amd64");
}

TEST(RpmImport, EveryPackageIsARowWithItsVendorAndInstallDate) {
  const auto inv = read_sources({"rpm:" + (samples / "db-ora01").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  ASSERT_EQ(inv->rows.size(), 5U);
  const auto* oracle = find_row(*inv, "db-ora01/rpm/oracle-database-ee-19c-1.0-1.x86_64");
  ASSERT_NE(oracle, nullptr);
  EXPECT_EQ(oracle->title, "oracle-database-ee-19c");
  EXPECT_EQ(oracle->publisher, "Oracle Corporation");
  EXPECT_EQ(oracle->version, "1.0-1");
  EXPECT_EQ(oracle->first_seen, Date::parse("2023-09-13"));  // INSTALLTIME 1694600000, UTC
  // Two kernels installed side by side are two rows.
  EXPECT_NE(find_row(*inv, "db-ora01/rpm/kernel-core-5.14.0-362.8.1.el9_3.x86_64"), nullptr);
  EXPECT_NE(find_row(*inv, "db-ora01/rpm/kernel-core-5.14.0-427.13.1.el9_4.x86_64"), nullptr);
  EXPECT_EQ(find_row(*inv, "db-ora01/rpm/gpg-pubkey-fd431d51-4ae0493b.(none)")->publisher, "");  // (none)
}

TEST(RpmImport, AnInstallTimeThatIsNoNumberIsAWarningAndNoDate) {
  const auto inv = read_sources({"rpm:" + (samples / "db-ora01").string()});
  ASSERT_TRUE(inv.has_value());
  const auto* bash = find_row(*inv, "db-ora01/rpm/bash-5.1.8-6.el9_1.x86_64");
  ASSERT_NE(bash, nullptr);
  EXPECT_FALSE(bash->first_seen.has_value());
  const auto* w = find_diagnostic(inv->warnings, "bad-date");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->line, 5U);
}

TEST(PackageImport, TheSameListsGiveTheSameTablesByteForByte) {
  const auto a = read_sources({"dpkg:" + (samples / "srv-web01").string(), "rpm:" + (samples / "db-ora01").string()});
  const auto b = read_sources({"dpkg:" + (samples / "srv-web01").string(), "rpm:" + (samples / "db-ora01").string()});
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(import::installs_csv(*a), import::installs_csv(*b));
  EXPECT_EQ(import::devices_csv(*a), import::devices_csv(*b));
  EXPECT_EQ(a->devices.size(), 2U);
}

// --- The real lists of ../shared/data/inventory (written by GLPI Agent's test suite, not by the project).

class RealPackageLists : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(shared))
      GTEST_SKIP() << "the real inventory files are not here (" << shared.string() << "): skipped";
  }
  const fs::path shared = test::shared_inventory() / "glpi-agent";
};

TEST_F(RealPackageLists, DpkgListWithARemovedPackage) {
  const auto inv = read_sources({"dpkg:" + (shared / "dpkg").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(inv->rows.size(), 16U);  // 17 lines, vlc-nox `deinstall ok config-files` is none
  EXPECT_EQ(inv->sources[0].not_installed, 1U);
  EXPECT_NE(find_row(*inv, "dpkg/dpkg/jcagent:amd64"), nullptr);  // its Installed-Size is empty
  EXPECT_EQ(find_row(*inv, "dpkg/dpkg/vlc-nox:amd64"), nullptr);
  EXPECT_TRUE(inv->warnings.empty());
}

TEST_F(RealPackageLists, RpmListEveryPackageARow) {
  const auto inv = read_sources({"rpm:" + (shared / "rpm").string()});
  ASSERT_TRUE(inv.has_value()) << to_string(inv.error()[0]);
  EXPECT_EQ(inv->rows.size(), 10U);
  EXPECT_EQ(inv->rows[0].title, "libpciaccess0");
  EXPECT_EQ(inv->rows[0].publisher, "Mageia.Org");
  EXPECT_EQ(inv->rows[0].first_seen, Date::parse("2011-07-19"));  // 1311080703
  EXPECT_TRUE(inv->warnings.empty());
}

}  // namespace
}  // namespace trueup
