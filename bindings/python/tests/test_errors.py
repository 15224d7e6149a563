# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_errors.py
#
# Every error path: invalid input raises InputError (a ValueError) listing every problem with
# its table, row and column, and returns nothing; the messages are the readers' own, identical
# to the command line's for files; wrong argument types raise TypeError; a broken invariant of
# the library raises InternalError.
from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

import trueup

from conftest import CONTOSO, TABLES, read_records


def problems_of(call) -> list[tuple]:
    with pytest.raises(trueup.InputError) as e:
        call()
    assert isinstance(e.value, ValueError)
    return [(p.severity, p.code, p.table, p.row, p.column) for p in e.value.problems]


def test_a_bad_date_names_the_table_row_and_column(frames):
    installs = frames["installs"].copy()
    installs.loc[5, "first_seen"] = "31/12/2024"
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(frames["devices"], installs, frames["entitlements"], frames["access"], assignments=frames["assignments"], prices=frames["prices"])
    (p,) = e.value.problems
    assert (p.severity, p.code, p.table, p.row, p.column) == ("error", "bad-date", "installs", 5, "first_seen")
    assert p.message == 'column `first_seen`: expected a date YYYY-MM-DD, found "31/12/2024"'
    assert str(p) == 'installs, row 5: error[bad-date]: column `first_seen`: expected a date YYYY-MM-DD, found ' \
                     '"31/12/2024"'
    assert str(e.value) == "1 error(s) in the input; nothing was computed:\n  " + str(p)
    assert p.diagnostic.file == "installs" and p.diagnostic.line == 7  # the header is line 1


def test_every_problem_of_every_table_is_listed_in_order(records):
    records["devices"][3]["kind"] = "pda"
    records["installs"][0]["device_id"] = "PC-9999"
    records["installs"][2]["install_id"] = records["installs"][1]["install_id"]
    records["entitlements"][4]["quantity"] = "-3"
    records["entitlements"][6]["unit_cost"] = "$12"
    records["entitlements"][7]["family"] = "Ofice"
    records["entitlements"][8]["currency"] = "eur"
    records["entitlements"][9]["channel"] = "box"
    records["devices"][5]["cores"] = "4.5"
    assert problems_of(lambda: trueup.reconcile(records["devices"], records["installs"],
                                                records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])) == [
        ("error", "bad-enum", "devices", 3, "kind"),
        ("error", "bad-number", "devices", 5, "cores"),
        ("error", "unknown-device", "installs", 0, "device_id"),
        ("error", "duplicate-id", "installs", 2, "install_id"),
        ("error", "negative-quantity", "entitlements", 4, "quantity"),
        ("error", "bad-money", "entitlements", 6, "unit_cost"),
        ("error", "unknown-product", "entitlements", 7, "family"),
        ("error", "bad-currency", "entitlements", 8, "currency"),
        ("error", "bad-enum", "entitlements", 9, "channel"),
    ]


def test_a_float_price_that_is_not_a_4_decimal_amount_is_refused(records):
    records["entitlements"][0]["unit_cost"] = 0.1 + 0.2  # 0.30000000000000004: never rounded silently
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    assert e.value.problems[0].code == "bad-money"
    assert '"0.30000000000000004"' in e.value.problems[0].message


