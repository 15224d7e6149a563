// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/core.hpp
//
// What every part of the private module `trueup._core` shares: the pybind11 includes, the
// vectors bound as read-only views instead of being copied into lists, the conversions of
// text, dates and money to Python objects, and the register_*() functions module.cpp calls.
//
// Conversions:
// - Text from the library is UTF-8 as read from the inputs. It becomes `str` with invalid
//   bytes replaced by U+FFFD (a file in another encoding must not make a result unreadable).
// - `trueup::Date` becomes `datetime.date`; `Money` and `MoneyTotal` become `decimal.Decimal`,
//   built from their exact decimal strings, never through a float.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trueup/diagnostic.hpp"
#include "trueup/enum_table.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/model/money.hpp"
#include "trueup/position/position.hpp"

// Vectors that reach Python by reference, as read-only sequences (bind_view below): a
// million-install position is not copied into a list when Python looks at it.
PYBIND11_MAKE_OPAQUE(std::vector<trueup::Device>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::Install>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::Entitlement>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::InstallVerdict>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::ProductPosition>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::EntitlementUse>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::ServerPosition>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::UserPosition>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::CalPosition>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::Allocation>)
PYBIND11_MAKE_OPAQUE(std::vector<trueup::RuleStep>)
PYBIND11_MAKE_OPAQUE(trueup::Diagnostics)

namespace trueup::python {

namespace py = pybind11;

/// UTF-8 text as `str`; invalid bytes become U+FFFD.
py::str to_str(std::string_view s);
/// `datetime.date`, or None.
py::object to_date(const std::optional<Date>& d);
/// `decimal.Decimal` from an exact decimal string ("1234.50").
py::object to_decimal(const std::string& exact);
inline py::object to_decimal(const Money& m) { return to_decimal(m.str()); }
inline py::object to_decimal(const MoneyTotal& m) { return to_decimal(m.str()); }

/// An index into the fleet as `int`, None when absent.
template <class Tag>
py::object index_or_none(Index<Tag> i) {
  return i.valid() ? py::object(py::int_(i.value)) : py::object(py::none());
}

/// A getter for a `std::string` member, through to_str().
template <class C>
auto text(std::string C::*member) {
  return [member](const C& c) { return to_str(c.*member); };
}

/// Binds `std::vector<T>` as a read-only sequence named `name`: len(), indexing (negative
/// indices too) and iteration, each element a reference that keeps the vector's owner alive.
template <class T>
void bind_view(py::module_& m, const char* name) {
  using V = std::vector<T>;
  py::class_<V>(m, name, "A read-only sequence viewing the library's vector (no copy).")
      .def("__len__", [](const V& v) { return v.size(); })
      .def(
          "__getitem__",
          [](const V& v, std::ptrdiff_t i) -> const T& {
            const auto n = static_cast<std::ptrdiff_t>(v.size());
            if (i < 0) i += n;
            if (i < 0 || i >= n) throw py::index_error("index out of range");
            return v[static_cast<std::size_t>(i)];
          },
          py::return_value_policy::reference_internal)
      .def(
          "__iter__", [](const V& v) { return py::make_iterator(v.begin(), v.end()); }, py::keep_alive<0, 1>());
}

void register_enums(py::module_& m);
void register_model(py::module_& m);
void register_io(py::module_& m);
void register_position(py::module_& m);
void register_tables(py::module_& m);
void register_report(py::module_& m);
void register_state(py::module_& m);
void register_import(py::module_& m);

/// Binds enumeration E from its table (trueup/enum_table.hpp): members named by the C++
/// identifier in upper case (`Verdict::shortfall` is `Verdict.SHORTFALL`), and `name(e)`, the
/// word files and reports use ("short"). The C++ table is the only list.
template <TabledEnum E, class Scope>
py::enum_<E> bind_enum(Scope& scope, const char* python_name, const char* doc = "") {
  py::enum_<E> e(scope, python_name, doc);
  for (const auto& entry : EnumTable<E>::entries) {
    std::string upper(entry.identifier);
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    e.value(upper.c_str(), entry.value);
  }
  return e;
}

}  // namespace trueup::python
