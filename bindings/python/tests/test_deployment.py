# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_deployment.py
#
# `Result.deployment(...)` is `trueup deployment DIR` (TRUEUP_CLI): the same table, JSON and
# workbook, byte for byte, and the same pseudonyms with --redact.
from __future__ import annotations

import json
import os
import subprocess

import pytest

import trueup
from conftest import AS_OF, CONTOSO

CLI = os.environ.get("TRUEUP_CLI")
SECRET = b"a deployment secret of 32 bytes!"


def command(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CLI is not None
    return subprocess.run([CLI, "deployment", str(CONTOSO), "--as-of", AS_OF, *args], capture_output=True)


@pytest.fixture(scope="module")
def result() -> trueup.Result:
    return trueup.reconcile_dir(CONTOSO, as_of=AS_OF)


def test_the_summary_counts_the_fleet(result):
    summary = json.loads(result.deployment("json"))
    assert summary and isinstance(summary, dict)
    assert "Windows" in result.deployment()


@pytest.mark.skipif(not CLI, reason="TRUEUP_CLI (the command) not given")
def test_table_json_and_workbook_are_the_commands(result, tmp_path):
    assert result.deployment("table").encode() == command().stdout
    assert result.deployment("json").encode() == command("--format", "json").stdout
    assert result.deployment("xlsx", tmp_path / "ours.xlsx") is None
    assert command("--format", "xlsx", "-o", str(tmp_path / "theirs.xlsx")).returncode == 0
    assert (tmp_path / "ours.xlsx").read_bytes() == (tmp_path / "theirs.xlsx").read_bytes()
    secret = tmp_path / "secret"
    secret.write_bytes(SECRET)
    redacted = result.deployment("json", redact=True, secret_file=secret)
    assert redacted.encode() == command("--format", "json", "--redact", "--secret-file", str(secret)).stdout
    assert "PC-0001" not in redacted


def test_a_bad_format_or_a_missing_path_is_refused(result):
    with pytest.raises(ValueError):
        result.deployment("html")
    with pytest.raises(TypeError):
        result.deployment("xlsx")
