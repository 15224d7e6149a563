// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/secret.hpp
//
// The secret a redacted report is keyed with (redact.hpp, docs/outputs.md#redaction), checked
// before anything is redacted: the command reads it from `--secret-file`, the Python module from
// `secret_file=` (the same function, so both take the same bytes) or from `secret=` as given.
// A secret shorter than min_secret_bytes is a `bad-secret` diagnostic, never an exception:
// users choose their secrets, and a short one is their mistake, not a broken invariant.
#pragma once

#include <string>

#include "trueup/result.hpp"

namespace trueup::report {

/// `secret` itself when it holds at least min_secret_bytes bytes; else a `bad-secret`
/// diagnostic reported under `name`: "expected a secret of at least 16 bytes, found N".
[[nodiscard]] Result<std::string> check_secret(std::string secret, const std::string& name);

/// The secret held in `file`: its bytes without one final line break (LF or CR LF), as an
/// editor saves a one-line file, then check_secret(). A file that cannot be read is a
/// `bad-secret` diagnostic too.
[[nodiscard]] Result<std::string> read_secret(const std::string& file);

}  // namespace trueup::report
