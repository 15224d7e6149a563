// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/writers.hpp
//
// Writers for a Position: a terminal table per product with totals, and JSON with the same
// plus every install's verdict and evidence and every entitlement's use (docs/formats.md).
// Output depends only on the inputs: the same position gives the same bytes.
#pragma once

#include <filesystem>
#include <string>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/result.hpp"

namespace trueup::io {

[[nodiscard]] std::string format_table(const Position& position, const RulePack& pack, const Fleet& fleet);
[[nodiscard]] std::string format_json(const Position& position, const RulePack& pack, const Fleet& fleet);
/// Assignments as assignments.csv (docs/formats.md): what a later run reads as history.
[[nodiscard]] std::string format_assignments_csv(const std::vector<LicenceAssignment>& assignments);

/// Writes `text` to `path` atomically (temporary file, then rename): a failed write leaves no
/// partial file. Returns a diagnostic on failure.
[[nodiscard]] Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace trueup::io
