// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/software_assurance.hpp
//
// Rule: Software Assurance gives new-version rights.
//
// "For products covered by active SA, the right to run the latest version of the Product that
// is made available during the coverage term"; the right persists after SA lapses, for
// perpetual licences (licensing-rules SA1: Microsoft Volume Licensing blog "New Version Rights
// with Software Assurance Explained", 2013). SAM tools upgrade the entitlement to "the latest
// software version released ... on or before the expiry date of the SA coverage" (SA4). So on
// an as-of date a licence with SA from `start` to `end` may run the latest version of its
// product made available (the pack's release date) in [start, min(end, as-of)], and, through
// its channel's downgrade rights, the earlier ones.
//
// "Made available" is the earlier of the volume-licensing price list and the VLSC download
// (SA1: Office 2013 was on VLSC on 2012-10-28, before general availability): the pack's
// `available` date where it knows one, else general availability (VersionSpec::made_available).
//
// Across licensing models (SA5, §7.4): a Windows Server 2012 R2 processor licence with SA
// active when Windows Server 2016 was made available converts to 2016 core licences, at least
// 16 per 2-processor licence; the pack states each conversion (`ModelConversion`) and this
// rule applies it. A later version of another model without a conversion is not granted. SA
// that starts after the as-of date gives nothing yet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "trueup/model/catalog.hpp"
#include "trueup/model/entitlement.hpp"

namespace trueup::rules {

struct NewVersionRight {
  std::uint16_t version = 0;  ///< the latest version the licence may run
  std::string why;            ///< the SA term and the release that granted it
  /// Across licensing models (ModelConversion, SA5): the licence now counts as licences of
  /// version `converted_to`, in `metric`, `units_per_licence` for each held.
  const ModelConversion* conversion = nullptr;
  std::uint16_t converted_to = 0;
  Metric metric = Metric::device;
  Units units_per_licence = 1;
};

/// The version `e` may run on `as_of` under Software Assurance, when later than its own; nullopt
/// when SA grants nothing beyond it (no SA, not yet started, no release in the term).
[[nodiscard]] std::optional<NewVersionRight> new_version_right(const RulePack& pack, const Entitlement& e, Date as_of);

/// Whether `e` carries Software Assurance or subscription rights on `as_of`: SA started (its
/// start, else the purchase) and not ended, or a subscription (one outside its term is void
/// before this is asked: supply.cpp). Benefits that last only while SA is active (licensing
/// individual VMs under the SQL Server 2022 terms, SQL3; unlimited VMs on a licensed host,
/// SQL4) ask this; new-version rights outlast SA (SA1) and do not.
[[nodiscard]] bool software_assurance_active(const Entitlement& e, Date as_of);

}  // namespace trueup::rules
