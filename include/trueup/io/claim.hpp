// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/claim.hpp
//
// The reader of an auditor's claim, claim.csv (docs/formats.md#claimcsv): one line per product
// the auditor claims a shortfall of, with the counts as the auditor wrote them. Read as the
// fleet's tables are: the same encoding checks (UTF-8, no NUL, LF or CRLF line endings), the
// same header and field checks, and every problem with file, line, column and "expected ...,
// found ...". A line naming a product the rule pack does not know is no error: it is read
// without a match, and the check answers it "cannot match".
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "trueup/claim/claim.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/result.hpp"

namespace trueup::io {

/// Parses `text` (reported as `name`); returns the claim, or every problem found.
[[nodiscard]] Result<Claim> parse_claim(std::string_view text, const std::string& name, const RulePack& pack);

/// Reads the file at `path` (reported by its file name) and parses it.
[[nodiscard]] Result<Claim> read_claim(const std::filesystem::path& path, const RulePack& pack);

}  // namespace trueup::io
