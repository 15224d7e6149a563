// SPDX-License-Identifier: BSL-1.0
// File: src/io/readers.cpp
//
// The fleet readers: devices.csv, installs.csv and entitlements.csv (columns and every
// diagnostic in docs/formats.md) into a `trueup::Fleet`.
//
// Invariants of the result (model/fleet.hpp relies on them): a Fleet is returned only when no
// file has an error, so every id is unique within its table, every install's device exists,
// every entitlement's device is either absent or exists, and every `ProductRef` indexes the
// rule pack. Otherwise the caller gets *every* error and warning of *every* file, sorted by
// file (devices, installs, entitlements), line and column.
//
// Cascades are suppressed so that one mistake gives one diagnostic: a device row that could
// not be split into its columns (wrong field count, a stray quote) still makes its id known,
// and when devices.csv cannot be read at all (missing, empty, no `device_id` column, an
// unterminated quote) references to devices are not checked.
#include "trueup/io/readers.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <deque>
#include <exception>
#include <fstream>
#include <functional>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.hpp"
#include "trueup/detail/parallel.hpp"

namespace trueup::io {

namespace {

// ---------------------------------------------------------------------------------------------
// Text helpers

constexpr std::size_t max_found_chars = 60;

constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return to_lower(x) == to_lower(y); });
}

/// A found value for a message: in double quotes, `"` and control characters escaped, cut
/// after 60 characters (UTF-8 code points, never inside one) with "…".
std::string quote_value(std::string_view v) {
  std::string out = "\"";
  std::size_t chars = 0;
  for (const char c : v) {
    const bool starts_char = (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    if (starts_char && chars++ == max_found_chars) {
      out += "\xE2\x80\xA6";  // …
      break;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return out;
}

template <class Range, class Proj>
std::string join(const Range& items, Proj proj) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!std::exchange(first, false)) out += ", ";
    out += proj(item);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value parsers (no diagnostics: the callers know the column and the message)

/// A whole number made of ASCII digits only (no sign, no separators).
template <class Int>
std::optional<Int> parse_digits(std::string_view s) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  Int v{};
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

/// An optional sign then digits.
std::optional<Units> parse_integer(std::string_view s) {
  if (s.empty()) return std::nullopt;
  const bool negative = s.front() == '-';
  const std::string_view digits = negative ? s.substr(1) : s;
  if (!parse_digits<Units>(digits)) return std::nullopt;
  Units v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_currency_code(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

template <class E>
struct EnumName {
  std::string_view name;
  E value;
};

constexpr EnumName<DeviceKind> device_kinds[] = {{"desktop", DeviceKind::desktop},
                                                 {"laptop", DeviceKind::laptop},
                                                 {"server", DeviceKind::server},
                                                 {"vm", DeviceKind::virtual_machine},
                                                 {"tablet", DeviceKind::tablet},
                                                 {"phone", DeviceKind::phone},
                                                 {"other", DeviceKind::other}};
constexpr EnumName<Ownership> ownerships[] = {{"owned", Ownership::owned},
                                              {"leased", Ownership::leased},
                                              {"rented", Ownership::rented},
                                              {"customer", Ownership::customer},
                                              {"personal", Ownership::personal}};
constexpr EnumName<DeviceStatus> statuses[] = {
    {"active", DeviceStatus::active}, {"retired", DeviceStatus::retired}, {"failed", DeviceStatus::failed}};
constexpr EnumName<MotherboardChange> motherboard_reasons[] = {{"failure", MotherboardChange::after_failure},
                                                               {"upgrade", MotherboardChange::upgrade}};
constexpr EnumName<AssignmentReason> assignment_reasons[] = {
    {"initial", AssignmentReason::initial},
    {"reassigned", AssignmentReason::reassigned},
    {"hardware-failure", AssignmentReason::hardware_failure},
    {"user-left", AssignmentReason::user_left}};
/// The names `parse_channel` accepts (licensing-rules G3: the channel decides transfer and
/// downgrade rights; "fpp", full packaged product, is retail).
constexpr std::string_view channel_names = "oem, retail, fpp, volume, subscription";

// ---------------------------------------------------------------------------------------------
// Ids: uniqueness within a table and references across tables

/// Ids of one table, keyed by views into the file's text where possible (no copy per row);
/// ids that were unescaped into the CSV scratch buffer are copied into `arena_`.
///
/// Open addressing with linear probing over a power-of-two slot array kept at most half full:
/// at hundreds of thousands of devices a node-based map spends most of the read chasing
/// pointers. A slot holds the id's full hash, so a probe compares text only when the hashes are
/// equal. Ids that are never looked up are checked by UniqueIds instead, which is faster still.
class IdIndex {
 public:
  struct Entry {
    std::uint32_t index;  ///< position in the fleet's vector
    std::uint32_t line;   ///< first line the id was seen on
    bool readable;        ///< false: seen only on rows that could not be split into columns
  };

  explicit IdIndex(std::string_view source) : source_(source) { rehash(16); }

  void reserve(std::size_t n) {
    keys_.reserve(n);
    entries_.reserve(n);
    if (2 * n > slots_.size()) rehash(std::bit_ceil(2 * n));
  }

  /// Records `id` from a readable row; returns the earlier entry when the id is a duplicate.
  const Entry* insert(std::string_view id, std::uint32_t index, std::uint32_t line) {
    const std::size_t h = std::hash<std::string_view>{}(id);
    if (const std::uint32_t i = lookup(id, h); i != empty) {
      if (entries_[i].readable) return &entries_[i];
      entries_[i] = Entry{index, line, true};
      return nullptr;
    }
    add(id, h, Entry{index, line, true});
    return nullptr;
  }
  /// Records `id` from a row that could not be split into its columns: references to it are
  /// not reported, but it does not stand in the fleet.
  void insert_unreadable(std::string_view id, std::uint32_t line) {
    const std::size_t h = std::hash<std::string_view>{}(id);
    if (lookup(id, h) == empty) add(id, h, Entry{0, line, false});
  }
  [[nodiscard]] const Entry* find(std::string_view id) const {
    const std::uint32_t i = lookup(id, std::hash<std::string_view>{}(id));
    return i == empty ? nullptr : &entries_[i];
  }

 private:
  static constexpr std::uint32_t empty = static_cast<std::uint32_t>(-1);
  struct Slot {
    std::size_t hash = 0;
    std::uint32_t entry = empty;  ///< index into keys_ and entries_
  };

  /// The entry of `id` (with hash `h`), or `empty`.
  [[nodiscard]] std::uint32_t lookup(std::string_view id, std::size_t h) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.entry == empty || (s.hash == h && keys_[s.entry] == id)) return s.entry;
    }
  }
  void add(std::string_view id, std::size_t h, Entry e) {
    if (2 * (keys_.size() + 1) > slots_.size()) rehash(2 * slots_.size());
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].entry != empty) i = (i + 1) & mask;
    slots_[i] = Slot{h, static_cast<std::uint32_t>(keys_.size())};
    keys_.push_back(stable(id));
    entries_.push_back(e);
  }
  /// \pre `size` is a power of two greater than twice the number of ids.
  void rehash(std::size_t size) {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(size));
    const std::size_t mask = size - 1;
    for (const Slot& s : old) {
      if (s.entry == empty) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].entry != empty) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::string_view stable(std::string_view id) {
    const std::less<const char*> before;
    if (!before(id.data(), source_.data()) && !before(source_.data() + source_.size(), id.data() + id.size()))
      return id;
    return arena_.emplace_back(id);
  }

  std::string_view source_;
  std::deque<std::string> arena_;
  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;
  std::vector<Entry> entries_;
};

