// SPDX-License-Identifier: BSL-1.0
// File: tests/normalise/review_test.cpp
//
// The review of an inventory: every row counted once, in its product, exclusion reason, review
// title or unrecognised title, with the devices it is on; the same rows in another order give
// the same review.
#include "trueup/normalise/review.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/fleet_fixture.hpp"

namespace trueup {
namespace {

const char* const devices = "PC-1,desktop,owned,active,,,\nPC-2,desktop,owned,active,,,\n";
const char* const installs =
    "I-1,PC-1,Microsoft Office Professional Plus 2019 - fr-fr,Microsoft Corporation,16.0.10402.20023\n"
    "I-2,PC-1,Microsoft Office Professional Plus 2019 - fr-fr,Microsoft Corporation,16.0.10402.20023\n"
    "I-3,PC-2,Microsoft Office Professionnel Plus 2019 - fr-fr,Microsoft Corporation,16.0.10402.20023\n"
    "I-4,PC-1,Microsoft Windows 10 Pro,,10.0.19045\n"
    "I-5,PC-1,Update for Microsoft Office 2016 (KB4484103) 64-Bit Edition,Microsoft Corporation,\n"
    "I-6,PC-2,Microsoft SQL Server 2019 (64-bit),Microsoft Corporation,15.0.2000.5\n"
    "I-7,PC-1,Microsoft SQL Server 2019 (64-bit),Microsoft Corporation,15.0.2000.5\n"
    "I-8,PC-2,Microsoft Office Professional Plus - en-us,Microsoft Corporation,16.0.14332.20255\n"
    "I-9,PC-2,Microsoft Teams,Microsoft Corporation,1.6.00.4472\n"
    "I-10,PC-2,LibreOffice 7.5.3.2,The Document Foundation,7.5.3.2\n"
    "I-11,PC-2,Microsoft Office Starter 2010 - English,Microsoft Corporation,14.0.4763.1000\n";

Review of(const std::string& rows) {
  const auto r = test::reconcile_csv(devices, rows, "");
  return review(test::microsoft_pack(), r.fleet);
}

const Review::Group* find(const std::vector<Review::Group>& groups, std::string_view name) {
  const auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == name; });
  return it == groups.end() ? nullptr : &*it;
}

TEST(Review, EveryRowInExactlyOneGroup) {
  const Review r = of(installs);
  EXPECT_EQ(r.rows, 11u);
  EXPECT_EQ(Review::total(r.recognised) + Review::total(r.excluded) + Review::total(r.needs_review) +
                Review::total(r.unrecognised),
            r.rows);
  EXPECT_EQ(Review::total(r.recognised), 4u);
  EXPECT_EQ(Review::total(r.excluded), 3u);  // the update, LibreOffice, Office Starter (free)
  EXPECT_EQ(Review::total(r.needs_review), 3u);
  EXPECT_EQ(Review::total(r.unrecognised), 1u);
}

TEST(Review, ProductsCountRowsAndDevices) {
  const Review r = of(installs);
  const auto* office = find(r.recognised, "Office Professional Plus 2019");
  ASSERT_NE(office, nullptr);
  EXPECT_EQ(office->rows, 3u);  // the French title is the same product
  EXPECT_EQ(office->devices, 2u);
  // In rule-pack order: Windows before Office.
  EXPECT_EQ(r.recognised.front().name, "Windows 10 Pro");
}

TEST(Review, TitlesToReviewAreGroupedWithTheirReason) {
  const Review r = of(installs);
  ASSERT_EQ(r.needs_review.size(), 2u);
  EXPECT_EQ(r.needs_review[0].name, "Microsoft SQL Server 2019 (64-bit)");  // most rows first
  EXPECT_EQ(r.needs_review[0].rows, 2u);
  EXPECT_EQ(r.needs_review[0].devices, 2u);
  EXPECT_EQ(r.needs_review[0].detail, "Microsoft Corporation");
  EXPECT_NE(r.needs_review[0].reason.find("no known edition"), std::string::npos);
  EXPECT_NE(r.needs_review[1].reason.find("shared by several versions"), std::string::npos);
  ASSERT_EQ(r.unrecognised.size(), 1u);
  EXPECT_EQ(r.unrecognised[0].name, "Microsoft Teams");
}

TEST(Review, ExclusionsByKindAndReason) {
  const Review r = of(installs);
  const auto* free = find(r.excluded, "free-edition");
  ASSERT_NE(free, nullptr);
  EXPECT_EQ(free->detail, "Office Starter 2010 is a free edition");
  EXPECT_NE(find(r.excluded, "component"), nullptr);
  EXPECT_NE(find(r.excluded, "other-publisher"), nullptr);
}

