// SPDX-License-Identifier: BSL-1.0
// File: trueup/report/deployment.hpp
//
// The deployment summary (docs/outputs.md): what an auditor asks a customer to fill in, per
// product, version and edition — installed devices, physical servers with their processors and
// cores, VMs per host, users — with only the columns licensing needs. Installs the position
// excludes (devices not owned, retired or failed; installs after the as-of date ...) are
// counted apart, not deployed: they need no licence. As a table, JSON or an XLSX workbook
// (sheets Deployment and Servers); each depends only on the inputs.
#pragma once

#include <filesystem>
#include <string>

#include "trueup/model/catalog.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/position/position.hpp"
#include "trueup/result.hpp"

namespace trueup::report {

[[nodiscard]] std::string format_deployment_table(const Position& position, const RulePack& pack, const Fleet& fleet);
[[nodiscard]] std::string format_deployment_json(const Position& position, const RulePack& pack, const Fleet& fleet);
/// Written to PATH.trueup-tmp, then renamed, as write_xlsx().
[[nodiscard]] Result<bool> write_deployment_xlsx(const std::filesystem::path& path, const Position& position,
                                                 const RulePack& pack, const Fleet& fleet);

}  // namespace trueup::report
