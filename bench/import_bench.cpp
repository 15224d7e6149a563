// SPDX-License-Identifier: BSL-1.0
// File: bench/import_bench.cpp
//
// The importers against the project's own CSV (docs/performance.md "Importers"): the generated
// fleet written as a Configuration Manager export (v_R_System, v_GS_PROCESSOR,
// v_Add_Remove_Programs: one row per device, per processor and per install) and as the project's
// devices.csv and installs.csv; each read from its files and recognised (the normalise stage,
// where every title is matched against the rule pack), in the same run. The ratio of the two is
// the importer's cost over the project's own reader; the target is at most 2 at 1M rows.
//
//     build/bench/bench/import_bench                 # 100k and 1M rows
//     build/bench/bench/import_bench --benchmark_filter=/1000000
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "fleet_generator.hpp"
#include "trueup/import/inventory.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/reconcile.hpp"

namespace {

using namespace trueup;
namespace fs = std::filesystem;

[[noreturn]] void fail(std::string_view what, const Diagnostics& ds = {}) {
  fmt::print(stderr, "import_bench: {}\n", what);
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

/// The fields of one line of the generator's CSV, which quotes nothing.
std::vector<std::string_view> fields(std::string_view line) {
  if (line.find('"') != std::string_view::npos) fail("the generated fleet quotes a field: the bench cannot split it");
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

/// Each data line of `text` (after its header), split.
template <typename Each>
void each_row(std::string_view text, Each each) {
  std::size_t at = text.find('\n') + 1;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    each(fields(text.substr(at, end - at)));
    at = end == std::string_view::npos ? text.size() : end + 1;
  }
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) fail("cannot write " + path.string());
}

/// `g` as the views of a Configuration Manager site, as SSMS saves them: a device per
/// v_R_System row (ResourceID from 16777216, as sites number them), its processors with the
/// cores split over them, its programs with `InstallDate0` as the registry writes it.
void write_sccm(const bench::GeneratedFleet& g, const fs::path& dir) {
  std::map<std::string, std::size_t, std::less<>> resource;
  std::string system =
      "ResourceID,Name0,Netbios_Name0,Is_Virtual_Machine0,Virtual_Machine_Host_Name0,Decommissioned0\n";
  std::string processors = "ResourceID,NumberOfCores0,Name0\n";
  // devices.csv: device_id,hostname,kind,ownership,status,status_date,primary_user,processors,cores,host
  each_row(g.csv.devices, [&](const std::vector<std::string_view>& f) {
    const std::size_t id = 16777216 + resource.size();
    resource.emplace(std::string(f[0]), id);
    system += fmt::format("{},{},{},{},{},{}\n", id, f[0], f[1], f[2] == "vm" ? 1 : 0, f[9].empty() ? "NULL" : f[9],
                          f[4] == "retired" ? 1 : 0);
    const unsigned sockets = f[7].empty() ? 1U : static_cast<unsigned>(std::stoul(std::string(f[7])));
    const unsigned cores = f[8].empty() ? 0U : static_cast<unsigned>(std::stoul(std::string(f[8])));
    for (unsigned s = 0; s < sockets; ++s)
      processors += fmt::format("{},{},Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz\n", id,
                                cores == 0 ? std::string("NULL") : std::to_string(cores / sockets));
  });
  std::string programs = "ResourceID,DisplayName0,Publisher0,Version0,InstallDate0\n";
  // installs.csv: install_id,device_id,title,publisher,version,first_seen,last_seen
  each_row(g.csv.installs, [&](const std::vector<std::string_view>& f) {
    const auto it = resource.find(f[1]);
    if (it == resource.end()) fail("an install on a device the generator did not write");
    std::string date(f[5]);
    date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
    programs += fmt::format("{},{},{},{},{}\n", it->second, f[2], f[3].empty() ? "NULL" : f[3],
                            f[4].empty() ? "NULL" : f[4], date.empty() ? "NULL" : date);
  });
  write(dir / "v_R_System.csv", system);
  write(dir / "v_GS_PROCESSOR.csv", processors);
  write(dir / "v_Add_Remove_Programs.csv", programs);
}

struct Folders {
  fs::path sccm;       ///< the export
  fs::path contracts;  ///< entitlements.csv, for the imported fleet
  fs::path csv;        ///< the same fleet in the project's CSV
  std::size_t bytes_sccm = 0;
  std::size_t bytes_csv = 0;
};

std::size_t folder_bytes(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.file_size();
  return n;
}

const Folders& folders(std::size_t installs) {
  static std::map<std::size_t, Folders> cache;
  auto [it, fresh] = cache.try_emplace(installs);
  if (!fresh) return it->second;
  Folders& f = it->second;
  const fs::path root = fs::temp_directory_path() / fmt::format("trueup-import-bench-{}", installs);
  f.sccm = root / "sccm";
  f.contracts = root / "contracts";
  f.csv = root / "csv";
  for (const fs::path& p : {f.sccm, f.contracts, f.csv}) fs::create_directories(p);
  const bench::GeneratedFleet g = bench::generate_fleet(installs);
  if (auto w = bench::write_fleet(g, f.csv); !w) fail("cannot write the fleet", w.error());
  write(f.contracts / "entitlements.csv", g.csv.entitlements);
  write_sccm(g, f.sccm);
  f.bytes_sccm = folder_bytes(f.sccm);
  f.bytes_csv = fs::file_size(f.csv / "devices.csv") + fs::file_size(f.csv / "installs.csv");
  return f;
}

// The export read by the importer, its devices and installs read by the fleet readers, and
// every title recognised.
void BM_ImportSccm(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Folders& f = folders(n);
  const auto source = import::parse_source("sccm:" + f.sccm.string());
  for (auto _ : state) {
    auto inventory = import::read_inventory({*source});
    if (!inventory) fail("the export does not read", inventory.error());
    auto read = import::read_fleet(f.contracts, *inventory, microsoft_pack());
    if (!read) fail("the imported fleet does not read", read.error());
    Normalised norm = normalise(microsoft_pack(), read->fleet, Date::today());
    benchmark::DoNotOptimize(norm);
  }
  state.counters["installs"] = static_cast<double>(n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.bytes_sccm));
}

