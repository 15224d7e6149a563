// SPDX-License-Identifier: BSL-1.0
// File: src/import/entitlement_readers.hpp
//
// The readers of the entitlement formats (trueup/import/entitlements.hpp), one per file. Each
// appends the licence records it read to `rows`, each with its file, line and the column of
// every value; problems that keep a source from being read go to `errors`, the others to
// `warnings`, each with file, line and column.
#pragma once

#include <vector>

#include "trueup/diagnostic.hpp"
#include "trueup/import/entitlements.hpp"

namespace trueup::import::detail {

/// The project's entitlements.csv format under any file name (licence_csv.cpp).
void read_licence_csv(const EntitlementSource& source, std::vector<LicenceRow>& rows, Diagnostics& warnings,
                      Diagnostics& errors);

}  // namespace trueup::import::detail
