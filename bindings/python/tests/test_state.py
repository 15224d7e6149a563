# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_state.py
#
# The state store from Python (docs/state.md, docs/python.md): reconcile(..., state=FILE)
# records the history the command records (the command's own code, state::begin_reconcile),
# history() and runs() read it, the same refusals leave the file as it was, and
# `python3 -m trueup reconcile --state` / `history` give the command's bytes.
from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys

import pytest

import trueup
from conftest import AS_OF, CONTOSO, read_records

LATER = "2026-07-31"  # after L-0176's unlawful early move (PC-0162 -> PC-0163) of 2026-06-10


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trueup", *args], capture_output=True, text=True, env=os.environ)


def test_two_runs_are_recorded_and_the_second_reads_its_history_from_the_file(tmp_path):
    state = tmp_path / "trueup.db"
    first = trueup.reconcile_dir(CONTOSO, as_of=AS_OF, state=state)
    assert first.run is not None and first.run["id"] == 1
    assert first.run["as_of"] == datetime.date(2026, 6, 30)
    assert first.run["label"] == os.fspath(CONTOSO)
    assert first.run["assignments"] == len(first.assignments)
    assert not any(w.code == "history-in-state" for w in first.warnings)  # a new file: assignments.csv seeds it

    second = trueup.reconcile_dir(CONTOSO, as_of=LATER, state=state)
    assert second.run is not None and second.run["id"] == 2
    history_warnings = [w for w in second.warnings if w.code == "history-in-state"]
    assert len(history_warnings) == 1 and history_warnings[0].table == "assignments"

    runs = trueup.runs(state)
    assert list(runs["id"]) == [1, 2]
    assert list(runs["as_of"]) == [datetime.date(2026, 6, 30), datetime.date(2026, 7, 31)]
    # The move of L-0176 became lawful 90 days on: the file holds both holdings, the first closed by run 2.
    moves = trueup.history(state, licence="L-0176")
    assert list(moves["device_id"]) == ["PC-0162", "PC-0163"]
    assert list(moves["to"]) == [datetime.date(2026, 7, 31), None]
    assert str(moves["closed_by_run"].dtype) == "Int64"
    assert moves["closed_by_run"].iloc[0] == 2 and moves["closed_by_run"].isna().iloc[1]


def test_the_history_python_records_is_the_history_the_command_records(tmp_path):
    cli = os.environ.get("TRUEUP_CLI")
    if not cli:
        pytest.skip("TRUEUP_CLI is not set: the command is not built")
    ours, theirs = tmp_path / "python.db", tmp_path / "command.db"
    for as_of in (AS_OF, LATER):
        trueup.reconcile_dir(CONTOSO, as_of=as_of, state=ours)
        subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", as_of, "--state", str(theirs), "-q"],
                       check=True, capture_output=True)
    holders = {r["device_id"] for r in read_records(CONTOSO / "assignments.csv")} | {"PC-0163"}
    for device in sorted(holders):
        mine = trueup.history(ours, device=device)
        other = trueup.history(theirs, device=device)
        assert mine.equals(other), device
        assert run_module("history", "--state", str(ours), "--device", device).stdout == subprocess.run(
            [cli, "history", "--state", str(theirs), "--device", device], capture_output=True, text=True
        ).stdout
    assert [r for r in trueup.runs(ours)["assignments"]] == [r for r in trueup.runs(theirs)["assignments"]]


def test_a_run_dated_before_the_last_is_refused_and_the_file_is_as_it_was(tmp_path):
    state = tmp_path / "trueup.db"
    trueup.reconcile_dir(CONTOSO, as_of=LATER, state=state)
    before = state.read_bytes()
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile_dir(CONTOSO, as_of=AS_OF, state=state)
    assert [p.code for p in e.value.problems] == ["state-as-of-earlier"]
    assert os.fspath(state) in str(e.value)
    assert state.read_bytes() == before


def test_a_run_dated_after_today_needs_future_as_of(tmp_path):
    state = tmp_path / "trueup.db"
    future = (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=400)).isoformat()
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile_dir(CONTOSO, as_of=future, state=state)
    assert [p.code for p in e.value.problems] == ["state-future-as-of"]
    assert not state.exists()  # refused before the file was opened
    result = trueup.reconcile_dir(CONTOSO, as_of=future, state=state, future_as_of=True)
    assert result.run is not None and result.run["as_of"].isoformat() == future


def test_a_deferred_commit_holds_the_lock_and_records_only_when_asked(tmp_path):
    state = tmp_path / "trueup.db"
    held = trueup.reconcile_dir(CONTOSO, as_of=AS_OF, state=state, defer_commit=True)
    assert held.run is None
    # Another process waits for the lock, then refuses (state-busy after its wait).
    probe = (
        "import sys, trueup, trueup._core as c\n"
        "fleet = trueup.read_fleet(sys.argv[2]).fleet\n"
        "r = c.begin_reconcile(sys.argv[1], c.Date(2026, 6, 30), fleet, wait_ms=100)\n"
        "print(r.has_value() or r.error()[0].code)\n"
    )
    args = [sys.executable, "-c", probe, os.fspath(state), os.fspath(CONTOSO)]
    busy = subprocess.run(args, capture_output=True, text=True)
    assert busy.stdout.strip() == "state-busy", busy.stderr
    held.close_state()
    assert len(trueup.runs(state)) == 0  # closed without a commit: nothing recorded
    free = subprocess.run(args, capture_output=True, text=True)
    assert free.stdout.strip() == "True", free.stderr

    again = trueup.reconcile_dir(CONTOSO, as_of=AS_OF, state=state, defer_commit=True)
    info = again.commit_state()
    assert info["id"] == 1 and again.run == info
    with pytest.raises(ValueError):
        again.commit_state()


