// SPDX-License-Identifier: BSL-1.0
// File: fuzz/device_overlay_fuzz.cpp
//
// libFuzzer target `device_overlay` (scripts/fuzz device_overlay SECONDS, docs/testing.md): a
// devices.csv read over imported devices, as `trueup reconcile --inventory ... DIR` reads
// DIR/devices.csv (trueup::import::overlay_devices). The input is the overlay; the imported
// devices are a small inventory with a PC, a host, a VM on it and two names differing only in
// case. Besides the sanitizers' findings, the target aborts when a diagnostic is not printable
// or not on a line of the overlay, when an overlay accepted gives a devices table the readers
// refuse, or when an imported device is lost: every imported device stays, under the export's id.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/io/readers.hpp"

namespace {

using trueup::fuzz::check_printable;
using trueup::fuzz::fail;

constexpr std::string_view imported =
    "device_id,hostname,kind,status,primary_user,processors,cores,cpu_model,host\n"
    "PC-1,pc-1.contoso.local,desktop,,alice,,,,\n"
    "HV-1,HV-1,server,,,2,32,AMD EPYC 7302 16-Core Processor,\n"
    "VM-1,VM-1,vm,,,,4,,HV-1\n"
    "PC-7,PC-7,laptop,,,,,,\n"
    "pc-7,pc-7,laptop,retired,,,,,\n";
constexpr const char* ids[] = {"PC-1", "HV-1", "VM-1", "PC-7", "pc-7"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string overlay(reinterpret_cast<const char*>(data), size);
  const trueup::RulePack& pack = trueup::fuzz::microsoft_pack();
  trueup::Diagnostics warnings;
  const auto merged = trueup::import::overlay_devices(imported, overlay, "devices.csv", pack, warnings);
  check_printable(merged ? warnings : merged.error());
  // Every problem is the overlay's, on one of its lines: never one of the imported devices'.
  const std::size_t lines = static_cast<std::size_t>(std::count(overlay.begin(), overlay.end(), '\n')) + 1;
  for (const auto& d : merged ? warnings : merged.error())
    if (d.file != "devices.csv" || d.line > lines) fail("a problem reported outside the overlay", to_string(d));
  if (!merged) return 0;
  auto read = trueup::io::parse_fleet(
      trueup::io::FleetInput{*merged, "devices (inventory)", {}},
      trueup::io::FleetInput{"install_id,device_id,title\n", "installs.csv", {}},
      trueup::io::FleetInput{"licence_id,family,version,edition,channel,quantity\n", "entitlements.csv", {}}, pack);
  if (!read) fail("an accepted overlay gives a devices table the readers refuse", *merged);
  check_printable(read->warnings);
  for (const char* id : ids) {
    bool found = false;
    for (const auto& d : read->fleet.devices) found = found || d.id == id;
    if (!found) fail("an imported device is lost", *merged);
  }
  return 0;
}
