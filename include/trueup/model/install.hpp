// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/install.hpp
//
// One inventory row: a title seen on a device by a discovery tool, as the tool reported it.
// Recognition (normalise/recognise.hpp) decides what product, if any, it is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "trueup/fwd.hpp"
#include "trueup/model/date.hpp"

namespace trueup {

struct Install {
  std::string id;
  DeviceIndex device;
  std::string title;      ///< ARP DisplayName or equivalent
  std::string publisher;  ///< as reported; may be empty
  std::string version;    ///< version string as reported; may be empty
  std::optional<Date> first_seen;
  std::optional<Date> last_seen;
  std::uint32_t line = 0;  ///< source line in installs.csv
};

}  // namespace trueup
