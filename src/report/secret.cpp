// SPDX-License-Identifier: BSL-1.0
// File: src/report/secret.cpp
//
// check_secret() and read_secret() (trueup/report/secret.hpp).
#include "trueup/report/secret.hpp"

#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include "trueup/report/redact.hpp"

namespace trueup::report {

Result<std::string> check_secret(std::string secret, const std::string& name) {
  if (secret.size() < min_secret_bytes)
    return Diagnostics{{Severity::error, name, 0, 0, "bad-secret",
                        "expected a secret of at least " + std::to_string(min_secret_bytes) + " bytes, found " +
                            std::to_string(secret.size())}};
  return secret;
}

Result<std::string> read_secret(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return Diagnostics{{Severity::error, file, 0, 0, "bad-secret", "expected a secret file, found none readable"}};
  std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (secret.ends_with('\n')) secret.pop_back();
  if (secret.ends_with('\r')) secret.pop_back();
  return check_secret(std::move(secret), file);
}

}  // namespace trueup::report
