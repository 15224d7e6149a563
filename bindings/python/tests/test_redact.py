# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_redact.py
#
# Redaction from Python (docs/python.md): `redact=True` with `secret=` or `secret_file=` on the
# Result's writers gives the pseudonyms of the command's `--redact --secret-file` (docs/outputs.md
# #redaction), byte for byte: checked against the command's own outputs for the same secret, and
# against the pseudonym's definition, HMAC-SHA-256 computed here by Python's hmac module.
from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys

import pytest

import trueup

from conftest import AS_OF, CONTOSO

SECRET = b"correct horse battery staple 2026"


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trueup", *args], capture_output=True, text=True, env=os.environ)


def pseudonym(prefix: str, kind: str, original: str) -> str:
    """The definition of trueup/report/redact.hpp, independently of the library."""
    return prefix + hmac.new(SECRET, f"{kind}:{original}".encode(), hashlib.sha256).hexdigest()[:16]


@pytest.fixture(scope="module")
def result() -> trueup.Result:
    return trueup.reconcile_dir(str(CONTOSO), as_of=AS_OF)


@pytest.fixture()
def key_file(tmp_path):
    path = tmp_path / "key.txt"
    path.write_bytes(SECRET + b"\r\n")  # one final line break, as an editor saves it: not part of the secret
    return path


def test_every_identifier_becomes_its_hmac_pseudonym(result, key_file):
    document = json.loads(result.to_json(redact=True, secret=SECRET))
    original = json.loads(result.to_json())
    first, redacted = original["installs"][0], document["installs"][0]
    assert redacted["install_id"] == first["install_id"]  # install ids, titles and totals stay
    assert redacted["device_id"] == pseudonym("dev-", "device", first["device_id"])
    assert redacted["device_id"] != first["device_id"]
    assert document["totals"] == original["totals"]
    text = result.to_json(redact=True, secret=SECRET)
    for device in result.fleet.devices:
        assert f'"{device.id}"' not in text
    # A str is its UTF-8 bytes; a file is read as --secret-file reads it; all three agree.
    assert result.to_json(redact=True, secret=SECRET.decode()) == text
    assert result.to_json(redact=True, secret_file=key_file) == text
    assert result.to_json(redact=True, secret=SECRET + b"!") != text
    rows = result.redaction_map(secret=SECRET).splitlines()
    assert rows[0] == "kind,pseudonym,original"
    assert f"device,{pseudonym('dev-', 'device', first['device_id'])},{first['device_id']}" in rows


def test_the_reports_are_the_commands_byte_for_byte(result, key_file, tmp_path):
    cli = os.environ.get("TRUEUP_CLI")
    if not cli:
        pytest.skip("the trueup command is not built (TRUEUP_BUILD_CLI=OFF)")

    def command(fmt: str, out) -> None:
        native = subprocess.run(
            [cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--redact", "--secret-file", str(key_file),
             "--format", fmt, "-o", str(out), "--redaction-map", str(tmp_path / f"map-{fmt}.csv")],
            capture_output=True, text=True)
        assert native.returncode == 0, native.stderr

    for fmt in ("json", "table", "html"):
        command(fmt, tmp_path / f"theirs.{fmt}")
    theirs = {fmt: (tmp_path / f"theirs.{fmt}").read_text(encoding="utf-8") for fmt in ("json", "table", "html")}
    assert result.to_json(redact=True, secret=SECRET) == theirs["json"]
    assert result.to_table(redact=True, secret_file=key_file) == theirs["table"]
    assert result.to_html(redact=True, secret=SECRET) == theirs["html"]
    assert result.redaction_map(secret=SECRET) == (tmp_path / "map-json.csv").read_text(encoding="utf-8")
    command("xlsx", tmp_path / "theirs.xlsx")
    result.to_xlsx(tmp_path / "ours.xlsx", redact=True, secret=SECRET)
    assert (tmp_path / "ours.xlsx").read_bytes() == (tmp_path / "theirs.xlsx").read_bytes()
    command("csv", tmp_path / "theirs-csv")
    result.to_csv(tmp_path / "ours-csv", redact=True, secret=SECRET)
    names = sorted(p.name for p in (tmp_path / "theirs-csv").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "ours-csv").iterdir())
    for name in names:
        assert (tmp_path / "ours-csv" / name).read_bytes() == (tmp_path / "theirs-csv" / name).read_bytes(), name


def test_python_m_trueup_redacts_as_the_command(result, key_file, tmp_path):
    out, map_file = tmp_path / "position.json", tmp_path / "map.csv"
    run = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "--quiet", "--redact", "--secret-file",
                     str(key_file), "--format", "json", "-o", str(out), "--redaction-map", str(map_file))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == result.to_json(redact=True, secret=SECRET)
    assert map_file.read_text(encoding="utf-8") == result.redaction_map(secret=SECRET)
    table = run_module("reconcile", str(CONTOSO), "--as-of", AS_OF, "-q", "--redact", "--secret-file", str(key_file))
    assert table.returncode == 0 and table.stdout == result.to_table(redact=True, secret=SECRET)
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--as-of", AS_OF, "-q", "--redact", "--secret-file",
                                 str(key_file)], capture_output=True, text=True)
        assert native.stdout == table.stdout


def test_a_bad_secret_is_refused_before_anything_is_written(result, tmp_path):
    short = tmp_path / "short.txt"
    short.write_bytes(b"too short\n")
    with pytest.raises(trueup.InputError) as e:
        result.to_json(redact=True, secret_file=short)
    assert str(e.value.problems[0]) == f"{short}: error[bad-secret]: expected a secret of at least 16 bytes, found 9"
    with pytest.raises(trueup.InputError, match="found 5"):
        result.to_json(redact=True, secret=b"short")
    with pytest.raises(trueup.InputError, match="none readable"):
        result.to_json(redact=True, secret_file=tmp_path / "missing.txt")
    with pytest.raises(TypeError, match="needs one of secret= and secret_file="):
        result.to_json(redact=True)
    with pytest.raises(TypeError, match="need redact=True"):
        result.to_html(secret=SECRET)
    out = tmp_path / "position.json"
    run = run_module("reconcile", str(CONTOSO), "--redact", "--secret-file", str(short), "-o", str(out))
    assert run.returncode == 2 and "error[bad-secret]" in run.stderr and not out.exists()
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        native = subprocess.run([cli, "reconcile", str(CONTOSO), "--redact", "--secret-file", str(short), "-o",
                                 str(out)], capture_output=True, text=True)
        assert native.returncode == 2 and str(e.value.problems[0]) in native.stderr
    for args in (["--redact"], ["--secret-file", str(short)], ["--redaction-map", str(out)]):
        usage = run_module("reconcile", str(CONTOSO), *args)
        assert usage.returncode == 2 and "needs" in usage.stderr