/// Ids that are only checked for uniqueness, never looked up (install and licence ids; the
/// history looks licences up later, from the fleet): each row's id is
/// recorded as 32 bits of its hash in reading order, and the ids are checked once every row is
/// read, by sorting those keys. Probing a hash table of a million ids costs a cache miss per
/// row (a quarter of reading installs.csv, measured); the sort reads and writes its arrays in
/// order. Rows with equal keys compare their text, so a hash collision is never a duplicate.
class UniqueIds {
 public:
  void reserve(std::size_t n) {
    seen_.reserve(n);
    where_.reserve(n);
  }
  /// The id of row `row` (numbered from 0 in this table), whose field is `f`.
  void add(std::string_view id, std::size_t row, const CsvField& f) {
    const auto h = static_cast<std::uint64_t>(std::hash<std::string_view>{}(id));
    seen_.push_back({static_cast<std::uint32_t>(h ^ (h >> 32U)), static_cast<std::uint32_t>(row)});
    where_.push_back({f.line, f.column});
  }
  /// Appends the ids of `later`, read apart, whose rows are numbered from `first_row` here.
  void append(const UniqueIds& later, std::size_t first_row) {
    for (Seen s : later.seen_) {
      s.row += static_cast<std::uint32_t>(first_row);
      seen_.push_back(s);
    }
    where_.insert(where_.end(), later.where_.begin(), later.where_.end());
  }

  /// Every row of `records` (the table's rows, each with its `id` and the `line` it starts on)
  /// whose id an earlier row has, reported as a `duplicate-id` naming the first line with it.
  template <class Record>
  void report(const std::vector<Record>& records, const std::string& file, std::string_view column,
              Diagnostics& out) {
    const auto id_of = [&](std::uint32_t row) -> std::string_view { return records[row].id; };
    const auto line_of = [&](std::uint32_t row) { return records[row].line; };
    sort_by_key();
    for (std::size_t begin = 0; begin < seen_.size();) {
      std::size_t end = begin + 1;
      while (end < seen_.size() && seen_[end].key == seen_[begin].key) ++end;
      // Equal keys keep reading order (the sort is stable): the first equal id is the first row.
      for (std::size_t i = begin + 1; i < end; ++i) {
        const std::string_view id = id_of(seen_[i].row);
        for (std::size_t j = begin; j < i; ++j) {
          if (id_of(seen_[j].row) != id) continue;
          const Where& at = where_[seen_[i].row];
          out.push_back({Severity::error, file, at.line, at.column, "duplicate-id",
                         "column `" + std::string(column) + "`: expected a unique " + std::string(column) +
                             ", found " + quote_value(id) + " again (first on line " +
                             std::to_string(line_of(seen_[j].row)) + ")"});
          break;
        }
      }
      begin = end;
    }
  }

 private:
  struct Seen {
    std::uint32_t key;  ///< the id's hash, its two halves folded
    std::uint32_t row;
  };
  struct Where {
    std::uint32_t line;  ///< where the id field starts, for the diagnostic
    std::uint32_t column;
  };

  /// LSD radix sort on the key, 11 bits a pass (2,048 counters stay in the L1/L2 caches): stable,
  /// linear, in order through memory.
  void sort_by_key() {
    constexpr unsigned bits = 11;
    constexpr std::uint32_t mask = (1U << bits) - 1;
    std::vector<Seen> buffer(seen_.size());
    std::vector<std::uint32_t> count(std::size_t{1} << bits);
    for (unsigned shift = 0; shift < 32; shift += bits) {
      std::fill(count.begin(), count.end(), 0);
      for (const Seen& s : seen_) ++count[(s.key >> shift) & mask];
      std::uint32_t sum = 0;
      for (std::uint32_t& c : count) sum += std::exchange(c, sum);
      for (const Seen& s : seen_) buffer[count[(s.key >> shift) & mask]++] = s;
      seen_.swap(buffer);
    }
  }

  std::vector<Seen> seen_;
  std::vector<Where> where_;  ///< by row
};

// ---------------------------------------------------------------------------------------------
// Table: one CSV file with a header, its columns mapped, its diagnostics

struct ColumnSpec {
  std::string_view name;
  bool required;
};

constexpr std::size_t absent = static_cast<std::size_t>(-1);

class Table {
 public:
  enum class Row { end, ok, broken };

  Table(std::string_view text, std::string file, std::span<const ColumnSpec> spec, Diagnostics& out)
      : csv_(text), file_(std::move(file)), spec_(spec), out_(out), index_(spec.size(), absent) {
    read_header();
  }
  /// The rows of `part`, a later part of `header`'s file that starts at a record's start on
  /// physical line `first_line`, read with `header`'s columns. Its diagnostics go to `out`.
  Table(const Table& header, std::string_view part, std::uint32_t first_line, Diagnostics& out)
      : csv_(part, first_line),
        file_(header.file_),
        spec_(header.spec_),
        out_(out),
        index_(header.index_),
        names_(header.names_),
        header_size_(header.header_size_),
        header_line_(header.header_line_),
        has_header_(header.has_header_) {}

  [[nodiscard]] bool has_column(std::size_t c) const { return index_[c] != absent; }
  /// Every row was read: there is a header and no quote swallowed the end of the file.
  [[nodiscard]] bool complete() const { return has_header_ && complete_; }
  [[nodiscard]] std::string_view column_name(std::size_t c) const { return spec_[c].name; }
  [[nodiscard]] std::uint32_t line() const { return csv_.line(); }

