// SPDX-License-Identifier: BSL-1.0
// File: trueup/check.hpp
//
// Broken invariants. A library must not abort its host, so a violated invariant throws
// `trueup::InvariantError` (a `std::logic_error`) in every build type. Failures that are normal
// (bad input) are values (`trueup::Result`), never exceptions.
#pragma once

#include <stdexcept>
#include <string>

namespace trueup {

/// Thrown when one of trueup's own invariants does not hold: a bug, never bad input.
class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace detail {
[[noreturn]] inline void check_failed(const char* cond, const std::string& what, const char* file, int line) {
  throw InvariantError(std::string(file) + ":" + std::to_string(line) + ": invariant `" + cond + "` failed: " + what);
}
}  // namespace detail

}  // namespace trueup

/// Checks an invariant in every build type; throws `trueup::InvariantError` when it fails.
#define TRUEUP_CHECK(cond, what)                                                  \
  do {                                                                            \
    if (!(cond)) ::trueup::detail::check_failed(#cond, what, __FILE__, __LINE__); \
  } while (false)

/// Checks an expensive invariant in debug builds only.
#ifdef NDEBUG
#define TRUEUP_DCHECK(cond, what) \
  do {                            \
  } while (false)
#else
#define TRUEUP_DCHECK(cond, what) TRUEUP_CHECK(cond, what)
#endif
