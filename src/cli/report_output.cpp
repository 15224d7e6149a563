// SPDX-License-Identifier: BSL-1.0
// File: src/cli/report_output.cpp
//
// Where a one-shot report goes (deployment, check-claim): `-o FILE`, written whole or not at
// all, or standard output; and the exit status when it could not be written.
#include <cstdio>
#include <optional>
#include <string>

#include "commands.hpp"
#include "trueup/io/writers.hpp"

namespace trueup::cli {

Result<bool> write_text(const std::optional<std::string>& output, const std::string& text) {
  if (output) return io::write_file_atomically(*output, text);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return true;
}

int written_status(const Result<bool>& written) {
  if (written) return 0;
  print_diagnostics(written.error());
  fmt::print(stderr, "trueup: nothing was written\n");
  return 2;
}

}  // namespace trueup::cli
