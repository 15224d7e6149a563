// SPDX-License-Identifier: BSL-1.0
// File: bench/fleet_generator.hpp
//
// A fixed-seed generator of realistic fleets for the benchmarks: the three CSV texts
// (devices.csv, installs.csv, entitlements.csv, in the columns of docs/formats.md) for a
// target number of install rows, held in memory and optionally written to a directory.
// The same (size, seed) gives the same bytes on every platform: the only randomness is
// std::mt19937_64 with an explicit seed, and every draw goes through integer arithmetic
// defined here (no std::*_distribution, whose output the standard leaves to the library).
//
// What the fleet contains, and the rule each part exercises (licensing-rules.md):
// - desktops and laptops running Windows 7, 8.1, 10 or 11, most with the OEM licence they came
//   with bound to them (O1, O8); Windows 7 on a PC that came with 10 Pro runs under the OEM
//   downgrade right (§5.2); Enterprise installs need volume upgrade licences;
// - Office 2010-2024 in several editions, bought as volume pools whose versions are often
//   newer than the installs (downgrade D1-D3), or as retail licences of one unit (R1, R5),
//   some recorded on PCs since retired (the "moved retail licence" audit claim);
// - re-installs and side-by-side versions on the same device (X4, X5: one demand);
// - leased, rented and personal devices (X1), retired and failed ones (O8);
// - components (updates, redistributables) and other publishers' rows (LibreOffice, X7);
// - a few physical servers and their virtual machines with Windows Server 2008 R2 (per
//   server), 2012 R2 (per processor) and 2016-2025 (per core, WS1-WS3), licensed by core
//   and processor volume licences with downgrade and down-edition rights (§5.3);
// - users with several devices: a PC's primary user is often one who has another device
//   already (a laptop next to a desktop); some users run Microsoft 365 Apps, on PCs and on
//   tablets and phones, licensed per user (DT3) by subscription, with a few per-device
//   subscriptions;
// - unit costs in EUR (synthetic list prices, not quotes) on most licences, none on a few.
//
// Entitlements: one OEM record per PC that came with Windows (and a few OEM servers), plus
// about one purchase record (volume, retail, subscription) per 50 install rows, 20,000 at a
// million, buying 80-105 % of each product's in-scope demand, so that a realistic part of the
// fleet is short.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "trueup/io/readers.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/result.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup::bench {

inline constexpr std::uint64_t default_seed = 0x7275'6575'7031ULL;  // "trueup1"

/// The generated CSV texts, ready for io::parse_fleet, and their row counts (headers excluded).
struct GeneratedFleet {
  io::FleetSources csv;
  std::size_t devices = 0;
  std::size_t installs = 0;
  std::size_t entitlements = 0;
  std::size_t oem_entitlements = 0;
};

class FleetGenerator {
 public:
  FleetGenerator(std::size_t install_rows, std::uint64_t seed) : target_(install_rows), rng_(seed) {}

  [[nodiscard]] GeneratedFleet run() {
    out_.csv.devices = "device_id,hostname,kind,ownership,status,status_date,primary_user,processors,cores,host\n";
    out_.csv.installs = "install_id,device_id,title,publisher,version,first_seen,last_seen\n";
    out_.csv.entitlements =
        "licence_id,family,version,edition,channel,quantity,device_id,sku,purchase_date,unit_cost,currency,"
        "reference,metric\n";
    // Measured: about 108 bytes of installs.csv, 12 of devices.csv and 18 of entitlements.csv
    // per install row; reserving a little more avoids doubling the largest buffer.
    out_.csv.installs.reserve(target_ * 112 + 64);
    out_.csv.devices.reserve(target_ * 13 + 128);
    out_.csv.entitlements.reserve(target_ * 20 + 128);
    while (out_.installs < target_) {
      if (chance(15, 1000))
        add_server();
      else
        add_client();
    }
    buy_licences();
    return std::move(out_);
  }

