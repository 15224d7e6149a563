// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/writers.hpp
//
// Writers for a Position: a terminal table per product with totals, and JSON with the same
// plus every install's verdict and evidence and every entitlement's use (docs/formats.md).
// Output depends only on the inputs: the same position gives the same bytes.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/result.hpp"

namespace trueup::io {

[[nodiscard]] std::string format_table(const Position& position, const RulePack& pack, const Fleet& fleet);
/// Receives a text in pieces, in order: the pieces joined are the text.
using TextSink = std::function<void(std::string_view)>;
using JsonSink = TextSink;

/// The JSON document (docs/formats.md). With `threads` > 1 the installs array, most of the
/// document, is formatted in blocks by that many threads and joined in order: the bytes do
/// not depend on `threads`.
[[nodiscard]] std::string format_json(const Position& position, const RulePack& pack, const Fleet& fleet,
                                      unsigned threads = 1);
/// format_json()'s text handed to `sink` in pieces, so that a large report need not be held
/// whole (a million installs make about 400 MB of JSON).
void write_json(const Position& position, const RulePack& pack, const Fleet& fleet, const JsonSink& sink,
                unsigned threads = 1);
/// write_json() into `path`, atomically as write_file_atomically().
[[nodiscard]] Result<bool> write_json_file(const std::filesystem::path& path, const Position& position,
                                           const RulePack& pack, const Fleet& fleet, unsigned threads = 1);
/// Assignments as assignments.csv (docs/formats.md): what a later run reads as history.
[[nodiscard]] std::string format_assignments_csv(const std::vector<LicenceAssignment>& assignments);

/// Writes `text` to `path` atomically (temporary file, then rename): a failed write leaves no
/// partial file. Returns a diagnostic on failure.
[[nodiscard]] Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text);
/// The same, for a text made in pieces: `produce` hands them to the sink it is given. If it
/// throws, the temporary file is removed and the exception passes on.
[[nodiscard]] Result<bool> write_file_atomically(const std::filesystem::path& path,
                                                 const std::function<void(const TextSink&)>& produce);

}  // namespace trueup::io
