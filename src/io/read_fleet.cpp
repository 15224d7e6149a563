// SPDX-License-Identifier: BSL-1.0
// File: src/io/read_fleet.cpp
//
// The fleet readers together: devices.csv, installs.csv and entitlements.csv, and the optional
// access.csv and assignments.csv (columns and every diagnostic in docs/formats.md), from a
// directory or from texts, into a `trueup::Fleet`. Each file has its reader (table_readers.hpp).
//
// Invariants of the result (model/fleet.hpp relies on them): a Fleet is returned only when no
// file has an error, so every id is unique within its table, every install's device exists,
// every entitlement's device is either absent or exists, and every `ProductRef` indexes the
// rule pack. Otherwise the caller gets *every* error and warning of *every* file, sorted by
// file (devices, installs, entitlements), line and column.
//
// Cascades are suppressed so that one mistake gives one diagnostic: when devices.csv cannot be
// read at all (missing, empty, no `device_id` column, an unterminated quote) references to
// devices are not checked.
#include "trueup/io/dialect.hpp"
#include "trueup/io/readers.hpp"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "encoding.hpp"
#include "table_readers.hpp"
#include "trueup/detail/parallel.hpp"

namespace trueup::io::reading {

namespace {

/// The largest input file read: positions are 32-bit (line, byte column), and a fleet of
/// files this size needs most of a 24 GiB machine (docs/formats.md, "Limits").
constexpr std::uintmax_t max_input_bytes = 0xFFFFFFFFU;

/// What a file that is not a regular file is, for the message.
std::string special_file(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO (named pipe); special files are not read";
  if (S_ISCHR(mode)) return "a character device; special files are not read";
  if (S_ISBLK(mode)) return "a block device; special files are not read";
  if (S_ISSOCK(mode)) return "a socket; special files are not read";
  return "a file that is not a regular file";
}

/// One input file: its text, or nullopt when it could not be read (already reported).
struct Input {
  std::optional<std::string_view> text;
  std::string name;
  Diagnostics diagnostics;
};

void sort_by_position(Diagnostics& ds) {
  std::stable_sort(ds.begin(), ds.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
}

/// The inputs of a fleet; the optional ones have no text when not given.
struct Inputs {
  Input devices, installs, entitlements, access, assignments, prices;
};

Result<FleetRead> parse_inputs(Inputs& in, const RulePack& pack, unsigned threads, const CsvDialect& dialect) {
  // Named references, not a structured binding: the lambdas below capture them.
  Input& devices = in.devices;
  Input& installs = in.installs;
  Input& entitlements = in.entitlements;
  Input& access = in.access;
  Input& assignments = in.assignments;
  Input& prices = in.prices;
  // A file in another encoding or with CR line endings is one error, and is not read further
  // (a devices.csv so reported makes references to devices unchecked, as a missing one does).
  // The texts converted to UTF-8, when in another encoding: the readers' views point into them.
  std::string converted[6];
  std::size_t next = 0;
  for (Input* input : {&devices, &installs, &entitlements, &access, &assignments, &prices}) {
    std::string& storage = converted[next++];
    if (input->text && !prepare_text(*input->text, storage, input->name, dialect.encoding, input->diagnostics))
      input->text = std::nullopt;
  }
  const char sep = dialect.separator;
  FleetRead read;
  const std::string_view no_text;
  IdIndex device_ids(devices.text.value_or(no_text));
  bool devices_known = false;
  if (devices.text)
    devices_known = read_devices(*devices.text, devices.name, sep, read.fleet, device_ids, devices.diagnostics);
  const DeviceRefs refs{device_ids, devices_known, devices.name};
  auto entitlements_stage = [&] {
    if (entitlements.text)
      read_entitlements(*entitlements.text, entitlements.name, sep, refs, pack, read.fleet, entitlements.diagnostics);
  };
  // With two threads, installs.csv is read in two parts and entitlements.csv after the second
  // part, on the same thread: entitlements touch only their own rows and diagnostics. The
  // split is placed so that both threads have about as many bytes (an entitlement row costs
  // about twice an install row's time per byte).
  bool parted = false;
  if (installs.text && threads > 1 && installs.text->size() >= detail::parallel_thresholds().installs_csv_bytes) {
    const std::size_t extra = 2 * entitlements.text.value_or(std::string_view{}).size();
    const std::size_t total = installs.text->size() + extra;
    const std::size_t split = total / 2 > extra ? total / 2 : installs.text->size() / 4;
    parted = read_installs_in_parts(*installs.text, split, installs.name, sep, refs, read.fleet, installs.diagnostics,
                                    entitlements_stage);
  }
  if (!parted) {
    if (installs.text) read_installs(*installs.text, installs.name, sep, refs, read.fleet, installs.diagnostics);
    entitlements_stage();
  }
  if (access.text) read_access(*access.text, access.name, sep, refs, pack, read.fleet, access.diagnostics);
  if (assignments.text)
    read_assignments(*assignments.text, assignments.name, sep, refs, read.fleet, assignments.diagnostics);
  if (prices.text) read_prices(*prices.text, prices.name, sep, pack, read.fleet, prices.diagnostics);

  Diagnostics all;
  for (Input* input : {&devices, &installs, &entitlements, &access, &assignments, &prices}) {
    sort_by_position(input->diagnostics);
    all.insert(all.end(), std::make_move_iterator(input->diagnostics.begin()),
               std::make_move_iterator(input->diagnostics.end()));
  }
  if (has_errors(all)) return all;
  read.warnings = std::move(all);
  return read;
}

/// A file's bytes, read whole into memory of their own: a snapshot, so that a file rewritten
/// while it is read cannot change (or, mapped, fault) under the parser. Nothing is zero-filled
/// first. (Huge pages were tried for this buffer and the id tables: less user time, but the
/// kernel's compaction to find them cost more system time than they saved, measured at 1M.)
class FileText {
 public:
  FileText() = default;
  FileText(const FileText&) = delete;
  FileText& operator=(const FileText&) = delete;
  ~FileText() {
    if (map_ != nullptr) ::munmap(map_, capacity_);
  }

  /// Reads `path`, a regular file of at most `max_input_bytes`; otherwise says what it found in
  /// `found` and returns false. A FIFO, a device (/dev/zero) or a socket is refused before a
  /// byte is read: opened without blocking, so that a FIFO with no writer cannot hang the run.
  bool open(const std::filesystem::path& path, std::string& found) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      found = "a file that cannot be read";
      return false;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      found = special_file(st.st_mode);
      ::close(fd);
      return false;
    }
    if (static_cast<std::uintmax_t>(st.st_size) > max_input_bytes) {
      found = "one of " + std::to_string(st.st_size) + " bytes";
      ::close(fd);
      return false;
    }
    bool ok = true;
    if (st.st_size > 0) {
      const auto size = static_cast<std::size_t>(st.st_size);
      void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) {
        ::close(fd);
        throw std::bad_alloc();  // out of memory, as a std::string of the file's size would be
      }
      map_ = static_cast<char*>(p);
      capacity_ = size;
      ok = read_all(fd, map_, capacity_, size_);
    }
    ::close(fd);
    if (!ok) found = "a file that cannot be read";
    return ok;
  }
  [[nodiscard]] std::string_view view() const {
    return map_ != nullptr ? std::string_view(map_, size_) : std::string_view();
  }

