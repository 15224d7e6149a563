// SPDX-License-Identifier: BSL-1.0
// File: src/claim/causes.hpp
//
// The licensing rule behind each cause of a claim's difference (private to the claim check):
// its ids in licensing-rules.md and its public source, and the words of the reply.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// A share of `cause` with its rule, source and words, and no ids yet.
[[nodiscard]] ClaimCauseShare share(ClaimCause cause, Units units);

/// Appends a share of `units` (none when 0), with `why` for its words when not empty.
void add_remainder(ClaimCause cause, Units units, const std::string& why, std::vector<ClaimCauseShare>& out);

void sort_unique(std::vector<std::string>& v);

/// The `void_licence` share of a claim that credits `amount` units of licences the position
/// counts for nothing: the uncounted entitlements that `of_line` selects, taken in licence id
/// order (whatever the file's order) until `amount` is reached; its units are negative.
[[nodiscard]] ClaimCauseShare void_share(const std::function<bool(const Entitlement&)>& of_line, Units amount,
                                         const Position& position, const Fleet& fleet);

/// The verdict of a line whose difference is set; `owed` is the position's shortfall in the
/// line's unit.
void set_verdict(ClaimLineCheck& c, Units owed);

/// Whether `l` is a CAL line: a family licensed by access, counted in user or device CALs
/// (`user` and `device` are read as such).
[[nodiscard]] std::optional<Metric> cal_unit(const ClaimLine& l, const RulePack& pack);

/// Checks a CAL line (src/claim/cal_line.cpp); `unit` is cal_unit(l, pack).
[[nodiscard]] ClaimLineCheck check_cal_line(const ClaimLine& l, Metric unit, const Position& position,
                                            const RulePack& pack, const Fleet& fleet);

}  // namespace trueup::claim
