# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_explain.py
#
# `Result.explain(...)` and `Result.explanation(...)`: the sample fleet's short install, licence
# and product explained as `trueup explain` prints them (the golden files of
# tests/cli/golden.cmake), the dict's lines, and an unknown id raising InputError with the
# nearest ids.
from __future__ import annotations

import pytest

import trueup
from conftest import AS_OF, CONTOSO


@pytest.fixture(scope="module")
def result() -> trueup.Result:
    return trueup.reconcile_dir(str(CONTOSO), as_of=AS_OF)


@pytest.mark.parametrize(
    "asked, golden",
    [
        ({"install": "I-00011"}, "expected-explain-install-downgrade.txt"),
        ({"install": "I-00200"}, "expected-explain-install-short.txt"),
        ({"device": "PC-0092"}, "expected-explain-device.txt"),
        ({"licence": "L-0159"}, "expected-explain-licence.txt"),
        ({"product": "Office Standard 2016"}, "expected-explain-product.txt"),
    ],
)
def test_explain_prints_what_the_command_prints(result, asked, golden):
    assert result.explain(**asked) == (CONTOSO / golden).read_text(encoding="utf-8")


def test_explanation_lines_name_the_downgrade_and_the_licence(result):
    document = result.explanation(install="I-00011")
    assert document["subject"] == "install" and document["id"] == "I-00011"
    kinds = [line["kind"] for line in document["lines"]]
    assert "downgrade" in kinds and "licence" in kinds
    licence = next(line for line in document["lines"] if line["kind"] == "licence")
    assert "L-0159" in licence["text"]


def test_a_short_install_lists_why_each_candidate_could_not_cover_it(result):
    lines = result.explanation(install="I-00200")["lines"]
    candidates = [line["text"] for line in lines if line["kind"] == "candidate"]
    assert candidates, lines
    assert all(": " in text for text in candidates)


def test_an_unknown_id_raises_input_error_with_the_nearest_ids(result):
    with pytest.raises(trueup.InputError) as raised:
        result.explain(device="PC-092")
    assert "PC-0092" in str(raised.value)
    with pytest.raises(TypeError):
        result.explain(install="I-00011", device="PC-0092")
