# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_dialect.py
#
# The CSV dialect from Python (docs/python.md, "The command line and Python, option by
# option"): `csv_separator=` and `encoding=` read the fleet's files with the command's own
# `--csv-separator` and `--encoding` code. tests/data/excel-fr holds a part of the sample fleet
# twice, as the project writes CSV (utf8/) and as Excel set to French saves it (excel-fr/: `;`,
# Windows-1252, CRLF); both must give one position, from the library and from `python3 -m trueup`.
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import trueup

from conftest import AS_OF, CONTOSO, SOURCE_DIR

DATA = SOURCE_DIR / "tests" / "data" / "excel-fr"
FRENCH, UTF8 = DATA / "excel-fr", DATA / "utf8"
TABLES = ("devices", "installs", "entitlements", "access", "prices")
#: An accented title of the twins (generate.py): Windows-1252's 0x80, 0x8C and 0xC9 among others.
ACCENTED = "Éditeur de thèses für Œuvres – Prix 5 €"


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "trueup", *args], capture_output=True, text=True, env=os.environ)


@pytest.fixture(scope="module")
def utf8_json() -> str:
    return trueup.reconcile_dir(UTF8, as_of=AS_OF).to_json()


@pytest.mark.parametrize("separator", [None, ";"])
def test_a_french_excel_fleet_reconciles_as_its_utf8_twin(utf8_json, separator):
    result = trueup.reconcile_dir(FRENCH, as_of=AS_OF, csv_separator=separator, encoding="windows-1252")
    assert result.to_json() == utf8_json
    assert ACCENTED in list(result.to_records()["verdicts"][i]["title"] for i in range(len(result.fleet.installs)))


def test_every_reader_takes_the_dialect(utf8_json):
    # The tables given one by one as paths, in any ASCII case of the encoding's name ("cp1252" too).
    paths = {t: FRENCH / f"{t}.csv" for t in TABLES}
    result = trueup.reconcile(**paths, as_of=AS_OF, encoding="CP1252")
    assert result.to_json() == utf8_json
    read = trueup.read_fleet(FRENCH, encoding="windows-1252", csv_separator=";")
    assert [i.title for i in read.fleet.installs] == [i.title for i in trueup.read_fleet(UTF8).fleet.installs]
    parsed = trueup.parse_fleet(**paths, encoding="windows-1252")
    assert len(parsed.fleet.devices) == len(read.fleet.devices) > 0


def test_the_default_dialect_refuses_the_french_files_and_names_the_option():
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile_dir(FRENCH, as_of=AS_OF)
    assert "--encoding windows-1252" in str(e.value)
    # The separator given is checked against each header.
    with pytest.raises(trueup.InputError) as wrong:
        trueup.reconcile_dir(UTF8, as_of=AS_OF, csv_separator="\t")
    assert wrong.value.problems[0].code == "wrong-separator"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"csv_separator": "|"}, "csv_separator: expects , or ; or tab, not |"),
        ({"csv_separator": ",,"}, "csv_separator: expects , or ; or tab, not ,,"),
        ({"encoding": "latin-1"}, "encoding: expects utf-8 or windows-1252, not latin-1"),
    ],
)
def test_a_value_the_command_refuses_is_a_value_error_in_its_words(kwargs, message):
    with pytest.raises(ValueError) as e:
        trueup.reconcile_dir(UTF8, as_of=AS_OF, **kwargs)
    assert str(e.value) == message
    cli = os.environ.get("TRUEUP_CLI")
    if cli:  # the command says the same of the same value
        option, value = next(iter(kwargs.items()))
        flag = "--csv-separator" if option == "csv_separator" else "--encoding"
        native = subprocess.run([cli, "reconcile", str(UTF8), flag + "=" + value], capture_output=True, text=True)
        assert native.returncode == 2
        assert message.partition(": ")[2] in native.stderr