 private:
  // --- Catalogue (names as the Microsoft rule pack spells them) --------------------------------
  struct Version {
    std::string_view name;
    std::string_view build;  // the version string discovery tools report
    int year;
    unsigned weight;  // share of installs, per mille
  };
  static constexpr std::array<Version, 4> windows_versions{{{"7", "6.1.7601", 2009, 40},
                                                            {"8.1", "6.3.9600", 2013, 20},
                                                            {"10", "10.0.19045", 2015, 580},
                                                            {"11", "10.0.22631", 2021, 360}}};
  static constexpr std::array<std::string_view, 3> windows_editions{"Home", "Pro", "Enterprise"};
  static constexpr std::array<Version, 6> office_versions{{{"2010", "14.0.7268.5000", 2010, 40},
                                                           {"2013", "15.0.5589.1000", 2013, 80},
                                                           {"2016", "16.0.5435.1001", 2016, 340},
                                                           {"2019", "16.0.10411.20011", 2019, 300},
                                                           {"2021", "16.0.14332.20615", 2021, 180},
                                                           {"2024", "16.0.17932.20162", 2024, 60}}};
  enum OfficeEdition : std::uint8_t { pro_plus, standard, home_business, home_student, starter };
  static constexpr std::array<std::string_view, 5> office_editions{"Professional Plus", "Standard", "Home and Business",
                                                                   "Home and Student", "Starter"};
  // Licensing model per Windows Server version: 2008 R2 per server (§7.3), 2012 R2 per
  // processor (W12-1), 2016 and later per core (WS1-WS3).
  static constexpr std::array<Version, 6> server_versions{{{"2008 R2", "6.1.7601", 2009, 50},
                                                           {"2012 R2", "6.3.9600", 2013, 200},
                                                           {"2016", "10.0.14393", 2016, 250},
                                                           {"2019", "10.0.17763", 2018, 300},
                                                           {"2022", "10.0.20348", 2021, 180},
                                                           {"2025", "10.0.26100", 2024, 20}}};
  static constexpr std::array<Metric, 6> server_metric{Metric::server, Metric::processor, Metric::core,
                                                       Metric::core,   Metric::core,      Metric::core};
  static constexpr std::array<std::string_view, 3> server_editions{"Essentials", "Standard", "Datacenter"};

  struct Other {
    std::string_view title, publisher, version;
    unsigned per_mille;  // share of PCs that have it
  };
  // Rows that are not licensable Microsoft products: components of licensed products (X5) and
  // other publishers' software (X7), plus Microsoft titles no pack family names.
  static constexpr std::array<Other, 8> other_rows{
      {{"LibreOffice 7.5.9.2", "The Document Foundation", "7.5.9.2", 150},
       {"Adobe Acrobat Reader DC", "Adobe Systems Incorporated", "23.008.20470", 600},
       {"Google Chrome", "Google LLC", "119.0.6045.160", 700},
       {"Mozilla Firefox (x64 en-US)", "Mozilla", "120.0.1", 300},
       {"7-Zip 23.01 (x64)", "Igor Pavlov", "23.01", 400},
       {"Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532", "Microsoft Corporation", "14.36.32532.0",
        500},
       {"Microsoft Edge", "Microsoft Corporation", "119.0.2151.72", 300},
       {"Microsoft .NET Framework 4.8 Targeting Pack", "Microsoft Corporation", "4.8.03761", 100}}};

  static constexpr std::string_view m365_title = "Microsoft 365 Apps for enterprise - en-us";
  static constexpr std::string_view m365_build = "16.0.17328.20162";

  // Products tallied for buying: (family 0 windows / 1 office / 2 server, version, edition).
  using Key = std::tuple<int, int, int>;
  static constexpr int windows = 0, office = 1, server = 2;

