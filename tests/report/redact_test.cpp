// SPDX-License-Identifier: BSL-1.0
// File: tests/report/redact_test.cpp
//
// The redacted position (trueup/report/redact.hpp): HMAC-SHA-256 against the RFC 4231 test
// vectors; on the sample fleet, the same secret gives byte-identical JSON and table, another
// secret other pseudonyms, no device id, host name, user, licence id or reference of the fleet
// appears anywhere in the redacted JSON, table or map's pseudonyms, and the totals are the
// unredacted run's.
#include "trueup/report/redact.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <tuple>

#include "support/fleet_fixture.hpp"
#include "trueup/check.hpp"
#include "trueup/io/writers.hpp"

namespace trueup {
namespace {

std::string hex(const std::array<std::uint8_t, 32>& mac) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t b : mac) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

// RFC 4231 section 4: test cases 1-4, 6 and 7 (5 is a truncated output).
TEST(HmacSha256, MatchesTheRfc4231TestVectors) {
  const std::string key131(131, '\xaa');
  EXPECT_EQ(hex(report::hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(report::hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(report::hmac_sha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4 += c;
  EXPECT_EQ(hex(report::hmac_sha256(key4, std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  EXPECT_EQ(hex(report::hmac_sha256(key131, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(report::hmac_sha256(key131,
                                    "This is a test using a larger than block-size key and a larger than block-size "
                                    "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

constexpr std::string_view secret = "correct horse battery staple";

struct Outputs {
  std::string json, table, map;
};

Outputs redacted_outputs(std::string_view key) {
  const auto& sample = test::contoso_sample();
  const report::Redacted r = report::redact(sample.position, sample.fleet, key);
  return {io::format_json(r.position, test::microsoft_pack(), r.fleet),
          io::format_table(r.position, test::microsoft_pack(), r.fleet), report::format_redaction_map(r.map)};
}

TEST(Redaction, TheSameSecretGivesTheSameOutputAndAnotherOtherPseudonyms) {
  const Outputs a = redacted_outputs(secret), b = redacted_outputs(secret);
  EXPECT_EQ(a.json, b.json);
  EXPECT_EQ(a.map, b.map);
  const Outputs c = redacted_outputs("another secret of enough bytes");
  EXPECT_NE(a.json, c.json);
  const auto& sample = test::contoso_sample();
  const report::Redacted r1 = report::redact(sample.position, sample.fleet, secret);
  const report::Redacted r2 = report::redact(sample.position, sample.fleet, "another secret of enough bytes");
  ASSERT_EQ(r1.fleet.devices.size(), r2.fleet.devices.size());
  for (std::size_t d = 0; d < r1.fleet.devices.size(); ++d) {
    EXPECT_THAT(r1.fleet.devices[d].id, testing::StartsWith("dev-"));
    EXPECT_EQ(r1.fleet.devices[d].id.size(), 4 + report::pseudonym_digits);
    EXPECT_NE(r1.fleet.devices[d].id, r2.fleet.devices[d].id);
  }
}

TEST(Redaction, NoIdentifierOfTheSampleFleetAppearsInTheRedactedReport) {
  const auto& sample = test::contoso_sample();
  std::set<std::string> originals;
  for (const Device& d : sample.fleet.devices) {
    originals.insert(d.id);
    if (!d.hostname.empty()) originals.insert(d.hostname);
    if (!d.primary_user.empty()) originals.insert(d.primary_user);
  }
  for (const Entitlement& e : sample.fleet.entitlements) {
    originals.insert(e.id);
    if (!e.reference.empty()) originals.insert(e.reference);
  }
  for (const Access& a : sample.fleet.access)
    if (!a.user.empty()) originals.insert(a.user);
  ASSERT_GT(originals.size(), 400U);
  const Outputs out = redacted_outputs(secret);
  // An identifier is found when it stands alone: "user1" inside "user10" is not a leak.
  auto stands_alone = [](const std::string& text, const std::string& id) {
    auto id_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_'; };
    for (std::size_t at = text.find(id); at != std::string::npos; at = text.find(id, at + 1))
      if ((at == 0 || !id_char(text[at - 1])) && (at + id.size() == text.size() || !id_char(text[at + id.size()])))
        return true;
    return false;
  };
  for (const std::string& id : originals) {
    EXPECT_FALSE(stands_alone(out.json, id)) << id << " in the redacted JSON";
    EXPECT_FALSE(stands_alone(out.table, id)) << id << " in the redacted table";
  }
  // The map holds them all, for the user.
  for (const std::string& id : originals) {
    if (id.find('.') == std::string::npos) {
      EXPECT_TRUE(stands_alone(out.map, id)) << id << " missing from the map";
    }
  }
}

TEST(Redaction, TheTotalsAreTheUnredactedRunsAndTheMapIsSorted) {
  const auto& sample = test::contoso_sample();
  const report::Redacted r = report::redact(sample.position, sample.fleet, secret);
  EXPECT_EQ(r.position.totals.installs, sample.position.totals.installs);
  EXPECT_EQ(r.position.totals.shortfall, sample.position.totals.shortfall);
  EXPECT_EQ(r.position.totals.true_up_cost.str(), sample.position.totals.true_up_cost.str());
  const std::string plain = io::format_table(sample.position, test::microsoft_pack(), sample.fleet);
  const std::string redacted = io::format_table(r.position, test::microsoft_pack(), r.fleet);
  EXPECT_EQ(plain, redacted);  // the table names no device, user or licence
  EXPECT_TRUE(std::is_sorted(r.map.begin(), r.map.end(), [](const auto& a, const auto& b) {
    return std::tie(a.kind, a.pseudonym) < std::tie(b.kind, b.pseudonym);
  }));
}

TEST(Redaction, AShortSecretIsABrokenInvariant) {
  const auto& sample = test::contoso_sample();
  EXPECT_THAT([&] { (void)report::redact(sample.position, sample.fleet, "too short"); },
              testing::ThrowsMessage<InvariantError>(testing::HasSubstr("at least 16 bytes")));
}

}  // namespace
}  // namespace trueup
