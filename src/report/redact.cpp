// SPDX-License-Identifier: BSL-1.0
// File: src/report/redact.cpp
//
// redact() (trueup/report/redact.hpp): first every identifier of the fleet and the position is
// given its pseudonym (devices, host names, users, licences, references), then every field that
// holds one is replaced, and every free text is rewritten token by token: a token is a maximal
// run of the characters identifiers are made of, looked up whole (and without a trailing full
// stop); identifiers holding other characters (a user name with a space) are replaced as
// substrings. Both passes see the same map, so a text names a device exactly as its row does.
#include "trueup/report/redact.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "trueup/check.hpp"

namespace trueup::report {

std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view message) {
  std::array<std::uint8_t, 32> out{};
  unsigned int size = 0;
  const unsigned char* done =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out.data(), &size);
  TRUEUP_CHECK(done != nullptr && size == out.size(), "HMAC-SHA-256 failed in libcrypto");
  return out;
}

namespace {

bool token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '@' || c == '\\' || c == '$';
}

class Pseudonyms {
 public:
  explicit Pseudonyms(std::string_view secret) : secret_(secret) {
    TRUEUP_CHECK(secret.size() >= min_secret_bytes, "a redaction secret of at least 16 bytes");
  }

  /// The pseudonym of `original` of `kind` ("device", "user", "licence", "reference").
  const std::string& of(const std::string& kind, const std::string& original) {
    const auto key = std::make_pair(kind, original);
    if (auto it = given_.find(key); it != given_.end()) return it->second;
    static constexpr char hex[] = "0123456789abcdef";
    const auto mac = hmac_sha256(secret_, kind + ":" + original);
    std::string p = kind == "device" ? "dev-" : kind == "user" ? "usr-" : kind == "licence" ? "lic-" : "ref-";
    for (std::size_t i = 0; i < pseudonym_digits / 2; ++i) {
      p += hex[mac[i] >> 4];
      p += hex[mac[i] & 0xF];
    }
    TRUEUP_CHECK(taken_.emplace(p, original).first->second == original,
                 "two " + kind + " identifiers with one pseudonym: redact with another secret");
    map_.push_back({kind, p, original});
    remember(original, p);
    return given_.emplace(key, std::move(p)).first->second;
  }
  /// `alias` (a host name) is written as `pseudonym` wherever a text names it.
  void alias(const std::string& alias, const std::string& pseudonym) {
    if (!alias.empty()) remember(alias, pseudonym);
  }

  /// `s` with every identifier replaced by its pseudonym.
  [[nodiscard]] std::string text(const std::string& s) const {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
      if (!token_char(s[i])) {
        out += s[i++];
        continue;
      }
      std::size_t end = i;
      while (end < s.size() && token_char(s[end])) ++end;
      std::size_t stop = end;  // the token without trailing full stops
      while (stop > i && s[stop - 1] == '.') --stop;
      const auto it = texts_.find(s.substr(i, stop - i));
      out += it != texts_.end() ? it->second : s.substr(i, stop - i);
      out.append(s, stop, end - stop);
      i = end;
    }
    for (const auto& [original, pseudonym] : spaced_)
      for (std::size_t at = out.find(original); at != std::string::npos; at = out.find(original, at))
        out.replace(at, original.size(), pseudonym);
    return out;
  }

  [[nodiscard]] std::vector<RedactionEntry> map() const {
    auto m = map_;
    std::sort(m.begin(), m.end(), [](const RedactionEntry& a, const RedactionEntry& b) {
      return std::tie(a.kind, a.pseudonym) < std::tie(b.kind, b.pseudonym);
    });
    return m;
  }

 private:
  std::string secret_;
  std::map<std::pair<std::string, std::string>, std::string> given_;
  std::unordered_map<std::string, std::string> taken_;  // pseudonym -> original
  std::unordered_map<std::string, std::string> texts_;  // original (or alias) -> pseudonym
  /// The entries of texts_ that are not one token (a name with a space), longest first:
  /// `text` searches each text for them. Kept apart so that a text costs its length
  /// plus these few, not every identifier of the fleet (at 1M installs, 600k of them).
  std::vector<std::pair<std::string, std::string>> spaced_;

  void remember(const std::string& original, const std::string& pseudonym) {
    if (texts_.emplace(original, pseudonym).second && !std::all_of(original.begin(), original.end(), token_char)) {
      // Longest first, then by bytes: a name inside a longer one ("Ann Lee" in "Ann Lee Smith")
      // is never replaced first, which would leave part of the longer name in the text, and
      // the result does not depend on the order the identifiers were met in.
      const auto before = [](const auto& a, const auto& b) {
        return a.first.size() != b.first.size() ? a.first.size() > b.first.size() : a.first < b.first;
      };
      std::pair<std::string, std::string> entry(original, pseudonym);
      spaced_.insert(std::upper_bound(spaced_.begin(), spaced_.end(), entry, before), std::move(entry));
    }
  }
  std::vector<RedactionEntry> map_;
};

std::string user_or_empty(Pseudonyms& p, const std::string& user) { return user.empty() ? user : p.of("user", user); }

/// Gives every identifier its pseudonym, in the fleet's order, and replaces the fleet's fields.
void redact_fleet(Fleet& f, Pseudonyms& p) {
  for (Device& d : f.devices) {
    d.id = p.of("device", d.id);
    p.alias(d.hostname, d.id);
    d.hostname.clear();
  }
  for (Device& d : f.devices) {
    d.primary_user = user_or_empty(p, d.primary_user);
    if (!d.host.empty()) d.host = p.of("device", d.host);
  }
  for (Entitlement& e : f.entitlements) {
    e.id = p.of("licence", e.id);
    if (!e.reference.empty()) e.reference = p.of("reference", e.reference);
  }
  for (Access& a : f.access) a.user = user_or_empty(p, a.user);
  for (LicenceAssignment& a : f.assignments) {
    a.licence = p.of("licence", a.licence);
    if (!a.device.empty()) a.device = p.of("device", a.device);
    a.user = user_or_empty(p, a.user);
  }
}

}  // namespace

Redacted redact(const Position& position, const Fleet& fleet, std::string_view secret) {
  Pseudonyms p(secret);
  Redacted r{fleet, position, {}};
  // Identifiers first, so that every text below sees the whole map.
  redact_fleet(r.fleet, p);
  for (UserPosition& u : r.position.users) u.user = p.of("user", u.user);
  for (CalPosition& c : r.position.cals) c.holder = p.of(c.metric == Metric::user_cal ? "user" : "device", c.holder);
  for (LicenceAssignment& a : r.position.assignments) {
    a.licence = p.of("licence", a.licence);
    if (!a.device.empty()) a.device = p.of("device", a.device);
    a.user = user_or_empty(p, a.user);
  }
  for (InstallVerdict& v : r.position.installs) {
    v.reason = p.text(v.reason);
    for (RuleStep& s : v.evidence) s.text = p.text(s.text);
  }
  for (EntitlementUse& u : r.position.entitlements) {
    u.reason = p.text(u.reason);
    u.note = p.text(u.note);
  }
  for (ServerPosition& s : r.position.servers) s.why = p.text(s.why);
  for (Diagnostic& d : r.position.warnings) d.message = p.text(d.message);
  r.map = p.map();
  return r;
}

std::string format_redaction_map(const std::vector<RedactionEntry>& map) {
  auto field = [](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  std::string out = "kind,pseudonym,original\n";
  for (const RedactionEntry& e : map) out += e.kind + "," + e.pseudonym + "," + field(e.original) + "\n";
  return out;
}

}  // namespace trueup::report
