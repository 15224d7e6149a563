// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/claim_reply.hpp
//
// The reply to an auditor's claim (docs/outputs.md#check-claim): the check of each claim line
// (trueup/claim/claim.hpp) as a text a manager can send, as JSON, or as an XLSX workbook with a
// sheet per view (Claim: a row per line; Causes: a row per cause of each line's difference).
// Each depends only on its inputs.
#pragma once

#include <filesystem>
#include <string>

#include "trueup/claim/claim.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/position/position.hpp"
#include "trueup/result.hpp"

namespace trueup::report {

/// The reply as text: a summary, a table of the lines, then each line's difference by cause,
/// with the rules, their sources and the installs, devices and licences concerned (the first 10
/// of each, then how many more).
[[nodiscard]] std::string format_claim_reply(const Claim& claim, const ClaimCheck& check, const Position& position,
                                             const RulePack& pack);
/// The reply as JSON: trueup's version, the rule pack and the as-of date, then `lines` (one
/// object per claim line) and `causes` (one per cause, with its line), every id listed.
[[nodiscard]] std::string format_claim_json(const Claim& claim, const ClaimCheck& check, const Position& position,
                                            const RulePack& pack);
/// The reply as an XLSX workbook (sheets Claim and Causes), written to PATH.trueup-tmp, then
/// renamed, as write_xlsx().
[[nodiscard]] Result<bool> write_claim_xlsx(const std::filesystem::path& path, const Claim& claim,
                                            const ClaimCheck& check, const Position& position, const RulePack& pack);

}  // namespace trueup::report