  // --- Deterministic draws ------------------------------------------------------------------------
  std::uint64_t below(std::uint64_t n) { return rng_() % n; }  // modulo bias < 2^-40 here
  bool chance(std::uint64_t num, std::uint64_t den) { return below(den) < num; }
  template <class Table>
  int pick(const Table& t) {
    unsigned total = 0;
    for (const auto& v : t) total += v.weight;
    auto r = static_cast<unsigned>(below(total));
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (r < t[i].weight) return static_cast<int>(i);
      r -= t[i].weight;
    }
    return static_cast<int>(t.size()) - 1;
  }
  Date date_between(Date from, Date to) {
    return Date{from.days + static_cast<std::int32_t>(below(static_cast<std::uint64_t>(to.days - from.days) + 1))};
  }
  static Date jan1(int year) { return Date::from_ymd(year, 1, 1); }

  // --- Devices and their installs -----------------------------------------------------------------
  struct DeviceFacts {
    std::string id;
    std::string user;
    bool in_scope = true;  // owned and active: its installs demand licences
    Date last_seen;
  };

  DeviceFacts add_device(std::string_view prefix, std::string_view kind, std::uint32_t processors, std::uint32_t cores,
                         std::string_view host, bool is_client, std::string_view user = {}) {
    const std::size_t n = ++out_.devices;
    DeviceFacts d{fmt::format("DEV{:07}", n), {}, true, Date::from_ymd(2025, 10, 31)};
    std::string_view ownership = "owned";
    if (is_client) {
      const auto o = below(1000);
      ownership = o < 100 ? "leased" : o < 110 ? "rented" : o < 120 ? "personal" : "owned";
    }
    std::string_view status = "active";
    std::string status_date;
    const auto s = below(1000);
    if (s < 80) {
      status = s < 60 ? "retired" : "failed";
      const Date when = date_between(jan1(2022), Date::from_ymd(2025, 9, 30));
      status_date = when.iso();
      d.last_seen = when;
    }
    d.in_scope = ownership == "owned" && status == "active";
    // A third of clients belong to the previous client's user: users with several devices.
    if (is_client) d.user = !user_.empty() && chance(33, 100) ? user_ : user_ = fmt::format("user{:07}", ++users_);
    if (!user.empty()) d.user = user;
    fmt::format_to(std::back_inserter(out_.csv.devices), "{},{}-{:06},{},{},{},{},{},{},{},{}\n", d.id, prefix, n, kind,
                   ownership, status, status_date, d.user, processors, cores, host);
    return d;
  }

  void add_install(const DeviceFacts& d, std::string_view title, std::string_view publisher, std::string_view version) {
    if (out_.installs >= target_) return;
    const std::size_t n = ++out_.installs;
    const Date first = date_between(jan1(2018), Date{d.last_seen.days - 30});
    const Date last = date_between(Date{first.days + 30}, d.last_seen);
    fmt::format_to(std::back_inserter(out_.csv.installs), "INS{:08},{},{},{},{},{},{}\n", n, d.id, title, publisher,
                   version, first.iso(), last.iso());
  }

  void add_oem(const DeviceFacts& d, int family, int version, int edition, Units quantity, std::string_view sku,
               std::int64_t cents, int year) {
    const std::size_t n = ++oem_;
    const std::string_view fam = family == windows ? "windows" : "windows-server";
    const std::string_view ver = family == windows ? windows_versions[version].name : server_versions[version].name;
    const std::string_view ed = family == windows ? windows_editions[edition] : server_editions[edition];
    const Date bought = date_between(jan1(year), Date::from_ymd(2025, 6, 30));
    fmt::format_to(std::back_inserter(oem_csv_), "OEM-{:07},{},{},{},oem,{},{},{},{},{}.{:02},EUR,INV-{}-{:06},\n", n,
                   fam, ver, ed, quantity, d.id, sku, bought.iso(), cents / 100, cents % 100, bought.iso().substr(0, 4),
                   below(1'000'000));
  }

  void add_client() {
    const bool laptop = chance(45, 100);
    const DeviceFacts d = add_device(laptop ? "NB" : "PC", laptop ? "laptop" : "desktop", 1,
                                     static_cast<std::uint32_t>(4 + 2 * below(3)), "", true);
    std::vector<int> order;  // rows of this PC, shuffled so that duplicates are not adjacent

    // Windows: the edition installed, and the OEM licence the PC came with (85 %).
    const int wv = pick(windows_versions);
    const auto we_roll = below(1000);
    const int we = we_roll < 40 ? 0 : we_roll < 860 ? 1 : 2;
    const std::string wtitle =
        fmt::format("Microsoft Windows {} {}", windows_versions[wv].name,
                    wv == 0 && we == 1 ? std::string_view("Professional") : windows_editions[we]);
    add_install(d, wtitle, "Microsoft Corporation", windows_versions[wv].build);
    if (d.in_scope) demand_[{windows, wv, we}] += 1;
    if (chance(85, 100)) {
      // The OEM licence is Home for Home PCs and Pro otherwise (Enterprise is a volume upgrade,
      // O4). A Windows 7 PC usually came with 10 Pro and runs 7 under its downgrade right.
      const int oem_edition = we == 0 ? 0 : 1;
      const int oem_version = wv == 0 && we != 0 && chance(7, 10) ? 2 : wv;
      add_oem(d, windows, oem_version, oem_edition, 1, oem_edition == 0 ? "GEN-WIN-HOME-OEM" : "GEN-WIN-PRO-OEM",
              oem_edition == 0 ? 10900 : 14500, windows_versions[oem_version].year);
      if (d.in_scope && oem_edition == we && oem_version >= wv) oem_fits_[{windows, wv, we}] += 1;
    }

    // Microsoft 365 Apps on 15 % of PCs, sometimes also on the user's tablet or phone
    // (licensed per user, DT3); perpetual Office on 70 %, sometimes twice (re-install) or
    // beside an older version.
    const auto suite = below(100);
    if (suite < 15) {
      add_install(d, m365_title, "Microsoft Corporation", m365_build);
      if (d.in_scope) m365_users_.insert(d.user);
      if (chance(20, 100)) {
        const bool tablet = chance(6, 10);
        const DeviceFacts t = add_device(tablet ? "TAB" : "PH", tablet ? "tablet" : "phone", 0, 0, "", false, d.user);
        add_install(t, m365_title, "Microsoft Corporation", m365_build);
      }
    } else if (suite < 85) {
      const int ov = pick(office_versions);
      const auto r = below(1000);
      int oe = r < 520 ? pro_plus : r < 860 ? standard : r < 960 ? home_business : home_student;
      if (ov == 0 && chance(3, 10)) oe = starter;
      const std::string title = fmt::format("Microsoft Office {} {}", office_editions[oe], office_versions[ov].name);
      add_install(d, title, "Microsoft Corporation", office_versions[ov].build);
      int demand_v = ov, demand_e = oe;
      if (chance(5, 100)) add_install(d, title, "Microsoft Corporation", office_versions[ov].build);
      if (ov > 0 && oe != starter && chance(3, 100)) {
        const int older = static_cast<int>(below(static_cast<std::uint64_t>(ov)));
        add_install(d, fmt::format("Microsoft Office {} {}", office_editions[oe], office_versions[older].name),
                    "Microsoft Corporation", office_versions[older].build);
      }
      if (chance(40, 100))
        add_install(d,
                    fmt::format("Update for Microsoft Office {} (KB{}) 32-Bit Edition", office_versions[ov].name,
                                4'000'000 + below(1'000'000)),
                    "Microsoft Corporation", "");
      if (d.in_scope && oe != starter) {
        demand_[{office, demand_v, demand_e}] += 1;
        if (oe == home_business || oe == home_student) retail_devices_[{office, demand_v, demand_e}].push_back(d.id);
      }
    }
    for (const auto& o : other_rows)
      if (below(1000) < o.per_mille) add_install(d, o.title, o.publisher, o.version);
    if (!d.in_scope && d.last_seen < Date::from_ymd(2025, 1, 1)) retired_.push_back(d.id);
  }

  void add_server() {
    const std::uint32_t procs = chance(8, 10) ? 2 : 1;
    const std::uint32_t cores = procs * static_cast<std::uint32_t>(8 + 4 * below(4));
    const DeviceFacts host = add_device("SRV", "server", procs, cores, "", false);
    add_server_os(host, procs, cores, true);
    const auto vms = below(4);
    for (std::uint64_t i = 0; i < vms && out_.installs < target_; ++i) {
      const std::uint32_t vcores = static_cast<std::uint32_t>(2 + 2 * below(4));
      const DeviceFacts vm = add_device("VM", "vm", 1, vcores, host.id, false);
      add_server_os(vm, 1, vcores, false);
      add_install(vm, "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.36.32532", "Microsoft Corporation",
                  "14.36.32532.0");
    }
  }

  void add_server_os(const DeviceFacts& d, std::uint32_t procs, std::uint32_t cores, bool physical) {
    const int v = pick(server_versions);
    const auto r = below(100);
    const int e = r < 5 ? 0 : r < 75 ? 1 : 2;
    add_install(d, fmt::format("Microsoft Windows Server {} {}", server_versions[v].name, server_editions[e]),
                "Microsoft Corporation", server_versions[v].build);
    // Sizing only (the purchases follow demand): one OSE under the version's own model.
    const Units units = server_metric[v] == Metric::core        ? std::max<Units>({16, 8 * Units{procs}, cores})
                        : server_metric[v] == Metric::processor ? (procs + 1) / 2
                                                                : 1;
    if (d.in_scope) demand_[{server, v, e}] += units;
    if (physical && server_metric[v] == Metric::core && chance(3, 10)) {
      add_oem(d, server, v, e, units, "GEN-WS-CORE-OEM", e == 2 ? 38000 : 5500, server_versions[v].year);
      if (d.in_scope) oem_fits_[{server, v, e}] += units;
    }
  }

  // --- Purchases ------------------------------------------------------------------------------------
  // Unit prices in euro cents (synthetic): per device, per processor licence or per core.
  static std::int64_t price(int family, int version, int edition) {
    if (family == windows) return edition == 2 ? 21000 : edition == 1 ? 19900 : 12900;
    if (family == office) {
      constexpr std::array<std::int64_t, 4> base{48000, 33000, 27900, 14900};
      return base[static_cast<std::size_t>(edition)] + 1500 * version;
    }
    switch (server_metric[static_cast<std::size_t>(version)]) {
      case Metric::core: return edition == 2 ? 38000 : edition == 1 ? 5500 : 2500;
      case Metric::processor: return edition == 2 ? 615000 : 88200;
      default: return edition == 2 ? 240000 : 90000;
    }
  }
  static std::string_view family_id(int f) {
    return f == windows ? "windows" : f == office ? "office" : "windows-server";
  }
  static std::string_view version_name(int f, int v) {
    const auto i = static_cast<std::size_t>(v);
    return f == windows ? windows_versions[i].name : f == office ? office_versions[i].name : server_versions[i].name;
  }
  static std::string_view edition_name(int f, int e) {
    const auto i = static_cast<std::size_t>(e);
    return f == windows ? windows_editions[i] : f == office ? office_editions[i] : server_editions[i];
  }
  static int version_year(int f, int v) {
    const auto i = static_cast<std::size_t>(v);
    return f == windows ? windows_versions[i].year : f == office ? office_versions[i].year : server_versions[i].year;
  }
  // A volume purchase may be for a newer version of the same licensing model (downgrade, D1).
  int bump(int f, int v) {
    const auto r = below(100);
    const int steps = r < 55 ? 0 : r < 85 ? 1 : 2;
    int top = f == windows ? 3 : f == office ? 5 : 5;
    if (f == server && server_metric[static_cast<std::size_t>(v)] != Metric::core) top = v;
    return std::min(v + steps, top);
  }

  void line(std::string_view kind, int f, int v, int e, std::string_view channel, Units quantity,
            std::string_view device) {
    row(kind, family_id(f), version_name(f, v), edition_name(f, e),
        fmt::format("GEN-{}-{}-{}-{}", family_id(f), v, e, channel), std::max(version_year(f, v), 2015), price(f, v, e),
        channel, quantity, device, "");
  }

  void row(std::string_view kind, std::string_view family, std::string_view version, std::string_view edition,
           std::string_view sku, int from_year, std::int64_t list_price, std::string_view channel, Units quantity,
           std::string_view device, std::string_view metric) {
    const std::size_t n = ++lines_;
    const Date bought = date_between(jan1(from_year), Date::from_ymd(2025, 6, 30));
    const std::string year = bought.iso().substr(0, 4);
    std::string cost;
    if (!chance(3, 100)) {  // a few records carry no price
      const std::int64_t c = list_price * static_cast<std::int64_t>(90 + below(21)) / 100;
      cost = fmt::format("{}.{:02}", c / 100, c % 100);
    }
    fmt::format_to(std::back_inserter(lines_csv_), "{}-{:07},{},{},{},{},{},{},{},{},{},{},{}-{}-{:05},{}\n", kind, n,
                   family, version, edition, channel, quantity, device, sku, bought.iso(), cost,
                   cost.empty() ? "" : "EUR", kind == "VL" ? "EA" : "INV", year, below(100'000), metric);
  }

  void buy_licences() {
    // Retail Office (Home and Business / Home and Student): one unit per record, exact
    // version (no downgrade for retail, R4); most on the PC that runs it, some still recorded
    // on a retired PC they were moved from (R5), a few on no PC at all.
    std::size_t retail_records = 0;
    for (const auto& [key, devices] : retail_devices_) {
      const auto& [f, v, e] = key;
      for (const auto& dev : devices) {
        if (!chance(90, 100)) continue;
        const auto r = below(100);
        const std::string_view where = r < 85 || retired_.empty() ? std::string_view(dev)
                                       : r < 95                   ? std::string_view(retired_[below(retired_.size())])
                                                                  : std::string_view();
        line("RT", f, v, e, "retail", 1, where);
        ++retail_records;
      }
    }
    // Microsoft 365 Apps: user subscriptions for 80-100 % of its users, in records of up to
    // 250 users, and device subscriptions for a few shared devices.
    std::size_t m365_records = 0;
    if (!m365_users_.empty()) {
      auto users = static_cast<Units>(m365_users_.size() * (80 + below(21)) / 100);
      while (users > 0) {
        const Units q = std::min<Units>(users, static_cast<Units>(50 + below(201)));
        row("SUB", "m365-apps", "current", "enterprise", "GEN-M365-APPS-E-USER", 2020, 14400, "subscription", q, "",
            "user");
        users -= q;
        ++m365_records;
      }
      row("SUB", "m365-apps", "current", "enterprise", "GEN-M365-APPS-E-DEVICE", 2020, 15000, "subscription",
          static_cast<Units>(m365_users_.size() / 50 + 1), "", "device");
      ++m365_records;
    }
    retail_records += m365_records;

    // Volume: what in-scope demand is left after OEM and retail, 80-105 % of it.
    std::map<Key, Units> need;
    for (const auto& [key, units] : demand_) {
      const auto& [f, v, e] = key;
      if (f == office && (e == home_business || e == home_student)) continue;
      if (f == windows && e == 0) continue;  // Home is not sold through volume licensing
      const auto fit = oem_fits_.find(key);
      Units u = units - (fit == oem_fits_.end() ? 0 : fit->second);
      u = u * static_cast<Units>(80 + below(26)) / 100;
      if (u > 0) need[key] = u;
    }
    const std::size_t budget = std::max<std::size_t>(need.size(), std::max<std::size_t>(target_ / 50, 1));
    const std::size_t volume_records = std::max(need.size(), budget > retail_records ? budget - retail_records : 0);
    Units total = 0;
    for (const auto& [key, u] : need) total += u;
    for (const auto& [key, u] : need) {
      const auto& [f, v, e] = key;
      // Lines for this product, in proportion to its units (at least one, at most one per unit).
      auto k = static_cast<Units>(static_cast<double>(volume_records) * static_cast<double>(u) /
                                  static_cast<double>(std::max<Units>(total, 1)));
      k = std::clamp<Units>(k, 1, u);
      std::vector<Units> weights(static_cast<std::size_t>(k));
      Units wsum = 0;
      for (auto& w : weights) wsum += w = static_cast<Units>(1 + below(9));
      Units left = u;
      for (std::size_t i = 0; i < weights.size(); ++i) {
        const Units rest = static_cast<Units>(weights.size() - i - 1);
        Units q = i + 1 == weights.size() ? left : std::max<Units>(1, u * weights[i] / wsum);
        q = std::min(q, left - rest);
        left -= q;
        line("VL", f, bump(f, v), e, "volume", q, "");
      }
    }
    out_.oem_entitlements = oem_;
    out_.entitlements = oem_ + lines_;
    out_.csv.entitlements += oem_csv_;
    out_.csv.entitlements += lines_csv_;
  }

  std::size_t target_;
  std::mt19937_64 rng_;
  GeneratedFleet out_;
  std::string oem_csv_, lines_csv_;
  std::size_t oem_ = 0, lines_ = 0;
  std::map<Key, Units> demand_;    // in-scope demand units per installed product
  std::map<Key, Units> oem_fits_;  // ... of which the device's own OEM licence covers
  std::map<Key, std::vector<std::string>> retail_devices_;
  std::vector<std::string> retired_;  // out-of-scope PCs a retail licence may be recorded on
  std::string user_;                  // the last client's user
  std::size_t users_ = 0;
  std::set<std::string> m365_users_;  // in-scope users running Microsoft 365 Apps
};

/// A fleet of exactly `install_rows` install rows; the same (size, seed), the same bytes.
[[nodiscard]] inline GeneratedFleet generate_fleet(std::size_t install_rows, std::uint64_t seed = default_seed) {
  return FleetGenerator(install_rows, seed).run();
}

/// Writes devices.csv, installs.csv and entitlements.csv into `dir` (created if missing).
/// Returns a diagnostic naming the file that could not be written.
[[nodiscard]] inline Result<bool> write_fleet(const GeneratedFleet& fleet, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::array<std::pair<const std::string*, const std::string*>, 3> files{
      {{&fleet.csv.devices_name, &fleet.csv.devices},
       {&fleet.csv.installs_name, &fleet.csv.installs},
       {&fleet.csv.entitlements_name, &fleet.csv.entitlements}}};
  for (const auto& [name, text] : files) {
    const std::filesystem::path path = dir / *name;
    std::ofstream os(path, std::ios::binary | std::ios::trunc);
    os.write(text->data(), static_cast<std::streamsize>(text->size()));
    os.close();
    if (!os)
      return Diagnostics{{Severity::error, path.string(), 0, 0, "cannot-write",
                          "expected a writable file, found an error writing " + path.string()}};
  }
  return true;
}

}  // namespace trueup::bench
