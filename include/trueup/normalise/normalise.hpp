// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/normalise.hpp
//
// Normalisation: from raw inventory rows to demands. Every install leaves this stage in
// exactly one of three states, and nothing is dropped:
//
// - **excluded**, with its reason: a row that is not a licensable product (component, another
//   publisher's product, unrecognised title), a free edition, or an install on a device that
//   is not in scope: not owned (leased, rented, customer's, personal: licensing-rules X1 and
//   §2 "Leased hardware"), retired, or failed;
// - **demand**: the one install that stands for its (device, product family) pair;
// - **duplicate** of that install: a product installed several times on one device
//   (re-install, 32- and 64-bit entries, two versions side by side) needs one licence
//   (X4 "Right of Multiple Use", X5; DT1: any number of copies on the licensed device).
//
// Within a (device, family) pair, installs are taken highest version first, then highest
// edition (pack order), then smallest install id, so the choice does not depend on row order.
// The first is the representative; each later install is a duplicate of the first
// representative whose edition is its own or covers it (down-edition), and otherwise a demand
// of its own: editions that do not cover each other are different products (D3: Office
// Standard next to Professional Plus needs its own licence).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "trueup/demand/demand.hpp"
#include "trueup/detail/parallel.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/recognise.hpp"
#include "trueup/rules/down_edition.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup {

/// Why an install is out of the reconciliation.
enum class Exclusion : std::uint8_t {
  none,
  component,        ///< update, language pack, proofing tool: licensed with its product
  other_publisher,  ///< another publisher's product (e.g. another vendor's office suite)
  unrecognised,     ///< a title the pack cannot identify: review the pack
  free_edition,     ///< the edition needs no licence
  not_owned,        ///< leased, rented, customer-owned or personal device
  retired,          ///< device retired, scrapped or disposed of
  failed,           ///< device out of service after hardware failure
  after_as_of,      ///< first seen after the as-of date: not installed yet on that date
};

constexpr std::string_view name(Exclusion e) {
  switch (e) {
    case Exclusion::none: return "none";
    case Exclusion::component: return "component";
    case Exclusion::other_publisher: return "other-publisher";
    case Exclusion::unrecognised: return "unrecognised";
    case Exclusion::free_edition: return "free-edition";
    case Exclusion::not_owned: return "not-owned";
    case Exclusion::retired: return "retired-device";
    case Exclusion::failed: return "failed-device";
    case Exclusion::after_as_of: return "after-as-of";
  }
  return "?";
}

struct InstallDisposition {
  enum class Kind : std::uint8_t { demand, duplicate, excluded };
  Kind kind = Kind::excluded;
  bool recognised = false;
  ProductRef product;                    ///< when recognised
  Exclusion exclusion = Exclusion::none;
  std::string reason;                    ///< when excluded
  std::uint32_t demand = UINT32_MAX;     ///< demand index, for demand and duplicate
};

struct Normalised {
  std::vector<InstallDisposition> installs;  ///< parallel to Fleet::installs
  std::vector<Demand> demands;               ///< ordered by (device index, family)
  std::uint32_t unknown_hardware = 0;        ///< processor/core demands on devices without counts
};

namespace detail {
/// The lowest-ranked edition that covers both `a` and `b` (down-edition, or the same); the
/// higher of the two when no edition covers both (the pack then states no right for it).
inline std::uint16_t covering_edition(const Family& f, std::uint16_t a, std::uint16_t b) {
  for (std::uint16_t e = 0; e < f.editions.size(); ++e)
    if ((e == a || rules::down_edition_allowed(f, e, a)) && (e == b || rules::down_edition_allowed(f, e, b))) return e;
  return std::max(a, b);
}
}  // namespace detail

