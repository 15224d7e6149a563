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
#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <vector>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"

extern char** environ;

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
    const bench::Phase1Outcome reconciled = bench::outcome_of(reconcile(microsoft_pack(), fleet), microsoft_pack());
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

// --- End to end, from files: what `trueup reconcile DIR --format json -o FILE` does ----------

/// Where generated fleets are written as CSV files: next to this binary (the build tree).
std::filesystem::path fleets_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::current_path() : exe.parent_path()) / "fleets";
}

/// The fleet of `installs` rows as DIR/*.csv, written once (and kept between runs: the
/// generator is deterministic, so a directory with a `complete` marker holds the same bytes).
const std::filesystem::path& fleet_files(std::size_t installs) {
  static std::map<std::size_t, std::filesystem::path> cache;
  auto& dir = cache[installs];
  if (dir.empty()) {
    dir = fleets_dir() / fmt::format("{}", installs);
    if (!std::filesystem::exists(dir / "complete")) {
      const bench::GeneratedFleet g = bench::generate_fleet(installs);
      if (auto w = bench::write_fleet(g, dir); !w) fail("cannot write the generated fleet", w.error());
      std::ofstream(dir / "complete") << "1\n";
    }
  }
  return dir;
}

using Clock = std::chrono::steady_clock;

/// Seconds spent in each Stage over the timed iterations.
struct StageClock {
  std::array<double, 8> seconds{};
  Clock::time_point last = Clock::now();
  void start() { last = Clock::now(); }
  void done(Stage s) {
    const auto now = Clock::now();
    seconds[static_cast<std::size_t>(s)] += std::chrono::duration<double>(now - last).count();
    last = now;
  }
};

// The command's path in process: read_fleet, reconcile, write_json_file to a file, with
// `threads` threads, as src/cli/main.cpp runs it. Counters give each stage's wall seconds.
void BM_EndToEnd(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  const std::filesystem::path& dir = fleet_files(n);
  const std::filesystem::path out = dir / fmt::format("position-{}.json", threads);
  StageClock clock;
  for (auto _ : state) {
    clock.start();
    auto read = io::read_fleet(dir, microsoft_pack(), threads);
    if (!read) fail("the generated fleet does not read", read.error());
    clock.done(Stage::read);
    ReconcileOptions options;
    options.threads = threads;
    options.on_stage = [&](Stage s) { clock.done(s); };
    Position p = reconcile(microsoft_pack(), read->fleet, options);
    if (auto w = io::write_json_file(out, p, microsoft_pack(), read->fleet, threads); !w)
      fail("cannot write the report", w.error());
    clock.done(Stage::write);
    state.PauseTiming();  // freeing a million verdicts is not reconciling them
    p = Position{};
    read = io::FleetRead{};
    // Removed before its pages are written back: one report's writing is timed, not the
    // disk's backlog of the previous iterations' reports.
    std::filesystem::remove(out);
    state.ResumeTiming();
  }
  count_installs(state, n);
  for (std::size_t i = 0; i < clock.seconds.size(); ++i)
    state.counters[std::string(name(static_cast<Stage>(i))) + "_s"] =
        benchmark::Counter(clock.seconds[i], benchmark::Counter::kAvgIterations);
}

/// The path of the `trueup` command, from --cli=PATH (scripts/bench passes it).
std::string& cli_path() {
  static std::string path;
  return path;
}

/// Starts the commands BM_Cli times, from a small process forked before any fleet is in
/// memory. A child's ru_maxrss includes the memory of the process it was forked or vforked
/// from, up to its exec: a command started by this benchmark, which holds the generated fleets
/// (over a gigabyte), would report the benchmark's peak instead of its own.
class Spawner {
 public:
  static Spawner& instance() {
    static Spawner s;
    return s;
  }
  /// Forks the spawner; call before anything large is allocated.
  void start() {
    if (::pipe(to_) != 0 || ::pipe(from_) != 0) fail("cannot make the spawner's pipes", {});
    pid_ = ::fork();
    if (pid_ < 0) fail("cannot fork the spawner", {});
    if (pid_ == 0) {
      ::close(to_[1]);
      ::close(from_[0]);
      serve();
      ::_exit(0);
    }
    ::close(to_[0]);
    ::close(from_[1]);
  }
  /// Runs `argv` to its end: (wait status, peak RSS in KiB).
  std::pair<int, long> run(const std::vector<std::string>& argv) {
    std::string request;
    for (const std::string& a : argv) request.append(a).push_back('\0');
    const auto size = static_cast<std::uint32_t>(request.size());
    if (!write_all(to_[1], &size, sizeof size) || !write_all(to_[1], request.data(), size))
      fail("cannot reach the spawner", {});
    std::pair<int, long> reply{};
    if (!read_all(from_[0], &reply.first, sizeof reply.first) ||
        !read_all(from_[0], &reply.second, sizeof reply.second))
      fail("the spawner stopped", {});
    return reply;
  }

