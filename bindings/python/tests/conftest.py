# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/conftest.py
#
# Fixtures of the Python tests: the sample fleet (examples/contoso) as files, DataFrames and
# records, its golden JSON (the command line's output, tests/cli/golden.cmake), and a scaled
# copy of it for tests that need a fleet large enough to time.
from __future__ import annotations

import csv
import json
import os
import pathlib
import shutil
from typing import Any

import pytest

import trueup

SOURCE_DIR = pathlib.Path(os.environ.get("TRUEUP_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
CONTOSO = SOURCE_DIR / "examples" / "contoso"
TABLES = ("devices", "installs", "entitlements", "access", "assignments", "prices")
#: The tables a scaled copy of the sample fleet has (no history, no price list).
SCALED_TABLES = TABLES[:4]
#: The sample fleet's date: the command line's golden output is taken as of it (scripts/demo).
AS_OF = "2026-06-30"


def sample_options() -> trueup.ReconcileOptions:
    """Options of the golden output: the sample fleet's as-of date."""
    options = trueup.ReconcileOptions()
    options.as_of = trueup.Date(2026, 6, 30)
    return options


@pytest.fixture(scope="session")
def contoso() -> pathlib.Path:
    return CONTOSO


@pytest.fixture(scope="session")
def golden_json_text() -> str:
    return (CONTOSO / "expected-position.json").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def golden(golden_json_text: str) -> dict[str, Any]:
    return json.loads(golden_json_text)


@pytest.fixture(scope="session")
def rules() -> trueup.RulePack:
    return trueup.load_rule_pack("microsoft")


def read_records(path: pathlib.Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture()
def records() -> dict[str, list[dict[str, str]]]:
    """The sample fleet as lists of dicts, all values text, as csv.DictReader gives them."""
    return {t: read_records(CONTOSO / f"{t}.csv") for t in TABLES}


@pytest.fixture()
def frames() -> dict[str, Any]:
    """The sample fleet as DataFrames, with pandas' own type inference (floats for numbers
    with blanks, NaN for empty cells)."""
    pd = pytest.importorskip("pandas")
    return {t: pd.read_csv(CONTOSO / f"{t}.csv") for t in TABLES}


@pytest.fixture()
def fleet_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A writable copy of the sample fleet."""
    d = tmp_path / "fleet"
    d.mkdir()
    for t in TABLES:
        shutil.copy(CONTOSO / f"{t}.csv", d / f"{t}.csv")
    return d


def scaled_fleet(copies: int) -> dict[str, str]:
    """The sample fleet `copies` times over as CSV texts, ids suffixed per copy (its files hold
    no quoted fields, so splitting on commas is exact)."""
    out = {}
    refs = {"devices": (0, 9), "installs": (0, 1), "entitlements": (0, 6), "access": (0, 1, 2)}  # ids and references
    for t in SCALED_TABLES:
        lines = (CONTOSO / f"{t}.csv").read_text(encoding="utf-8").splitlines()
        parts = [lines[0]]
        rows = [line.split(",") for line in lines[1:] if line]
        for k in range(copies):
            for r in rows:
                r2 = list(r)
                for c in refs[t]:
                    if r2[c]:
                        r2[c] = f"{r2[c]}-{k}"
                parts.append(",".join(r2))
        out[t] = "\n".join(parts) + "\n"
    return out