  /// The next data row. `broken` rows (field count, stray quote) are already reported; their
  /// fields may be misaligned and should only be used to suppress cascades.
  Row next() {
    if (!has_header_) return Row::end;
    if (!csv_.next()) {
      report_csv_problems();
      complete_ = csv_.problems().empty();
      return Row::end;
    }
    bool broken = !csv_.problems().empty();
    report_csv_problems();
    if (csv_.fields().size() != header_size_) {
      add(Severity::error, csv_.line(), 0, "field-count",
          "expected " + std::to_string(header_size_) + " fields as in the header, found " +
              std::to_string(csv_.fields().size()));
      broken = true;
    }
    return broken ? Row::broken : Row::ok;
  }

  /// The field of column `c` in the current row, or nullptr when the file lacks the column
  /// (or a broken row is too short).
  [[nodiscard]] const CsvField* field(std::size_t c) const {
    const std::size_t i = index_[c];
    return i < csv_.fields().size() ? &csv_.fields()[i] : nullptr;
  }
  /// The trimmed value of column `c`, empty when absent.
  [[nodiscard]] std::string_view value(std::size_t c) const {
    const CsvField* f = field(c);
    return f == nullptr ? std::string_view{} : trim(f->value);
  }

  /// Reports a problem with column `c` of the current row: at its field, or at the row when
  /// the file lacks the column. The message names the column.
  void report(Severity severity, std::size_t c, std::string_view code, const std::string& message) {
    const CsvField* f = field(c);
    add(severity, f != nullptr ? f->line : csv_.line(), f != nullptr ? f->column : 0, code,
        "column `" + std::string(spec_[c].name) + "`: " + message);
  }
  void error(std::size_t c, std::string_view code, const std::string& message) {
    report(Severity::error, c, code, message);
  }

  void add(Severity severity, std::uint32_t line, std::uint32_t column, std::string_view code,
           std::string message) {
    out_.push_back({severity, file_, line, column, std::string(code), std::move(message)});
  }

 private:
  void read_header() {
    if (!csv_.next()) {
      if (!csv_.problems().empty()) {
        report_csv_problems();
        return;
      }
      add(Severity::error, 0, 0, "empty-file",
          "expected a header line with columns " + column_list() + ", found an empty file");
      return;
    }
    has_header_ = true;
    header_size_ = csv_.fields().size();
    header_line_ = csv_.line();
    report_csv_problems();
    const auto header = csv_.fields();
    names_.reserve(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) {
      const CsvField& f = header[i];
      const std::string_view name = trim(f.value);
      names_.emplace_back(name);
      const auto known = std::find_if(spec_.begin(), spec_.end(),
                                      [&](const ColumnSpec& c) { return iequals(c.name, name); });
      if (name.empty()) {
        add(Severity::warning, f.line, f.column, "unknown-column",
            "expected one of the columns " + column_list() +
                ", found a column with no name; the column is ignored");
        continue;
      }
      const auto first = std::find_if(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(i),
                                      [&](const CsvField& g) { return iequals(trim(g.value), name); });
      if (first != header.begin() + static_cast<std::ptrdiff_t>(i)) {
        add(Severity::error, f.line, f.column, "duplicate-column",
            "column `" + std::string(name) +
                "`: expected each column once, found it again (first at column " +
                std::to_string(first->column) + ")");
        continue;
      }
      if (known == spec_.end()) {
        add(Severity::warning, f.line, f.column, "unknown-column",
            "expected one of the columns " + column_list() + ", found `" + std::string(name) +
                "`; the column is ignored");
        continue;
      }
      index_[static_cast<std::size_t>(known - spec_.begin())] = i;
    }
    for (std::size_t c = 0; c < spec_.size(); ++c) {
      if (!spec_[c].required || index_[c] != absent) continue;
      add(Severity::error, header_line_, 0, "missing-column",
          "expected column `" + std::string(spec_[c].name) + "`, found columns " +
              join(names_, [](const std::string& n) { return n; }));
    }
  }

  [[nodiscard]] std::string column_list() const {
    return join(spec_, [](const ColumnSpec& c) { return c.name; });
  }

  /// "column `title`: " for a field of a named header column, nothing past the header.
  [[nodiscard]] std::string column_prefix(std::size_t field) const {
    if (field >= names_.size() || names_[field].empty()) return {};
    return "column `" + names_[field] + "`: ";
  }

  void report_csv_problems() {
    for (const CsvProblem& p : csv_.problems()) {
      switch (p.kind) {
        case CsvProblem::Kind::unterminated_quote:
          add(Severity::error, p.line, p.column, "unterminated-quote",
              column_prefix(p.field) +
                  "expected a closing quote for the field opened here, found the end of the file");
          break;
        case CsvProblem::Kind::text_after_quote:
          add(Severity::error, p.line, p.column, "bad-quote",
              column_prefix(p.field) +
                  "expected a comma or the end of the line after a closing quote, found " +
                  quote_value(p.found) + " (a quote inside a quoted field is written \"\")");
          break;
      }
    }
  }

  CsvReader csv_;
  std::string file_;
  std::span<const ColumnSpec> spec_;
  Diagnostics& out_;
  std::vector<std::size_t> index_;  ///< spec column -> field index in the header, or `absent`
  std::vector<std::string> names_;  ///< the header's names as written (trimmed)
  std::size_t header_size_ = 0;
  std::uint32_t header_line_ = 0;
  bool has_header_ = false;
  bool complete_ = true;
};

// Field checks shared by the three files. Each reports its own diagnostic and returns what
// it could read.

/// A required value: reports `empty-value` when the column is present but the value blank.
/// A missing column was reported once, at the header.
std::optional<std::string_view> required(Table& t, std::size_t c) {
  const CsvField* f = t.field(c);
  if (f == nullptr) return std::nullopt;
  if (trim(f->value).empty()) {
    t.error(c, "empty-value", "expected a value, found an empty field");
    return std::nullopt;
  }
  return f->value;
}

std::optional<Date> optional_date(Table& t, std::size_t c) {
  const std::string_view v = t.value(c);
  if (v.empty()) return std::nullopt;
  auto d = Date::parse(v);
  if (!d) t.error(c, "bad-date", "expected a date YYYY-MM-DD, found " + quote_value(v));
  return d;
}

