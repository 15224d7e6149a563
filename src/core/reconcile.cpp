// SPDX-License-Identifier: BSL-1.0
// File: src/core/reconcile.cpp
//
// reconcile() (trueup/reconcile.hpp): sequences the stages (core/stages.hpp) and checks the
// run's invariants; every licensing decision is made in a stage of its own.
#include "trueup/reconcile.hpp"

#include <exception>
#include <optional>
#include <string>
#include <thread>

#include "core/stages.hpp"
#include "trueup/check.hpp"
#include "trueup/detail/parallel.hpp"

namespace trueup {
namespace {

/// The ledger and the demands' fills before any stage: every licence unit free.
core::Work start_work(const core::Run& run, Position& pos) {
  pos.entitlements.resize(run.fleet.entitlements.size());
  for (std::size_t i = 0; i < run.fleet.entitlements.size(); ++i) {
    const EntitlementDisposition& d = run.supply.entitlements[i];
    pos.entitlements[i] = {d.counted, d.reason, d.note, 0, d.product, d.metric, d.units, d.converted};
  }
  const Normalised& norm = run.norm;
  core::Work work{core::Ledger(run.fleet, run.supply, run.holdings, pos.entitlements), {}, {}, {}, {}, {}, {}};
  work.fills.resize(norm.demands.size());
  for (std::size_t d = 0; d < norm.demands.size(); ++d) {
    const Demand& dem = norm.demands[d];
    work.fills[d] = {dem.metric, dem.quantity, dem.assignment == Assignment::device ? dem.quantity : 0,
                     UINT32_MAX, {},           {}};
    if (dem.host_share != UINT32_MAX)  // SQL4: the VM's share of its host licensed whole
      work.fills[d].evidence.push_back({RuleStep::Kind::model, norm.hosts[dem.host_share].why + "; this VM's share: " +
                                                                   std::to_string(dem.quantity) + " " +
                                                                   std::string(name(dem.metric)) + " licence(s)"});
    if (auto step = core::every_core_evidence(run.pack, dem)) work.fills[d].evidence.push_back(std::move(*step));
  }
  work.carrier_reason.resize(norm.demands.size());
  work.demand_note.assign(norm.demands.size(), UINT32_MAX);
  return work;
}

}  // namespace

Position reconcile(const RulePack& pack, const Fleet& fleet, ReconcileOptions options) {
  Position pos;
  pos.rule_pack = pack.label();
  const Date as_of = options.as_of.value_or(Date::today());
  pos.as_of = as_of;
  const core::StageDone done = [&](Stage s) {
    if (options.on_stage) options.on_stage(s);
  };
  const Holdings holdings = rules::holdings_on(pack, fleet, as_of);
  pos.warnings.insert(pos.warnings.end(), holdings.warnings.begin(), holdings.warnings.end());
  Normalised norm = normalise(pack, fleet, as_of, options.threads);
  done(Stage::normalise);
  // The verdicts' memory (128 bytes an install, faulted in page by page) is made on a second
  // thread while the single-threaded stages below run: nothing touches pos.installs before the
  // verdicts, which wait for it.
  const std::size_t verdict_ranges =
      detail::range_count(fleet.installs.size(), options.threads, detail::parallel_thresholds().verdict_installs);
  std::exception_ptr sizing_failure;
  std::jthread sizing;
  auto size_verdicts = [&] {
    try {
      pos.installs.resize(fleet.installs.size());
    } catch (...) {
      sizing_failure = std::current_exception();
    }
  };
  if (verdict_ranges > 1)
    sizing = std::jthread(size_verdicts);
  else
    size_verdicts();
  const Supply supply = build_supply(pack, fleet, as_of, holdings);
  done(Stage::supply);

  core::settle_core_factors(pack, supply, as_of, norm);
  const core::Run run{pack, fleet, norm, supply, holdings, as_of};
  const std::size_t warnings = pos.warnings.size();
  std::optional<core::Work> work;
  work.emplace(start_work(run, pos));
  core::Contested contested = core::bound_stage(run, *work);
  pos.status = core::transport_stage(run, contested, options.solve, done, *work, pos);
  // SQL7 under G4 and D6 (core/core_factor.cpp): a server counted with the core factor that its
  // licences do not wholly cover goes to review, one per round, and the licences are handed out
  // again without it, until none is short. Each round reviews one demand; without factored
  // demands there is none.
  for (auto left = core::short_factored(fleet, norm, *work); !left.empty();
       left = core::short_factored(fleet, norm, *work)) {
    core::review_factored(pack, left, norm);
    pos.warnings.resize(warnings);
    work.emplace(start_work(run, pos));
    contested = core::bound_stage(run, *work);
    pos.status = core::transport_stage(
        run, contested, options.solve, [](Stage) {}, *work, pos);
  }
  pos.status = combine(pos.status, core::host_stage(run, *work, pos));
  core::user_stage(run, *work, pos);
  pos.status = combine(pos.status, core::access_stage(run, *work, pos));
  TRUEUP_CHECK(work->ledger.balanced(), "every licence unit handed out is accounted for in its pool and entitlement");
  done(Stage::deaggregate);

  if (sizing.joinable()) sizing.join();
  if (sizing_failure) std::rethrow_exception(sizing_failure);
  core::write_verdicts(run, norm, *work, verdict_ranges, pos);
  core::write_totals(run, *work, pos);
  if (options.record_assignments) pos.assignments = core::next_assignments(run, pos);
  TRUEUP_CHECK(check_accounting(pos, fleet), "every install and every licence unit is accounted for");
  done(Stage::verdicts);
  return pos;
}

}  // namespace trueup