 private:
  void serve() {
    for (;;) {
      std::uint32_t size = 0;
      if (!read_all(to_[0], &size, sizeof size)) return;  // the benchmark ended
      std::string request(size, '\0');
      if (!read_all(to_[0], request.data(), size)) return;
      std::vector<char*> argv;
      for (std::size_t i = 0; i < request.size(); i += std::strlen(request.data() + i) + 1)
        argv.push_back(request.data() + i);
      argv.push_back(nullptr);
      pid_t pid = 0;
      int status = -1;
      rusage u{};
      if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) == 0) wait4(pid, &status, 0, &u);
      const long peak = u.ru_maxrss;
      if (!write_all(from_[1], &status, sizeof status) || !write_all(from_[1], &peak, sizeof peak)) return;
    }
  }
  static bool write_all(int fd, const void* p, std::size_t n) {
    for (std::size_t done = 0; done < n;) {
      const ::ssize_t w = ::write(fd, static_cast<const char*>(p) + done, n - done);
      if (w <= 0) return false;
      done += static_cast<std::size_t>(w);
    }
    return true;
  }
  static bool read_all(int fd, void* p, std::size_t n) {
    for (std::size_t done = 0; done < n;) {
      const ::ssize_t r = ::read(fd, static_cast<char*>(p) + done, n - done);
      if (r <= 0) return false;
      done += static_cast<std::size_t>(r);
    }
    return true;
  }
  int to_[2] = {-1, -1};
  int from_[2] = {-1, -1};
  pid_t pid_ = -1;
};

// The command itself, in a process of its own: `trueup reconcile DIR --format json -o FILE
// --quiet --threads T`, wall time including start and exit; the peak RSS of the child.
void BM_Cli(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string threads = std::to_string(state.range(1));
  const std::filesystem::path& dir = fleet_files(n);
  const std::string out = (dir / ("cli-" + threads + ".json")).string();
  const std::string dir_s = dir.string();
  double peak = 0;
  const std::vector<std::string> argv{cli_path(), "reconcile", dir_s,     "--format",  "json",
                                      "-o",       out,         "--quiet", "--threads", threads};
  for (auto _ : state) {
    const auto [status, peak_kib] = Spawner::instance().run(argv);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("the command failed", {});
    peak = std::max(peak, static_cast<double>(peak_kib) / 1024.0);
    state.PauseTiming();
    std::filesystem::remove(out);
    state.ResumeTiming();
  }
  count_installs(state, n);
  state.counters["peak_rss_MiB"] = peak;
}

/// The path of bench/pandas_read.py, from --pandas=PATH (scripts/bench passes it).
std::string& pandas_script() {
  static std::string path;
  return path;
}

// The scripting user's starting point, the peer of BM_Cli: pandas.read_csv of the same three
// files as text (bench/pandas_read.py), a process of its own timed start to exit as the
// command is, interpreter start and the pandas import included.
void BM_PandasRead(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<std::string> argv{"/usr/bin/python3", pandas_script(), fleet_files(n).string()};
  double peak = 0;
  for (auto _ : state) {
    const auto [status, peak_kib] = Spawner::instance().run(argv);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("the pandas script failed", {});
    peak = std::max(peak, static_cast<double>(peak_kib) / 1024.0);
  }
  count_installs(state, n);
  state.counters["peak_rss_MiB"] = peak;
}

/// The machine's limit for reading the same files: mmap each and count its lines with memchr.
std::size_t raw_line_count(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) fail("cannot open " + path.string(), {});
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) fail("cannot map " + path.string(), {});
  std::size_t lines = 0;
  const char* p = static_cast<const char*>(map);
  const char* const end = p + size;
  while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
    ++lines;
    p = static_cast<const char*>(nl) + 1;
  }
  ::munmap(map, size);
  return lines;
}

