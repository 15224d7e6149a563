// SPDX-License-Identifier: BSL-1.0
// File: src/cli/report_output.cpp
//
// Where a one-shot report goes (deployment, check-claim): `-o FILE`, written whole or not at
// all, or standard output; and the exit status when it could not be written. The redaction of a
// report (--redact, docs/outputs.md#redaction) is shared by every command that has it.
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "commands.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/report/redact.hpp"
#include "trueup/report/secret.hpp"

namespace trueup::cli {

Result<bool> write_text(const std::optional<std::string>& output, const std::string& text) {
  if (output) return io::write_file_atomically(*output, text);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return true;
}

/// The pseudonyms of --redact, or nothing without it; 2 (printed) when the secret cannot be read.
int redaction_of(const FleetOptions& o, const Position& position, const Fleet& fleet,
                 std::optional<report::Redacted>& redacted) {
  if (!o.redact) return 0;
  auto secret = report::read_secret(*o.secret_file);
  if (!secret) {
    print_diagnostics(secret.error());
    fmt::print(stderr, "trueup: nothing was written\n");
    return 2;
  }
  redacted = report::redact(position, fleet, *secret);
  return 0;
}

Result<bool> write_with_map(const FleetOptions& o, const std::optional<report::Redacted>& redacted,
                            const std::function<Result<bool>()>& write_report) {
  if (!redacted || !o.redaction_map) return write_report();
  // The map is written beside its place first and moved there only once the report is written:
  // both or neither.
  const std::string pending = *o.redaction_map + ".trueup-pending";
  if (auto staged = io::write_file_atomically(pending, report::format_redaction_map(redacted->map)); !staged)
    return staged;
  auto written = write_report();
  std::error_code ec;
  if (written) std::filesystem::rename(pending, *o.redaction_map, ec);
  if (!written || ec) std::filesystem::remove(pending, ec);
  if (written && ec)
    return Diagnostics{{Severity::error, *o.redaction_map, 0, 0, "write-failed",
                        "expected to write the redaction map, found: " + ec.message()}};
  return written;
}

int written_status(const Result<bool>& written) {
  if (written) return 0;
  print_diagnostics(written.error());
  fmt::print(stderr, "trueup: nothing was written\n");
  return 2;
}

}  // namespace trueup::cli
