// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/host_licensing.cpp
//
// Licensing a host whole for the VMs on it (licensing-rules SQL4: ServiceNow "Microsoft Per
// Core licensing rules"; sqlskills.com SQL101): "purchase enough SQL Server core licenses for
// all of the physical cores in the entire host machine" with Software Assurance, and any
// number of VMs may run; "without software assurance or subscription licenses, run virtual
// machines equal to the number of core licenses assigned to the physical server. Each
// additional virtual machine would require an additional core license". Standard cannot be
// licensed so (SQL5): only terms with `host_licensing` offer it. SQL Server 2008 R2 Datacenter
// (SQL8: ServiceNow legacy SQL table; Matrix42): all physical processors of the host licensed,
// any number of VMs, so never more licences than the host's processors.
#include "normalise/host_licensing.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trueup/rules/down_edition.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup::detail {
namespace {

/// The host edition of a group of VM demands: the highest edition whose terms offer licensing
/// the host, or nullopt.
std::optional<std::uint16_t> host_edition(const RulePack& pack, const Normalised& out,
                                          const std::vector<std::uint32_t>& group) {
  std::optional<std::uint16_t> edition;
  for (std::uint32_t d : group) {
    const ProductRef p = out.demands[d].product;
    const LicensingTerms* t = pack.terms(p);
    if (t != nullptr && t->host_licensing && (!edition || p.edition > *edition)) edition = p.edition;
  }
  return edition;
}

/// One host's VM demands of one family: licensed whole when that needs no more units.
void consider(const RulePack& pack, const Fleet& fleet, DeviceIndex host_index, const std::vector<std::uint32_t>& group,
              Normalised& out) {
  const std::optional<std::uint16_t> edition = host_edition(pack, out, group);
  if (!edition) return;
  const FamilyIndex family = out.demands[group.front()].product.family;
  const Family& f = pack.family(family);
  std::uint16_t version = 0;
  for (std::uint32_t d : group) version = std::max(version, out.demands[d].product.version);
  const ProductRef product{family, version, *edition};
  const LicensingTerms* terms = pack.terms(product);
  if (terms == nullptr || !terms->host_licensing) return;  // the newest version's terms decide (G4)
  std::vector<std::uint32_t> members;                      // the VMs' demands the host edition covers
  Units per_vm = 0;                                        // what its VMs of the host edition need one by one
  for (std::uint32_t d : group) {
    const ProductRef p = out.demands[d].product;
    if (p.edition != *edition && !rules::down_edition_allowed(f, *edition, p.edition)) continue;
    members.push_back(d);
    if (p.edition == *edition) per_vm += out.demands[d].quantity;
  }
  const Device& host = fleet.device(host_index);
  // Every physical core (SQL4) or processor (SQL8) of the host, after the minimums. Never
  // times the SQL Server 2012/2014 core factor (SQL7): that count is the 2012/2014 licences'
  // only (G4, D6), and the host's licences are chosen later, by the host solver, among any
  // that may cover the edition; every core is what 2016 and later licences count, and never
  // fewer than the 2012/2014 ones need. So the CPU model is not looked up here.
  LicensingTerms every_core = *terms;
  every_core.core_factors.clear();
  rules::UnitCount whole = rules::units_for(&every_core, host.processors, host.cores, false);
  if (!terms->core_factors.empty())
    whole.why +=
        " (every physical core: a host licensed whole is not counted with the SQL Server 2012/2014 core "
        "factor, which only licences of those versions' terms carry; licensing-rules SQL7, G4, D6)";

  const auto vms = static_cast<Units>(members.size());
  // Without SA, `oses_per_licence` VMs per unit (SQL4: one per core licence); 0: any number
  // (SQL Server 2008 R2 Datacenter, SQL8).
  const Units per = terms->oses_per_licence;
  const Units for_vms = per == 0 ? 0 : (vms + per - 1) / per;
  const Units units = std::max(whole.units, for_vms);
  if (units > per_vm) return;  // one by one is cheaper: the VMs stay licensed on their own
  const auto index = static_cast<std::uint32_t>(out.hosts.size());
  HostLicensing h{host_index, product, units, per_vm, static_cast<std::uint32_t>(vms), {}};
  const std::string unit = std::string(name(terms->metric)) + " licence(s)";
  h.why = "licensed as one of " + std::to_string(vms) + " VM(s) on host " + host.id + ", licensed whole with " +
          pack.product_name(product) + " " + unit + ": " + whole.why +
          (for_vms > whole.units
               ? ", and one more for each of the " + std::to_string(for_vms - whole.units) + " VM(s) beyond them"
               : std::string()) +
          (per == 0 ? "; any number of VMs" : std::string()) + " (" + std::to_string(units) + " instead of " +
          std::to_string(per_vm) + " licensing the VMs one by one; " +
          (terms->metric == Metric::processor
               ? "licensing-rules SQL8: a host with all its processors licensed with Datacenter runs any number of VMs)"
               : "licensing-rules SQL4: all physical cores licensed cover as many VMs as core licences, any number "
                 "with Software Assurance)");
  out.hosts.push_back(std::move(h));
  // The host's units spread over its VMs in demand (device) order, each at least one while
  // there are as many units as VMs (Datacenter hosts may have fewer: the rest take none).
  for (std::size_t i = 0; i < members.size(); ++i) {
    Demand& dem = out.demands[members[i]];
    dem.product = product;
    dem.quantity = units / vms + (static_cast<Units>(i) < units % vms ? 1 : 0);
    dem.individual_vm = false;
    dem.host_share = index;
  }
}

}  // namespace

void license_hosts_whole(const RulePack& pack, const Fleet& fleet, Normalised& out) {
  std::map<std::pair<DeviceIndex, FamilyIndex>, std::vector<std::uint32_t>> groups;
  for (std::uint32_t d = 0; d < out.demands.size(); ++d) {
    const Demand& dem = out.demands[d];
    if (!dem.individual_vm || (dem.metric != Metric::core && dem.metric != Metric::processor)) continue;
    const DeviceIndex host = fleet.device(dem.device).host_index;
    if (!host.valid()) continue;
    const Device& hw = fleet.device(host);
    if (hw.kind == DeviceKind::virtual_machine || hw.processors == 0 || hw.cores == 0) continue;
    groups[{host, dem.product.family}].push_back(d);
  }
  for (const auto& [key, group] : groups) consider(pack, fleet, key.first, group, out);
}

}  // namespace trueup::detail