template <class E, std::size_t N>
E optional_enum(Table& t, std::size_t c, const EnumName<E> (&names)[N], E fallback) {
  const std::string_view v = t.value(c);
  if (v.empty()) return fallback;
  for (const auto& n : names)
    if (iequals(n.name, v)) return n.value;
  t.error(c, "bad-enum",
          "expected one of " + join(names, [](const EnumName<E>& n) { return n.name; }) + ", found " +
              quote_value(v));
  return fallback;
}

std::uint32_t optional_count(Table& t, std::size_t c) {
  const std::string_view v = t.value(c);
  if (v.empty()) return 0;
  const auto n = parse_digits<std::uint32_t>(v);
  if (!n) t.error(c, "bad-number", "expected a whole number >= 0, found " + quote_value(v));
  return n.value_or(0);
}

/// Optional text, as written (unquoted fields are already trimmed by the CSV layer).
std::string optional_text(const Table& t, std::size_t c) {
  const CsvField* f = t.field(c);
  return f == nullptr ? std::string() : std::string(f->value);
}

/// A required id, unique within its table (`duplicate-id` names the first line it was on).
std::optional<std::string_view> unique_id(Table& t, std::size_t c, IdIndex& ids, std::size_t index) {
  const auto id = required(t, c);
  if (!id) return std::nullopt;
  if (const IdIndex::Entry* first = ids.insert(*id, static_cast<std::uint32_t>(index), t.line())) {
    t.error(c, "duplicate-id",
            "expected a unique " + std::string(t.column_name(c)) + ", found " + quote_value(*id) +
                " again (first on line " + std::to_string(first->line) + ")");
  }
  return id;
}

/// What installs and entitlements need to know about devices.csv.
struct DeviceRefs {
  const IdIndex& ids;
  /// Whether every device could be read: references are checked only then (a missing or
  /// unreadable devices.csv is its own error, and must not turn every reference into one).
  bool known;
  std::string_view file;

  /// The index of device `id`, an invalid index when it does not stand in the fleet (a broken
  /// row), or nullopt when it is unknown, reported as `unknown-device`.
  std::optional<DeviceIndex> find(Table& t, std::size_t c, std::string_view id) const {
    const IdIndex::Entry* e = ids.find(id);
    if (e != nullptr) return e->readable ? DeviceIndex{e->index} : DeviceIndex{};
    if (known)
      t.error(c, "unknown-device",
              "expected a device_id listed in " + std::string(file) + ", found " + quote_value(id));
    return std::nullopt;
  }
};

// ---------------------------------------------------------------------------------------------
// devices.csv

struct DeviceCol {
  enum : std::size_t {
    device_id,
    hostname,
    kind,
    ownership,
    status,
    status_date,
    primary_user,
    processors,
    cores,
    host,
    motherboard_replaced,
    motherboard_reason
  };
};
constexpr ColumnSpec device_columns[] = {
    {"device_id", true},  {"hostname", false},    {"kind", false},         {"ownership", false},
    {"status", false},    {"status_date", false}, {"primary_user", false}, {"processors", false},
    {"cores", false},     {"host", false},        {"motherboard_replaced", false},
    {"motherboard_reason", false}};

/// Reads devices.csv into `fleet.devices` and `ids`; returns whether references to devices
/// can be checked (see DeviceRefs::known).
bool read_devices(std::string_view text, const std::string& file, Fleet& fleet, IdIndex& ids,
                  Diagnostics& out) {
  Table t(text, file, device_columns, out);
  const std::size_t rows = CsvReader::count_lines(text) + 1;
  ids.reserve(rows);
  fleet.devices.reserve(rows);
  struct HostRef {
    std::size_t device;
    std::uint32_t line;
    std::uint32_t column;
  };
  std::vector<HostRef> hosts;  // checked once every device is known

  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) {
      if (const CsvField* f = t.field(DeviceCol::device_id); f != nullptr && !trim(f->value).empty())
        ids.insert_unreadable(f->value, t.line());
      continue;
    }
    const std::size_t index = fleet.devices.size();
    Device d;
    d.line = t.line();
    if (const auto id = unique_id(t, DeviceCol::device_id, ids, index)) d.id = *id;
    d.hostname = optional_text(t, DeviceCol::hostname);
    d.kind = optional_enum(t, DeviceCol::kind, device_kinds, DeviceKind::desktop);
    d.ownership = optional_enum(t, DeviceCol::ownership, ownerships, Ownership::owned);
    d.status = optional_enum(t, DeviceCol::status, statuses, DeviceStatus::active);
    d.status_date = optional_date(t, DeviceCol::status_date);
    d.primary_user = optional_text(t, DeviceCol::primary_user);
    d.processors = optional_count(t, DeviceCol::processors);
    d.cores = optional_count(t, DeviceCol::cores);
    d.host = optional_text(t, DeviceCol::host);
    // O3: whether a PC with a new motherboard keeps its OEM licence depends on why it was replaced.
    d.motherboard_date = optional_date(t, DeviceCol::motherboard_replaced);
    d.motherboard = optional_enum(t, DeviceCol::motherboard_reason, motherboard_reasons, MotherboardChange::none);
    if (d.motherboard_date && d.motherboard == MotherboardChange::none && t.value(DeviceCol::motherboard_reason).empty())
      t.error(DeviceCol::motherboard_reason, "empty-value",
              "expected why the motherboard was replaced (failure or upgrade: a defective one keeps the OEM licence, O3), "
              "found an empty field");
    if (!d.host.empty()) {
      const CsvField* f = t.field(DeviceCol::host);
      hosts.push_back({index, f->line, f->column});
    }
    fleet.devices.push_back(std::move(d));
  }

  const bool known = t.complete() && t.has_column(DeviceCol::device_id);
  if (known) {
    for (const HostRef& h : hosts) {
      const std::string& host = fleet.devices[h.device].host;
      const IdIndex::Entry* e = ids.find(host);
      if (e == nullptr)
        t.add(Severity::error, h.line, h.column, "unknown-device",
              "column `host`: expected a device_id listed in " + file + ", found " + quote_value(host));
      else if (e->readable && fleet.devices[e->index].kind == DeviceKind::virtual_machine)
        // A VM's licences are counted on the physical server it runs on (WS8): a chain of VMs
        // would license virtual hardware.
        t.add(Severity::error, h.line, h.column, "host-not-physical",
              "column `host`: expected the physical server the VM runs on, found " + quote_value(host) +
                  ", a vm (line " + std::to_string(fleet.devices[e->index].line) + ")");
      else if (e->readable)
        fleet.devices[h.device].host_index = DeviceIndex{e->index};
    }
  }
  return known;
}

