// SPDX-License-Identifier: BSL-1.0
// File: fuzz/sccm_fuzz.cpp
//
// libFuzzer target `sccm` (scripts/fuzz sccm SECONDS, docs/testing.md): the Configuration
// Manager importer on a fuzzed folder of view exports, then the fleet it gives reconciled;
// checks: fuzz/inventory_target.hpp. The input is cut at each byte 0x1E (record separator) into
// the files v_R_System.csv, v_Add_Remove_Programs.csv, v_GS_PROCESSOR.csv,
// v_GS_OPERATING_SYSTEM.csv, v_GS_SYSTEM_CONSOLE_USAGE.csv and v_GS_INSTALLED_SOFTWARE.csv, in
// that order (fewer parts: fewer files), so that mutations reach every view and their joins.
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("trueup-fuzz-sccm-" + std::to_string(::getpid()));
  static constexpr std::array<const char*, 6> views = {"v_R_System.csv",
                                                       "v_Add_Remove_Programs.csv",
                                                       "v_GS_PROCESSOR.csv",
                                                       "v_GS_OPERATING_SYSTEM.csv",
                                                       "v_GS_SYSTEM_CONSOLE_USAGE.csv",
                                                       "v_GS_INSTALLED_SOFTWARE.csv"};
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  std::filesystem::create_directories(folder);
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (std::size_t i = 0; i < views.size() && !rest.empty(); ++i) {
    const auto cut = rest.find('\x1e');
    std::ofstream out(folder / views[i], std::ios::binary);
    const std::string_view part = rest.substr(0, cut);
    out.write(part.data(), static_cast<std::streamsize>(part.size()));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
  }
  trueup::import::Source source;
  source.format = trueup::import::Format::sccm;
  source.path = folder;
  source.spec = "fuzz";
  return trueup::fuzz::fuzz_source(source);
}
