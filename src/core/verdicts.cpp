// SPDX-License-Identifier: BSL-1.0
// File: src/core/verdicts.cpp
//
// Verdicts: every install leaves the pipeline in exactly one state, with its evidence or
// reason. Each install's verdict is its own (a demand has one install, and the texts read here
// are only read), so with several ranges they are written on contiguous ranges at once.
#include <algorithm>
#include <string>

#include "core/stages.hpp"
#include "trueup/detail/parallel.hpp"

namespace trueup::core {
namespace {

/// A duplicate: another install of its device (or of the host its VM is licensed on) carries
/// the demand. Invariant: `duplicate_of` is a covered or short install, never a duplicate
/// itself — when the device's demand is carried by its user's licence on another device
/// (per-user stage), the duplicate names that device's install.
void duplicate(const Run& run, const InstallDisposition& disp, std::size_t i, const Work& work, InstallVerdict& v) {
  const Demand& dem = run.norm.demands[disp.demand];
  v.verdict = Verdict::duplicate;
  v.duplicate_of = dem.install;
  v.metric = work.fills[disp.demand].metric;
  if (const std::uint32_t carrier = work.fills[disp.demand].carrier; carrier != UINT32_MAX) {
    v.duplicate_of = run.norm.demands[carrier].install;
    v.metric = Metric::user;
    v.reason = "duplicate of " + run.fleet.install(dem.install).id + " on " + run.fleet.device(dem.device).id +
               ", which is " + work.carrier_reason[disp.demand];
    return;
  }
  const DeviceIndex on = run.fleet.install(InstallIndex{static_cast<InstallIndex::value_type>(i)}).device;
  if (dem.assignment == Assignment::host && on != dem.device)
    v.reason = "an OSE on host " + run.fleet.device(dem.device).id + ": " + run.pack.family(dem.product.family).name +
               " is licensed on the physical server for all its OSEs, with install " +
               run.fleet.install(v.duplicate_of).id;
  else if (on != dem.device)
    v.reason = "a copy in virtual machine " + run.fleet.device(on).id + " on " + run.fleet.device(dem.device).id +
               ", licensed with install " + run.fleet.install(v.duplicate_of).id +
               ": a licence on a device covers any number of copies on it, physical or virtual "
               "(licensing-rules DT1)";
  else
    v.reason = "duplicate of " + run.fleet.install(v.duplicate_of).id + " on " + run.fleet.device(dem.device).id +
               ": one licence on a device covers every copy and earlier version of the product there";
}

/// Why a demand is short, in words.
std::string short_reason(const Run& run, const Work& work, std::uint32_t d, const DemandFill& f) {
  const Demand& dem = run.norm.demands[d];
  if (dem.assignment != Assignment::device)
    return std::to_string(f.remaining) + " of " + std::to_string(f.demanded) + " " + std::string(name(f.metric)) +
           " licence unit(s) uncovered: no free licence of " + run.pack.family(dem.product.family).name +
           " may cover it";
  std::string reason = std::to_string(f.remaining) + " of " + std::to_string(dem.quantity) + " " +
                       std::string(name(dem.metric)) + " licence unit(s) uncovered: ";
  const ShortfallNote& note = work.notes[work.demand_note[d]];
  // The device's own licence's refusal says more than a shared pool's.
  const auto& bound = work.bound_refusals;
  const auto it =
      std::lower_bound(bound.begin(), bound.end(), d, [](const auto& r, std::uint32_t x) { return r.first < x; });
  const std::string* own = it != bound.end() && it->first == d ? &it->second : nullptr;
  if (note.eligible_units > 0) {
    reason += "all " + std::to_string(note.eligible_units) + " unit(s) of the licences that may cover it are in use";
    return own != nullptr ? reason + "; the device's own licence may not (" + *own + ")" : reason;
  }
  reason += "no licence of the organisation may cover " + run.pack.product_name(dem.product);
  const std::string& refusal = own != nullptr ? *own : note.refusal;
  return refusal.empty() ? reason : reason + " (" + refusal + ")";
}

/// A demand's install: covered or short, with the licences and evidence of its fill; or a
/// duplicate of the install whose user licence covers it.
void demand(const Run& run, const InstallDisposition& disp, Work& work, InstallVerdict& v) {
  DemandFill& f = work.fills[disp.demand];
  if (f.carrier != UINT32_MAX) {  // per-user: covered by another demand's user licence
    v.verdict = Verdict::duplicate;
    v.duplicate_of = run.norm.demands[f.carrier].install;
    v.metric = Metric::user;
    v.reason = work.carrier_reason[disp.demand];
    return;
  }
  v.metric = f.metric;
  v.demanded = f.demanded;
  v.covered = f.demanded - f.remaining;
  v.verdict = f.remaining == 0 ? Verdict::covered : Verdict::shortfall;
  v.licences = std::move(f.licences);
  v.evidence = std::move(f.evidence);
  // An edition licensed as another on a production device (SQL10): the first step of its evidence.
  if (!disp.reason.empty()) v.evidence.insert(v.evidence.begin(), RuleStep{RuleStep::Kind::model, disp.reason});
  if (f.remaining > 0) v.reason = short_reason(run, work, disp.demand, f);
}

}  // namespace

void write_verdicts(const Run& run, Normalised& norm, Work& work, std::size_t ranges, Position& pos) {
  detail::for_each_range(run.fleet.installs.size(), ranges, [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t i = begin; i < end; ++i) {
      InstallDisposition& disp = norm.installs[i];
      InstallVerdict& v = pos.installs[i];
      if (disp.recognised) {
        v.product = disp.product;
        v.metric = run.pack.version(disp.product).metric;
      }
      switch (disp.kind) {
        case InstallDisposition::Kind::excluded:
          v.verdict = Verdict::excluded;
          v.exclusion = disp.exclusion;
          v.reason = std::move(disp.reason);  // the reasons move to the verdicts
          break;
        case InstallDisposition::Kind::duplicate: duplicate(run, disp, i, work, v); break;
        case InstallDisposition::Kind::demand: demand(run, disp, work, v); break;
      }
    }
  });
}

}  // namespace trueup::core
