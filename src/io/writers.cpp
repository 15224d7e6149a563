// SPDX-License-Identifier: BSL-1.0
// File: src/io/writers.cpp
//
// The terminal table and the JSON document for a Position (docs/formats.md, "Output").
// Rows come out in a canonical order (products in pack order, installs and entitlements by
// id), so shuffled input rows give byte-identical output.
#include "trueup/io/writers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "trueup/detail/parallel.hpp"
#include "trueup/version.hpp"

namespace trueup::io {
namespace {

// --- JSON ----------------------------------------------------------------------------------

/// Whether `c` must be escaped inside a JSON string.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/// Whether any of the 8 bytes in `w` must be escaped: the classic SWAR tests for a byte below
/// 0x20 and for a byte equal to '"' or '\\' (Hacker's Delight, "find the first zero byte").
constexpr bool any_needs_escape(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101U, highs = 0x8080808080808080U;
  const auto zero_byte = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t below_space = (w - 0x20 * ones) & ~w & highs;
  return (below_space | zero_byte(w ^ ('"' * ones)) | zero_byte(w ^ ('\\' * ones))) != 0;
}

/// The text a JSON writer appends to: a growing buffer whose appends are inline (std::string's
/// are calls into the library, one per character written: a tenth of formatting a million
/// installs, measured).
class JsonText {
 public:
  JsonText() = default;
  JsonText(JsonText&& other) noexcept
      : data_(std::move(other.data_)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  JsonText& operator=(JsonText&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    return *this;
  }
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;
  ~JsonText() = default;

  void push_back(char c) {
    if (size_ == capacity_) [[unlikely]]
      grow(1);
    data_[size_++] = c;
  }
  void append(const char* p, std::size_t n) {
    if (n == 0) return;  // p may be null then
    if (capacity_ - size_ < n) [[unlikely]]
      grow(n);
    std::memcpy(data_.get() + size_, p, n);
    size_ += n;
  }
  void append(const char* begin, const char* end) { append(begin, static_cast<std::size_t>(end - begin)); }
  void append(std::size_t n, char c) {
    if (capacity_ - size_ < n) grow(n);
    std::memset(data_.get() + size_, c, n);
    size_ += n;
  }
  JsonText& operator+=(std::string_view s) {
    append(s.data(), s.size());
    return *this;
  }
  void reserve(std::size_t n) {
    if (n > capacity_) grow(n - size_);
  }
  void clear() { size_ = 0; }
  [[nodiscard]] std::string_view view() const { return {data_.get(), size_}; }
  operator std::string_view() const { return view(); }  // NOLINT: handed to sinks as text

 private:
  [[gnu::noinline]] void grow(std::size_t n) {  // rare: keeps the appends small enough to inline
    const std::size_t capacity = std::max(2 * capacity_, size_ + n);
    std::unique_ptr<char[]> data(new char[capacity]);  // not zero-filled: written before read
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

void json_string(JsonText& out, std::string_view s) {
  out.push_back('"');
  // Runs of bytes that need no escape are appended whole: most texts have none, and are
  // scanned eight bytes at a time.
  std::size_t run = 0;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    if (any_needs_escape(w)) break;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        constexpr char hex[] = "0123456789abcdef";
        const char u[] = {'\\', 'u', '0', '0', hex[c >> 4U], hex[c & 0xFU]};
        out.append(u, sizeof u);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// A tiny streaming writer: objects and arrays with two-space indentation, one member per line,
// except containers opened `one_line`: those and everything inside them are written on one
// line with no spaces ({"a":1,"b":[2,3]}). Records in the long arrays (every install, licence,
// server, user and CAL holder) are written so: a million installs make a million lines, not
// twenty-five million, and the file is a quarter smaller.
class Json {
 public:
  enum class Layout : bool { lines, one_line };

  Json() = default;
  /// A writer that continues inside a document: `depth` containers are open, the innermost
  /// has members already unless `first`. Used to format parts of an array apart and join them.
  Json(std::size_t depth, bool first) : first_(depth, false) {
    if (depth > 0) first_.back() = first;
  }
  /// The same, writing into `buffer` (emptied first): a buffer used before keeps its memory.
  Json(std::size_t depth, bool first, JsonText buffer) : Json(depth, first) {
    out_ = std::move(buffer);
    out_.clear();
  }

  JsonText take() { return std::move(out_); }
  /// The text so far, for a caller that hands it on in pieces and then clears it.
  JsonText& text() { return out_; }
  /// The innermost container has members (written by other writers).
  void mark_members() { first_.back() = false; }

  void begin_object(std::string_view key = {}, Layout layout = Layout::lines) { open(key, '{', layout); }
  void end_object() { close('}'); }
  void begin_array(std::string_view key = {}) { open(key, '[', Layout::lines); }
  void end_array() { close(']'); }

  void str(std::string_view key, std::string_view v) {
    member(key);
    json_string(out_, v);
  }
  void num(std::string_view key, long long v) {
    member(key);
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void boolean(std::string_view key, bool v) {
    member(key);
    out_ += v ? "true" : "false";
  }

 private:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  [[nodiscard]] bool in_line() const { return first_.size() >= one_line_from_; }

  void member(std::string_view key) {
    if (!first_.empty()) {
      if (!first_.back()) out_.push_back(',');
      first_.back() = false;
      if (!in_line()) {
        out_.push_back('\n');
        out_.append(2 * first_.size(), ' ');
      }
    }
    if (!key.empty()) {  // keys are this file's literals, none needing an escape
      out_.push_back('"');
      out_ += key;
      out_ += in_line() ? std::string_view("\":") : std::string_view("\": ");
    }
  }
  void open(std::string_view key, char c, Layout layout) {
    member(key);
    out_.push_back(c);
    first_.push_back(true);
    if (layout == Layout::one_line && !in_line()) one_line_from_ = first_.size();
  }
  void close(char c) {
    const bool empty = first_.back();
    const bool was_in_line = in_line();
    first_.pop_back();
    if (!in_line()) one_line_from_ = none;
    if (!empty && !was_in_line) {
      out_.push_back('\n');
      out_.append(2 * first_.size(), ' ');
    }
    out_.push_back(c);
  }
  JsonText out_;
  std::vector<bool> first_;
  std::size_t one_line_from_ = none;  ///< depth from which containers are written on one line
};

/// Every product's display name, made once: a report names a product on most of its rows.
class ProductNames {
 public:
  explicit ProductNames(const RulePack& pack) : pack_(pack) {
    for (std::size_t f = 0; f < pack.families.size(); ++f) {
      const Family& fam = pack.families[f];
      first_.push_back(names_.size());
      for (std::size_t v = 0; v < fam.versions.size(); ++v)
        for (std::size_t e = 0; e < fam.editions.size(); ++e)
          names_.push_back(pack.product_name(ProductRef{FamilyIndex{static_cast<FamilyIndex::value_type>(f)},
                                                        static_cast<std::uint16_t>(v), static_cast<std::uint16_t>(e)}));
    }
  }
  [[nodiscard]] const std::string& operator()(ProductRef p) const {
    const Family& fam = pack_.family(p.family);
    return names_.at(first_.at(p.family.value) + std::size_t{p.version} * fam.editions.size() + p.edition);
  }

 private:
  const RulePack& pack_;
  std::vector<std::size_t> first_;  ///< per family: index of its first (version 0, edition 0) name
  std::vector<std::string> names_;
};

template <class T, class Id>
std::vector<std::size_t> order_by_id(const std::vector<T>& records, Id id) {
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return id(records[a]) < id(records[b]); });
  return order;
}

std::string exclusion_breakdown(const Position& p) {
  std::map<Exclusion, std::uint32_t> by;
  for (const auto& v : p.installs)
    if (v.verdict == Verdict::excluded) ++by[v.exclusion];
  std::string s;
  for (const auto& [e, n] : by) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", name(e), n);
  return s;
}

// The true-up cell: "-" when nothing is short, "?" when no shortfall unit has a known price,
// and a trailing "+?" when only some have one.
std::string money_or_dash(const MoneyTotal& m, Units unpriced, Units shortfall) {
  if (shortfall == 0) return "-";
  if (unpriced == shortfall) return "?";
  return unpriced > 0 ? m.str() + "+?" : m.str();
}

/// One install's verdict object, as an element of the "installs" array.
void install_json(Json& j, const Install& in, const InstallVerdict& v, const ProductNames& product_name,
                  const Fleet& fleet) {
  j.begin_object({}, Json::Layout::one_line);
  j.str("install_id", in.id);
  j.str("device_id", fleet.device(in.device).id);
  j.str("title", in.title);
  j.str("verdict", name(v.verdict));
  if (v.product) j.str("product", product_name(*v.product));
  switch (v.verdict) {
    case Verdict::excluded:
      j.str("exclusion", name(v.exclusion));
      j.str("reason", v.reason);
      break;
    case Verdict::duplicate:
      j.str("duplicate_of", fleet.install(v.duplicate_of).id);
      j.str("reason", v.reason);
      break;
    case Verdict::covered:
    case Verdict::shortfall:
      j.str("metric", name(v.metric));
      j.num("units", v.demanded);
      j.num("covered_units", v.covered);
      if (v.verdict == Verdict::shortfall) j.str("reason", v.reason);
      j.begin_array("licences");
      for (const Allocation& a : v.licences) {
        j.begin_object();
        j.str("licence_id", fleet.entitlement(a.entitlement).id);
        j.num("units", a.units);
        j.end_object();
      }
      j.end_array();
      j.begin_array("evidence");
      for (const RuleStep& s : v.evidence) {
        j.begin_object();
        j.str("rule", name(s.kind));
        j.str("detail", s.text);
        j.end_object();
      }
      j.end_array();
      break;
  }
  j.end_object();
}

/// Installs in id order (ties, which valid input never has, by position): sorted in two halves
/// on two threads and merged when `threads` > 1, the same order either way.
std::vector<std::size_t> install_order(const Fleet& fleet, unsigned threads) {
  std::vector<std::size_t> order(fleet.installs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto before = [&](std::size_t a, std::size_t b) {
    const int c = fleet.installs[a].id.compare(fleet.installs[b].id);
    return c < 0 || (c == 0 && a < b);
  };
  // Exports that number their rows as they list them are in id order already: one pass over
  // neighbours (in memory order) saves the sort's million random reads.
  if (std::is_sorted(order.begin(), order.end(), before)) return order;
  const auto mid = order.begin() + static_cast<std::ptrdiff_t>(order.size() / 2);
  if (threads <= 1 || order.size() < std::max<std::size_t>(detail::parallel_thresholds().sort_installs, 2)) {
    std::sort(order.begin(), order.end(), before);
  } else {
    std::exception_ptr failure;
    std::thread half([&] {
      try {
        std::sort(order.begin(), mid, before);
      } catch (...) {
        failure = std::current_exception();
      }
    });
    std::sort(mid, order.end(), before);
    half.join();
    if (failure) std::rethrow_exception(failure);
    std::inplace_merge(order.begin(), mid, order.end(), before);
  }
  return order;
}

/// The "installs" array: its elements formatted in blocks, each as a writer nested two deep
/// would write it, handed to `sink` in block order. With `threads` > 1, that many workers
/// format blocks while the calling thread hands finished ones on; at most two blocks per
/// worker wait, so memory stays a few blocks whatever the fleet's size.
void installs_json(Json& j, const JsonSink& sink, const Position& p, const ProductNames& names, const Fleet& fleet,
                   unsigned threads) {
  const std::vector<std::size_t> order = install_order(fleet, threads);
  j.begin_array("installs");
  if (order.empty()) {
    j.end_array();
    return;
  }
  sink(j.text());
  j.text().clear();
  const std::size_t block = std::max<std::size_t>(detail::parallel_thresholds().json_block, 1);
  const std::size_t blocks = (order.size() + block - 1) / block;
  // Block k formatted into `buffer`. Buffers are reused once their text is handed on: a block
  // is megabytes, and fresh memory for each would be faulted in page by page (hundreds of
  // megabytes at a million installs).
  auto format_block = [&](std::size_t k, JsonText buffer) {
    Json b(2, k == 0, std::move(buffer));
    b.text().reserve(block * 512);
    for (std::size_t i = k * block; i < std::min(order.size(), (k + 1) * block); ++i)
      install_json(b, fleet.installs[order[i]], p.installs[order[i]], names, fleet);
    return b.take();
  };
  if (threads <= 1 || blocks == 1) {
    JsonText buffer;
    for (std::size_t k = 0; k < blocks; ++k) {
      buffer = format_block(k, std::move(buffer));
      sink(buffer);
    }
  } else {
    std::mutex m;
    std::condition_variable cv;
    std::vector<JsonText> done(blocks);
    std::vector<JsonText> spare;  // buffers whose text was handed on
    std::vector<bool> ready(blocks, false);
    std::size_t next = 0;  // next block to format
    std::size_t sunk = 0;  // blocks handed to the sink
    const std::size_t ahead = 2 * std::size_t{threads};
    bool stop = false;
    std::exception_ptr failure;
    auto fail = [&](std::exception_ptr e) {
      const std::lock_guard lock(m);
      if (!failure) failure = std::move(e);
      stop = true;
      cv.notify_all();
    };
    auto work = [&] {
      for (;;) {
        std::size_t k = 0;
        JsonText buffer;
        {
          std::unique_lock lock(m);
          cv.wait(lock, [&] { return stop || next == blocks || next < sunk + ahead; });
          if (stop || next == blocks) return;
          k = next++;
          if (!spare.empty()) {
            buffer = std::move(spare.back());
            spare.pop_back();
          }
        }
        try {
          JsonText text = format_block(k, std::move(buffer));
          const std::lock_guard lock(m);
          done[k] = std::move(text);
          ready[k] = true;
          cv.notify_all();
        } catch (...) {
          fail(std::current_exception());
          return;
        }
      }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work);
    for (std::size_t k = 0; k < blocks; ++k) {
      JsonText text;
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return stop || ready[k]; });
        if (!ready[k]) break;
        text = std::move(done[k]);
        ++sunk;
        cv.notify_all();
      }
      try {
        sink(text);
      } catch (...) {
        fail(std::current_exception());
        break;
      }
      const std::lock_guard lock(m);
      spare.push_back(std::move(text));
    }
    for (auto& w : workers) w.join();
    if (failure) std::rethrow_exception(failure);
  }
  j.mark_members();
  j.end_array();
}

}  // namespace

void write_json(const Position& p, const RulePack& pack, const Fleet& fleet, const JsonSink& sink, unsigned threads) {
  const ProductNames product_name(pack);
  Json j;
  j.begin_object();
  j.str("trueup", version_string);
  j.str("rule_pack", p.rule_pack);
  j.str("as_of", p.as_of.iso());
  j.str("status", p.status == SolveStatus::optimal ? "optimal" : "bad-cost-range");

  const Totals& t = p.totals;
  j.begin_object("totals");
  j.num("installs", t.installs);
  j.num("covered", t.covered);
  j.num("short", t.shortfall);
  j.num("excluded", t.excluded);
  j.num("duplicate", t.duplicate);
  j.str("true_up_cost", t.true_up_cost.str());
  j.num("unpriced_shortfall_units", t.unpriced_shortfall);
  j.begin_array("units");  // per metric: units of different metrics are never added
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals& u = t.units[m];
    if (u.demand == 0 && u.licences == 0) continue;
    j.begin_object();
    j.str("metric", name(static_cast<Metric>(m)));
    j.num("demand_units", u.demand);
    j.num("covered_units", u.covered);
    j.num("shortfall_units", u.shortfall);
    j.num("licences", u.licences);
    j.num("consumed", u.consumed);
    j.num("surplus", u.surplus);
    j.end_object();
  }
  j.end_array();
  j.end_object();