void BM_RawRead(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::filesystem::path& dir = fleet_files(n);
  std::size_t bytes = 0;
  for (const char* f : {"devices.csv", "installs.csv", "entitlements.csv"})
    bytes += std::filesystem::file_size(dir / f);
  for (auto _ : state) {
    std::size_t lines = 0;
    for (const char* f : {"devices.csv", "installs.csv", "entitlements.csv"}) lines += raw_line_count(dir / f);
    benchmark::DoNotOptimize(lines);
  }
  count_installs(state, n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
}

// io::read_fleet from the files, with `threads` threads: what the raw limit is set against.
void BM_ReadFiles(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto threads = static_cast<unsigned>(state.range(1));
  const std::filesystem::path& dir = fleet_files(n);
  std::size_t bytes = 0;
  for (const char* f : {"devices.csv", "installs.csv", "entitlements.csv"})
    bytes += std::filesystem::file_size(dir / f);
  io::FleetRead last;
  for (auto _ : state) {
    auto r = io::read_fleet(dir, microsoft_pack(), threads);
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    last = std::move(*r);
    state.ResumeTiming();
  }
  count_installs(state, n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
}

/// Collects each benchmark's median real time and counters, prints the console table as
/// usual, and at the end the ratios and the speed issue's targets at 1M.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs)
      if (r.run_type == Run::RT_Aggregate ? r.aggregate_name == "median" : r.repetitions <= 1) {
        const std::string key = r.run_name.function_name + "/" + r.run_name.args;
        seconds_[key] = r.GetAdjustedRealTime() * unit_seconds(r.time_unit);
        for (const auto& [counter, value] : r.counters) counters_[key][counter] = value.value;
      }
    ConsoleReporter::ReportRuns(runs);
  }
  void print_ratios() const {
    fmt::print("\nratios (median real time)\n");
    for (const auto& [key, secs] : seconds_) {
      const std::string args = key.substr(key.find('/') + 1);
      if (key.rfind("BM_PeerPerInstallNetworkSimplex/", 0) == 0)
        if (const double c = find("BM_ClassSolve/" + args); c > 0)
          fmt::print(
              "  solve, {:>9} installs: per-install NetworkSimplex {:10.2f} ms / class solve {:8.3f} ms = {:8.0f}x\n",
              args, secs * 1e3, c * 1e3, secs / c);
      if (key.rfind("BM_RawRead/", 0) == 0)
        for (const char* t : {"1", "2"})
          if (const double r = find("BM_ReadFiles/" + args + "/" + t); r > 0 && secs > 0)
            fmt::print(
                "  read,  {:>9} installs, {} thread(s): read_fleet {:9.2f} ms / raw mmap+memchr {:7.2f} ms = "
                "{:6.1f}x\n",
                args, t, r * 1e3, secs * 1e3, r / secs);
      if (key.rfind("BM_PandasRead/", 0) == 0)
        for (const char* t : {"1", "2"})
          if (const double c = find("BM_Cli/" + args + "/" + t); c > 0)
            fmt::print(
                "  pandas, {:>8} installs: pandas.read_csv script {:7.3f} s / trueup command ({} thread(s)) "
                "{:7.3f} s = {:5.2f}x\n",
                args, secs, t, c, secs / c);
    }
    print_targets();
  }

 private:
  // The speed issue's targets at 1M, each with the value measured in this run (2 threads).
  void print_targets() const {
    const double cli = find("BM_Cli/1000000/2");
    if (cli <= 0) return;
    fmt::print("\ntargets at 1M installs (2 threads, medians of this run)\n");
    fmt::print("  command end to end         {:7.3f} s    (target <= 1.0 s)    {}\n", cli, met(cli <= 1.0));
    const double rss = counter("BM_Cli/1000000/2", "peak_rss_MiB");
    fmt::print("  command peak RSS           {:7.1f} MiB  (target <= 500 MiB)  {}\n", rss, met(rss <= 500));
    if (const double pandas = find("BM_PandasRead/1000000"); pandas > 0)
      fmt::print("  pandas reading / trueup    {:7.2f}x     (target >= 3x)       {}\n", pandas / cli,
                 met(pandas / cli >= 3));
    const double raw = find("BM_RawRead/1000000");
    if (const double read = find("BM_ReadFiles/1000000/2"); raw > 0 && read > 0)
      fmt::print("  read_fleet / raw limit     {:7.1f}x     (target <= 4x)       {}\n", read / raw,
                 met(read / raw <= 4));
    const auto stages = counters_.find("BM_EndToEnd/1000000/2");
    if (stages == counters_.end()) return;
    fmt::print("  stages in process (BM_EndToEnd, {:.3f} s):", find("BM_EndToEnd/1000000/2"));
    for (std::size_t i = 0; i < 8; ++i) {
      const std::string stage(name(static_cast<Stage>(i)));
      if (const auto it = stages->second.find(stage + "_s"); it != stages->second.end())
        fmt::print(" {} {:.3f}", stage, it->second);
    }
    fmt::print("\n");
  }
  static const char* met(bool ok) { return ok ? "met" : "not met"; }
  double find(const std::string& k) const {
    auto it = seconds_.find(k);
    return it == seconds_.end() ? 0 : it->second;
  }
  double counter(const std::string& k, const std::string& c) const {
    const auto it = counters_.find(k);
    if (it == counters_.end()) return 0;
    const auto v = it->second.find(c);
    return v == it->second.end() ? 0 : v->second;
  }
  static double unit_seconds(benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kNanosecond: return 1e-9;
      case benchmark::kMicrosecond: return 1e-6;
      case benchmark::kMillisecond: return 1e-3;
      default: return 1;
    }
  }
  std::map<std::string, double> seconds_;
  std::map<std::string, std::map<std::string, double>> counters_;
};

