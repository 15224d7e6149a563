// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/normalise.cpp
//
// Normalisation (normalise/normalise.hpp): recognition and exclusion install by install, then
// the grouping of in-scope installs into demands per (device, family). The header states the
// rules and the order that makes the result independent of row order.
#include "trueup/normalise/normalise.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "normalise/host_licensing.hpp"
#include "normalise/named_users.hpp"
#include "trueup/detail/parallel.hpp"
#include "trueup/normalise/recognise.hpp"
#include "trueup/rules/down_edition.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup {
namespace {

/// A candidate for a demand: an in-scope product install, with the device that is licensed
/// for it (its own, or its physical host for a host-licensed family).
struct Candidate {
  DeviceIndex device;
  FamilyIndex family;
  InstallIndex install;
};

/// The lowest-ranked edition that covers both `a` and `b` (down-edition, or the same); the
/// higher of the two when no edition covers both (the pack then states no right for it).
std::uint16_t covering_edition(const Family& f, std::uint16_t a, std::uint16_t b) {
  for (std::size_t i = 0; i < f.editions.size(); ++i) {
    const auto e = static_cast<std::uint16_t>(i);
    if ((e == a || rules::down_edition_allowed(f, e, a)) && (e == b || rules::down_edition_allowed(f, e, b))) return e;
  }
  return std::max(a, b);
}

/// Whether an install on a virtual machine is licensed on the VM's physical host: always for
/// host-licensed families (Windows Server, WS8), and for families whose copies in VMs on a
/// licensed desktop or laptop run under its licence (Office, DT1: "any number of copies on the
/// licensed device, physical and/or virtual"). Copies in VMs on servers are not: the devices
/// that use them need licences of their own.
bool licensed_on_host(const RulePack& pack, const Fleet& fleet, const Device& vm, FamilyIndex family) {
  if (vm.kind != DeviceKind::virtual_machine || !vm.host_index.valid()) return false;
  const Family& f = pack.family(family);
  if (f.assignment == Assignment::host) return true;
  const DeviceKind host = fleet.device(vm.host_index).kind;
  return f.vm_copies_on_licensed_device && (host == DeviceKind::desktop || host == DeviceKind::laptop);
}

/// The device an install is licensed on: its own, or its VM's physical host
/// (licensed_on_host), which must then be in scope too; a VM without a known host is licensed
/// as a device of its own. Returns the device to license, or excludes the install.
DeviceIndex licensed_device(const RulePack& pack, const Fleet& fleet, Date as_of, const Install& in, ProductRef product,
                            InstallDisposition& d) {
  const Device& dev = fleet.device(in.device);
  if (!licensed_on_host(pack, fleet, dev, product.family)) return in.device;
  const Device& host = fleet.device(dev.host_index);
  const DeviceStatus host_status = host.status_on(as_of);
  if (dev.ownership == Ownership::owned && dev.status_on(as_of) == DeviceStatus::active) {
    if (host.ownership != Ownership::owned) {
      d.exclusion = Exclusion::not_owned;
      d.reason = "virtual machine " + dev.id + " runs on host " + host.id + ", which is " +
                 std::string(name(host.ownership)) + ": the host's licensing follows the " +
                 std::string(name(host.ownership)) + " agreement";
    } else if (host_status != DeviceStatus::active) {
      d.exclusion = host_status == DeviceStatus::retired ? Exclusion::retired : Exclusion::failed;
      d.reason = "virtual machine " + dev.id + " is recorded on host " + host.id + ", which is " +
                 std::string(name(host_status)) + (host.status_date ? " since " + host.status_date->iso() : "");
    }
  }
  return dev.host_index;
}

/// A free edition's install: excluded as free, unless the edition is free for development
/// and test only (EditionSpec::production_edition, SQL Server Developer: SQL10). Then it is
/// free on a non-production device, licensed as the production edition on a production one
/// (`d.product` becomes that edition, `d.reason` says why for the evidence), and needs review
/// where devices.csv does not state the device's environment: never assumed either way.
/// Returns whether the install is excluded.
bool free_edition(const RulePack& pack, const Device& dev, const EditionSpec& edition, InstallDisposition& d) {
  const std::string product = pack.product_name(d.product);
  if (!edition.production_edition) {
    d.exclusion = Exclusion::free_edition;
    d.reason = product + " is a free edition";
    return true;
  }
  ProductRef licensed_as = d.product;
  licensed_as.edition = *edition.production_edition;
  const std::string as = pack.product_name(licensed_as);
  switch (dev.environment) {
    case Environment::non_production:
      d.exclusion = Exclusion::free_edition;
      d.reason = product + " is free outside production, and device " + dev.id + " is non-production (" +
                 edition.production_source + ")";
      return true;
    case Environment::production:
      d.reason = product + " runs on " + dev.id + ", a production device: licensed as " + as + " (" +
                 edition.production_source + ")";
      d.product = licensed_as;
      return false;
    case Environment::unknown: break;
  }
  d.exclusion = Exclusion::needs_review;
  d.reason = product + " is free outside production and licensed as " + as + " in production, and devices.csv " +
             "does not say which device " + dev.id + " is: state its environment (production or non-production) (" +
             edition.production_source + ")";
  return true;
}

/// Why an install on `dev` is out of scope on `as_of` (not owned, retired, failed, a free
/// edition); false when it is in scope. `d.product` is the recognised product.
bool out_of_scope(const RulePack& pack, const Device& dev, Date as_of, InstallDisposition& d) {
  const DeviceStatus status = dev.status_on(as_of);
  if (dev.ownership != Ownership::owned) {
    d.exclusion = Exclusion::not_owned;
    d.reason = "device " + dev.id + " is " + std::string(name(dev.ownership)) +
               ", not owned: its licensing follows the " + std::string(name(dev.ownership)) + " agreement";
  } else if (status == DeviceStatus::retired) {
    d.exclusion = Exclusion::retired;
    d.reason = "device " + dev.id + " was retired" + (dev.status_date ? " on " + dev.status_date->iso() : "");
  } else if (status == DeviceStatus::failed) {
    d.exclusion = Exclusion::failed;
    d.reason = "device " + dev.id + " failed" + (dev.status_date ? " on " + dev.status_date->iso() : "") +
               " and is out of service";
  } else if (const EditionSpec& edition = pack.edition(d.product); edition.free) {
    return free_edition(pack, dev, edition, d);
  } else {
    return false;
  }
  return true;
}

/// Recognition and exclusion of installs [begin, end): writes only their dispositions, and
/// appends the in-scope ones to `cands`.
void scan(const RulePack& pack, const Fleet& fleet, Date as_of, std::size_t begin, std::size_t end,
          std::vector<InstallDisposition>& out, std::vector<Candidate>& cands) {
  Recogniser recogniser(pack);
  for (std::size_t i = begin; i < end; ++i) {
    const Install& in = fleet.installs[i];
    InstallDisposition& d = out[i];
    const Recognition& r = recogniser.recognise(in.title, in.publisher, in.version);
    switch (r.kind) {
      case Recognition::Kind::component: d.exclusion = Exclusion::component; break;
      case Recognition::Kind::other_publisher: d.exclusion = Exclusion::other_publisher; break;
      case Recognition::Kind::unrecognised: d.exclusion = Exclusion::unrecognised; break;
      case Recognition::Kind::needs_review: d.exclusion = Exclusion::needs_review; break;
      case Recognition::Kind::product: break;
    }
    if (r.kind != Recognition::Kind::product) {
      d.reason = r.reason;
      continue;
    }
    d.recognised = true;
    d.product = r.product;
    if (in.first_seen && *in.first_seen > as_of) {
      d.exclusion = Exclusion::after_as_of;
      d.reason = "first seen " + in.first_seen->iso() + ", after the as-of date " + as_of.iso();
      continue;
    }
    const DeviceIndex device = licensed_device(pack, fleet, as_of, in, r.product, d);
    if (d.exclusion != Exclusion::none) continue;
    if (out_of_scope(pack, fleet.device(in.device), as_of, d)) continue;
    cands.push_back({device, d.product.family, InstallIndex{static_cast<InstallIndex::value_type>(i)}});
  }
}

/// The candidates of every install, on `threads` contiguous ranges joined in range order.
std::vector<Candidate> candidates(const RulePack& pack, const Fleet& fleet, Date as_of, unsigned threads,
                                  std::vector<InstallDisposition>& out) {
  const std::size_t n = fleet.installs.size();
  const std::size_t parts = detail::range_count(n, threads, detail::parallel_thresholds().normalise_installs);
  std::vector<Candidate> all;
  if (parts == 1) {
    all.reserve(n);
    scan(pack, fleet, as_of, 0, n, out, all);
    return all;
  }
  std::vector<std::vector<Candidate>> part_cands(parts);
  detail::for_each_range(n, parts, [&](std::size_t begin, std::size_t end, std::size_t k) {
    scan(pack, fleet, as_of, begin, end, out, part_cands[k]);
  });
  std::size_t total = 0;
  for (const auto& c : part_cands) total += c.size();
  all.reserve(total);
  for (const auto& c : part_cands) all.insert(all.end(), c.begin(), c.end());
  return all;
}

/// A host-licensed family: one demand per (host, family) for the newest version and every
/// edition its OSEs run; each VM is one OSE (WS6); the host's own OSE counts only when no VM
/// runs the product (it may run solely to host them, WS11).
void group_host(const RulePack& pack, const Fleet& fleet, const Candidate& c, std::size_t group_start,
                InstallDisposition& d, Normalised& out, std::vector<std::pair<std::size_t, DeviceIndex>>& vm_oses) {
  const Family& family = pack.family(c.family);
  const Device& on = fleet.device(fleet.install(c.install).device);
  if (group_start < out.demands.size()) {  // the (host, family) pair has its demand
    Demand& dem = out.demands[group_start];
    ++dem.installs;
    d.kind = InstallDisposition::Kind::duplicate;
    d.demand = static_cast<std::uint32_t>(group_start);
    // The licence must cover the newest version and every edition its OSEs run.
    dem.product.version = std::max(dem.product.version, d.product.version);
    if (!rules::down_edition_allowed(family, dem.product.edition, d.product.edition) &&
        dem.product.edition != d.product.edition)
      dem.product.edition = covering_edition(family, dem.product.edition, d.product.edition);
  } else {
    const Device& hw = fleet.device(c.device);
    if (hw.processors == 0 || hw.cores == 0) ++out.unknown_hardware;  // licensed per processor or core
    out.demands.push_back(Demand{c.device, c.install, d.product, pack.metric_of(d.product), 0, 1, Assignment::host, 0});
    d.kind = InstallDisposition::Kind::demand;
    d.demand = static_cast<std::uint32_t>(group_start);
  }
  if (on.kind == DeviceKind::virtual_machine && fleet.install(c.install).device != c.device)
    vm_oses.emplace_back(group_start, fleet.install(c.install).device);
}

/// A VM licensed per processor counts its virtual processors in physical processors of its
/// host: its virtual cores over the cores of one of the host's processors, rounded up, at least
/// one (SQL8: Aidan Finn, "a 4 vCPU VM running on a host with 2 * quad core CPUs ... just 1
/// copy of SQL Server per proc"; Matrix42, "1 CPU / 2 threads ... for VM rounded up to a whole
/// number"). A host of unknown hardware: one.
std::uint32_t virtual_processors(const Fleet& fleet, const Device& vm) {
  if (!vm.host_index.valid()) return 1;
  const Device& host = fleet.device(vm.host_index);
  if (host.processors == 0 || host.cores == 0 || vm.cores == 0) return 1;
  const std::uint64_t p = (std::uint64_t{vm.cores} * host.processors + host.cores - 1) / host.cores;
  return static_cast<std::uint32_t>(std::max<std::uint64_t>(p, 1));
}

/// Any other family: the install is a duplicate of the first demand of its group whose edition
/// is its own or covers it, else a demand of its own (editions that do not cover each other are
/// different products, D3).
void group_device(const RulePack& pack, const Fleet& fleet, const detail::NamedUsers& named, const Candidate& c,
                  std::size_t group_start, InstallDisposition& d, Normalised& out) {
  const Family& family = pack.family(c.family);
  std::size_t rep = group_start;
  while (rep < out.demands.size() && out.demands[rep].product.edition != d.product.edition &&
         !rules::down_edition_allowed(family, out.demands[rep].product.edition, d.product.edition))
    ++rep;
  if (rep == out.demands.size()) {
    const Device& dev = fleet.device(c.device);
    const LicensingTerms* terms = pack.terms(d.product);
    Metric metric = pack.metric_of(d.product);
    const bool vm = dev.kind == DeviceKind::virtual_machine;
    if ((metric == Metric::processor && (vm ? dev.cores == 0 : dev.processors == 0)) ||
        (metric == Metric::core && (dev.cores == 0 || (!vm && dev.processors == 0))))
      ++out.unknown_hardware;
    const std::uint32_t processors =
        vm && metric == Metric::processor ? virtual_processors(fleet, dev) : dev.processors;
    rules::UnitCount units = rules::units_for(terms, processors, dev.cores, vm, dev.cpu_model);
    // A CPU model outside the core factor table is never given a guessed factor (§13 ORACLE):
    // the install waits for review, counted nowhere, until devices.csv names a listed model.
    // Nor is a server beyond its edition's socket limit counted (SE2, §13 ORACLE): more
    // licences of that edition never fix it; a person decides (another edition, fewer sockets).
    if (units.unknown_core_factor || units.beyond_socket_limit) {
      d.kind = InstallDisposition::Kind::excluded;
      d.exclusion = Exclusion::needs_review;
      d.reason = family.name + ": " + units.why;
      return;
    }
    // Licences held only by named users set the model (G4): Named User Plus, §13 ORACLE.
    if (named.applies(d.product, terms)) {
      units = named.units(*terms, c.device, units);
      metric = Metric::user;
    }
    out.demands.push_back(Demand{c.device, c.install, d.product, metric, units.units, 1, family.assignment, 0});
    out.demands.back().individual_vm = vm;
    // SQL7 is the install's terms' count; whether it stands depends on the licences that cover
    // it (G4, D6), which core/core_factor.cpp settles against the supply.
    out.demands.back().unfactored = units.unfactored;
    out.demands.back().factored = units.unfactored > 0;
    d.kind = InstallDisposition::Kind::demand;
  } else {
    d.kind = InstallDisposition::Kind::duplicate;
    ++out.demands[rep].installs;
  }
  d.demand = static_cast<std::uint32_t>(rep);
}

}  // namespace

