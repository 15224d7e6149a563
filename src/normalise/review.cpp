// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/review.cpp
//
// review() (trueup/normalise/review.hpp): each install recognised once, then counted into its
// group. Free editions are recognised products that need no licence (the pack's `free`), so
// they count as excluded, as the reconciliation excludes them; an edition free outside
// production only (SQL10) counts by the device's environment, as the reconciliation does.
#include "trueup/normalise/review.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "overlay_suggestion.hpp"
#include "trueup/normalise/recognise.hpp"
#include "trueup/rules/metric_units.hpp"

namespace trueup {

namespace {

/// A group being counted: its rows and the distinct devices they are on.
struct Tally {
  Review::Group group;
  std::set<std::uint32_t> devices;
};

/// Counts a row into its group; the group, whose rows are 1 when the row is its first.
Tally& count(std::map<std::tuple<std::string, std::string, std::string>, Tally>& groups, std::string name,
             std::string detail, const std::string& reason, DeviceIndex device) {
  Tally& t = groups[{std::move(name), std::move(detail), reason}];
  ++t.group.rows;
  t.devices.insert(device.value);
  return t;
}

/// The groups, most rows first, then by name, detail and reason (all in byte order).
std::vector<Review::Group> by_rows(std::map<std::tuple<std::string, std::string, std::string>, Tally>& groups) {
  std::vector<Review::Group> out;
  for (auto& entry : groups) {
    entry.second.group.name = std::get<0>(entry.first);
    entry.second.group.detail = std::get<1>(entry.first);
    entry.second.group.reason = std::get<2>(entry.first);
    entry.second.group.devices = entry.second.devices.size();
    out.push_back(std::move(entry.second.group));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Review::Group& a, const Review::Group& b) { return a.rows > b.rows; });
  return out;
}

/// What a device lacks for a product licensed by `metric`, and the rule that needs it; nullptr
/// when nothing is missing. A host-licensed family's install on a VM is counted on its host.
struct Need {
  const char* fact;
  const char* why;
};
std::optional<Need> missing_fact(Metric metric, const LicensingTerms* terms, const Device& dev) {
  const bool vm = dev.kind == DeviceKind::virtual_machine;
  if (metric == Metric::processor && terms != nullptr && !terms->core_factors.empty()) {
    if (dev.cores == 0)
      return Need{"cores",
                  "licensed per processor: physical cores × the CPU's core factor (licensing-rules §13 ORACLE)"};
    if (rules::units_for(terms, dev.processors, dev.cores, vm, dev.cpu_model).unknown_core_factor)
      return Need{dev.cpu_model.empty() ? "CPU model" : "CPU model in the core factor table",
                  "licensed per processor: physical cores × the core factor of the CPU model, never guessed "
                  "(licensing-rules §13 ORACLE)"};
    return std::nullopt;
  }
  if (metric == Metric::core && !vm && terms != nullptr && !terms->core_factors.empty() && dev.cores > 0 &&
      dev.processors > 0 && rules::units_for(terms, dev.processors, dev.cores, vm, dev.cpu_model).unknown_core_factor)
    return Need{dev.cpu_model.empty() ? "CPU model" : "CPU model in the core factor table",
                "licensed per core: physical cores × the core factor of the CPU model, never guessed "
                "(licensing-rules SQL7)"};
  if (metric == Metric::core && dev.cores == 0)
    return Need{"cores", "licensed per core: every core is licensed (licensing-rules WS1, SQL1)"};
  if (metric == Metric::core && !vm && dev.processors == 0)
    return Need{"processors", "licensed per core with a minimum per processor (licensing-rules WS1, SQL1)"};
  if (metric == Metric::processor && vm && dev.cores == 0)
    return Need{"cores", "licensed per processor: a VM counts its virtual processors (licensing-rules SQL8)"};
  if (metric == Metric::processor && !vm && dev.processors == 0)
    return Need{"processors", "licensed per processor: every physical processor is licensed (licensing-rules SQL8)"};
  if (metric == Metric::user && dev.primary_user.empty())
    return Need{"primary user",
                "licensed per user: a user's licence covers the devices the user uses (licensing-rules DT3); "
                "without a user each device needs a licence of its own"};
  return std::nullopt;
}

using Groups = std::map<std::tuple<std::string, std::string, std::string>, Tally>;
using Missing = std::map<std::pair<ProductRef, std::string>, std::pair<const char*, std::set<std::string>>>;

/// The product a recognised install is counted as, as normalise() decides; nullopt when it is
/// counted here instead: a free edition as excluded, or an edition free for development and
/// test only (SQL10) on a device whose environment devices.csv does not state, as needing
/// review with the missing fact. On a production device that edition counts as the edition it
/// is licensed as there.
std::optional<ProductRef> licensed_product(const RulePack& pack, const Fleet& fleet, const Install& in,
                                           ProductRef product, Groups& excluded, Groups& needs_review,
                                           Missing& missing) {
  const EditionSpec& edition = pack.edition(product);
  if (!edition.free) return product;
  const std::string name = pack.product_name(product);
  if (!edition.production_edition) {
    count(excluded, "free-edition", name + " is a free edition", {}, in.device);
    return std::nullopt;
  }
  const Device& dev = fleet.device(in.device);
  switch (dev.environment) {
    case Environment::production: product.edition = *edition.production_edition; return product;
    case Environment::non_production:
      count(excluded, "free-edition", name + " is free outside production (on non-production devices)", {}, in.device);
      return std::nullopt;
    case Environment::unknown: break;
  }
  Tally& t = count(needs_review, in.title, in.publisher,
                   name +
                       " is free outside production and needs licences in production; devices.csv does not say "
                       "which (" +
                       edition.production_source + ")",
                   in.device);
  if (t.group.rows == 1) t.group.suggestion = detail::environment_suggestion(name);
  auto& m = missing[{product, "environment"}];
  m.first = "free for development and test only: licensed in production (licensing-rules SQL10)";
  m.second.insert(dev.id);
  return std::nullopt;
}

}  // namespace

