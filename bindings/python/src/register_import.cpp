// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_import.cpp
//
// The inventory importers (trueup/import/inventory.hpp) for `read_inventory()` and
// `reconcile(..., inventory=...)`: the exports read by the command's own code and handed back
// as the devices.csv and installs.csv texts the command reads (bytes, which the readers check),
// so that an imported fleet gives the same rows, ids and messages from Python as from
// `trueup reconcile --inventory`.
#include <string>
#include <vector>

#include "core.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup::python {

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
}

}  // namespace trueup::python
