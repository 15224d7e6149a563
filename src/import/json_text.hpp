// SPDX-License-Identifier: BSL-1.0
// File: src/import/json_text.hpp
//
// What the JSON importers (GLPI Agent inventories, osquery results) share: a JSON text parsed
// with its errors as diagnostics at their line and column, and a member read as text whether
// the tool wrote it as a string or as a number.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "importers.hpp"

namespace trueup::import::detail {

/// `object[key]` as text: a string as it is, a number as JSON writes it; empty when `object`
/// is not an object, lacks the key, or holds anything else there.
[[nodiscard]] std::string json_text(const nlohmann::json& object, const char* key);

/// `text` parsed, or nullopt and one `bad-json` error in `file` at the line and column where
/// parsing failed (`first_line`: the line of `file` that `text` starts on).
[[nodiscard]] std::optional<nlohmann::json> parse_json(std::string_view text, const std::string& file,
                                                       std::uint32_t first_line, Diagnostics& errors);

}  // namespace trueup::import::detail
