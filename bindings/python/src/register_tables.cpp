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

struct Key {
  const char* name;
  Kind kind = Kind::object;
};

/// A table under construction: rows x keys, as records (a list of dicts) or as columns (a
/// dict of numpy arrays, filled in place: pandas takes them without converting a list).
class Table {
 public:
  Table(std::initializer_list<Key> keys, std::size_t rows, bool columns) : columns_(columns) {
    const auto n = static_cast<py::ssize_t>(rows);
    for (const Key& k : keys) {
      keys_.push_back(py::reinterpret_steal<py::str>(PyUnicode_InternFromString(k.name)));
      kinds_.push_back(k.kind);
      if (!columns_) continue;
      switch (k.kind) {
        case Kind::object:
          values_.push_back(py::array(py::dtype("O"), std::vector<py::ssize_t>{n}));  // zero-filled: NULL until set
          break;
        case Kind::integer:
        case Kind::nullable_integer: values_.push_back(py::array_t<std::int64_t>(n)); break;
        case Kind::boolean: values_.push_back(py::array_t<bool>(n)); break;
      }
      masks_.push_back(k.kind == Kind::nullable_integer ? py::array(py::array_t<bool>(n)) : py::array());
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
  enum : std::size_t {
    product,
    family,
    version,
    edition,
    metric,
    installs,
    duplicates,
    excluded,
    demands,
    demand_units,
    covered_units,
    shortfall_units,
    licences,
    void_licences,
    consumed,
    surplus,
    true_up_cost,
    unpriced_shortfall_units
  };
  constexpr Kind n = Kind::integer;
  Table t({{"product"},
           {"family"},
           {"version"},
           {"edition"},
           {"metric"},
           {"installs", n},
           {"duplicates", n},
           {"excluded", n},
           {"demands", n},
           {"demand_units", n},
           {"covered_units", n},
           {"shortfall_units", n},
           {"licences", n},
           {"void_licences", n},
           {"consumed", n},
           {"surplus", n},
           {"true_up_cost"},
           {"unpriced_shortfall_units", n}},
          p.products.size(), columns);
  Texts texts;
  for (std::size_t i = 0; i < p.products.size(); ++i) {
    const ProductPosition& r = p.products[i];
    const Family& f = pack.family(r.product.family);
    t.row(i);
    t.set(product, to_str(pack.product_name(r.product)));
    t.set(family, texts(f.id));
    t.set(version, texts(f.versions.at(r.product.version).name));
    t.set(edition, texts(f.editions.at(r.product.edition).name));
    t.set(metric, texts(name(r.metric)));
    t.set_int(installs, r.installs);
    t.set_int(duplicates, r.duplicates);
    t.set_int(excluded, r.excluded);
    t.set_int(demands, r.demands);
    t.set_int(demand_units, r.demand_units);
    t.set_int(covered_units, r.covered_units);
    t.set_int(shortfall_units, r.shortfall_units);
    t.set_int(licences, r.licences);
    t.set_int(void_licences, r.void_licences);
    t.set_int(consumed, r.consumed);
    t.set_int(surplus, r.surplus);
    t.set(true_up_cost, to_decimal(r.true_up_cost));
    t.set_int(unpriced_shortfall_units, r.unpriced_shortfall);
  }
  return t.take();
}

py::object install_table(const Position& p, const RulePack& pack, const Fleet& fleet, bool columns) {
  enum : std::size_t {
    install_id,
    device_id,
    title,
    verdict,
    product,
    exclusion,
    duplicate_of,
    reason,
    metric,
    units,
    covered_units,
    licences,
    evidence
  };
  TRUEUP_CHECK(p.installs.size() == fleet.installs.size(), "a position has one verdict per install of its fleet");
  constexpr Kind ni = Kind::nullable_integer;
  Table t({{"install_id"},
           {"device_id"},
           {"title"},
           {"verdict"},
           {"product"},
           {"exclusion"},
           {"duplicate_of"},
           {"reason"},
           {"metric"},
           {"units", ni},
           {"covered_units", ni},
           {"licences"},
           {"evidence"}},
          p.installs.size(), columns);
  Texts texts;
  ProductNames products(pack);
  std::vector<py::object> device_ids(fleet.devices.size());
  std::vector<py::object> licence_ids(fleet.entitlements.size());
  const py::str licence_id_key("licence_id"), units_key("units"), rule_key("rule"), detail_key("detail");
  for (std::size_t i = 0; i < p.installs.size(); ++i) {
    const Install& in = fleet.installs[i];
    const InstallVerdict& v = p.installs[i];
    t.row(i);
    t.set(install_id, to_str(in.id));
    py::object& dev = device_ids.at(in.device.value);
    if (!dev) dev = to_str(fleet.device(in.device).id);
    t.set(device_id, dev);
    t.set(title, texts(in.title));
    t.set(verdict, texts(name(v.verdict)));
    t.set(product, v.product ? products(*v.product) : none());
    t.set(exclusion, v.verdict == Verdict::excluded ? texts(name(v.exclusion)) : none());
    t.set(duplicate_of, v.verdict == Verdict::duplicate ? to_str(fleet.install(v.duplicate_of).id) : none());
    t.set(reason, v.reason.empty() ? none() : texts(v.reason));
    const bool demand = v.verdict == Verdict::covered || v.verdict == Verdict::shortfall;
    t.set(metric, demand ? texts(name(v.metric)) : none());
    t.set_int(units, v.demanded, !demand);
    t.set_int(covered_units, v.covered, !demand);
    py::list allocations(v.licences.size());
    for (std::size_t a = 0; a < v.licences.size(); ++a) {
      py::object& id = licence_ids.at(v.licences[a].entitlement.value);
      if (!id) id = to_str(fleet.entitlement(v.licences[a].entitlement).id);
      py::dict d;
      d[licence_id_key] = id;
      d[units_key] = py::int_(v.licences[a].units);
      allocations[a] = std::move(d);
    }
    t.set(licences, std::move(allocations));
    py::list steps(v.evidence.size());
    for (std::size_t s = 0; s < v.evidence.size(); ++s) {
      py::dict d;
      d[rule_key] = texts(name(v.evidence[s].kind));
      d[detail_key] = texts(v.evidence[s].text);
      steps[s] = std::move(d);
    }
    t.set(evidence, std::move(steps));
  }
  return t.take();
}

py::object entitlement_table(const Position& p, const RulePack& pack, const Fleet& fleet, bool columns) {
  enum : std::size_t { licence_id, product, channel, metric, quantity, device_id, counted, consumed, reason };
  TRUEUP_CHECK(p.entitlements.size() == fleet.entitlements.size(),
               "a position has one use per entitlement of its fleet");
  Table t({{"licence_id"},
           {"product"},
           {"channel"},
           {"metric"},
           {"quantity", Kind::integer},
           {"device_id"},
           {"counted", Kind::boolean},
           {"consumed", Kind::integer},
           {"reason"}},
          p.entitlements.size(), columns);
  Texts texts;
  ProductNames products(pack);
  for (std::size_t i = 0; i < p.entitlements.size(); ++i) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementUse& u = p.entitlements[i];
    t.row(i);
    t.set(licence_id, to_str(e.id));
    t.set(product, products(e.product));
    t.set(channel, texts(name(e.channel)));
    t.set(metric, texts(name(e.metric)));
    t.set_int(quantity, e.quantity);
    t.set(device_id, e.device.valid() ? texts(fleet.device(e.device).id) : none());
    t.set_bool(counted, u.counted);
    t.set_int(consumed, u.consumed);
    t.set(reason, u.counted ? none() : texts(u.reason));
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
  d["true_up_cost"] = to_decimal(t.true_up_cost);
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

void register_tables(py::module_& m) {
  m.def("product_table", &product_table, py::arg("position"), py::arg("pack"), py::arg("columns") = false,
        "One row per product: records (list of dicts) or columns (dict of lists).");
  m.def("install_table", &install_table, py::arg("position"), py::arg("pack"), py::arg("fleet"),
        py::arg("columns") = false, "One row per install, in the order read.");
  m.def("entitlement_table", &entitlement_table, py::arg("position"), py::arg("pack"), py::arg("fleet"),
        py::arg("columns") = false, "One row per entitlement, in the order read.");
  m.def("totals_record", &totals_record, py::arg("position"), "The totals, as the JSON's `totals`.");
}

}  // namespace trueup::python
