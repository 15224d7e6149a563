// SPDX-License-Identifier: BSL-1.0
// File: src/io/json_installs.hpp
//
// The "installs" array of the JSON report (private to trueup::io), written apart from the rest
// of the document (write_json.cpp): at a million installs it is most of the report, so it is
// formatted in blocks on worker threads and streamed to the sink as the blocks finish, in order.
// Also the products' display names, which the report repeats on most of its records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "json.hpp"
#include "trueup/io/writers.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup::io::writing {

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

/// The "installs" array: its elements formatted in blocks, each as a writer nested two deep
/// would write it, handed to `sink` in block order. With `threads` > 1, that many workers
/// format blocks while the calling thread hands finished ones on; at most two blocks per
/// worker wait, so memory stays a few blocks whatever the fleet's size.
void installs_json(Json& j, const JsonSink& sink, const Position& p, const ProductNames& names, const Fleet& fleet,
                   unsigned threads);

}  // namespace trueup::io::writing
