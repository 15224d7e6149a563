// SPDX-License-Identifier: BSL-1.0
// File: src/claim/causes.hpp
//
// The licensing rule behind each cause of a claim's difference (private to the claim check):
// its ids in licensing-rules.md and its public source, and the words of the reply.
#pragma once

#include <string_view>

#include "trueup/claim/claim.hpp"

namespace trueup::claim {

struct CauseRule {
  std::string_view rule;    ///< licensing-rules ids, empty when no licensing rule is involved
  std::string_view source;  ///< the public source of the rule
  std::string_view why;     ///< what the cause says, in words a manager can send
};

/// The rule, source and words of `cause`.
[[nodiscard]] const CauseRule& rule_of(ClaimCause cause);

/// The cause an evidence step stands for on the credit side (a licence the position credits),
/// in the order of `credit_causes`.
[[nodiscard]] ClaimCause credit_cause_of(RuleStep::Kind step);

}  // namespace trueup::claim