  j.begin_object("solver");
  j.num("demand_classes", static_cast<long long>(p.demand_classes));
  j.num("pools", static_cast<long long>(p.pools));
  j.num("components", static_cast<long long>(p.components));
  j.end_object();

  j.begin_array("products");
  for (const ProductPosition& r : p.products) {
    const Family& f = pack.family(r.product.family);
    j.begin_object();
    j.str("product", product_name(r.product));
    j.str("family", f.id);
    j.str("version", f.versions[r.product.version].name);
    j.str("edition", f.editions[r.product.edition].name);
    j.str("metric", name(r.metric));
    j.num("installs", r.installs);
    j.num("duplicates", r.duplicates);
    j.num("excluded", r.excluded);
    j.num("demands", r.demands);
    j.num("demand_units", r.demand_units);
    j.num("covered_units", r.covered_units);
    j.num("shortfall_units", r.shortfall_units);
    j.num("licences", r.licences);
    j.num("void_licences", r.void_licences);
    j.num("consumed", r.consumed);
    j.num("surplus", r.surplus);
    j.str("true_up_cost", r.true_up_cost.str());
    j.num("unpriced_shortfall_units", r.unpriced_shortfall);
    j.end_object();
  }
  j.end_array();

  installs_json(j, sink, p, product_name, fleet, threads);

