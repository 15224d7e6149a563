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
#include "trueup/normalise/normalise.hpp"
#include "trueup/position/verdict.hpp"
#include "trueup/solver/solver.hpp"

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
  py::enum_<Severity>(m, "Severity")
      .value("ERROR", Severity::error)
      .value("WARNING", Severity::warning);
  py::enum_<Channel>(m, "Channel", "How a licence was acquired; decides transfer and downgrade rights.")
      .value("OEM", Channel::oem)
      .value("RETAIL", Channel::retail)
      .value("VOLUME", Channel::volume)
      .value("SUBSCRIPTION", Channel::subscription);
  py::enum_<Metric>(m, "Metric", "What one licence unit counts.")
      .value("DEVICE", Metric::device)
      .value("SERVER", Metric::server)
      .value("PROCESSOR", Metric::processor)
      .value("CORE", Metric::core)
      .value("USER", Metric::user)
      .value("USER_CAL", Metric::user_cal)
      .value("DEVICE_CAL", Metric::device_cal);
  py::enum_<DeviceKind>(m, "DeviceKind")
      .value("DESKTOP", DeviceKind::desktop)
      .value("LAPTOP", DeviceKind::laptop)
      .value("SERVER", DeviceKind::server)
      .value("VIRTUAL_MACHINE", DeviceKind::virtual_machine)
      .value("TABLET", DeviceKind::tablet)
      .value("PHONE", DeviceKind::phone)
      .value("OTHER", DeviceKind::other);
  py::enum_<Ownership>(m, "Ownership")
      .value("OWNED", Ownership::owned)
      .value("LEASED", Ownership::leased)
      .value("RENTED", Ownership::rented)
      .value("CUSTOMER", Ownership::customer)
      .value("PERSONAL", Ownership::personal);
  py::enum_<DeviceStatus>(m, "DeviceStatus")
      .value("ACTIVE", DeviceStatus::active)
      .value("RETIRED", DeviceStatus::retired)
      .value("FAILED", DeviceStatus::failed);
  py::enum_<Exclusion>(m, "Exclusion", "Why an install is out of the reconciliation.")
      .value("NONE", Exclusion::none)
      .value("COMPONENT", Exclusion::component)
      .value("OTHER_PUBLISHER", Exclusion::other_publisher)
      .value("UNRECOGNISED", Exclusion::unrecognised)
      .value("FREE_EDITION", Exclusion::free_edition)
      .value("NOT_OWNED", Exclusion::not_owned)
      .value("RETIRED", Exclusion::retired)
      .value("FAILED", Exclusion::failed)
      .value("AFTER_AS_OF", Exclusion::after_as_of);
  py::enum_<Verdict>(m, "Verdict", "The state every install leaves the pipeline in (SHORTFALL is \"short\").")
      .value("COVERED", Verdict::covered)
      .value("SHORTFALL", Verdict::shortfall)
      .value("EXCLUDED", Verdict::excluded)
      .value("DUPLICATE", Verdict::duplicate);
  py::enum_<SolveStatus>(m, "SolveStatus")
      .value("OPTIMAL", SolveStatus::optimal)
      .value("BAD_COST_RANGE", SolveStatus::bad_cost_range);

  def_name<Channel>(m);
  def_name<Metric>(m);
  def_name<DeviceKind>(m);
  def_name<Ownership>(m);
  def_name<DeviceStatus>(m);
  def_name<Exclusion>(m);
  def_name<Verdict>(m);
}

}  // namespace trueup::python
