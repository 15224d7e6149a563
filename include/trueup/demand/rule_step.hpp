// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/rule_step.hpp
//
// One step of the evidence chain from an install to the licence that covers it: which rule
// allowed it, in words a reviewer can check against the cited source.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trueup {

/// One rule applied on the way from an install to the licence that covers it.
struct RuleStep {
  enum class Kind : std::uint8_t {
    licence,
    oem_binding,
    downgrade,
    down_edition,
    reassignment,
    model,
    user_licence,
    software_assurance
  };
  Kind kind = Kind::licence;
  std::string text;
  friend bool operator==(const RuleStep&, const RuleStep&) = default;
};

constexpr std::string_view name(RuleStep::Kind k) {
  switch (k) {
    case RuleStep::Kind::licence: return "licence";
    case RuleStep::Kind::oem_binding: return "oem-binding";
    case RuleStep::Kind::downgrade: return "downgrade";
    case RuleStep::Kind::down_edition: return "down-edition";
    case RuleStep::Kind::reassignment: return "reassignment";
    case RuleStep::Kind::model: return "licensing-model";
    case RuleStep::Kind::user_licence: return "user-licence";
    case RuleStep::Kind::software_assurance: return "software-assurance";
  }
  return "?";
}

}  // namespace trueup