def test_assignments_given_as_a_table_next_to_a_state_with_runs_are_ignored_with_a_warning(tmp_path):
    state = tmp_path / "trueup.db"
    trueup.reconcile_dir(CONTOSO, as_of=AS_OF, state=state)
    tables = {t: read_records(CONTOSO / f"{t}.csv") for t in ("devices", "installs", "entitlements", "access")}
    result = trueup.reconcile(
        **tables, assignments=read_records(CONTOSO / "assignments.csv"), as_of=LATER, state=state, label="tables"
    )
    warning = next(w for w in result.warnings if w.code == "history-in-state")
    assert str(warning).startswith("assignments: warning[history-in-state]")
    assert result.run is not None and result.run["label"] == "tables"


def test_history_needs_exactly_one_subject_and_a_state_file(tmp_path):
    with pytest.raises(TypeError):
        trueup.history(tmp_path / "x.db")
    with pytest.raises(TypeError):
        trueup.history(tmp_path / "x.db", licence="L-1", device="PC-1")
    with pytest.raises(trueup.InputError) as e:
        trueup.runs(tmp_path / "missing.db")  # read-only: never created
    assert [p.code for p in e.value.problems] == ["state-open"]
    assert not (tmp_path / "missing.db").exists()
    (tmp_path / "notes.db").write_text("device_id,kind\n")
    with pytest.raises(trueup.InputError) as e:
        trueup.history(tmp_path / "notes.db", user="alice")
    assert [p.code for p in e.value.problems] == ["state-not-trueup"]


def test_the_module_records_the_run_and_writes_the_commands_report(tmp_path):
    state, out = tmp_path / "trueup.db", tmp_path / "position.json"
    run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--state", str(state), "--format", "json",
                     "-o", str(out), "--quiet")
    assert run.returncode == 0, run.stderr
    # With a state the assignments are recorded: the report gains their summary.
    assert json.loads(out.read_text(encoding="utf-8"))["assignments"]["records"] == trueup.runs(state)["assignments"][0]
    assert list(trueup.runs(state)["id"]) == [1]
    history = run_module("history", "--state", str(state), "--licence", "L-0176")
    assert history.returncode == 0 and history.stdout.splitlines()[0].split() == [
        "from", "to", "licence", "holder", "units", "reason", "run"]
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        assert history.stdout == subprocess.run(
            [cli, "history", "--state", str(state), "--licence", "L-0176"], capture_output=True, text=True
        ).stdout
        native = tmp_path / "native.json"
        subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--state", str(tmp_path / "native.db"),
                        "--format", "json", "-o", str(native), "-q"], check=True, capture_output=True)
        assert out.read_bytes() == native.read_bytes()


def test_the_module_refuses_outputs_on_the_state_and_a_run_it_cannot_record_writes_nothing(tmp_path):
    state = tmp_path / "trueup.db"
    assert run_module("reconcile", str(CONTOSO), "--as-of", LATER, "--state", str(state), "--quiet").returncode == 0
    before = state.read_bytes()
    same = run_module("reconcile", str(CONTOSO), "--as-of", LATER, "--state", str(state), "-o", str(state))
    assert same.returncode == 2 and "error[same-output]" in same.stderr
    assert state.read_bytes() == before

    out, assignments = tmp_path / "report.txt", tmp_path / "assignments.csv"
    earlier = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--state", str(state), "-o", str(out),
                         "--write-assignments", str(assignments))
    assert earlier.returncode == 2 and "error[state-as-of-earlier]" in earlier.stderr
    assert not out.exists() and not assignments.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trueup.db"]  # no pending file left either
    assert state.read_bytes() == before


def test_the_module_writes_the_commands_workbook_with_a_state(tmp_path):
    cli = os.environ.get("TRUEUP_CLI")
    if not cli or shutil.which("unzip") is None:
        pytest.skip("needs the command (TRUEUP_CLI)")
    fleet = tmp_path / "fleet"
    shutil.copytree(CONTOSO, fleet)
    ours, theirs = tmp_path / "python.xlsx", tmp_path / "command.xlsx"
    state = tmp_path / "trueup.db"
    # One state file path for both (the Assumptions sheet names it), each run on its own copy.
    assert run_module("reconcile", str(fleet), "--as-of", AS_OF, "--state", str(state), "--format", "xlsx",
                      "-o", str(ours), "--fail-on-shortfall", "--quiet").returncode == 1
    state.unlink()
    native = subprocess.run([cli, "reconcile", str(fleet), "--as-of", AS_OF, "--state", str(state), "--format",
                             "xlsx", "-o", str(theirs), "--fail-on-shortfall", "-q"], capture_output=True)
    assert native.returncode == 1
    assert ours.read_bytes() == theirs.read_bytes()
