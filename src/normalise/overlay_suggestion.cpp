// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/overlay_suggestion.cpp
//
// overlay_suggestion() (overlay_suggestion.hpp): the text of each kind of decision. Every line
// starts with "# " (or is "#"), which overlay_suggestion_test checks on every kind: the
// suggestion is inert until a person uncomments an alternative.
#include "overlay_suggestion.hpp"

#include <cstdio>

namespace trueup::detail {

namespace {

/// "a, b or c".
std::string choices(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

/// A rule pack's text on one comment line: a line break in it would end the comment, and what
/// follows would be live TOML when pasted.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out;
}

/// The alternative that excludes the rows: a component pattern on the title, with the reason
/// left to write (the loader rejects an empty one). A pattern matches its words in any title
/// (docs/rule-packs.md), so the suggestion says so: a longer, licensable title would leave too.
std::string component(std::string_view title, std::string_view when) {
  return "# " + std::string(when) + ":\n# uncomment and write why in reason (shown with each row):\n" +
         "# [[component]]\n# pattern = " + toml_string(title) + "\n# reason = \"\"\n" +
         "# (a pattern matches these words inside any longer title too, from any publisher: run the review\n"
         "# again after adding it and check that no licensable title left the recognised groups)\n";
}

std::string row(std::string_view title, std::string_view publisher) {
  return publisher.empty() ? toml_string(title) : toml_string(title) + " (publisher " + toml_string(publisher) + ")";
}

std::string version_choice(const Family& f, std::string_view version) {
  std::vector<std::string> names;
  for (const VersionSpec& v : f.versions) {
    const std::string& b = v.build;
    const bool shares_build =
        !b.empty() && version.substr(0, b.size()) == b && (version.size() == b.size() || version[b.size()] == '.');
    if (shares_build) names.push_back(v.name);
  }
  if (names.size() < 2) {  // the title names no version and the build decides none
    names.clear();
    for (const VersionSpec& v : f.versions) names.push_back(v.name);
  }
  return "version, one of " + choices(names);
}

}  // namespace

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\')
      out += std::string("\\") + c;
    else if (u < 0x20 || u == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned>(u));
      out += escaped;
    } else
      out += c;
  }
  return out + "\"";
}

std::string overlay_suggestion(const RulePack& pack, const Recognition& r, std::string_view title,
                               std::string_view publisher, std::string_view version) {
  using K = Recognition::Kind;
  using O = Recognition::Open;
  if (r.kind == K::unrecognised)
    return "# Decide what " + row(title, publisher) + " is.\n" +
           component(title, "If it needs no licence of its own (a free app, a part of a licensed product)") +
           "# If it is licensable, it needs a [[family]] of its own (docs/rule-packs.md): until then its rows\n"
           "# stay unrecognised.\n";
  if (r.kind != K::needs_review) return {};
  if (r.open == O::publisher) {
    const Publisher& owner = pack.publishers.at(pack.family(r.product.family).publisher);
    return "# Decide whose spelling the publisher " + toml_string(publisher) + " is (the title " + toml_string(title) +
           " reads as " + pack.product_name(r.product) + ").\n# If it is " + owner.name +
           "'s, uncomment:\n# [[publisher]]\n# name = " + toml_string(owner.name) + "\n# aliases = [" +
           toml_string(publisher) +
           "]\n# If another vendor published it (a repackager), leave this commented: the rows stay in review.\n";
  }
  if (!r.family.valid()) return {};  // every other review names its family (recognise.cpp)
  const Family& f = pack.family(r.family);
  std::string out;
  if (r.open == O::use) {
    out = "# Decide how the copies " + row(title, publisher) + " are used: " + one_line(r.reason) + ".\n";
    out += component(title, "If every copy is only evaluated or tested, never used in production");
    return out + "# If any copy serves production, leave this commented: it needs its edition's licence.\n";
  }
  std::vector<std::string> editions;
  for (const EditionSpec& e : f.editions) editions.push_back(e.name);
  const std::string choice = r.open == O::version ? version_choice(f, version) : "edition, one of " + choices(editions);
  out = "# Decide which " + one_line(f.name) + " " + row(title, publisher) + " is: its " + one_line(choice) +
        ".\n# The title does not say. A pack says it only by an alias in family \"" + one_line(f.id) +
        "\" restated whole\n"
        "# (overlay = true), which decides every title with the alias's words. Evidence that states it\n"
        "# decides this row: another source's row for the same copy (SQL Server: the instance's, an\n"
        "# `mssql:` source), the licence channel (Click-to-Run or MSI, volume or retail).\n";
  out += component(title,
                   "If each of its devices has the product's own row besides this one (an entry its setup\n"
                   "# writes, such as SQL Server's shared features, licensed with that product)");
  return out + "# Otherwise leave this commented: the rows stay in review, never counted as a guessed " +
         (r.open == O::version ? "version" : "edition") + ".\n";
}

std::string environment_suggestion(const std::string& product_name) {
  return "# Not a rule-pack decision: " + one_line(product_name) +
         " is free outside production and licensed in production\n"
         "# (licensing-rules SQL10). State each device's environment in devices.csv (column\n"
         "# `environment`: production or non-production); the rows stay in review until then.\n";
}

}  // namespace trueup::detail