  // Host-licensed servers: the model each is licensed under and why it needs what it needs
  // (an auditor who counts a 2012 R2 server by 2016 rules is answered here).
  j.begin_array("servers");
  for (const ServerPosition& sp : p.servers) {
    const Family& f = pack.family(sp.product.family);
    j.begin_object({}, Json::Layout::one_line);
    j.str("device_id", fleet.device(sp.device).id);
    j.str("install_id", fleet.install(sp.install).id);
    j.str("product", product_name(sp.product));
    j.num("oses", sp.oses);
    j.str("model", sp.model);
    j.str("licence_edition", f.editions[sp.edition].name);
    j.str("metric", name(sp.metric));
    j.num("units_required", sp.required);
    j.num("covered_units", sp.covered);
    j.str("why", sp.why);
    if (!sp.source.empty()) j.str("source", sp.source);
    j.end_object();
  }
  j.end_array();

  j.begin_array("users");
  for (const UserPosition& u : p.users) {
    j.begin_object({}, Json::Layout::one_line);
    j.str("user", u.user);
    j.str("product", product_name(u.product));
    j.num("devices", u.devices);
    j.boolean("user_licence", u.user_licence);
    if (u.user_licence) j.boolean("user_licence_owned", u.user_licence_owned);
    j.num("devices_under_user_licence", u.under_user_licence);
    j.num("device_licences", u.device_licences);
    j.num("device_licences_short", u.device_short);
    j.end_object();
  }
  j.end_array();

