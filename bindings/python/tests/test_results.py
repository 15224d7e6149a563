# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_results.py
#
# The Result's tables agree with the command line's JSON on the sample fleet, row by row and
# value by value; money is decimal.Decimal; DataFrames and records hold the same; the library's
# own objects are reachable and consistent; the same input gives the same output.
from __future__ import annotations

import decimal
import json
from typing import Any

import pytest

import trueup

from conftest import AS_OF, CONTOSO


@pytest.fixture(scope="module")
def result() -> trueup.Result:
    return trueup.reconcile_dir(CONTOSO, as_of=AS_OF)


def as_json_values(row: dict[str, Any]) -> dict[str, Any]:
    """A table row as the JSON writes it: money as its decimal string, keys without a value left
    out but for a true-up cost, which is null when nothing prices the shortfall."""
    out = {}
    for k, v in row.items():
        if v is None and k != "true_up_cost":
            continue
        out[k] = str(v) if isinstance(v, decimal.Decimal) else v
    return out


def test_position_rows_are_the_json_products(result, golden):
    rows = result.to_records()["position"]
    assert [as_json_values(r) for r in rows] == golden["products"]
    # Decimal, or None when no price is known for any of the shortfall (Windows 11 Enterprise
    # on a PC without a qualifying licence).
    assert {r["product"] for r in rows if r["true_up_cost"] is None} == {"Windows 11 Enterprise"}
    assert all(isinstance(r["true_up_cost"], decimal.Decimal) for r in rows if r["true_up_cost"] is not None)
    assert {r["product"]: r["true_up_cost"] for r in rows}["Office Standard 2016"] == decimal.Decimal("1495.00")


def test_verdict_rows_are_the_json_installs_in_input_order(result, golden):
    rows = result.to_records()["verdicts"]
    assert [r["install_id"] for r in rows] == [i.id for i in result.fleet.installs]
    by_id = {i["install_id"]: i for i in golden["installs"]}
    assert len(rows) == len(by_id) == 427
    for r in rows:
        expected = by_id[r["install_id"]]
        if "licences" not in expected:  # excluded, duplicate: nothing covers them
            assert r["licences"] == [] and r["evidence"] == []
            r = {k: v for k, v in r.items() if k not in ("licences", "evidence")}
        assert as_json_values(r) == expected


def test_entitlement_rows_are_the_json_entitlements(result, golden):
    rows = sorted(result.to_records()["entitlements"], key=lambda r: r["licence_id"])
    assert [as_json_values(r) for r in rows] == golden["entitlements"]


def test_totals_are_the_json_totals_with_decimal_money(result, golden):
    totals = result.totals
    assert isinstance(totals["true_up_cost"], decimal.Decimal)
    assert totals["true_up_cost"] == decimal.Decimal("78203.00")
    assert as_json_values(totals) == golden["totals"]
    assert result.solver == golden["solver"]
    assert result.rule_pack == golden["rule_pack"] == "microsoft 2026.11"
    assert result.status == trueup.SolveStatus.OPTIMAL


def test_dataframes_hold_what_the_records_hold(result):
    pd = pytest.importorskip("pandas")
    records = result.to_records()
    for name in ("position", "verdicts", "entitlements"):
        frame = getattr(result, name)
        assert isinstance(frame, pd.DataFrame)
        assert list(frame.columns) == list(records[name][0])
        assert len(frame) == len(records[name])
    verdicts = result.verdicts
    assert str(verdicts["units"].dtype) == "Int64"  # nullable: no unit for an excluded install
    assert verdicts["units"].isna().sum() == 109 + 36
    assert verdicts.loc[verdicts.install_id == "I-00354", "licences"].iloc[0] == \
        [{"licence_id": "L-0150", "units": 1}]
    costs = result.position["true_up_cost"]
    assert costs.isna().sum() == 1 and costs.dropna().map(type).eq(decimal.Decimal).all()
    assert str(result.position["shortfall_units"].dtype) == "int64"
    assert result.entitlements["counted"].dtype == bool
    short = verdicts[verdicts.verdict == "short"]
    assert len(short) == 26 and short.reason.notna().all()
    assert result.position is result.position  # built once


def test_money_never_passes_through_float(tmp_path):
    # An amount a float cannot hold exactly: 18 significant digits, from the largest server and
    # the largest unit price the readers accept (docs/formats.md, "Encoding and limits").
    devices = [{"device_id": "SRV-1", "kind": "server", "processors": 2, "cores": 65536}]
    installs = [{"install_id": "I-1", "device_id": "SRV-1", "title": "Microsoft Windows Server 2022 Standard",
                 "publisher": "Microsoft Corporation"}]
    entitlements = [{"licence_id": "L-1", "family": "windows-server", "version": "2022", "edition": "Standard",
                     "channel": "volume", "quantity": 0, "unit_cost": decimal.Decimal("999999999.9999")}]
    result = trueup.reconcile(devices, installs, entitlements)
    total = decimal.Decimal("65535999999993.4464")  # 65,536 core licences
    assert decimal.Decimal(float(total)) != total
    assert result.totals["true_up_cost"] == total
    assert result.to_records()["position"][0]["true_up_cost"] == total
    assert json.loads(result.to_json())["totals"]["true_up_cost"] == "65535999999993.4464"
    assert result.fleet.entitlements[0].unit_cost == decimal.Decimal("999999999.9999")


