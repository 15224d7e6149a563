// SPDX-License-Identifier: BSL-1.0
// File: trueup/normalise/normalise.hpp
//
// Normalisation: from raw inventory rows to demands. Every install leaves this stage in
// exactly one of three states, and nothing is dropped:
//
// - **excluded**, with its reason: a row that is not a licensable product (component, another
//   publisher's product, unrecognised title), a free edition, or an install on a device that
//   is not in scope: not owned (leased, rented, customer's, personal: licensing-rules X1 and
//   §2 "Leased hardware"), retired, or failed;
// - **demand**: the one install that stands for its (device, product family) pair;
// - **duplicate** of that install: a product installed several times on one device
//   (re-install, 32- and 64-bit entries, two versions side by side) needs one licence
//   (X4 "Right of Multiple Use", X5; DT1: any number of copies on the licensed device).
//
// Within a (device, family) pair, installs are taken highest version first, then highest
// edition (pack order), then smallest install id, so the choice does not depend on row order.
// The first is the representative; each later install is a duplicate of the first
// representative whose edition is its own or covers it (down-edition), and otherwise a demand
// of its own: editions that do not cover each other are different products (D3: Office
// Standard next to Professional Plus needs its own licence).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "trueup/demand/demand.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/normalise/exclusion.hpp"

namespace trueup {

struct InstallDisposition {
  enum class Kind : std::uint8_t { demand, duplicate, excluded };
  Kind kind = Kind::excluded;
  bool recognised = false;
  ProductRef product;  ///< when recognised
  Exclusion exclusion = Exclusion::none;
  std::string reason;                 ///< when excluded
  std::uint32_t demand = UINT32_MAX;  ///< demand index, for demand and duplicate
};

/// A physical host licensed whole for a per-core family's VMs (SQL Server Enterprise,
/// licensing-rules SQL4), chosen by normalise() where it needs no more core licences than
/// licensing the host's VMs one by one would (see normalise() below).
struct HostLicensing {
  DeviceIndex host;
  ProductRef product;      ///< the version and edition its licences must cover
  Units units = 0;         ///< core licences: every physical core, and one per VM beyond them
  Units per_vm_units = 0;  ///< what its VMs of the host edition would need one by one
  std::uint32_t vms = 0;   ///< VMs on it that run the family (one demand each)
  std::string why;         ///< the rule and the arithmetic, for the evidence
};

struct Normalised {
  std::vector<InstallDisposition> installs;  ///< parallel to Fleet::installs
  std::vector<Demand> demands;               ///< ordered by (device index, family)
  std::uint32_t unknown_hardware = 0;        ///< processor/core demands on devices without counts
  std::vector<HostLicensing> hosts;          ///< SQL4: hosts licensed whole, by host
};

/// A per-core family whose terms allow licensing a host whole (`host_licensing`, SQL4): on
/// each physical host whose VMs run an edition of such terms, the host option needs
/// max(core licences of every physical core after the minimums, number of VMs running the
/// family) licences of the highest such edition and newest version on the host; the VMs one by
/// one need the sum of their units. Where the host option needs no more units than its VMs of
/// that edition would alone, it is taken: its licences may cover everything per-VM licences of
/// that edition may (any such licence may license the host), it frees the per-VM licences of
/// lower editions, so it is never worse. The host's units are then spread over its VMs'
/// demands, each VM at least one (`Demand::host_share`), and the transport solver covers them
/// as any other demand. With Software Assurance the host may run more VMs than core
/// licences; that waiver is not taken here (the units stay max(cores, VMs)), see
/// docs/rule-packs.md.
///
/// Demands on `as_of`: devices are judged by their status on that date (one retired later was
/// still in service), and installs first seen after it did not exist yet.
///
/// With `threads` > 1, recognition and exclusion run on contiguous ranges of installs, one
/// per thread, each with its own Recogniser; the candidates of the ranges are joined in range
/// order, so the result is the one a single thread gives.
[[nodiscard]] Normalised normalise(const RulePack& pack, const Fleet& fleet, Date as_of, unsigned threads = 1);

}  // namespace trueup
