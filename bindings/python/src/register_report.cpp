// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_report.cpp
//
// The auditor's workbook from Python: `Result.to_xlsx(path)` and `Result.to_csv(dir)` call the
// command's own writers (trueup/report/workbook.hpp), so that a script's workbook is the file
// `trueup reconcile --format xlsx` writes for the same run and options, byte for byte. The GIL
// is released while the file is written. A write that fails returns its diagnostics (the
// facade raises OSError with them); nothing partial is left, as for the command.
// `Result.check_claim(claim)` reads a claim.csv text and checks it against the position
// (trueup/claim/claim.hpp): it returns the reply's JSON (the bytes of `trueup check-claim
// --format json`), or the reader's diagnostics (the facade raises InputError with them).
// `Result.explain(install=...)` and `Result.explanation(...)` explain one install, device,
// licence or product (trueup/report/explain.hpp): the text and the JSON `trueup explain` prints,
// or the unknown id's diagnostic (the facade raises InputError with it).
// `redact(position, fleet, secret)` is `--redact`: the position and fleet with pseudonyms
// (trueup/report/redact.hpp), which every writer above takes as any position, and the map back;
// `read_secret(file)` reads `--secret-file` with the command's own function, so that a script
// and the command given one secret write the same pseudonyms.
// `Result.deployment(...)` is `trueup deployment` (trueup/report/deployment.hpp): its table, its
// JSON or its workbook, from the same writers.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core.hpp"
#include "trueup/claim/claim.hpp"
#include "trueup/io/claim.hpp"
#include "trueup/io/dialect.hpp"
#include "trueup/report/claim_reply.hpp"
#include "trueup/report/deployment.hpp"
#include "trueup/report/explain.hpp"
#include "trueup/report/html.hpp"
#include "trueup/report/redact.hpp"
#include "trueup/report/secret.hpp"
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

void register_redaction(py::module_& m) {
  m.attr("redaction_assumption") = std::string(report::redaction_assumption);
  m.def(
      "read_secret",
      [](const std::string& file) {
        auto secret = report::read_secret(file);
        return secret ? std::make_pair(py::bytes(*secret), Diagnostics{}) : std::make_pair(py::bytes(), secret.error());
      },
      py::arg("file"),
      "The secret of `--secret-file FILE` (without one final line break), and no problem; or empty bytes "
      "and the `bad-secret` problem (unreadable, or shorter than 16 bytes).");
  m.def(
      "redact",
      [](const Position& p, const Fleet& fleet, const py::bytes& secret, const std::string& name) {
        auto checked = report::check_secret(std::string(secret), name);
        if (!checked) return py::make_tuple(py::none(), py::none(), std::string(), checked.error());
        report::Redacted r;
        {
          py::gil_scoped_release release;
          r = report::redact(p, fleet, *checked);
        }
        std::string map = report::format_redaction_map(r.map);
        return py::make_tuple(py::cast(std::move(r.position)), py::cast(std::move(r.fleet)), std::move(map),
                              Diagnostics{});
      },
      py::arg("position"), py::arg("fleet"), py::arg("secret"), py::arg("name"),
      "`--redact`: the position and fleet with every identifier pseudonymised under `secret`, the map back "
      "as CSV (`--redaction-map`), and no problem; or three empty values and the `bad-secret` problem of a "
      "secret shorter than 16 bytes (reported under `name`).");
}

void register_deployment(py::module_& m) {
  m.def(
      "format_deployment",
      [](const Position& p, const RulePack& pack, const Fleet& fleet, bool json) {
        py::gil_scoped_release release;
        return json ? report::format_deployment_json(p, pack, fleet) : report::format_deployment_table(p, pack, fleet);
      },
      py::arg("position"), py::arg("pack"), py::arg("fleet"), py::arg("json"),
      "The deployment summary as `trueup deployment` prints it: its JSON document, or its table.");
  m.def(
      "write_deployment_xlsx",
      [](const std::filesystem::path& path, const Position& p, const RulePack& pack, const Fleet& fleet) {
        py::gil_scoped_release release;
        auto written = report::write_deployment_xlsx(path, p, pack, fleet);
        return written ? Diagnostics{} : written.error();
      },
      py::arg("path"), py::arg("position"), py::arg("pack"), py::arg("fleet"),
      "Writes the deployment workbook (`trueup deployment --format xlsx`) atomically; returns the problems.");
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
  m.def(
      "format_html",
      [](const Position& p, const RulePack& pack, const Fleet& fleet, Assumptions assumptions) {
        report::WorkbookOptions options;
        options.options = std::move(assumptions);
        py::gil_scoped_release release;
        return report::format_html(p, pack, fleet, options);
      },
      py::arg("position"), py::arg("pack"), py::arg("fleet"), py::arg("assumptions"),
      "The position as one self-contained HTML page, the bytes of `trueup reconcile --format html`.");
  m.def("csv_folder_replaceable", &report::csv_folder_replaceable, py::arg("dir"),
        "Whether `dir` may be replaced by a CSV workbook: it does not exist, or holds only an earlier one.");
  m.def(
      "replace_folder",
      [](const std::filesystem::path& staged, const std::filesystem::path& dir) {
        auto done = report::replace_folder(staged, dir);
        return done ? Diagnostics{} : done.error();
      },
      py::arg("staged"), py::arg("dir"),
      "Puts the folder `staged` in the place of the CSV workbook folder `dir`; returns the problems.");
  m.def(
      "check_claim_json",
      [](const py::bytes& claim, const std::string& name, const Position& p, const RulePack& pack, const Fleet& fleet,
         const io::CsvDialect& dialect) {
        const std::string text = claim;
        py::gil_scoped_release release;
        auto read = io::parse_claim(text, name, pack, dialect);
        if (!read) return std::make_pair(std::string(), read.error());
        const ClaimCheck check = check_claim(*read, p, pack, fleet);
        return std::make_pair(report::format_claim_json(*read, check, p, pack), read->warnings);
      },
      py::arg("claim"), py::arg("name"), py::arg("position"), py::arg("pack"), py::arg("fleet"),
      py::arg("dialect") = io::CsvDialect{},
      "Reads a claim.csv text (reported as `name`, in `dialect`) and checks it against the position: the reply as JSON "
      "and the reader's warnings, or an empty text and every problem found.");
  m.def(
      "explain",
      [](const std::string& subject, const std::string& id, const Position& p, const RulePack& pack,
         const Fleet& fleet) {
        const auto what = parse<report::ExplainSubject>(subject);
        if (!what) throw py::value_error("expected install, device, licence or product, found " + subject);
        py::gil_scoped_release release;
        auto explained = report::explain(*what, id, p, pack, fleet);
        if (!explained) return std::make_tuple(std::string(), std::string(), explained.error());
        return std::make_tuple(report::format_explanation(*explained, p),
                               report::format_explanation_json(*explained, p), Diagnostics{});
      },
      py::arg("subject"), py::arg("id"), py::arg("position"), py::arg("pack"), py::arg("fleet"),
      "Explains one install, device or licence (by id) or product (by name): the text and the JSON of "
      "`trueup explain`, and no problem; or two empty texts and the unknown id's diagnostic.");
  register_redaction(m);
  register_deployment(m);
}

}  // namespace trueup::python
