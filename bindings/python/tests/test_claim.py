# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_claim.py
#
# `Result.check_claim(claim)`: the sample fleet's auditor's claim answered as DataFrames, the
# rows of the command's JSON reply (the golden file of tests/cli/golden.cmake), the causes'
# units adding up to each line's difference, and an invalid claim raising InputError.
from __future__ import annotations

import json
import os

import pytest

import trueup
from conftest import AS_OF, CONTOSO


@pytest.fixture(scope="module")
def result() -> trueup.Result:
    return trueup.reconcile_dir(str(CONTOSO), as_of=AS_OF)


def test_check_claim_gives_the_lines_and_causes_of_the_commands_reply(result):
    lines, causes = result.check_claim(CONTOSO / "auditor-claim.csv")
    golden = json.loads((CONTOSO / "expected-claim-reply.json").read_text(encoding="utf-8"))
    assert lines.to_dict("records") == golden["claim"]
    assert causes.to_dict("records") == golden["causes"]
    assert list(lines["verdict"])[:4] == ["rejected", "partly rejected", "rejected", "rejected"]
    assert list(lines["verdict"])[9] == "cannot match"  # Adobe: no product of the pack
    assert list(lines["verdict"])[10:] == ["partly rejected", "rejected"]  # the CAL lines


def test_the_causes_add_up_to_each_lines_difference(result):
    lines, causes = result.check_claim(CONTOSO / "auditor-claim.csv")
    sums = causes.groupby("line")["units"].sum()
    for _, line in lines.iterrows():
        assert sums.get(line["line"], 0) == line["difference"], line["line"]


def test_an_invalid_claim_raises_input_error_with_file_line_and_column(result, tmp_path):
    claim = tmp_path / "claim.csv"
    claim.write_text("line,product,shortfall\n1,Windows 11 Pro,seven\n", encoding="utf-8")
    with pytest.raises(trueup.InputError) as e:
        result.check_claim(claim)
    assert [p.code for p in e.value.problems] == ["bad-number"]
    assert str(e.value.problems[0]).startswith("claim.csv:2:18: error[bad-number]")


def _key(header: str) -> str:
    """A sheet's header as the JSON reply's key ("Claimed installs" -> "claimed_installs")."""
    return "_".join("".join(c.lower() if c.isalnum() else " " for c in header).split())


def test_the_claim_workbook_reads_back_as_the_json_reply(tmp_path):
    # `trueup check-claim --format xlsx` read back with openpyxl: every cell of sheets Claim and
    # Causes, numbers included, equals the command's JSON reply for the same claim.
    import subprocess

    openpyxl = pytest.importorskip("openpyxl")
    cli = os.environ.get("TRUEUP_CLI")
    if not cli:
        pytest.skip("needs the command (TRUEUP_CLI)")
    xlsx = tmp_path / "reply.xlsx"
    common = [cli, "check-claim", str(CONTOSO), "--claim", str(CONTOSO / "auditor-claim.csv"), "--as-of", AS_OF]
    run = subprocess.run([*common, "--format", "xlsx", "-o", str(xlsx)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    reply = subprocess.run([*common, "--format", "json"], capture_output=True, text=True)
    assert reply.returncode == 0, reply.stderr
    document = json.loads(reply.stdout)
    book = openpyxl.load_workbook(xlsx, read_only=True)
    for sheet, key in (("Claim", "claim"), ("Causes", "causes")):
        rows = list(book[sheet].iter_rows(values_only=True))
        keys = [_key(str(h)) for h in rows[0]]
        read = [dict(zip(keys, row)) for row in rows[1:]]
        assert len(read) == len(document[key]) > 0
        for got, expected in zip(read, document[key]):
            assert set(got) == set(expected), sheet
            for k, value in expected.items():
                # An empty text is an empty cell; everything else, numbers first, is equal.
                assert got[k] == value or (got[k] is None and value == ""), (sheet, k, got[k], value)
    numbers = [row["difference"] for row in document["claim"]]
    assert any(isinstance(n, int) and n != 0 for n in numbers)


def test_a_redacted_reply_names_nobody_and_is_the_commands(result, tmp_path):
    secret = "a secret of at least sixteen bytes"
    lines, causes = result.check_claim(CONTOSO / "auditor-claim.csv", redact=True, secret=secret)
    plain_lines, plain_causes = result.check_claim(CONTOSO / "auditor-claim.csv")
    assert lines["difference"].tolist() == plain_lines["difference"].tolist()
    assert causes["units"].tolist() == plain_causes["units"].tolist()
    named = " ".join(str(v) for v in plain_causes["devices"])
    assert "PC-0" in named
    assert "PC-0" not in " ".join(str(v) for v in causes["devices"])
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        import subprocess

        key = tmp_path / "key.txt"
        key.write_text(secret, encoding="utf-8")
        reply = subprocess.run([cli, "check-claim", str(CONTOSO), "--claim", str(CONTOSO / "auditor-claim.csv"),
                                "--as-of", AS_OF, "--format", "json", "--redact", "--secret-file", str(key)],
                               capture_output=True, text=True)
        assert reply.returncode == 0, reply.stderr
        document = json.loads(reply.stdout)
        assert lines.to_dict("records") == document["claim"]
        assert causes.to_dict("records") == document["causes"]
