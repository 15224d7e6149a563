// SPDX-License-Identifier: BSL-1.0
// File: trueup/import/review_report.hpp
//
// The report of `trueup review`: rows read per source, then the review of the rows
// (normalise/review.hpp) as a table or as JSON. Deterministic: the same inputs give the same
// bytes; the JSON is valid UTF-8 (a byte that is not is replaced by U+FFFD).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trueup/import/inventory.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/normalise/review.hpp"

namespace trueup::import {

/// The devices whose last inventory is older than a threshold, and those whose export states no
/// date. A device not inventoried for months may be scrapped, stolen or re-imaged under another
/// name, yet its installs count until its status says retired (devices.csv): the list is a
/// question for a person, never an exclusion: once retired (devices.csv status and date) its
/// OEM licences leave with it (licensing-rules O8) and its retail licences may move (R5).
struct Staleness {
  Date as_of;              ///< the date the age is counted to (--as-of, or today)
  std::uint32_t days = 0;  ///< stale: last inventory more than this many days before `as_of`
  struct Stale {
    std::string device;
    Date last_inventory;
    std::int32_t days_ago = 0;
  };
  std::vector<Stale> stale;          ///< oldest first, then by device id
  std::vector<std::string> undated;  ///< no source states a date: unknown, not fresh; by device id
};

/// The stale and the undated devices of `inventory` on `as_of`. Deterministic: by date and id.
[[nodiscard]] Staleness stale_devices(const Inventory& inventory, Date as_of, std::uint32_t days);

/// Devices one source describes and another does not, with several sources: a WMI processor
/// dump of a server no program list names (its software is unknown to them), a program list of
/// a PC no hardware source describes (its cores are unknown). Devices are matched by id, as the
/// sources are merged (inventory.hpp).
struct SourceGap {
  std::string seen_in;               ///< the source that describes them (its KIND:PATH)
  std::string not_in;                ///< the source that does not
  std::vector<std::string> devices;  ///< by device id
};

/// For each pair of sources, in the order given (A before B: A's devices B lacks, then B's
/// devices A lacks), the devices one has and the other has not; pairs with none are left out.
/// `devices` holds each source's spec and device ids, in the order the sources were given.
[[nodiscard]] std::vector<SourceGap> source_gaps(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& devices);

struct ReviewReport {
  Review review;
  std::vector<SourceCount> sources;           ///< one per --inventory, or the fleet directory
  std::vector<std::string> software_unknown;  ///< devices whose software no source reported
  /// With --inventory only: devices.csv records no inventory date.
  std::optional<Staleness> staleness;
  std::vector<SourceGap> source_gaps;  ///< with several --inventory sources
};

[[nodiscard]] std::string format_review_table(const ReviewReport& report, const RulePack& pack);
[[nodiscard]] std::string format_review_json(const ReviewReport& report, const RulePack& pack);

}  // namespace trueup::import
