// SPDX-License-Identifier: BSL-1.0
// File: bindings/python/src/locate.hpp
//
// Where a diagnostic is in a table, for people who never saw the CSV text: the 0-based data
// row (a DataFrame's positional row, a list's index, a file's data row, blank lines not
// counted) and the name of the column, as the header spells it. A diagnostic gives the
// physical line and byte column of a field's start (docs/formats.md, "Positions"); splitting
// the same text again with the readers' own CSV splitter (src/io/csv.hpp) maps one to the
// other exactly, whatever quoting and line breaks the fields hold.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trueup::python {

struct Location {
  std::optional<std::size_t> row;     ///< none: the header or the whole file
  std::optional<std::string> column;  ///< none: the whole row or file
};

struct TextPosition {
  std::uint32_t line = 0;    ///< 1-based, 0 = the whole file
  std::uint32_t column = 0;  ///< 1-based byte column, 0 = the whole line
};

/// The location of each position in `text` (a CSV file with a header line whose fields are
/// separated by `separator`, or, when it is 0, by the one the header line uses most), in order.
/// One pass over the text, stopping after the last position's record.
[[nodiscard]] std::vector<Location> locate(std::string_view text, const std::vector<TextPosition>& positions,
                                           char separator = 0);

}  // namespace trueup::python
