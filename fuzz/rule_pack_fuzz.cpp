// SPDX-License-Identifier: BSL-1.0
// File: fuzz/rule_pack_fuzz.cpp
//
// libFuzzer target `rule_pack` (scripts/fuzz rule_pack SECONDS, docs/testing.md): the rule-pack
// loader on fuzzed TOML text. When the pack loads, a small fleet made from the pack itself (for
// each of its first families, an install of its first and last version and edition on a PC and
// on a server, and a volume licence of one) is read and reconciled against it, so that every
// pack the loader accepts is also one the engines survive. Checks: fuzz/fuzz_support.hpp.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "trueup/io/readers.hpp"

namespace {

/// A CSV field, always quoted (a fuzzed name may hold a comma, a quote or a line break).
std::string field(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

/// devices, installs and entitlements naming the pack's own families, versions and editions.
trueup::io::FleetSources fleet_of(const trueup::RulePack& pack) {
  trueup::io::FleetSources s;
  s.devices =
      "device_id,kind,ownership,status,processors,cores\n"
      "PC-1,desktop,owned,active,,\n"
      "SRV-1,server,owned,active,2,16\n";
  s.installs = "install_id,device_id,title,publisher,version\n";
  s.entitlements = "licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency\n";
  int n = 0;
  for (std::size_t fi = 0; fi < std::min<std::size_t>(pack.families.size(), 4); ++fi) {
    const trueup::Family& f = pack.families[fi];
    if (f.versions.empty() || f.editions.empty()) continue;
    const std::string publisher = f.publisher < pack.publishers.size() ? pack.publishers[f.publisher].name : "";
    for (const bool last : {false, true}) {
      const auto& v = last ? f.versions.back() : f.versions.front();
      const auto& e = last ? f.editions.back() : f.editions.front();
      const std::string title = publisher + " " + f.name + " " + e.name + " " + v.name;
      for (const char* device : {"PC-1", "SRV-1"}) {
        ++n;
        s.installs += "I-" + std::to_string(n) + "," + device + "," + field(title) + "," + field(publisher) + ",\n";
      }
      s.entitlements += "L-" + std::to_string(n) + "," + field(f.id) + "," + field(v.name) + "," + field(e.name) +
                        ",volume,1,,10.00,EUR\n";
    }
  }
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto pack = trueup::io::parse_rule_pack(text, "fuzz.toml");
  trueup::fuzz::check_printable(pack ? trueup::Diagnostics{} : pack.error());
  if (!pack) return 0;

  const auto read = trueup::io::parse_fleet(fleet_of(*pack), *pack);
  trueup::fuzz::check_printable(read ? read->warnings : read.error());
  if (!read) return 0;
  trueup::ReconcileOptions options;
  options.as_of = trueup::Date::from_ymd(2026, 6, 30);
  const trueup::Position p = trueup::reconcile(*pack, read->fleet, options);
  (void)trueup::fuzz::check_position(p, *pack, read->fleet);
  return 0;
}
