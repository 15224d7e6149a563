// SPDX-License-Identifier: BSL-1.0
// File: src/import/json_text.cpp
//
// The JSON importers' shared pieces (json_text.hpp).
#include "json_text.hpp"

namespace trueup::import::detail {

std::string json_text(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return {};
}

std::optional<nlohmann::json> parse_json(std::string_view text, const std::string& file, std::uint32_t first_line,
                                         Diagnostics& errors) {
  using json = nlohmann::json;
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    const TextPosition at = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string what = e.what();
    if (const auto colon = what.find(": syntax error"); colon != std::string::npos) what = what.substr(colon + 2);
    errors.push_back(
        {Severity::error, file, first_line + at.line - 1, at.column, "bad-json", "expected JSON, found " + what});
  } catch (const json::out_of_range& e) {
    // A number beyond a double (`1e309`): nlohmann says which ("number overflow parsing '1e309'")
    // but not where, so the diagnostic points at the first place the number is written.
    std::string what = e.what();
    if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
    const auto quote = what.find('\'');
    const std::string number = quote == std::string::npos ? "" : what.substr(quote + 1, what.size() - quote - 2);
    const auto where = number.empty() ? std::string_view::npos : text.find(number);
    const TextPosition at = position_of(text, where == std::string_view::npos ? 0 : where);
    errors.push_back({Severity::error, file, first_line + at.line - 1, at.column, "bad-json",
                      "expected a JSON number a double can hold, found " + what});
  }
  return std::nullopt;
}

}  // namespace trueup::import::detail
