// SPDX-License-Identifier: BSL-1.0
// File: src/io/ids.hpp
//
// Ids within a fleet file (private to trueup::io): every table's id column is unique within
// its table (`duplicate-id` names the first line the id was on), and devices are referred to
// by id from the other tables. Two structures, one per use: `IdIndex` for ids that are looked
// up (devices), `UniqueIds` for ids that are only checked (installs, licences). Both are built
// for hundreds of thousands of rows: neither copies an id per row.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <range/v3/algorithm/find_if.hpp>
#include <range/v3/view/chunk_by.hpp>

#include "csv.hpp"
#include "trueup/diagnostic.hpp"
#include "values.hpp"

namespace trueup::io::reading {

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
  void report(const std::vector<Record>& records, const std::string& file, std::string_view column, Diagnostics& out) {
    const auto id_of = [&](std::uint32_t row) -> std::string_view { return records[row].id; };
    const auto line_of = [&](std::uint32_t row) { return records[row].line; };
    sort_by_key();
    const auto same_key = [](const Seen& a, const Seen& b) { return a.key == b.key; };
    // Equal keys keep reading order (the sort is stable): the first equal id is the first row.
    for (const auto group : seen_ | ranges::views::chunk_by(same_key))
      for (auto later = ranges::next(ranges::begin(group)); later != ranges::end(group); ++later) {
        const std::string_view id = id_of(later->row);
        const auto first =
            ranges::find_if(ranges::begin(group), later, [&](const Seen& s) { return id_of(s.row) == id; });
        if (first == later) continue;  // a hash collision, not the same id
        const Where& at = where_[later->row];
        out.push_back({Severity::error, file, at.line, at.column, "duplicate-id",
                       "column `" + std::string(column) + "`: expected a unique " + std::string(column) + ", found " +
                           quote_value(id) + " again (first on line " + std::to_string(line_of(first->row)) + ")"});
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

}  // namespace trueup::io::reading