 private:
  /// Reads up to `capacity` bytes (the file's size when opened; a file that shrank since is read
  /// as it is now).
  static bool read_all(int fd, char* to, std::size_t capacity, std::size_t& size) {
    size = 0;
    while (size < capacity) {
      const ::ssize_t n = ::read(fd, to + size, capacity - size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      if (n == 0) break;
      size += static_cast<std::size_t>(n);
    }
    return true;
  }

  char* map_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

/// Opens `path` into `text`, or reports a `missing-file` diagnostic naming the expected path.
bool read_file(const std::filesystem::path& path, Input& in, FileText& text) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  const auto missing = [&](const std::string& found) {
    in.diagnostics.push_back(
        {Severity::error, in.name, 0, 0, "missing-file", "expected a file " + path.string() + ", found " + found});
    return false;
  };
  if (!std::filesystem::exists(status)) return missing("none");
  if (std::filesystem::is_directory(status)) return missing("a directory");
  if (std::string found; !text.open(path, found)) {
    const bool too_large = found.starts_with("one of ");
    in.diagnostics.push_back(
        {Severity::error, in.name, 0, 0, too_large ? "file-too-large" : "missing-file",
         too_large ? "expected a file of at most " + std::to_string(max_input_bytes) + " bytes (4 GiB), found " + found
                   : "expected a regular file " + path.string() + ", found " + found});
    return false;
  }
  in.text = text.view();
  return true;
}

}  // namespace

}  // namespace trueup::io::reading

