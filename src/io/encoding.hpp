// SPDX-License-Identifier: BSL-1.0
// File: src/io/encoding.hpp
//
// Whether a fleet file is text the readers can read (private to trueup::io), checked before its
// first field is split, so that a file saved in the wrong encoding or with the wrong line
// endings gives one clear error instead of a screen of garbled column errors:
//
// - UTF-16 or UTF-32 (a byte order mark FF FE / FE FF, or NUL bytes): `bad-encoding`,
//   "UTF-16: save as UTF-8";
// - a NUL byte anywhere else (a binary file): `bad-encoding` at its line and column;
// - bytes that are not UTF-8 (Windows-1252, Latin-1, a lone surrogate, an overlong form):
//   `bad-encoding` at the first one, with how many more lines hold such bytes. Nothing is
//   replaced: an id must reach the report, the assignments and the state exactly as written,
//   and two ids that differ only in such bytes must stay two ids;
// - lines ending in CR alone (classic Mac OS): `bad-line-ending`;
// - a byte order mark repeated at the start (a file converted twice): warning `repeated-bom`;
//   the marks are skipped (CsvReader skips them all).
//
// Invariant of a text that passes: it is valid UTF-8 without NUL bytes, so every value the
// readers take from it is too, and nothing read from it can make the JSON report invalid.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "trueup/diagnostic.hpp"
#include "trueup/io/dialect.hpp"

namespace trueup::io::reading {

/// Checks `text` (a whole file, as read) and reports its problems under `file`. Returns false
/// when it cannot be read as CSV (an error was reported).
bool check_text(std::string_view text, const std::string& file, Diagnostics& out);

/// Makes `text` a file's text to read as CSV, as check_text() accepts it: with `encoding`
/// windows-1252 converted to UTF-8 into `converted` first (then `text` views it). Returns false,
/// having reported why under `file`, when it cannot be read.
bool prepare_text(std::string_view& text, std::string& converted, const std::string& file, TextEncoding encoding,
                  Diagnostics& out);

/// Converts Windows-1252 `text` to UTF-8 into `utf8`: bytes below 0x80 as they are, 0x80..0x9F
/// by the Windows-1252 table (0x80 is U+20AC, the euro sign; 0x92 U+2019), 0xA0..0xFF as
/// U+00A0..U+00FF (Latin-1). The five bytes the table leaves undefined (0x81, 0x8D, 0x8F, 0x90,
/// 0x9D) and a UTF-8 byte order mark (the file is UTF-8) are errors; returns false then.
bool from_windows_1252(std::string_view text, const std::string& file, std::string& utf8, Diagnostics& out);

/// The length of the valid UTF-8 sequence at the start of `s`, or 0 when it does not start with
/// one (a stray continuation byte, an overlong form, a surrogate, beyond U+10FFFF, cut short).
/// \pre `s` is not empty.
std::size_t utf8_sequence_length(std::string_view s);

}  // namespace trueup::io::reading
