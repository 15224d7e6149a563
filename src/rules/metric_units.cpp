// SPDX-License-Identifier: BSL-1.0
// File: src/rules/metric_units.cpp
//
// Licence units under a licensing model (rules/metric_units.hpp), with the arithmetic in words
// for the evidence.
#include "trueup/rules/metric_units.hpp"

#include <algorithm>
#include <vector>

#include "trueup/normalise/text.hpp"

namespace trueup::rules {

namespace {
std::string plural(Units n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A word of the model is in a series when it has the series' length and digits where the
// series has X ("62xx" matches "6234", not "623" or "6234a").
bool in_series(std::string_view model, const std::vector<std::string>& series) {
  if (series.empty()) return true;
  const auto matches = [](std::string_view word, std::string_view s) {
    if (word.size() != s.size()) return false;
    for (std::size_t k = 0; k < s.size(); ++k)
      if (s[k] == 'x' ? !(word[k] >= '0' && word[k] <= '9') : word[k] != s[k]) return false;
    return true;
  };
  std::size_t i = 0;
  while (i < model.size()) {
    const std::size_t j = std::min(model.find(' ', i), model.size());
    for (const auto& s : series)
      if (matches(model.substr(i, j - i), s)) return true;
    i = j + 1;
  }
  return false;
}

// The first row the model and the processors' cores satisfy; nullptr when none does.
const CoreFactor* factor_row(const LicensingTerms& terms, std::string_view cpu_model, Units cores_per_processor) {
  const std::string model = detail::normalise_words(cpu_model);
  for (const auto& row : terms.core_factors)
    if (cores_per_processor >= row.min_cores_per_processor &&
        detail::contains_words(model, detail::normalise_words(row.pattern)) && in_series(model, row.series))
      return &row;
  return nullptr;
}

std::string factor_text(const CoreFactor& row) {
  std::string label = row.pattern;
  for (std::size_t i = 0; i < row.series.size(); ++i) {
    std::string s = row.series[i];
    std::replace(s.begin(), s.end(), 'x', 'X');
    label += (i == 0 ? " " : "/") + s;
  }
  if (row.min_cores_per_processor > 0)
    label += ", " + std::to_string(row.min_cores_per_processor) + " or more cores per processor";
  return std::to_string(row.factor_percent / 100) + "." + std::to_string(row.factor_percent % 100 / 10) +
         (row.factor_percent % 10 != 0 ? std::to_string(row.factor_percent % 10) : "") + " (" + label + ")";
}

std::string no_listed_model(std::string_view cpu_model) {
  return cpu_model.empty() ? std::string("no CPU model to look up in the core factor table")
                           : "CPU model \"" + std::string(cpu_model) + "\" is in no row of the core factor table";
}

// The Processor metric with a core factor table (§13 ORACLE, Oracle Processor Core Factor
// Table): every physical core times the factor of the first row the CPU model matches, the
// product rounded up once per server ("2 x 16 x 0.5 = 16 Processors"). A model that matches no
// row is never given a factor: the unfactored cores, flagged for review.
UnitCount factored_processors(const LicensingTerms& terms, Units processors, std::uint32_t cores,
                              std::string_view cpu_model) {
  const Units c = std::max<Units>(cores, 1);
  if (const CoreFactor* row = factor_row(terms, cpu_model, c / processors)) {
    const Units n = std::max<Units>(1, (c * row->factor_percent + 99) / 100);
    return {n, plural(c, "physical core", "physical cores") + " x core factor " + factor_text(*row) +
                   ", rounded up → " + plural(n, "processor licence", "processor licences")};
  }
  return {c,
          no_listed_model(cpu_model) + ": its " + plural(c, "physical core", "physical cores") +
              " need a listed model (cpu_model in devices.csv) before they are counted",
          true};
}

// A core factor row other than 1 that a server of these cores per processor could fall under.
bool factor_could_apply(const LicensingTerms& terms, Units cores_per_processor) {
  return std::any_of(terms.core_factors.begin(), terms.core_factors.end(), [&](const CoreFactor& row) {
    return row.factor_percent != 100 && cores_per_processor >= row.min_cores_per_processor;
  });
}

// The per-core metric of a physical server, its cores first multiplied by the core factor where
// the terms have a table (SQL7: "Multiply cores by factor, round up, minimum 4 per processor"),
// then the minimums (SQL1, WS2, WS3).
// A VM's virtual cores are never factored (SQL7: physical cores only), nor a server of unknown
// processors or cores (`hardware_known` false): the rows ask for cores per processor.
UnitCount physical_cores(const LicensingTerms& terms, Units p, Units c, bool virtual_machine, bool hardware_known,
                         std::string_view cpu_model) {
  std::string why = plural(p, "processor", "processors") + ", " + plural(c, "physical core", "physical cores");
  Units counted = c;
  bool unknown = false;
  if (!terms.core_factors.empty() && !virtual_machine && hardware_known) {
    const Units per_processor = c / p;
    if (const CoreFactor* row = factor_row(terms, cpu_model, per_processor)) {
      counted = (c * row->factor_percent + 99) / 100;
      if (row->factor_percent != 100)
        why += " x core factor " + factor_text(*row) + ", rounded up → " + std::to_string(counted);
    } else if (factor_could_apply(terms, per_processor)) {
      unknown = true;
      why = no_listed_model(cpu_model) + ", and a core factor other than 1 could apply to its " +
            plural(per_processor, "core", "cores") + " per processor: its " +
            plural(c, "physical core", "physical cores") +
            " need a listed model (cpu_model in devices.csv) before they are counted";
    }
  }
  const Units per_proc = p * terms.core_minimum_per_processor;
  // At least one unit: terms without minimums and a server of unknown cores still need one.
  const Units n = std::max({Units{1}, counted, per_proc, static_cast<Units>(terms.core_minimum_per_server)});
  if (unknown) return {n, why, true};
  // Every core after the same minimums: the count of terms without the factor (G4, D6).
  const Units every_core = std::max({Units{1}, c, per_proc, static_cast<Units>(terms.core_minimum_per_server)});
  if (terms.core_minimum_per_processor > 0)
    why += ", at least " + std::to_string(terms.core_minimum_per_processor) + " per processor";
  if (terms.core_minimum_per_server > 0)
    why += ", at least " + std::to_string(terms.core_minimum_per_server) + " per server";
  return {n, why + " → " + plural(n, "core licence", "core licences"), false, false, every_core > n ? every_core : 0};
}
}  // namespace

UnitCount units_for(const LicensingTerms* terms, std::uint32_t processors, std::uint32_t cores, bool virtual_machine,
                    std::string_view cpu_model) {
  if (terms == nullptr) return {1, "one licence per device"};
  const Units p = std::max<Units>(processors, 1);
  switch (terms->metric) {
    case Metric::device: return {1, "one licence per device"};
    case Metric::server: return {1, "one licence per server"};
    case Metric::user: return {1, "one licence per user"};
    case Metric::user_cal: return {1, "one CAL per user"};
    case Metric::device_cal: return {1, "one CAL per device"};
    case Metric::processor: {
      // §13 ORACLE, Standard Edition 2: licensable only on servers of at most 2 sockets.
      if (!virtual_machine && terms->socket_limit > 0 && p > terms->socket_limit)
        return {p,
                plural(p, "occupied socket", "occupied sockets") + ": " + terms->name +
                    " licences serve servers of at most " + plural(terms->socket_limit, "socket", "sockets") +
                    ", so this server cannot be licensed under them whatever their number",
                false, true};
      if (!terms->core_factors.empty()) return factored_processors(*terms, p, cores, cpu_model);
      const Units per = std::max<Units>(terms->processors_per_licence, 1);
      const Units n = (p + per - 1) / per;
      return {n, plural(p, "processor", "processors") +
                     (per > 1 ? ", " + std::to_string(per) + " per licence" : std::string()) + " → " +
                     plural(n, "processor licence", "processor licences")};
    }
    case Metric::core: {
      const Units c = cores;
      if (virtual_machine && terms->core_minimum_per_vm > 0) {
        const Units n = std::max<Units>(terms->core_minimum_per_vm, c);
        return {n, plural(c, "virtual core", "virtual cores") + ", at least " +
                       std::to_string(terms->core_minimum_per_vm) + " per VM → " +
                       plural(n, "core licence", "core licences")};
      }
      return physical_cores(*terms, p, c, virtual_machine, processors > 0 && cores > 0, cpu_model);
    }
  }
  return {1, "one licence"};
}

UnitCount host_units(const LicensingTerms& terms, std::uint32_t processors, std::uint32_t cores, std::uint32_t oses,
                     bool host_also) {
  UnitCount base = units_for(&terms, processors, cores, false);
  Units counted = oses;
  std::string what = plural(counted, "OSE", "OSEs");
  if (host_also && terms.physical_ose_counts) {
    ++counted;
    what = plural(oses, "virtual OSE", "virtual OSEs") + " and the physical one → " + plural(counted, "OSE", "OSEs");
  }
  if (terms.oses_per_licence == 0) {
    base.why += "; " + what + ", unlimited OSEs";
    return base;
  }
  const Units per = terms.oses_per_licence;
  const Units for_oses = std::max<Units>(1, (counted + per - 1) / per);
  if (terms.stacking == OseStacking::per_licence) {
    // Each licence carries its own OSEs (W12-2): as many licences as the processors need or
    // the OSEs need, whichever is more (W12-4).
    base.why += "; " + what + " at " + std::to_string(per) + " per licence";
    if (for_oses > base.units)
      base.why += " → " + plural(for_oses, "licence", "licences") + " for the OSEs, more than the " +
                  std::to_string(base.units) + " the processors need";
    base.units = std::max(base.units, for_oses);
    return base;
  }
  base.why += "; " + what + " at " + std::to_string(per) + " per licensing";
  if (for_oses > 1) base.why += " → ×" + std::to_string(for_oses) + " = " + std::to_string(base.units * for_oses);
  base.units *= for_oses;
  return base;
}

}  // namespace trueup::rules
