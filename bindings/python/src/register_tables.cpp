// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/register_tables.cpp
//
// The position as tables of plain Python values, for the facade's `Result.position`,
// `.verdicts`, `.entitlements` and `.totals`: one row per product, per install (in the order of
// the installs read) and per entitlement (in the order read). Keys and values are the JSON
// document's (docs/formats.md, "The JSON position"); a key the JSON leaves out for a row is
// None here, so that every row has every key. Money is `decimal.Decimal`.
//
// Each table comes as records (a list of dicts) or as columns (a dict of numpy arrays, which
// pandas turns into a DataFrame without converting anything). Both are built here in one
// pass, straight into preallocated lists or arrays, with the cyclic garbage collector paused;
// texts that repeat (device ids, titles, product names, reasons) are made into one `str` each
// and shared.
#include <array>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <pybind11/numpy.h>

#include "core.hpp"
#include "trueup/io/columns.hpp"
#include "trueup/io/readers.hpp"
#include "trueup/model/catalog.hpp"

namespace trueup::python {

namespace {

/// The cyclic garbage collector paused while a table is built: a table holds no cycles, and
/// a collection every few hundred new dicts would scan the whole growing table again and
/// again (at a million rows, most of the time went there).
class GcPaused {
 public:
  GcPaused() : was_enabled_(PyGC_Disable() != 0) {}
  ~GcPaused() {
    if (was_enabled_) PyGC_Enable();
  }
  GcPaused(const GcPaused&) = delete;
  GcPaused& operator=(const GcPaused&) = delete;

 private:
  bool was_enabled_;
};

/// How a column is held when the table is built as columns (for pandas): objects, 64-bit
/// integers, integers that may be absent (values and a mask, pandas' nullable Int64), booleans.
enum class Kind { object, integer, nullable_integer, boolean };

Kind held_as(io::columns::Kind k) {
  switch (k) {
    case io::columns::Kind::integer: return Kind::integer;
    case io::columns::Kind::optional_integer: return Kind::nullable_integer;
    case io::columns::Kind::boolean: return Kind::boolean;
    case io::columns::Kind::text:
    case io::columns::Kind::money:
    case io::columns::Kind::allocations:
    case io::columns::Kind::evidence: break;
  }
  return Kind::object;
}

/// A table under construction: rows x keys, as records (a list of dicts) or as columns (a
/// dict of numpy arrays, filled in place: pandas takes them without converting a list).
class Table {
 public:
  /// The table's keys are the columns of the JSON report's records (trueup/io/columns.hpp).
  template <std::size_t N>
  Table(const std::array<io::columns::Column, N>& keys, std::size_t rows, bool columns) : columns_(columns) {
    const auto n = static_cast<py::ssize_t>(rows);
    for (const io::columns::Column& c : keys) {
      const Kind kind = held_as(c.kind);
      py::str key(c.key.data(), c.key.size());
      PyObject* interned = key.release().ptr();
      PyUnicode_InternInPlace(&interned);
      keys_.push_back(py::reinterpret_steal<py::str>(interned));
      kinds_.push_back(kind);
      if (!columns_) continue;
      switch (kind) {
        case Kind::object:
          values_.push_back(py::array(py::dtype("O"), std::vector<py::ssize_t>{n}));  // zero-filled: NULL until set
          break;
        case Kind::integer:
        case Kind::nullable_integer: values_.push_back(py::array_t<std::int64_t>(n)); break;
        case Kind::boolean: values_.push_back(py::array_t<bool>(n)); break;
      }
      masks_.push_back(kind == Kind::nullable_integer ? py::array(py::array_t<bool>(n)) : py::array());
    }
    if (!columns_) records_ = new_list(rows);
  }

