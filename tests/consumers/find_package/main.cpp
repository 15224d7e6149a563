// SPDX-License-Identifier: BSL-1.0
// File: tests/consumers/find_package/main.cpp
//
// Reconciles a fleet with an installed trueup: consumer FLEET_DIR RULE_PACK.
#include <trueup/io/readers.hpp>
#include <trueup/io/rule_pack.hpp>
#include <trueup/reconcile.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  auto pack = trueup::io::load_rule_pack(argv[2]);
  if (!pack) return 2;
  auto read = trueup::io::read_fleet(argv[1], *pack);
  if (!read) return 2;
  const trueup::Position p = trueup::reconcile(*pack, read->fleet);
  std::printf("%u installs: %u covered, %u short, %u excluded, %u duplicate\n", p.totals.installs, p.totals.covered,
              p.totals.shortfall, p.totals.excluded, p.totals.duplicate);
  return p.totals.installs == read->fleet.installs.size() ? 0 : 1;
}
