// SPDX-License-Identifier: BSL-1.0
// File: bench/reconcile_bench.cpp
//
// The reconciliation benchmarks (docs/performance.md): reading a generated fleet from
// in-memory CSV, reconciling it, and both, at 10k, 100k and 1M install rows; and the solver
// against its peer, the same instance solved per install with LEMON's NetworkSimplex
// (per_install_peer.hpp), in the same binary so that the ratios come from one run.
//
// Inputs are generated (fleet_generator.hpp, fixed seed) and parsed before any timed loop and
// cached per size. What an iteration builds (fleet, position, ...) is freed with the timer
// paused: the benchmarks time producing results, not releasing them. Before a size is timed
// against the peer, the peer, trueup's class solve and trueup::reconcile are checked once to
// reach the same phase-1 optimum; a mismatch stops the run with exit code 3.
//
// `reconcile_bench --peak-rss=N` runs no benchmark: it generates N install rows, reads and
// reconciles them once, and prints the process's peak resident set size after each step.
// `--peer-1m` adds the 1M size to the peer (one iteration: minutes, not seconds) and to the
// class solve.
//
// Like Boost.Histogram's benchmarks, the binary refuses to run when assertions are on
// (NDEBUG not defined): a debug build's numbers mean nothing.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "fleet_generator.hpp"
#include "per_install_peer.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/reconcile.hpp"