def test_warnings_of_the_read_and_of_the_position_are_reported(records):
    # Two currencies among the prices (a position warning) and an unknown column (a read warning).
    entitlements = [dict(r, notes="x") for r in records["entitlements"]]
    priced = [i for i, r in enumerate(entitlements) if r["unit_cost"]]
    entitlements[priced[0]]["currency"] = "USD"
    result = trueup.reconcile(records["devices"], records["installs"], entitlements)
    assert [(w.severity, w.code, w.table, w.column) for w in result.warnings] == [
        ("warning", "unknown-column", "entitlements", "notes"),
        ("warning", "mixed-currencies", "entitlements", None)]
    assert str(result.warnings[0]).startswith("entitlements: warning[unknown-column]: expected one of the columns")
    assert str(result.warnings[1]) == ("entitlements.csv: warning[mixed-currencies]: expected one currency for "
                                       "true-up prices, found EUR, USD; prices are compared as numbers")
    # The JSON holds both, the read's first, as the command line writes them.
    assert [w["code"] for w in json.loads(result.to_json())["warnings"]] == ["unknown-column", "mixed-currencies"]


def test_the_library_objects_are_reachable(result):
    p = result.native
    assert isinstance(p, trueup.Position) and isinstance(result.fleet, trueup.Fleet)
    assert (p.totals.installs, p.totals.covered, p.totals.shortfall) == (427, 256, 26)
    assert p.totals.in_(trueup.Metric.CORE).shortfall == 72
    assert len(p.installs) == len(result.fleet.installs) == 427
    i = [k for k, inst in enumerate(result.fleet.installs) if inst.id == "I-00354"][0]
    v = p.installs[i]
    assert v.verdict == trueup.Verdict.COVERED and trueup.name(v.verdict) == "covered"
    assert result.rules.product_name(v.product) == "Office Home and Business 2019"
    assert [trueup.name(s.kind) for s in v.evidence] == ["licence", "reassignment"]
    assert result.fleet.entitlement(v.licences[0].entitlement).id == "L-0150"
    assert result.fleet.device(result.fleet.installs[i].device).id == "PC-0156"
    first = result.fleet.installs[0]
    assert first.first_seen.isoformat() == "2024-01-15"
    assert p.installs[-1] is not None and p.products[0].metric == trueup.Metric.DEVICE
    with pytest.raises(IndexError):
        p.installs[427]
    assert sum(1 for _ in p.products) == len(p.products) == 27


def test_views_keep_their_owner_alive():
    import gc
    verdicts = trueup.reconcile_dir(CONTOSO, as_of=AS_OF).native.installs
    evidence = verdicts[0].evidence
    gc.collect()
    assert len(verdicts) == 427 and trueup.name(evidence[0].kind) == "licence"


def test_the_same_input_gives_the_same_output(records):
    a = trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    b = trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    assert a.to_json() == b.to_json()
    assert a.to_records() == b.to_records()
    assert a.to_records() is not a.to_records()  # new lists each time


def test_repr_summarises(result):
    assert repr(result) == ("<trueup.Result microsoft 2026.11: 427 installs, 256 covered, 26 short, 109 excluded, "
                            "36 duplicate; true-up 78203.00 + 1 unpriced unit(s)>")


def test_building_tables_leaves_the_garbage_collector_as_it_was(result):
    import gc
    assert gc.isenabled()
    result.to_records()
    assert gc.isenabled()
    gc.disable()
    try:
        result.to_records()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_servers_users_and_cals_are_the_cli_json(records, golden):
    result = trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    tables = result.to_records()
    assert tables["servers"] == golden["servers"]
    assert tables["users"] == golden["users"]
    assert tables["cals"] == golden["cals"]
    hv = next(s for s in tables["servers"] if s["device_id"] == "HV-01")
    assert (hv["oses"], hv["licence_edition"], hv["units_required"]) == (4, "Datacenter", 32)


def test_without_access_no_cal_is_demanded(records):
    result = trueup.reconcile(records["devices"], records["installs"], records["entitlements"])
    assert result.to_records()["cals"] == []
    assert result.native.totals.in_(trueup.Metric.USER_CAL).demand == 0


def test_an_access_row_naming_an_unknown_server_is_an_input_error(records):
    access = records["access"] + [{"server_id": "SRV-NOPE", "user": "ann", "device_id": ""}]
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(records["devices"], records["installs"], records["entitlements"], access)
    [p] = e.value.problems
    assert (p.table, p.row, p.column, p.code) == ("access", len(access) - 1, "server_id", "unknown-device")


@pytest.mark.parametrize("table, key, golden_key", [("products", "position", "products"),
                                                     ("installs", "verdicts", "installs"),
                                                     ("entitlements", "entitlements", "entitlements")])
def test_tables_and_json_records_have_the_one_definition_of_columns(result, golden, table, key, golden_key):
    # trueup/io/columns.hpp defines each table's columns once: the Python table has exactly
    # them, in order, and every JSON record holds some of them and nothing else.
    columns = [name for name, _ in trueup._core.columns(table)]
    records = result.to_records()[key]
    assert records and all(list(r.keys()) == columns for r in records)
    frame_columns = list(getattr(result, key).columns)
    assert frame_columns == columns
    for record in golden[golden_key]:
        assert set(record) <= set(columns), sorted(set(record) - set(columns))
    used = set().union(*(set(r) for r in golden[golden_key]))
    assert used == set(columns), sorted(set(columns) - used)  # the sample fleet has records of every kind
