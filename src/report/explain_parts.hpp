// SPDX-License-Identifier: BSL-1.0
// File: src/report/explain_parts.hpp
//
// The pieces the explanations of trueup/report/explain.hpp share: how a licence record, a
// device and a product are named, where each licence's units went (the position's allocations
// read backwards), and the install explanation the device explanation summarises.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trueup/report/explain.hpp"

namespace trueup::report::explaining {

/// One use of a licence's units: by an install (a device demand, a server's, a user's device)
/// or by a CAL holder.
struct UnitUse {
  InstallIndex install;   ///< valid for an install
  std::uint32_t cal = 0;  ///< index into Position::cals when `install` is invalid
  Units units = 0;
};

/// Every licence's uses, parallel to Fleet::entitlements, in install order, then CAL order.
[[nodiscard]] std::vector<std::vector<UnitUse>> uses_by_licence(const Position& position, std::size_t entitlements);

/// "L-0159 (volume Office Professional Plus 2019, 50 device unit(s))".
[[nodiscard]] std::string licence_label(const Entitlement& e, const RulePack& pack);
/// "PC-0092 (desktop, owned, active on 2026-06-30)".
[[nodiscard]] std::string device_label(const Device& d, Date as_of);
/// "I-00200 on PC-0092 (Office Standard 2016)" or "user001's CAL (Windows Server CAL 2016)".
[[nodiscard]] std::string use_label(const UnitUse& use, const Position& position, const RulePack& pack,
                                    const Fleet& fleet);
/// The uses as "A, B, C and 4 more" (the first `shown`).
[[nodiscard]] std::string uses_list(const std::vector<UnitUse>& uses, const Position& position, const RulePack& pack,
                                    const Fleet& fleet, std::size_t shown = 5);

/// The install's explanation (explain.hpp): recognition, verdict, licences and their rules,
/// and, when short, every licence of its family and why it could not cover it.
[[nodiscard]] Explanation explain_install(InstallIndex i, const Position& position, const RulePack& pack,
                                          const Fleet& fleet);
/// The install's verdict in one line: "short (Windows 10 Pro): ...", "covered by L-0159 (downgrade)".
[[nodiscard]] std::string verdict_summary(InstallIndex i, const Position& position, const RulePack& pack,
                                          const Fleet& fleet);

}  // namespace trueup::report::explaining
