// SPDX-License-Identifier: BSL-1.0
// File: trueup/version.hpp
//
// The library's version, reported in every JSON position.
#pragma once

namespace trueup {
inline constexpr const char* version_string = "0.1.0";
}  // namespace trueup