def test_a_dialect_needs_the_tables_as_files(frames):
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(frames["devices"], frames["installs"], CONTOSO / "entitlements.csv", csv_separator=";")
    assert e.value.problems[0].code == "bad-option"
    assert "found devices given in memory" in e.value.problems[0].message
    # The default dialect takes tables in memory as always.
    assert trueup.reconcile(frames["devices"], frames["installs"], frames["entitlements"], as_of=AS_OF).totals["installs"]


def test_a_dialect_with_an_inventory_is_refused_as_the_command_refuses_it():
    sccm = SOURCE_DIR / "examples" / "sccm"
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile_dir(sccm, as_of=AS_OF, inventory=f"sccm:{sccm / 'exports'}", encoding="windows-1252")
    assert [p.code for p in e.value.problems] == ["bad-option"]
    with pytest.raises(trueup.InputError) as e:
        trueup.read_fleet(sccm, inventory=f"sccm:{sccm / 'exports'}", csv_separator=",")
    assert [p.code for p in e.value.problems] == ["bad-option"]
    # The defaults given explicitly are the defaults.
    assert trueup.read_fleet(sccm, inventory=f"sccm:{sccm / 'exports'}", encoding="utf-8").fleet.installs


def test_a_claim_is_read_in_the_fleets_dialect(tmp_path):
    # The auditor's claim of the sample fleet, saved as French Excel saves it.
    text = (CONTOSO / "auditor-claim.csv").read_text(encoding="utf-8")
    french = tmp_path / "claim.csv"
    french.write_bytes(text.replace(",", ";").replace("\n", "\r\n").encode("cp1252"))
    plain = trueup.reconcile_dir(CONTOSO, as_of=AS_OF)
    lines, causes = plain.check_claim(CONTOSO / "auditor-claim.csv")
    theirs, their_causes = plain.check_claim(french, csv_separator=";", encoding="windows-1252")
    assert theirs.equals(lines) and their_causes.equals(causes)
    with pytest.raises(trueup.InputError):
        plain.check_claim(french, encoding="utf-8", csv_separator=",")


def test_python_m_trueup_takes_the_commands_options(tmp_path, utf8_json):
    out = tmp_path / "position.json"
    run = run_module("reconcile", str(FRENCH), "--as-of", AS_OF, "--quiet", "--csv-separator", ";",
                     "--encoding", "windows-1252", "--format", "json", "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == utf8_json
    assert run_module("validate", str(FRENCH), "--encoding", "windows-1252").returncode == 0
    assert run_module("validate", str(FRENCH)).returncode == 2
    bad = run_module("reconcile", str(FRENCH), "--csv-separator", "|")
    assert bad.returncode == 2 and "expects , or ; or tab, not |" in bad.stderr
    bad = run_module("validate", str(FRENCH), "--encoding", "latin-1")
    assert bad.returncode == 2 and "expects utf-8 or windows-1252, not latin-1" in bad.stderr
    sccm = SOURCE_DIR / "examples" / "sccm"
    refused = run_module("reconcile", str(sccm), "--inventory", f"sccm:{sccm / 'exports'}", "--encoding", "windows-1252")
    assert refused.returncode == 2 and "error[bad-option]" in refused.stderr
    cli = os.environ.get("TRUEUP_CLI")
    if cli:  # the same bytes as the command's
        theirs = tmp_path / "theirs.json"
        native = subprocess.run([cli, "reconcile", str(FRENCH), "--as-of", AS_OF, "--quiet", "--csv-separator", ";",
                                 "--encoding", "windows-1252", "--format", "json", "-o", str(theirs)],
                                capture_output=True, text=True)
        assert native.returncode == 0, native.stderr
        assert theirs.read_bytes() == out.read_bytes()
        native = subprocess.run([cli, "reconcile", str(sccm), "--inventory", f"sccm:{sccm / 'exports'}",
                                 "--encoding", "windows-1252"], capture_output=True, text=True)
        assert native.returncode == 2 and refused.stderr == native.stderr
