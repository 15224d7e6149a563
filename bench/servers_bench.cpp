// SPDX-License-Identifier: BSL-1.0
// File: bench/servers_bench.cpp
//
// Servers, users and access at scale (docs/performance.md): trueup::reconcile on fleets of
//
// - Hosts/N: N Windows Server OSEs — physical hosts of 1, 2 or 4 processors and 8 to 64 cores,
//   each running 0 to 12 VMs of Standard or Datacenter 2012 R2 to 2022, with OEM, volume and
//   price-list licences of every model: the whole-server integer program (host_solver.hpp);
// - Users/N: N user-device pairs of Microsoft 365 Apps (users with 1 to 8 devices, PCs,
//   tablets and phones), user and per-device licences: the per-user stage;
// - Cals/N: N access rows (users from their devices, shared kiosks) to servers of three
//   versions, user and device CALs: the CAL integer program.
//
// Fleets are built in memory with a fixed seed before the timed loop; what an iteration
// builds is freed with the timer paused. The binary refuses to run without NDEBUG.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "trueup/io/rule_pack.hpp"
#include "trueup/reconcile.hpp"

namespace {

using namespace trueup;

const RulePack& microsoft_pack() {
  static const RulePack pack = [] {
    auto p = io::load_rule_pack("microsoft");
    if (!p) {
      for (const auto& d : p.error()) fmt::print(stderr, "{}\n", to_string(d));
      std::exit(2);
    }
    return std::move(p).value();
  }();
  return pack;
}

ProductRef product(std::string_view family, std::string_view version, std::string_view edition) {
  const RulePack& pack = microsoft_pack();
  const FamilyIndex f = *pack.find_family(family);
  return {f, *pack.family(f).find_version(version), *pack.family(f).find_edition(edition)};
}

DeviceIndex add_device(Fleet& fleet, std::string id, DeviceKind kind, std::uint32_t procs, std::uint32_t cores,
                       DeviceIndex host = {}, std::string user = {}) {
  Device d;
  d.id = std::move(id);
  d.kind = kind;
  d.processors = procs;
  d.cores = cores;
  d.host_index = host;
  if (host.valid()) d.host = fleet.devices[host.value].id;
  d.primary_user = std::move(user);
  fleet.devices.push_back(std::move(d));
  return DeviceIndex{static_cast<DeviceIndex::value_type>(fleet.devices.size() - 1)};
}

void add_install(Fleet& fleet, DeviceIndex device, std::string title, std::string version = {}) {
  Install in;
  in.id = fmt::format("I-{:08d}", fleet.installs.size());
  in.device = device;
  in.title = std::move(title);
  in.publisher = "Microsoft Corporation";
  in.version = std::move(version);
  fleet.installs.push_back(std::move(in));
}

void add_licence(Fleet& fleet, ProductRef p, Channel channel, Units quantity, std::int64_t cents,
                 DeviceIndex device = {}, std::optional<Metric> metric = std::nullopt) {
  Entitlement e;
  e.id = fmt::format("L-{:08d}", fleet.entitlements.size());
  e.product = p;
  e.channel = channel;
  e.metric = metric.value_or(microsoft_pack().metric_of(p));
  e.quantity = quantity;
  e.device = device;
  e.unit_cost = Money{cents * 100};
  e.currency = "EUR";
  fleet.entitlements.push_back(std::move(e));
}

/// About `oses` Windows Server OSEs on hosts with VMs, and licences for about 80% of them.
Fleet hosts_fleet(std::size_t oses) {
  std::mt19937_64 rng(20261122);
  auto below = [&](std::uint64_t n) { return rng() % n; };
  Fleet fleet;
  const char* versions[] = {"2012 R2", "2016", "2019", "2022"};
  const char* editions[] = {"Standard", "Datacenter"};
  Units need[4][2] = {};
  std::size_t n = 0;
  for (std::size_t h = 0; n < oses; ++h) {
    const std::uint32_t procs = std::uint32_t{1} << below(3);
    const std::uint32_t cores = procs * static_cast<std::uint32_t>(4 + 4 * below(4));
    const DeviceIndex host = add_device(fleet, fmt::format("HV-{:07d}", h), DeviceKind::server, procs, cores);
    const std::size_t v = below(4), e = below(10) < 8 ? 0 : 1;
    const std::size_t vms = below(13);
    if (vms == 0) {
      add_install(fleet, host, fmt::format("Microsoft Windows Server {} {}", versions[v], editions[e]));
      ++n;
    }
    for (std::size_t k = 0; k < vms && n < oses; ++k, ++n) {
      const DeviceIndex vm =
          add_device(fleet, fmt::format("VM-{:07d}-{:02d}", h, k), DeviceKind::virtual_machine, 1, 4, host);
      add_install(fleet, vm, fmt::format("Microsoft Windows Server {} {}", versions[v], editions[e]));
    }
    const Units units = v == 0 ? (procs + 1) / 2 : std::max<Units>({16, 8 * Units{procs}, cores});
    if (v > 0 && below(10) == 0)  // an OEM licence on the host
      add_licence(fleet, product("windows-server", versions[v], editions[e]), Channel::oem, units, 60, host);
    else
      need[v][e] += units * (e == 1 || v == 0 ? 1 : 1 + static_cast<Units>(vms) / 2);
  }
  const std::int64_t price[4][2] = {{882, 6155}, {56, 385}, {58, 395}, {61, 410}};
  for (std::size_t v = 0; v < 4; ++v)
    for (std::size_t e = 0; e < 2; ++e) {
      add_licence(fleet, product("windows-server", versions[v], editions[e]), Channel::volume, need[v][e] * 8 / 10,
                  price[v][e]);
      add_licence(fleet, product("windows-server", versions[v], editions[e]), Channel::volume, 0, price[v][e] + 1);
    }
  return fleet;
}

/// `pairs` user-device pairs of Microsoft 365 Apps.
Fleet users_fleet(std::size_t pairs) {
  std::mt19937_64 rng(20261122);
  Fleet fleet;
  std::size_t n = 0, users = 0;
  for (std::size_t u = 0; n < pairs; ++u, ++users) {
    const std::string user = fmt::format("user{:07d}", u);
    const std::size_t devices = 1 + rng() % 8;
    for (std::size_t k = 0; k < devices && n < pairs; ++k, ++n) {
      const auto r = rng() % 10;
      const DeviceKind kind = r < 7 ? DeviceKind::desktop : r < 9 ? DeviceKind::tablet : DeviceKind::phone;
      const DeviceIndex d = add_device(fleet, fmt::format("D-{:08d}", n), kind, 0, 0, {}, user);
      add_install(fleet, d, "Microsoft 365 Apps for enterprise - en-us", "16.0.17328.20162");
    }
  }
  const ProductRef apps = product("m365-apps", "current", "enterprise");
  add_licence(fleet, apps, Channel::subscription, static_cast<Units>(users * 9 / 10), 144, {}, Metric::user);
  add_licence(fleet, apps, Channel::subscription, static_cast<Units>(pairs / 50), 150, {}, Metric::device);
  return fleet;
}

/// `rows` access rows: users on their own PC, some also on a second PC, shared kiosks.
Fleet cals_fleet(std::size_t rows) {
  std::mt19937_64 rng(20261122);
  Fleet fleet;
  const char* versions[] = {"2012 R2", "2016", "2022"};
  DeviceIndex servers[3];
  for (int s = 0; s < 3; ++s) {
    servers[s] = add_device(fleet, fmt::format("SRV-{}", s), DeviceKind::server, 2, 16);
    add_install(fleet, servers[s], fmt::format("Microsoft Windows Server {} Standard", versions[s]));
  }
  std::vector<DeviceIndex> kiosks;
  for (int k = 0; k < 50; ++k)
    kiosks.push_back(add_device(fleet, fmt::format("KIOSK-{:03d}", k), DeviceKind::desktop, 0, 0));
  for (std::size_t u = 0; fleet.access.size() < rows; ++u) {
    const std::string user = fmt::format("user{:07d}", u);
    const DeviceIndex pc = add_device(fleet, fmt::format("PC-{:07d}", u), DeviceKind::desktop, 0, 0, {}, user);
    const auto r = rng() % 20;
    const DeviceIndex from = r == 0 ? kiosks[rng() % kiosks.size()] : pc;
    fleet.access.push_back({servers[rng() % 3], user, from, 0});
    if (r == 1) fleet.access.push_back({servers[rng() % 3], user, pc, 0});
  }
  fleet.has_access = true;
  const ProductRef cal16 = product("windows-server-cal", "2016", "CAL");
  add_licence(fleet, cal16, Channel::volume, static_cast<Units>(rows * 7 / 10), 38, {}, Metric::user_cal);
  add_licence(fleet, product("windows-server-cal", "2022", "CAL"), Channel::volume, 0, 44, {}, Metric::user_cal);
  add_licence(fleet, product("windows-server-cal", "2022", "CAL"), Channel::volume, 0, 40, {}, Metric::device_cal);
  return fleet;
}

template <Fleet (*Make)(std::size_t)>
void run(benchmark::State& state) {
  static std::map<std::int64_t, Fleet> cache;  // per generator: Make is a template argument
  auto it = cache.find(state.range(0));
  if (it == cache.end()) it = cache.emplace(state.range(0), Make(static_cast<std::size_t>(state.range(0)))).first;
  const Fleet& fleet = it->second;
  std::size_t classes = 0, servers = 0, users = 0, cals = 0;
  for (auto _ : state) {
    auto p = std::make_unique<Position>(reconcile(microsoft_pack(), fleet));
    state.PauseTiming();
    classes = p->demand_classes;
    servers = p->servers.size();
    users = p->users.size();
    cals = p->cals.size();
    p.reset();
    state.ResumeTiming();
  }
  state.counters["devices"] = static_cast<double>(fleet.devices.size());
  state.counters["installs"] = static_cast<double>(fleet.installs.size());
  state.counters["servers"] = static_cast<double>(servers);
  state.counters["users"] = static_cast<double>(users);
  state.counters["cal_holders"] = static_cast<double>(cals);
  (void)classes;
}

void Hosts(benchmark::State& state) { run<hosts_fleet>(state); }
void Users(benchmark::State& state) { run<users_fleet>(state); }
void Cals(benchmark::State& state) { run<cals_fleet>(state); }

BENCHMARK(Hosts)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(Users)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(Cals)->Arg(1'000)->Arg(10'000)->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
#ifndef NDEBUG
  std::fprintf(stderr, "servers_bench: built without NDEBUG; benchmark a Release build (scripts/bench)\n");
  return 1;
#endif
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
