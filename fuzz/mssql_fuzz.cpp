// SPDX-License-Identifier: BSL-1.0
// File: fuzz/mssql_fuzz.cpp
//
// libFuzzer target `mssql` (scripts/fuzz mssql SECONDS, docs/testing.md): the `SELECT @@VERSION`
// importer on one fuzzed output file, then the fleet it gives reconciled; checks:
// fuzz/inventory_target.hpp.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return trueup::fuzz::fuzz_inventory(trueup::import::Format::mssql, ".txt", data, size);
}
