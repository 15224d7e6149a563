// SPDX-License-Identifier: BSL-1.0
// File: src/claim/cal_line.cpp
//
// The check of a claim line on client access licences (a family licensed by access, such as
// Windows Server CALs), in user or device CALs. The position counts one CAL per holder: a user
// or a device that reaches a server needing CALs (CAL1), of the version of the newest server it
// reaches or later (CAL2). The line is compared with all the family's holders in its unit,
// whatever the version they need: a later CAL covers an earlier server, so the position owes
// its short holders' CALs whatever version the claim names. With the notation of
// check_claim.cpp (S, R, C claimed; d, c, s the position's, summed over the family's rows):
//
//     S - s  =  (S - (R - C))  +  (R - d)  +  (c - C)
//
// The demand side R - d: users (devices) the claim counts that hold no CAL of its kind. Those
// who reach the servers only from devices (as users) holding a CAL of the other kind are
// covered by it (CAL1, `other_cal`); the others reach no server that needs a CAL (`no_access`,
// CAL1 and the access records, CAL6), listed from the fleet's users (primary users and access
// rows) or devices as far as the fleet knows them. Without access records the position computes
// no CAL demand, and the demand side is not explained. The credit side c - C: holders covered
// by CALs the claim does not credit, by an earlier version than the claim's (`cal_version`,
// CAL2: a 2016 CAL covers 2016 and earlier servers, a 2012 CAL covers 2012 R2) or by CALs of
// the claim's version or later (`licence_on_record`).
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "causes.hpp"
#include "trueup/claim/claim.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"