namespace trueup::io {

using reading::FileText;
using reading::Input;
using reading::Inputs;
using reading::parse_inputs;
using reading::read_file;

Result<FleetRead> parse_fleet(const FleetSources& sources, const RulePack& pack, unsigned threads,
                              const CsvDialect& dialect) {
  Inputs in{{sources.devices, sources.devices_name, {}},           {sources.installs, sources.installs_name, {}},
            {sources.entitlements, sources.entitlements_name, {}}, {std::nullopt, sources.access_name, {}},
            {std::nullopt, sources.assignments_name, {}},          {std::nullopt, sources.prices_name, {}}};
  if (sources.access) in.access.text = *sources.access;
  if (sources.assignments) in.assignments.text = *sources.assignments;
  if (sources.prices) in.prices.text = *sources.prices;
  return parse_inputs(in, pack, threads, dialect);
}

Result<FleetRead> read_fleet(const std::filesystem::path& dir, const RulePack& pack, unsigned threads,
                             const CsvDialect& dialect) {
  Inputs in{{std::nullopt, "devices.csv", {}},      {std::nullopt, "installs.csv", {}},
            {std::nullopt, "entitlements.csv", {}}, {std::nullopt, "access.csv", {}},
            {std::nullopt, "assignments.csv", {}},  {std::nullopt, "prices.csv", {}}};
  // The texts must outlive parsing: the inputs hold views into them.
  FileText texts[6];
  Input* inputs[6] = {&in.devices, &in.installs, &in.entitlements, &in.access, &in.assignments, &in.prices};
  for (std::size_t i = 0; i < 3; ++i) read_file(dir / inputs[i]->name, *inputs[i], texts[i]);
  // access.csv, assignments.csv and prices.csv are optional: without the first no CAL demand is
  // computed, without the second no licence has a past, without the third only licence records
  // price a shortfall (docs/formats.md).
  for (std::size_t i = 3; i < 6; ++i) {
    std::error_code ec;
    if (std::filesystem::exists(dir / inputs[i]->name, ec)) read_file(dir / inputs[i]->name, *inputs[i], texts[i]);
  }
  return parse_inputs(in, pack, threads, dialect);
}

Result<FleetRead> parse_fleet(FleetInput devices, FleetInput installs, FleetInput entitlements, const RulePack& pack,
                              std::optional<FleetInput> access, std::optional<FleetInput> assignments,
                              std::optional<FleetInput> prices, const CsvDialect& dialect) {
  const auto input = [](std::optional<FleetInput>& given, std::string name) {
    if (!given) return Input{std::nullopt, std::move(name), {}};
    return Input{given->text, std::move(given->name), std::move(given->problems)};
  };
  Inputs in{{devices.text, std::move(devices.name), std::move(devices.problems)},
            {installs.text, std::move(installs.name), std::move(installs.problems)},
            {entitlements.text, std::move(entitlements.name), std::move(entitlements.problems)},
            input(access, "access.csv"),
            input(assignments, "assignments.csv"),
            input(prices, "prices.csv")};
  return parse_inputs(in, pack, 1, dialect);
}

Result<FleetRead> parse_fleet(const FleetSources& sources, const RulePack& pack, unsigned threads) {
  return parse_fleet(sources, pack, threads, CsvDialect{});
}

Result<FleetRead> read_fleet(const std::filesystem::path& dir, const RulePack& pack, unsigned threads) {
  return read_fleet(dir, pack, threads, CsvDialect{});
}

Result<FleetRead> parse_fleet(FleetInput devices, FleetInput installs, FleetInput entitlements, const RulePack& pack,
                              std::optional<FleetInput> access, std::optional<FleetInput> assignments,
                              std::optional<FleetInput> prices) {
  return parse_fleet(std::move(devices), std::move(installs), std::move(entitlements), pack, std::move(access),
                     std::move(assignments), std::move(prices), CsvDialect{});
}

Result<std::string> read_input_file(const std::filesystem::path& path, const std::string& name) {
  Input in{std::nullopt, name, {}};
  FileText text;
  if (!read_file(path, in, text)) return std::move(in.diagnostics);
  return std::string(text.view());
}

}  // namespace trueup::io
