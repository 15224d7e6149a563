// SPDX-License-Identifier: BSL-1.0
// File: fuzz/fleet_csv_fuzz.cpp
//
// libFuzzer target `fleet_csv` (scripts/fuzz fleet_csv SECONDS, docs/testing.md): the CSV readers
// and a whole reconcile from one fuzzed table. The first byte picks the table (devices,
// installs, entitlements, access, assignments, prices) and the dialect (the separator detected,
// or `;` or a tab given, the other tables then written with it; UTF-8 or Windows-1252), the rest
// is its text; the other tables are a small valid fleet that names a PC, a host and a VM. Besides the sanitizers'
// findings, the target aborts when what the input leads to is wrong (fuzz/fuzz_support.hpp: printable diagnostics, the
// engines' invariants, a valid UTF-8 JSON report) or when the assignments CSV written does not read back as the
// assignments written.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "trueup/io/dialect.hpp"
#include "trueup/io/readers.hpp"

namespace {

using trueup::fuzz::check_printable;
using trueup::fuzz::fail;

constexpr std::string_view devices =
    "device_id,kind,ownership,status,status_date,primary_user,processors,cores,host\n"
    "PC-1,desktop,owned,active,,alice,,,\n"
    "PC-2,laptop,owned,retired,2026-01-15,bob,,,\n"
    "SRV-1,server,owned,active,,,2,16,\n"
    "VM-1,vm,owned,active,,,,4,SRV-1\n";
constexpr std::string_view installs =
    "install_id,device_id,title,publisher,version,first_seen\n"
    "I-1,PC-1,Microsoft Office Professional Plus 2019,Microsoft Corporation,16.0,2025-01-10\n"
    "I-2,SRV-1,Microsoft Windows Server 2022 Standard,Microsoft Corporation,,\n"
    "I-3,VM-1,Microsoft SQL Server 2019 Standard,Microsoft Corporation,,\n";
constexpr std::string_view entitlements =
    "licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency\n"
    "L-1,office,2019,Professional Plus,volume,1,,412.50,EUR\n"
    "L-2,windows-server,2022,Standard,volume,16,,61.00,EUR\n"
    "L-3,office,2019,Professional Plus,retail,1,,,\n";

/// `text` with its commas made `separator` (the tables above quote nothing).
std::string with(std::string_view text, char separator) {
  std::string out(text);
  if (separator == 0) return out;
  for (char& c : out)
    if (c == ',') c = separator;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr char separators[] = {0, ';', '\t'};
  const trueup::io::CsvDialect dialect{separators[(data[0] / 6) % 3], (data[0] / 18) % 2 == 0
                                                                          ? trueup::io::TextEncoding::utf8
                                                                          : trueup::io::TextEncoding::windows_1252};
  trueup::io::FleetSources s;
  s.devices = with(devices, dialect.separator);
  s.installs = with(installs, dialect.separator);
  s.entitlements = with(entitlements, dialect.separator);
  switch (data[0] % 6) {
    case 0: s.devices = text; break;
    case 1: s.installs = text; break;
    case 2: s.entitlements = text; break;
    case 3: s.access = text; break;
    case 4: s.assignments = text; break;
    default: s.prices = text; break;
  }
  const trueup::RulePack& pack = trueup::fuzz::microsoft_pack();
  auto read = trueup::io::parse_fleet(s, pack, 1, dialect);
  check_printable(read ? read->warnings : read.error());
  if (!read) return 0;

  trueup::ReconcileOptions options;
  options.as_of = trueup::Date::from_ymd(2026, 6, 30);
  options.record_assignments = true;
  const trueup::Position p = trueup::reconcile(pack, read->fleet, options);
  (void)trueup::fuzz::check_position(p, pack, read->fleet);

  // The assignments written read back as themselves (ids quoted, formulas escaped): UTF-8 with
  // commas, next to the other tables as read (their separator detected).
  if (dialect.separator != 0 || dialect.encoding != trueup::io::TextEncoding::utf8) return 0;
  trueup::io::FleetSources again = s;
  again.assignments = trueup::io::format_assignments_csv(p.assignments);
  auto reread = trueup::io::parse_fleet(again, pack);
  if (!reread) fail("the assignments written do not read back", *again.assignments);
  if (reread->fleet.assignments.size() != p.assignments.size())
    fail("assignments lost on reading back", *again.assignments);
  for (std::size_t i = 0; i < p.assignments.size(); ++i) {
    auto a = reread->fleet.assignments[i];
    a.line = 0;
    if (!(a == p.assignments[i])) fail("an assignment reads back changed", *again.assignments);
  }
  return 0;
}
