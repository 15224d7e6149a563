// SPDX-License-Identifier: BSL-1.0
// File: src/core/user_stage.cpp
//
// User stage (Microsoft 365 Apps, DT3): a user licence covers the user's devices up to the
// allowances of its terms (PCs, tablets, phones); any other device needs a per-device licence.
// Solved exactly per product: for a fixed number k of user licences, giving them to the k
// users whose licence would cover the most devices leaves the fewest devices to license (an
// exchange argument: swapping a user for one who covers more never adds a device licence), and
// both what must be bought and what it costs fall as the devices covered rise. So trying every
// k from 0 to the number of users and keeping the best (fewest licences to buy, then the
// lowest cost, then the smallest k) is optimal. O(U log U + U) per product, U users.
//
// Stability: user licences the 90-day rule keeps with their user (locked) are theirs whatever
// else is best; among users who cover as many devices, those who held a user licence before
// come first, and a free user licence goes back to the user who held it.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "core/evidence.hpp"
#include "core/pricing.hpp"
#include "core/stages.hpp"
#include "trueup/demand/eligibility.hpp"

namespace trueup::core {
namespace {

/// The licences of one per-user product: locked user licences by user, free user and device
/// pools with their evidence, and the allowances of its terms.
struct Licences {
  const LicensingTerms* terms = nullptr;
  std::map<std::string, std::vector<std::pair<std::size_t, std::vector<RuleStep>>>> locked;  ///< user -> pools
  std::vector<std::size_t> user_pools, device_pools;
  std::vector<std::vector<RuleStep>> user_chain, device_chain;  ///< parallel to the pools
  std::set<std::string> held_before;                            ///< users whose user licence stays with them if it may
  std::map<std::string, std::pair<std::size_t, std::size_t>> held_by;  ///< user -> (user_pools index, member)
  std::uint32_t allow[3] = {0, 0, 0};                                  ///< PCs/Macs, tablets, phones per user licence
  ProductRef product;
  std::optional<Quote> user_price, device_price;  ///< cheapest known: held licences, then the price list
};

Licences licences_of(const Run& run, const Work& work, ProductRef product) {
  Licences l;
  const auto& pools = run.supply.pools;
  for (std::size_t q = 0; q < run.supply.bound_pools; ++q) {
    const Pool& pool = pools[q];
    if (pool.bound_user.empty() || pool.product.family != product.family || pool.metric != Metric::user) continue;
    Coverage cov = eligibility(run.pack, product, pool.metric, pool, run.as_of);
    if (!cov.allowed || work.ledger.left(q) == 0) continue;
    std::vector<RuleStep> chain;
    append_bound_evidence(cov, pool, chain);
    l.locked[pool.bound_user].emplace_back(q, std::move(chain));
    if (l.terms == nullptr) l.terms = run.pack.terms(pool.product);
  }
  const bool history = !run.holdings.of_licence.empty();
  for (std::size_t q = run.supply.bound_pools; q < pools.size(); ++q) {
    const Pool& pool = pools[q];
    if (pool.product.family != product.family) continue;
    Coverage cov = eligibility(run.pack, product, pool.metric, pool, run.as_of);
    if (!cov.allowed) continue;
    if (pool.metric == Metric::user) {
      if (history)
        for (std::size_t m = 0; m < pool.members.size(); ++m)
          for (const Holding& h : run.holdings.of(pool.members[m]))
            if (!h.user.empty()) {
              l.held_before.insert(h.user);
              if (!h.locked()) l.held_by.try_emplace(h.user, l.user_pools.size(), m);
            }
      l.user_pools.push_back(q);
      l.user_chain.push_back(std::move(cov.chain));
      if (l.terms == nullptr) l.terms = run.pack.terms(pool.product);
    } else if (pool.metric == Metric::device) {
      l.device_pools.push_back(q);
      l.device_chain.push_back(std::move(cov.chain));
    }
  }
  if (l.terms == nullptr) l.terms = run.pack.terms(product);
  l.product = product;
  const auto offer = [&](Metric m) {
    return cheapest_offer(run.supply, product.family, [&](const Pool& o) {
      return o.metric == m && eligibility(run.pack, product, o.metric, o, run.as_of).allowed;
    });
  };
  l.user_price = lower(cheapest(run.fleet, run.supply, l.user_pools), offer(Metric::user));
  l.device_price = lower(cheapest(run.fleet, run.supply, l.device_pools), offer(Metric::device));
  if (l.terms != nullptr) {
    l.allow[0] = l.terms->user_pcs;
    l.allow[1] = l.terms->user_tablets;
    l.allow[2] = l.terms->user_phones;
  }
  return l;
}

int category(const Fleet& fleet, DeviceIndex dev) {
  const DeviceKind k = fleet.device(dev).kind;
  return k == DeviceKind::tablet ? 1 : k == DeviceKind::phone ? 2 : 0;
}

/// Hands out one unit of the next device pool with units left; false when none is left.
struct DevicePools {
  const Licences& l;
  std::size_t next = 0;
  bool take(Work& work, std::uint32_t d) {
    DemandFill& fill = work.fills[d];
    fill.metric = Metric::device;
    fill.demanded = 1;
    fill.remaining = 1;
    while (next < l.device_pools.size() && work.ledger.left(l.device_pools[next]) == 0) ++next;
    if (next == l.device_pools.size()) return false;
    work.ledger.take(l.device_pools[next], 1, fill.licences);
    fill.remaining = 0;
    fill.evidence.insert(fill.evidence.end(), l.device_chain[next].begin(), l.device_chain[next].end());
    return true;
  }
};

/// A user licence for `user` into `fill`: a locked one, the one it held before, else the next
/// free one; false when none is left.
struct UserPools {
  const Licences& l;
  std::size_t next = 0;
  bool take(Work& work, DemandFill& fill, const std::string& user) {
    if (auto it = l.locked.find(user); it != l.locked.end()) {
      const auto& [q, chain] = it->second.front();
      work.ledger.take(q, 1, fill.licences);
      fill.evidence.insert(fill.evidence.end(), chain.begin(), chain.end());
      return true;
    }
    if (auto it = l.held_by.find(user); it != l.held_by.end()) {
      const auto [i, m] = it->second;
      if (work.ledger.take_member(l.user_pools[i], m, 1, fill.licences) == 1) {
        fill.evidence.insert(fill.evidence.end(), l.user_chain[i].begin(), l.user_chain[i].end());
        return true;
      }
    }
    while (next < l.user_pools.size() && work.ledger.left(l.user_pools[next]) == 0) ++next;
    if (next == l.user_pools.size()) return false;
    work.ledger.take(l.user_pools[next], 1, fill.licences);
    fill.evidence.insert(fill.evidence.end(), l.user_chain[next].begin(), l.user_chain[next].end());
    return true;
  }
};

/// A per-device licence bound to its device (the 90-day rule keeps it there) covers that
/// device first: it has no other use. Returns, per demand, whether it was covered so.
std::vector<bool> cover_bound_devices(const Run& run, ProductRef product, const std::vector<std::uint32_t>& ds,
                                      Work& work) {
  std::vector<bool> covered(ds.size(), false);
  for (std::size_t i = 0; i < ds.size(); ++i) {
    const DeviceIndex dev = run.norm.demands[ds[i]].device;
    for (std::size_t q : run.supply.bound_to(dev)) {
      const Pool& pool = run.supply.pools[q];
      if (pool.product.family != product.family || pool.metric != Metric::device || work.ledger.left(q) == 0) continue;
      const Coverage cov = eligibility(run.pack, product, pool.metric, pool, run.as_of);
      if (!cov.allowed) continue;
      DemandFill& fill = work.fills[ds[i]];
      fill.metric = Metric::device;
      fill.demanded = 1;
      fill.remaining = 0;
      work.ledger.take(q, 1, fill.licences);
      append_bound_evidence(cov, pool, fill.evidence);
      covered[i] = true;
      break;
    }
  }
  return covered;
}

struct UserValue {
  std::uint32_t covers;
  const std::string* user;
  bool forced;  // holds a locked user licence
  bool before;  // held a user licence before
};

/// How many users of `order` (forced first, then by devices covered) take a user licence:
/// the k that buys the fewest licences, then costs the least, then is the smallest.
std::size_t best_user_count(const Run& run, const Work& work, const Licences& l, const std::vector<UserValue>& order,
                            Units devices) {
  const auto forced =
      static_cast<std::size_t>(std::count_if(order.begin(), order.end(), [](const UserValue& v) { return v.forced; }));
  Units owned_user = 0, owned_device = 0;
  for (std::size_t q : l.user_pools) owned_user += work.ledger.left(q);
  for (std::size_t q : l.device_pools) owned_device += work.ledger.left(q);
  PriceRank rank;
  for (std::size_t q : l.user_pools) rank.see_pool(run.fleet, run.supply, q);
  for (std::size_t q : l.device_pools) rank.see_pool(run.fleet, run.supply, q);
  rank.see_offers(run.supply, l.product.family);
  const std::int64_t price_user = rank.rank(l.user_price);
  const std::int64_t price_device = rank.rank(l.device_price);
  using Score = std::tuple<Units, MoneyTotal, std::size_t>;
  std::optional<Score> best;
  std::size_t best_k = 0;
  Units covered = 0;
  for (std::size_t k = 0; k < forced; ++k) covered += order[k].covers;
  for (std::size_t k = forced; k <= order.size(); ++k) {
    if (k > forced) {
      if (order[k - 1].covers == 0) break;  // a licence that covers nothing is never worth it
      covered += order[k - 1].covers;
    }
    const Units buy_user = std::max<Units>(0, static_cast<Units>(k - forced) - owned_user);
    const Units buy_device = std::max<Units>(0, devices - covered - owned_device);
    const Score score{
        buy_user + buy_device,
        MoneyTotal::times(Money{price_user}, buy_user) + MoneyTotal::times(Money{price_device}, buy_device), k};
    if (!best || score < *best) {
      best = score;
      best_k = k;
    }
  }
  return best_k;
}

/// One user with a user licence: it covers the devices of each kind up to the allowances,
/// carried by the first device of a kind with an allowance; the others take device licences.
void license_user(const Run& run, const std::string& user, const std::vector<std::uint32_t>& uds, const Licences& l,
                  UserPools& user_pools, DevicePools& device_pools, Work& work, UserPosition& row) {
  const auto& demands = run.norm.demands;
  const Family& f = run.pack.family(row.product.family);
  row.user_licence = true;
  std::uint32_t carrier = uds.front();
  for (std::uint32_t d : uds)
    if (l.allow[category(run.fleet, demands[d].device)] > 0) {
      carrier = d;
      break;
    }
  DemandFill& cf = work.fills[carrier];
  cf.metric = Metric::user;
  cf.demanded = 1;
  cf.remaining = 1;
  const std::string source = l.terms ? l.terms->source : std::string();
  std::uint32_t used[3] = {0, 0, 0};
  for (std::uint32_t d : uds) {
    const int c = category(run.fleet, demands[d].device);
    if (used[c] < l.allow[c]) {
      ++used[c];
      ++row.under_user_licence;
      if (d != carrier) {
        work.carrier_reason[d] = "covered by the user licence of " + user + " (carried by install " +
                                 run.fleet.install(demands[carrier].install).id +
                                 "): a per-user licence covers up to " + std::to_string(l.allow[0]) + " PCs/Macs, " +
                                 std::to_string(l.allow[1]) + " tablets and " + std::to_string(l.allow[2]) +
                                 " phones (" + source + ")";
        work.fills[d].carrier = carrier;
      }
    } else {
      ++row.device_licences;
      if (!device_pools.take(work, d)) ++row.device_short;
    }
  }
  if (user_pools.take(work, cf, user)) {
    cf.remaining = 0;
    row.user_licence_owned = true;
  }
  cf.evidence.push_back({RuleStep::Kind::user_licence,
                         "user licence of " + user + " covers " + std::to_string(row.under_user_licence) + " of " +
                             std::to_string(uds.size()) + " device(s) (" + f.name + ": " + std::to_string(l.allow[0]) +
                             " PCs/Macs, " + std::to_string(l.allow[1]) + " tablets, " + std::to_string(l.allow[2]) +
                             " phones per user" +
                             (l.terms && !l.terms->source.empty() ? "; " + l.terms->source : std::string()) + ")"});
}

void license_product(const Run& run, ProductRef product, const std::vector<std::uint32_t>& ds, Work& work,
                     Position& pos) {
  const auto& demands = run.norm.demands;
  const Licences l = licences_of(run, work, product);
  const std::vector<bool> bound_covered = cover_bound_devices(run, product, ds, work);
  // Users and their devices (device-id order); devices without a user stand alone.
  std::map<std::string, std::vector<std::uint32_t>> users;
  std::vector<std::uint32_t> alone;
  std::map<std::string, std::uint32_t> bound_devices;  // per user: devices covered that way
  for (std::size_t i = 0; i < ds.size(); ++i) {
    const std::string& u = run.fleet.device(demands[ds[i]].device).primary_user;
    if (bound_covered[i])
      ++bound_devices[u];
    else
      (u.empty() ? alone : users[u]).push_back(ds[i]);
  }
  std::vector<UserValue> order;
  Units devices = static_cast<Units>(alone.size());
  for (auto& [u, uds] : users) {
    std::sort(uds.begin(), uds.end(), [&](std::uint32_t a, std::uint32_t b) {
      return run.fleet.device(demands[a].device).id < run.fleet.device(demands[b].device).id;
    });
    std::uint32_t count[3] = {0, 0, 0};
    for (std::uint32_t d : uds) ++count[category(run.fleet, demands[d].device)];
    std::uint32_t covers = 0;
    for (int c = 0; c < 3; ++c) covers += std::min(count[c], l.allow[c]);
    devices += static_cast<Units>(uds.size());
    order.push_back({covers, &u, l.locked.count(u) != 0, l.held_before.count(u) != 0});
  }
  // Forced users first; then by devices covered, and among equals those who held a user
  // licence before (stability: same count, fewer moves).
  std::stable_sort(order.begin(), order.end(), [](const UserValue& a, const UserValue& b) {
    return std::tuple(!a.forced, -static_cast<std::int64_t>(a.covers), !a.before) <
           std::tuple(!b.forced, -static_cast<std::int64_t>(b.covers), !b.before);
  });
  const std::size_t best_k = best_user_count(run, work, l, order, devices);
  std::set<const std::string*> licensed;
  for (std::size_t k = 0; k < best_k; ++k) licensed.insert(order[k].user);

  UserPools user_pools{l};
  DevicePools device_pools{l};
  for (auto& [u, uds] : users) {
    UserPosition row;
    row.user = u;
    row.product = product;
    row.devices = static_cast<std::uint32_t>(uds.size());
    if (auto b = bound_devices.find(u); b != bound_devices.end()) {
      row.devices += b->second;
      row.device_licences += b->second;
    }
    if (licensed.count(&u) != 0) {
      license_user(run, u, uds, l, user_pools, device_pools, work, row);
    } else {
      for (std::uint32_t d : uds) {
        ++row.device_licences;
        if (!device_pools.take(work, d)) ++row.device_short;
      }
    }
    pos.users.push_back(std::move(row));
  }
  for (std::uint32_t d : alone) (void)device_pools.take(work, d);
  if (!alone.empty() && !l.user_pools.empty())
    pos.warnings.push_back(Diagnostic::about(
        Subject::devices, "no-primary-user",
        "expected a primary user for the devices running " + run.pack.product_name(product) + ", found " +
            std::to_string(alone.size()) +
            " device(s) without one: a per-user licence covers the devices of the user who holds it, so these need "
            "per-device licences; fill the devices' primary_user column (licensing-rules DT3)"));
  Units short_user = 0, short_device = 0;
  for (std::uint32_t d : ds) {
    const DemandFill& fill = work.fills[d];
    if (fill.carrier != UINT32_MAX || fill.remaining == 0) continue;
    (fill.metric == Metric::user ? short_user : short_device) += fill.remaining;
  }
  if (short_user > 0)
    work.true_ups.push_back({product, Metric::user, cheapest(run.fleet, run.supply, l.user_pools), short_user});
  if (short_device > 0)
    work.true_ups.push_back({product, Metric::device, cheapest(run.fleet, run.supply, l.device_pools), short_device});
}

}  // namespace

void user_stage(const Run& run, Work& work, Position& pos) {
  std::map<ProductRef, std::vector<std::uint32_t>> by_product;
  for (std::uint32_t d = 0; d < run.norm.demands.size(); ++d)
    if (run.norm.demands[d].assignment == Assignment::user) by_product[run.norm.demands[d].product].push_back(d);
  for (const auto& [product, ds] : by_product) license_product(run, product, ds, work, pos);
}

}  // namespace trueup::core