  j.begin_array("cals");
  for (const CalPosition& c : p.cals) {
    j.begin_object({}, Json::Layout::one_line);
    j.str("holder", c.holder);
    j.str("metric", name(c.metric));
    j.str("product", product_name(c.product));
    j.num("servers_accessed", c.servers);
    j.boolean("covered", c.covered == 1);
    j.begin_array("licences");
    for (const Allocation& a : c.licences) j.str("", fleet.entitlement(a.entitlement).id);
    j.end_array();
    j.end_object();
  }
  j.end_array();

  j.begin_array("entitlements");
  for (std::size_t i : order_by_id(fleet.entitlements, [](const Entitlement& x) -> const std::string& { return x.id; })) {
    const Entitlement& e = fleet.entitlements[i];
    const EntitlementUse& u = p.entitlements[i];
    j.begin_object({}, Json::Layout::one_line);
    j.str("licence_id", e.id);
    j.str("product", product_name(e.product));
    j.str("channel", name(e.channel));
    j.str("metric", name(e.metric));
    j.num("quantity", e.quantity);
    if (e.device.valid()) j.str("device_id", fleet.device(e.device).id);
    j.boolean("counted", u.counted);
    j.num("consumed", u.consumed);
    if (!u.counted) j.str("reason", u.reason);
    if (!u.note.empty()) j.str("note", u.note);
    j.end_object();
  }
  j.end_array();

