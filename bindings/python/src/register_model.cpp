// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_model.cpp
//
// The model, read-only: the rule pack (what it names and how), and the fleet the readers
// build (devices, installs, entitlements). Records are views into the C++ objects; their
// vectors are sequences without copies (core.hpp). Dates come back as `datetime.date`, money
// as `decimal.Decimal`, indices into the fleet as `int` (None when absent).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup::python {

namespace {

/// Dates and product references.
void register_values(py::module_& m) {
  py::class_<Date>(m, "Date", "A calendar date, as days since 1970-01-01; ISO 8601 `YYYY-MM-DD` in files.")
      .def(py::init([](int y, unsigned mo, unsigned d) {
             if (!std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}}.ok())
               throw py::value_error("expected a calendar date");
             return Date::from_ymd(y, mo, d);
           }),
           py::arg("year"), py::arg("month"), py::arg("day"))
      .def_readonly("days", &Date::days)
      .def_static("parse", &Date::parse, py::arg("text"),
                  "Parses exactly YYYY-MM-DD with a valid calendar day; None otherwise.")
      .def("iso", &Date::iso)
      .def(
          "to_date", [](const Date& d) { return to_date(d); }, "As a `datetime.date`.")
      .def("__eq__", [](const Date& a, const Date& b) { return a == b; })
      .def("__lt__", [](const Date& a, const Date& b) { return a < b; })
      .def("__hash__", [](const Date& d) { return py::hash(py::int_(d.days)); })
      .def("__repr__", [](const Date& d) { return "Date('" + d.iso() + "')"; });

  py::class_<ProductRef>(m, "ProductRef", "A product as indices into the rule pack: family, version, edition.")
      .def_property_readonly("family", [](const ProductRef& p) { return p.family.value; })
      .def_readonly("version", &ProductRef::version)
      .def_readonly("edition", &ProductRef::edition)
      .def("__eq__", [](const ProductRef& a, const ProductRef& b) { return a == b; })
      .def("__hash__",
           [](const ProductRef& p) { return py::hash(py::make_tuple(p.family.value, p.version, p.edition)); })
      .def("__repr__", [](const ProductRef& p) {
        return "ProductRef(family=" + std::to_string(p.family.value) + ", version=" + std::to_string(p.version) +
               ", edition=" + std::to_string(p.edition) + ")";
      });
}

/// The rule pack: editions, versions, families.
void register_catalog(py::module_& m) {
  py::class_<EditionSpec>(m, "EditionSpec")
      .def_property_readonly("name", text(&EditionSpec::name))
      .def_readonly("aliases", &EditionSpec::aliases)
      .def_readonly("free", &EditionSpec::free)
      .def_readonly("covers", &EditionSpec::covers);
  py::class_<VersionSpec>(m, "VersionSpec")
      .def_property_readonly("name", text(&VersionSpec::name))
      .def_property_readonly("released", [](const VersionSpec& v) { return to_date(v.released); })
      .def_readonly("metric", &VersionSpec::metric);
  py::class_<Family>(m, "Family")
      .def_property_readonly("id", text(&Family::id))
      .def_property_readonly("name", text(&Family::name))
      .def_property_readonly("display", text(&Family::display))
      .def_readonly("editions", &Family::editions)
      .def_readonly("versions", &Family::versions);

  py::class_<RulePack>(m, "RulePack", "A rule pack: the publishers' use rights as data (docs/rule-packs.md).")
      .def_property_readonly("name", text(&RulePack::name))
      .def_property_readonly("revision", text(&RulePack::revision))
      .def_property_readonly("source", text(&RulePack::source))
      .def_readonly("families", &RulePack::families)
      .def("product_name", &RulePack::product_name, py::arg("product"),
           "The product as its family's `display` template names it.")
      .def(
          "find_family",
          [](const RulePack& p, std::string_view id_or_name) -> std::optional<std::uint32_t> {
            if (const auto f = p.find_family(id_or_name)) return f->value;
            return std::nullopt;
          },
          py::arg("id_or_name"))
      .def("__repr__", [](const RulePack& p) { return "<RulePack " + p.name + " " + p.revision + ">"; });
}

