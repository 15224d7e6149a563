// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_io.cpp
//
// Reading: rule packs and fleets, each returning the library's `Result` (a value or every
// diagnostic), never raising on bad input; the facade turns diagnostics into `InputError`.
//
// `FleetSources` mirrors the C++ struct of that name, with one difference that keeps a large
// read to a single copy of the data: each table is held as the Python object given, a `str`
// or a bytes-like object (bytes, memoryview) read in place (no copy into a `std::string`; a
// `str` that is not pure ASCII is read through the UTF-8 form Python caches inside it), or an
// `os.PathLike` naming a file that is read the way `read_fleet` reads its files. The GIL is released while files are
// read and tables parsed.
//
// Every table given as a file or a text is read in one CSV dialect (trueup/io/dialect.hpp: the
// separator and encoding of `--csv-separator` and `--encoding`), `CsvDialect`, made by
// `csv_dialect()` from the Python arguments with the command's checks and words.
//
// `FleetReadResult` adds `locations` to the C++ Result: for each diagnostic (of `error()` on
// failure, of `value().warnings` on success) the 0-based data row and the column name it is
// about (locate.hpp), for people who never see the CSV text their tables became.
#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core.hpp"
#include "locate.hpp"
#include "trueup/io/dialect.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/io/rule_pack.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/result.hpp"