Normalised normalise(const RulePack& pack, const Fleet& fleet, Date as_of, unsigned threads) {
  Normalised out;
  out.installs.resize(fleet.installs.size());
  std::vector<Candidate> cands = candidates(pack, fleet, as_of, threads, out.installs);

  // Group by (device, family); within a group the representative comes first: for a
  // host-licensed family the install on the server itself (it carries the server's licences;
  // its VMs' installs are OSEs of it), then the highest version, then the highest edition,
  // then the smallest install id.
  std::sort(cands.begin(), cands.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.device != b.device) return a.device < b.device;
    if (a.family != b.family) return a.family < b.family;
    const bool a_on_host = fleet.install(a.install).device == a.device;
    const bool b_on_host = fleet.install(b.install).device == b.device;
    if (a_on_host != b_on_host) return a_on_host;
    const ProductRef& pa = out.installs[a.install.value].product;
    const ProductRef& pb = out.installs[b.install.value].product;
    if (pa.version != pb.version) return pa.version > pb.version;
    if (pa.edition != pb.edition) return pa.edition > pb.edition;
    return fleet.install(a.install).id < fleet.install(b.install).id;
  });

  const detail::NamedUsers named(pack, fleet);
  std::size_t group_start = 0;                               // first demand of the current (device, family) pair
  std::vector<std::pair<std::size_t, DeviceIndex>> vm_oses;  // host demand, VM running it
  for (std::size_t i = 0; i < cands.size(); ++i) {
    const Candidate& c = cands[i];
    if (i == 0 || cands[i - 1].device != c.device || cands[i - 1].family != c.family) group_start = out.demands.size();
    InstallDisposition& d = out.installs[c.install.value];
    if (pack.family(c.family).assignment == Assignment::host)
      group_host(pack, fleet, c, group_start, d, out, vm_oses);
    else
      group_device(pack, fleet, named, c, group_start, d, out);
  }
  std::sort(vm_oses.begin(), vm_oses.end());
  vm_oses.erase(std::unique(vm_oses.begin(), vm_oses.end()), vm_oses.end());
  for (const auto& [demand, vm] : vm_oses) ++out.demands[demand].oses;
  for (Demand& dem : out.demands) {
    if (dem.assignment != Assignment::host) continue;
    // The representative is the host's own install when it has one (the sort above).
    const bool host_runs = fleet.install(dem.install).device == dem.device;
    dem.host_also = host_runs && dem.oses > 0;
    if (dem.oses == 0) dem.oses = 1;
  }
  detail::license_hosts_whole(pack, fleet, out);
  return out;
}

}  // namespace trueup