/// The fleet: devices, installs, entitlements, and a fleet read.
void register_fleet(py::module_& m) {
  py::class_<Device>(m, "Device")
      .def_property_readonly("id", text(&Device::id))
      .def_property_readonly("hostname", text(&Device::hostname))
      .def_readonly("kind", &Device::kind)
      .def_readonly("ownership", &Device::ownership)
      .def_readonly("status", &Device::status)
      .def_property_readonly("status_date", [](const Device& d) { return to_date(d.status_date); })
      .def_property_readonly("primary_user", text(&Device::primary_user))
      .def_readonly("processors", &Device::processors)
      .def_readonly("cores", &Device::cores)
      .def_property_readonly("host", text(&Device::host))
      .def_readonly("line", &Device::line);
  py::class_<Install>(m, "Install")
      .def_property_readonly("id", text(&Install::id))
      .def_property_readonly("device", [](const Install& i) { return index_or_none(i.device); })
      .def_property_readonly("title", text(&Install::title))
      .def_property_readonly("publisher", text(&Install::publisher))
      .def_property_readonly("version", text(&Install::version))
      .def_property_readonly("first_seen", [](const Install& i) { return to_date(i.first_seen); })
      .def_property_readonly("last_seen", [](const Install& i) { return to_date(i.last_seen); })
      .def_readonly("line", &Install::line);
  py::class_<Entitlement>(m, "Entitlement")
      .def_property_readonly("id", text(&Entitlement::id))
      .def_property_readonly("sku", text(&Entitlement::sku))
      .def_readonly("product", &Entitlement::product)
      .def_readonly("channel", &Entitlement::channel)
      .def_readonly("quantity", &Entitlement::quantity)
      .def_property_readonly("device", [](const Entitlement& e) { return index_or_none(e.device); })
      .def_property_readonly("purchased", [](const Entitlement& e) { return to_date(e.purchased); })
      .def_property_readonly("unit_cost",
                             [](const Entitlement& e) { return e.unit_cost ? to_decimal(*e.unit_cost) : py::none(); })
      .def_property_readonly("currency", text(&Entitlement::currency))
      .def_property_readonly("reference", text(&Entitlement::reference))
      .def_readonly("line", &Entitlement::line);

  bind_view<Device>(m, "DeviceVector");
  bind_view<Install>(m, "InstallVector");
  bind_view<Entitlement>(m, "EntitlementVector");

  auto at = [](auto& v, std::uint32_t i) -> auto& {
    if (i >= v.size()) throw py::index_error("index out of range");
    return v[i];
  };
  py::class_<Fleet>(m, "Fleet", "Everything read about one organisation: devices, installs and entitlements.")
      .def_readonly("devices", &Fleet::devices)
      .def_readonly("installs", &Fleet::installs)
      .def_readonly("entitlements", &Fleet::entitlements)
      .def(
          "device", [at](const Fleet& f, std::uint32_t i) -> const Device& { return at(f.devices, i); },
          py::arg("index"), py::return_value_policy::reference_internal)
      .def(
          "install", [at](const Fleet& f, std::uint32_t i) -> const Install& { return at(f.installs, i); },
          py::arg("index"), py::return_value_policy::reference_internal)
      .def(
          "entitlement", [at](const Fleet& f, std::uint32_t i) -> const Entitlement& { return at(f.entitlements, i); },
          py::arg("index"), py::return_value_policy::reference_internal);

  py::class_<io::FleetRead>(m, "FleetRead", "A fleet read without errors, and the warnings that came with it.")
      .def_readonly("fleet", &io::FleetRead::fleet)
      .def_readonly("warnings", &io::FleetRead::warnings);
}

}  // namespace

void register_model(py::module_& m) {
  register_values(m);
  register_catalog(m);
  register_fleet(m);
}

}  // namespace trueup::python
