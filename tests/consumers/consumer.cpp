// SPDX-License-Identifier: BSL-1.0
// File: tests/consumers/consumer.cpp
//
// Reconciles a fleet with trueup as a consumer project sees it (through find_package,
// add_subdirectory or pkg-config): consumer FLEET_DIR RULE_PACK. Then creates a state file in
// the temporary directory and reads it back (trueup::state and its SQLite), and writes the
// auditor's workbook there (trueup::report and its libxlsxwriter).
#include <trueup/io/readers.hpp>
#include <trueup/io/rule_pack.hpp>
#include <trueup/reconcile.hpp>
#include <trueup/report/workbook.hpp>
#include <trueup/state/store.hpp>

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  auto pack = trueup::io::load_rule_pack(argv[2]);
  if (!pack) return 2;
  auto read = trueup::io::read_fleet(argv[1], *pack);
  if (!read) return 2;
  const trueup::Position p = trueup::reconcile(*pack, read->fleet);
  std::printf("%u installs: %u covered, %u short, %u excluded, %u duplicate\n", p.totals.installs, p.totals.covered,
              p.totals.shortfall, p.totals.excluded, p.totals.duplicate);
  if (p.totals.installs != read->fleet.installs.size()) return 1;

  const auto file = std::filesystem::temp_directory_path() / ("trueup-consumer-" + std::to_string(::getpid()) + ".db");
  bool recorded = false;
  {
    auto store = trueup::state::Store::open(file);
    if (store) {
      auto run = store->begin_run();
      recorded = run && run->commit(trueup::Date::from_ymd(2025, 6, 30), {}, "consumer") && store->runs()->size() == 1;
    }
  }
  std::filesystem::remove(file);

  const auto workbook = std::filesystem::path(file).replace_extension(".xlsx");
  const bool written = trueup::report::write_xlsx(workbook, p, *pack, read->fleet).has_value() &&
                       std::filesystem::file_size(workbook) > 0;
  std::filesystem::remove(workbook);
  return recorded && written ? 0 : 1;
}
