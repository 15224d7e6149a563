// SPDX-License-Identifier: BSL-1.0
// File: trueup/rules/oem_binding.hpp
//
// Rule: an OEM licence lives and dies with the device it came with.
//
// "OEM operating system licences live and die with each PC - they are not transferable ...
// This applies even if the old PC no longer has Windows installed or if it is destroyed."
// (licensing-rules O1: Microsoft "PC Legal Checklist"; Microsoft brief "Operating System
// License Requirements", 2007). So an OEM licence:
//
// - covers only the device it is bound to (a licence "moved" to another device covers nothing
//   there);
// - is void when that device is retired or failed (O8: Flexera, "the number of licenses is
//   reduced" when the computer leaves the estate), or is not owned;
// - is void when the record names no device at all: it cannot be shown to belong anywhere.
//
// - is void when the motherboard was replaced for any reason but a defect: "a new computer has
//   been created" (O3); a motherboard replaced *because it failed* keeps the licence.
//
// Everything is judged on the as-of date: a PC retired after it still held its licence then.
//
// Retail licences are the contrast (R1, R5): one device at a time, but they may move to another
// owned device once removed from the old one, so a retail licence recorded on a scrapped PC
// still counts.
//
// In the solver a bound licence is used first on its own device: it has no other use, so
// using it never takes coverage or a flexible licence from anyone (the exchange argument is
// in solver/solver.hpp, "Bound licences come first").
#pragma once

#include <optional>
#include <string>

#include "trueup/model/device.hpp"

namespace trueup::rules {

/// Why an OEM licence counts for nothing, or nullopt when it is alive.
[[nodiscard]] inline std::optional<std::string> oem_void_reason(const Device* bound, Date as_of) {
  if (bound == nullptr)
    return std::string("OEM licence names no device: an OEM licence is valid only on the device it came with");
  if (bound->ownership != Ownership::owned)
    return "OEM licence bound to " + bound->id + ", which is " + std::string(name(bound->ownership)) + ", not owned";
  const DeviceStatus status = bound->status_on(as_of);
  if (bound->motherboard == MotherboardChange::upgrade &&
      (!bound->motherboard_date || *bound->motherboard_date <= as_of))
    return "OEM licence bound to " + bound->id + ", whose motherboard was replaced (upgrade" +
           (bound->motherboard_date ? ", " + bound->motherboard_date->iso() : std::string()) +
           "): a new computer was created, and an OEM licence stays with the old one (licensing-rules O3)";
  if (status == DeviceStatus::retired)
    return "OEM licence bound to " + bound->id + ", retired" +
           (bound->status_date ? " " + bound->status_date->iso() : std::string()) +
           ": an OEM licence dies with its device";
  if (status == DeviceStatus::failed)
    return "OEM licence bound to " + bound->id + ", which failed" +
           (bound->status_date ? " " + bound->status_date->iso() : std::string()) +
           ": an OEM licence dies with its device";
  return std::nullopt;
}

}  // namespace trueup::rules
