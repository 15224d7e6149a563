// SPDX-License-Identifier: BSL-1.0
// File: src/io/products.hpp
//
// A product named in a table by the rule pack's family, version and edition names
// (entitlements.csv, prices.csv), each checked with its own diagnostic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fields.hpp"
#include "trueup/model/catalog.hpp"

namespace trueup::io::reading {

/// Family, version and edition, each by the rule pack's names. Only a known family's
/// versions and editions are checked: one mistake, one diagnostic.
inline std::optional<ProductRef> product(Table& t, const RulePack& pack, std::size_t family_col,
                                         std::size_t version_col, std::size_t edition_col) {
  const auto family_name = required(t, family_col);
  const auto version_name = required(t, version_col);
  const auto edition_name = required(t, edition_col);
  if (!family_name) return std::nullopt;
  const auto family = pack.find_family(trim(*family_name));
  if (!family) {
    t.error(family_col, "unknown-product",
            "expected a product family of the rule pack (" + join(pack.families, [](const Family& f) { return f.id; }) +
                "), found " + quote_value(trim(*family_name)));
    return std::nullopt;
  }
  const Family& f = pack.family(*family);
  std::optional<std::uint16_t> version;
  if (version_name) {
    version = f.find_version(trim(*version_name));
    if (!version)
      t.error(version_col, "unknown-version",
              "expected a version of " + f.id + " (" + join(f.versions, [](const VersionSpec& v) { return v.name; }) +
                  "), found " + quote_value(trim(*version_name)));
  }
  std::optional<std::uint16_t> edition;
  if (edition_name) {
    edition = f.find_edition(trim(*edition_name));
    if (!edition) {
      std::vector<std::string_view> names;
      for (const EditionSpec& e : f.editions) {
        names.push_back(e.name);
        names.insert(names.end(), e.aliases.begin(), e.aliases.end());
      }
      t.error(edition_col, "unknown-edition",
              "expected an edition of " + f.id + " (" + join(names, [](std::string_view n) { return n; }) +
                  "), found " + quote_value(trim(*edition_name)));
    }
  }
  if (!version || !edition) return std::nullopt;
  return ProductRef{*family, *version, *edition};
}

}  // namespace trueup::io::reading