  /// Starts row `r`; then set() each key, in any order.
  void row(std::size_t r) {
    row_ = r;
    if (columns_) return;
    PyObject* d = PyDict_New();
    if (d == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(records_.ptr(), static_cast<Py_ssize_t>(r), d);  // steals
    dict_ = d;
  }
  void set(std::size_t key, py::object value) {
    if (!columns_) {
      if (PyDict_SetItem(dict_, keys_[key].ptr(), value.ptr()) != 0) throw py::error_already_set();
      return;
    }
    PyObject** slot = static_cast<PyObject**>(values_[key].mutable_data()) + row_;
    Py_XDECREF(*slot);
    *slot = value.release().ptr();
  }
  /// An integer, or none (`absent`) in a nullable column.
  void set_int(std::size_t key, long long v, bool absent = false) {
    if (!columns_) {
      set(key, absent ? py::object(py::none()) : py::object(py::int_(v)));
      return;
    }
    static_cast<std::int64_t*>(values_[key].mutable_data())[row_] = absent ? 0 : v;
    if (kinds_[key] == Kind::nullable_integer) static_cast<bool*>(masks_[key].mutable_data())[row_] = absent;
  }
  void set_bool(std::size_t key, bool v) {
    if (!columns_) {
      set(key, py::bool_(v));
      return;
    }
    static_cast<bool*>(values_[key].mutable_data())[row_] = v;
  }

  /// The list of dicts, or the dict of columns (in key order); a nullable integer column is
  /// the pair (values, mask), True where absent.
  py::object take() {
    if (!columns_) return std::move(records_);
    py::dict out;
    for (std::size_t k = 0; k < keys_.size(); ++k)
      out[keys_[k]] = kinds_[k] == Kind::nullable_integer ? py::object(py::make_tuple(values_[k], masks_[k]))
                                                          : py::object(values_[k]);
    return out;
  }

 private:
  static py::list new_list(std::size_t n) {
    // Items are NULL until set; every row sets every key before the list is seen.
    PyObject* l = PyList_New(static_cast<Py_ssize_t>(n));
    if (l == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::list>(l);
  }

  GcPaused gc_paused_;
  std::vector<py::str> keys_;
  std::vector<Kind> kinds_;
  std::vector<py::array> values_, masks_;
  py::list records_;
  bool columns_;
  std::size_t row_ = 0;
  PyObject* dict_ = nullptr;
};

/// One `str` per distinct text. Keys view the library's strings, which outlive the table.
class Texts {
 public:
  py::object operator()(std::string_view s) {
    auto [it, fresh] = cache_.try_emplace(s);
    if (fresh) it->second = to_str(s);
    return it->second;
  }

 private:
  std::unordered_map<std::string_view, py::object> cache_;
};

py::object none() { return py::none(); }

/// Product names by ProductRef, made once.
class ProductNames {
 public:
  explicit ProductNames(const RulePack& pack) : pack_(pack) {}
  py::object operator()(ProductRef p) {
    auto [it, fresh] = cache_.try_emplace(p);
    if (fresh) it->second = to_str(pack_.product_name(p));
    return it->second;
  }

 private:
  const RulePack& pack_;
  std::map<ProductRef, py::object> cache_;
};

py::object product_table(const Position& p, const RulePack& pack, bool columns) {
  using K = io::columns::ProductKey;
  Table t(io::columns::products, p.products.size(), columns);
  Texts texts;
  for (std::size_t i = 0; i < p.products.size(); ++i) {
    const ProductPosition& r = p.products[i];
    const Family& f = pack.family(r.product.family);
    t.row(i);
    t.set(K::product, to_str(pack.product_name(r.product)));
    t.set(K::family, texts(f.id));
    t.set(K::version, texts(f.versions.at(r.product.version).name));
    t.set(K::edition, texts(f.editions.at(r.product.edition).name));
    t.set(K::metric, texts(name(r.metric)));
    t.set_int(K::installs, r.installs);
    t.set_int(K::duplicates, r.duplicates);
    t.set_int(K::excluded, r.excluded);
    t.set_int(K::demands, r.demands);
    t.set_int(K::demand_units, r.demand_units);
    t.set_int(K::covered_units, r.covered_units);
    t.set_int(K::shortfall_units, r.shortfall_units);
    t.set_int(K::licences, r.licences);
    t.set_int(K::void_licences, r.void_licences);
    t.set_int(K::consumed, r.consumed);
    t.set_int(K::surplus, r.surplus);
    // None when no unit of the shortfall has a known price: the cost is unknown, not zero.
    t.set(K::true_up_cost,
          r.unpriced_shortfall > 0 && r.true_up_cost == MoneyTotal{} ? none() : to_decimal(r.true_up_cost));
    t.set_int(K::unpriced_shortfall_units, r.unpriced_shortfall);
    t.set(K::buy_edition, r.buy_edition ? texts(f.editions.at(*r.buy_edition).name) : none());
  }
  return t.take();
}

py::object install_table(const Position& p, const RulePack& pack, const Fleet& fleet, bool columns) {
  using K = io::columns::InstallKey;
  TRUEUP_CHECK(p.installs.size() == fleet.installs.size(), "a position has one verdict per install of its fleet");
  Table t(io::columns::installs, p.installs.size(), columns);
  Texts texts;
  ProductNames products(pack);
  std::vector<py::object> device_ids(fleet.devices.size());
  std::vector<py::object> licence_ids(fleet.entitlements.size());
  const auto py_key = [](std::string_view k) { return py::str(k.data(), k.size()); };
  const py::str licence_id_key = py_key(io::columns::allocation_licence),
                units_key = py_key(io::columns::allocation_units), rule_key = py_key(io::columns::evidence_rule),
                detail_key = py_key(io::columns::evidence_detail);
  for (std::size_t i = 0; i < p.installs.size(); ++i) {
    const Install& in = fleet.installs[i];
    const InstallVerdict& v = p.installs[i];
    t.row(i);
    t.set(K::install_id, to_str(in.id));
    py::object& dev = device_ids.at(in.device.value);
    if (!dev) dev = to_str(fleet.device(in.device).id);
    t.set(K::device_id, dev);
    t.set(K::title, texts(in.title));
    t.set(K::verdict, texts(name(v.verdict)));
    t.set(K::product, v.product ? products(*v.product) : none());
    t.set(K::exclusion, v.verdict == Verdict::excluded ? texts(name(v.exclusion)) : none());
    t.set(K::duplicate_of, v.verdict == Verdict::duplicate ? to_str(fleet.install(v.duplicate_of).id) : none());
    t.set(K::reason, v.reason.empty() ? none() : texts(v.reason));
    const bool demand = v.verdict == Verdict::covered || v.verdict == Verdict::shortfall;
    t.set(K::metric, demand ? texts(name(v.metric)) : none());
    t.set_int(K::units, v.demanded, !demand);
    t.set_int(K::covered_units, v.covered, !demand);
    py::list allocations(v.licences.size());
    for (std::size_t a = 0; a < v.licences.size(); ++a) {
      py::object& id = licence_ids.at(v.licences[a].entitlement.value);
      if (!id) id = to_str(fleet.entitlement(v.licences[a].entitlement).id);
      py::dict d;
      d[licence_id_key] = id;
      d[units_key] = py::int_(v.licences[a].units);
      allocations[a] = std::move(d);
    }
    t.set(K::licences, std::move(allocations));
    py::list steps(v.evidence.size());
    for (std::size_t s = 0; s < v.evidence.size(); ++s) {
      py::dict d;
      d[rule_key] = texts(name(v.evidence[s].kind));
      d[detail_key] = texts(v.evidence[s].text);
      steps[s] = std::move(d);
    }
    t.set(K::evidence, std::move(steps));
  }
  return t.take();
}

py::object entitlement_table(const Position& p, const RulePack& pack, const Fleet& fleet, bool columns) {
  using K = io::columns::EntitlementKey;
  TRUEUP_CHECK(p.entitlements.size() == fleet.entitlements.size(),
               "a position has one use per entitlement of its fleet");
  Table t(io::columns::entitlements, p.entitlements.size(), columns);
  Texts texts;
  ProductNames products(pack);
  for (std::size_t i = 0; i < p.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementUse& u = p.entitlements[i];
    t.row(i);
    t.set(K::licence_id, to_str(e.id));
    t.set(K::product, products(e.product));
    t.set(K::channel, texts(name(e.channel)));
    t.set(K::metric, texts(name(e.metric)));
    t.set_int(K::quantity, e.quantity);
    t.set(K::device_id, e.device.valid() ? texts(fleet.device(e.device).id) : none());
    t.set_bool(K::counted, u.counted);
    t.set_int(K::consumed, u.consumed);
    t.set(K::reason, u.counted ? none() : texts(u.reason));
    t.set(K::note, u.note.empty() ? none() : texts(u.note));
    t.set(K::counted_product, u.converted ? products(u.product) : none());
    t.set(K::counted_metric, u.converted ? texts(name(u.metric)) : none());
    t.set_int(K::counted_units, u.units, !u.converted);
  }
  return t.take();
}

py::dict totals_record(const Position& p) {
  const Totals& t = p.totals;
  py::dict d;
  d["installs"] = t.installs;
  d["covered"] = t.covered;
  d["short"] = t.shortfall;
  d["excluded"] = t.excluded;
  d["duplicate"] = t.duplicate;
  d["true_up_cost"] = t.unpriced_shortfall > 0 && t.true_up_cost == MoneyTotal{} ? none() : to_decimal(t.true_up_cost);
  d["unpriced_shortfall_units"] = t.unpriced_shortfall;
  py::list units;
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals& u = t.units[m];
    if (u.demand == 0 && u.licences == 0) continue;  // as the JSON: metrics the fleet has
    py::dict row;
    row["metric"] = std::string(name(static_cast<Metric>(m)));
    row["demand_units"] = u.demand;
    row["covered_units"] = u.covered;
    row["shortfall_units"] = u.shortfall;
    row["licences"] = u.licences;
    row["consumed"] = u.consumed;
    row["surplus"] = u.surplus;
    units.append(std::move(row));
  }
  d["units"] = std::move(units);
  return d;
}

}  // namespace

/// The keys of a table's records, in order: (key, kind) pairs.
template <std::size_t N>
py::list column_list(const std::array<io::columns::Column, N>& table) {
  static constexpr const char* kinds[] = {"text",  "integer",     "optional_integer", "boolean",
                                          "money", "allocations", "evidence"};
  py::list out;
  for (const auto& c : table) out.append(py::make_tuple(std::string(c.key), kinds[static_cast<int>(c.kind)]));
  return out;
}

void register_tables(py::module_& m) {
  m.def(
      "columns",
      [](std::string_view table) {
        if (table == "products") return column_list(io::columns::products);
        if (table == "installs") return column_list(io::columns::installs);
        if (table == "entitlements") return column_list(io::columns::entitlements);
        throw py::value_error("expected products, installs or entitlements");
      },
      py::arg("table"), "The columns of a table of the position (trueup/io/columns.hpp): (key, kind) pairs.");
  m.def("product_table", &product_table, py::arg("position"), py::arg("pack"), py::arg("columns") = false,
        "One row per product: records (list of dicts) or columns (dict of lists).");
  m.def("install_table", &install_table, py::arg("position"), py::arg("pack"), py::arg("fleet"),
        py::arg("columns") = false, "One row per install, in the order read.");
  m.def("entitlement_table", &entitlement_table, py::arg("position"), py::arg("pack"), py::arg("fleet"),
        py::arg("columns") = false, "One row per entitlement, in the order read.");
  m.def("totals_record", &totals_record, py::arg("position"), "The totals, as the JSON's `totals`.");
}

}  // namespace trueup::python
