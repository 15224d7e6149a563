// SPDX-License-Identifier: BSL-1.0
// File: src/import/licence_csv.cpp
//
// `csv:FILE` (or a bare FILE): a licence list in the project's entitlements.csv format
// (docs/formats.md), read as the table exports are (csv_tables.hpp: UTF-8 or UTF-16 with a
// byte order mark, `,` `;` or tab separators, columns by name in any case). Its values are
// checked later by the fleet reader, on the rendered text, and reported here.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "csv_tables.hpp"
#include "entitlement_readers.hpp"

namespace trueup::import::detail {

namespace {

constexpr std::array<std::string_view, 17> known{"licence_id",      "family",        "version",   "edition",
                                                 "channel",         "quantity",      "device_id", "sku",
                                                 "reference",       "purchase_date", "unit_cost", "currency",
                                                 "metric",          "sa_start",      "sa_end",    "subscription_start",
                                                 "subscription_end"};

}  // namespace

void read_licence_csv(const EntitlementSource& source, std::vector<LicenceRow>& rows, Diagnostics& warnings,
                      Diagnostics& errors) {
  const std::string name = source.path.filename().string();
  bool header_checked = false;
  const auto each = [&](const TableRow& r) {
    if (!header_checked) {
      header_checked = true;
      for (const auto& column : r.columns())
        if (std::find(known.begin(), known.end(), column.first) == known.end())
          warnings.push_back({Severity::warning, name, 1, 0, "unknown-column",
                              "expected a column of entitlements.csv, found `" + column.first + "` (not read)"});
    }
    LicenceRow row;
    row.file = name;
    row.line = r.line();
    for (const std::string_view column : known) {
      const std::uint32_t at = r.column(column);
      if (at == 0) continue;
      row.values.emplace(column, r[column]);
      row.columns.emplace(column, at);
      if (r.line(column) != row.line) row.lines.emplace(column, r.line(column));
    }
    rows.push_back(std::move(row));
  };
  const std::vector<std::string_view> required{"licence_id", "family", "version", "edition", "channel", "quantity"};
  read_table(source.path, required, each, errors, {known.begin() + required.size(), known.end()});
}

}  // namespace trueup::import::detail
