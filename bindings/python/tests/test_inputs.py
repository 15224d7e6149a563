# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_inputs.py
#
# Every kind of input gives the command line's result: DataFrames (with pandas' own type
# inference), lists of dicts, mappings of columns, paths, a directory, and mixtures; values of
# Python types (dates, Decimals, floats, enums) become what the readers expect. The check is the
# strongest there is: the JSON document, byte for byte, equals the command line's golden output.
from __future__ import annotations

import csv
import datetime
import decimal
import json
import pathlib
import random
import sys
from typing import Any

import pytest

import trueup

from conftest import AS_OF, CONTOSO, TABLES, read_records, sample_options


def reconcile(*args: Any, **kwargs: Any) -> trueup.Result:
    """trueup.reconcile as of the sample fleet's date, unless the test gives one."""
    kwargs.setdefault("as_of", AS_OF)
    return trueup.reconcile(*args, **kwargs)


def reconcile_dir(*args: Any, **kwargs: Any) -> trueup.Result:
    kwargs.setdefault("as_of", AS_OF)
    return trueup.reconcile_dir(*args, **kwargs)


def test_dataframes_with_pandas_type_inference_give_the_cli_json(frames, rules, golden_json_text):
    assert frames["devices"]["processors"].dtype.kind == "f"  # blanks made it float: 2.0 must read as 2
    result = reconcile(devices=frames["devices"], installs=frames["installs"],
                              entitlements=frames["entitlements"], access=frames["access"],
                              assignments=frames["assignments"], prices=frames["prices"], rules=rules, as_of="2026-06-30")
    assert result.to_json() == golden_json_text