TEST(Review, RowOrderDoesNotChangeTheReview) {
  std::string reversed;
  std::string rows = installs;
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < rows.size();) {
    const std::size_t end = rows.find('\n', at);
    lines.push_back(rows.substr(at, end + 1 - at));
    at = end + 1;
  }
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it;
  const Review a = of(installs), b = of(reversed);
  ASSERT_EQ(a.needs_review.size(), b.needs_review.size());
  for (std::size_t i = 0; i < a.needs_review.size(); ++i) EXPECT_EQ(a.needs_review[i].name, b.needs_review[i].name);
  ASSERT_EQ(a.excluded.size(), b.excluded.size());
  for (std::size_t i = 0; i < a.excluded.size(); ++i) EXPECT_EQ(a.excluded[i].detail, b.excluded[i].detail);
}

// A per-core server product on a server whose cores no source gave, a host-licensed product on a
// VM whose host has no processor count, and a per-user product on PCs without a primary user:
// the review names each device and the fact, as the reconciliation cannot count them right.
TEST(Review, DevicesLackingAFactTheirProductsAreLicensedBy) {
  const auto r = test::reconcile_files(
      "device_id,kind,ownership,status,status_date,processors,cores,host,primary_user\n"
      "SRV-1,server,owned,active,,2,,,\n"
      "SRV-2,server,owned,active,,2,16,,\n"
      "HV-1,server,owned,active,,,32,,\n"
      "VM-1,vm,owned,active,,,4,HV-1,\n"
      "PC-1,desktop,owned,active,,,,,alice\n"
      "PC-2,desktop,owned,active,,,,,\n"
      "PC-3,laptop,owned,active,,,,,\n",
      std::string(test::installs_header) +
          "I-1,SRV-1,Microsoft SQL Server 2019 Standard,Microsoft Corporation,15.0.2000.5\n"
          "I-2,SRV-2,Microsoft SQL Server 2019 Standard,Microsoft Corporation,15.0.2000.5\n"
          "I-3,VM-1,Microsoft Windows Server 2022 Datacenter,Microsoft Corporation,10.0.20348\n"
          "I-4,PC-1,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0.17328.20162\n"
          "I-5,PC-2,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0.17328.20162\n"
          "I-6,PC-3,Microsoft 365 Apps for enterprise - en-us,Microsoft Corporation,16.0.17328.20162\n",
      std::string(test::entitlements_header));
  const Review rv = review(test::microsoft_pack(), r.fleet);
  std::vector<std::string> seen;
  for (const auto& m : rv.missing_facts) {
    std::string ids;
    for (const auto& d : m.devices) ids += d + " ";
    seen.push_back(m.product + ": " + m.fact + ": " + ids);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"Microsoft 365 Apps for enterprise: primary user: PC-2 PC-3 ",
                                            "SQL Server 2019 Standard: cores: SRV-1 ",
                                            "Windows Server 2022 Datacenter: processors: HV-1 "}));
  for (const auto& m : rv.missing_facts) EXPECT_NE(m.why.find("licensing-rules"), std::string::npos) << m.why;
}

// SQL10: Developer counts as the reconciliation counts it, by the device's environment: free
// outside production, Enterprise in production, and to review with the missing fact when
// devices.csv does not say.
TEST(Review, DeveloperCountsByTheEnvironmentAndAnUnstatedOneIsAMissingFact) {
  auto r = test::reconcile_files(
      "device_id,kind,processors,cores,environment\n"
      "SRV-PROD,server,1,8,production\n"
      "SRV-TEST,server,1,8,test\n"
      "SRV-ANY,server,1,8,\n",
      std::string(test::installs_header) +
          "I-1,SRV-PROD,Microsoft SQL Server 2019 Developer,Microsoft Corporation,\n"
          "I-2,SRV-TEST,Microsoft SQL Server 2019 Developer,Microsoft Corporation,\n"
          "I-3,SRV-ANY,Microsoft SQL Server 2019 Developer,Microsoft Corporation,\n",
      std::string(test::entitlements_header));
  const Review rv = review(test::microsoft_pack(), r.fleet);
  ASSERT_EQ(rv.recognised.size(), 1u);
  EXPECT_EQ(rv.recognised[0].name, "SQL Server 2019 Enterprise");
  ASSERT_EQ(rv.excluded.size(), 1u);
  EXPECT_EQ(rv.excluded[0].detail, "SQL Server 2019 Developer is free outside production (on non-production devices)");
  ASSERT_EQ(rv.needs_review.size(), 1u);
  EXPECT_EQ(rv.needs_review[0].devices, 1u);
  ASSERT_EQ(rv.missing_facts.size(), 1u);
  EXPECT_EQ(rv.missing_facts[0].product, "SQL Server 2019 Developer");
  EXPECT_EQ(rv.missing_facts[0].fact, "environment");
  EXPECT_EQ(rv.missing_facts[0].devices, std::vector<std::string>{"SRV-ANY"});
  // The reconciliation agrees, install by install.
  EXPECT_EQ(r.install("I-1").verdict, Verdict::shortfall);
  EXPECT_EQ(r.install("I-2").exclusion, Exclusion::free_edition);
  EXPECT_EQ(r.install("I-3").exclusion, Exclusion::needs_review);
}

}  // namespace
}  // namespace trueup
