// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/named_users.cpp
//
// Named User Plus demand of a server (named_users.hpp).
#include "normalise/named_users.hpp"

#include <algorithm>
#include <tuple>

namespace trueup::detail {

namespace {
bool has_minimums(const Family& f) {
  return std::any_of(f.terms.begin(), f.terms.end(), [](const LicensingTerms& t) {
    return t.named_user_minimum_per_processor > 0 || t.named_user_minimum_per_server > 0;
  });
}
}  // namespace

NamedUsers::NamedUsers(const RulePack& pack, const Fleet& fleet) : users_(fleet.devices.size(), 0) {
  for (const Entitlement& e : fleet.entitlements) {
    if (!has_minimums(pack.family(e.product.family))) continue;
    const auto key = std::make_pair(e.product.family.value, e.product.edition);
    if (e.metric == Metric::user)
      by_users_.insert(key);
    else if (e.metric == pack.metric_of(e.product))
      by_own_.insert(key);
  }
  // No server is counted in named users: access.csv is not read here (it may be large).
  if (by_users_.empty()) return;
  // Distinct (server, user) pairs, and (server, device) for rows without a user.
  std::set<std::tuple<std::uint32_t, bool, std::string>> seen;
  for (const Access& a : fleet.access) {
    const bool by_device = a.user.empty();
    const std::string who = by_device ? fleet.device(a.device).id : a.user;
    if (seen.emplace(a.server.value, by_device, who).second) ++users_[a.server.value];
  }
}

bool NamedUsers::applies(ProductRef product, const LicensingTerms* terms) const {
  if (terms == nullptr || (terms->named_user_minimum_per_processor == 0 && terms->named_user_minimum_per_server == 0))
    return false;
  const auto key = std::make_pair(product.family.value, product.edition);
  return by_users_.contains(key) && !by_own_.contains(key);
}

rules::UnitCount NamedUsers::units(const LicensingTerms& terms, DeviceIndex device,
                                   const rules::UnitCount& processors) const {
  const Units users = users_[device.value];
  Units minimum = terms.named_user_minimum_per_server;
  std::string why = std::to_string(users) + (users == 1 ? " named user" : " named users") + " in access.csv";
  if (terms.named_user_minimum_per_processor > 0) {
    minimum = std::max<Units>(minimum, processors.units * terms.named_user_minimum_per_processor);
    why += "; " + processors.why + " x " + std::to_string(terms.named_user_minimum_per_processor) +
           " per Processor = a minimum of " + std::to_string(minimum);
  } else {
    why += "; a minimum of " + std::to_string(minimum) + " per server";
  }
  const Units n = std::max(users, minimum);
  return {n, why + " → " + std::to_string(n) + " Named User Plus licences (the greater)"};
}

}  // namespace trueup::detail
