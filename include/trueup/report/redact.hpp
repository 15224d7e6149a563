// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/redact.hpp
//
// A redacted position, for sharing with an auditor (docs/outputs.md#redaction): every device
// id, host name, user name, licence id and proof-of-purchase reference is replaced by a stable
// pseudonym, and free text that names them (reasons, evidence, notes, warnings) says the same
// with the pseudonyms. The pseudonym of an identifier is
//
//     PREFIX + the first 16 hex digits of HMAC-SHA-256(secret, KIND ":" + identifier)
//
// with PREFIX `dev-` (devices; a host name takes its device's pseudonym), `usr-` (users),
// `lic-` (licence records) and `ref-` (references). The secret is the user's: with it, the
// same identifier always gets the same pseudonym (outputs stay byte-identical run to run) and
// the user can recompute or keep the map back to the originals; without it, nobody can (HMAC is
// a keyed pseudo-random function: RFC 2104). Host names, which an ELP does not need, are
// dropped. Install ids, titles, products, SKUs, dates, units and money stay: they are what the
// auditor checks, and the totals of a redacted position are the original's.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"

namespace trueup::report {

/// HMAC-SHA-256 of `message` under `key` (RFC 2104 over FIPS 180-4 SHA-256; OpenSSL's
/// libcrypto computes it).
[[nodiscard]] std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view message);

/// The shortest secret accepted: 16 bytes (128 bits, the key length RFC 2104 section 3 asks
/// for at the least, half of SHA-256's output).
inline constexpr std::size_t min_secret_bytes = 16;
/// Hex digits of a pseudonym after its prefix: 64 bits, so that a million identifiers of one
/// kind collide with a probability below 1e-7 (and a collision is detected, never silent).
inline constexpr std::size_t pseudonym_digits = 16;
/// What the workbook's Assumptions sheet says of a redacted report (its `redacted` row).
inline constexpr std::string_view redaction_assumption = "identifiers pseudonymised (HMAC-SHA-256), host names dropped";

/// One identifier replaced: its kind (device, user, licence, reference), pseudonym and original.
struct RedactionEntry {
  std::string kind;
  std::string pseudonym;
  std::string original;
  friend bool operator==(const RedactionEntry&, const RedactionEntry&) = default;
};

struct Redacted {
  Fleet fleet;
  Position position;
  std::vector<RedactionEntry> map;  ///< sorted by kind, then pseudonym
};

/// The position and fleet with every identifier pseudonymised as the file comment says. Throws
/// InvariantError when `secret` is shorter than min_secret_bytes or two identifiers of one kind
/// get one pseudonym. The writers take the result as any position.
[[nodiscard]] Redacted redact(const Position& position, const Fleet& fleet, std::string_view secret);

/// The map as CSV (`kind,pseudonym,original`, a header, then one row per identifier in the
/// map's order), for the user alone: with it the redacted report reads back.
[[nodiscard]] std::string format_redaction_map(const std::vector<RedactionEntry>& map);

}  // namespace trueup::report
