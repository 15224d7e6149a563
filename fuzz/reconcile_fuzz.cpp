// SPDX-License-Identifier: BSL-1.0
// File: fuzz/reconcile_fuzz.cpp
//
// libFuzzer target `reconcile` (scripts/fuzz reconcile SECONDS, docs/testing.md): whole
// reconciles of small fleets decoded from the input against the shipped Microsoft pack. The
// bytes are read as choices (every byte value a valid choice), so nearly every input is a fleet
// that reads: up to 8 devices (PCs, servers of 1-4 processors and 2-64 cores, VMs on a server,
// some leased or retired), up to 16 installs of the pack's own products and up to 10 licences
// of every channel, with and without prices. Besides fuzz/fuzz_support.hpp's checks of the
// engines' invariants, the report must not depend on row order: the same fleet with the rows of
// every table reversed gives a byte-identical JSON report.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "trueup/io/readers.hpp"

namespace {

/// The input as a sequence of choices; past its end every choice is 0.
class Choices {
 public:
  Choices(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  /// A value in [0, n). \pre n > 0.
  std::size_t pick(std::size_t n) { return (i_ < size_ ? data_[i_++] : 0) % n; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t i_ = 0;
};

std::string title_of(const trueup::Family& f, std::size_t version, std::size_t edition) {
  std::string t = f.display;
  for (const auto& [key, value] : {std::pair<std::string, std::string>{"{family}", f.name},
                                   {"{version}", f.versions[version].name},
                                   {"{edition}", f.editions[edition].name}}) {
    if (const auto at = t.find(key); at != std::string::npos) t.replace(at, key.size(), value);
  }
  return "Microsoft " + t;
}

struct Tables {
  std::vector<std::string> devices, installs, entitlements;
};

Tables decode(Choices& in, const trueup::RulePack& pack) {
  Tables t;
  const std::size_t devices = 1 + in.pick(8);
  std::string server;  // the first server: the host of every VM
  for (std::size_t d = 0; d < devices; ++d) {
    static constexpr std::string_view kinds[] = {"desktop", "laptop", "server", "vm"};
    std::string_view kind = kinds[in.pick(4)];
    if (kind == "vm" && server.empty()) kind = "server";
    const std::string id = "D-" + std::to_string(d);
    const bool host_metric = kind == "server" || kind == "vm";
    static constexpr int cores[] = {2, 4, 8, 12, 16, 24, 32, 64};
    t.devices.push_back(id + "," + std::string(kind) + "," + (in.pick(6) == 0 ? "leased" : "owned") + "," +
                        (in.pick(6) == 0 ? "retired,2026-01-15" : "active,") + "," +
                        (host_metric && kind != "vm" ? std::to_string(1 + in.pick(4)) : "") + "," +
                        (host_metric ? std::to_string(cores[in.pick(8)]) : "") + "," + (kind == "vm" ? server : "") +
                        "," + "user" + std::to_string(in.pick(3)));
    if (kind == "server" && server.empty()) server = id;
  }
  auto product = [&](std::size_t& f, std::size_t& v, std::size_t& e) {
    f = in.pick(pack.families.size());
    v = in.pick(pack.families[f].versions.size());
    e = in.pick(pack.families[f].editions.size());
  };
  const std::size_t installs = in.pick(17);
  for (std::size_t i = 0; i < installs; ++i) {
    std::size_t f = 0, v = 0, e = 0;
    product(f, v, e);
    t.installs.push_back("I-" + std::to_string(i) + ",D-" + std::to_string(in.pick(devices)) + ",\"" +
                         title_of(pack.families[f], v, e) + "\",Microsoft Corporation");
  }
  const std::size_t licences = in.pick(11);
  for (std::size_t l = 0; l < licences; ++l) {
    std::size_t f = 0, v = 0, e = 0;
    product(f, v, e);
    static constexpr std::string_view channels[] = {"oem", "retail", "volume", "volume"};
    const std::string_view channel = channels[in.pick(4)];
    static constexpr int quantities[] = {0, 1, 1, 2, 2, 4, 16, 48};
    const std::string device = channel == "volume" ? "" : "D-" + std::to_string(in.pick(devices));
    const std::size_t price = in.pick(4);
    const trueup::Family& fam = pack.families[f];
    t.entitlements.push_back("L-" + std::to_string(l) + "," + fam.id + ",\"" + fam.versions[v].name + "\",\"" +
                             fam.editions[e].name + "\"," + std::string(channel) + "," +
                             std::to_string(quantities[in.pick(8)]) + "," + device + "," +
                             (price == 0 ? "," : std::to_string(price * 100) + ".00,EUR"));
  }
  return t;
}

trueup::io::FleetSources sources(const Tables& t, bool reversed) {
  auto join = [reversed](std::string header, std::vector<std::string> rows) {
    if (reversed) std::reverse(rows.begin(), rows.end());
    for (const auto& r : rows) header += r + "\n";
    return header;
  };
  trueup::io::FleetSources s;
  s.devices = join("device_id,kind,ownership,status,status_date,processors,cores,host,primary_user\n", t.devices);
  s.installs = join("install_id,device_id,title,publisher\n", t.installs);
  s.entitlements =
      join("licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency\n", t.entitlements);
  return s;
}

/// The JSON report of one reconcile, after the engines' invariants are checked.
std::string reconciled(const trueup::io::FleetRead& read) {
  const trueup::RulePack& pack = trueup::fuzz::microsoft_pack();
  trueup::ReconcileOptions options;
  options.as_of = trueup::Date::from_ymd(2026, 6, 30);
  options.record_assignments = true;
  return trueup::fuzz::check_position(trueup::reconcile(pack, read.fleet, options), pack, read.fleet);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const trueup::RulePack& pack = trueup::fuzz::microsoft_pack();
  Choices in(data, size);
  const Tables tables = decode(in, pack);
  const auto read = trueup::io::parse_fleet(sources(tables, false), pack);
  trueup::fuzz::check_printable(read ? read->warnings : read.error());
  if (!read) return 0;
  std::string json;
  try {
    json = reconciled(*read);
  } catch (const std::exception& e) {  // a broken invariant: show the fleet that broke it
    const trueup::io::FleetSources s = sources(tables, false);
    std::fprintf(stderr, "%s\n%s%s%s", e.what(), s.devices.c_str(), s.installs.c_str(), s.entitlements.c_str());
    throw;
  }

  const auto reversed = trueup::io::parse_fleet(sources(tables, true), pack);
  if (!reversed) trueup::fuzz::fail("the fleet in reverse row order does not read", json);
  if (reconciled(*reversed) != json)
    trueup::fuzz::fail("the report depends on row order", sources(tables, false).devices);
  return 0;
}
