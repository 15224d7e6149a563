// SPDX-License-Identifier: BSL-1.0
// File: src/cli/help.hpp
//
// What `trueup --help` and `trueup COMMAND --help` print, and the hint that ends a usage error.
// The help of a command lists the options its CLI11 definition has (src/cli/options.cpp), so the
// help and the parser cannot disagree about which options exist.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace CLI {
class FormatterBase;
}

namespace trueup::cli {

/// The CLI11 formatter of the help: usage, what the command does, its commands or options (the
/// name in a 24-character column, the description beside it) and its exit codes.
[[nodiscard]] std::shared_ptr<CLI::FormatterBase> help_formatter();

/// What ends a usage error of `command` ("trueup" itself, "reconcile", "validate" or "history"):
/// the command's usage when that one line is its whole syntax, else where its help is.
[[nodiscard]] std::string usage_hint(std::string_view command);

}  // namespace trueup::cli
