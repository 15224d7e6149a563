// SPDX-License-Identifier: BSL-1.0
// File: fuzz/sccm_fuzz.cpp
//
// libFuzzer target `sccm` (scripts/fuzz sccm SECONDS, docs/testing.md): the Configuration
// Manager importer on a fuzzed folder of view exports, then the fleet it gives reconciled;
// checks: fuzz/inventory_target.hpp. The input is cut at each byte 0x1E (record separator) into
// the files v_R_System.csv, v_Add_Remove_Programs.csv, v_GS_PROCESSOR.csv,
// v_GS_OPERATING_SYSTEM.csv, v_GS_SYSTEM_CONSOLE_USAGE.csv and v_GS_INSTALLED_SOFTWARE.csv, in
// that order (fewer parts: fewer files), so that mutations reach every view and their joins.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return trueup::fuzz::fuzz_folder(
      trueup::import::Format::sccm, "sccm",
      {"v_R_System.csv", "v_Add_Remove_Programs.csv", "v_GS_PROCESSOR.csv", "v_GS_OPERATING_SYSTEM.csv",
       "v_GS_SYSTEM_CONSOLE_USAGE.csv", "v_GS_INSTALLED_SOFTWARE.csv"},
      data, size);
}
