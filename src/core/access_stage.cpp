// SPDX-License-Identifier: BSL-1.0
// File: src/core/access_stage.cpp
//
// Access stage (CAL1, CAL2, CAL3): every access (a user from a device to a server) needs a CAL
// of the server's version or later, for the user or for the device; user and device CALs are
// alternatives. Each CAL family is licensed on its own: the base family (Windows Server CALs)
// for every access, a family with a `service` (RDS CALs) for the accesses through it as well. Which users and devices
// hold CALs, and of which version, is solved exactly as an integer program (solver/detail/glpk_mip.hpp): x(h, l) = 1
// when holder h has a CAL of version l or later, monotone in l; every access at level l needs x(user, l) + x(device, l)
// >= 1; owned CALs cover holders of versions up to their own (Hall's condition on nested sets:
// for every level l, holders needing >= l minus owned CALs of version >= l is what must be
// bought). Objective: fewest CALs to buy, then the lowest cost, then the fewest holders.
// Checked against enumeration of every holder and version on small random estates
// (tests/solver/cal_optimality_test.cpp).
//
// An access whose user and device appear in no other access is a component of its own: it
// needs exactly one CAL of its level, the user's or the device's. Such *lone pairs* (most users
// on their own PC) are counted per level (a_l of t_l by user CALs) instead of two binaries
// each: the same optimum, a program that grows with the shared users and devices only. With
// one mode per server (RDS: Per User or Per Device), a server's lone pairs all take the kind of
// CAL its mode says: counted per (server, level) against one binary m(s) per server.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "core/pricing.hpp"
#include "core/stages.hpp"
#include "solver/detail/glpk_mip.hpp"
#include "trueup/check.hpp"

namespace trueup::core {
namespace {

using detail::LexMip;

/// The accesses to the servers of one CAL family, by (user, device, CAL version level).
struct Accesses {
  std::set<std::tuple<std::string, DeviceIndex, std::uint16_t>> all;
  std::map<std::string, std::set<DeviceIndex>> user_servers;  ///< distinct servers each reaches
  std::map<DeviceIndex, std::set<DeviceIndex>> device_servers;
  std::vector<std::uint16_t> levels;                           ///< distinct, sorted
  std::map<std::string, std::set<std::uint16_t>> user_levels;  ///< shared holders only
  std::map<DeviceIndex, std::set<std::uint16_t>> device_levels;
  std::map<std::uint16_t, std::vector<std::pair<std::string, DeviceIndex>>> lone_pairs;  ///< by level
  std::map<std::string, std::uint32_t> user_uses;
  std::map<DeviceIndex, std::uint32_t> device_uses;
  /// One kind of CAL per server (Family::one_mode_per_server): the accesses that name both a
  /// user and a device, by (server, user, device, level), lone pairs apart. A lone pair that
  /// reaches one server takes its server's kind of CAL: such pairs are counted per (server,
  /// level), the server's mode deciding for all of them (a pair reaching two servers is shared).
  bool one_mode_per_server = false;
  std::set<std::tuple<DeviceIndex, std::string, DeviceIndex, std::uint16_t>> by_server;
  std::map<std::pair<DeviceIndex, std::uint16_t>, std::vector<std::pair<std::string, DeviceIndex>>> lone_at;
  /// The accesses counted apart from the holders' columns (lone pairs, either kind).
  std::set<std::tuple<std::string, DeviceIndex, std::uint16_t>> apart;
  /// Per server, whether an access names only a user (bit 1) or only a device (bit 2): such an
  /// access decides the server's mode (a user's CAL on a Per Device host would be an unnamed
  /// device's); both on one server leave it undecided (a warning names the server).
  std::map<DeviceIndex, unsigned> one_sided;

