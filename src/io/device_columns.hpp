// SPDX-License-Identifier: BSL-1.0
// File: src/io/device_columns.hpp
//
// devices.csv's columns (docs/formats.md), defined once (private to trueup): read by its reader
// (read_devices.cpp) and by the overlay of imported devices (src/import/device_overlay.cpp),
// which states the same columns over an inventory's devices, so the two cannot drift apart.
#pragma once

#include <cstddef>

#include "table.hpp"

namespace trueup::io::reading {

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
    motherboard_reason,
    cpu_model,
    environment
  };
};
inline constexpr ColumnSpec device_columns[] = {{"device_id", true},
                                                {"hostname", false},
                                                {"kind", false},
                                                {"ownership", false},
                                                {"status", false},
                                                {"status_date", false},
                                                {"primary_user", false},
                                                {"processors", false},
                                                {"cores", false},
                                                {"host", false},
                                                {"motherboard_replaced", false},
                                                {"motherboard_reason", false},
                                                {"cpu_model", false},
                                                {"environment", false}};

}  // namespace trueup::io::reading
