# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/_errors.py
#
# Errors of the Python module. Invalid input is `InputError`, a `ValueError` carrying every
# problem found (the readers check everything before anything is computed, and nothing
# partial is returned). A broken invariant of the library is `InternalError` (a
# `RuntimeError`, registered by _core for `trueup::InvariantError`): a bug to report.
from __future__ import annotations

import dataclasses
import re
from typing import Optional, Sequence

from . import _core

InternalError = _core.InternalError


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem with the input, as the readers report it.

    ``table`` is ``"devices"``, ``"installs"`` or ``"entitlements"`` for a fleet table and None
    for a rule pack or an argument. ``row`` is the 0-based data row of that table (a
    DataFrame's positional row, a list's index, a CSV file's data row not counting the header
    and blank lines), None for a problem with the header or the whole table. ``column`` is the
    name of the column the problem is about, as the table spells it. ``diagnostic`` is the
    library's `Diagnostic` (file, line and byte column in the CSV text the table became).
    """

    severity: str  # "error" or "warning"
    code: str  # stable, kebab-case: "bad-date", "unknown-device", ... (docs/formats.md)
    message: str  # "column `x`: expected ..., found ..."
    table: Optional[str] = None
    row: Optional[int] = None
    column: Optional[str] = None
    file: str = ""
    diagnostic: Optional[_core.Diagnostic] = dataclasses.field(default=None, compare=False, repr=False)
    text: str = dataclasses.field(default="", compare=False, repr=False)

    def __str__(self) -> str:
        return self.text


class InputError(ValueError):
    """Invalid input: ``problems`` lists every problem found, errors and warnings, in the
    order of the tables (devices, installs, entitlements), then rows. Nothing was computed."""

    problems: list[Problem]

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors = sum(p.severity == "error" for p in self.problems)
        listed = "".join("\n  " + str(p) for p in self.problems)
        super().__init__(f"{errors} error(s) in the input; nothing was computed:{listed}")


_SEVERITY = {_core.Severity.ERROR: "error", _core.Severity.WARNING: "warning"}
_FIRST_NAME = re.compile(r"`([^`]*)`")


def problem_from(
    d: _core.Diagnostic,
    table: Optional[str] = None,
    row: Optional[int] = None,
    column: Optional[str] = None,
    in_memory: bool = False,
) -> Problem:
    """A Problem for a diagnostic. A table given as a DataFrame or records never was a file:
    its problems are rendered by row and column (`installs, row 4: error[...]: ...`); a file's,
    exactly as the command line prints them (`installs.csv:6:9: error[...]: ...`)."""
    severity = _SEVERITY[d.severity]
    if column is None and d.code == "missing-column":
        # Reported on the header line, column 0; the message names it: "expected column `title`, ..."
        match = _FIRST_NAME.search(d.message)
        column = match.group(1) if match else None
    if in_memory and table is not None:
        where = table if row is None else f"{table}, row {row}"
        text = f"{where}: {severity}[{d.code}]: {d.message}"
    else:
        text = str(d)
    return Problem(severity, d.code, d.message, table, row, column, d.file, d, text)


def quote_value(v: str) -> str:
    """A found value for a message, as the readers quote it: double quotes, escapes, cut after 60."""
    cut = len(v) > 60
    v = v[:60].replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return '"' + v + ("\u2026" if cut else "") + '"'


def argument_problem(name: str, code: str, message: str) -> Problem:
    """A problem with an argument rather than a table (``as_of``)."""
    return Problem("error", code, message, None, None, None, name, None, f"{name}: error[{code}]: {message}")