/// Demands on `as_of`: devices are judged by their status on that date (one retired later was
/// still in service), and installs first seen after it did not exist yet.
///
/// With `threads` > 1, recognition and exclusion run on contiguous ranges of installs, one
/// per thread, each with its own Recogniser; the candidates of the ranges are joined in range
/// order, so the result is the one a single thread gives.
[[nodiscard]] inline Normalised normalise(const RulePack& pack, const Fleet& fleet, Date as_of, unsigned threads = 1) {
  using detail::covering_edition;
  Normalised out;
  out.installs.resize(fleet.installs.size());

  // Candidates for demands: (device, family, install) for every in-scope product install.
  struct Candidate {
    DeviceIndex device;
    FamilyIndex family;
    InstallIndex install;
  };
  std::vector<Candidate> candidates;

  // Recognition and exclusion of installs [begin, end): writes only their dispositions.
  auto scan = [&](std::size_t begin, std::size_t end, std::vector<Candidate>& cands) {
    Recogniser recogniser(pack);
    for (std::size_t i = begin; i < end; ++i) {
      const Install& in = fleet.installs[i];
      InstallDisposition& d = out.installs[i];
      const Recognition& r = recogniser.recognise(in.title, in.publisher, in.version);
      switch (r.kind) {
        case Recognition::Kind::component: d.exclusion = Exclusion::component; break;
        case Recognition::Kind::other_publisher: d.exclusion = Exclusion::other_publisher; break;
        case Recognition::Kind::unrecognised: d.exclusion = Exclusion::unrecognised; break;
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
      const Device& dev = fleet.device(in.device);
      const DeviceStatus status = dev.status_on(as_of);
      // Host-licensed families (Windows Server, WS8): an OSE on a virtual machine is licensed on
      // its physical host, so the host must be in scope too; a VM without a known host is
      // licensed as a server of its own.
      DeviceIndex demand_device = in.device;
      if (pack.family(r.product.family).assignment == Assignment::host && dev.kind == DeviceKind::virtual_machine &&
          dev.host_index.valid()) {
        {
          const Device& host = fleet.device(dev.host_index);
          demand_device = dev.host_index;
          const DeviceStatus host_status = host.status_on(as_of);
          if (dev.ownership == Ownership::owned && status == DeviceStatus::active) {
            if (host.ownership != Ownership::owned) {
              d.exclusion = Exclusion::not_owned;
              d.reason = "virtual machine " + dev.id + " runs on host " + host.id + ", which is " +
                         std::string(name(host.ownership)) + ": the host's licensing follows the " +
                         std::string(name(host.ownership)) + " agreement";
              continue;
            }
            if (host_status != DeviceStatus::active) {
              d.exclusion = host_status == DeviceStatus::retired ? Exclusion::retired : Exclusion::failed;
              d.reason = "virtual machine " + dev.id + " is recorded on host " + host.id + ", which is " +
                         std::string(name(host_status)) + (host.status_date ? " since " + host.status_date->iso() : "");
              continue;
            }
          }
        }
      }
      if (dev.ownership != Ownership::owned) {
        d.exclusion = Exclusion::not_owned;
        d.reason = "device " + dev.id + " is " + std::string(name(dev.ownership)) +
                   ", not owned: its licensing follows the " + std::string(name(dev.ownership)) +
                   " agreement";
      } else if (status == DeviceStatus::retired) {
        d.exclusion = Exclusion::retired;
        d.reason = "device " + dev.id + " was retired" + (dev.status_date ? " on " + dev.status_date->iso() : "");
      } else if (status == DeviceStatus::failed) {
        d.exclusion = Exclusion::failed;
        d.reason = "device " + dev.id + " failed" + (dev.status_date ? " on " + dev.status_date->iso() : "") +
                   " and is out of service";
      } else if (pack.edition(r.product).free) {
        d.exclusion = Exclusion::free_edition;
        d.reason = pack.product_name(r.product) + " is a free edition";
      } else {
        cands.push_back({demand_device, r.product.family, InstallIndex{static_cast<InstallIndex::value_type>(i)}});
        continue;
      }
    }
  };
  const std::size_t n = fleet.installs.size();
  const std::size_t parts = detail::range_count(n, threads, detail::parallel_thresholds().normalise_installs);
  if (parts == 1) {
    candidates.reserve(n);
    scan(0, n, candidates);
  } else {
    std::vector<std::vector<Candidate>> part_cands(parts);
    detail::for_each_range(n, parts, [&](std::size_t begin, std::size_t end, std::size_t k) {
      scan(begin, end, part_cands[k]);
    });
    std::size_t total = 0;
    for (const auto& c : part_cands) total += c.size();
    candidates.reserve(total);
    for (const auto& c : part_cands) candidates.insert(candidates.end(), c.begin(), c.end());
  }

  // Group by (device, family); within a group the representative comes first.
  auto rank_before = [&](const Candidate& a, const Candidate& b) {
    if (a.device != b.device) return a.device < b.device;
    if (a.family != b.family) return a.family < b.family;
    const ProductRef& pa = out.installs[a.install.value].product;
    const ProductRef& pb = out.installs[b.install.value].product;
    if (pa.version != pb.version) return pa.version > pb.version;
    if (pa.edition != pb.edition) return pa.edition > pb.edition;
    return fleet.install(a.install).id < fleet.install(b.install).id;
  };
  std::sort(candidates.begin(), candidates.end(), rank_before);

  std::size_t group_start = 0;  // first demand of the current (device, family) pair
  std::vector<std::pair<std::size_t, DeviceIndex>> vm_oses;  // host demand, VM running it
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (i == 0 || candidates[i - 1].device != c.device || candidates[i - 1].family != c.family)
      group_start = out.demands.size();
    InstallDisposition& d = out.installs[c.install.value];
    const Family& family = pack.family(c.family);
    if (family.assignment == Assignment::host) {
      // One demand per (host, family): the licence must cover the newest version and every
      // edition its OSEs run; each VM is one OSE (WS6); the host's own OSE counts only when no
      // VM runs the product (it may run solely to host them, WS11).
      const Device& on = fleet.device(fleet.install(c.install).device);
      if (group_start < out.demands.size()) {  // the (host, family) pair has its demand
        Demand& dem = out.demands[group_start];
        ++dem.installs;
        d.kind = InstallDisposition::Kind::duplicate;
        d.demand = static_cast<std::uint32_t>(group_start);
        if (!rules::down_edition_allowed(family, dem.product.edition, d.product.edition) &&
            dem.product.edition != d.product.edition)
          dem.product.edition = covering_edition(family, dem.product.edition, d.product.edition);
      } else {
        const Device& hw = fleet.device(c.device);
        if (hw.processors == 0 || hw.cores == 0) ++out.unknown_hardware;  // licensed per processor or core
        out.demands.push_back(Demand{c.device, c.install, d.product, pack.metric_of(d.product), 0, 1,
                                     Assignment::host, 0});
        d.kind = InstallDisposition::Kind::demand;
        d.demand = static_cast<std::uint32_t>(group_start);
      }
      if (on.kind == DeviceKind::virtual_machine && fleet.install(c.install).device != c.device)
        vm_oses.emplace_back(group_start, fleet.install(c.install).device);
      continue;
    }
    std::size_t rep = group_start;
    while (rep < out.demands.size() && out.demands[rep].product.edition != d.product.edition &&
           !rules::down_edition_allowed(family, out.demands[rep].product.edition, d.product.edition))
      ++rep;
    if (rep == out.demands.size()) {
      const Device& dev = fleet.device(c.device);
      const LicensingTerms* terms = pack.terms(d.product);
      const Metric metric = pack.metric_of(d.product);
      const bool vm = dev.kind == DeviceKind::virtual_machine;
      if ((metric == Metric::processor && dev.processors == 0) ||
          (metric == Metric::core && (dev.cores == 0 || (!vm && dev.processors == 0))))
        ++out.unknown_hardware;
      out.demands.push_back(Demand{c.device, c.install, d.product, metric,
                                   rules::units_for(terms, dev.processors, dev.cores, vm).units, 1,
                                   family.assignment, 0});
      d.kind = InstallDisposition::Kind::demand;
    } else {
      d.kind = InstallDisposition::Kind::duplicate;
      ++out.demands[rep].installs;
    }
    d.demand = static_cast<std::uint32_t>(rep);
  }
  std::sort(vm_oses.begin(), vm_oses.end());
  vm_oses.erase(std::unique(vm_oses.begin(), vm_oses.end()), vm_oses.end());
  for (const auto& [demand, vm] : vm_oses) ++out.demands[demand].oses;
  for (Demand& dem : out.demands)
    if (dem.assignment == Assignment::host && dem.oses == 0) dem.oses = 1;
  return out;
}

}  // namespace trueup