Review review(const RulePack& pack, const Fleet& fleet) {
  using K = Recognition::Kind;
  Recogniser recogniser(pack);
  std::map<ProductRef, Tally> products;
  Groups excluded, needs_review, unrecognised;
  Missing missing;
  Review out;
  out.rows = fleet.installs.size();
  for (const Install& in : fleet.installs) {
    const Recognition& r = recogniser.recognise(in.title, in.publisher, in.version);
    switch (r.kind) {
      case K::product: {
        const std::optional<ProductRef> product =
            licensed_product(pack, fleet, in, r.product, excluded, needs_review, missing);
        if (!product) break;
        Tally& t = products[*product];
        ++t.group.rows;
        t.devices.insert(in.device.value);
        const Device* dev = &fleet.device(in.device);
        if (pack.family(product->family).assignment == Assignment::host && dev->host_index.valid())
          dev = &fleet.device(dev->host_index);
        if (const auto need = missing_fact(pack.metric_of(*product), pack.terms(*product), *dev)) {
          auto& m = missing[{*product, need->fact}];
          m.first = need->why;
          m.second.insert(dev->id);
        }
        break;
      }
      case K::component: count(excluded, "component", r.reason, {}, in.device); break;
      case K::other_publisher: count(excluded, "other-publisher", r.reason, {}, in.device); break;
      case K::needs_review:
      case K::unrecognised: {
        // The suggestion depends on the group's key alone (the version string enters the
        // reason where it matters), so the first row's stands for the group.
        Tally& t =
            count(r.kind == K::needs_review ? needs_review : unrecognised, in.title, in.publisher, r.reason, in.device);
        if (t.group.rows == 1)
          t.group.suggestion = detail::overlay_suggestion(pack, r, in.title, in.publisher, in.version);
        break;
      }
    }
  }
  for (auto& entry : products) {  // ProductRef order: the pack's family, version, edition order
    entry.second.group.name = pack.product_name(entry.first);
    entry.second.group.devices = entry.second.devices.size();
    out.recognised.push_back(std::move(entry.second.group));
  }
  for (auto& [key, need] : missing)
    out.missing_facts.push_back({pack.product_name(key.first), key.second, need.first,
                                 std::vector<std::string>(need.second.begin(), need.second.end())});
  out.excluded = by_rows(excluded);
  out.needs_review = by_rows(needs_review);
  out.unrecognised = by_rows(unrecognised);
  return out;
}

}  // namespace trueup
