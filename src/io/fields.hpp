// SPDX-License-Identifier: BSL-1.0
// File: src/io/fields.hpp
//
// The field checks every table's reader shares (private to trueup::io): a required value, an
// optional date, enum, count or text, a unique id, a reference to a device. Each reports its
// own diagnostic at the field and returns what it could read, so that a reader states a row
// as a list of its columns. A missing column was reported once, at the header: these report
// nothing for it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ids.hpp"
#include "table.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/limits.hpp"
#include "trueup/model/money.hpp"
#include "values.hpp"

namespace trueup::io::reading {

/// A required value: reports `empty-value` when the column is present but the value blank.
/// A missing column was reported once, at the header.
inline std::optional<std::string_view> required(Table& t, std::size_t c) {
  const CsvField* f = t.field(c);
  if (f == nullptr) return std::nullopt;
  if (trim(f->value).empty()) {
    t.error(c, "empty-value", "expected a value, found an empty field");
    return std::nullopt;
  }
  return f->value;
}

inline std::optional<Date> optional_date(Table& t, std::size_t c) {
  const std::string_view v = t.value(c);
  if (v.empty()) return std::nullopt;
  auto d = Date::parse(v);
  if (!d) t.error(c, "bad-date", "expected a date YYYY-MM-DD, found " + quote_value(v) + why_not_a_date(v));
  return d;
}

/// An enum column: one of E's words or aliases (trueup/enum_table.hpp), compared without regard
/// to ASCII case; empty gives `fallback`; `except` is a value no file may state.
template <TabledEnum E>
E optional_enum(Table& t, std::size_t c, E fallback, std::type_identity_t<std::optional<E>> except = std::nullopt) {
  const std::string_view v = t.value(c);
  if (v.empty()) return fallback;
  for (const auto& n : EnumTable<E>::entries)
    if (iequals(n.word, v) && n.value != except) return n.value;
  for (const auto& n : detail::enum_aliases<E>())
    if (iequals(n.word, v) && n.value != except) return n.value;
  t.error(c, "bad-enum", "expected one of " + word_list<E>(except) + ", found " + quote_value(v));
  return fallback;
}

/// An amount of money: digits, at most 4 decimals, no sign or currency symbol; empty: none.
inline std::optional<Money> optional_money(Table& t, std::size_t c) {
  const std::string_view v = t.value(c);
  if (v.empty()) return std::nullopt;
  auto m = Money::parse(v);
  // Beyond the limit, or beyond 64 bits (which Money::parse refuses): the whole part decides,
  // when the rest is a valid fraction.
  const std::string_view whole = v.substr(0, v.find('.'));
  const bool too_large = m ? m->amount > limits::max_unit_cost * Money::scale
                           : parse_bounded(whole, limits::max_unit_cost).kind == Bounded::Kind::out_of_range &&
                                 Money::parse("0" + std::string(v.substr(whole.size())));
  if (too_large) {
    t.error(c, "out-of-range",
            "expected an amount of at most " + std::to_string(limits::max_unit_cost) +
                " (the limit of a unit price), found " + quote_value(v));
    return std::nullopt;
  }
  // A decimal comma (`1234,50`, as a French or German spreadsheet writes it) is refused, never
  // guessed: `1,234` may mean 1234 or 1.234, and a wrong amount is worse than none.
  if (!m && std::count(v.begin(), v.end(), ',') == 1) {
    std::string pointed(v);
    pointed[pointed.find(',')] = '.';
    if (Money::parse(pointed)) {
      t.error(c, "bad-money",
              "expected an amount with a decimal point such as 1234.50, found " + quote_value(v) +
                  ": a decimal comma is not read, since `1,234` may mean 1234 or 1.234 (a wrong amount is worse "
                  "than none); save the file with a point as the decimal separator");
      return std::nullopt;
    }
  }
  if (!m)
    t.error(c, "bad-money",
            "expected an amount such as 1234.50 (digits, at most 4 decimals, no sign or currency symbol), found " +
                quote_value(v));
  return m;
}

/// An ISO 4217 currency code (3 capital letters); empty: none.
inline std::string optional_currency(Table& t, std::size_t c) {
  const std::string_view v = t.value(c);
  if (v.empty()) return {};
  if (is_currency_code(v)) return std::string(v);
  t.error(c, "bad-currency", "expected a currency code of 3 capital letters such as EUR, found " + quote_value(v));
  return {};
}

/// A count of at most `max` (trueup/model/limits.hpp), `what` naming the limit in the message
/// ("cores per device"); empty: 0.
inline std::uint32_t optional_count(Table& t, std::size_t c, std::uint32_t max, std::string_view what) {
  const std::string_view v = t.value(c);
  if (v.empty()) return 0;
  const Bounded n = parse_bounded(v, max);
  if (n.kind == Bounded::Kind::not_a_number)
    t.error(c, "bad-number", "expected a whole number >= 0, found " + quote_value(v));
  else if (n.kind == Bounded::Kind::out_of_range)
    t.error(c, "out-of-range",
            "expected a whole number from 0 to " + std::to_string(max) + " (the limit of " + std::string(what) +
                "), found " + quote_value(v));
  return static_cast<std::uint32_t>(n.value);
}

/// Optional text, as written (unquoted fields are already trimmed by the CSV layer).
inline std::string optional_text(const Table& t, std::size_t c) {
  const CsvField* f = t.field(c);
  return f == nullptr ? std::string() : std::string(f->value);
}

/// A required id, unique within its table (`duplicate-id` names the first line it was on).
inline std::optional<std::string_view> unique_id(Table& t, std::size_t c, IdIndex& ids, std::size_t index) {
  const auto id = required(t, c);
  if (!id) return std::nullopt;
  if (const IdIndex::Entry* first = ids.insert(*id, static_cast<std::uint32_t>(index), t.line())) {
    t.error(c, "duplicate-id",
            "expected a unique " + std::string(t.column_name(c)) + ", found " + quote_value(*id) +
                " again (first on line " + std::to_string(first->line) + ")");
  }
  return id;
}

/// What installs and entitlements need to know about devices.csv.
struct DeviceRefs {
  const IdIndex& ids;
  /// Whether every device could be read: references are checked only then (a missing or
  /// unreadable devices.csv is its own error, and must not turn every reference into one).
  bool known;
  std::string_view file;

  /// The index of device `id`, an invalid index when it does not stand in the fleet (a broken
  /// row), or nullopt when it is unknown, reported as `unknown-device`.
  std::optional<DeviceIndex> find(Table& t, std::size_t c, std::string_view id) const {
    const IdIndex::Entry* e = ids.find(id);
    if (e != nullptr) return e->readable ? DeviceIndex{e->index} : DeviceIndex{};
    if (known)
      t.error(c, "unknown-device",
              "expected a device_id listed in " + std::string(file) + ", found " + quote_value(id));
    return std::nullopt;
  }
};

}  // namespace trueup::io::reading
