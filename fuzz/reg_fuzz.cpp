// SPDX-License-Identifier: BSL-1.0
// File: fuzz/reg_fuzz.cpp
//
// libFuzzer target `reg` (scripts/fuzz reg SECONDS, docs/testing.md): the Windows registry export (.reg) importer on
// one fuzzed export file, then the fleet it gives reconciled; checks: fuzz/inventory_target.hpp.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return trueup::fuzz::fuzz_inventory(trueup::import::Format::reg, ".reg", data, size);
}
