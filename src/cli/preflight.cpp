// SPDX-License-Identifier: BSL-1.0
// File: src/cli/preflight.cpp
//
// What `trueup reconcile` checks of its command line before it reads a byte (preflight.hpp),
// so that an ordinary slip can neither destroy the state nor leave it changed by a run that
// then fails to write its report (docs/state.md, "Safety before the run"):
//
// - no two of -o, --write-assignments and --state name the same file (`--state s.db -o s.db`
//   would replace the history with the report), whether by the same text, another spelling of
//   the path, or a link to the same file; and none names a file the run reads (`--entitlements
//   licences.csv -o licences.csv` would replace the licence list with the report), but for
//   --write-assignments naming DIR/assignments.csv, the history a later run reads;
// - an existing output is a regular file (a folder for `--format csv`, which its writer checks
//   holds only an earlier report): a directory cannot be replaced (its rename would
//   fail after the state was committed), and a symlink, a FIFO, a device or a socket is not
//   replaced by a regular file;
// - with --state, an as-of date after today needs --future-as-of: a run recorded in the
//   future refuses every later real run (history moves forward);
// - leftover `FILE.trueup-pending` (and the `.trueup-tmp` files written on the way to it) of a
//   killed run, for this run's outputs, are removed (a million-install report leaves 320 MB).
#include "preflight.hpp"

#include <sys/stat.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "trueup/import/entitlements.hpp"
#include "trueup/import/inventory.hpp"

namespace trueup::cli {

namespace {

namespace fs = std::filesystem;

struct Output {
  std::string option;  // "-o", "--write-assignments", "--state"
  std::string path;
};

/// What `path` is when it exists and is not a regular file ("a directory"); empty otherwise.
std::string not_regular(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return {};
  if (S_ISDIR(st.st_mode)) return "a directory";
  if (S_ISLNK(st.st_mode)) return "a symbolic link";
  if (S_ISFIFO(st.st_mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
  if (S_ISSOCK(st.st_mode)) return "a socket";
  return "a file that is not a regular file";
}

/// Whether `a` and `b` name one file: the same absolute path once `.`, `..` and symbolic links
/// of existing directories are resolved, or, when both exist, the same inode (hard links).
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec1, ec2;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec1), ec1);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec2), ec2);
  if (!ec1 && !ec2 && ca == cb) return true;
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec) && !ec;
}

/// The files the run reads that exist, by the option that names them.
std::vector<Output> inputs(const FleetOptions& o) {
  std::vector<Output> in;
  if (!o.dir.empty())
    for (const char* f :
         {"devices.csv", "installs.csv", "entitlements.csv", "access.csv", "assignments.csv", "prices.csv"})
      in.push_back({"DIR", (fs::path(o.dir) / f).string()});
  for (const std::string& spec : o.entitlements)
    if (const auto s = import::parse_entitlement_source(spec)) in.push_back({"--entitlements", s->path.string()});
  for (const std::string& spec : o.inventory)
    if (const auto s = import::parse_source(spec)) in.push_back({"--inventory", s->path.string()});
  std::vector<Output> existing;
  for (Output& i : in) {
    std::error_code ec;
    if (fs::is_regular_file(i.path, ec)) existing.push_back(std::move(i));
  }
  return existing;
}

/// An error for each output naming a file the run reads.
void outputs_not_inputs(const FleetOptions& o, const std::vector<Output>& outputs, Diagnostics& out) {
  const std::vector<Output> read = inputs(o);
  for (const Output& file : outputs)
    for (const Output& input : read) {
      const bool history = file.option == "--write-assignments" && input.option == "DIR" &&
                           fs::path(input.path).filename() == "assignments.csv";
      if (!history && same_file(file.path, input.path))
        out.push_back(
            {Severity::error, file.path, 0, 0, "output-is-input",
             "expected " + file.option + " to name a file the run does not read, found " + input.path + ", which " +
                 (input.option == "DIR" ? std::string("the fleet directory holds") : input.option + " reads") +
                 "; writing it would destroy that input"});
    }
}

}  // namespace

Diagnostics preflight(const FleetOptions& o, Date today) {
  Diagnostics out;
  std::vector<Output> outputs;
  if (o.output) outputs.push_back({"-o", *o.output});
  if (o.write_assignments) outputs.push_back({"--write-assignments", *o.write_assignments});
  if (o.state) outputs.push_back({"--state", *o.state});

  for (std::size_t i = 0; i < outputs.size(); ++i)
    for (std::size_t j = i + 1; j < outputs.size(); ++j)
      if (same_file(outputs[i].path, outputs[j].path))
        out.push_back({Severity::error, outputs[j].path, 0, 0, "same-output",
                       "expected " + outputs[j].option + " to name a file of its own, found the file " +
                           outputs[i].option + " names; one would destroy the other"});
  outputs_not_inputs(o, outputs, out);
  for (const Output& file : outputs) {
    if (file.option == "--state") continue;  // the state store says what it finds there
    const std::string what = not_regular(file.path);
    // `--format csv -o DIR` writes a folder: an existing one is replaced only when it holds
    // nothing but the files of an earlier report, which the CSV writer checks.
    const bool folder = file.option == "-o" && o.format == "csv";
    if (folder && what != "a directory" && !what.empty())
      out.push_back({Severity::error, file.path, 0, 0, "bad-output",
                     "expected -o to name a folder to write or replace (--format csv), found " + what});
    else if (!folder && !what.empty())
      out.push_back({Severity::error, file.path, 0, 0, "bad-output",
                     "expected " + file.option + " to name a regular file to write or replace, found " + what});
  }
  if (o.state && o.as_of && *o.as_of > today && !o.future_as_of)
    out.push_back({Severity::error, *o.state, 0, 0, "state-future-as-of",
                   "expected an as-of date on or before today, " + today.iso() + ", found " + o.as_of->iso() +
                       ": a run recorded in the future refuses every later run (history moves forward); "
                       "--future-as-of records it anyway"});
  if (!out.empty()) return out;

  // A killed run's leftovers for these outputs: written whole before any rename, never read.
  for (const Output& file : outputs) {
    if (file.option == "--state") continue;
    for (const char* suffix : {".trueup-pending", ".trueup-pending.trueup-tmp", ".trueup-tmp"}) {
      const std::string leftover = file.path + suffix;
      if (not_regular(leftover).empty()) {
        std::error_code ec;
        fs::remove(leftover, ec);
      }
    }
  }
  return out;
}

}  // namespace trueup::cli
