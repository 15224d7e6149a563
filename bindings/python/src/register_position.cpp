// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_position.cpp
//
// `reconcile` and what it returns: the Position with a verdict and evidence for every install,
// the position per product, the use of every entitlement and the totals. `reconcile` runs
// with the GIL released, on the fleet and pack in place (nothing is copied in), and its
// Position is moved into the Python object that owns it (nothing is copied out).
#include <optional>
#include <string>

#include "core.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/reconcile.hpp"

namespace trueup::python {

namespace {

/// Allocations, evidence steps, install verdicts, product rows.
void register_verdicts(py::module_& m) {
  py::class_<Allocation>(m, "Allocation", "Units of one entitlement used for one install's demand.")
      .def_property_readonly("entitlement", [](const Allocation& a) { return a.entitlement.value; })
      .def_readonly("units", &Allocation::units);

  py::class_<RuleStep> step(m, "RuleStep", "One rule applied on the way from an install to a licence.");
  bind_enum<RuleStep::Kind>(step, "Kind");
  step.def_readonly("kind", &RuleStep::kind).def_property_readonly("text", text(&RuleStep::text));
  m.def(
      "name", [](RuleStep::Kind k) { return std::string(name(k)); }, py::arg("value"));

  bind_view<Allocation>(m, "AllocationVector");
  bind_view<RuleStep>(m, "RuleStepVector");

  py::class_<InstallVerdict>(m, "InstallVerdict", "The verdict on one install, with what covers it and why.")
      .def_readonly("verdict", &InstallVerdict::verdict)
      .def_readonly("product", &InstallVerdict::product)
      .def_readonly("exclusion", &InstallVerdict::exclusion)
      .def_property_readonly("reason", text(&InstallVerdict::reason))
      .def_property_readonly("duplicate_of", [](const InstallVerdict& v) { return index_or_none(v.duplicate_of); })
      .def_readonly("metric", &InstallVerdict::metric)
      .def_readonly("demanded", &InstallVerdict::demanded)
      .def_readonly("covered", &InstallVerdict::covered)
      .def_readonly("licences", &InstallVerdict::licences)
      .def_readonly("evidence", &InstallVerdict::evidence);

  py::class_<ProductPosition>(m, "ProductPosition", "The effective licence position of one product.")
      .def_readonly("product", &ProductPosition::product)
      .def_readonly("metric", &ProductPosition::metric)
      .def_readonly("installs", &ProductPosition::installs)
      .def_readonly("duplicates", &ProductPosition::duplicates)
      .def_readonly("excluded", &ProductPosition::excluded)
      .def_readonly("demands", &ProductPosition::demands)
      .def_readonly("demand_units", &ProductPosition::demand_units)
      .def_readonly("covered_units", &ProductPosition::covered_units)
      .def_readonly("shortfall_units", &ProductPosition::shortfall_units)
      .def_readonly("licences", &ProductPosition::licences)
      .def_readonly("void_licences", &ProductPosition::void_licences)
      .def_readonly("consumed", &ProductPosition::consumed)
      .def_readonly("surplus", &ProductPosition::surplus)
      .def_property_readonly("true_up_cost", [](const ProductPosition& r) { return to_decimal(r.true_up_cost); })
      .def_readonly("unpriced_shortfall", &ProductPosition::unpriced_shortfall);
}

/// Entitlements' use, totals, servers, users, CAL holders.
void register_parts(py::module_& m) {
  py::class_<EntitlementUse>(m, "EntitlementUse", "How much of one entitlement is used, or why it is void.")
      .def_readonly("counted", &EntitlementUse::counted)
      .def_property_readonly("reason", text(&EntitlementUse::reason))
      .def_property_readonly("note", text(&EntitlementUse::note))
      .def_readonly("consumed", &EntitlementUse::consumed);

  py::class_<UnitTotals>(m, "UnitTotals", "Licence units of one metric.")
      .def_readonly("demand", &UnitTotals::demand)
      .def_readonly("covered", &UnitTotals::covered)
      .def_readonly("shortfall", &UnitTotals::shortfall)
      .def_readonly("licences", &UnitTotals::licences)
      .def_readonly("consumed", &UnitTotals::consumed)
      .def_readonly("surplus", &UnitTotals::surplus);

  py::class_<Totals>(m, "Totals")
      .def_readonly("installs", &Totals::installs)
      .def_readonly("covered", &Totals::covered)
      .def_readonly("shortfall", &Totals::shortfall)
      .def_readonly("excluded", &Totals::excluded)
      .def_readonly("duplicate", &Totals::duplicate)
      .def_readonly("units", &Totals::units)
      // `in` is a Python keyword.
      .def(
          "in_", [](const Totals& t, Metric metric) -> const UnitTotals& { return t.in(metric); }, py::arg("metric"),
          py::return_value_policy::reference_internal, "Totals.in(metric): the units of one metric.")
      .def_property_readonly("true_up_cost", [](const Totals& t) { return to_decimal(t.true_up_cost); })
      .def_readonly("unpriced_shortfall", &Totals::unpriced_shortfall);

  py::class_<ServerPosition>(m, "ServerPosition",
                             "A server of a host-licensed family: the model it is licensed under, and why.")
      .def_property_readonly("device", [](const ServerPosition& s) { return s.device.value; })
      .def_property_readonly("install", [](const ServerPosition& s) { return s.install.value; })
      .def_readonly("product", &ServerPosition::product)
      .def_readonly("oses", &ServerPosition::oses)
      .def_property_readonly("model", text(&ServerPosition::model))
      .def_readonly("edition", &ServerPosition::edition)
      .def_readonly("metric", &ServerPosition::metric)
      .def_readonly("required", &ServerPosition::required)
      .def_readonly("covered", &ServerPosition::covered)
      .def_property_readonly("why", text(&ServerPosition::why))
      .def_property_readonly("source", text(&ServerPosition::source));
  py::class_<UserPosition>(m, "UserPosition", "A named user of a per-user family.")
      .def_property_readonly("user", text(&UserPosition::user))
      .def_readonly("product", &UserPosition::product)
      .def_readonly("devices", &UserPosition::devices)
      .def_readonly("user_licence", &UserPosition::user_licence)
      .def_readonly("user_licence_owned", &UserPosition::user_licence_owned)
      .def_readonly("under_user_licence", &UserPosition::under_user_licence)
      .def_readonly("device_licences", &UserPosition::device_licences)
      .def_readonly("device_short", &UserPosition::device_short);
  py::class_<CalPosition>(m, "CalPosition", "A user or device that needs a CAL, and what covers it.")
      .def_readonly("metric", &CalPosition::metric)
      .def_property_readonly("holder", text(&CalPosition::holder))
      .def_readonly("product", &CalPosition::product)
      .def_readonly("servers", &CalPosition::servers)
      .def_readonly("covered", &CalPosition::covered)
      .def_readonly("licences", &CalPosition::licences);

  bind_view<ServerPosition>(m, "ServerPositionVector");
  bind_view<UserPosition>(m, "UserPositionVector");
  bind_view<CalPosition>(m, "CalPositionVector");
  bind_view<InstallVerdict>(m, "InstallVerdictVector");
  bind_view<ProductPosition>(m, "ProductPositionVector");
  bind_view<EntitlementUse>(m, "EntitlementUseVector");
}

/// The position, the options, reconcile itself.
void register_reconcile(py::module_& m) {
  py::class_<Position>(m, "Position", "The effective licence position (position/position.hpp).")
      .def_property_readonly("rule_pack", text(&Position::rule_pack))
      .def_property_readonly("as_of", [](const Position& p) { return to_date(std::optional<Date>(p.as_of)); })
      .def_readonly("status", &Position::status)
      .def_readonly("installs", &Position::installs)
      .def_readonly("products", &Position::products)
      .def_readonly("entitlements", &Position::entitlements)
      .def_readonly("servers", &Position::servers)
      .def_readonly("users", &Position::users)
      .def_readonly("cals", &Position::cals)
      .def_readonly("totals", &Position::totals)
      .def_readonly("demand_classes", &Position::demand_classes)
      .def_readonly("pools", &Position::pools)
      .def_readonly("components", &Position::components)
      .def_readonly("warnings", &Position::warnings);

  py::class_<SolveOptions>(m, "SolveOptions").def(py::init<>()).def_readwrite("verify", &SolveOptions::verify);
  py::class_<ReconcileOptions> options_class(m, "ReconcileOptions");
  options_class.def(py::init<>())
      .def_readwrite("solve", &ReconcileOptions::solve)
      .def_readwrite("as_of", &ReconcileOptions::as_of)
      .def_readwrite("record_assignments", &ReconcileOptions::record_assignments);

  m.def(
      "reconcile",
      [](const RulePack& pack, const Fleet& fleet, const ReconcileOptions& options, const py::iterable& warnings,
         const std::string& history_file) {
        Diagnostics input_warnings;  // a Diagnostics view or a list of Diagnostic
        for (const py::handle w : warnings) input_warnings.push_back(w.cast<const Diagnostic&>());
        py::gil_scoped_release release;
        Position p = reconcile(pack, fleet, options);
        // The tables are named as the files `trueup reconcile DIR` reads, so that the messages
        // are the command's (the history is the state file once it holds runs); the readers'
        // warnings come first in the report, as the command's.
        attribute(p.warnings, [&](Subject s) {
          return s == Subject::history && !history_file.empty() ? history_file : io::fleet_file(s);
        });
        p.warnings.insert(p.warnings.begin(), input_warnings.begin(), input_warnings.end());
        return p;
      },
      py::arg("pack"), py::arg("fleet"), py::arg("options") = ReconcileOptions{},
      py::arg("input_warnings") = py::list(), py::arg("history_file") = std::string(),
      "Reconciles a fleet read by parse_fleet/read_fleet against `pack`, with the GIL released.");
  m.def("check_accounting", &check_accounting, py::arg("position"), py::arg("fleet"),
        "The accounting invariants reconcile checks on every run.");
}

}  // namespace

void register_position(py::module_& m) {
  register_verdicts(m);
  register_parts(m);
  register_reconcile(m);
}

}  // namespace trueup::python