  if (!p.assignments.empty()) {
    j.begin_object("assignments");
    j.num("records", static_cast<Units>(p.assignments.size()));
    j.num("kept", p.history.kept);
    j.num("moved", p.history.moved);
    j.num("assigned", p.history.assigned);
    j.num("locked", p.history.locked);
    j.end_object();
  }

  j.begin_array("warnings");
  for (const Diagnostic& d : p.warnings) {
    j.begin_object({}, Json::Layout::one_line);
    j.str("code", d.code);
    j.str("message", to_string(d));
    j.end_object();
  }
  j.end_array();
  j.end_object();
  j.text().push_back('\n');
  sink(j.text());
}

std::string format_json(const Position& p, const RulePack& pack, const Fleet& fleet, unsigned threads) {
  std::string out;
  write_json(p, pack, fleet, [&](std::string_view piece) { out.append(piece); }, threads);
  return out;
}

Result<bool> write_json_file(const std::filesystem::path& path, const Position& p, const RulePack& pack,
                             const Fleet& fleet, unsigned threads) {
  return write_file_atomically(path, [&](const JsonSink& sink) { write_json(p, pack, fleet, sink, threads); });
}

std::string format_table(const Position& p, const RulePack& pack, const Fleet& fleet) {
  constexpr std::size_t ncol = 11;
  using Row = std::array<std::string, ncol>;
  const Row heads = {"Product", "Model", "Installs", "Dup", "Excl", "Demand", "Licences", "Consumed", "Surplus", "Short", "True-up"};
  std::vector<Row> rows;
  std::vector<FamilyIndex> family_of_row;
  std::vector<int> model_of_row;  // host families: one block per model
  std::uint32_t product_installs = 0, dups = 0, excl = 0;
  for (const ProductPosition& r : p.products) {
    rows.push_back({pack.product_name(r.product), std::string(name(r.metric)), std::to_string(r.installs),
                    std::to_string(r.duplicates), std::to_string(r.excluded), std::to_string(r.demand_units),
                    std::to_string(r.licences), std::to_string(r.consumed), std::to_string(r.surplus),
                    std::to_string(r.shortfall_units), money_or_dash(r.true_up_cost, r.unpriced_shortfall, r.shortfall_units)});
    family_of_row.push_back(r.product.family);
    model_of_row.push_back(pack.family(r.product.family).assignment == Assignment::host ? static_cast<int>(r.metric) : -1);
    product_installs += r.installs;
    dups += r.duplicates;
    excl += r.excluded;
  }
  const Totals& t = p.totals;
  // One total row per metric present: device licences and core licences do not add up.
  std::vector<Row> totals;
  for (std::size_t m = 0; m < metric_count; ++m) {
    const UnitTotals& u = t.units[m];
    if (u.demand == 0 && u.licences == 0) continue;
    MoneyTotal cost;
    Units unpriced = 0;
    for (const ProductPosition& r : p.products)
      if (r.metric == static_cast<Metric>(m)) {
        cost += r.true_up_cost;
        unpriced += r.unpriced_shortfall;
      }
    totals.push_back({"Total", std::string(name(static_cast<Metric>(m))), "", "", "", std::to_string(u.demand),
                      std::to_string(u.licences), std::to_string(u.consumed), std::to_string(u.surplus),
                      std::to_string(u.shortfall), money_or_dash(cost, unpriced, u.shortfall)});
  }
  Units all_short = 0;
  for (const UnitTotals& u : t.units) all_short += u.shortfall;
  const Row total = {"Total", "", std::to_string(product_installs), std::to_string(dups), std::to_string(excl),
                     "", "", "", "", "", money_or_dash(t.true_up_cost, t.unpriced_shortfall, all_short)};

  std::array<std::size_t, ncol> width{};
  for (std::size_t c = 0; c < ncol; ++c) {
    width[c] = std::max(heads[c].size(), total[c].size());
    for (const auto& r : rows) width[c] = std::max(width[c], r[c].size());
    for (const auto& r : totals) width[c] = std::max(width[c], r[c].size());
  }
  auto line = [&](const Row& cells) {
    std::string s = fmt::format("{:<{}}  {:<{}}", cells[0], width[0], cells[1], width[1]);
    for (std::size_t c = 2; c < ncol; ++c) s += fmt::format("  {:>{}}", cells[c], width[c]);
    return s + "\n";
  };
  std::size_t table_width = 0;
  for (std::size_t c = 0; c < ncol; ++c) table_width += width[c] + (c == 0 ? 0 : 2);
  const std::string rule(table_width, '-');

  std::string out = fmt::format("Effective licence position as of {} (rule pack {})\n\n", p.as_of.iso(), p.rule_pack);
  out += line(heads) + rule + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i != 0 && (family_of_row[i] != family_of_row[i - 1] || model_of_row[i] != model_of_row[i - 1]))
      out += "\n";  // one block per family, and per model in host-licensed families
    out += line(rows[i]);
  }
  out += rule + "\n";
  for (const auto& r : totals) out += line(r);
  out += line(total) + "\n";

  out += fmt::format("Installs read {}: covered {}, short {}, excluded {}, duplicate {}\n", t.installs, t.covered,
                     t.shortfall, t.excluded, t.duplicate);
  if (t.excluded > 0) out += fmt::format("Excluded: {}\n", exclusion_breakdown(p));
  Units void_units = 0;
  std::size_t void_records = 0;
  for (std::size_t i = 0; i < p.entitlements.size(); ++i)
    if (!p.entitlements[i].counted) {
      ++void_records;
      void_units += fleet.entitlements[i].quantity;
    }
  out += fmt::format("Licences: {} record(s) void, {} unit(s) (reasons in the JSON)\n", void_records, void_units);
  out += fmt::format("True-up: {} install(s) short", t.shortfall);
  if (t.shortfall > 0) {
    out += fmt::format(", {} at the cheapest known unit prices", t.true_up_cost.str());
    if (t.unpriced_shortfall > 0) out += fmt::format(" plus {} unit(s) with no known price", t.unpriced_shortfall);
  }
  out += "\n";
  // Servers by model, users, CALs: the summary; every server, user and holder is in the JSON.
  std::map<std::pair<std::string, Metric>, std::array<Units, 4>> models;  // servers, short, required, covered
  for (const ServerPosition& sp : p.servers) {
    auto& m = models[{sp.model, sp.metric}];
    ++m[0];
    m[1] += sp.covered < sp.required;
    m[2] += sp.required;
    m[3] += sp.covered;
  }
  for (const auto& [key, m] : models)
    out += fmt::format("Servers licensed {}: {} server(s), {} short; {} {} licence unit(s) required, {} covered\n",
                       key.first, m[0], m[1], m[2], name(key.second), m[3]);
  if (!p.users.empty()) {
    std::size_t with = 0, owned = 0, under = 0, per_device = 0, device_short = 0;
    for (const UserPosition& u : p.users) {
      with += u.user_licence;
      owned += u.user_licence_owned;
      under += u.under_user_licence;
      per_device += u.device_licences;
      device_short += u.device_short;
    }
    out += fmt::format("Users: {} user(s), {} with a user licence ({} owned) covering {} device(s); {} device(s) "
                       "per device, {} of them short\n",
                       p.users.size(), with, owned, under, per_device, device_short);
  }
  if (!p.cals.empty()) {
    std::size_t users = 0, devices = 0, short_ = 0;
    for (const CalPosition& c : p.cals) {
      (c.metric == Metric::user_cal ? users : devices) += 1;
      short_ += c.covered == 0;
    }
    out += fmt::format("CALs: {} user CAL(s), {} device CAL(s) needed, {} short\n", users, devices, short_);
  }
  if (!p.assignments.empty())
    out += fmt::format("Assignments: {} unit(s) kept where they were, {} moved, {} newly assigned, {} held idle by the "
                       "90-day rule\n",
                       p.history.kept, p.history.moved, p.history.assigned, p.history.locked);
  out += fmt::format("Solver: {} demand classes x {} pools in {} component(s), {}\n", p.demand_classes, p.pools,
                     p.components, p.status == SolveStatus::optimal ? "optimal" : "bad cost range");
  return out;
}

