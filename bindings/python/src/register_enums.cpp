// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_enums.cpp
//
// The library's enumerations, members in UPPER case (`trueup.Verdict.SHORTFALL` is the C++
// `Verdict::shortfall`, the report's "short"), and `name(e)`: the lowercase word files and
// reports use for each ("short", "other-publisher", "vm"), as the C++ `trueup::name` gives it.
// RuleStep.Kind is bound with RuleStep (register_position.cpp).
#include <string>

#include "core.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/model/device.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/normalise/exclusion.hpp"
#include "trueup/position/verdict.hpp"
#include "trueup/solver/status.hpp"

namespace trueup::python {

namespace {
template <class E>
void def_name(py::module_& m) {
  m.def(
      "name", [](E e) { return std::string(name(e)); }, py::arg("value"),
      "The lowercase name files and reports use for an enumerator.");
}
}  // namespace

void register_enums(py::module_& m) {
  bind_enum<Severity>(m, "Severity");
  bind_enum<Subject>(m, "Subject", "What a problem is about: the input it concerns.");
  bind_enum<Channel>(m, "Channel", "How a licence was acquired; decides transfer and downgrade rights.");
  bind_enum<Metric>(m, "Metric", "What one licence unit counts.");
  bind_enum<DeviceKind>(m, "DeviceKind");
  bind_enum<Ownership>(m, "Ownership");
  bind_enum<DeviceStatus>(m, "DeviceStatus");
  bind_enum<Exclusion>(m, "Exclusion", "Why an install is out of the reconciliation.");
  bind_enum<Verdict>(m, "Verdict", "The state every install leaves the pipeline in (SHORTFALL is \"short\").");
  bind_enum<SolveStatus>(m, "SolveStatus");

  def_name<Channel>(m);
  def_name<Metric>(m);
  def_name<DeviceKind>(m);
  def_name<Ownership>(m);
  def_name<DeviceStatus>(m);
  def_name<Exclusion>(m);
  def_name<Verdict>(m);
  def_name<Subject>(m);
}

}  // namespace trueup::python