def test_dataframes_of_text_give_the_cli_json(golden_json_text):
    pd = pytest.importorskip("pandas")
    frames = [pd.read_csv(CONTOSO / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES]
    assert reconcile(**dict(zip(TABLES, frames))).to_json() == golden_json_text


def test_records_give_the_cli_json(records, golden_json_text):
    result = reconcile(devices=records["devices"], installs=records["installs"],
                              entitlements=records["entitlements"], access=records["access"],
                              assignments=records["assignments"], prices=records["prices"])
    assert result.to_json() == golden_json_text


def test_records_from_a_generator_give_the_cli_json(records, golden_json_text):
    result = reconcile((r for r in records["devices"]), iter(records["installs"]),
                              tuple(records["entitlements"]), records["access"], assignments=records["assignments"], prices=records["prices"])
    assert result.to_json() == golden_json_text


def test_a_mapping_of_columns_gives_the_cli_json(records, golden_json_text):
    columns = {t: {k: [r[k] for r in rows] for k in rows[0]} for t, rows in records.items()}
    assert reconcile(columns["devices"], columns["installs"], columns["entitlements"], columns["access"], assignments=columns["assignments"], prices=columns["prices"]).to_json() == \
        golden_json_text


@pytest.mark.parametrize("as_path", [str, pathlib.Path])
def test_paths_give_the_cli_json(as_path, golden_json_text):
    paths = [as_path(CONTOSO / f"{t}.csv") for t in TABLES]
    assert reconcile(**dict(zip(TABLES, paths))).to_json() == golden_json_text


@pytest.mark.parametrize("as_path", [str, pathlib.Path])
def test_reconcile_dir_gives_the_cli_json_and_table(as_path, golden_json_text):
    result = reconcile_dir(as_path(CONTOSO))
    assert result.to_json() == golden_json_text
    assert result.to_table() == (CONTOSO / "expected-position.txt").read_text(encoding="utf-8")


def test_tables_of_different_kinds_mix(frames, records, golden_json_text):
    result = reconcile(devices=frames["devices"], installs=records["installs"],
                              entitlements=CONTOSO / "entitlements.csv", access=records["access"],
                              assignments=records["assignments"], prices=records["prices"])
    assert result.to_json() == golden_json_text


def test_a_named_index_is_a_column(frames, golden_json_text):
    devices = frames["devices"].set_index("device_id")
    assert reconcile(devices, frames["installs"], frames["entitlements"], frames["access"], assignments=frames["assignments"], prices=frames["prices"]).to_json() == golden_json_text


def test_python_values_become_what_the_readers_expect(records, golden_json_text):
    # Dates as date, datetime and Timestamp-like objects; numbers as int, float and Decimal;
    # enumerations as this module's enums.
    devices = []
    for r in records["devices"]:
        r = dict(r)
        if r["status_date"]:
            r["status_date"] = datetime.date.fromisoformat(r["status_date"])
        r["processors"] = float(r["processors"]) if r["processors"] else None
        r["cores"] = int(r["cores"]) if r["cores"] else float("nan")
        r["status"] = {"active": trueup.DeviceStatus.ACTIVE, "retired": trueup.DeviceStatus.RETIRED,
                       "failed": trueup.DeviceStatus.FAILED}[r["status"]]
        r["kind"] = {"vm": trueup.DeviceKind.VIRTUAL_MACHINE}.get(r["kind"], r["kind"])
        devices.append(r)
    installs = []
    for r in records["installs"]:
        r = dict(r)
        if r["first_seen"]:  # a datetime counts as its calendar day
            r["first_seen"] = datetime.datetime.fromisoformat(r["first_seen"] + "T17:45:00")
        installs.append(r)
    entitlements = []
    for r in records["entitlements"]:
        r = dict(r)
        r["quantity"] = int(r["quantity"])
        r["unit_cost"] = decimal.Decimal(r["unit_cost"]) if r["unit_cost"] else None
        r["channel"] = {"oem": trueup.Channel.OEM, "retail": trueup.Channel.RETAIL,
                        "volume": trueup.Channel.VOLUME, "subscription": trueup.Channel.SUBSCRIPTION}[r["channel"]]
        entitlements.append(r)
    assert reconcile(devices, installs, entitlements, records["access"], assignments=records["assignments"], prices=records["prices"]).to_json() == golden_json_text


def test_pandas_dates_and_nullable_integers_become_what_the_readers_expect(frames, golden_json_text):
    pd = pytest.importorskip("pandas")
    devices = frames["devices"].copy()
    devices["status_date"] = pd.to_datetime(devices["status_date"])  # datetime64 with NaT
    devices["cores"] = devices["cores"].astype("Int64")  # nullable: <NA>
    installs = frames["installs"].copy()
    installs["last_seen"] = pd.to_datetime(installs["last_seen"]) + pd.Timedelta(hours=9)
    assert reconcile(devices, installs, frames["entitlements"], frames["access"], assignments=frames["assignments"], prices=frames["prices"]).to_json() == golden_json_text


def test_shuffled_rows_give_the_same_json_and_verdicts_follow_the_input_order(records, golden_json_text):
    rng = random.Random(7)
    shuffled = {t: rng.sample(rows, len(rows)) for t, rows in records.items()}
    result = reconcile(shuffled["devices"], shuffled["installs"], shuffled["entitlements"], shuffled["access"], assignments=shuffled["assignments"], prices=shuffled["prices"])
    assert result.to_json() == golden_json_text
    ids = [v["install_id"] for v in result.to_records()["verdicts"]]
    assert ids == [r["install_id"] for r in shuffled["installs"]]
    assert [e["licence_id"] for e in result.to_records()["entitlements"]] == \
        [r["licence_id"] for r in shuffled["entitlements"]]


def test_ids_are_taken_as_written_spaces_included():
    # Every field is quoted in the text the tables become, so " PC-1" is not "PC-1".
    devices = [{"device_id": " PC-1"}]
    installs = [{"install_id": "I-1", "device_id": "PC-1", "title": "Microsoft Visio Professional 2016"}]
    with pytest.raises(trueup.InputError) as e:
        reconcile(devices, installs, [{"licence_id": "L-1", "family": "visio", "version": "2016",
                                              "edition": "Professional", "channel": "volume", "quantity": 1}])
    assert [p.code for p in e.value.problems] == ["unknown-device"]
    no_licences = {k: [] for k in ("licence_id", "family", "version", "edition", "channel", "quantity")}
    result = reconcile([{"device_id": " PC-1"}], [dict(installs[0], device_id=" PC-1")], no_licences)
    assert result.to_records()["verdicts"][0]["device_id"] == " PC-1"


def test_text_with_commas_quotes_line_breaks_and_non_ascii_survives():
    title = 'Microsoft Visio "Professional" 2016, édition française\nrev 2'
    devices = [{"device_id": "PC-é", "hostname": "café,1"}]
    installs = [{"install_id": "I-1", "device_id": "PC-é", "title": title}]
    entitlements = [{"licence_id": "L-1", "family": "visio", "version": "2016", "edition": "Professional",
                     "channel": "volume", "quantity": "1"}]
    result = reconcile(devices, installs, entitlements)
    v = result.to_records()["verdicts"][0]
    assert (v["device_id"], v["title"], v["verdict"]) == ("PC-é", title, "covered")
    assert result.fleet.devices[0].hostname == "café,1"


def test_reads_without_pandas(records, golden_json_text, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails
    result = reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    assert result.to_json() == golden_json_text
    assert isinstance(result.position, list) and isinstance(result.verdicts, list)
    assert result.verdicts == result.to_records()["verdicts"]
    assert result.entitlements == result.to_records()["entitlements"]


def test_parse_fleet_and_read_fleet_validate_without_reconciling(frames, contoso):
    read = trueup.parse_fleet(frames["devices"], frames["installs"], frames["entitlements"], frames["access"], assignments=frames["assignments"], prices=frames["prices"])
    assert (len(read.fleet.devices), len(read.fleet.installs), len(read.fleet.entitlements)) == (242, 427, 178)
    assert len(read.warnings) == 0
    read = trueup.read_fleet(contoso)
    assert read.fleet.installs[0].id == "I-00001"
    position = trueup._core.reconcile(trueup.load_rule_pack("microsoft"), read.fleet, sample_options())
    assert trueup.check_accounting(position, read.fleet)


def test_the_rule_pack_may_be_a_name_a_path_or_a_pack(records, golden_json_text):
    pack_file = CONTOSO.parents[1] / "rules" / "microsoft.toml"
    for rules in ("microsoft", str(pack_file), pack_file, trueup.load_rule_pack(pack_file)):
        assert reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"],
                                rules=rules).to_json() == golden_json_text


def test_several_rule_packs_are_used_together_in_order(tmp_path):
    # An Oracle Database server next to a Windows PC, reconciled with both shipped packs at once;
    # two packs defining one family without `overlay = true` name both files.
    devices = [{"device_id": "PC-1", "kind": "desktop"},
               {"device_id": "DB-1", "kind": "server", "processors": 2, "cores": 32,
                "cpu_model": "Intel(R) Xeon(R) Gold 6226R CPU @ 2.90GHz"}]
    installs = [{"install_id": "I-1", "device_id": "PC-1", "title": "Microsoft Office Professional Plus 2019",
                 "publisher": "Microsoft Corporation"},
                {"install_id": "I-2", "device_id": "DB-1", "title": "Oracle Database 19c Enterprise Edition",
                 "publisher": "Oracle Corporation"}]
    entitlements = [{"licence_id": "L-1", "family": "office", "version": "2019", "edition": "Professional Plus",
                     "channel": "volume", "quantity": 1},
                     {"licence_id": "L-2", "family": "oracle-database", "version": "19c", "edition": "Enterprise",
                      "channel": "volume", "quantity": 16, "metric": "processor"}]
    result = reconcile(devices, installs, entitlements, rules=["microsoft", "oracle"], as_of="2026-06-30")
    assert [v.verdict for v in result.native.installs] == [trueup.Verdict.COVERED, trueup.Verdict.COVERED]
    assert result.native.installs[1].demanded == 16
    revision = trueup.load_rule_pack("microsoft").revision
    assert json.loads(result.to_json())["rule_pack"] == f"microsoft {revision}, oracle 2026.1"
    assert ("rules", "microsoft, oracle") in result.assumptions
    # Alone, the Microsoft pack does not know the database: the same fleet is refused.
    with pytest.raises(trueup.InputError):
        reconcile(devices, installs, entitlements, rules="microsoft", as_of="2026-06-30")
    twice = tmp_path / "twice.toml"
    twice.write_text((CONTOSO.parents[1] / "rules" / "oracle.toml").read_text().replace('name = "oracle"', 'name = "copy"'))
    with pytest.raises(trueup.InputError) as e:
        trueup.parse_fleet(devices, installs, entitlements, rules=["oracle", twice])
    assert any(p.code == "duplicate-family" and "oracle.toml" in p.message and str(twice) in p.message
               for p in e.value.problems)


def test_as_of_accepts_dates_and_iso_strings(records):
    for given, expected in ((datetime.date(2026, 6, 30), datetime.date(2026, 6, 30)),
                            (datetime.datetime(2026, 6, 30, 23, 59), datetime.date(2026, 6, 30)),
                            (" 2026-06-30 ", datetime.date(2026, 6, 30)),
                            (None, datetime.datetime.now(datetime.timezone.utc).date())):
        assert trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"],
                                as_of=given).as_of == expected


