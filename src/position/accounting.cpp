// SPDX-License-Identifier: BSL-1.0
// File: src/position/accounting.cpp
//
// The accounting invariants of a position (position/position.hpp), recounted from the
// verdicts, the CAL holders and the entitlements' use.
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"

namespace trueup {

bool check_accounting(const Position& p, const Fleet& fleet) {
  const Totals& t = p.totals;
  if (p.installs.size() != fleet.installs.size() || p.entitlements.size() != fleet.entitlements.size()) return false;
  std::uint32_t count[4] = {0, 0, 0, 0};
  Units covered_units = 0;
  for (const auto& c : p.cals) {
    Units allocated = 0;
    for (const auto& a : c.licences) allocated += a.units;
    if (allocated != c.covered || c.covered > 1 || c.covered < 0) return false;
    covered_units += c.covered;
  }
  for (const auto& v : p.installs) {
    ++count[static_cast<std::size_t>(v.verdict)];
    Units allocated = 0;
    for (const auto& a : v.licences) allocated += a.units;
    if (allocated != v.covered || v.covered > v.demanded || v.covered < 0) return false;
    // Covered: every unit demanded is covered. A demand of no units is a VM on a host licensed
    // whole that has more VMs than units (SQL8: SQL Server 2008 R2 Datacenter), covered by the
    // host's licences on its other VMs; only a demand, never a duplicate or exclusion, has one.
    if (v.verdict == Verdict::covered && v.covered != v.demanded) return false;
    if ((v.verdict == Verdict::shortfall) != (v.demanded > 0 && v.covered < v.demanded)) return false;
    if (v.verdict == Verdict::duplicate) {
      const Verdict of = p.installs.at(v.duplicate_of.value).verdict;
      if (of != Verdict::covered && of != Verdict::shortfall) return false;
    }
    covered_units += v.covered;
  }
  Units consumed = 0;
  for (std::size_t i = 0; i < p.entitlements.size(); ++i) {
    const EntitlementUse& u = p.entitlements[i];
    if (u.consumed < 0 || u.consumed > (u.counted ? u.units : fleet.entitlements[i].quantity) ||
        (!u.counted && u.consumed != 0))
      return false;
    consumed += u.consumed;
  }
  for (const ProductPosition& r : p.products) {
    Units by_channel = 0;
    for (const Units u : r.licences_by_channel) by_channel += u;
    if (by_channel != r.licences) return false;
  }
  Units covered_by_metric = 0, consumed_by_metric = 0;
  for (const UnitTotals& m : t.units) {
    if (m.covered + m.shortfall != m.demand || m.consumed + m.surplus != m.licences) return false;
    covered_by_metric += m.covered;
    consumed_by_metric += m.consumed;
  }
  return t.installs == p.installs.size() && count[0] == t.covered && count[1] == t.shortfall &&
         count[2] == t.excluded && count[3] == t.duplicate && consumed == covered_units &&
         covered_by_metric == covered_units && consumed_by_metric == consumed;
}

}  // namespace trueup
