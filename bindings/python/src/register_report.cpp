// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_report.cpp
//
// The auditor's workbook from Python: `Result.to_xlsx(path)` and `Result.to_csv(dir)` call the
// command's own writers (trueup/report/workbook.hpp), so that a script's workbook is the file
// `trueup reconcile --format xlsx` writes for the same run and options, byte for byte. The GIL
// is released while the file is written. A write that fails returns its diagnostics (the
// facade raises OSError with them); nothing partial is left, as for the command.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core.hpp"
#include "trueup/report/workbook.hpp"

namespace trueup::python {

namespace {

using Assumptions = std::vector<std::pair<std::string, std::string>>;

template <class Writer>
Diagnostics write_with(Writer writer, const std::filesystem::path& path, const Position& p, const RulePack& pack,
                       const Fleet& fleet, Assumptions assumptions) {
  report::WorkbookOptions options;
  options.options = std::move(assumptions);
  py::gil_scoped_release release;
  auto written = writer(path, p, pack, fleet, options);
  return written ? Diagnostics{} : written.error();
}

}  // namespace

void register_report(py::module_& m) {
  m.def(
      "write_xlsx",
      [](const std::filesystem::path& path, const Position& p, const RulePack& pack, const Fleet& fleet,
         Assumptions assumptions) {
        return write_with(&report::write_xlsx, path, p, pack, fleet, std::move(assumptions));
      },
      py::arg("path"), py::arg("position"), py::arg("pack"), py::arg("fleet"), py::arg("assumptions"),
      "Writes the auditor's workbook (XLSX) atomically; returns the problems, empty when written. "
      "`assumptions` are the (option, value) rows of its Assumptions sheet.");
  m.def(
      "write_csv_folder",
      [](const std::filesystem::path& dir, const Position& p, const RulePack& pack, const Fleet& fleet,
         Assumptions assumptions) {
        return write_with(&report::write_csv_folder, dir, p, pack, fleet, std::move(assumptions));
      },
      py::arg("dir"), py::arg("position"), py::arg("pack"), py::arg("fleet"), py::arg("assumptions"),
      "Writes the workbook's sheets as a folder of CSV files; an existing folder is replaced only when it "
      "holds an earlier one. Returns the problems, empty when written.");
}

}  // namespace trueup::python
