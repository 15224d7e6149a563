// SPDX-License-Identifier: BSL-1.0
// File: src/report/deployment.cpp
//
// The deployment summary's sheets. A product is deployed on a device when an install of it
// there is covered, short or a duplicate (a second copy on the same device, an OSE on a host):
// the installs the position excludes need no licence and are only counted. Devices are told
// apart as licensing needs them: a physical server is licensed by its processors and cores with
// every VM on it (licensing-rules WS1-WS8, W12-1), so a VM running the product counts its host
// among the servers and on the Servers sheet; PCs and other devices are counted per device
// (X4); users are the devices' primary users (per-user licences, DT3).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "report/sheet.hpp"
#include "trueup/report/deployment.hpp"

namespace trueup::report {
namespace {

constexpr std::uint32_t no_host = ~std::uint32_t{0};
constexpr std::size_t listed_vms = 20;

struct ProductUse {
  std::int64_t installs = 0, excluded = 0;
  std::set<std::uint32_t> devices, servers, vms;
  std::set<std::string> users;
};

struct HostUse {
  bool on_host = false;       ///< the product runs on the physical server itself
  std::set<std::string> vms;  ///< VMs on it running the product, by id
};

struct Summary {
  std::map<ProductRef, ProductUse> products;
  std::map<std::pair<ProductRef, std::uint32_t>, HostUse> hosts;  ///< (product, host or no_host)
};

std::shared_ptr<const Summary> summarise(const Position& position, const Fleet& fleet) {
  auto s = std::make_shared<Summary>();
  for (std::size_t i = 0; i < fleet.installs.size(); ++i) {
    const InstallVerdict& v = position.installs[i];
    if (!v.product) continue;
    ProductUse& p = s->products[*v.product];
    if (v.verdict == Verdict::excluded) {
      ++p.excluded;
      continue;
    }
    ++p.installs;
    const DeviceIndex d = fleet.installs[i].device;
    const Device& dev = fleet.device(d);
    if (dev.kind == DeviceKind::virtual_machine) {
      p.vms.insert(d.value);
      const std::uint32_t host = dev.host_index.valid() ? dev.host_index.value : no_host;
      if (host != no_host) p.servers.insert(host);
      s->hosts[{*v.product, host}].vms.insert(dev.id);
    } else if (dev.kind == DeviceKind::server) {
      p.servers.insert(d.value);
      s->hosts[{*v.product, d.value}].on_host = true;
    } else {
      p.devices.insert(d.value);
    }
    if (!dev.primary_user.empty()) p.users.insert(dev.primary_user);
  }
  return s;
}

Cell known(std::uint32_t n) { return n == 0 ? Cell{} : Cell::of(std::int64_t{n}); }

std::vector<Sheet> deployment_sheets(const Position& position, const RulePack& pack, const Fleet& fleet) {
  const std::shared_ptr<const Summary> summary = summarise(position, fleet);
  Sheet products{"Deployment", "deployment.csv", {}, {}};
  products.columns = {{"Product", 34},
                      {"Family", 10},
                      {"Version", 9},
                      {"Edition", 16},
                      {"Installs counted", 10},
                      {"Installs excluded", 10},
                      {"PCs and other devices", 12},
                      {"Physical servers", 10},
                      {"Processors", 11},
                      {"Cores", 9},
                      {"Servers of unknown hardware", 14},
                      {"VMs", 8},
                      {"Users", 8}};
  products.rows = [summary, &pack, &fleet](const RowSink& sink) {
    for (const auto& [ref, use] : summary->products) {
      const Family& f = pack.family(ref.family);
      std::int64_t processors = 0, cores = 0, unknown = 0;
      for (const std::uint32_t h : use.servers) {
        const Device& server = fleet.devices[h];
        processors += server.processors;
        cores += server.cores;
        unknown += server.processors == 0 || server.cores == 0;
      }
      sink({Cell::of(pack.product_name(ref)), Cell::of(f.id), Cell::of(f.versions[ref.version].name),
            Cell::of(f.editions[ref.edition].name), Cell::of(use.installs), Cell::of(use.excluded),
            Cell::of(static_cast<std::int64_t>(use.devices.size())),
            Cell::of(static_cast<std::int64_t>(use.servers.size())), Cell::of(processors), Cell::of(cores),
            Cell::of(unknown), Cell::of(static_cast<std::int64_t>(use.vms.size())),
            Cell::of(static_cast<std::int64_t>(use.users.size()))});
    }
  };
  Sheet hosts{"Servers", "servers.csv", {}, {}};
  hosts.columns = {{"Product", 34},         {"Host", 14},          {"Processors", 11}, {"Cores", 9},
                   {"Runs on the host", 9}, {"VMs running it", 9}, {"VM IDs", 60}};
  hosts.rows = [summary, &pack, &fleet](const RowSink& sink) {
    for (const auto& [key, use] : summary->hosts) {
      const bool known_host = key.second != no_host;
      const Device* host = known_host ? &fleet.devices[key.second] : nullptr;
      std::string ids;
      std::size_t listed = 0;
      for (const std::string& vm : use.vms)
        if (listed++ < listed_vms) ids += (ids.empty() ? "" : ", ") + vm;
      if (use.vms.size() > listed_vms) ids += ", ...";
      sink({Cell::of(pack.product_name(key.first)), Cell::of(host ? host->id : std::string("(host unknown)")),
            host ? known(host->processors) : Cell{}, host ? known(host->cores) : Cell{},
            Cell::of(use.on_host ? "yes" : "no"), Cell::of(static_cast<std::int64_t>(use.vms.size())), Cell::of(ids)});
    }
  };
  return {products, hosts};
}

}  // namespace

std::string format_deployment_table(const Position& position, const RulePack& pack, const Fleet& fleet) {
  return "Deployment as of " + position.as_of.iso() + " (rule pack " + position.rule_pack + ")\n\n" +
         format_sheets_table(deployment_sheets(position, pack, fleet));
}

std::string format_deployment_json(const Position& position, const RulePack& pack, const Fleet& fleet) {
  return format_sheets_json(deployment_sheets(position, pack, fleet), position);
}

Result<bool> write_deployment_xlsx(const std::filesystem::path& path, const Position& position, const RulePack& pack,
                                   const Fleet& fleet) {
  return write_sheets_xlsx(path, deployment_sheets(position, pack, fleet), position.as_of, xlsx_max_rows);
}

}  // namespace trueup::report
