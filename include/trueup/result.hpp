// SPDX-License-Identifier: BSL-1.0
// File: trueup/result.hpp
//
// `Result<T>`: a value or the diagnostics that explain why there is none. Its API copies
// `std::expected<T, Diagnostics>` (`has_value()`, `value()`, `error()`), so it can be swapped for
// it once the toolchain has C++23.
//
// **Example**:
//
//     trueup::Result<trueup::RulePack> pack = trueup::io::load_rule_pack("rules/microsoft.toml");
//     if (!pack) {
//       for (const auto& d : pack.error()) std::cerr << d << '\n';
//       return 2;
//     }
//     use(*pack);
#pragma once

#include <utility>
#include <variant>

#include "trueup/check.hpp"
#include "trueup/diagnostic.hpp"

namespace trueup {

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Diagnostics errors) : v_(std::in_place_index<1>, std::move(errors)) {
    TRUEUP_CHECK(!std::get<1>(v_).empty(), "a failed Result carries at least one diagnostic");
  }

  [[nodiscard]] bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  /// \pre has_value()
  [[nodiscard]] T& value() & { return checked(); }
  [[nodiscard]] const T& value() const& { return const_cast<Result*>(this)->checked(); }
  [[nodiscard]] T&& value() && { return std::move(checked()); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// \pre !has_value()
  [[nodiscard]] const Diagnostics& error() const {
    TRUEUP_CHECK(!has_value(), "error() called on a Result that holds a value");
    return std::get<1>(v_);
  }

 private:
  T& checked() {
    TRUEUP_CHECK(has_value(), "value() called on a Result that holds diagnostics");
    return std::get<0>(v_);
  }
  std::variant<T, Diagnostics> v_;
};

}  // namespace trueup
