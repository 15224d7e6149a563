// SPDX-License-Identifier: BSL-1.0
// File: trueup/demand/rule_step.hpp
//
// One step of the evidence chain from an install to the licence that covers it: which rule
// allowed it, in words a reviewer can check against the cited source.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "trueup/enum_table.hpp"

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
    software_assurance,
    upgrade
  };
  Kind kind = Kind::licence;
  std::string text;
  friend bool operator==(const RuleStep&, const RuleStep&) = default;
};

template <>
struct EnumTable<RuleStep::Kind> {
  using K = RuleStep::Kind;
  static constexpr std::array<EnumEntry<K>, 9> entries{
      {{K::licence, "licence", "licence"},
       {K::oem_binding, "oem_binding", "oem-binding"},
       {K::downgrade, "downgrade", "downgrade"},
       {K::down_edition, "down_edition", "down-edition"},
       {K::reassignment, "reassignment", "reassignment"},
       {K::model, "model", "licensing-model"},
       {K::user_licence, "user_licence", "user-licence"},
       {K::software_assurance, "software_assurance", "software-assurance"},
       {K::upgrade, "upgrade", "upgrade"}}};
};

}  // namespace trueup
