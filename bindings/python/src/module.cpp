// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/module.cpp
//
// The private module `trueup._core`: it only assembles the parts bound in register_*.cpp and
// holds the conversions they share (core.hpp). The public package is the pure-Python facade
// `trueup` (bindings/python/trueup), which turns tables into the readers' CSV, raises
// `InputError` on diagnostics and shapes results as DataFrames or records.
//
// A broken invariant (`trueup::InvariantError`, check.hpp) becomes `trueup.InternalError`, a
// `RuntimeError`: a bug to report, never bad input.
#include <Python.h>

#include "core.hpp"
#include "trueup/check.hpp"
#include "trueup/version.hpp"

namespace trueup::python {

py::str to_str(std::string_view s) {
  PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace");
  if (o == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(o);
}

namespace {
// Looked up once and kept for the life of the process (never destroyed: a static py::object
// would be released after the interpreter is gone).
const py::object& date_fromordinal() {
  static const auto* f = new py::object(py::module_::import("datetime").attr("date").attr("fromordinal"));
  return *f;
}
const py::object& decimal_type() {
  static const auto* d = new py::object(py::module_::import("decimal").attr("Decimal"));
  return *d;
}
}  // namespace

py::object to_date(const std::optional<Date>& d) {
  if (!d) return py::none();
  constexpr std::int32_t epoch_ordinal = 719163;  // datetime.date(1970, 1, 1).toordinal()
  return date_fromordinal()(d->days + epoch_ordinal);
}

py::object to_decimal(const std::string& exact) { return decimal_type()(exact); }

}  // namespace trueup::python

PYBIND11_MODULE(_core, m) {
  namespace tp = trueup::python;
  m.doc() = "trueup's compiled core (private: use the `trueup` package).";
  m.attr("__version__") = trueup::version_string;
  pybind11::register_exception<trueup::InvariantError>(m, "InternalError", PyExc_RuntimeError);
  tp::register_enums(m);
  tp::register_model(m);
  tp::register_io(m);
  tp::register_position(m);
  tp::register_tables(m);
  tp::register_report(m);
  tp::register_state(m);
  tp::register_import(m);
}