// ---------------------------------------------------------------------------------------------
// installs.csv

struct InstallCol {
  enum : std::size_t { install_id, device_id, title, publisher, version, first_seen, last_seen };
};
constexpr ColumnSpec install_columns[] = {{"install_id", true}, {"device_id", true}, {"title", true},
                                          {"publisher", false}, {"version", false},  {"first_seen", false},
                                          {"last_seen", false}};

/// The rows of installs.csv that `t` reads, appended to `installs`; their ids recorded in `ids`.
void read_install_rows(Table& t, const DeviceRefs& devices, UniqueIds& ids, std::vector<Install>& installs) {
  // Exports list a device's installs together: the device found for the previous row is
  // remembered (only when found: an unknown device is reported on every row that names it).
  std::string last_device;
  DeviceIndex last_index;
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Install in;
    in.line = t.line();
    if (const auto id = required(t, InstallCol::install_id)) {
      in.id = *id;
      ids.add(*id, installs.size(), *t.field(InstallCol::install_id));
    }
    if (const auto device = required(t, InstallCol::device_id)) {
      if (!last_device.empty() && *device == last_device) {
        in.device = last_index;
      } else if (const auto found = devices.find(t, InstallCol::device_id, *device)) {
        in.device = *found;
        last_device.assign(*device);
        last_index = *found;
      }
    }
    if (const auto title = required(t, InstallCol::title)) in.title = *title;
    in.publisher = optional_text(t, InstallCol::publisher);
    in.version = optional_text(t, InstallCol::version);
    in.first_seen = optional_date(t, InstallCol::first_seen);
    in.last_seen = optional_date(t, InstallCol::last_seen);
    if (in.first_seen && in.last_seen && *in.first_seen > *in.last_seen)
      t.report(Severity::warning, InstallCol::last_seen, "dates-out-of-order",
               "expected a date on or after first_seen " + in.first_seen->iso() + ", found " +
                   quote_value(t.value(InstallCol::last_seen)));
    installs.push_back(std::move(in));
  }
}

void read_installs(std::string_view text, const std::string& file, const DeviceRefs& devices, Fleet& fleet,
                   Diagnostics& out) {
  Table t(text, file, install_columns, out);
  const std::size_t rows = CsvReader::count_lines(text) + 1;
  UniqueIds ids;
  ids.reserve(rows);
  fleet.installs.reserve(rows);
  read_install_rows(t, devices, ids, fleet.installs);
  ids.report(fleet.installs, file, install_columns[InstallCol::install_id].name, out);
}

