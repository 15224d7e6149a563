// SPDX-License-Identifier: BSL-1.0
// File: fuzz/wmi_fuzz.cpp
//
// libFuzzer target `wmi` (scripts/fuzz wmi SECONDS, docs/testing.md): the WMI Win32_Processor
// dump importer on one fuzzed `.wmi` file, then the fleet it gives reconciled; checks:
// fuzz/inventory_target.hpp.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return trueup::fuzz::fuzz_inventory(trueup::import::Format::wmi, ".wmi", data, size);
}