  [[nodiscard]] bool lone(const std::string& u, DeviceIndex d) const {
    return !u.empty() && d.valid() && user_uses.at(u) == 1 && device_uses.at(d) == 1;
  }
};

Accesses accesses_of(const Run& run, const Family& cal, const Position& pos) {
  // Servers licensed under terms that need no CALs (Essentials, W12-3), and the newest version
  // of the served product each other server runs (in-scope installs only).
  std::set<DeviceIndex> cal_free;
  for (const ServerPosition& sp : pos.servers)
    if (!sp.needs_cals && sp.product.family == *cal.serves) cal_free.insert(sp.device);
  std::map<DeviceIndex, std::uint16_t> server_version;
  for (std::size_t i = 0; i < run.norm.installs.size(); ++i) {
    const InstallDisposition& d = run.norm.installs[i];
    if (d.kind == InstallDisposition::Kind::excluded || d.product.family != *cal.serves) continue;
    if (cal_free.count(run.fleet.installs[i].device) != 0) continue;
    auto [it, fresh] = server_version.try_emplace(run.fleet.installs[i].device, d.product.version);
    if (!fresh) it->second = std::max(it->second, d.product.version);
  }
  // The CAL version a server version needs: the latest released on or before it (CAL2); a
  // server older than every CAL version: any CAL gives access to it.
  const Family& served = run.pack.family(*cal.serves);
  auto cal_level = [&](std::uint16_t v) -> std::uint16_t {
    std::optional<std::uint16_t> best;
    for (std::size_t c = 0; c < cal.versions.size(); ++c)
      if (!(served.versions[v].released < cal.versions[c].released)) best = static_cast<std::uint16_t>(c);
    return best.value_or(std::uint16_t{0});
  };
  Accesses a;
  a.one_mode_per_server = cal.one_mode_per_server;
  for (const Access& x : run.fleet.access) {
    // CAL3: a service's CALs (RDS) are additive: needed by the accesses through that service,
    // which need the base CALs (a family without a service) like every other access.
    if (!cal.service.empty() && x.service != cal.service) continue;
    const auto sv = server_version.find(x.server);
    if (sv == server_version.end()) continue;  // the server runs no licensed server product
    a.all.emplace(x.user, x.device, cal_level(sv->second));
    if (a.one_mode_per_server && !x.user.empty() && x.device.valid())
      a.by_server.emplace(x.server, x.user, x.device, cal_level(sv->second));
    else if (a.one_mode_per_server)
      a.one_sided[x.server] |= x.user.empty() ? 2U : 1U;
    if (!x.user.empty()) a.user_servers[x.user].insert(x.server);
    if (x.device.valid()) a.device_servers[x.device].insert(x.server);
  }
  for (const auto& [u, d, l] : a.all) {
    if (!u.empty()) ++a.user_uses[u];
    if (d.valid()) ++a.device_uses[d];
  }
  std::map<std::tuple<std::string, DeviceIndex, std::uint16_t>, std::vector<DeviceIndex>> pair_servers;
  for (const auto& [s, u, d, l] : a.by_server) pair_servers[{u, d, l}].push_back(s);
  for (const auto& [u, d, l] : a.all) {
    a.levels.push_back(l);
    if (a.lone(u, d) && !a.one_mode_per_server) {
      a.lone_pairs[l].emplace_back(u, d);
      a.apart.emplace(u, d, l);
      continue;
    }
    if (const auto ps = pair_servers.find({u, d, l});
        a.lone(u, d) && ps != pair_servers.end() && ps->second.size() == 1) {
      a.lone_at[{ps->second.front(), l}].emplace_back(u, d);
      a.by_server.erase({ps->second.front(), u, d, l});
      a.apart.emplace(u, d, l);
      continue;
    }
    if (!u.empty()) a.user_levels[u].insert(l);
    if (d.valid()) a.device_levels[d].insert(l);
  }
  std::sort(a.levels.begin(), a.levels.end());
  a.levels.erase(std::unique(a.levels.begin(), a.levels.end()), a.levels.end());
  return a;
}

/// The integer program and its columns.
struct Program {
  LexMip mip;
  std::map<std::pair<std::string, std::uint16_t>, int> xu;
  std::map<std::pair<DeviceIndex, std::uint16_t>, int> xd;
  std::map<std::uint16_t, int> lone_by_user;         ///< level -> a_l
  std::map<DeviceIndex, int> mode;                   ///< one mode per server: m(s), 1 = user CALs
  std::vector<std::optional<Quote>> level_price[2];  ///< user_cal, device_cal; per level
  bool priced = true;
};

Program program(const Run& run, FamilyIndex cal_family, const Accesses& a, const std::vector<std::size_t> (&pools)[2],
                const Work& work) {
  Program p;
  // x(h, l) per level h accesses, monotone: a CAL of a later version covers the earlier ones.
  auto holder_columns = [&](const auto& levels_of, auto& columns) {
    for (const auto& [h, ls] : levels_of) {
      int prev = -1;
      for (auto l : ls) {
        const int col = p.mip.add_column(0, 1);
        columns[{h, l}] = col;
        if (prev >= 0) p.mip.add_row({{prev, 1}, {col, -1}}, 0, std::nullopt);
        prev = col;
      }
    }
  };
  holder_columns(a.user_levels, p.xu);
  holder_columns(a.device_levels, p.xd);
  for (const auto& [l, pairs] : a.lone_pairs)
    p.lone_by_user[l] = p.mip.add_column(0, static_cast<std::int64_t>(pairs.size()));
  for (const auto& [u, d, l] : a.all) {
    if (a.apart.count({u, d, l}) != 0) continue;  // counted per level
    std::vector<LexMip::Term> terms;
    if (!u.empty()) terms.push_back({p.xu.at({u, l}), 1});
    if (d.valid()) terms.push_back({p.xd.at({d, l}), 1});
    p.mip.add_row(std::move(terms), 1, std::nullopt);
  }
  // One mode per server: m(s) = 1 when s gives access under user CALs, 0 under device CALs;
  // each of its accesses then needs its user's CAL when m(s) = 1, its device's when 0.
  // An access naming one holder only fixes its server's mode to that holder's kind.
  auto mode = [&](DeviceIndex s) {
    const auto [it, fresh] = p.mode.try_emplace(s, 0);
    const auto sided = a.one_sided.find(s);
    const unsigned sides = sided == a.one_sided.end() ? 0U : sided->second;
    if (fresh) it->second = p.mip.add_column(sides == 1U ? 1 : 0, sides == 2U ? 0 : 1);
    return it->second;
  };
  for (const auto& [s, u, d, l] : a.by_server) {
    p.mip.add_row({{p.xu.at({u, l}), 1}, {mode(s), -1}}, 0, std::nullopt);
    p.mip.add_row({{p.xd.at({d, l}), 1}, {mode(s), 1}}, 1, std::nullopt);
  }
  for (const auto& [at, pairs] : a.lone_at) (void)mode(at.first);
  // CALs bought, per side and version level; a bought CAL of level l covers every level <= l.
  // Its price: the cheapest known unit cost of a CAL of that side and a version >= l (a newer
  // CAL may be bought to cover an older server), else above every known price.
  PriceRank rank;
  for (const auto& ps : pools)
    for (std::size_t q : ps) rank.see_pool(run.fleet, run.supply, q);
  rank.see_offers(run.supply, cal_family);
  // Spend must stay exact in GLPK's doubles: price x CALs below 2^52, else solved without prices.
  const double most_bought = static_cast<double>(a.user_levels.size() + a.device_levels.size() + a.all.size());
  p.priced = static_cast<double>(rank.unknown()) * most_bought < 4503599627370496.0;
  std::vector<int> buy[2];
  std::vector<LexMip::Term> count_bought, spend;
  for (int k = 0; k < 2; ++k)
    for (std::uint16_t l : a.levels) {
      std::vector<std::size_t> newer;
      for (std::size_t q : pools[k])
        if (run.supply.pools[q].product.version >= l) newer.push_back(q);
      const Metric side = k == 0 ? Metric::user_cal : Metric::device_cal;
      p.level_price[k].push_back(
          lower(cheapest(run.fleet, run.supply, newer), cheapest_offer(run.supply, cal_family, [&](const Pool& o) {
                  return o.metric == side && o.product.version >= l;
                })));
      buy[k].push_back(p.mip.add_column(0, -1));
      count_bought.push_back({buy[k].back(), 1});
      if (p.priced) spend.push_back({buy[k].back(), rank.rank(p.level_price[k].back())});
    }
  for (std::size_t li = 0; li < a.levels.size(); ++li) {
    const std::uint16_t l = a.levels[li];
    std::vector<LexMip::Term> side[2];
    for (const auto& [u, ls] : a.user_levels)
      if (auto it = ls.lower_bound(l); it != ls.end()) side[0].push_back({p.xu.at({u, *it}), 1});
    for (const auto& [d, ls] : a.device_levels)
      if (auto it = ls.lower_bound(l); it != ls.end()) side[1].push_back({p.xd.at({d, *it}), 1});
    // Lone pairs of level >= l: a_m hold user CALs, t_m - a_m device CALs.
    Units lone_devices = 0;
    for (const auto& [m, pairs] : a.lone_pairs) {
      if (m < l) continue;
      side[0].push_back({p.lone_by_user.at(m), 1});
      side[1].push_back({p.lone_by_user.at(m), -1});
      lone_devices += static_cast<Units>(pairs.size());
    }
    // One mode per server: its lone pairs of level >= l take user CALs when m(s) = 1.
    for (const auto& [at, pairs] : a.lone_at) {
      if (at.second < l) continue;
      const auto t = static_cast<std::int64_t>(pairs.size());
      side[0].push_back({p.mode.at(at.first), t});
      side[1].push_back({p.mode.at(at.first), -t});
      lone_devices += static_cast<Units>(t);
    }
    for (int k = 0; k < 2; ++k) {
      if (side[k].empty()) continue;
      Units owned = 0;
      for (std::size_t q : pools[k])
        if (run.supply.pools[q].product.version >= l) owned += work.ledger.left(q);
      for (std::size_t m = li; m < a.levels.size(); ++m) side[k].push_back({buy[k][m], -1});
      p.mip.add_row(std::move(side[k]), std::nullopt, owned - (k == 1 ? lone_devices : 0));
    }
  }
  p.mip.add_objective(std::move(count_bought));
  p.mip.add_objective(std::move(spend));
  // A holder holds a CAL iff it holds one of its lowest level (x is monotone in the level).
  std::vector<LexMip::Term> holders;
  for (const auto& [u, ls] : a.user_levels) holders.push_back({p.xu.at({u, *ls.begin()}), 1});
  for (const auto& [d, ls] : a.device_levels) holders.push_back({p.xd.at({d, *ls.begin()}), 1});
  p.mip.add_objective(std::move(holders));
  return p;
}

struct Holder {
  int side;  ///< 0 user CAL, 1 device CAL
  std::string name;
  std::uint16_t level;
  std::uint32_t servers;
};

/// The holders the solution chose and the CAL version each needs, highest need first (Hall
/// order: owned CALs then go to the holders that need the newest first).
std::vector<Holder> holders_of(const Run& run, const Accesses& a, const Program& p,
                               const std::vector<std::int64_t>& x) {
  std::vector<Holder> hs;
  std::map<std::string, std::uint16_t> ulevel;
  std::map<DeviceIndex, std::uint16_t> dlevel;
  for (const auto& [k, col] : p.xu)
    if (x[static_cast<std::size_t>(col)] == 1) ulevel[k.first] = k.second;
  for (const auto& [k, col] : p.xd)
    if (x[static_cast<std::size_t>(col)] == 1) dlevel[k.first] = k.second;
  auto user = [&](const std::string& u, std::uint16_t l) {
    hs.push_back({0, u, l, static_cast<std::uint32_t>(a.user_servers.at(u).size())});
  };
  auto device = [&](DeviceIndex d, std::uint16_t l) {
    hs.push_back({1, run.fleet.device(d).id, l, static_cast<std::uint32_t>(a.device_servers.at(d).size())});
  };
  for (const auto& [u, l] : ulevel) user(u, l);
  for (const auto& [d, l] : dlevel) device(d, l);
  for (const auto& [l, pairs] : a.lone_pairs) {  // the first a_l (by user) take user CALs
    auto sorted = pairs;
    std::sort(sorted.begin(), sorted.end());
    const auto users = static_cast<std::size_t>(x[static_cast<std::size_t>(p.lone_by_user.at(l))]);
    for (std::size_t i = 0; i < sorted.size(); ++i)
      (i < users ? user(sorted[i].first, l) : device(sorted[i].second, l));
  }
  for (const auto& [at, pairs] : a.lone_at) {  // each the kind of its server's mode
    const bool by_user = x[static_cast<std::size_t>(p.mode.at(at.first))] == 1;
    for (const auto& [u, d] : pairs) (by_user ? user(u, at.second) : device(d, at.second));
  }
  std::stable_sort(hs.begin(), hs.end(), [](const Holder& x1, const Holder& x2) {
    return std::tie(x2.level, x1.side, x1.name) < std::tie(x1.level, x2.side, x2.name);
  });
  return hs;
}

/// Licenses the access to one CAL family's servers; false when its prices left GLPK's range.
bool license_family(const Run& run, FamilyIndex cal_family, Work& work, Position& pos) {
  const Family& cal = run.pack.family(cal_family);
  const Accesses a = accesses_of(run, cal, pos);
  if (a.all.empty()) return true;
  // Owned CALs by metric and version (shared pools; CALs are never bound).
  std::vector<std::size_t> pools[2];  // user_cal, device_cal; by version
  for (std::size_t q = run.supply.bound_pools; q < run.supply.pools.size(); ++q) {
    const Pool& pool = run.supply.pools[q];
    if (pool.product.family != cal_family) continue;
    if (pool.metric == Metric::user_cal) pools[0].push_back(q);
    if (pool.metric == Metric::device_cal) pools[1].push_back(q);
  }
  for (auto& ps : pools)
    std::stable_sort(ps.begin(), ps.end(), [&](std::size_t x, std::size_t y) {
      return run.supply.pools[x].product.version < run.supply.pools[y].product.version;
    });
  for (const auto& [server, sides] : a.one_sided)
    if (sides == 3U)
      pos.warnings.push_back(Diagnostic::about(
          Subject::access, "cal-mode-undecided",
          "expected the accesses to " + run.fleet.device(server).id +
              (cal.service.empty() ? std::string() : " through " + cal.service) +
              " to name users (a Per User host) or devices (Per Device), found some naming only a user and some "
              "only a device: each takes its own holder's " +
              cal.name +
              ", a mix one licensing mode does not allow; name both, or state the host's mode by naming one kind"));
  const Program p = program(run, cal_family, a, pools, work);
  const auto x = p.mip.solve();
  TRUEUP_CHECK(x.has_value(), "CAL assignment is always feasible (CALs may be bought)");
  for (const Holder& h : holders_of(run, a, p, *x)) {
    CalPosition c;
    c.metric = h.side == 0 ? Metric::user_cal : Metric::device_cal;
    c.holder = h.name;
    c.product = ProductRef{cal_family, h.level, 0};
    c.servers = h.servers;
    for (std::size_t q : pools[h.side]) {
      if (run.supply.pools[q].product.version < h.level || work.ledger.left(q) == 0) continue;
      work.ledger.take(q, 1, c.licences);
      c.covered = 1;
      break;
    }
    if (c.covered == 0) {
      const auto li =
          static_cast<std::size_t>(std::lower_bound(a.levels.begin(), a.levels.end(), h.level) - a.levels.begin());
      work.true_ups.push_back({c.product, c.metric, p.level_price[h.side][li], 1});
    }
    pos.cals.push_back(std::move(c));
  }
  return p.priced;
}

}  // namespace

SolveStatus access_stage(const Run& run, Work& work, Position& pos) {
  SolveStatus status = SolveStatus::optimal;
  for (std::size_t fi = 0; fi < run.pack.families.size(); ++fi) {
    const Family& cal = run.pack.families[fi];
    if (cal.assignment != Assignment::access || !cal.serves) continue;
    if (!license_family(run, FamilyIndex{static_cast<FamilyIndex::value_type>(fi)}, work, pos)) {
      status = SolveStatus::bad_cost_range;
      pos.warnings.push_back(prices_out_of_range("CAL", "the CALs to buy are chosen without regard to price"));
    }
  }
  std::stable_sort(pos.cals.begin(), pos.cals.end(), [](const CalPosition& x, const CalPosition& y) {
    return std::tie(x.product.family, x.metric, x.holder) < std::tie(y.product.family, y.metric, y.holder);
  });
  return status;
}

}  // namespace trueup::core
