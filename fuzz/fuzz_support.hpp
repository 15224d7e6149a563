// SPDX-License-Identifier: BSL-1.0
// File: fuzz/fuzz_support.hpp
//
// What every libFuzzer target of fuzz/ checks besides the sanitizers (docs/testing.md,
// "Fuzzing"). A target aborts, and libFuzzer saves the input, when what the input leads to is
// wrong:
// - a diagnostic that is not one line of printable text (trueup/printable.hpp);
// - a position whose accounting does not add up (check_accounting), an install without its
//   verdict, verdict counts that do not add up to the installs read, or a licence that hands
//   out more units than it holds;
// - a JSON report that is not valid UTF-8 JSON (tests/support/json_check.hpp).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "support/json_check.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/reconcile.hpp"

namespace trueup::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// The shipped Microsoft pack, loaded once.
inline const RulePack& microsoft_pack() {
  static const RulePack p = [] {
    auto loaded = io::load_rule_pack(TRUEUP_SOURCE_DIR "/rules/microsoft.toml");
    if (!loaded) std::abort();
    return std::move(loaded).value();
  }();
  return p;
}

/// A diagnostic must be one line of printable text (trueup/printable.hpp).
inline void check_printable(const Diagnostics& ds) {
  for (const auto& d : ds) {
    const std::string line = to_string(d);
    for (const char c : line)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) fail("a control character in a diagnostic", line);
  }
}

/// The engine's invariants on one reconciled position; returns its JSON report, checked.
inline std::string check_position(const Position& p, const RulePack& pack, const Fleet& fleet) {
  check_printable(p.warnings);
  if (!check_accounting(p, fleet)) fail("the accounting does not add up", p.rule_pack);
  if (p.installs.size() != fleet.installs.size()) fail("an install without a verdict", p.rule_pack);
  const Totals& t = p.totals;
  if (std::size_t{t.covered} + t.shortfall + t.excluded + t.duplicate != fleet.installs.size())
    fail("the verdict counts do not add up to the installs read", p.rule_pack);
  if (p.entitlements.size() != fleet.entitlements.size()) fail("a licence without its use", p.rule_pack);
  for (std::size_t e = 0; e < p.entitlements.size(); ++e) {
    const EntitlementUse& use = p.entitlements[e];
    const Units held = use.counted ? use.units : 0;
    if (use.consumed < 0 || use.consumed > held)
      fail("a licence hands out more than it holds", fleet.entitlements[e].id);
  }
  std::string json = io::format_json(p, pack, fleet);
  if (const std::string bad = testing::JsonCheck::check(json); !bad.empty()) fail("invalid JSON", bad);
  return json;
}

/// A file of this process that holds the current input, for readers that take a path.
class InputFile {
 public:
  explicit InputFile(const std::string& extension)
      : path_(std::filesystem::temp_directory_path() / ("trueup-fuzz-" + std::to_string(::getpid()) + extension)) {}
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile() { remove(); }

  /// Replaces the file's content with `bytes` (and removes what a previous input left beside it).
  const std::filesystem::path& write(std::string_view bytes) {
    remove();
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) fail("cannot write the input file", path_.string());
    return path_;
  }

  void remove() const {
    std::error_code ec;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix, ec);
  }

 private:
  std::filesystem::path path_;
};

}  // namespace trueup::fuzz
