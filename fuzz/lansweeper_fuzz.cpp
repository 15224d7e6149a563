// SPDX-License-Identifier: BSL-1.0
// File: fuzz/lansweeper_fuzz.cpp
//
// libFuzzer target `lansweeper` (scripts/fuzz lansweeper SECONDS, docs/testing.md): the
// Lansweeper importer on a fuzzed folder of table exports, then the fleet it gives reconciled;
// checks: fuzz/inventory_target.hpp. The input is cut at each byte 0x1E (record separator) into
// the files tblAssets.csv, tblSoftwareUni.csv, tblSoftware.csv, tblAssetCustom.csv,
// tblProcessor.csv, tblOperatingsystem.csv and tblComputersystem.csv, in that order (fewer
// parts: fewer files), so that mutations reach every table and their joins.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return trueup::fuzz::fuzz_folder(trueup::import::Format::lansweeper, "lansweeper",
                                   {"tblAssets.csv", "tblSoftwareUni.csv", "tblSoftware.csv", "tblAssetCustom.csv",
                                    "tblProcessor.csv", "tblOperatingsystem.csv", "tblComputersystem.csv"},
                                   data, size);
}