namespace trueup::python {

namespace {

struct FleetSources {
  py::object devices = py::none();
  py::object installs = py::none();
  py::object entitlements = py::none();
  std::string devices_name = "devices.csv";
  std::string installs_name = "installs.csv";
  std::string entitlements_name = "entitlements.csv";
  py::object access = py::none();  ///< optional: access.csv (CAL demand)
  std::string access_name = "access.csv";
  py::object assignments = py::none();  ///< optional: assignments.csv (the history)
  std::string assignments_name = "assignments.csv";
  py::object prices = py::none();  ///< optional: prices.csv (the price list)
  std::string prices_name = "prices.csv";
};

/// The tables in parse order: the three required, then access, assignments and prices.
constexpr std::size_t table_count = 6;

struct FleetReadResult {
  Result<io::FleetRead> result;
  std::vector<Location> locations;  ///< one per diagnostic, see the file comment
};

/// A buffer of a Python object (bytes, memoryview, ...), released with the GIL held.
struct BufferRelease {
  void operator()(Py_buffer* b) const {
    PyBuffer_Release(b);
    delete b;
  }
};

/// One table on its way into io::parse_fleet.
struct Source {
  std::string name;
  py::object keep;                                   ///< the Python text viewed, kept alive
  std::unique_ptr<Py_buffer, BufferRelease> buffer;  ///< ... through its buffer
  std::optional<std::filesystem::path> path;         ///< or the file to read
  std::string owned;                                 ///< the file's text
  std::optional<std::string_view> text;
  Diagnostics problems;
};

/// With the GIL held: views the text of a `str` or of a bytes-like object (bytes, memoryview),
/// or takes the path of an os.PathLike.
void prepare(Source& s, const py::object& obj) {
  PyObject* o = obj.ptr();
  if (PyUnicode_Check(o)) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(o, &size);
    if (data == nullptr) throw py::error_already_set();
    s.text = std::string_view(data, static_cast<std::size_t>(size));
    s.keep = obj;
  } else if (PyObject_CheckBuffer(o)) {
    auto b = std::make_unique<Py_buffer>();
    if (PyObject_GetBuffer(o, b.get(), PyBUF_SIMPLE) != 0) throw py::error_already_set();
    s.buffer.reset(b.release());
    s.text = std::string_view(static_cast<const char*>(s.buffer->buf), static_cast<std::size_t>(s.buffer->len));
    s.keep = obj;
  } else if (py::isinstance(obj, py::module_::import("os").attr("PathLike"))) {
    s.path = obj.cast<std::filesystem::path>();
  } else {
    throw py::type_error(s.name +
                         ": expected the table's CSV text (str, bytes or another bytes-like object) or a "
                         "path (os.PathLike), found " +
                         std::string(py::str(py::type::of(obj).attr("__name__"))));
  }
}

/// Without the GIL: reads the files, parses, and locates every diagnostic in its table.
/// `sources[3..5]` are access.csv, assignments.csv and prices.csv: optional, absent when one
/// has neither text nor path.
FleetReadResult parse(std::array<Source, table_count>& sources, const RulePack& pack, const io::CsvDialect& dialect) {
  for (Source& s : sources) {
    if (!s.path) continue;
    Result<std::string> r = io::read_input_file(*s.path, s.name);
    if (r) {
      s.owned = std::move(*r);
      s.text = s.owned;
    } else {
      s.problems = r.error();
    }
  }
  auto input = [](Source& s) { return io::FleetInput{s.text, s.name, std::move(s.problems)}; };
  auto optional = [&](Source& s) {
    return s.text || !s.problems.empty() ? std::optional<io::FleetInput>(input(s)) : std::nullopt;
  };
  Result<io::FleetRead> result =
      io::parse_fleet(input(sources[0]), input(sources[1]), input(sources[2]), pack, optional(sources[3]),
                      optional(sources[4]), optional(sources[5]), dialect);
  const Diagnostics& ds = result ? result->warnings : result.error();
  std::vector<Location> locations(ds.size());
  for (const Source& s : sources) {
    if (!s.text) continue;
    std::vector<std::size_t> mine;
    std::vector<TextPosition> at;
    for (std::size_t i = 0; i < ds.size(); ++i)
      if (ds[i].file == s.name) {
        mine.push_back(i);
        at.push_back({ds[i].line, ds[i].column});
      }
    if (mine.empty()) continue;
    std::vector<Location> found = locate(*s.text, at, dialect.separator);
    for (std::size_t k = 0; k < mine.size(); ++k) locations[mine[k]] = std::move(found[k]);
  }
  return FleetReadResult{std::move(result), std::move(locations)};
}

FleetReadResult parse_fleet(const FleetSources& in, const RulePack& pack, const io::CsvDialect& dialect) {
  std::array<Source, table_count> sources;
  sources[3].name = in.access_name;
  sources[4].name = in.assignments_name;
  sources[5].name = in.prices_name;
  sources[0].name = in.devices_name;
  sources[1].name = in.installs_name;
  sources[2].name = in.entitlements_name;
  if (sources[0].name == sources[1].name || sources[0].name == sources[2].name || sources[1].name == sources[2].name)
    throw py::value_error("FleetSources: expected three different table names, found \"" + sources[0].name + "\", \"" +
                          sources[1].name + "\" and \"" + sources[2].name + "\"");
  prepare(sources[0], in.devices);
  prepare(sources[1], in.installs);
  prepare(sources[2], in.entitlements);
  if (!in.access.is_none()) prepare(sources[3], in.access);
  if (!in.assignments.is_none()) prepare(sources[4], in.assignments);
  if (!in.prices.is_none()) prepare(sources[5], in.prices);
  py::gil_scoped_release release;
  return parse(sources, pack, dialect);
}

FleetReadResult read_fleet(const std::filesystem::path& dir, const RulePack& pack, const io::CsvDialect& dialect) {
  std::array<Source, table_count> sources;
  const char* names[table_count] = {"devices.csv", "installs.csv",    "entitlements.csv",
                                    "access.csv",  "assignments.csv", "prices.csv"};
  for (std::size_t i = 0; i < table_count; ++i) {
    sources[i].name = names[i];
    sources[i].path = dir / sources[i].name;  // the paths read_fleet reads and reports
    std::error_code ec;
    if (i >= 3 && !std::filesystem::exists(*sources[i].path, ec)) sources[i].path.reset();  // optional, as read_fleet
  }
  py::gil_scoped_release release;
  return parse(sources, pack, dialect);
}

/// A shipped pack's name or a path; an os.PathLike is always a path, even "microsoft".
std::string pack_argument(const py::object& obj) {
  if (py::isinstance<py::str>(obj)) return obj.cast<std::string>();
  if (!py::isinstance(obj, py::module_::import("os").attr("PathLike")))
    throw py::type_error("expected a rule pack name (str) or a path (os.PathLike), found " +
                         std::string(py::str(py::type::of(obj).attr("__name__"))));
  std::string path = obj.cast<std::filesystem::path>().string();
  if (path.find('/') == std::string::npos) path = "./" + path;
  return path;
}

template <class T, class Cls>
void def_result_api(Cls& cls) {
  cls.def("has_value", [](const Result<T>& r) { return r.has_value(); })
      .def("__bool__", [](const Result<T>& r) { return r.has_value(); })
      .def(
          "value", [](Result<T>& r) -> T& { return r.value(); }, py::return_value_policy::reference_internal,
          "The value. \\pre has_value(); otherwise raises InternalError.")
      .def(
          "error", [](const Result<T>& r) -> const Diagnostics& { return r.error(); },
          py::return_value_policy::reference_internal,
          "Every diagnostic. \\pre not has_value(); otherwise raises InternalError.");
}

/// Diagnostics and the result types that carry them.
void register_diagnostics(py::module_& m) {
  py::class_<Diagnostic>(m, "Diagnostic",
                         "A problem found in an input: file, line, column (1-based; 0 = the whole file or line), "
                         "a stable code and \"expected ..., found ...\".")
      .def_readonly("severity", &Diagnostic::severity)
      .def_readonly("subject", &Diagnostic::subject)
      .def_property_readonly("file", text(&Diagnostic::file))
      .def_readonly("line", &Diagnostic::line)
      .def_readonly("column", &Diagnostic::column)
      .def_property_readonly("code", text(&Diagnostic::code))
      .def_property_readonly("message", text(&Diagnostic::message))
      .def("__str__", [](const Diagnostic& d) { return to_str(to_string(d)); })
      .def("__repr__", [](const Diagnostic& d) { return to_str("<Diagnostic " + to_string(d) + ">"); })
      .def("__eq__", [](const Diagnostic& a, const Diagnostic& b) { return a == b; });
  bind_view<Diagnostic>(m, "Diagnostics");
  m.def(
      "to_string", [](const Diagnostic& d) { return to_str(to_string(d)); }, py::arg("diagnostic"),
      "`file:line:col: error[code]: message`, as the command line prints it.");
  m.def("has_errors", &has_errors, py::arg("diagnostics"));

  py::class_<Result<RulePack>> pack_result(m, "RulePackResult", "A rule pack, or the diagnostics why there is none.");
  def_result_api<RulePack>(pack_result);

  // The same API on the wrapper: value() and error() refer into its `result`.
  py::class_<FleetReadResult>(m, "FleetReadResult", "A fleet read, or every diagnostic of every table.")
      .def("has_value", [](const FleetReadResult& r) { return r.result.has_value(); })
      .def("__bool__", [](const FleetReadResult& r) { return r.result.has_value(); })
      .def(
          "value", [](FleetReadResult& r) -> io::FleetRead& { return r.result.value(); },
          py::return_value_policy::reference_internal,
          "The fleet read. \\pre has_value(); otherwise raises InternalError.")
      .def(
          "error", [](const FleetReadResult& r) -> const Diagnostics& { return r.result.error(); },
          py::return_value_policy::reference_internal,
          "Every diagnostic. \\pre not has_value(); otherwise raises InternalError.")
      .def_property_readonly(
          "locations",
          [](const FleetReadResult& r) {
            py::list out;
            for (const Location& l : r.locations)
              out.append(py::make_tuple(l.row ? py::object(py::int_(*l.row)) : py::object(py::none()),
                                        l.column ? py::object(to_str(*l.column)) : py::object(py::none())));
            return out;
          },
          "(row, column) of each diagnostic: 0-based data row and column name, None where it has none.");
}

/// The dialect of `--csv-separator SEP --encoding ENC`; ValueError, with the command's words, for
/// a value it refuses. No separator: detected from each header.
io::CsvDialect csv_dialect(const std::optional<std::string>& separator, const std::string& encoding) {
  io::CsvDialect d;
  if (separator) {
    const auto sep = io::parse_separator(*separator);
    if (!sep) throw py::value_error("csv_separator: " + io::bad_separator(*separator));
    d.separator = *sep;
  }
  const auto enc = io::parse_encoding(encoding);
  if (!enc) throw py::value_error("encoding: " + io::bad_encoding(encoding));
  d.encoding = *enc;
  return d;
}

/// The tables of a fleet, as the readers take them, and the dialect they are read in.
void register_sources(py::module_& m) {
  py::class_<io::CsvDialect>(m, "CsvDialect",
                             "How CSV files are written: separator (None: detected from each header) and encoding.")
      .def(py::init<>())
      .def_property_readonly("separator",
                             [](const io::CsvDialect& d) {
                               return d.separator == 0 ? py::object(py::none())
                                                       : py::object(py::str(std::string(1, d.separator)));
                             })
      .def_property_readonly("encoding", [](const io::CsvDialect& d) {
        return d.encoding == io::TextEncoding::utf8 ? "utf-8" : "windows-1252";
      });
  m.def("csv_dialect", &csv_dialect, py::arg("separator") = py::none(), py::arg("encoding") = "utf-8",
        "The dialect of `--csv-separator SEPARATOR --encoding ENCODING`: separator \",\", \";\", \"\\t\" or "
        "\"tab\" (None: detected), encoding \"utf-8\" or \"windows-1252\"; ValueError for anything else.");
  py::class_<FleetSources>(m, "FleetSources",
                           "The three tables, each CSV text (str or bytes, read in place) or a path, and the "
                           "names diagnostics report them under.")
      .def(py::init([](py::object devices, py::object installs, py::object entitlements, std::string devices_name,
                       std::string installs_name, std::string entitlements_name, py::object access,
                       std::string access_name, py::object assignments, std::string assignments_name, py::object prices,
                       std::string prices_name) {
             return FleetSources{std::move(devices),          std::move(installs),      std::move(entitlements),
                                 std::move(devices_name),     std::move(installs_name), std::move(entitlements_name),
                                 std::move(access),           std::move(access_name),   std::move(assignments),
                                 std::move(assignments_name), std::move(prices),        std::move(prices_name)};
           }),
           py::arg("devices") = py::none(), py::arg("installs") = py::none(), py::arg("entitlements") = py::none(),
           py::arg("devices_name") = "devices.csv", py::arg("installs_name") = "installs.csv",
           py::arg("entitlements_name") = "entitlements.csv", py::arg("access") = py::none(),
           py::arg("access_name") = "access.csv", py::arg("assignments") = py::none(),
           py::arg("assignments_name") = "assignments.csv", py::arg("prices") = py::none(),
           py::arg("prices_name") = "prices.csv")
      .def_readwrite("devices", &FleetSources::devices)
      .def_readwrite("installs", &FleetSources::installs)
      .def_readwrite("entitlements", &FleetSources::entitlements)
      .def_readwrite("devices_name", &FleetSources::devices_name)
      .def_readwrite("installs_name", &FleetSources::installs_name)
      .def_readwrite("entitlements_name", &FleetSources::entitlements_name)
      .def_readwrite("access", &FleetSources::access)
      .def_readwrite("access_name", &FleetSources::access_name)
      .def_readwrite("assignments", &FleetSources::assignments)
      .def_readwrite("assignments_name", &FleetSources::assignments_name)
      .def_readwrite("prices", &FleetSources::prices)
      .def_readwrite("prices_name", &FleetSources::prices_name);
}

}  // namespace

