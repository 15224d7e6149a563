// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_import.cpp
//
// The inventory importers (trueup/import/inventory.hpp) for `read_inventory()` and
// `reconcile(..., inventory=...)`: the exports read by the command's own code and handed back
// as the devices.csv and installs.csv texts the command reads (bytes, which the readers check),
// so that an imported fleet gives the same rows, ids and messages from Python as from
// `trueup reconcile --inventory`. `overlay_devices` is DIR/devices.csv over the imported devices
// (import::overlay_devices()), its diagnostics located by row and column as parse_fleet's are;
// `imported_devices` the same read from a fleet directory, as the command reads it.
// `read_entitlements` reads `--entitlements` sources (trueup/import/entitlements.hpp) into the
// entitlements.csv text the command reads; `entitlement_origins` takes the readers'
// diagnostics about that text back to the sources' files, lines and columns.
#include <filesystem>
#include <string>
#include <vector>

#include "core.hpp"
#include "locate.hpp"
#include "trueup/import/entitlements.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup::python {

namespace {

/// `--entitlements` sources: read, rendered, and their diagnostics taken back to the sources.
void register_entitlements(py::module_& m) {
  py::class_<import::Entitlements>(m, "ImportedEntitlements",
                                   "Licence records read from --entitlements sources (opaque: read_entitlements)")
      .def("__len__", [](const import::Entitlements& e) { return e.rows.size(); });
  m.def(
      "read_entitlements",
      [](const std::vector<std::string>& specs) {
        Diagnostics errors;
        std::vector<import::EntitlementSource> sources;
        for (const std::string& spec : specs) {
          auto source = import::parse_entitlement_source(spec);
          if (source)
            sources.push_back(std::move(*source));
          else
            errors.insert(errors.end(), source.error().begin(), source.error().end());
        }
        if (!errors.empty()) return py::make_tuple(py::none(), py::none(), py::cast(errors));
        Result<import::Entitlements> read = [&] {
          py::gil_scoped_release release;
          return import::read_entitlements(sources);
        }();
        if (!read) return py::make_tuple(py::none(), py::none(), py::cast(read.error()));
        const std::string text = import::entitlements_csv(*read);
        Diagnostics warnings = read->warnings;
        return py::make_tuple(py::cast(std::move(*read)), py::bytes(text), py::cast(warnings));
      },
      py::arg("specs"),
      "(entitlements, entitlements_csv, warnings) or (None, None, errors): the sources `[KIND:]PATH` read as the "
      "command reads --entitlements; entitlements_csv is read under the file name `entitlements (imported)`.");
  m.def(
      "entitlement_origins",
      [](const import::Entitlements& e, const py::list& diagnostics) {
        Diagnostics ds;
        for (const py::handle d : diagnostics) ds.push_back(d.cast<Diagnostic>());
        py::list out;
        Diagnostics origins = import::entitlement_origins(e, std::move(ds));
        for (Diagnostic& d : origins) out.append(py::cast(std::move(d)));
        return out;
      },
      py::arg("entitlements"), py::arg("diagnostics"),
      "The diagnostics about the entitlements_csv text taken back to the sources' files, lines and columns.");
  m.def(
      "entitlement_origins_in",
      [](const import::Entitlements& e, io::FleetRead& read, const py::list& lead, const py::list& trailing) {
        Diagnostics ds;
        for (const py::handle d : lead) ds.push_back(d.cast<Diagnostic>());
        for (Diagnostic& d : import::entitlement_origins(e, std::move(read.warnings))) ds.push_back(std::move(d));
        for (const py::handle d : trailing) ds.push_back(d.cast<Diagnostic>());
        read.warnings = std::move(ds);
      },
      py::arg("entitlements"), py::arg("read"), py::arg("lead"), py::arg("trailing"),
      "Replaces read.warnings with `lead`, its own taken back to the sources, then `trailing`.");
  m.def(
      "entitlements_left_in", [](const std::filesystem::path& dir) { return import::entitlements_left_in(dir); },
      py::arg("dir"), "The warning not-read when `dir` holds an entitlements.csv the sources replace, else None.");
}

}  // namespace

