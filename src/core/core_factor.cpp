// SPDX-License-Identifier: BSL-1.0
// File: src/core/core_factor.cpp
//
// Which terms count a server of the SQL Server 2012/2014 core factor (licensing-rules SQL7),
// decided against the licences held (G4, D6).
//
// SQL7 is a rule of the SQL Server 2012 and 2014 per-core terms: a physical server of the
// listed AMD Opteron series with 6 or more cores per processor counts its cores x 0.75, rounded
// up, at least 4 per processor. Under downgrade rights the licence's own terms count (G4: "the
// purchased product rights still apply"; D6: a licence used for an earlier version is counted by
// its own version's rules): a SQL Server 2019 core licence covering a 2014 install counts every
// physical core (the 2016 and later terms have no factor). The install's count therefore
// depends on which licences cover it, which the transportation model (one count per demand)
// cannot express. The rule, exact in every case it decides:
//
// 1. A demand counted with the factor (`Demand::factored`, set by normalise()) may be covered
//    only by licences whose terms carry the factor (`carries_core_factor`, demand/eligibility.hpp).
// 2. `settle_core_factors`: where no licence held that may cover it carries the factor, every
//    licence that could cover it, held or bought today, counts every core: the demand counts
//    every core and any licence of its model may cover it.
// 3. `short_factored`: a factored demand the transport leaves short, in part or whole, is not
//    decided: its shortfall would be bought as 2016 or later licences counting every core, and
//    a server covered partly by 2012/2014 and partly by 2016+ licences has no published count.
//    One such demand per round (the most short, then the greatest install id: never the row
//    order) goes to review with the reason (`review_factored`), and reconcile() solves again
//    without it (core/reconcile.cpp), so that its licences may wholly cover another factored
//    server, until none is short: a factored demand in the position is then wholly covered by
//    licences whose terms carry the factor.
#include <optional>
#include <string>
#include <vector>

#include "core/stages.hpp"
#include "trueup/demand/eligibility.hpp"

namespace trueup::core {

void settle_core_factors(const RulePack& pack, const Supply& supply, Date as_of, Normalised& norm) {
  for (Demand& dem : norm.demands) {
    if (!dem.factored) continue;
    bool held = false;
    for (std::size_t q = 0; q < supply.pools.size() && !held; ++q) {
      const Pool& pool = supply.pools[q];
      if (pool.product.family != dem.product.family || (pool.is_bound() && pool.bound != dem.device)) continue;
      // A record of no units (quantity 0, or every unit locked elsewhere) holds nothing.
      held = pool.quantity > 0 && carries_core_factor(pack, pool) &&
             eligibility(pack, dem.product, dem.metric, pool, as_of, true, dem.individual_vm, true).allowed;
    }
    if (held) continue;
    dem.quantity = dem.unfactored;
    dem.factored = false;
  }
}

std::vector<std::uint32_t> short_factored(const Fleet& fleet, const Normalised& norm, const Work& work) {
  std::optional<std::uint32_t> most;
  const auto more_short = [&](std::uint32_t a, std::uint32_t b) {  // a before b; ids break ties, not rows
    if (work.fills[a].remaining != work.fills[b].remaining) return work.fills[a].remaining > work.fills[b].remaining;
    return fleet.installs[norm.demands[a].install.value].id > fleet.installs[norm.demands[b].install.value].id;
  };
  for (std::uint32_t d = 0; d < norm.demands.size(); ++d)
    if (norm.demands[d].factored && work.fills[d].remaining > 0 && (!most || more_short(d, *most))) most = d;
  return most ? std::vector<std::uint32_t>{*most} : std::vector<std::uint32_t>{};
}

void review_factored(const RulePack& pack, const std::vector<std::uint32_t>& demands, Normalised& norm) {
  std::vector<bool> reviewed(norm.demands.size(), false);
  for (std::uint32_t d : demands) reviewed[d] = true;
  for (InstallDisposition& disp : norm.installs) {
    if (disp.kind == InstallDisposition::Kind::excluded || !reviewed[disp.demand]) continue;
    const Demand& dem = norm.demands[disp.demand];
    disp.kind = InstallDisposition::Kind::excluded;
    disp.exclusion = Exclusion::needs_review;
    disp.reason = pack.family(dem.product.family).name + ": " + std::to_string(dem.quantity) +
                  " core licences with the SQL Server 2012/2014 core factor (licensing-rules SQL7), " +
                  std::to_string(dem.unfactored) +
                  " without it, and the licences whose terms carry the factor do not cover it all: " +
                  "licences of 2016 and later, held or bought, count every physical core (G4, D6), and no " +
                  "published rule counts a server covered partly under each; a person decides";
    disp.demand = UINT32_MAX;
  }
  // The demands stay in place (install dispositions index them) and need nothing.
  for (std::uint32_t d : demands) {
    norm.demands[d].quantity = 0;
    norm.demands[d].factored = false;
    norm.demands[d].unfactored = 0;
  }
}

std::optional<RuleStep> every_core_evidence(const RulePack& pack, const Demand& dem) {
  if (dem.unfactored == 0 || dem.factored) return std::nullopt;
  return RuleStep{RuleStep::Kind::model,
                  "every physical core counted (" + std::to_string(dem.unfactored) +
                      "): no licence held whose terms carry the SQL Server 2012/2014 core factor may cover " +
                      pack.product_name(dem.product) +
                      " here, and licences of 2016 and later count every core (licensing-rules SQL7; G4, D6)"};
}

}  // namespace trueup::core
