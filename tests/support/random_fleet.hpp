// SPDX-License-Identifier: BSL-1.0
// File: tests/support/random_fleet.hpp
//
// Fixed-seed random fleets for the shipped Microsoft pack, as the CSV rows a user writes, for
// the property tests (tests/position/properties_test.cpp): PCs and laptops, servers of 1-4
// processors and 2-64 cores, VMs on a server, some leased or retired; installs of the pack's own
// products (titles from its display templates, some repeated on one device, some another
// publisher's); licences of every channel with and without prices, OEM and retail ones bound to
// a device. Draws go through `uniform` (tests/support/random_instances.hpp), so a seed gives the
// same fleet everywhere. The transformations the properties need work on the rows: the same
// fleet with its rows shuffled, with its ids renamed, with a licence more, an install less.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "support/random_instances.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/catalog.hpp"

namespace trueup::test {

/// One table's row: its id (the first column) and the other columns, joined with commas.
struct Row {
  std::string id;
  std::vector<std::string> refs;  ///< ids of devices the row names (devices: the VM host)
  std::string rest;               ///< the columns after the id, with "{0}", "{1}" for refs

  [[nodiscard]] std::string csv() const {
    std::string out = id + "," + rest;
    for (std::size_t k = 0; k < refs.size(); ++k) {
      const std::string mark = "{" + std::to_string(k) + "}";
      if (const auto at = out.find(mark); at != std::string::npos) out.replace(at, mark.size(), refs[k]);
    }
    return out;
  }
};

struct FleetRows {
  std::vector<Row> devices, installs, entitlements;

  [[nodiscard]] io::FleetSources sources() const {
    auto join = [](std::string header, const std::vector<Row>& rows) {
      for (const Row& r : rows) header += r.csv() + "\n";
      return header;
    };
    io::FleetSources s;
    s.devices = join("device_id,kind,ownership,status,status_date,processors,cores,host\n", devices);
    s.installs = join("install_id,device_id,title,publisher\n", installs);
    s.entitlements =
        join("licence_id,family,version,edition,channel,quantity,device_id,unit_cost,currency\n", entitlements);
    return s;
  }
};

/// Bounds for `random_fleet`; every bound is inclusive.
struct FleetShape {
  std::uint32_t max_devices = 6;
  std::uint32_t max_installs = 12;
  std::uint32_t max_entitlements = 8;
};

/// The pack's display name of a product ("{family} {edition} {version}" by default), as an
/// inventory titles it.
inline std::string product_title(const Family& f, std::size_t version, std::size_t edition) {
  std::string t = f.display;
  const std::pair<std::string, std::string> fields[] = {
      {"{family}", f.name}, {"{version}", f.versions[version].name}, {"{edition}", f.editions[edition].name}};
  for (const auto& field : fields)
    if (const auto at = t.find(field.first); at != std::string::npos) t.replace(at, field.first.size(), field.second);
  return "Microsoft " + t;
}

inline FleetRows random_fleet(std::mt19937& rng, const RulePack& pack, const FleetShape& shape = {}) {
  FleetRows f;
  const auto devices = uniform(rng, 1, shape.max_devices);
  std::vector<std::string> servers;  // the servers so far: a VM's host is one of them
  for (std::int64_t d = 0; d < devices; ++d) {
    static constexpr const char* kinds[] = {"desktop", "laptop", "server", "vm"};
    std::string kind = kinds[uniform(rng, 0, 3)];
    if (kind == "vm" && servers.empty()) kind = "server";
    Row r{"D-" + std::to_string(d + 1), {}, kind + ","};
    r.rest += chance(rng, 12) ? "leased," : "owned,";
    r.rest += chance(rng, 12) ? "retired,2026-01-15," : "active,,";
    static constexpr int cores[] = {2, 4, 8, 12, 16, 24, 32, 64};
    if (kind == "server") r.rest += std::to_string(uniform(rng, 1, 4));
    r.rest += ",";
    if (kind == "server" || kind == "vm") r.rest += std::to_string(cores[uniform(rng, 0, 7)]);
    r.rest += ",";
    if (kind == "vm") {
      r.refs.push_back(
          servers[static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(servers.size()) - 1))]);
      r.rest += "{0}";
    }
    if (kind == "server") servers.push_back(r.id);
    f.devices.push_back(std::move(r));
  }
  auto device = [&] { return f.devices[static_cast<std::size_t>(uniform(rng, 0, devices - 1))].id; };
  struct Product {
    std::size_t family, version, edition;
  };
  auto product = [&] {
    const auto fi = static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(pack.families.size()) - 1));
    const Family& fam = pack.families[fi];
    return Product{fi, static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(fam.versions.size()) - 1)),
                   static_cast<std::size_t>(uniform(rng, 0, static_cast<std::int64_t>(fam.editions.size()) - 1))};
  };
  const auto installs = uniform(rng, 0, shape.max_installs);
  for (std::int64_t i = 0; i < installs; ++i) {
    const Product p = product();
    const bool other = chance(rng, 8);
    const std::string title =
        other ? "Initech Office Suite 2019" : product_title(pack.families[p.family], p.version, p.edition);
    // A second copy of an earlier install's product on its device now and then (a duplicate).
    if (i > 0 && chance(rng, 20)) {
      f.installs.push_back(f.installs[static_cast<std::size_t>(uniform(rng, 0, i - 1))]);
      f.installs.back().id = "I-" + std::to_string(i + 1);
      continue;
    }
    f.installs.push_back({"I-" + std::to_string(i + 1),
                          {device()},
                          "{0},\"" + title + "\"," + (other ? "Initech" : "Microsoft Corporation")});
  }
  const auto entitlements = uniform(rng, 0, shape.max_entitlements);
  for (std::int64_t e = 0; e < entitlements; ++e) {
    const Product p = product();
    const Family& fam = pack.families[p.family];
    static constexpr const char* channels[] = {"oem", "retail", "volume", "volume"};
    const std::string channel = channels[uniform(rng, 0, 3)];
    static constexpr int quantities[] = {0, 1, 1, 2, 2, 4, 16, 48};
    Row r{"L-" + std::to_string(e + 1), {}, ""};
    r.rest = fam.id + ",\"" + fam.versions[p.version].name + "\",\"" + fam.editions[p.edition].name + "\"," + channel +
             "," + std::to_string(quantities[uniform(rng, 0, 7)]) + ",";
    if (channel == "oem" || (channel == "retail" && chance(rng, 50))) {
      r.refs.push_back(device());
      r.rest += "{0}";
    }
    const auto price = uniform(rng, 0, 3);
    r.rest += price == 0 ? ",," : "," + std::to_string(price * 100) + ".00,EUR";
    f.entitlements.push_back(std::move(r));
  }
  return f;
}

/// The same fleet with the rows of every table in a random order.
inline FleetRows shuffled_rows(FleetRows f, std::mt19937& rng) {
  shuffle_in_place(f.devices, rng);
  shuffle_in_place(f.installs, rng);
  shuffle_in_place(f.entitlements, rng);
  return f;
}

/// The same fleet with every device, install and licence id replaced by another (`prefix` in
/// front, the number reversed), the references renamed alike.
inline FleetRows renamed(FleetRows f, const std::string& prefix) {
  auto rename = [&](std::string id) {
    std::reverse(id.begin(), id.end());
    return prefix + id;
  };
  for (auto* table : {&f.devices, &f.installs, &f.entitlements})
    for (Row& r : *table) {
      r.id = rename(r.id);
      for (std::string& ref : r.refs) ref = rename(ref);
    }
  return f;
}

}  // namespace trueup::test