void register_import(py::module_& m) {
  m.def(
      "read_inventory",
      [](const std::vector<std::string>& specs) {
        Diagnostics errors;
        std::vector<import::Source> sources;
        for (const std::string& spec : specs) {
          auto source = import::parse_source(spec);
          if (source)
            sources.push_back(std::move(*source));
          else
            errors.insert(errors.end(), source.error().begin(), source.error().end());
        }
        if (!errors.empty()) return py::make_tuple(py::none(), py::cast(errors));
        Result<import::Inventory> inventory = [&] {
          py::gil_scoped_release release;
          return import::read_inventory(sources);
        }();
        if (!inventory) return py::make_tuple(py::none(), py::cast(inventory.error()));
        py::list counts;
        for (const import::SourceCount& c : inventory->sources) {
          py::dict d;
          d["source"] = to_str(c.spec);
          d["files"] = c.files;
          d["devices"] = c.devices;
          d["rows"] = c.rows;
          d["skipped"] = c.skipped;
          d["unnamed_keys"] = c.unnamed_keys;
          d["not_installed"] = c.not_installed;
          counts.append(d);
        }
        py::dict read;
        read["devices_csv"] = py::bytes(import::devices_csv(*inventory));
        read["installs_csv"] = py::bytes(import::installs_csv(*inventory));
        read["sources"] = counts;
        return py::make_tuple(read, py::cast(inventory->warnings));
      },
      py::arg("specs"),
      "(inventory, warnings) or (None, errors): the exports `KIND:PATH` read as the command reads --inventory; "
      "inventory = {devices_csv, installs_csv, sources}.");
  m.def(
      "overlay_devices",
      [](const py::bytes& devices, const py::buffer& overlay, const std::string& file, const RulePack& pack) {
        const std::string imported = devices;
        const py::buffer_info info = overlay.request();
        const std::string_view text(static_cast<const char*>(info.ptr), static_cast<std::size_t>(info.size));
        Diagnostics warnings;
        Result<std::string> merged = [&] {
          py::gil_scoped_release release;
          return import::overlay_devices(imported, text, file, pack, warnings);
        }();
        const Diagnostics& ds = merged ? warnings : merged.error();
        std::vector<TextPosition> at;
        for (const Diagnostic& d : ds) at.push_back({d.line, d.column});
        py::list locations;
        for (const Location& l : locate(text, at, 0))
          locations.append(py::make_tuple(l.row ? py::object(py::int_(*l.row)) : py::object(py::none()),
                                          l.column ? py::object(to_str(*l.column)) : py::object(py::none())));
        return py::make_tuple(merged ? py::object(py::bytes(*merged)) : py::object(py::none()), py::cast(ds),
                              locations);
      },
      py::arg("devices"), py::arg("overlay"), py::arg("file"), py::arg("pack"),
      "(devices_csv, warnings, locations) or (None, errors, locations): `overlay`, a devices table, over the "
      "imported `devices` as the command reads DIR/devices.csv with --inventory; locations are (row, column) "
      "of each diagnostic in `overlay`.");
  m.def(
      "imported_devices",
      [](const std::filesystem::path& dir, const py::bytes& devices, const RulePack& pack) {
        const std::string imported = devices;
        Diagnostics warnings;
        Result<std::string> merged = [&] {
          py::gil_scoped_release release;
          return import::imported_devices(dir, imported, pack, warnings);
        }();
        return py::make_tuple(merged ? py::object(py::bytes(*merged)) : py::object(py::none()),
                              py::cast(merged ? warnings : merged.error()));
      },
      py::arg("dir"), py::arg("devices"), py::arg("pack"),
      "(devices_csv, warnings) or (None, errors): the imported `devices` read with the fleet directory `dir` as "
      "the command reads them with --inventory (its devices.csv over them; installs.csv not read).");
  register_entitlements(m);
}

}  // namespace trueup::python