void register_io(py::module_& m) {
  register_diagnostics(m);
  register_sources(m);
  m.def(
      "load_rule_pack",
      [](const py::object& path_or_name, const std::vector<std::filesystem::path>& search) {
        const std::string arg = pack_argument(path_or_name);
        py::gil_scoped_release release;
        return io::load_rule_pack(arg, search);
      },
      py::arg("path_or_name"), py::arg("search") = std::vector<std::filesystem::path>{},
      "A shipped rule pack by name (\"microsoft\", looked up in $TRUEUP_RULES_PATH, `search`, the installed "
      "packs) or a pack file by path; never raises on a bad pack.");
  m.def(
      "parse_rule_pack",
      [](std::string_view toml, const std::string& source_name) {
        py::gil_scoped_release release;
        return io::parse_rule_pack(toml, source_name);
      },
      py::arg("toml"), py::arg("source_name"));
  m.def(
      "combine_rule_packs",
      [](std::vector<RulePack> packs) {
        py::gil_scoped_release release;
        return io::combine_rule_packs(std::move(packs));
      },
      py::arg("packs"),
      "Several packs used in one run, in order (docs/rule-packs.md); never raises on packs that conflict.");
  m.def("parse_fleet", &parse_fleet, py::arg("sources"), py::arg("pack"), py::arg("dialect") = io::CsvDialect{},
        "Parses and validates the three tables against `pack`, with the GIL released.");
  m.def("read_fleet", &read_fleet, py::arg("dir"), py::arg("pack"), py::arg("dialect") = io::CsvDialect{},
        "Reads dir/devices.csv, installs.csv and entitlements.csv as the command line does, then parse_fleet.");

  m.def(
      "format_json",
      [](const Position& p, const RulePack& pack, const Fleet& fleet) {
        std::string s;
        {
          py::gil_scoped_release release;
          s = io::format_json(p, pack, fleet);
        }
        return to_str(s);
      },
      py::arg("position"), py::arg("pack"), py::arg("fleet"),
      "The JSON document `trueup reconcile --format json` writes.");
  m.def(
      "format_table",
      [](const Position& p, const RulePack& pack, const Fleet& fleet) {
        std::string s;
        {
          py::gil_scoped_release release;
          s = io::format_table(p, pack, fleet);
        }
        return to_str(s);
      },
      py::arg("position"), py::arg("pack"), py::arg("fleet"), "The table `trueup reconcile` prints.");
  m.def(
      "format_assignments_csv",
      [](const Position& p) {
        std::string s;
        {
          py::gil_scoped_release release;
          s = io::format_assignments_csv(p.assignments);
        }
        return to_str(s);
      },
      py::arg("position"),
      "The assignments held after the run as assignments.csv (`trueup reconcile --write-assignments`); "
      "empty of rows unless the run recorded them (ReconcileOptions.record_assignments).");
}

}  // namespace trueup::python
