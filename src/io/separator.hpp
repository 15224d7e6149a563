// SPDX-License-Identifier: BSL-1.0
// File: src/io/separator.hpp
//
// Which of `,`, `;` and tab separates a CSV file's fields (private to trueup): a spreadsheet set
// to French or German saves "CSV" with `;` (the comma is its decimal mark), some exports use a
// tab. The fleet readers detect it from the header line by the column names it must hold
// (Table::choose_separator, in separator.cpp); an importer of exports whose columns vary takes
// the most frequent one.
#pragma once

#include <string>
#include <string_view>

namespace trueup::io {

/// The separator of a header line: the most frequent of `,`, `;` and tab outside quotes (`,`
/// when none occurs).
[[nodiscard]] char most_frequent_separator(std::string_view header);

/// The separator in a message: "`,`", "`;`" or "a tab".
[[nodiscard]] std::string separator_name(char separator);

}  // namespace trueup::io
