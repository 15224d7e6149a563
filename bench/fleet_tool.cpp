// SPDX-License-Identifier: BSL-1.0
// File: bench/fleet_tool.cpp
//
// The C++ side of the Python layer's benchmark (bench/python_overhead.py, docs/performance.md):
//
//     trueup-bench-fleet write N DIR        writes the generated fleet of N install rows
//                                           (fleet_generator.hpp, fixed seed) as DIR/*.csv
//     trueup-bench-fleet time DIR [REPEAT]  times io::read_fleet, reconcile and io::format_json
//                                           on DIR, REPEAT times (default 3), and prints one JSON
//                                           object: the seconds of each run, and the peak RSS
//
// The timed calls are the ones the Python module makes, from the same files, so the
// difference between the two is the Python layer. Refuses to run without NDEBUG, as
// reconcile_bench does.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "fleet_generator.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"

namespace {

using namespace trueup;

[[noreturn]] void fail(std::string_view what, const Diagnostics& ds = {}) {
  fmt::print(stderr, "trueup-bench-fleet: {}\n", what);
  for (const auto& d : ds) fmt::print(stderr, "  {}\n", to_string(d));
  std::exit(2);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string list(const std::vector<double>& xs) {
  std::string s;
  for (double x : xs) s += fmt::format("{}{:.4f}", s.empty() ? "" : ", ", x);
  return "[" + s + "]";
}

int time_dir(const std::string& dir, int repeat) {
  auto pack = io::load_rule_pack("microsoft");
  if (!pack) fail("cannot load the microsoft rule pack", pack.error());
  std::vector<double> read_s, reconcile_s, json_s;
  std::size_t installs = 0, json_bytes = 0;
  for (int i = 0; i < repeat; ++i) {
    auto t = std::chrono::steady_clock::now();
    auto read = io::read_fleet(dir, *pack);
    if (!read) fail("the fleet does not read", read.error());
    read_s.push_back(seconds_since(t));
    t = std::chrono::steady_clock::now();
    const Position p = reconcile(*pack, read->fleet);
    reconcile_s.push_back(seconds_since(t));
    t = std::chrono::steady_clock::now();
    const std::string json = io::format_json(p, *pack, read->fleet);
    json_s.push_back(seconds_since(t));
    installs = read->fleet.installs.size();
    json_bytes = json.size();
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  fmt::print(
      "{{\"installs\": {}, \"json_bytes\": {}, \"read\": {}, \"reconcile\": {}, \"format_json\": {}, "
      "\"peak_rss_mib\": {:.1f}}}\n",
      installs, json_bytes, list(read_s), list(reconcile_s), list(json_s), static_cast<double>(u.ru_maxrss) / 1024.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  std::fputs("trueup-bench-fleet: built without NDEBUG; configure with -DCMAKE_BUILD_TYPE=Release\n", stderr);
  return 1;
#endif
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "write") {
    const auto fleet = bench::generate_fleet(std::stoull(args[1]));
    auto written = bench::write_fleet(fleet, args[2]);
    if (!written) fail("cannot write the fleet", written.error());
    fmt::print("{} devices, {} installs, {} entitlements written to {}\n", fleet.devices, fleet.installs,
               fleet.entitlements, args[2]);
    return 0;
  }
  if ((args.size() == 2 || args.size() == 3) && args[0] == "time")
    return time_dir(args[1], args.size() == 3 ? std::stoi(args[2]) : 3);
  std::fputs("usage: trueup-bench-fleet write N DIR | time DIR [REPEAT]\n", stderr);
  return 2;
}
