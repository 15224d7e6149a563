// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/exclusion.hpp
//
// Why an install is out of the reconciliation. Every excluded install carries one of these
// and a reason in words; nothing is dropped (design: "every install leaves the pipeline in
// exactly one state").
#pragma once

#include <array>
#include <cstdint>

#include "trueup/enum_table.hpp"

namespace trueup {

enum class Exclusion : std::uint8_t {
  none,
  component,        ///< update, language pack, proofing tool: licensed with its product
  other_publisher,  ///< another publisher's product (e.g. another vendor's office suite)
  unrecognised,     ///< a title the pack cannot identify: review the pack
  free_edition,     ///< the edition needs no licence
  not_owned,        ///< leased, rented, customer-owned or personal device
  retired,          ///< device retired, scrapped or disposed of
  failed,           ///< device out of service after hardware failure
  after_as_of,      ///< first seen after the as-of date: not installed yet on that date
  /// A row the pack cannot decide on its own: a title of a licensable family with a publisher
  /// spelling the pack does not know, or an edition it cannot tell. Never a reassuring
  /// bucket: the position counts these apart and warns, with what would decide them.
  needs_review,
};

template <>
struct EnumTable<Exclusion> {
  static constexpr std::array<EnumEntry<Exclusion>, 10> entries{
      {{Exclusion::none, "none", "none"},
       {Exclusion::component, "component", "component"},
       {Exclusion::other_publisher, "other_publisher", "other-publisher"},
       {Exclusion::unrecognised, "unrecognised", "unrecognised"},
       {Exclusion::free_edition, "free_edition", "free-edition"},
       {Exclusion::not_owned, "not_owned", "not-owned"},
       {Exclusion::retired, "retired", "retired-device"},
       {Exclusion::failed, "failed", "failed-device"},
       {Exclusion::after_as_of, "after_as_of", "after-as-of"},
       {Exclusion::needs_review, "needs_review", "needs-review"}}};
};

}  // namespace trueup
