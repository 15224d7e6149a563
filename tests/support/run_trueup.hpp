// SPDX-License-Identifier: BSL-1.0
// File: tests/support/run_trueup.hpp
//
// Runs the `trueup` executable of the build tree as a user's shell would, for the tests of the
// command line (tests/cli/): standard output, standard error and the exit code, each whole.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace trueup::test {

/// The `trueup` executable of this build tree.
inline std::filesystem::path trueup_exe() { return std::filesystem::path(TRUEUP_BINARY_DIR) / "trueup"; }

/// What one run of the command gave.
struct Ran {
  int exit = -1;  ///< the exit code; -1 when the command could not be run or was killed
  std::string out, err;
};

/// The bytes of `p`, empty when it cannot be read.
inline std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs `trueup ARGS` (each argument single-quoted for the shell); standard error goes through
/// the file `err_file`, which is removed again.
inline Ran run_trueup(const std::vector<std::string>& args, const std::filesystem::path& err_file) {
  std::string command = "'" + trueup_exe().string() + "'";
  for (const auto& a : args) command += " '" + a + "'";
  command += " 2>'" + err_file.string() + "'";
  Ran r;
  std::FILE* p = ::popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = file_bytes(err_file);
  std::filesystem::remove(err_file);
  return r;
}

}  // namespace trueup::test