std::string format_assignments_csv(const std::vector<LicenceAssignment>& assignments) {
  std::string out = "licence_id,device_id,user,from,reason,units\n";
  auto field = [&](const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
      out += v;
      return;
    }
    out += '"';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  };
  for (const LicenceAssignment& a : assignments) {
    field(a.licence);
    out += ',';
    field(a.device);
    out += ',';
    field(a.user);
    out += fmt::format(",{},{},{}\n", a.from.iso(), name(a.reason), a.units);
  }
  return out;
}

Result<bool> write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  return write_file_atomically(path, [&](const TextSink& sink) { sink(text); });
}

Result<bool> write_file_atomically(const std::filesystem::path& path, const std::function<void(const TextSink&)>& produce) {
  namespace fs = std::filesystem;
  const fs::path tmp = path.string() + ".trueup-tmp";
  auto fail = [&](const std::string& what) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return Result<bool>(Diagnostics{{Severity::error, path.string(), 0, 0, "write-failed", what}});
  };
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return fail("expected a writable file, found it could not be created");
  bool ok = true;  // after a failed write, the rest is not attempted
  try {
    produce([&](std::string_view piece) {
      if (ok && !piece.empty()) ok = std::fwrite(piece.data(), 1, piece.size(), f) == piece.size();
    });
  } catch (...) {
    std::fclose(f);
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
  if (std::fclose(f) != 0 || !ok) return fail("expected to write the whole report, found a write error");
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return fail("expected to replace the file, found: " + ec.message());
  return true;
}

}  // namespace trueup::io
