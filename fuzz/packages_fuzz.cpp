// SPDX-License-Identifier: BSL-1.0
// File: fuzz/packages_fuzz.cpp
//
// libFuzzer target `packages` (scripts/fuzz packages SECONDS, docs/testing.md): the Linux package list importers on
// one fuzzed list file — the first byte chooses the format (even: dpkg, odd: rpm), the rest is the file — then the
// fleet it gives reconciled; checks: fuzz/inventory_target.hpp.
#include <cstddef>
#include <cstdint>

#include "inventory_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto format = data[0] % 2 == 0 ? trueup::import::Format::dpkg : trueup::import::Format::rpm;
  return trueup::fuzz::fuzz_inventory(format, "", data + 1, size - 1);
}
