// SPDX-License-Identifier: BSL-1.0
// File: trueup/trueup.hpp
//
// Umbrella header: the whole header-first core. Readers, writers and the rule-pack loader
// (trueup::io) are declared in trueup/io/.
#pragma once

#include "trueup/check.hpp"
#include "trueup/demand/demand.hpp"
#include "trueup/demand/eligibility.hpp"
#include "trueup/demand/pool.hpp"
#include "trueup/diagnostic.hpp"
#include "trueup/enum_table.hpp"
#include "trueup/fwd.hpp"
#include "trueup/model/catalog.hpp"
#include "trueup/model/date.hpp"
#include "trueup/model/device.hpp"
#include "trueup/model/entitlement.hpp"
#include "trueup/model/fleet.hpp"
#include "trueup/model/install.hpp"
#include "trueup/model/licensing.hpp"
#include "trueup/model/money.hpp"
#include "trueup/normalise/exclusion.hpp"
#include "trueup/normalise/normalise.hpp"
#include "trueup/normalise/recognise.hpp"
#include "trueup/position/position.hpp"
#include "trueup/position/verdict.hpp"
#include "trueup/reconcile.hpp"
#include "trueup/result.hpp"
#include "trueup/rules/down_edition.hpp"
#include "trueup/rules/downgrade.hpp"
#include "trueup/rules/metric_units.hpp"
#include "trueup/rules/oem_binding.hpp"
#include "trueup/rules/reassignment.hpp"
#include "trueup/rules/software_assurance.hpp"
#include "trueup/solver/host_solver.hpp"
#include "trueup/solver/solver.hpp"
#include "trueup/solver/status.hpp"
