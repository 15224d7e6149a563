# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_claim.py
#
# `Result.check_claim(claim)`: the sample fleet's auditor's claim answered as DataFrames, the
# rows of the command's JSON reply (the golden file of tests/cli/golden.cmake), the causes'
# units adding up to each line's difference, and an invalid claim raising InputError.
from __future__ import annotations

import json

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
    assert list(lines["verdict"])[-1] == "cannot match"


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