constexpr std::int64_t pipeline_sizes[] = {10'000, 100'000, 1'000'000};
constexpr std::int64_t e2e_sizes[] = {10'000, 100'000, 1'000'000};
constexpr std::int64_t e2e_large[] = {5'000'000};
// The peer grows much faster than linearly in installs (research/solver-performance.md §4.1):
// 1M is opt-in (`--peer-1m`) and timed once, since one solve takes minutes.
constexpr std::int64_t peer_sizes[] = {10'000, 100'000, 200'000};
constexpr std::int64_t peer_large[] = {1'000'000};

// Five repetitions of at least 0.5 s each (one iteration for read and reconcile at 1M),
// reported as mean, median, standard deviation and coefficient of variation.
void register_all(bool peer_1m, bool scale_5m) {
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
  auto add_threads = [](const char* name, void (*fn)(benchmark::State&), std::span<const std::int64_t> sizes,
                        int reps) {
    auto* b = benchmark::RegisterBenchmark(name, fn);
    for (auto n : sizes)
      for (std::int64_t t : {1, 2}) b->Args({n, t});
    b->Unit(benchmark::kMillisecond)->UseRealTime();
    if (reps > 1)
      b->Repetitions(reps)->ReportAggregatesOnly(true);
    else
      b->Iterations(1);
  };
  add("BM_RawRead", BM_RawRead, e2e_sizes, 5);
  add_threads("BM_ReadFiles", BM_ReadFiles, e2e_sizes, 5);
  add_threads("BM_EndToEnd", BM_EndToEnd, e2e_sizes, 5);
  if (!cli_path().empty()) add_threads("BM_Cli", BM_Cli, e2e_sizes, 5);
  if (!pandas_script().empty())  // real time: the work is in a child process
    for (auto n : e2e_sizes)
      benchmark::RegisterBenchmark("BM_PandasRead", BM_PandasRead)
          ->Arg(n)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Repetitions(5)
          ->ReportAggregatesOnly(true);
  if (scale_5m) {
    add("BM_RawRead", BM_RawRead, e2e_large, 3);
    add_threads("BM_EndToEnd", BM_EndToEnd, e2e_large, 3);
    if (!cli_path().empty()) add_threads("BM_Cli", BM_Cli, e2e_large, 3);
  }
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
  std::fputs(
      "reconcile_bench: built without NDEBUG (assertions on); configure with "
      "-DCMAKE_BUILD_TYPE=Release to benchmark\n",
      stderr);
  return 1;
#endif
  constexpr std::string_view rss_flag = "--peak-rss=";
  bool peer_1m = false, scale_5m = false;
  constexpr std::string_view cli_flag = "--cli=";
  constexpr std::string_view pandas_flag = "--pandas=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.substr(0, rss_flag.size()) == rss_flag)
      return peak_rss_run(static_cast<std::size_t>(std::stoull(std::string(arg.substr(rss_flag.size())))));
    if (arg == "--peer-1m")
      peer_1m = true;
    else if (arg == "--5m")
      scale_5m = true;
    else if (arg.substr(0, cli_flag.size()) == cli_flag)
      cli_path() = std::string(arg.substr(cli_flag.size()));
    else if (arg.substr(0, pandas_flag.size()) == pandas_flag)
      pandas_script() = std::string(arg.substr(pandas_flag.size()));
    else
      argv[kept++] = argv[i];
  }
  argc = kept;
  // Before any fleet is generated.
  if (!cli_path().empty() || !pandas_script().empty()) Spawner::instance().start();
  register_all(peer_1m, scale_5m);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
