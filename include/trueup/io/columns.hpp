// SPDX-License-Identifier: BSL-1.0
// File: trueup/io/columns.hpp
//
// The columns of the position's output tables, defined once: the JSON report's record keys
// (docs/formats.md, "The JSON position"), the Python tables' columns (`Result.position`,
// `.verdicts`, `.entitlements`) and the text table's headings all come from these lists, so
// they cannot drift apart. A record of the JSON report holds the columns that apply to it
// (an excluded install has an `exclusion`, no `licences`), in the order its writer states;
// a Python table has every column, None where the JSON leaves one out.
//
// Tested in tests/io/columns_test.cpp: every key of every JSON record is a column of its table,
// and the Python tables' keys are exactly these, in this order.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace trueup::io::columns {

/// How a column's values are held: text; a count of licence units or records; a count that a
/// record may not have (pandas' nullable Int64); true or false; an exact decimal amount; a list
/// of {licence_id, units}; a list of {rule, detail}.
enum class Kind : unsigned char { text, integer, optional_integer, boolean, money, allocations, evidence };

struct Column {
  constexpr Column(std::string_view k, Kind kd = Kind::text, std::string_view h = {}) : key(k), kind(kd), heading(h) {}
  std::string_view key;  ///< JSON key and Python column name
  Kind kind;
  std::string_view heading;  ///< the text table's heading, for the columns it shows
};

/// The columns of `products[]`: one row per product (family, version, edition) and metric.
struct ProductKey {
  enum : std::size_t {
    product,
    family,
    version,
    edition,
    metric,
    installs,
    duplicates,
    excluded,
    demands,
    demand_units,
    covered_units,
    shortfall_units,
    licences,
    void_licences,
    consumed,
    surplus,
    true_up_cost,
    unpriced_shortfall_units,
    buy_edition,
  };
};
inline constexpr std::array<Column, 19> products{{{"product", Kind::text, "Product"},
                                                  {"family"},
                                                  {"version"},
                                                  {"edition"},
                                                  {"metric", Kind::text, "Model"},
                                                  {"installs", Kind::integer, "Installs"},
                                                  {"duplicates", Kind::integer, "Dup"},
                                                  {"excluded", Kind::integer, "Excl"},
                                                  {"demands", Kind::integer},
                                                  {"demand_units", Kind::integer, "Demand"},
                                                  {"covered_units", Kind::integer},
                                                  {"shortfall_units", Kind::integer, "Short"},
                                                  {"licences", Kind::integer, "Licences"},
                                                  {"void_licences", Kind::integer},
                                                  {"consumed", Kind::integer, "Consumed"},
                                                  {"surplus", Kind::integer, "Surplus"},
                                                  {"true_up_cost", Kind::money, "True-up"},
                                                  {"unpriced_shortfall_units", Kind::integer},
                                                  {"buy_edition"}}};

/// The product columns the text table shows, in its order, under their headings.
inline constexpr std::array<std::size_t, 11> table_columns{
    ProductKey::product,  ProductKey::metric,          ProductKey::installs,    ProductKey::duplicates,
    ProductKey::excluded, ProductKey::demand_units,    ProductKey::licences,    ProductKey::consumed,
    ProductKey::surplus,  ProductKey::shortfall_units, ProductKey::true_up_cost};

/// The columns of `installs[]`: one row per install read, whatever its verdict.
struct InstallKey {
  enum : std::size_t {
    install_id,
    device_id,
    title,
    verdict,
    product,
    exclusion,
    duplicate_of,
    reason,
    metric,
    units,
    covered_units,
    licences,
    evidence,
  };
};
inline constexpr std::array<Column, 13> installs{{{"install_id"},
                                                  {"device_id"},
                                                  {"title"},
                                                  {"verdict"},
                                                  {"product"},
                                                  {"exclusion"},
                                                  {"duplicate_of"},
                                                  {"reason"},
                                                  {"metric"},
                                                  {"units", Kind::optional_integer},
                                                  {"covered_units", Kind::optional_integer},
                                                  {"licences", Kind::allocations},
                                                  {"evidence", Kind::evidence}}};

/// The keys of an element of an install's `licences` and `evidence`.
inline constexpr std::string_view allocation_licence = "licence_id", allocation_units = "units";
inline constexpr std::string_view evidence_rule = "rule", evidence_detail = "detail";

/// The columns of `entitlements[]`: one row per licence record read.
struct EntitlementKey {
  enum : std::size_t {
    licence_id,
    product,
    channel,
    metric,
    quantity,
    device_id,
    counted,
    consumed,
    reason,
    note,
    counted_product,
    counted_metric,
    counted_units,
  };
};
/// `counted_*`: what a licence converted by Software Assurance to another licensing model counts
/// as (SA5), written only for those.
inline constexpr std::array<Column, 13> entitlements{{{"licence_id"},
                                                      {"product"},
                                                      {"channel"},
                                                      {"metric"},
                                                      {"quantity", Kind::integer},
                                                      {"device_id"},
                                                      {"counted", Kind::boolean},
                                                      {"consumed", Kind::integer},
                                                      {"reason"},
                                                      {"note"},
                                                      {"counted_product"},
                                                      {"counted_metric"},
                                                      {"counted_units", Kind::optional_integer}}};

/// The key of column `c` of a table.
template <std::size_t N>
[[nodiscard]] constexpr std::string_view key(const std::array<Column, N>& table, std::size_t c) {
  return table[c].key;
}

}  // namespace trueup::io::columns
