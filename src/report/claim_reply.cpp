// SPDX-License-Identifier: BSL-1.0
// File: src/report/claim_reply.cpp
//
// The reply to a claim (trueup/report/claim_reply.hpp): the check as two sheets (report/sheet.hpp)
// for the JSON and the workbook, and as a text a manager can send. Text from the claim passes
// clean_text (sheets) or is written as read: the claim reader accepts valid UTF-8 only.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "report/sheet.hpp"
#include "trueup/report/claim_reply.hpp"

namespace trueup::report {
namespace {

std::string matched_name(const ClaimLine& l, const RulePack& pack) {
  return l.matched ? pack.product_name(*l.matched) : std::string();
}

Cell optional_count(const std::optional<Units>& v) { return v ? Cell::of(*v) : Cell{}; }

std::string str(Units n) { return std::to_string(n); }
std::string str(std::string_view s) { return std::string(s); }

/// `n` right-aligned in `width` characters.
std::string right(Units n, std::size_t width) {
  std::string t = std::to_string(n);
  return t.size() < width ? std::string(width - t.size(), ' ') + t : t;
}

std::string joined(const std::vector<std::string>& ids, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < limit; ++i) out += (i == 0 ? "" : ", ") + ids[i];
  if (ids.size() > limit) out += " and " + std::to_string(ids.size() - limit) + " more";
  return out;
}

constexpr std::size_t all = static_cast<std::size_t>(-1);

Sheet lines_sheet(const Claim& claim, const ClaimCheck& check, const RulePack& pack) {
  Sheet s{"Claim",
          "claim.csv",
          {{"Line", 8},
           {"Product", 36},
           {"Version", 10},
           {"Edition", 16},
           {"Matched product", 36},
           {"Unit", 10},
           {"Claimed installs", 10},
           {"Claimed required", 10},
           {"Claimed credited", 10},
           {"Claimed shortfall", 10},
           {"Computed metric", 10},
           {"Installs", 10},
           {"Demand units", 10},
           {"Credited units", 10},
           {"Shortfall units", 10},
           {"Difference", 10},
           {"Verdict", 16},
           {"Note", 60}},
          {}};
  s.rows = [&claim, &check, &pack](const RowSink& sink) {
    for (const ClaimLineCheck& c : check.lines) {
      const ClaimLine& l = claim.lines[c.line];
      sink({Cell::of(l.id), Cell::of(l.product), Cell::of(l.version), Cell::of(l.edition),
            Cell::of(matched_name(l, pack)), Cell::of(name(c.unit)), optional_count(l.installed),
            optional_count(l.required), optional_count(l.credited), Cell::of(l.shortfall),
            Cell::of(name(c.computed_metric)), Cell::of(c.installs), Cell::of(c.demand), Cell::of(c.credited),
            Cell::of(c.shortfall), Cell::of(c.difference), Cell::of(name(c.verdict)), Cell::of(c.note)});
    }
  };
  return s;
}

Sheet causes_sheet(const Claim& claim, const ClaimCheck& check) {
  Sheet s{"Causes",
          "causes.csv",
          {{"Line", 8},
           {"Product", 36},
           {"Cause", 20},
           {"Units", 10},
           {"Rule", 16},
           {"Source", 60},
           {"Why", 60},
           {"Installs", 40},
           {"Devices", 40},
           {"Licences", 40},
           {"Users", 40}},
          {}};
  s.rows = [&claim, &check](const RowSink& sink) {
    for (const ClaimLineCheck& c : check.lines) {
      const ClaimLine& l = claim.lines[c.line];
      for (const ClaimCauseShare& x : c.causes)
        sink({Cell::of(l.id), Cell::of(l.product), Cell::of(name(x.cause)), Cell::of(x.units), Cell::of(x.rule),
              Cell::of(x.source), Cell::of(x.why), Cell::of(joined(x.installs, all)), Cell::of(joined(x.devices, all)),
              Cell::of(joined(x.licences, all)), Cell::of(joined(x.users, all))});
    }
  };
  return s;
}

std::string counts_line(const char* who, Units installs, Units required, Units credited, Units shortfall, Metric unit) {
  // CALs are counted by holder (CAL1), not by install.
  const std::string_view counted = unit == Metric::user_cal     ? " user(s), "
                                   : unit == Metric::device_cal ? " device(s), "
                                                                : " install(s), ";
  return "  " + str(who) + ": " + str(installs) + str(counted) + str(required) + " " + str(name(unit)) +
         " unit(s) required, " + str(credited) + " credited, a shortfall of " + str(shortfall) + ".\n";
}

std::string line_reply(const ClaimLine& l, const ClaimLineCheck& c, const RulePack& pack) {
  const std::string product = l.matched ? pack.product_name(*l.matched) : l.product;
  std::string out = "Line " + l.id + ": " + product + " (" + str(name(c.unit)) + ") — " + str(name(c.verdict)) + "\n";
  out += counts_line("You claim", l.installed.value_or(0), c.claimed_required, c.claimed_credited, l.shortfall, c.unit);
  if (c.verdict != ClaimVerdict::cannot_match)
    out += counts_line("Our position", c.installs, c.demand, c.credited, c.shortfall, c.computed_metric);
  if (!c.note.empty()) out += "  Note: " + c.note + ".\n";
  if (c.difference == 0 && c.causes.empty()) return out + "  We agree with this line.\n\n";
  out += "  The difference of " + str(c.difference) + " " + str(name(c.unit)) + " unit(s):\n";
  const auto ids = [&out](std::string_view what, const std::vector<std::string>& v) {
    if (!v.empty()) out += "            " + str(what) + " (" + std::to_string(v.size()) + "): " + joined(v, 10) + "\n";
  };
  for (const ClaimCauseShare& x : c.causes) {
    out += "    " + right(x.units, 6) + "  " + x.why;
    if (!x.rule.empty()) out += " [" + x.rule + "]";
    out += "\n";
    if (!x.source.empty()) out += "            source: " + x.source + "\n";
    ids("installs", x.installs);
    ids("devices", x.devices);
    ids("licences", x.licences);
    ids("users", x.users);
  }
  return out + "\n";
}

}  // namespace

