// SPDX-License-Identifier: BSL-1.0
// File: tests/support/inventory_support.hpp
//
// What the importer tests share: exports named as `--inventory` names them, read; a device or a
// diagnostic found by id or code; a scratch folder per test; and where the real inventory files
// (../shared/data/inventory, written by real tools, not by the project) are, when present.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/import/inventory.hpp"

namespace trueup::test {

/// The project's own export samples.
inline const std::filesystem::path inventory_samples =
    std::filesystem::path(TRUEUP_SOURCE_DIR) / "tests/data/inventory";

/// The real files: next to the repository (../shared), or next to the folder of worktrees.
inline std::filesystem::path shared_inventory() {
  namespace fs = std::filesystem;
  for (const char* up : {"../shared/data/inventory", "../../shared/data/inventory"})
    if (fs::is_directory(fs::path(TRUEUP_SOURCE_DIR) / up)) return fs::path(TRUEUP_SOURCE_DIR) / up;
  return fs::path(TRUEUP_SOURCE_DIR) / "../shared/data/inventory";
}

/// `KIND:PATH` specs read as the command reads `--inventory`.
inline Result<import::Inventory> read_sources(std::initializer_list<std::string> specs) {
  std::vector<import::Source> sources;
  for (const auto& spec : specs) sources.push_back(import::parse_source(spec).value());
  return import::read_inventory(sources);
}

inline const import::InventoryDevice* find_device(const import::Inventory& inv, std::string_view id) {
  const auto it = std::find_if(inv.devices.begin(), inv.devices.end(), [&](const auto& d) { return d.id == id; });
  return it == inv.devices.end() ? nullptr : &*it;
}

inline const import::InventoryRow* find_row(const import::Inventory& inv, std::string_view id) {
  const auto it = std::find_if(inv.rows.begin(), inv.rows.end(), [&](const auto& r) { return r.id == id; });
  return it == inv.rows.end() ? nullptr : &*it;
}

inline const Diagnostic* find_diagnostic(const Diagnostics& all, std::string_view code) {
  const auto it = std::find_if(all.begin(), all.end(), [&](const Diagnostic& d) { return d.code == code; });
  return it == all.end() ? nullptr : &*it;
}

/// A scratch folder named after the running test, removed at its end.
class ScratchFolder {
 public:
  ScratchFolder()
      : dir_(std::filesystem::temp_directory_path() / ("trueup-import-" + std::to_string(::getpid()) + "-" +
                                                       testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  [[nodiscard]] std::string write(const std::string& name, std::string_view text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace trueup::test
