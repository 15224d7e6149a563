// SPDX-License-Identifier: BSL-1.0
// File: src/io/json_installs.cpp
//
// The "installs" array of the JSON report (json_installs.hpp): every install's verdict, in id
// order whatever the order of installs.csv, so that shuffled input rows give byte-identical
// output. The blocks are the same text whatever the number of threads: block k is formatted as
// a writer nested two deep would write it, and only block 0 starts without a separating comma.
#include "json_installs.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>
#include <utility>
#include <vector>

#include "trueup/detail/parallel.hpp"
#include "trueup/io/columns.hpp"

namespace trueup::io::writing {

namespace {

/// One install's verdict object, as an element of the "installs" array.
void install_json(Json& j, const Install& in, const InstallVerdict& v, const ProductNames& product_name,
                  const Fleet& fleet) {
  using K = columns::InstallKey;
  const auto key = [](std::size_t c) { return columns::installs[c].key; };
  j.begin_object({}, Json::Layout::one_line);
  j.str(key(K::install_id), in.id);
  j.str(key(K::device_id), fleet.device(in.device).id);
  j.str(key(K::title), in.title);
  j.str(key(K::verdict), name(v.verdict));
  if (v.product) j.str(key(K::product), product_name(*v.product));
  switch (v.verdict) {
    case Verdict::excluded:
      j.str(key(K::exclusion), name(v.exclusion));
      j.str(key(K::reason), v.reason);
      break;
    case Verdict::duplicate:
      j.str(key(K::duplicate_of), fleet.install(v.duplicate_of).id);
      j.str(key(K::reason), v.reason);
      break;
    case Verdict::covered:
    case Verdict::shortfall:
      j.str(key(K::metric), name(v.metric));
      j.num(key(K::units), v.demanded);
      j.num(key(K::covered_units), v.covered);
      if (v.verdict == Verdict::shortfall) j.str(key(K::reason), v.reason);
      j.begin_array(key(K::licences));
      for (const Allocation& a : v.licences) {
        j.begin_object();
        j.str(columns::allocation_licence, fleet.entitlement(a.entitlement).id);
        j.num(columns::allocation_units, a.units);
        j.end_object();
      }
      j.end_array();
      j.begin_array(key(K::evidence));
      for (const RuleStep& s : v.evidence) {
        j.begin_object();
        j.str(columns::evidence_rule, name(s.kind));
        j.str(columns::evidence_detail, s.text);
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

}  // namespace

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

}  // namespace trueup::io::writing
