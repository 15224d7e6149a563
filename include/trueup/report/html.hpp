// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/html.hpp
//
// The effective licence position as one self-contained HTML page (docs/outputs.md "HTML"): the
// totals, a compliance chart and a shortfall-cost chart per product (inline SVG), the ELP and
// Shortfall tables of the workbook, the findings and the assumptions. No script, no style sheet
// or image from elsewhere: the page's Content-Security-Policy forbids every request, so it opens
// the same offline, in a mail attachment or in an auditor's locked-down browser. Installs and
// licences one by one are the workbook's (`--format xlsx|csv`): the page stays small whatever
// the fleet. Deterministic; valid UTF-8 whatever the input (text passes clean_text).
#pragma once

#include <string>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/report/workbook.hpp"

namespace trueup::report {

[[nodiscard]] std::string format_html(const Position& position, const RulePack& pack, const Fleet& fleet,
                                      const WorkbookOptions& options = {});

}  // namespace trueup::report
