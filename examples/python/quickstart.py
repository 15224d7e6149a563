#!/usr/bin/python3
# SPDX-License-Identifier: BSL-1.0
# File: examples/python/quickstart.py
#
# The README's Python quick start, checked against quickstart.expected.txt by the tests:
# reconcile the sample fleet from DataFrames and print what is short.
import pandas as pd  # type: ignore[import]

import trueup

fleet = "examples/contoso/"
rules = trueup.load_rule_pack("microsoft")
result = trueup.reconcile(devices=pd.read_csv(fleet + "devices.csv"),
                          installs=pd.read_csv(fleet + "installs.csv"),
                          entitlements=pd.read_csv(fleet + "entitlements.csv"),
                          access=pd.read_csv(fleet + "access.csv"),  # optional: who uses which server
                          assignments=pd.read_csv(fleet + "assignments.csv"),  # optional: licence history
                          prices=pd.read_csv(fleet + "prices.csv"),  # optional: the price list
                          rules=rules, as_of="2026-06-30")
short = result.position[result.position.shortfall_units > 0]
print(short[["product", "shortfall_units", "true_up_cost", "unpriced_shortfall_units"]].to_string(index=False))
print(result.totals["true_up_cost"], "+", result.totals["unpriced_shortfall_units"], "unpriced unit(s)")
v = result.verdicts.set_index("install_id").loc["I-00354"]
print(v.verdict, [a["licence_id"] for a in v.licences], [e["rule"] for e in v.evidence])
hv = result.servers.set_index("device_id").loc["HV-02"]
print(hv.oses, "OSEs,", hv.model, hv.licence_edition, hv.units_required, "core licences")
