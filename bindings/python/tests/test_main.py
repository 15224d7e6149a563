# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_main.py
#
# `python3 -m trueup` mirrors the command: the same report, byte for byte, and the same exit
# codes (0 ran, 1 shortfall with --fail-on-shortfall, 2 invalid input or usage).
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import AS_OF, CONTOSO


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trueup", *args], capture_output=True, text=True, env=os.environ)


def test_reconcile_writes_the_golden_json_of_the_sample_fleet(tmp_path):
    out = tmp_path / "position.json"
    run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--format", "json", "-o", str(out), "--quiet")
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert out.read_bytes() == (CONTOSO / "expected-position.json").read_bytes()


def test_reconcile_prints_the_table_the_command_prints():
    run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF)
    assert run.returncode == 0, run.stderr
    assert run.stdout == (CONTOSO / "expected-position.txt").read_text(encoding="utf-8")
    assert "warning[early-reassignment]" in run.stderr
    cli = os.environ.get("TRUEUP_CLI")
    if cli:  # and the very same warnings as the command's standard error
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF], capture_output=True, text=True)
        assert run.stderr == native.stderr


def test_fail_on_shortfall_exits_1():
    run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--fail-on-shortfall", "--quiet")
    assert run.returncode == 1


def test_invalid_input_exits_2_and_writes_nothing(tmp_path):
    (tmp_path / "devices.csv").write_text("device_id\nPC-1\n")
    (tmp_path / "installs.csv").write_text("install_id,device_id,title\nI-1,PC-9,Visio\n")
    (tmp_path / "entitlements.csv").write_text("licence_id,product\n")
    out = tmp_path / "position.json"
    run = run_module("reconcile", str(tmp_path), "--format", "json", "-o", str(out))
    assert run.returncode == 2
    assert "error[unknown-device]" in run.stderr
    assert not out.exists()
    assert run_module("validate", str(tmp_path)).returncode == 2


@pytest.mark.parametrize("args", [[], ["reconcile"], ["reconcile", "x", "--format", "xml"], ["frobnicate"]])
def test_usage_errors_exit_2(args):
    assert run_module(*args).returncode == 2


def test_write_assignments_is_the_file_the_command_writes(tmp_path):
    ours = tmp_path / "ours.csv"
    run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--write-assignments", str(ours))
    assert run.returncode == 0, run.stderr
    text = ours.read_text(encoding="utf-8")
    assert text.startswith("licence_id,device_id,user,from,reason,units\n")
    assert "L-0176,PC-0162,,2026-05-01," in text  # the early move did not happen: still on PC-0162
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        theirs = tmp_path / "theirs.csv"
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet",
                                 "--write-assignments", str(theirs)], capture_output=True, text=True)
        assert native.returncode == 0, native.stderr
        assert ours.read_bytes() == theirs.read_bytes()


def test_result_assignments_are_the_rows_of_that_file(tmp_path):
    import trueup

    result = trueup.reconcile_dir(CONTOSO, as_of=AS_OF, record_assignments=True)
    path = tmp_path / "assignments.csv"
    result.write_assignments(path)
    rows = result.assignments.to_dict("records") if hasattr(result.assignments, "to_dict") else result.assignments
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(lines) - 1 > 0
    first = dict(zip(lines[0].split(","), lines[1].split(",")))
    assert {k: str(v) for k, v in rows[0].items()} == first
    # Read back as the next run's history, on the same date: the same verdicts and totals.
    fleet = tmp_path / "fleet"
    shutil.copytree(CONTOSO, fleet)
    shutil.copy(path, fleet / "assignments.csv")
    again = trueup.reconcile_dir(fleet, as_of=AS_OF)
    assert again.totals == result.totals
    verdicts = [(r["install_id"], r["verdict"]) for r in result.to_records()["verdicts"]]
    assert [(r["install_id"], r["verdict"]) for r in again.to_records()["verdicts"]] == verdicts
    with pytest.raises(ValueError, match="record_assignments=True"):
        _ = again.assignments


def test_the_workbook_from_python_is_the_commands_byte_for_byte(tmp_path):
    import trueup

    result = trueup.reconcile_dir(str(CONTOSO), as_of=AS_OF)
    ours = tmp_path / "ours.xlsx"
    result.to_xlsx(ours)
    assert ours.read_bytes()[:2] == b"PK"
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        theirs = tmp_path / "theirs.xlsx"
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--format", "xlsx",
                                 "-o", str(theirs)], capture_output=True, text=True)
        assert native.returncode == 0, native.stderr
        assert ours.read_bytes() == theirs.read_bytes()
    folder = tmp_path / "csv"
    result.to_csv(folder)
    assert (folder / "elp.csv").read_text(encoding="utf-8").startswith("Product,Family,Version,Edition,")
    result.to_csv(folder)  # replaces its own earlier folder
    if cli:
        theirs_csv = tmp_path / "theirs-csv"
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--format", "csv",
                                 "-o", str(theirs_csv)], capture_output=True, text=True)
        assert native.returncode == 0, native.stderr
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in theirs_csv.iterdir())
        for p in folder.iterdir():
            assert p.read_bytes() == (theirs_csv / p.name).read_bytes(), p.name
    with pytest.raises(OSError):
        result.to_csv(CONTOSO)  # never replaces a folder of other files
    assert (CONTOSO / "devices.csv").is_file()


def test_html_and_csv_from_the_module_are_the_commands_byte_for_byte(tmp_path):
    import trueup

    page, folder = tmp_path / "position.html", tmp_path / "position"
    for fmt, out in (("html", page), ("csv", folder)):
        run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--format", fmt, "-o", str(out))
        assert run.returncode == 0, run.stderr
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert trueup.reconcile_dir(str(CONTOSO), as_of=AS_OF).to_html().encode() == page.read_bytes()
    assert (folder / "elp.csv").is_file()
    # Again onto its own earlier folder; never onto a folder of other files, and never without -o.
    assert run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "-q", "--format", "csv", "-o", str(folder)).returncode == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    refused = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "-q", "--format", "csv", "-o", str(other))
    assert refused.returncode == 2 and "write-failed" in refused.stderr
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]
    usage = run_module("reconcile", str(CONTOSO), "--format", "csv")
    assert usage.returncode == 2 and "give -o DIR" in usage.stderr
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        theirs = tmp_path / "theirs.html"
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--format", "html",
                                 "-o", str(theirs)], capture_output=True, text=True)
        assert native.returncode == 0, native.stderr
        assert theirs.read_bytes() == page.read_bytes()
        theirs_csv = tmp_path / "theirs-csv"
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--format", "csv",
                                 "-o", str(theirs_csv)], capture_output=True, text=True)
        assert native.returncode == 0, native.stderr
        for p in theirs_csv.iterdir():
            assert p.read_bytes() == (folder / p.name).read_bytes(), p.name
