// SPDX-License-Identifier: BSL-1.0
// File: src/rulepack/combine.cpp
//
// Several rule packs used in one run (`--rules microsoft --rules oracle`): one `RulePack` that
// holds every pack's publishers, components and families, in load order. Each pack owns what it
// defines; a later pack may add recognition spellings to a publisher it names again, and may
// replace a family of an earlier pack only by saying so (`overlay = true`): two packs that both
// define a family id without it are an error naming both files, because a silently replaced
// family would change licensing outcomes without anyone having asked for it
// (docs/rule-packs.md "Several packs in one run").
//
// Invariant kept: every index a family holds (its publisher, `serves`) points into the combined
// pack; an overlay keeps the index of the family it replaces, so families of earlier packs that
// serve it still do.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trueup/io/rule_pack.hpp"

namespace trueup::io {

namespace {

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

class Combiner {
 public:
  explicit Combiner(RulePack first) : out_(std::move(first)) {
    for (std::size_t i = 0; i < out_.families.size(); ++i) defined_in_[out_.families[i].id] = out_.source;
  }

  void add(RulePack pack) {
    std::vector<std::uint16_t> publishers;
    for (auto& p : pack.publishers) publishers.push_back(publisher(std::move(p), pack.source));
    for (auto& c : pack.components) out_.components.push_back(std::move(c));
    std::vector<FamilyIndex::value_type> moved;  // the pack's family index -> the combined one
    for (auto& f : pack.families) moved.push_back(family(std::move(f), pack, publishers, moved));
    for (auto& origin : pack.packs) out_.packs.push_back(std::move(origin));
    out_.name += "+" + pack.name;
    out_.revision += "+" + pack.revision;
  }

  Result<RulePack> finish() && {
    if (!diags_.empty()) return std::move(diags_);
    return std::move(out_);
  }

 private:
  void error(const std::string& file, std::string code, std::string message) {
    diags_.push_back({Severity::error, file, 0, 0, std::move(code), std::move(message)});
  }

  // A publisher named again is the same publisher: it gains the later pack's aliases. A name
  // or alias that is already another publisher's would make recognition ambiguous.
  std::uint16_t publisher(Publisher p, const std::string& file) {
    const auto owner = [&](const std::string& spelling) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < out_.publishers.size(); ++i) {
        const Publisher& q = out_.publishers[i];
        if (q.name == spelling) return i;
        for (const auto& a : q.aliases)
          if (a == spelling) return i;
      }
      return std::nullopt;
    };
    std::optional<std::size_t> same;
    for (std::size_t i = 0; i < out_.publishers.size(); ++i)
      if (out_.publishers[i].name == p.name) same = i;
    for (const auto& spelling : p.aliases) {
      const auto o = owner(spelling);
      if (o && o != same)
        error(file, "duplicate-id",
              "expected publisher " + in_quotes(p.name) + "'s alias " + in_quotes(spelling) +
                  " to name no other publisher, found it naming " + in_quotes(out_.publishers[*o].name) +
                  " of an earlier pack");
    }
    if (!same) {
      if (const auto o = owner(p.name))
        error(file, "duplicate-id",
              "expected publisher " + in_quotes(p.name) + " to be no alias of another publisher, found an alias of " +
                  in_quotes(out_.publishers[*o].name) + " of an earlier pack");
      out_.publishers.push_back(std::move(p));
      return static_cast<std::uint16_t>(out_.publishers.size() - 1);
    }
    Publisher& q = out_.publishers[*same];
    for (auto& a : p.aliases)
      if (!owner(a)) q.aliases.push_back(std::move(a));
    return static_cast<std::uint16_t>(*same);
  }

  FamilyIndex::value_type family(Family f, const RulePack& pack, const std::vector<std::uint16_t>& publishers,
                                 const std::vector<FamilyIndex::value_type>& moved) {
    f.publisher = publishers.at(f.publisher);
    if (f.serves) f.serves = FamilyIndex{moved.at(f.serves->value)};  // declared earlier in its pack
    const std::optional<FamilyIndex> same = out_.find_family(f.id);
    if (same) {
      const std::string earlier = defined_in_[f.id];
      if (!f.overlay) {
        error(pack.source, "duplicate-family",
              "expected family " + in_quotes(f.id) + " to be defined once, found it in " + earlier + " and in " +
                  pack.source + " (write overlay = true in " + pack.source + "'s family to replace " + earlier + "'s)");
        return same->value;
      }
      defined_in_[f.id] = pack.source;
      out_.families[same->value] = std::move(f);
      return same->value;
    }
    if (f.overlay)
      error(pack.source, "bad-value",
            "expected family " + in_quotes(f.id) + " with overlay = true to replace a family of an earlier pack, " +
                "found none of that id");
    if (const auto named = out_.find_family(f.name))
      error(pack.source, "duplicate-id",
            "expected family name " + in_quotes(f.name) + " to be unique, found it already used by family " +
                in_quotes(out_.family(*named).id) + " of " + defined_in_[out_.family(*named).id]);
    defined_in_[f.id] = pack.source;
    out_.families.push_back(std::move(f));
    return static_cast<FamilyIndex::value_type>(out_.families.size() - 1);
  }

  RulePack out_;
  Diagnostics diags_;
  std::map<std::string, std::string> defined_in_;  // family id -> the file that defined it last
};

}  // namespace

Result<RulePack> combine_rule_packs(std::vector<RulePack> packs) {
  if (packs.empty())
    return Diagnostics{{Severity::error, {}, 0, 0, "unknown-rule-pack", "expected at least one rule pack, found none"}};
  Combiner c(std::move(packs.front()));
  for (std::size_t i = 1; i < packs.size(); ++i) c.add(std::move(packs[i]));
  return std::move(c).finish();
}

Result<RulePack> load_rule_packs(const std::vector<std::string>& paths_or_names,
                                 const std::vector<std::filesystem::path>& search) {
  std::vector<RulePack> packs;
  Diagnostics problems;
  for (const auto& p : paths_or_names) {
    auto pack = load_rule_pack(p, search);
    if (pack)
      packs.push_back(std::move(*pack));
    else
      problems.insert(problems.end(), pack.error().begin(), pack.error().end());
  }
  if (!problems.empty()) return problems;
  return combine_rule_packs(std::move(packs));
}

}  // namespace trueup::io