// The project's own devices.csv, installs.csv and entitlements.csv read (one thread, as the
// importer has) and every title recognised.
void BM_ReadProjectCsv(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const Folders& f = folders(n);
  for (auto _ : state) {
    auto read = io::read_fleet(f.csv, microsoft_pack(), 1);
    if (!read) fail("the fleet does not read", read.error());
    Normalised norm = normalise(microsoft_pack(), read->fleet, Date::today());
    benchmark::DoNotOptimize(norm);
  }
  state.counters["installs"] = static_cast<double>(n);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.bytes_csv));
}

/// Prints, after the runs, the importer's time over the project reader's at each size.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs)
      if (r.run_type == Run::RT_Iteration) seconds_[r.benchmark_name()] = r.GetAdjustedRealTime() * unit(r.time_unit);
  }
  void print_ratios() const {
    fmt::print("\nimporter against the project's CSV (read and recognised, one thread)\n");
    for (const auto& [name, s] : seconds_) {
      if (name.rfind("BM_ImportSccm/", 0) != 0) continue;
      const std::string size = name.substr(name.find('/') + 1);
      const auto peer = seconds_.find("BM_ReadProjectCsv/" + size);
      if (peer == seconds_.end()) continue;
      fmt::print("  {:>8} installs   sccm {:7.3f} s   csv {:7.3f} s   ratio {:5.2f}x   (target <= 2x) {}\n", size, s,
                 peer->second, s / peer->second, s / peer->second <= 2 ? "met" : "not met");
    }
  }

 private:
  static double unit(benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kNanosecond: return 1e-9;
      case benchmark::kMicrosecond: return 1e-6;
      case benchmark::kMillisecond: return 1e-3;
      default: return 1;
    }
  }
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  std::fputs("import_bench: built without NDEBUG (assertions on); configure with -DCMAKE_BUILD_TYPE=Release\n", stderr);
  return 1;
#endif
  for (const std::int64_t n : {100'000, 1'000'000}) {
    benchmark::RegisterBenchmark("BM_ImportSccm", BM_ImportSccm)->Arg(n)->Unit(benchmark::kMillisecond)->MinTime(0.5);
    benchmark::RegisterBenchmark("BM_ReadProjectCsv", BM_ReadProjectCsv)
        ->Arg(n)
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.5);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
