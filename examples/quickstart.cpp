// SPDX-License-Identifier: BSL-1.0
// File: examples/quickstart.cpp
//
// The README's C++ example, built and checked against quickstart.expected.txt by ctest.
#include <trueup/io/readers.hpp>
#include <trueup/io/rule_pack.hpp>
#include <trueup/reconcile.hpp>

#include <cstdio>

int main() {
  auto pack = trueup::io::load_rule_pack("microsoft");
  if (!pack) return 2;
  auto read = trueup::io::read_fleet("examples/contoso", *pack);
  if (!read) return 2;  // every problem is in read.error(), with file:line:column
  trueup::ReconcileOptions options;
  options.as_of = trueup::Date::from_ymd(2026, 6, 30);  // the position is taken on a date
  const trueup::Position p = trueup::reconcile(*pack, read->fleet, options);
  for (const auto& row : p.products)
    if (row.shortfall_units > 0)
      std::printf("%-32s short %3lld %s licence(s)\n", pack->product_name(row.product).c_str(),
                  static_cast<long long>(row.shortfall_units), trueup::name(row.metric).data());
  std::printf("installs %u = covered %u + short %u + excluded %u + duplicate %u\n", p.totals.installs, p.totals.covered,
              p.totals.shortfall, p.totals.excluded, p.totals.duplicate);
}