def test_a_missing_column_is_named(records):
    installs = [{k: v for k, v in r.items() if k != "title"} for r in records["installs"]]
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(records["devices"], installs, records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    (p,) = e.value.problems
    assert (p.code, p.table, p.row, p.column) == ("missing-column", "installs", None, "title")
    assert str(p) == ("installs: error[missing-column]: expected column `title`, found columns install_id, "
                      "device_id, publisher, version, first_seen, last_seen")


def test_a_duplicated_id_points_at_the_second_row(frames):
    pd = pytest.importorskip("pandas")
    devices = pd.concat([frames["devices"], frames["devices"].iloc[[10]]], ignore_index=True)
    assert problems_of(lambda: trueup.reconcile(devices, frames["installs"], frames["entitlements"], frames["access"], assignments=frames["assignments"], prices=frames["prices"])) == [
        ("error", "duplicate-id", "devices", 242, "device_id")]


def test_a_duplicated_column_is_named_as_written(frames):
    devices = frames["devices"].copy()
    devices.insert(1, "Device_ID", devices["device_id"])
    assert problems_of(lambda: trueup.reconcile(devices, frames["installs"], frames["entitlements"], frames["access"], assignments=frames["assignments"], prices=frames["prices"])) == [
        ("error", "duplicate-column", "devices", None, "Device_ID")]


def test_an_empty_value_and_an_empty_table(records):
    records["installs"][3]["title"] = "  "
    assert problems_of(lambda: trueup.reconcile(records["devices"], records["installs"], [])) == [
        ("error", "empty-value", "installs", 3, "title"),
        ("error", "empty-file", "entitlements", None, None)]  # an empty list has no columns


def test_file_problems_are_reported_as_the_command_line_reports_them(fleet_dir):
    # The command line's own invalid fleet (tests/cli/golden.cmake): a bad date, an unknown device.
    devices = fleet_dir / "devices.csv"
    devices.write_text(devices.read_text().replace("PC-0141,pc-0141.contoso.local,desktop,owned,retired,2025-07-15",
                                                   "PC-0141,pc-0141.contoso.local,desktop,owned,retired,2025-07-32"))
    with open(fleet_dir / "installs.csv", "a") as f:
        f.write("I-99999,PC-9999,Microsoft Windows 10 Pro,Microsoft Corporation,,,\n")
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile_dir(fleet_dir)
    lines = [str(p) for p in e.value.problems]
    assert lines[0].startswith("devices.csv:157:53: error[bad-date]: column `status_date`")
    assert lines[1].startswith("installs.csv:429:9: error[unknown-device]: column `device_id`")
    assert [(p.table, p.row, p.column) for p in e.value.problems] == [
        ("devices", 155, "status_date"), ("installs", 427, "device_id")]
    cli = os.environ.get("TRUEUP_CLI")
    if cli:  # the very same lines as the command line's standard error
        run = subprocess.run([cli, "validate", str(fleet_dir)], capture_output=True, text=True)
        assert run.returncode == 2
        assert run.stderr.splitlines()[:-1] == lines


def test_rows_of_a_file_count_data_rows_as_pandas_does(tmp_path):
    # A quoted field with a line break and blank lines: rows are not lines.
    pd = pytest.importorskip("pandas")
    path = tmp_path / "installs.csv"
    path.write_text('install_id,device_id,title\n\nI-1,PC-1,"Microsoft Visio\nProfessional 2016"\n\n'
                    'I-2,PC-1,Visio,extra\nI-3,PC-2,"Visio "Pro""\nI-4,PC-1,"Visio\n')
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile([{"device_id": "PC-1"}], path, [])
    got = [(str(p).split(": error")[0], p.code, p.row, p.column) for p in e.value.problems]
    assert got == [
        ("installs.csv:6", "field-count", 1, None),
        ("installs.csv:7:18", "bad-quote", 2, "title"),  # at the text after the quote; the row stops there
        ("installs.csv:8:10", "unterminated-quote", 3, "title"),
        ("entitlements", "empty-file", None, None),
    ]
    assert pd.read_csv(tmp_path / "installs.csv", nrows=1).iloc[0]["install_id"] == "I-1"  # row 0 is I-1


def test_a_missing_file_is_reported_by_its_path(tmp_path, records):
    missing = tmp_path / "nowhere" / "installs.csv"
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(records["devices"], missing, tmp_path)
    assert [str(p) for p in e.value.problems] == [
        f"installs.csv: error[missing-file]: expected a file {missing}, found none",
        f"{tmp_path.name}: error[missing-file]: expected a file {tmp_path}, found a directory"]
    assert problems_of(lambda: trueup.reconcile_dir(tmp_path / "nowhere")) == [
        ("error", "missing-file", "devices", None, None),
        ("error", "missing-file", "installs", None, None),
        ("error", "missing-file", "entitlements", None, None)]


def test_two_files_with_one_name_are_reported_by_their_paths(tmp_path, contoso):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
    (tmp_path / "a" / "data.csv").write_text((contoso / "devices.csv").read_text())
    (tmp_path / "b" / "data.csv").write_text("install_id,device_id,title\nI-1,PC-X,Visio\n")
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(tmp_path / "a" / "data.csv", tmp_path / "b" / "data.csv", contoso / "entitlements.csv")
    assert str(e.value.problems[0]).startswith(f"{tmp_path / 'b' / 'data.csv'}:2:5: error[unknown-device]")


def test_a_bad_rule_pack_name_or_path(records, tmp_path):
    assert problems_of(lambda: trueup.load_rule_pack("micrsoft")) == [
        ("error", "unknown-rule-pack", None, None, None)]
    assert problems_of(lambda: trueup.load_rule_pack(tmp_path / "none.toml")) == [
        ("error", "unreadable-file", None, None, None)]
    # A path object is a path, even without "/" or ".toml".
    assert problems_of(lambda: trueup.load_rule_pack(pathlib.Path("microsoft"))) == [
        ("error", "unreadable-file", None, None, None)]
    broken = tmp_path / "broken.toml"
    broken.write_text("[pack\nname = 1\n")
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"], rules=broken)
    assert str(e.value.problems[0]).startswith(f"{broken}:1:")
    with pytest.raises(trueup.InputError) as e:
        trueup.parse_rule_pack("[pack]\nname = 1\n", "inline.toml")
    assert all(str(p).startswith("inline.toml:") for p in e.value.problems)


@pytest.mark.parametrize("bad", ["2026-02-30", "30/06/2026", "", "2026-6-30"])
def test_a_bad_as_of_is_an_input_error(records, bad):
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"], as_of=bad)
    (p,) = e.value.problems
    assert (p.code, p.file, str(p)) == ("bad-date", "as_of",
                                        f'as_of: error[bad-date]: expected a date YYYY-MM-DD, found "{bad}"')


def test_a_bad_as_of_is_listed_with_the_tables_problems(records):
    records["installs"][0]["device_id"] = "nope"
    assert problems_of(lambda: trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"],
                                                as_of="tomorrow")) == [
        ("error", "bad-date", None, None, None), ("error", "unknown-device", "installs", 0, "device_id")]
    assert problems_of(lambda: trueup.reconcile(records["devices"], records["installs"], records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"],
                                                rules="nope", as_of="tomorrow")) == [
        ("error", "bad-date", None, None, None), ("error", "unknown-rule-pack", None, None, None)]


