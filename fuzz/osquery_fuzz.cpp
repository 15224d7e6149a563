// SPDX-License-Identifier: BSL-1.0
// File: fuzz/osquery_fuzz.cpp
//
// libFuzzer target `osquery` (scripts/fuzz osquery SECONDS, docs/testing.md): the osquery
// importer on one fuzzed results log (or `osqueryi --json` output), then the fleet it gives
// reconciled; checks: fuzz/inventory_target.hpp.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return trueup::fuzz::fuzz_inventory(trueup::import::Format::osquery, ".log", data, size);
}
