# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_tenants_dask.py
#
# examples/python/tenants_dask.py on 200 generated estates and a LocalCluster of two worker
# processes: every estate is reconciled once, on its own, to the position a plain loop gives;
# an invalid estate is reported and does not stop the others; the summary does not depend on
# the number of workers.
from __future__ import annotations

import importlib.util
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import AS_OF, CONTOSO, SOURCE_DIR

EXAMPLE = SOURCE_DIR / "examples" / "python" / "tenants_dask.py"
ESTATES = 200


def load_example():
    spec = importlib.util.spec_from_file_location("tenants_dask", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def estates(tmp_path_factory) -> pathlib.Path:
    """200 estates made from the sample fleet: estate k lacks every 7th install starting at
    row k % 7 (seven different positions); estate-0199 has an install on an unknown device."""
    root = tmp_path_factory.mktemp("estates")
    lines = (CONTOSO / "installs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    for k in range(ESTATES):
        folder = root / f"estate-{k:04d}"
        shutil.copytree(CONTOSO, folder, ignore=shutil.ignore_patterns("*.py", "expected-*"))
        kept = [r for i, r in enumerate(rows) if i % 7 != k % 7]
        if k == ESTATES - 1:
            kept.append("I-99999,PC-9999,Microsoft Visio Professional 2016,Microsoft Corporation,,,\n")
        (folder / "installs.csv").write_text(header + "".join(kept), encoding="utf-8")
    return root


def run_example(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(EXAMPLE), *args], capture_output=True, text=True)


def test_every_estate_gets_the_position_a_plain_loop_gives(estates, tmp_path):
    pytest.importorskip("distributed")
    summary = tmp_path / "summary.csv"
    done = run_example(str(estates), "--workers", "2", "--as-of", AS_OF, "-o", str(summary))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{ESTATES} estates: {ESTATES - 1} reconciled, 1 invalid; ")

    example = load_example()
    expected = [example.reconcile_estate(f, AS_OF)["row"] for f in example.estates_in(estates)]
    import pandas as pd  # type: ignore[import]

    got = pd.read_csv(summary, keep_default_na=False, dtype=str).to_dict("records")
    assert len(got) == ESTATES
    for g, e in zip(got, expected):
        assert g == {c: "" if e.get(c) is None else str(e.get(c)) for c in example.SUMMARY_COLUMNS}
    assert got[-1]["status"] == "invalid" and "error[unknown-device]" in got[-1]["problem"]
    assert len({g["short"] for g in got[:-1]}) > 1  # the estates differ


def test_the_summary_is_the_same_bytes_with_one_worker_or_threads(estates, tmp_path):
    pytest.importorskip("distributed")
    some = tmp_path / "some"
    some.mkdir()
    for folder in sorted(estates.iterdir())[-20:]:
        (some / folder.name).symlink_to(folder)
    outputs = []
    for args in (["--workers", "2"], ["--workers", "1"], ["--workers", "2", "--threads"]):
        out = tmp_path / f"summary-{len(outputs)}.csv"
        done = run_example(str(some), *args, "--as-of", AS_OF, "-o", str(out))
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