std::string format_claim_reply(const Claim& claim, const ClaimCheck& check, const Position& position,
                               const RulePack& pack) {
  std::string out = "Reply to the licence claim: position as of " + position.as_of.iso() + " (rule pack " +
                    position.rule_pack + ")\n\n";
  out += "Claim lines: " + std::to_string(check.lines.size()) + "; agreed " + str(check.agreed) + ", rejected " +
         str(check.rejected) + ", partly rejected " + str(check.partly_rejected) + ", under-claimed " +
         str(check.under_claimed) + ", cannot match " + str(check.cannot_match) + "\n\n";
  std::vector<std::vector<std::string>> rows{{"Line", "Product", "Unit", "Claimed", "Owed", "Difference", "Verdict"}};
  for (const ClaimLineCheck& c : check.lines) {
    const ClaimLine& l = claim.lines[c.line];
    const bool same = c.computed_metric == c.unit && c.verdict != ClaimVerdict::cannot_match;
    rows.push_back({l.id, l.matched ? pack.product_name(*l.matched) : l.product, std::string(name(c.unit)),
                    std::to_string(l.shortfall), same ? std::to_string(c.shortfall) : "0", std::to_string(c.difference),
                    std::string(name(c.verdict))});
  }
  std::vector<std::size_t> width(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t i = 0; i < r.size(); ++i) {
      const std::string pad(width[i] - r[i].size(), ' ');
      line += (i == 0 ? "" : "  ") + (i >= 3 && i <= 5 ? pad + r[i] : r[i] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += "\nLine by line\n\n";
  for (const ClaimLineCheck& c : check.lines) out += line_reply(claim.lines[c.line], c, pack);
  return out;
}

std::string format_claim_json(const Claim& claim, const ClaimCheck& check, const Position& position,
                              const RulePack& pack) {
  return format_sheets_json({lines_sheet(claim, check, pack), causes_sheet(claim, check)}, position);
}

Result<bool> write_claim_xlsx(const std::filesystem::path& path, const Claim& claim, const ClaimCheck& check,
                              const Position& position, const RulePack& pack) {
  return write_sheets_xlsx(path, {lines_sheet(claim, check, pack), causes_sheet(claim, check)}, position.as_of,
                           xlsx_max_rows);
}

}  // namespace trueup::report
