// SPDX-License-Identifier: BSL-1.0
// File: bench/state_bench.cpp
//
// The state store benchmarks (docs/state.md, docs/performance.md "State store"), at 10k, 100k
// and 1M assignments:
//
// - `SaveFirstRun`: open a new file, begin a run, commit every assignment (all inserts), close;
// - `LoadCurrent`: open a file holding that many open assignments and begin a run (reads them
//   all into `Run::current()`);
// - `CommitOnePercentChanged`: on such a file, commit the next run's set, in which 1 % of the
//   assignments changed (a third dropped, a third with other units, a third moved to another
//   holder): the merge over the whole set plus 1,000 closes and about 670 inserts per 100k.
//
// Every timed region ends with the commit on disk (synchronous=FULL: fsync'd). Assignments are
// generated with a fixed seed before any timed loop, in no particular order (commit sorts them);
// files are prepared with the timer paused. Files go to $TMPDIR (or /tmp): the directory is
// printed with the results, since its disk is part of what is measured.
//
// Like the other suites, the binary refuses to run when assertions are on (NDEBUG not defined).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "trueup/state/store.hpp"

namespace {

namespace fs = std::filesystem;
using namespace trueup;

[[noreturn]] void fail(std::string_view what, const Diagnostics& ds) {
  fmt::print(stderr, "state_bench: {}\n", what);
  for (const auto& d : ds) fmt::print(stderr, "  {}\n", to_string(d));
  std::exit(2);
}

template <class T>
T value_or_fail(Result<T> r, std::string_view what) {
  if (!r) fail(what, r.error());
  return std::move(r).value();
}

const fs::path& bench_dir() {
  static const fs::path dir = fs::temp_directory_path();
  return dir;
}
fs::path bench_file(std::string_view name, std::size_t n) {
  return bench_dir() / fmt::format("trueup-state-bench-{}-{}-{}.db", ::getpid(), name, n);
}
void remove_file(const fs::path& p) {
  std::error_code ec;
  fs::remove(p, ec);
  fs::remove(p.string() + "-journal", ec);
}

const Date as_of_first = Date::from_ymd(2025, 6, 30);
const Date as_of_second = Date::from_ymd(2025, 7, 31);

// n assignments of n/200 volume licences to devices (80 %) and users (20 %), from dates over
// four years, 2 % of them per-core server licences of 2-16 units.
std::vector<LicenceAssignment> generate(std::size_t n) {
  std::mt19937_64 rng(20251122);
  const std::size_t licences = std::max<std::size_t>(1, n / 200);
  const Date first = Date::from_ymd(2021, 7, 1);
  std::vector<LicenceAssignment> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    LicenceAssignment& a = out[i];
    a.licence = fmt::format("VL-{:06}", rng() % licences);
    if (i % 5 == 0)
      a.user = fmt::format("user{:07}", i);
    else
      a.device = fmt::format("PC-{:07}", i);
    a.units = rng() % 50 == 0 ? static_cast<Units>(2 + rng() % 15) : 1;
    a.from = Date{first.days + static_cast<std::int32_t>(rng() % 1460)};
    a.reason = rng() % 10 == 0 ? AssignmentReason::reassigned : AssignmentReason::initial;
  }
  return out;
}

// The next run: every 100th assignment changed, in turn dropped, given other units, or moved
// to a new holder from a later date.
std::vector<LicenceAssignment> one_percent_changed(const std::vector<LicenceAssignment>& held) {
  std::vector<LicenceAssignment> next;
  next.reserve(held.size());
  for (std::size_t i = 0; i < held.size(); ++i) {
    if (i % 100 != 0) {
      next.push_back(held[i]);
      continue;
    }
    switch (i / 100 % 3) {
      case 0: break;  // dropped
      case 1: {
        LicenceAssignment a = held[i];
        a.units += 1;
        next.push_back(a);
        break;
      }
      default: {
        LicenceAssignment a = held[i];
        a.device = fmt::format("PC-NEW-{:07}", i);
        a.user.clear();
        a.from = Date::from_ymd(2025, 7, 15);
        a.reason = AssignmentReason::reassigned;
        next.push_back(a);
      }
    }
  }
  return next;
}

struct Inputs {
  std::vector<LicenceAssignment> first, second;
  fs::path base;  // a file holding `first` as its one run
};

void record(const fs::path& file, Date as_of, const std::vector<LicenceAssignment>& held) {
  auto store = value_or_fail(state::Store::open(file), "cannot open the bench file");
  auto run = value_or_fail(store.begin_run(), "cannot begin a run");
  (void)value_or_fail(run.commit(as_of, held, "bench"), "cannot commit");
}

// Generated once per size, outside every timed loop.
const Inputs& inputs(std::size_t n) {
  static std::map<std::size_t, Inputs> cache;
  auto [it, fresh] = cache.try_emplace(n);
  if (fresh) {
    it->second.first = generate(n);
    it->second.second = one_percent_changed(it->second.first);
    it->second.base = bench_file("base", n);
    remove_file(it->second.base);
    record(it->second.base, as_of_first, it->second.first);
    std::atexit([] {
      for (auto& [size, in] : cache) remove_file(in.base);
    });
  }
  return it->second;
}

double file_mb(const fs::path& p) { return static_cast<double>(fs::file_size(p)) / 1e6; }

void SaveFirstRun(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  const fs::path file = bench_file("save", n);
  for (auto _ : state) {
    state.PauseTiming();
    remove_file(file);
    state.ResumeTiming();
    record(file, as_of_first, in.first);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["file_MB"] = file_mb(file);
  remove_file(file);
}

void LoadCurrent(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  for (auto _ : state) {
    auto store = value_or_fail(state::Store::open(in.base), "cannot open the bench file");
    auto run = value_or_fail(store.begin_run(), "cannot begin a run");
    if (run.current().size() != n) fail("LoadCurrent read the wrong number of rows", {});
    state.PauseTiming();
    {
      auto released = std::move(run);  // rolled back with the timer paused
      auto closed = std::move(store);
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
}

void CommitOnePercentChanged(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Inputs& in = inputs(n);
  const fs::path file = bench_file("work", n);
  for (auto _ : state) {
    state.PauseTiming();
    remove_file(file);
    fs::copy_file(in.base, file);
    {
      auto store = value_or_fail(state::Store::open(file), "cannot open the bench file");
      auto run = value_or_fail(store.begin_run(), "cannot begin a run");
      state.ResumeTiming();
      (void)value_or_fail(run.commit(as_of_second, in.second, "bench"), "cannot commit");
      state.PauseTiming();
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["file_MB"] = file_mb(file);
  remove_file(file);
}

BENCHMARK(SaveFirstRun)->RangeMultiplier(10)->Range(10'000, 1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(LoadCurrent)->RangeMultiplier(10)->Range(10'000, 1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(CommitOnePercentChanged)
    ->RangeMultiplier(10)
    ->Range(10'000, 1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  std::fprintf(stderr, "state_bench: built without NDEBUG; benchmark a Release build (scripts/bench)\n");
  return 1;
#endif
  benchmark::AddCustomContext("state files in", bench_dir().string());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
