// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/rule_pack.hpp
//
// Loading a rule pack (TOML, docs/rule-packs.md). The loader checks the whole pack and
// returns every problem with its line and column: unknown keys, missing fields, versions out
// of release order, downgrade or edition rights naming versions or editions that do not
// exist.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/model/catalog.hpp"
#include "trueup/result.hpp"

namespace trueup::io {

/// Parses a rule pack from TOML text; `source_name` names it in diagnostics.
[[nodiscard]] Result<RulePack> parse_rule_pack(std::string_view toml, const std::string& source_name);

/// Loads a rule pack from a path, or a shipped pack by name ("microsoft"): a name without
/// '/' or ".toml" is looked up, first match wins, in the directories of $TRUEUP_RULES_PATH
/// (':'-separated), then in `search` (where an application ships its packs: the command
/// looks next to its executable, the Python module in its package), then in the installed
/// share/trueup/rules/.
[[nodiscard]] Result<RulePack> load_rule_pack(const std::string& path_or_name,
                                              const std::vector<std::filesystem::path>& search = {});

/// Several packs used in one run, in order (docs/rule-packs.md "Several packs in one run"):
/// each keeps its publishers and families; a publisher named again gains the later pack's
/// aliases; a family id defined again is an error naming both files (duplicate-family) unless
/// the later family says `overlay = true`, when it replaces the earlier one wholesale. One pack
/// is returned as it is.
[[nodiscard]] Result<RulePack> combine_rule_packs(std::vector<RulePack> packs);

/// Loads each of `paths_or_names` (load_rule_pack) and combines them in order; every problem
/// of every pack is reported.
[[nodiscard]] Result<RulePack> load_rule_packs(const std::vector<std::string>& paths_or_names,
                                               const std::vector<std::filesystem::path>& search = {});

}  // namespace trueup::io