namespace {

using namespace trueup;

[[noreturn]] void fail(std::string_view what, const Diagnostics& ds) {
  fmt::print(stderr, "reconcile_bench: {}\n", what);
  for (const auto& d : ds) fmt::print(stderr, "  {}\n", to_string(d));
  std::exit(2);
}

const RulePack& microsoft_pack() {
  static const RulePack pack = [] {
    auto p = io::load_rule_pack("microsoft");
    if (!p) fail("cannot load the microsoft rule pack", p.error());
    return std::move(p).value();
  }();
  return pack;
}

struct Inputs {
  bench::GeneratedFleet csv;
  io::FleetRead read;
};

io::FleetRead parse_or_fail(const bench::GeneratedFleet& g) {
  auto r = io::parse_fleet(g.csv, microsoft_pack());
  if (!r) fail(fmt::format("the generated fleet of {} installs does not parse", g.installs), r.error());
  return std::move(r).value();
}

// Generated and parsed once per size, outside every timed loop.
const Inputs& inputs(std::size_t installs) {
  static std::map<std::size_t, std::unique_ptr<Inputs>> cache;
  auto& slot = cache[installs];
  if (!slot) {
    slot = std::make_unique<Inputs>();
    slot->csv = bench::generate_fleet(installs);
    slot->read = parse_or_fail(slot->csv);
  }
  return *slot;
}

std::size_t csv_bytes(const bench::GeneratedFleet& g) {
  return g.csv.devices.size() + g.csv.installs.size() + g.csv.entitlements.size();
}

// The prepared per-install instance, checked once: peer, class solve and reconcile agree.
const bench::PeerInstance& checked_instance(std::size_t installs) {
  static std::map<std::size_t, std::unique_ptr<bench::PeerInstance>> cache;
  auto& slot = cache[installs];
  if (!slot) {
    const Fleet& fleet = inputs(installs).read.fleet;
    slot = std::make_unique<bench::PeerInstance>(bench::make_peer_instance(microsoft_pack(), fleet));
    const bench::Phase1Outcome peer = bench::solve_per_install(*slot).outcome;
    const bench::Phase1Outcome classes = bench::class_solve(*slot).outcome;
    const bench::Phase1Outcome reconciled = bench::outcome_of(reconcile(microsoft_pack(), fleet));
    const std::int64_t m = slot->unpriced_price;
    auto show = [m](const bench::Phase1Outcome& o) {
      return fmt::format("covered {} short {} (unpriced {}) priced cost {} phase-1 cost {}", o.covered_units,
                         o.shortfall_units, o.unpriced_shortfall_units, o.priced_shortfall_cost, o.cost(m));
    };
    if (!(peer == classes && classes == reconciled)) {
      fmt::print(stderr,
                 "reconcile_bench: different optima at {} installs\n  peer:      {}\n  classes:   {}\n"
                 "  reconcile: {}\n",
                 installs, show(peer), show(classes), show(reconciled));
      std::exit(3);
    }
    fmt::print(stderr, "same optimum at {} installs: {}\n", installs, show(peer));
  }
  return *slot;
}

void count_installs(benchmark::State& state, std::size_t installs) {
  state.counters["installs/s"] =
      benchmark::Counter(static_cast<double>(installs), benchmark::Counter::kIsIterationInvariantRate);
}

void count_position(benchmark::State& state, const Position& p) {
  state.counters["classes"] = static_cast<double>(p.demand_classes);
  state.counters["pools"] = static_cast<double>(p.pools);
}

void BM_Read(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  io::FleetRead last;
  for (auto _ : state) {
    auto r = io::parse_fleet(in.csv.csv, microsoft_pack());
    benchmark::DoNotOptimize(r);
    state.PauseTiming();  // freeing a million installs is not reading them
    last = std::move(*r);
    state.ResumeTiming();
  }
  count_installs(state, n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(csv_bytes(in.csv)));
}

void BM_Reconcile(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  Position last;
  for (auto _ : state) {
    Position p = reconcile(microsoft_pack(), in.read.fleet);
    benchmark::DoNotOptimize(p);
    state.PauseTiming();  // freeing a million verdicts is not reconciling
    last = std::move(p);
    state.ResumeTiming();
  }
  count_installs(state, n);
  count_position(state, last);
}

void BM_ReadAndReconcile(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  Position last;
  io::FleetRead last_read;
  for (auto _ : state) {
    auto r = io::parse_fleet(in.csv.csv, microsoft_pack());
    Position p = reconcile(microsoft_pack(), r->fleet);
    benchmark::DoNotOptimize(p);
    state.PauseTiming();  // the previous iteration's fleet and position are freed here
    last = std::move(p);
    last_read = std::move(*r);
    state.ResumeTiming();
  }
  count_installs(state, n);
  count_position(state, last);
}

// Two stages of reconcile on their own, to show where its time goes (docs/performance.md).
void BM_Normalise(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  Normalised last;
  for (auto _ : state) {
    Normalised norm = normalise(microsoft_pack(), in.read.fleet, Date::today());
    benchmark::DoNotOptimize(norm);
    state.PauseTiming();
    last = std::move(norm);
    state.ResumeTiming();
  }
  count_installs(state, n);
}

void BM_BuildSupply(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  Supply last;
  for (auto _ : state) {
    Supply supply = build_supply(microsoft_pack(), in.read.fleet, Date::today());
    benchmark::DoNotOptimize(supply);
    state.PauseTiming();
    last = std::move(supply);
    state.ResumeTiming();
  }
  count_installs(state, n);
}

void BM_PeerPerInstallNetworkSimplex(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bench::PeerInstance& inst = checked_instance(n);
  bench::PeerRun run;
  for (auto _ : state) {
    run = bench::solve_per_install(inst);
    benchmark::DoNotOptimize(run);
  }
  count_installs(state, n);
  state.counters["nodes"] = static_cast<double>(run.nodes);
  state.counters["arcs"] = static_cast<double>(run.arcs);
}

void BM_ClassSolve(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const bench::PeerInstance& inst = checked_instance(n);
  bench::PeerRun run;
  for (auto _ : state) {
    run = bench::class_solve(inst);
    benchmark::DoNotOptimize(run);
  }
  count_installs(state, n);
  state.counters["nodes"] = static_cast<double>(run.nodes);
  state.counters["arcs"] = static_cast<double>(run.arcs);
}

constexpr std::int64_t pipeline_sizes[] = {10'000, 100'000, 1'000'000};
// The peer grows much faster than linearly in installs (research/solver-performance.md §4.1):
// 1M is opt-in (`--peer-1m`) and timed once, since one solve takes minutes.
constexpr std::int64_t peer_sizes[] = {10'000, 100'000, 200'000};
constexpr std::int64_t peer_large[] = {1'000'000};

// Five repetitions of at least 0.5 s each (one iteration for read and reconcile at 1M),
// reported as mean, median, standard deviation and coefficient of variation.
void register_all(bool peer_1m) {
  auto add = [](const char* name, void (*fn)(benchmark::State&), std::span<const std::int64_t> sizes, int reps) {
    auto* b = benchmark::RegisterBenchmark(name, fn);
    for (auto n : sizes) b->Arg(n);
    b->Unit(benchmark::kMillisecond);
    if (reps > 1)
      b->Repetitions(reps)->ReportAggregatesOnly(true);
    else
      b->Iterations(1);
  };
  add("BM_Read", BM_Read, pipeline_sizes, 5);
  add("BM_Reconcile", BM_Reconcile, pipeline_sizes, 5);
  add("BM_ReadAndReconcile", BM_ReadAndReconcile, pipeline_sizes, 5);
  add("BM_Normalise", BM_Normalise, pipeline_sizes, 5);
  add("BM_BuildSupply", BM_BuildSupply, pipeline_sizes, 5);
  add("BM_PeerPerInstallNetworkSimplex", BM_PeerPerInstallNetworkSimplex, peer_sizes, 5);
  add("BM_ClassSolve", BM_ClassSolve, peer_sizes, 5);
  if (peer_1m) {
    add("BM_PeerPerInstallNetworkSimplex", BM_PeerPerInstallNetworkSimplex, peer_large, 1);
    add("BM_ClassSolve", BM_ClassSolve, peer_large, 5);
  }
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

int peak_rss_run(std::size_t installs) {
  fmt::print("peak RSS, {} install rows (MiB, cumulative peak of the process)\n", installs);
  const RulePack& pack = microsoft_pack();
  fmt::print("  rule pack loaded          {:8.1f}\n", peak_rss_mib());
  const bench::GeneratedFleet g = bench::generate_fleet(installs);
  fmt::print("  CSV generated ({:5.1f} MB)  {:8.1f}\n", static_cast<double>(csv_bytes(g)) / 1e6, peak_rss_mib());
  fmt::print("  ({} devices, {} installs, {} entitlements of which {} OEM)\n", g.devices, g.installs, g.entitlements,
             g.oem_entitlements);
  auto r = io::parse_fleet(g.csv, pack);
  if (!r) fail("the generated fleet does not parse", r.error());
  fmt::print("  read                      {:8.1f}\n", peak_rss_mib());
  const Position p = reconcile(pack, r->fleet);
  fmt::print("  reconciled                {:8.1f}\n", peak_rss_mib());
  fmt::print("  ({} covered, {} short, {} excluded, {} duplicate; {} classes, {} pools)\n", p.totals.covered,
             p.totals.shortfall, p.totals.excluded, p.totals.duplicate, p.demand_classes, p.pools);
  for (std::size_t m = 0; m < metric_count; ++m)
    if (const UnitTotals& u = p.totals.units[m]; u.demand > 0)
      fmt::print("    {:9} licence units: demand {}, short {}\n", name(static_cast<Metric>(m)), u.demand, u.shortfall);
  std::map<std::string_view, std::size_t> excluded;
  for (const auto& v : p.installs)
    if (v.verdict == Verdict::excluded) ++excluded[name(v.exclusion)];
  for (const auto& [why, count] : excluded) fmt::print("    excluded {:16} {}\n", why, count);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  std::fputs("reconcile_bench: built without NDEBUG (assertions on); configure with "
             "-DCMAKE_BUILD_TYPE=Release to benchmark\n",
             stderr);
  return 1;
#endif
  constexpr std::string_view rss_flag = "--peak-rss=";
  bool peer_1m = false;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.substr(0, rss_flag.size()) == rss_flag)
      return peak_rss_run(static_cast<std::size_t>(std::stoull(std::string(arg.substr(rss_flag.size())))));
    if (arg == "--peer-1m")
      peer_1m = true;
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  register_all(peer_1m);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
