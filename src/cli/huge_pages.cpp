// SPDX-License-Identifier: BSL-1.0
// File: src/cli/huge_pages.cpp
//
// use_huge_pages() (huge_pages.hpp). glibc reads its tunables once, before main(), from the
// environment: setting one for the running process is too late, so the process is replaced by
// a fresh one of the same program with the tunable set. Only glibc's malloc reads it; another
// allocator (a sanitizer's) ignores it and the run is the same.
#include "huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>

namespace trueup::cli {

void use_huge_pages(char** argv) {
  if (std::getenv("GLIBC_TUNABLES") != nullptr) return;
  if (::setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 0) != 0) return;
  ::execv("/proc/self/exe", argv);
  // Not executed again: no /proc, or no permission. The variable stays set, which only says
  // that the attempt was made (and is what a child of this run would inherit anyway).
}

}  // namespace trueup::cli
