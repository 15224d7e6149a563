# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_entitlements.py
#
# Licence files other than DIR/entitlements.csv (`read_entitlements()`, `reconcile_dir(...,
# entitlements=...)`, `python3 -m trueup reconcile --entitlements`): the same licences, report,
# warnings and errors as `trueup reconcile DIR --entitlements [KIND:]PATH` (TRUEUP_CLI).
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

import trueup
from conftest import AS_OF, CONTOSO

CLI = os.environ.get("TRUEUP_CLI")
needs_cli = pytest.mark.skipif(not CLI, reason="TRUEUP_CLI (the command) not given")


def fleet_without_licences(tmp_path):
    """The sample fleet with its licences moved out of the folder, split over two files: the
    volume records in a French Excel's save (`;`, columns reordered), the others as they were."""
    fleet = tmp_path / "fleet"
    shutil.copytree(CONTOSO, fleet, ignore=shutil.ignore_patterns("expected-*", "entitlements.csv"))
    lines = (CONTOSO / "entitlements.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    volume = [r for r in rows if ",volume," in r]
    (tmp_path / "oem.csv").write_text("\n".join([header] + [r for r in rows if r not in volume]) + "\n")
    columns = header.split(",")
    order = [columns.index("quantity")] + [i for i in range(len(columns)) if columns[i] != "quantity"]
    french = [";".join(r.split(",")[i] for i in order) for r in [header] + volume]
    (tmp_path / "volume.csv").write_text("\n".join(french) + "\n")
    return fleet, [f"csv:{tmp_path / 'oem.csv'}", str(tmp_path / "volume.csv")]


def command(*args: str) -> subprocess.CompletedProcess[str]:
    assert CLI is not None
    return subprocess.run([CLI, *args], capture_output=True, text=True)


def test_read_entitlements_gives_the_records_of_every_source_in_order(tmp_path):
    _, specs = fleet_without_licences(tmp_path)
    licences = trueup.read_entitlements(*specs)
    rows = licences.table
    rows = rows.to_dict("records") if hasattr(rows, "to_dict") else rows
    assert len(rows) == 178 and repr(licences) == "<Entitlements 178 row(s) from 2 source(s)>"
    assert rows[0]["licence_id"] == "L-0001" and rows[0]["channel"] == "oem"
    assert {r["channel"] for r in rows[-10:]} == {"volume"}
    assert licences.sources == specs and licences.warnings == []


@needs_cli
def test_a_reconcile_from_licence_files_is_the_commands(tmp_path):
    fleet, specs = fleet_without_licences(tmp_path)
    (fleet / "entitlements.csv").write_text("licence_id,family,version,edition,channel,quantity\n")  # left there
    result = trueup.reconcile_dir(fleet, entitlements=specs, as_of=AS_OF)
    args = ["reconcile", str(fleet), "--as-of", AS_OF]
    for spec in specs:
        args += ["--entitlements", spec]
    out = tmp_path / "cli.json"
    native = command(*args, "--format", "json", "-o", str(out))
    assert native.returncode == 0, native.stderr
    assert result.to_json() == out.read_text(encoding="utf-8")
    # The same report as the licences in the folder (the records are the same)...
    assert result.totals == trueup.reconcile_dir(CONTOSO, as_of=AS_OF).totals
    # ...the same warnings, the folder's list said not read, and the workbook names the sources.
    assert [str(w) for w in result.warnings] == native.stderr.splitlines()
    assert any(w.code == "not-read" and w.file == "entitlements.csv" for w in result.warnings)
    result.to_csv(tmp_path / "ours")
    assert command(*args, "--format", "csv", "-o", str(tmp_path / "theirs")).returncode == 0
    for name in ("assumptions.csv", "licences.csv"):
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "theirs" / name).read_bytes(), name


@needs_cli
def test_problems_in_a_licence_file_are_named_where_they_were_read(tmp_path):
    fleet, _ = fleet_without_licences(tmp_path)
    bad = tmp_path / "licences.csv"
    bad.write_text(
        "licence_id,family,version,edition,channel,quantity,reference,seats\n"
        'X-1,office,2019,Standard,volume,2,"EA 1\nrenewed",5\n'
        "X-2,office,2019,Standard,volume,ten,,5\n"
        "X-1,office,2019,Standard,volume,1,,5\n"
    )
    with pytest.raises(trueup.InputError) as raised:
        trueup.reconcile_dir(fleet, entitlements=f"csv:{bad}", as_of=AS_OF)
    native = command("reconcile", str(fleet), "--entitlements", f"csv:{bad}", "--as-of", AS_OF)
    assert native.returncode == 2
    # Every line the command prints, in its order: the errors at their sources, then the
    # sources' warnings (the unknown column).
    assert [str(p) for p in raised.value.problems] == native.stderr.splitlines()[:-1]
    assert raised.value.problems[-1].code == "unknown-column"
    errors = [str(p) for p in raised.value.problems if p.severity == "error"]
    assert "licences.csv:4:33: error[bad-number]" in "\n".join(errors)
    assert any("licences.csv:5:1: error[duplicate-id]" in e and "(first in licences.csv on line 2)" in e for e in errors)


