# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_core.py
#
# The compiled core as the facade and its users see it: names mirror the C++ API; texts are
# read in place whether str, bytes or a buffer; the GIL is released while parsing and solving;
# enumerations, dates and the library's Result behave as in C++.
from __future__ import annotations

import datetime
import threading
import time

import pytest

import trueup
from trueup import _core

from conftest import CONTOSO, TABLES, sample_options, scaled_fleet


def test_names_mirror_the_cpp_api():
    for name in ("load_rule_pack", "parse_rule_pack", "parse_fleet", "read_fleet", "reconcile", "format_json",
                 "format_table", "check_accounting", "Position", "ProductPosition", "InstallVerdict",
                 "EntitlementUse", "Totals", "UnitTotals", "Allocation", "RuleStep", "Diagnostic", "Fleet",
                 "FleetRead", "FleetSources", "Device", "Install", "Entitlement", "RulePack", "ProductRef", "Date",
                 "ReconcileOptions", "SolveOptions", "Verdict", "Metric", "Channel", "Exclusion", "DeviceKind",
                 "Ownership", "DeviceStatus", "Severity", "SolveStatus", "InputError", "InternalError"):
        assert name in trueup.__all__ and hasattr(trueup, name), name
    for name in trueup.__all__:
        assert getattr(trueup, name) is not None
    assert trueup.__version__ == "0.1.0"


def test_enumerations_have_upper_members_and_the_files_names():
    assert trueup.name(trueup.Verdict.SHORTFALL) == "short"
    assert trueup.name(trueup.DeviceKind.VIRTUAL_MACHINE) == "vm"
    assert trueup.name(trueup.Exclusion.OTHER_PUBLISHER) == "other-publisher"
    assert trueup.name(trueup.Channel.RETAIL) == "retail"
    assert trueup.name(trueup.Metric.CORE) == "core"
    assert trueup.name(trueup.Ownership.LEASED) == "leased"
    assert trueup.name(trueup.DeviceStatus.FAILED) == "failed"
    assert trueup.name(trueup.RuleStep.Kind.DOWN_EDITION) == "down-edition"
    assert [m for m in trueup.Verdict.__members__] == ["COVERED", "SHORTFALL", "EXCLUDED", "DUPLICATE"]


def test_dates_are_the_libraries_dates():
    d = trueup.Date.parse("2024-02-29")
    assert d is not None and d.iso() == "2024-02-29" and d.to_date() == datetime.date(2024, 2, 29)
    assert d == trueup.Date(2024, 2, 29) and trueup.Date(1970, 1, 1).days == 0
    assert trueup.Date.parse("2023-02-29") is None and trueup.Date.parse("2024-2-29") is None
    with pytest.raises(ValueError, match="expected a calendar date"):
        trueup.Date(2023, 2, 29)


def test_texts_are_read_the_same_as_str_bytes_buffers_and_files(rules, golden_json_text):
    texts = {t: (CONTOSO / f"{t}.csv").read_text(encoding="utf-8") for t in TABLES}
    kinds = (
        lambda t: texts[t],
        lambda t: texts[t].encode(),
        lambda t: memoryview(bytearray(texts[t].encode())),
        lambda t: CONTOSO / f"{t}.csv",
    )
    for kind in kinds:
        devices, installs, entitlements, access, assignments, prices = (kind(t) for t in TABLES)
        sources = trueup.FleetSources(devices, installs, entitlements, access=access, assignments=assignments,
                                      prices=prices)
        read = _core.parse_fleet(sources, rules)
        assert read.has_value() and read.locations == []
        position = _core.reconcile(rules, read.value().fleet, sample_options())
        assert _core.format_json(position, rules, read.value().fleet) == golden_json_text


def test_read_fleet_reads_a_directory_as_the_command_line(rules, golden_json_text):
    read = _core.read_fleet(CONTOSO, rules)
    assert read
    position = _core.reconcile(rules, read.value().fleet, sample_options())
    assert trueup.format_json(position, rules, read.value().fleet) == golden_json_text
    assert trueup.format_table(position, rules, read.value().fleet) == \
        (CONTOSO / "expected-position.txt").read_text(encoding="utf-8")


def test_the_gil_is_released_while_parsing_and_solving(rules):
    # While another thread parses and reconciles a fleet of 220,000 installs, this thread keeps
    # running: the longest pause it sees is a fraction of each call. With the GIL held it would
    # see no time pass during a call, then one pause as long as the call: so it sees building
    # the verdict table, which creates Python objects and must hold the GIL (the control).
    texts = scaled_fleet(600)
    sources = trueup.FleetSources(texts["devices"], texts["installs"], texts["entitlements"])
    spans: dict[str, tuple[float, float]] = {}

    def work() -> None:
        t0 = time.perf_counter()
        read = _core.parse_fleet(sources, rules)
        t1 = time.perf_counter()
        fleet = read.value().fleet
        t2 = time.perf_counter()
        position = _core.reconcile(rules, fleet)
        t3 = time.perf_counter()
        _core.install_table(position, rules, fleet)
        spans["parse"] = (t0, t1)
        spans["reconcile"] = (t2, t3)
        spans["control"] = (t3, time.perf_counter())

    stamps = []
    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
    worker.join()
    for call, (start, end) in spans.items():
        inside = [start] + [s for s in stamps if start < s < end] + [end]
        longest = max(b - a for a, b in zip(inside, inside[1:]))
        assert end - start > 0.03, f"{call} too short to tell ({end - start:.3f} s)"
        if call == "control":
            assert longest > (end - start) / 2, f"the control did not hold the GIL ({longest:.3f} s)"
        else:
            assert longest < (end - start) / 2, f"{call}: this thread paused {longest:.3f} s of {end - start:.3f} s"


def test_stubs_match_the_compiled_module():
    # mypy's stubtest compares _core.pyi with the module. pybind11 classes have their own
    # metaclass, and those without a constructor an `__init__(*args)` that raises: both are
    # allowed, and only for classes that indeed cannot be constructed.
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "trueup._core"], capture_output=True, text=True)
    problems = [block for block in run.stdout.split("\n\n") if block.startswith("error:")]
    unexpected = []
    for block in problems:
        first = block.splitlines()[0]
        name = first.split()[1]
        if "metaclass differs" in first:
            continue
        if first.endswith('stub does not have *args argument "args"') and name.endswith(".__init__"):
            cls = getattr(_core, name.split(".")[-2])
            with pytest.raises(TypeError, match="No constructor defined"):
                cls()
            continue
        unexpected.append(block)
    assert unexpected == [], "\n\n".join(unexpected)
    assert len(problems) > 0 or run.returncode == 0


def test_the_package_and_examples_type_check():
    import os
    import pathlib
    import subprocess
    import sys

    import trueup as package

    where = pathlib.Path(package.__file__).parents[1]  # <build>/python
    examples = sorted(str(p) for p in (pathlib.Path(__file__).resolve().parents[3] / "examples" / "python").glob("*.py"))
    assert examples
    for target in (["-p", "trueup"], examples):
        run = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, *target],
            capture_output=True, text=True, cwd=where, env=dict(os.environ, MYPYPATH=str(where)))
        assert run.returncode == 0, run.stdout + run.stderr