def test_empty_tables_with_columns_are_valid():
    pd = pytest.importorskip("pandas")
    result = trueup.reconcile(pd.DataFrame(columns=["device_id"]),
                              pd.DataFrame(columns=["install_id", "device_id", "title"]),
                              {k: [] for k in ("licence_id", "family", "version", "edition", "channel", "quantity")})
    assert result.totals["installs"] == 0
    assert len(result.verdicts) == 0 and list(result.verdicts.columns)[:4] == \
        ["install_id", "device_id", "title", "verdict"]
    assert result.position.empty


def test_csv_text_for_dataframes_is_what_the_readers_read():
    # The conversion itself, for values the readers would otherwise refuse.
    from trueup import _frames
    assert [_frames.cell(v) for v in (None, float("nan"), 4.0, 4.5, 7, True, decimal.Decimal("1E+1"),
                                      datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4),
                                      trueup.Exclusion.NOT_OWNED, "x")] == \
        ["", "", "4", "4.5", "7", "true", "10", "2024-01-02", "2024-01-02", "not-owned", "x"]
    np = pytest.importorskip("numpy")
    assert [_frames.cell(v) for v in (np.int32(3), np.float32(2.0), np.float64("nan"))] == ["3", "2", ""]


def test_as_of_is_the_date_the_position_is_taken_on(records):
    early, late = (trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"], as_of=d)
                   for d in ("2020-01-01", "2030-12-31"))
    assert (early.as_of, late.as_of) == (datetime.date(2020, 1, 1), datetime.date(2030, 12, 31))
    assert '"as_of": "2020-01-01"' in early.to_json()
    # Installs first seen and licences bought after 2020 do not count then.
    assert early.totals["installs"] == late.totals["installs"]
    assert early.to_json() != late.to_json()
    today = trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    assert today.as_of == datetime.datetime.now(datetime.timezone.utc).date()