/// read_installs() with the file's rows in two parts, the second on another thread while this
/// one reads the first, then `also` (on the other thread, after its part). The result is
/// read_installs()'s, byte for byte: the parts split at a line break, the second part's
/// reader starts on the line the whole file's reader would be on there, and the rows and
/// diagnostics of the parts are joined in order (ids are checked for duplicates once, over
/// both parts). One case would differ, and then the file is read again on one thread: the line
/// break is inside a quoted field (the first part ends in an open quote). Returns false when
/// `text` is too small to split.
bool read_installs_in_parts(std::string_view text, std::size_t split_at, const std::string& file,
                            const DeviceRefs& devices, Fleet& fleet, Diagnostics& out, const std::function<void()>& also) {
  const std::size_t nl = text.find('\n', split_at);
  if (nl == std::string_view::npos || nl + 1 >= text.size()) return false;
  const std::string_view first = text.substr(0, nl + 1);
  const std::string_view second = text.substr(nl + 1);
  const auto first_line = static_cast<std::uint32_t>(CsvReader::count_lines(first) + 1);

  Diagnostics out_a, out_b;
  Table a(first, file, install_columns, out_a);
  UniqueIds ids_a, ids_b;
  std::vector<Install> rows_b;
  std::exception_ptr failure;
  std::thread other([&] {
    try {
      Table b(a, second, first_line, out_b);
      const std::size_t rows = CsvReader::count_lines(second) + 1;
      ids_b.reserve(rows);
      rows_b.reserve(rows);
      read_install_rows(b, devices, ids_b, rows_b);
      if (also) also();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  const std::size_t rows = CsvReader::count_lines(first) + 1;
  ids_a.reserve(rows);
  fleet.installs.reserve(rows + CsvReader::count_lines(second) + 1);
  try {
    read_install_rows(a, devices, ids_a, fleet.installs);
  } catch (...) {
    other.join();
    throw;
  }
  other.join();
  if (failure) std::rethrow_exception(failure);

  if (!a.complete()) {
    fleet.installs.clear();
    read_installs(text, file, devices, fleet, out);
    return true;
  }
  ids_a.append(ids_b, fleet.installs.size());
  for (Install& in : rows_b) fleet.installs.push_back(std::move(in));
  out.insert(out.end(), std::make_move_iterator(out_a.begin()), std::make_move_iterator(out_a.end()));
  out.insert(out.end(), std::make_move_iterator(out_b.begin()), std::make_move_iterator(out_b.end()));
  ids_a.report(fleet.installs, file, install_columns[InstallCol::install_id].name, out);
  return true;
}

// ---------------------------------------------------------------------------------------------
// entitlements.csv

struct EntitlementCol {
  enum : std::size_t {
    licence_id,
    family,
    version,
    edition,
    channel,
    quantity,
    device_id,
    sku,
    reference,
    purchase_date,
    unit_cost,
    currency,
    metric,
    sa_start,
    sa_end,
    subscription_start,
    subscription_end
  };
};
constexpr ColumnSpec entitlement_columns[] = {
    {"licence_id", true}, {"family", true},         {"version", true},    {"edition", true},
    {"channel", true},    {"quantity", true},       {"device_id", false}, {"sku", false},
    {"reference", false}, {"purchase_date", false}, {"unit_cost", false}, {"currency", false},
    {"metric", false},    {"sa_start", false},      {"sa_end", false},    {"subscription_start", false},
    {"subscription_end", false}};

/// A term (Software Assurance, subscription): both dates optional, the end not before the start.
void read_term(Table& t, std::size_t start_col, std::size_t end_col, std::optional<Date>& start,
               std::optional<Date>& end) {
  start = optional_date(t, start_col);
  end = optional_date(t, end_col);
  if (start && end && *end < *start)
    t.report(Severity::error, end_col, "dates-out-of-order",
             "expected a date on or after " + std::string(t.column_name(start_col)) + " " + start->iso() + ", found " +
                 quote_value(t.value(end_col)));
}

/// Family, version and edition, each by the rule pack's names. Only a known family's
/// versions and editions are checked: one mistake, one diagnostic.
std::optional<ProductRef> product(Table& t, const RulePack& pack) {
  const auto family_name = required(t, EntitlementCol::family);
  const auto version_name = required(t, EntitlementCol::version);
  const auto edition_name = required(t, EntitlementCol::edition);
  if (!family_name) return std::nullopt;
  const auto family = pack.find_family(trim(*family_name));
  if (!family) {
    t.error(EntitlementCol::family, "unknown-product",
            "expected a product family of the rule pack (" +
                join(pack.families, [](const Family& f) { return f.id; }) + "), found " +
                quote_value(trim(*family_name)));
    return std::nullopt;
  }
  const Family& f = pack.family(*family);
  std::optional<std::uint16_t> version;
  if (version_name) {
    version = f.find_version(trim(*version_name));
    if (!version)
      t.error(EntitlementCol::version, "unknown-version",
              "expected a version of " + f.id + " (" +
                  join(f.versions, [](const VersionSpec& v) { return v.name; }) + "), found " +
                  quote_value(trim(*version_name)));
  }
  std::optional<std::uint16_t> edition;
  if (edition_name) {
    edition = f.find_edition(trim(*edition_name));
    if (!edition) {
      std::vector<std::string_view> names;
      for (const EditionSpec& e : f.editions) {
        names.push_back(e.name);
        names.insert(names.end(), e.aliases.begin(), e.aliases.end());
      }
      t.error(EntitlementCol::edition, "unknown-edition",
              "expected an edition of " + f.id + " (" + join(names, [](std::string_view n) { return n; }) +
                  "), found " + quote_value(trim(*edition_name)));
    }
  }
  if (!version || !edition) return std::nullopt;
  return ProductRef{*family, *version, *edition};
}

void read_entitlements(std::string_view text, const std::string& file, const DeviceRefs& devices,
                       const RulePack& pack, Fleet& fleet, Diagnostics& out) {
  Table t(text, file, entitlement_columns, out);
  const std::size_t rows = CsvReader::count_lines(text) + 1;
  UniqueIds ids;  // licence ids are looked up later by the history, not here
  ids.reserve(rows);
  fleet.entitlements.reserve(rows);

  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Entitlement e;
    e.line = t.line();
    if (const auto id = required(t, EntitlementCol::licence_id)) {
      e.id = *id;
      ids.add(*id, fleet.entitlements.size(), *t.field(EntitlementCol::licence_id));
    }
    const auto p = product(t, pack);
    if (p) {
      e.product = *p;
      e.metric = pack.metric_of(*p);
    }
    if (const std::string_view v = trim(t.value(EntitlementCol::metric)); !v.empty() && p) {
      const Family& f = pack.family(p->family);
      const auto m = parse_metric(lower(v));
      if (m && (*m == e.metric || std::find(f.metrics.begin(), f.metrics.end(), *m) != f.metrics.end())) {
        e.metric = *m;
      } else {
        std::string allowed(name(e.metric));
        for (Metric x : f.metrics)
          if (x != e.metric) allowed += ", " + std::string(name(x));
        t.error(EntitlementCol::metric, "bad-metric",
                "expected a metric licences of " + pack.product_name(*p) + " may count in (" + allowed +
                    "), found " + quote_value(v));
      }
    }

    std::optional<Channel> channel;
    if (const auto v = required(t, EntitlementCol::channel)) {
      channel = parse_channel(lower(trim(*v)));
      if (!channel)
        t.error(EntitlementCol::channel, "bad-enum",
                "expected one of " + std::string(channel_names) + ", found " + quote_value(trim(*v)));
    }
    e.channel = channel.value_or(Channel::volume);

    if (const auto v = required(t, EntitlementCol::quantity)) {
      const std::string_view q = trim(*v);
      const auto n = parse_integer(q);
      if (!n)
        t.error(EntitlementCol::quantity, "bad-number", "expected a whole number, found " + quote_value(q));
      else if (*n < 0)
        t.error(EntitlementCol::quantity, "negative-quantity",
                "expected a quantity >= 0, found " + quote_value(q));
      else if (*n == 0)
        t.report(Severity::warning, EntitlementCol::quantity, "zero-quantity",
                 "expected a quantity > 0, found " + quote_value(q) + "; the licence counts for nothing");
      e.quantity = n.value_or(0);
    }

    const std::string_view device = t.value(EntitlementCol::device_id);
    if (!device.empty()) {
      e.device = devices.find(t, EntitlementCol::device_id, t.field(EntitlementCol::device_id)->value)
                     .value_or(DeviceIndex{});
    } else if (channel == Channel::oem) {
      // licensing-rules O1: an OEM licence is tied to the device it came with; without one it
      // cannot be shown to belong anywhere (rules/oem_binding.hpp voids it).
      t.report(Severity::warning, EntitlementCol::device_id, "oem-without-device",
               "expected the device this OEM licence came with, found none; an OEM licence counts only "
               "on the device it came with; this one will not count");
    }

    e.sku = optional_text(t, EntitlementCol::sku);
    e.reference = optional_text(t, EntitlementCol::reference);
    e.purchased = optional_date(t, EntitlementCol::purchase_date);
    read_term(t, EntitlementCol::sa_start, EntitlementCol::sa_end, e.sa_start, e.sa_end);
    read_term(t, EntitlementCol::subscription_start, EntitlementCol::subscription_end, e.subscription_start,
              e.subscription_end);
    const bool has_subscription_term = e.subscription_start || e.subscription_end;
    if (channel && *channel != Channel::subscription && has_subscription_term)
      t.error(e.subscription_start ? EntitlementCol::subscription_start : EntitlementCol::subscription_end,
              "bad-term",
              "expected a subscription term only on a subscription licence, found one on a " +
                  std::string(name(*channel)) + " licence");
    if (channel == Channel::subscription && (e.sa_start || e.sa_end))
      t.error(e.sa_start ? EntitlementCol::sa_start : EntitlementCol::sa_end, "bad-term",
              "expected Software Assurance only on a perpetual licence (a subscription includes new versions), "
              "found it on a subscription");
    if (e.sa_end && !e.sa_start && !e.purchased)
      t.report(Severity::warning, EntitlementCol::sa_end, "sa-without-start",
               "expected sa_start or purchase_date with sa_end, found neither; Software Assurance is counted from "
               "the licence's own version's release");
    if (const std::string_view v = t.value(EntitlementCol::unit_cost); !v.empty()) {
      e.unit_cost = Money::parse(v);
      if (!e.unit_cost)
        t.error(EntitlementCol::unit_cost, "bad-money",
                "expected an amount such as 1234.50 (digits, at most 4 decimals, no sign or currency "
                "symbol), found " +
                    quote_value(v));
    }
    if (const std::string_view v = t.value(EntitlementCol::currency); !v.empty()) {
      if (is_currency_code(v))
        e.currency = v;
      else
        t.error(EntitlementCol::currency, "bad-currency",
                "expected a currency code of 3 capital letters such as EUR, found " + quote_value(v));
    }
    fleet.entitlements.push_back(std::move(e));
  }
  ids.report(fleet.entitlements, file, entitlement_columns[EntitlementCol::licence_id].name, out);
}

// ---------------------------------------------------------------------------------------------
// access.csv (optional)

struct AccessCol {
  enum : std::size_t { server_id, user, device_id };
};
constexpr ColumnSpec access_columns[] = {{"server_id", true}, {"user", false}, {"device_id", false}};

void read_access(std::string_view text, const std::string& file, const DeviceRefs& devices, Fleet& fleet,
                 Diagnostics& out) {
  Table t(text, file, access_columns, out);
  fleet.has_access = true;
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    Access a;
    a.line = t.line();
    if (const auto server = required(t, AccessCol::server_id))
      a.server = devices.find(t, AccessCol::server_id, *server).value_or(DeviceIndex{});
    a.user = optional_text(t, AccessCol::user);
    if (const std::string_view d = t.value(AccessCol::device_id); !d.empty())
      a.device = devices.find(t, AccessCol::device_id, t.field(AccessCol::device_id)->value).value_or(DeviceIndex{});
    else if (a.user.empty())
      t.error(AccessCol::user, "empty-value", "expected a user or a device_id (or both) that accessed the server, found neither");
    fleet.access.push_back(std::move(a));
  }
}

// ---------------------------------------------------------------------------------------------
// assignments.csv (optional): where licences were assigned before, for the 90-day rule

struct AssignmentCol {
  enum : std::size_t { licence_id, device_id, user, from, reason, units };
};
constexpr ColumnSpec assignment_columns[] = {{"licence_id", true}, {"device_id", false}, {"user", false},
                                             {"from", true},       {"reason", false},    {"units", false}};

void read_assignments(std::string_view text, const std::string& file, const DeviceRefs& devices, Fleet& fleet,
                      Diagnostics& out) {
  Table t(text, file, assignment_columns, out);
  std::unordered_set<std::string_view> licences;
  for (const Entitlement& e : fleet.entitlements) licences.insert(e.id);
  for (Table::Row row; (row = t.next()) != Table::Row::end;) {
    if (row == Table::Row::broken) continue;
    LicenceAssignment a;
    a.line = t.line();
    bool ok = true;
    if (const auto id = required(t, AssignmentCol::licence_id)) {
      a.licence = *id;
      // History may name licences no longer on file (sold, expired and removed): nothing to apply.
      if (licences.count(a.licence) == 0) {
        t.report(Severity::warning, AssignmentCol::licence_id, "unknown-licence",
                 "expected a licence_id listed in entitlements.csv, found " + quote_value(a.licence) +
                     "; the row is ignored");
        ok = false;
      }
    } else {
      ok = false;
    }
    a.device = optional_text(t, AssignmentCol::device_id);
    a.user = optional_text(t, AssignmentCol::user);
    if (a.device.empty() == a.user.empty()) {
      t.error(AssignmentCol::device_id, "bad-holder",
              "expected either a device_id or a user that held the licence, found " +
                  std::string(a.device.empty() ? "neither" : "both"));
      ok = false;
    } else if (!a.device.empty() && devices.known && devices.ids.find(a.device) == nullptr) {
      // A device removed from the inventory since: the licence was still assigned to it.
      t.report(Severity::warning, AssignmentCol::device_id, "unknown-device",
               "expected a device_id listed in " + std::string(devices.file) + ", found " + quote_value(a.device) +
                   "; the licence is taken to be still on a device no longer in the fleet");
    }
    if (const auto from = required(t, AssignmentCol::from)) {
      if (auto d = Date::parse(trim(*from)))
        a.from = *d;
      else {
        t.error(AssignmentCol::from, "bad-date", "expected a date YYYY-MM-DD, found " + quote_value(trim(*from)));
        ok = false;
      }
    } else {
      ok = false;
    }
    a.reason = optional_enum(t, AssignmentCol::reason, assignment_reasons, AssignmentReason::initial);
    if (const std::string_view v = t.value(AssignmentCol::units); !v.empty()) {
      const auto n = parse_digits<std::uint32_t>(v);
      if (!n || *n == 0)
        t.error(AssignmentCol::units, "bad-number", "expected a whole number > 0, found " + quote_value(v));
      a.units = n.value_or(1);
    }
    if (ok) fleet.assignments.push_back(std::move(a));
  }
}

// ---------------------------------------------------------------------------------------------
// The files together

/// One input file: its text, or nullopt when it could not be read (already reported).
struct Input {
  std::optional<std::string_view> text;
  std::string name;
  Diagnostics diagnostics;
};

void sort_by_position(Diagnostics& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

Result<FleetRead> parse_inputs(Input& devices, Input& installs, Input& entitlements, Input& access,
                               Input& assignments, const RulePack& pack, unsigned threads) {
  FleetRead read;
  const std::string_view no_text;
  IdIndex device_ids(devices.text.value_or(no_text));
  bool devices_known = false;
  if (devices.text)
    devices_known = read_devices(*devices.text, devices.name, read.fleet, device_ids, devices.diagnostics);
  const DeviceRefs refs{device_ids, devices_known, devices.name};
  auto entitlements_stage = [&] {
    if (entitlements.text)
      read_entitlements(*entitlements.text, entitlements.name, refs, pack, read.fleet, entitlements.diagnostics);
  };
  // With two threads, installs.csv is read in two parts and entitlements.csv after the second
  // part, on the same thread: entitlements touch only their own rows and diagnostics. The
  // split is placed so that both threads have about as many bytes (an entitlement row costs
  // about twice an install row's time per byte).
  bool parted = false;
  if (installs.text && threads > 1 && installs.text->size() >= detail::parallel_thresholds().installs_csv_bytes) {
    const std::size_t extra = 2 * entitlements.text.value_or(std::string_view{}).size();
    const std::size_t total = installs.text->size() + extra;
    const std::size_t split = total / 2 > extra ? total / 2 : installs.text->size() / 4;
    parted = read_installs_in_parts(*installs.text, split, installs.name, refs, read.fleet, installs.diagnostics,
                                    entitlements_stage);
  }
  if (!parted) {
    if (installs.text) read_installs(*installs.text, installs.name, refs, read.fleet, installs.diagnostics);
    entitlements_stage();
  }
  if (access.text) read_access(*access.text, access.name, refs, read.fleet, access.diagnostics);
  if (assignments.text)
    read_assignments(*assignments.text, assignments.name, refs, read.fleet, assignments.diagnostics);

  Diagnostics all;
  for (Input* in : {&devices, &installs, &entitlements, &access, &assignments}) {
    sort_by_position(in->diagnostics);
    all.insert(all.end(), std::make_move_iterator(in->diagnostics.begin()),
               std::make_move_iterator(in->diagnostics.end()));
  }
  if (has_errors(all)) return all;
  read.warnings = std::move(all);
  return read;
}

/// A file's bytes, read whole into memory of their own: a snapshot, so that a file rewritten
/// while it is read cannot change (or, mapped, fault) under the parser. Nothing is zero-filled
/// first. (Huge pages were tried for this buffer and the id tables: less user time, but the
/// kernel's compaction to find them cost more system time than they saved, measured at 1M.)
class FileText {
 public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText() {
    if (map_ != nullptr) ::munmap(map_, capacity_);
  }

  /// Reads `path`; false when it cannot be read.
  bool open(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = true;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      const auto size = static_cast<std::size_t>(st.st_size);
      void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        throw std::bad_alloc();  // out of memory, as a std::string of the file's size would be
      }
      map_ = static_cast<char*>(p);
      capacity_ = size;
      ok = read_all(fd, map_, capacity_, size_);
    } else {  // a pipe or an empty file: as long as it is
      char buffer[1 << 16];
      for (;;) {
        const ::ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          ok = n == 0;
          break;
        }
        text_.append(buffer, static_cast<std::size_t>(n));
      }
    }
    ::close(fd);
    return ok;
  }
  [[nodiscard]] std::string_view view() const {
    return map_ != nullptr ? std::string_view(map_, size_) : std::string_view(text_);
  }

 private:
  /// Reads up to `capacity` bytes (the file's size when opened; a file that shrank since is read
  /// as it is now).
  static bool read_all(int fd, char* to, std::size_t capacity, std::size_t& size) {
    size = 0;
    while (size < capacity) {
      const ::ssize_t n = ::read(fd, to + size, capacity - size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) break;
      size += static_cast<std::size_t>(n);
    }
    return true;
  }

  char* map_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::string text_;
};

