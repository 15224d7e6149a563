// SPDX-License-Identifier: BSL-1.0
// File: src/normalise/recognise.cpp
//
// Recognition (normalise/recognise.hpp): the pack's patterns normalised once into words, then
// each distinct row matched against them, in the header's order of rules.
#include "trueup/normalise/recognise.hpp"

#include "trueup/normalise/text.hpp"

namespace trueup {
namespace {

/// Index of the longest whole-word match among groups of alternatives; -1 if none.
int longest(std::string_view t, const std::vector<std::vector<std::string>>& groups) {
  int best = -1;
  std::size_t best_len = 0;
  for (std::size_t i = 0; i < groups.size(); ++i)
    for (const auto& w : groups[i])
      if (w.size() > best_len && detail::contains_words(t, w)) {
        best = static_cast<int>(i);
        best_len = w.size();
      }
  return best;
}

}  // namespace

Recogniser::Recogniser(const RulePack& pack) : pack_(pack) {
  for (const auto& c : pack.components) components_.push_back({detail::normalise_words(c.pattern), c.reason});
  for (const auto& publisher : pack.publishers) {
    publishers_.push_back(detail::normalise_words(publisher.name));
    for (const auto& a : publisher.aliases) publishers_.push_back(detail::normalise_words(a));
  }
  for (const auto& f : pack.families) {
    FamilyWords fw;
    for (const auto& m : f.match) fw.match.push_back(detail::normalise_words(m));
    for (const auto& x : f.exclude) fw.exclude.push_back(detail::normalise_words(x));
    for (const auto& r : f.review) fw.review.push_back(detail::normalise_words(r.pattern));
    for (const auto& v : f.versions) {
      std::vector<std::string> toks;
      for (const auto& t : v.tokens) toks.push_back(detail::normalise_words(t));
      fw.versions.push_back(std::move(toks));
    }
    for (const auto& e : f.editions) {
      std::vector<std::string> names{detail::normalise_words(e.name)};
      for (const auto& a : e.aliases) names.push_back(detail::normalise_words(a));
      fw.editions.push_back(std::move(names));
    }
    families_.push_back(std::move(fw));
  }
}

const Recognition& Recogniser::recognise(std::string_view title, std::string_view publisher, std::string_view version) {
  // The key is built in a buffer kept between calls.
  key_.clear();
  key_.append(title).push_back('\x1f');
  key_.append(publisher).push_back('\x1f');
  key_.append(version);
  auto it = cache_.find(key_);
  if (it == cache_.end()) it = cache_.emplace(key_, compute(title, publisher, version)).first;
  return it->second;
}

Recognition Recogniser::compute(std::string_view title, std::string_view publisher, std::string_view version) const {
  using K = Recognition::Kind;
  const std::string t = detail::normalise_words(title);
  for (const auto& [pattern, reason] : components_)
    if (detail::contains_words(t, pattern)) return {K::component, {}, reason, Recognition::Open::none, {}};
  bool ours = publisher.empty();
  if (!ours) {
    const std::string p = detail::normalise_words(publisher);
    for (const auto& w : publishers_) ours = ours || p == w;
  }
  Recognition r = match(t, version, publisher.empty());
  if (ours) return r;
  // A publisher spelling the pack does not know: another publisher's product, unless the
  // title names a whole product of the pack (family, version and edition), which is doubtful
  // either way and needs a decision (a variant spelling of Microsoft's name, or a repackager).
  if (r.kind == K::product)
    return {K::needs_review, r.product,
            "the title reads as " + pack_.product_name(r.product) + ", but the publisher \"" + std::string(publisher) +
                "\" is not a spelling rule pack " + pack_.name +
                " knows for its publishers: if it is one of them, add it as an alias (an overlay pack); if not, the "
                "row is another publisher's product",
            Recognition::Open::publisher, r.product.family};
  return {K::other_publisher,
          {},
          "publisher \"" + std::string(publisher) + "\" is not licensed by rule pack " + pack_.name,
          Recognition::Open::none,
          {}};
}

Recognition Recogniser::match(std::string_view t, std::string_view version, bool no_publisher) const {
  using K = Recognition::Kind;
  int family = -1;
  std::size_t family_len = 0;
  for (std::size_t f = 0; f < families_.size(); ++f) {
    bool excluded = false;
    for (const auto& x : families_[f].exclude) excluded = excluded || detail::contains_words(t, x);
    if (excluded) continue;
    for (const auto& m : families_[f].match)
      if (m.size() > family_len && detail::contains_words(t, m)) {
        family = static_cast<int>(f);
        family_len = m.size();
      }
  }
  if (family < 0) {
    if (no_publisher)
      return {K::other_publisher,
              {},
              "title matches no product family of rule pack " + pack_.name + " and names no publisher",
              Recognition::Open::none,
              {}};
    return {K::unrecognised,
            {},
            "no product family of rule pack " + pack_.name + " matches this title",
            Recognition::Open::none,
            {}};
  }
  const auto& fw = families_[static_cast<std::size_t>(family)];
  const FamilyIndex fi{static_cast<FamilyIndex::value_type>(family)};
  using O = Recognition::Open;
  const Family& f = pack_.families[static_cast<std::size_t>(family)];
  static const std::string decide =
      "other evidence (the licence channel, the instance's edition) decides, or an overlay pack's alias";

  int v = longest(t, fw.versions);
  if (v < 0 && !version.empty()) {
    int hits = 0;
    for (std::size_t i = 0; i < f.versions.size(); ++i) {
      const std::string& b = f.versions[i].build;
      if (!b.empty() && version.substr(0, b.size()) == b && (version.size() == b.size() || version[b.size()] == '.')) {
        v = static_cast<int>(i);
        ++hits;
      }
    }
    // A title of a licensable family whose version or edition the row does not decide is a
    // decision for a person (issue "real inventories": nothing doubtful in a reassuring bucket):
    // guessing would guess a licence, and calling it unrecognised would hide a demand.
    if (hits > 1)
      return {K::needs_review,
              {},
              f.name + " version string " + std::string(version) +
                  " is shared by several versions and the title names none: " + decide,
              O::version,
              fi};
  }
  if (v < 0) return {K::needs_review, {}, f.name + ": the title names no known version: " + decide, O::version, fi};
  for (std::size_t i = 0; i < fw.review.size(); ++i)
    if (detail::contains_words(t, fw.review[i]))
      return {K::needs_review, {}, f.name + ": " + f.review[i].reason + " (" + f.review[i].source + ")", O::use, fi};

  const int e = longest(t, fw.editions);
  if (e < 0) return {K::needs_review, {}, f.name + ": the title names no known edition: " + decide, O::edition, fi};

  return {K::product,
          ProductRef{FamilyIndex{static_cast<FamilyIndex::value_type>(family)}, static_cast<std::uint16_t>(v),
                     static_cast<std::uint16_t>(e)},
          {},
          Recognition::Open::none,
          {}};
}

}  // namespace trueup