namespace trueup::claim {
namespace {

/// Who the family's CALs concern, on one side (users for user CALs, devices for device CALs).
struct Holders {
  std::set<std::string> holding;       ///< hold a CAL of the line's kind
  std::set<std::string> other_cal;     ///< reach CAL servers only under a CAL of the other kind
  std::vector<std::string> no_access;  ///< known to the fleet, reach no server needing a CAL; sorted
};

/// The servers whose users need CALs of `cal`: they run a recognised, in-scope install of the
/// family the CALs serve, and are not licensed under terms that need none (W12-3).
std::set<std::uint32_t> cal_servers(const Family& cal, const Position& position, const Fleet& fleet) {
  std::set<std::uint32_t> free;
  for (const ServerPosition& sp : position.servers)
    if (!sp.needs_cals && sp.product.family == *cal.serves) free.insert(sp.device.value);
  std::set<std::uint32_t> out;
  for (std::size_t i = 0; i < position.installs.size(); ++i) {
    const InstallVerdict& v = position.installs[i];
    if (!v.product || v.product->family != *cal.serves) continue;
    // As the position's CAL stage counts access (core/access_stage.cpp): every in-scope install,
    // the OSEs of a host-licensed server included, which are duplicates of its first one.
    if (v.verdict == Verdict::excluded) continue;
    const std::uint32_t d = fleet.installs[i].device.value;
    if (free.count(d) == 0) out.insert(d);
  }
  return out;
}

Holders holders_of(ProductRef p, Metric unit, const Position& position, const RulePack& pack, const Fleet& fleet) {
  const bool users = unit == Metric::user_cal;
  std::set<std::string> other;  // holders of the other kind
  Holders h;
  for (const CalPosition& c : position.cals)
    if (c.product.family == p.family) (c.metric == unit ? h.holding : other).insert(c.holder);
  const Family& fam = pack.family(p.family);
  const std::set<std::uint32_t> servers = fam.serves ? cal_servers(fam, position, fleet) : std::set<std::uint32_t>{};
  std::set<std::string> reaching;  // reach a CAL server (covered by one CAL or the other)
  std::set<std::string> known;
  for (const Access& a : fleet.access) {
    const std::string self = users ? a.user : (a.device.valid() ? fleet.device(a.device).id : std::string());
    if (self.empty()) continue;
    known.insert(self);
    // A service's CALs (RDS, CAL3) are reached only through that service.
    if (servers.count(a.server.value) == 0 || (!fam.service.empty() && a.service != fam.service)) continue;
    reaching.insert(self);
    const std::string by = users ? (a.device.valid() ? fleet.device(a.device).id : std::string()) : a.user;
    if (h.holding.count(self) == 0 && other.count(by) != 0) h.other_cal.insert(self);
  }
  for (std::size_t d = 0; d < fleet.devices.size(); ++d) {
    const Device& dev = fleet.devices[d];
    if (!users && servers.count(static_cast<std::uint32_t>(d)) == 0) known.insert(dev.id);
    if (users && !dev.primary_user.empty()) known.insert(dev.primary_user);
  }
  for (const std::string& k : known)
    if (h.holding.count(k) == 0 && reaching.count(k) == 0) h.no_access.push_back(k);
  return h;
}

/// A share of up to `amount` units of `cause`, one per id of `ids` (in their order), listed as
/// users or devices; all of `amount` when `unlisted` (the claim may count more than the fleet
/// knows). Returns the units left.
Units take_ids(ClaimCause cause, Units amount, const std::vector<std::string>& ids, bool users, bool unlisted,
               std::vector<ClaimCauseShare>& out) {
  if (amount <= 0) return amount;
  ClaimCauseShare s = share(cause, 0);
  std::vector<std::string>& list = users ? s.users : s.devices;
  for (const std::string& id : ids) {
    if (s.units == amount) break;
    ++s.units;
    list.push_back(id);
  }
  if (unlisted) s.units = amount;
  if (s.units == 0) return amount;
  sort_unique(list);
  const Units left = amount - s.units;
  out.push_back(std::move(s));
  return left;
}

/// The demand side: the users (devices) the claim counts beyond the holders of its kind.
Units demand_side(Units extra, ProductRef p, Metric unit, const Position& position, const RulePack& pack,
                  const Fleet& fleet, std::vector<ClaimCauseShare>& out) {
  const Holders h = holders_of(p, unit, position, pack, fleet);
  const bool users = unit == Metric::user_cal;
  const std::vector<std::string> other(h.other_cal.begin(), h.other_cal.end());
  const std::size_t first = out.size();
  Units left = take_ids(ClaimCause::other_cal, extra, other, users, false, out);
  // no access records: nothing says who reaches a server
  if (!fleet.access.empty()) left = take_ids(ClaimCause::no_access, left, h.no_access, users, true, out);
  const std::string& service = pack.family(p.family).service;
  for (std::size_t i = first; i < out.size(); ++i) {
    const bool by_other = out[i].cause == ClaimCause::other_cal;
    if (!by_other && !service.empty()) {  // a service's CALs (RDS, CAL3): plain access needs none
      out[i].why = std::string(users ? "users counted who reach" : "devices counted that reach") +
                   " no server through " + service +
                   ", which alone needs these CALs: the access records (access.csv, its service column) show "
                   "which do";
      continue;
    }
    out[i].why = users ? (by_other ? "users who reach the servers only from devices that hold a device CAL, which "
                                     "covers every user of the device"
                                   : "users counted who reach no server needing a CAL (every directory user is not a "
                                     "user of the servers): the access records (access.csv) show who does")
                       : (by_other ? "devices used to reach the servers only by users who hold a user CAL, which "
                                     "covers the user on every device"
                                   : "devices counted that reach no server needing a CAL (every PC is not a client of "
                                     "the servers): the access records (access.csv) show which do");
  }
  return left;
}

/// The credit side: holders covered by CALs the claim does not credit, those of an earlier
/// version than the claim's first (CAL2); in holder order.
Units credit_side(Units missing, ProductRef p, Metric unit, const Position& position, const Fleet& fleet,
                  std::vector<ClaimCauseShare>& out) {
  ClaimCauseShare by_version = share(ClaimCause::cal_version, 0);
  ClaimCauseShare on_record = share(ClaimCause::licence_on_record, 0);
  const bool users = unit == Metric::user_cal;
  for (int pass = 0; pass < 2; ++pass)
    for (const CalPosition& c : position.cals) {
      if (missing <= 0) break;
      if (c.product.family != p.family || c.metric != unit || c.covered <= 0) continue;
      const bool earlier = std::any_of(c.licences.begin(), c.licences.end(), [&](const Allocation& a) {
        return fleet.entitlement(a.entitlement).product.version < p.version;
      });
      if (earlier != (pass == 0)) continue;
      ClaimCauseShare& s = earlier ? by_version : on_record;
      s.units += c.covered;
      missing -= c.covered;
      (users ? s.users : s.devices).push_back(c.holder);
      for (const Allocation& a : c.licences) s.licences.push_back(fleet.entitlement(a.entitlement).id);
    }
  for (ClaimCauseShare* s : {&by_version, &on_record}) {
    if (s->units == 0) continue;
    sort_unique(s->users);
    sort_unique(s->devices);
    sort_unique(s->licences);
    out.push_back(std::move(*s));
  }
  return missing;
}

}  // namespace

std::optional<Metric> cal_unit(const ClaimLine& l, const RulePack& pack) {
  if (!l.matched || pack.family(l.matched->family).assignment != Assignment::access) return std::nullopt;
  switch (l.unit.value_or(pack.metric_of(*l.matched))) {
    case Metric::user:
    case Metric::user_cal: return Metric::user_cal;
    case Metric::device:
    case Metric::device_cal: return Metric::device_cal;
    default: return std::nullopt;  // another unit: checked as a line in another metric
  }
}

ClaimLineCheck check_cal_line(const ClaimLine& l, Metric unit, const Position& position, const RulePack& pack,
                              const Fleet& fleet) {
  ClaimLineCheck out;
  const ProductRef p = *l.matched;
  out.unit = unit;
  out.computed_metric = unit;
  for (std::size_t r = 0; r < position.products.size(); ++r) {
    const ProductPosition& row = position.products[r];
    if (row.product.family != p.family || row.metric != unit) continue;
    if (!out.row) out.row = r;
    out.installs += row.installs;
    out.credited += row.covered_units;
    out.shortfall += row.shortfall_units;
  }
  out.demand = out.credited + out.shortfall;
  out.difference = l.shortfall - out.shortfall;
  out.claimed_credited = l.credited ? *l.credited : l.required ? *l.required - l.shortfall : out.credited;
  out.claimed_required = l.required.value_or(out.claimed_credited + l.shortfall);
  add_remainder(ClaimCause::claim_arithmetic, l.shortfall - (out.claimed_required - out.claimed_credited), "",
                out.causes);
  const Units extra_demand = out.claimed_required - out.demand;
  if (extra_demand < 0) add_remainder(ClaimCause::demand_not_claimed, extra_demand, "", out.causes);
  if (extra_demand > 0)
    add_remainder(ClaimCause::not_explained, demand_side(extra_demand, p, unit, position, pack, fleet, out.causes),
                  "the claim counts more CAL holders than the position finds, and there are no access records "
                  "(access.csv) to say who reaches the servers",
                  out.causes);
  const Units missing_credit = out.credited - out.claimed_credited;
  if (missing_credit > 0)
    add_remainder(ClaimCause::not_explained, credit_side(missing_credit, p, unit, position, fleet, out.causes),
                  "the position credits CALs the claim does not, and their records do not say why", out.causes);
  if (missing_credit < 0) {
    ClaimCauseShare v =
        void_share([&](const Entitlement& en) { return en.product.family == p.family && en.metric == unit; },
                   -missing_credit, position, fleet);
    const Units left = missing_credit - v.units;
    if (v.units != 0) out.causes.push_back(std::move(v));
    add_remainder(ClaimCause::not_explained, left, "the claim credits more CALs than the records hold", out.causes);
  }
  for (std::size_t r = 0; r < position.products.size(); ++r) {
    const ProductPosition& row = position.products[r];
    if (row.product.family != p.family || row.metric != unit || row.shortfall_units == 0) continue;
    out.note += std::string(out.note.empty() ? "the position owes " : ", ") + std::to_string(row.shortfall_units) +
                " " + pack.product_name(row.product) + " (or later)";
  }
  if (!out.note.empty()) out.note += ": the version of the newest server each holder reaches (CAL2)";
  set_verdict(out, out.shortfall);
  return out;
}

}  // namespace trueup::claim