def test_year_0000_is_a_bad_date_not_a_value_error(records):
    # Python's datetime.date has no year 0: the readers refuse it as they read it.
    records["installs"][2]["first_seen"] = "0000-01-01"
    with pytest.raises(trueup.InputError) as e:
        trueup.parse_fleet(records["devices"], records["installs"], records["entitlements"])
    (p,) = e.value.problems
    assert (p.code, p.table, p.row, p.column) == ("bad-date", "installs", 2, "first_seen")
    assert p.message.endswith('found "0000-01-01", no year 0000 (years 0001 to 9999)')
    assert problems_of(lambda: trueup.reconcile(records["devices"], records["installs"], records["entitlements"],
                                                as_of="0000-01-01"))[0] == ("error", "bad-date", None, None, None)


def test_a_lone_surrogate_is_a_bad_encoding_not_a_unicode_encode_error(records):
    # A str decoded with errors="surrogateescape" (a Latin-1 file read as UTF-8) holds lone
    # surrogates, which UTF-8 cannot encode.
    records["installs"][3]["title"] = "Caf\udce9 Office"
    with pytest.raises(trueup.InputError) as e:
        trueup.parse_fleet(records["devices"], records["installs"], records["entitlements"])
    (p,) = e.value.problems
    assert (p.code, p.table, p.row, p.column) == ("bad-encoding", "installs", 3, "title")
    assert "a UTF-16 surrogate (U+D800 to U+DFFF), which UTF-8 cannot hold" in p.message


def test_wrong_argument_types_raise_type_error(records):
    d, i, e = records["devices"], records["installs"], records["entitlements"]
    with pytest.raises(TypeError, match="devices: expected a pandas DataFrame, a list of dicts"):
        trueup.reconcile(42, i, e)
    with pytest.raises(TypeError, match="installs: expected a pandas DataFrame"):
        trueup.reconcile(d, b"install_id\n", e)
    with pytest.raises(TypeError, match=r"entitlements: expected a mapping \(dict\) for each row, found str at row 0"):
        trueup.reconcile(d, i, ["licence_id"])
    with pytest.raises(TypeError, match="column 'device_id' holds str"):
        trueup.reconcile({"device_id": "PC-1"}, i, e)  # one record is not a mapping of columns
    with pytest.raises(TypeError, match="rules: expected a RulePack"):
        trueup.reconcile(d, i, e, rules=3)
    with pytest.raises(TypeError, match="as_of: expected a datetime.date"):
        trueup.reconcile(d, i, e, as_of=20260630)
    with pytest.raises(TypeError, match="expected a rule pack name"):
        trueup.load_rule_pack(3)


def test_columns_of_different_lengths_are_refused(records):
    with pytest.raises(ValueError, match="devices: expected columns of one length, found lengths 'device_id': 2, "
                                         "'kind': 1"):
        trueup.reconcile({"device_id": ["PC-1", "PC-2"], "kind": ["desktop"]}, records["installs"],
                         records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])


def test_warnings_alone_do_not_stop_a_run(records):
    installs = [dict(r, colour="red") for r in records["installs"]]
    result = trueup.reconcile(records["devices"], installs, records["entitlements"], records["access"], assignments=records["assignments"], prices=records["prices"])
    w, finding = result.warnings  # the read's warning, then the position's (the sample's early move)
    assert (w.severity, w.code, w.table, w.row, w.column) == ("warning", "unknown-column", "installs", None, "colour")
    assert finding.code == "early-reassignment"


def test_core_sources_refuse_what_they_cannot_read(rules):
    with pytest.raises(TypeError, match="devices.csv: expected the table's CSV text"):
        trueup._core.parse_fleet(trueup.FleetSources(devices=42, installs="", entitlements=""), rules)
    with pytest.raises(ValueError, match="expected three different table names"):
        trueup._core.parse_fleet(trueup.FleetSources("", "", "", installs_name="devices.csv"), rules)


def test_broken_invariants_raise_internal_error(rules):
    assert issubclass(trueup.InternalError, RuntimeError) and not issubclass(trueup.InternalError, ValueError)
    failed = trueup._core.load_rule_pack("no-such-pack")
    assert not failed and failed.error()[0].code == "unknown-rule-pack"
    with pytest.raises(trueup.InternalError, match="value\\(\\) called on a Result that holds diagnostics"):
        failed.value()
    loaded = trueup._core.load_rule_pack("microsoft", [trueup._SHIPPED_RULES])
    with pytest.raises(trueup.InternalError, match="error\\(\\) called on a Result that holds a value"):
        loaded.error()
    read = trueup._core.read_fleet(CONTOSO, rules)
    with pytest.raises(trueup.InternalError):
        read.error()