/// Opens `path` into `text`, or reports a `missing-file` diagnostic naming the expected path.
bool read_file(const std::filesystem::path& path, Input& in, FileText& text) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  const auto missing = [&](const std::string& found) {
    in.diagnostics.push_back({Severity::error, in.name, 0, 0, "missing-file",
                              "expected a file " + path.string() + ", found " + found});
    return false;
  };
  if (!std::filesystem::exists(status)) return missing("none");
  if (std::filesystem::is_directory(status)) return missing("a directory");
  if (!text.open(path)) return missing("a file that cannot be read");
  in.text = text.view();
  return true;
}

}  // namespace

Result<FleetRead> parse_fleet(const FleetSources& sources, const RulePack& pack, unsigned threads) {
  Input devices{sources.devices, sources.devices_name, {}};
  Input installs{sources.installs, sources.installs_name, {}};
  Input entitlements{sources.entitlements, sources.entitlements_name, {}};
  Input access{std::nullopt, sources.access_name, {}};
  if (sources.access) access.text = *sources.access;
  Input assignments{std::nullopt, sources.assignments_name, {}};
  if (sources.assignments) assignments.text = *sources.assignments;
  return parse_inputs(devices, installs, entitlements, access, assignments, pack, threads);
}

Result<FleetRead> read_fleet(const std::filesystem::path& dir, const RulePack& pack, unsigned threads) {
  Input devices{std::nullopt, "devices.csv", {}};
  Input installs{std::nullopt, "installs.csv", {}};
  Input entitlements{std::nullopt, "entitlements.csv", {}};
  // The texts must outlive parsing: the inputs hold views into them.
  FileText texts[3];
  Input* inputs[3] = {&devices, &installs, &entitlements};
  for (std::size_t i = 0; i < 3; ++i) read_file(dir / inputs[i]->name, *inputs[i], texts[i]);
  // access.csv and assignments.csv are optional: without the first no CAL demand is computed,
  // without the second no licence has a past (docs/formats.md).
  Input access{std::nullopt, "access.csv", {}};
  Input assignments{std::nullopt, "assignments.csv", {}};
  FileText optional_texts[2];
  Input* optional_inputs[2] = {&access, &assignments};
  for (std::size_t i = 0; i < 2; ++i) {
    std::error_code ec;
    if (std::filesystem::exists(dir / optional_inputs[i]->name, ec))
      read_file(dir / optional_inputs[i]->name, *optional_inputs[i], optional_texts[i]);
  }
  return parse_inputs(devices, installs, entitlements, access, assignments, pack, threads);
}

Result<FleetRead> parse_fleet(FleetInput devices, FleetInput installs, FleetInput entitlements,
                              const RulePack& pack, std::optional<FleetInput> access,
                              std::optional<FleetInput> assignments) {
  Input d{devices.text, std::move(devices.name), std::move(devices.problems)};
  Input i{installs.text, std::move(installs.name), std::move(installs.problems)};
  Input e{entitlements.text, std::move(entitlements.name), std::move(entitlements.problems)};
  Input a{std::nullopt, "access.csv", {}};
  if (access) a = Input{access->text, std::move(access->name), std::move(access->problems)};
  Input h{std::nullopt, "assignments.csv", {}};
  if (assignments) h = Input{assignments->text, std::move(assignments->name), std::move(assignments->problems)};
  return parse_inputs(d, i, e, a, h, pack, 1);
}

Result<std::string> read_input_file(const std::filesystem::path& path, const std::string& name) {
  Input in{std::nullopt, name, {}};
  FileText text;
  if (!read_file(path, in, text)) return std::move(in.diagnostics);
  return std::string(text.view());
}

}  // namespace trueup::io
