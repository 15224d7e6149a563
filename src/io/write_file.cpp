// SPDX-License-Identifier: BSL-1.0
// File: src/io/write_file.cpp
//
// Writing an output file atomically: the text goes to PATH.trueup-tmp beside it and is renamed
// over PATH only once all of it was written, so that PATH holds the old file or the whole new
// one, never a part. A failed write, or an exception from the producer, leaves PATH as it was
// and removes the temporary file.
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

#include "trueup/io/writers.hpp"

namespace trueup::io {

Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  return write_file_atomically(path, [&](const TextSink& sink) { sink(text); });
}

Result<bool> write_file_atomically(const std::filesystem::path& path,
                                   const std::function<void(const TextSink&)>& produce) {
  namespace fs = std::filesystem;
  const fs::path tmp = path.string() + ".trueup-tmp";
  auto fail = [&](const std::string& what) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return Result<bool>(Diagnostics{{Severity::error, path.string(), 0, 0, "write-failed", what}});
  };
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return fail("expected a writable file, found it could not be created");
  bool ok = true;  // after a failed write, the rest is not attempted
  int error = 0;   // the first write's errno: a full disk, a file size limit, an I/O error
  try {
    produce([&](std::string_view piece) {
      if (ok && !piece.empty()) {
        ok = std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
        if (!ok) error = errno;
      }
    });
  } catch (...) {
    std::fclose(f);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok)
    return fail("expected to write the whole report, found: " +
                (error != 0 ? std::generic_category().message(error) : std::string("a write error")) +
                " (nothing was replaced)");
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail("expected to replace the file, found: " + ec.message());
  return true;
}

}  // namespace trueup::io
