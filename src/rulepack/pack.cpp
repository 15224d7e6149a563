// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/pack.cpp
//
// The rule-pack loader: TOML text (docs/rule-packs.md) to a `RulePack`. toml++ checks the
// syntax; the Loader (loader.hpp) checks everything else and reports *every* problem at once,
// each at the line and column of the offending key or value, with a stable code. A pack is data
// that decides licensing outcomes, so the loader is strict: an unknown key is an error, every
// downgrade and down-edition right must say where it is granted, and every name a right refers
// to must exist. Only a pack that passes every check is returned; it then satisfies the
// invariants of model/catalog.hpp (versions in release order, every index in range).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "loader.hpp"
#include "trueup/io/rule_pack.hpp"

namespace trueup::io::loading {

RulePack Loader::read(const toml::table& root) {
  RulePack pack;
  check_keys(root, "the top level", {"pack", "publisher", "component", "family"});
  read_pack(root, pack);
  for (const toml::table* t : tables(root, "publisher")) read_publisher(*t, pack);
  for (const toml::table* t : tables(root, "component")) read_component(*t, pack);
  for (const toml::table* t : tables(root, "family")) read_family(*t, pack);
  return pack;
}

Diagnostics Loader::diagnostics() && {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  return std::move(diags_);
}

void Loader::read_pack(const toml::table& root, RulePack& pack) {
  const toml::node* n = root.get("pack");
  if (n == nullptr) {
    report({}, "missing-key", "expected table [pack], found none");
    return;
  }
  const auto* t = n->as_table();
  if (t == nullptr) {
    bad_type(*n, "a table ([pack])");
    return;
  }
  check_keys(*t, "[pack]", {"name", "revision", "description"});
  if (auto s = required_string(*t, "name", "[pack]")) pack.name = s->text;
  if (auto s = required_string(*t, "revision", "[pack]")) pack.revision = s->text;
  (void)optional_string(*t, "description");  // documentation only: checked, not kept
}

}  // namespace trueup::io::loading

namespace trueup::io {

using loading::join;
using loading::Loader;
using loading::quote;

namespace {

// "Error while parsing key-value pair: ..." -> "an error while parsing key-value pair: ...".
std::string syntax_message(std::string_view description) {
  constexpr std::string_view prefix = "Error ";
  if (description.substr(0, prefix.size()) == prefix)
    return "expected valid TOML, found an error " + std::string(description.substr(prefix.size()));
  return "expected valid TOML, found " + std::string(description);
}

Result<RulePack> load_file(const std::filesystem::path& path, const std::string& report_as) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Diagnostics{
        {Severity::error, report_as, 0, 0, "unreadable-file", "expected a rule-pack file, found a directory"}};
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad())
    return Diagnostics{{Severity::error, report_as, 0, 0, "unreadable-file",
                        std::filesystem::exists(path, ec)
                            ? "expected a readable rule-pack file, found one that cannot be read"
                            : "expected a rule-pack file, found no such file"}};
  auto pack = parse_rule_pack(text.str(), report_as);
  if (pack) pack->source = pack->packs.front().source = path.string();
  return pack;
}

}  // namespace

Result<RulePack> parse_rule_pack(std::string_view toml, const std::string& source_name) {
  toml::table root;
  try {
    root = toml::parse(toml, std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    return Diagnostics{{Severity::error, source_name, e.source().begin.line, e.source().begin.column, "toml-syntax",
                        syntax_message(e.description())}};
  }
  Loader loader(source_name);
  RulePack pack = loader.read(root);
  Diagnostics ds = std::move(loader).diagnostics();
  if (!ds.empty()) return ds;
  pack.source = source_name;
  pack.packs = {{pack.name, pack.revision, pack.source}};
  return pack;
}

Result<RulePack> load_rule_pack(const std::string& path_or_name, const std::vector<std::filesystem::path>& search) {
  const std::string_view ext = ".toml";
  const bool is_path = path_or_name.find('/') != std::string::npos ||
                       (path_or_name.size() >= ext.size() &&
                        std::string_view(path_or_name).substr(path_or_name.size() - ext.size()) == ext);
  if (is_path) return load_file(path_or_name, path_or_name);

  // A shipped pack by name: $TRUEUP_RULES_PATH (':'-separated, first match wins), then the
  // application's own directories, then the installed share/trueup/rules/.
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("TRUEUP_RULES_PATH")) {
    std::string_view rest = env;
    while (!rest.empty()) {
      const auto colon = rest.find(':');
      const std::string_view dir = rest.substr(0, colon);
      if (!dir.empty()) dirs.emplace_back(dir);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  for (const auto& dir : search) dirs.push_back(dir.string());
  dirs.emplace_back(TRUEUP_RULES_INSTALL_DIR);

  const std::string file = path_or_name + std::string(ext);
  for (const auto& dir : dirs) {
    const std::filesystem::path candidate = std::filesystem::path(dir) / file;
    std::error_code ec;
    if (!path_or_name.empty() && std::filesystem::is_regular_file(candidate, ec)) return load_file(candidate, file);
  }
  return Diagnostics{{Severity::error, file, 0, 0, "unknown-rule-pack",
                      "expected a rule pack named " + quote(path_or_name) + " (" + file + " in " + join(dirs, ", ") +
                          "), found none"}};
}

}  // namespace trueup::io