@needs_cli
def test_without_a_fleet_folder_the_workbook_names_only_the_sources(tmp_path):
    _, specs = fleet_without_licences(tmp_path)
    exports = f"sccm:{CONTOSO.parent / 'sccm' / 'exports'}"
    licences = f"csv:{CONTOSO.parent / 'sccm' / 'entitlements.csv'}"
    result = trueup.reconcile(inventory=exports, entitlements=trueup.read_entitlements(licences), as_of=AS_OF)
    assert [item for item, _ in result.assumptions][:4] == ["inventory", "entitlements", "rules", "as-of"]
    result.to_csv(tmp_path / "ours")
    native = command(
        "reconcile", "--inventory", exports, "--entitlements", licences, "--as-of", AS_OF, "--format", "csv", "-o",
        str(tmp_path / "theirs"),
    )
    assert native.returncode == 0, native.stderr
    for name in ("assumptions.csv", "elp.csv", "licences.csv"):
        assert (tmp_path / "ours" / name).read_bytes() == (tmp_path / "theirs" / name).read_bytes(), name


def test_read_fleet_reads_licence_files_as_validate_does(tmp_path):
    fleet, specs = fleet_without_licences(tmp_path)
    (fleet / "entitlements.csv").write_text("licence_id,family,version,edition,channel,quantity\n")  # left there
    extra = tmp_path / "extra.csv"
    extra.write_text("licence_id,family,version,edition,channel,quantity,seats\nX-1,office,2019,Standard,volume,1,5\n")
    read = trueup.read_fleet(fleet, entitlements=specs + [str(extra)])
    assert len(read.fleet.entitlements) == 179
    warnings = [str(w) for w in read.warnings]
    assert warnings[0].startswith("extra.csv:1: warning[unknown-column]")  # the sources' first
    assert warnings[-1].startswith("entitlements.csv: warning[not-read]")  # the folder's list last
    bad = tmp_path / "bad.csv"
    bad.write_text("licence_id,family,version,edition,channel,quantity\nX-1,office,2019,Standard,volume,ten\n")
    with pytest.raises(trueup.InputError) as raised:
        trueup.read_fleet(fleet, entitlements=f"csv:{bad}")
    assert str(raised.value.problems[0]).startswith("bad.csv:2:33: error[bad-number]")
    run = subprocess.run(
        [sys.executable, "-m", "trueup", "validate", str(fleet), "--entitlements", f"csv:{bad}"],
        capture_output=True, text=True, env=os.environ,
    )
    assert run.returncode == 2 and "bad.csv:2:33: error[bad-number]" in run.stderr


def test_an_unreadable_source_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(trueup.InputError) as raised:
        trueup.read_entitlements(str(tmp_path / "missing.csv"))
    assert raised.value.problems[0].code == "missing-file"
    with pytest.raises(trueup.InputError) as raised:
        trueup.read_entitlements("flexera:purchases.csv")
    assert raised.value.problems[0].code == "bad-entitlements"


@needs_cli
def test_the_module_takes_entitlements_as_the_command_does(tmp_path):
    fleet, specs = fleet_without_licences(tmp_path)
    args = ["reconcile", str(fleet), "--as-of", AS_OF, "--format", "json", "--quiet"]
    for spec in specs:
        args += ["--entitlements", spec]
    ours = subprocess.run([sys.executable, "-m", "trueup", *args, "-o", str(tmp_path / "a.json")], env=os.environ)
    assert ours.returncode == 0
    assert command(*args, "-o", str(tmp_path / "b.json")).returncode == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    refused = subprocess.run(
        [sys.executable, "-m", "trueup", *args, "--csv-separator", ";"], capture_output=True, text=True, env=os.environ
    )
    assert refused.returncode == 2 and "error[bad-option]" in refused.stderr
    assert refused.stderr == command(*args, "--csv-separator", ";").stderr
