// SPDX-License-Identifier: BSL-1.0
// File: trueup/model/rights.hpp
//
// What a family's licences may do besides running their own product: run earlier versions
// (downgrade), lower editions (down-edition), stand on a qualifying licence (upgrade
// licences), become another licensing model under Software Assurance (conversion), and move
// between devices or users (reassignment limits). Each is data of the rule pack with the source
// that grants it (model/catalog.hpp); rules/ apply them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trueup/model/licensing.hpp"

namespace trueup {

/// A downgrade right: licences of channel `channel` (and of `editions`, empty = all) for a
/// version may run earlier versions of the same edition (licensing-rules D1-D3, §5.2-5.3).
/// Either any earlier version, or the versions listed for the licence's version.
struct DowngradeRight {
  Channel channel = Channel::volume;
  std::vector<std::uint16_t> editions;  ///< empty: every edition
  bool any_earlier = false;
  std::uint16_t from = 0;         ///< when !any_earlier: the licence version ...
  std::vector<std::uint16_t> to;  ///< ... and the earlier versions it may run
  /// The right holds only while the earlier version is supported (its VersionSpec::
  /// support_end): "only for as long as Microsoft provides support for that earlier version"
  /// (licensing-rules §5.2, Windows 10 OEM licence terms §7).
  bool while_supported = false;
  std::string source;
};

/// A down-edition right that depends on versions: licences of `editions` for one of `versions`
/// may run edition `covers` of versions up to `up_to` (Windows Server 2012 and later Standard
/// and Datacenter may run 2008 R2 Enterprise and earlier: licensing-rules §5.3). Rights that
/// hold for every version are the editions' own (EditionSpec::covers).
struct DownEditionRight {
  std::vector<std::uint16_t> editions;  ///< licence editions
  std::vector<std::uint16_t> versions;  ///< licence versions
  std::vector<std::uint16_t> covers;    ///< editions it may run
  std::uint16_t up_to = 0;              ///< of versions up to this one
  std::string source;
};

/// Licences of `channels` are upgrades: they cover a device only if it also has a qualifying
/// licence of `qualifying_channels` and `qualifying_editions` for the family, of any version
/// (licensing-rules O4, DT6: volume licensing sells only upgrades of the Windows desktop
/// operating system; for business use the qualifying licence is a Professional edition). With
/// `bound_without_sa`, such a licence without active Software Assurance stays on the device it
/// was first assigned to (O5).
struct UpgradeRule {
  std::vector<Channel> channels;
  std::vector<Channel> qualifying_channels;
  std::vector<std::uint16_t> qualifying_editions;  ///< empty: any edition
  bool bound_without_sa = false;
  std::string source;
};

/// Software Assurance across licensing models: a licence of one of `from_versions` (and
/// `editions`, empty: all) with SA active when version `to` was made available converts to
/// licences of `to`, counted in `to`'s metric, `units_per_licence` for each licence held
/// (licensing-rules SA5: a Windows Server 2012 R2 2-processor licence becomes at least 16 core
/// licences).
struct ModelConversion {
  std::vector<std::uint16_t> from_versions;
  std::vector<std::uint16_t> editions;
  std::uint16_t to = 0;
  std::uint32_t units_per_licence = 1;
  std::string source;
};

/// How often a licence of some channels may move to another device or user: not within `days`
/// of its last assignment (licensing-rules V1: volume licences, 90 days; R2: Office retail, once
/// every 90 days; V4: Windows Server). The exemptions are the engine's, not data: permanent
/// hardware failure or loss, and for user licences the user's leaving (V1, R2);
/// rules/reassignment.hpp applies them.
struct ReassignmentRule {
  std::vector<Channel> channels;
  std::uint32_t days = 90;
  std::string source;
};

}  // namespace trueup
