// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_claim.cpp
//
// claim.csv (docs/formats.md#claimcsv): an auditor's claim, one line per product. The product
// is named by the rule pack's family, version and edition (as in entitlements.csv), or by its
// full name as the reports write it ("Office Professional Plus 2016") with version and edition
// left blank or repeated; names are compared without regard to ASCII case. A product the pack
// does not know is read without a match: the check answers it "cannot match" (never dropped).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "encoding.hpp"
#include "fields.hpp"
#include "table.hpp"
#include "trueup/io/claim.hpp"
#include "trueup/io/dialect.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/limits.hpp"

namespace trueup::io {
namespace reading {
namespace {

struct ClaimCol {
  enum : std::size_t { line, product, version, edition, unit, installed, required, credited, shortfall };
};
constexpr ColumnSpec claim_columns[] = {{"line", false},     {"product", true},   {"version", false},
                                        {"edition", false},  {"unit", false},     {"installed", false},
                                        {"required", false}, {"credited", false}, {"shortfall", true}};

/// The product of family (by id or name), version and edition names.
std::optional<ProductRef> by_parts(const RulePack& pack, std::string_view family, std::string_view version,
                                   std::string_view edition) {
  for (std::size_t f = 0; f < pack.families.size(); ++f) {
    const Family& fam = pack.families[f];
    if (!iequals(fam.id, family) && !iequals(fam.name, family)) continue;
    ProductRef p{FamilyIndex{static_cast<FamilyIndex::value_type>(f)}, 0, 0};
    bool version_found = false;
    for (std::size_t v = 0; v < fam.versions.size() && !version_found; ++v)
      if (iequals(fam.versions[v].name, version)) {
        p.version = static_cast<std::uint16_t>(v);
        version_found = true;
      }
    bool edition_found = false;
    for (std::size_t e = 0; e < fam.editions.size() && !edition_found; ++e) {
      const EditionSpec& spec = fam.editions[e];
      bool same = iequals(spec.name, edition);
      for (const std::string& alias : spec.aliases) same = same || iequals(alias, edition);
      if (same) {
        p.edition = static_cast<std::uint16_t>(e);
        edition_found = true;
      }
    }
    // A family of one edition (Windows Server CAL): an auditor leaves the edition blank.
    if (edition.empty() && fam.editions.size() == 1) edition_found = true;
    if (version_found && edition_found) return p;
  }
  return std::nullopt;
}

/// The product whose full name (RulePack::product_name) is `name`.
std::optional<ProductRef> by_name(const RulePack& pack, std::string_view name) {
  for (std::size_t f = 0; f < pack.families.size(); ++f) {
    const Family& fam = pack.families[f];
    for (std::size_t v = 0; v < fam.versions.size(); ++v)
      for (std::size_t e = 0; e < fam.editions.size(); ++e) {
        const ProductRef p{FamilyIndex{static_cast<FamilyIndex::value_type>(f)}, static_cast<std::uint16_t>(v),
                           static_cast<std::uint16_t>(e)};
        if (iequals(pack.product_name(p), name)) return p;
      }
  }
  return std::nullopt;
}

/// A count the auditor wrote: a whole number from 0 to limits::max_quantity; empty: none.
std::optional<Units> claim_count(Table& t, std::size_t c) {
  const std::string_view v = t.value(c);
  if (v.empty()) return std::nullopt;
  const Bounded n = parse_bounded(v, limits::max_quantity);
  if (n.kind == Bounded::Kind::ok) return n.value;
  if (n.kind == Bounded::Kind::not_a_number)
    t.error(c, "bad-number", "expected a whole number >= 0, found " + quote_value(v));
  else
    t.error(c, "out-of-range",
            "expected a whole number from 0 to " + std::to_string(limits::max_quantity) +
                " (the limit of a licence quantity), found " + quote_value(v));
  return std::nullopt;
}

void read_claim_lines(std::string_view text, const std::string& file, char separator, const RulePack& pack,
                      Claim& claim, Diagnostics& out) {
  Table t(text, file, claim_columns, out, separator);
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    ClaimLine l;
    l.line = t.line();
    l.id = optional_text(t, ClaimCol::line);
    if (l.id.empty()) l.id = std::to_string(l.line);
    if (const auto product = required(t, ClaimCol::product)) l.product = std::string(trim(*product));
    l.version = std::string(t.value(ClaimCol::version));
    l.edition = std::string(t.value(ClaimCol::edition));
    if (!t.value(ClaimCol::unit).empty()) l.unit = optional_enum<Metric>(t, ClaimCol::unit, Metric::device);
    l.installed = claim_count(t, ClaimCol::installed);
    l.required = claim_count(t, ClaimCol::required);
    l.credited = claim_count(t, ClaimCol::credited);
    if (required(t, ClaimCol::shortfall)) l.shortfall = claim_count(t, ClaimCol::shortfall).value_or(0);
    l.matched = by_parts(pack, l.product, l.version, l.edition);
    if (!l.matched) l.matched = by_name(pack, l.product);
    if (!l.product.empty()) claim.lines.push_back(std::move(l));
  }
}

}  // namespace
}  // namespace reading

Result<Claim> parse_claim(std::string_view text, const std::string& name, const RulePack& pack,
                          const CsvDialect& dialect) {
  Diagnostics out;
  Claim claim;
  std::string converted;
  if (reading::prepare_text(text, converted, name, dialect.encoding, out))
    reading::read_claim_lines(text, name, dialect.separator, pack, claim, out);
  if (has_errors(out)) return out;
  claim.warnings = std::move(out);
  return claim;
}

Result<Claim> parse_claim(std::string_view text, const std::string& name, const RulePack& pack) {
  return parse_claim(text, name, pack, CsvDialect{});
}

Result<Claim> read_claim(const std::filesystem::path& path, const RulePack& pack) {
  return read_claim(path, pack, CsvDialect{});
}

Result<Claim> read_claim(const std::filesystem::path& path, const RulePack& pack, const CsvDialect& dialect) {
  const std::string name = path.filename().string();
  auto text = read_input_file(path, name);
  if (!text) return text.error();
  return parse_claim(*text, name, pack, dialect);
}

}  // namespace trueup::io
