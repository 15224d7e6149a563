// SPDX-License-Identifier: BSL-1.0
// File: src/cli/huge_pages.hpp
//
// The command's memory on transparent huge pages (docs/performance.md, "Huge pages for the
// command's heap").
#pragma once

namespace trueup::cli {

/// Starts the command again, as its first act, with glibc's malloc asked to back its heap with
/// transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1): a 1M-install run faults in
/// about 1.1 GB page by page otherwise (295k faults), and on a virtual machine each fault is
/// dear. Does nothing, and returns, when GLIBC_TUNABLES is already set (by the user, to any
/// value including the empty one, or by this very function in the started process), or when
/// the program cannot be executed again (no /proc): the run then goes on with small pages.
/// The output does not depend on it: only where the memory comes from changes.
void use_huge_pages(char** argv);

}  // namespace trueup::cli
