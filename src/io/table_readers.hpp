// SPDX-License-Identifier: BSL-1.0
// File: src/io/table_readers.hpp
//
// The reader of each fleet file (private to trueup::io), one source file each, called in this
// order by the fleet assembly (read_fleet.cpp): devices first, since every other file refers
// to devices by id; entitlements before assignments, whose rows name licences. Each appends
// its rows to the fleet and its diagnostics to `out`, in reading order; the assembly sorts
// them by position. `separator` is the file's (`,`, `;` or a tab), or 0 to detect it from the
// header (Table).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "fields.hpp"
#include "ids.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"

namespace trueup::io::reading {

/// Reads devices.csv into `fleet.devices` and `ids`; returns whether references to devices
/// can be checked (see DeviceRefs::known).
bool read_devices(std::string_view text, const std::string& file, char separator, Fleet& fleet, IdIndex& ids,
                  Diagnostics& out);

void read_installs(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                   Fleet& fleet, Diagnostics& out);

/// read_installs() with the file's rows in two parts, the second on another thread, split at
/// the first line break from `split_at` on; then `also` on that thread. Returns false (having
/// read nothing) when `text` is too small to split.
bool read_installs_in_parts(std::string_view text, std::size_t split_at, const std::string& file, char separator,
                            const DeviceRefs& devices, Fleet& fleet, Diagnostics& out,
                            const std::function<void()>& also);

void read_entitlements(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                       const RulePack& pack, Fleet& fleet, Diagnostics& out);

/// access.csv (optional): who accessed which server, for the CALs.
void read_access(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                 const RulePack& pack, Fleet& fleet, Diagnostics& out);

/// prices.csv (optional): the price list that prices shortfalls.
void read_prices(std::string_view text, const std::string& file, char separator, const RulePack& pack, Fleet& fleet,
                 Diagnostics& out);

/// assignments.csv (optional): where licences were assigned before, for the 90-day rule.
/// \pre `fleet.entitlements` is read: rows naming other licences are warned about and dropped.
void read_assignments(std::string_view text, const std::string& file, char separator, const DeviceRefs& devices,
                      Fleet& fleet, Diagnostics& out);

}  // namespace trueup::io::reading
