# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/_entitlements.py
#
# Entitlement sources from Python (docs/formats.md "Entitlement sources"): `read_entitlements()`
# reads licence files other than DIR/entitlements.csv with the command's own readers, and
# `reconcile(..., entitlements=...)` reconciles them as `trueup reconcile --entitlements` does:
# the same licences, and every problem named at the file, line and column it was read from.
from __future__ import annotations

import os
from typing import Any, Optional, Union

from . import _core, _errors, _frames, _inventory
from ._errors import InputError, Problem

#: The file name under which the records' entitlements.csv text is read.
IMPORTED = "entitlements (imported)"


class Entitlements:
    """Licence records read from ``--entitlements`` sources, in the order given.

    ``table``: a DataFrame (a list of dicts without pandas) with every column of
    entitlements.csv (docs/formats.md), as text. ``warnings``: what the sources' readers
    reported (an unknown column ...). ``sources``: the sources as given."""

    def __init__(
        self,
        core: Any,
        text: bytes,
        warnings: list[Problem],
        diagnostics: list[_core.Diagnostic],
        sources: list[str],
        trailing: Optional[list[_core.Diagnostic]] = None,
    ) -> None:
        self._core = core
        self._csv = text
        self._diagnostics = diagnostics  # the sources' warnings, which the report lists first
        self._trailing = trailing or []  # DIR/entitlements.csv not read: listed after the readers'
        self.warnings = warnings
        self.sources = sources

    @property
    def table(self) -> Any:
        return _inventory._table(self._csv, ints=(), dates=())

    def __repr__(self) -> str:
        return f"<Entitlements {len(self._core)} row(s) from {len(self.sources)} source(s)>"

    def _source(self) -> _frames.Source:
        """The records as the command hands them to the readers, under the command's name."""
        return _frames.Source("entitlements", self._csv, IMPORTED, False)

    def _with_dir(self, dir: Union[str, "os.PathLike[str]"]) -> "Entitlements":
        """These records read beside the fleet directory ``dir``: its entitlements.csv, when there,
        is not read (warning not-read), as the command says."""
        left = _core.entitlements_left_in(dir)
        if left is None:
            return self
        trailing = self._trailing + [left]
        return Entitlements(self._core, self._csv, self.warnings, self._diagnostics, self.sources, trailing)

    def _origins(self, diagnostics: list[_core.Diagnostic]) -> list[_core.Diagnostic]:
        """The readers' diagnostics about the records' text, at the sources' files, lines and columns."""
        return _core.entitlement_origins(self._core, list(diagnostics))

    def _problems(self, problems: list[Problem]) -> list[Problem]:
        """``problems`` of the readers with those about the records at their origins."""
        out = []
        for p in problems:
            if p.diagnostic is not None and p.diagnostic.file == IMPORTED:
                p = _errors.problem_from(self._origins([p.diagnostic])[0], "entitlements", None, p.column)
            out.append(p)
        return out

    def _trailing_problems(self) -> list[Problem]:
        return [_errors.problem_from(d) for d in self._trailing]


def read_entitlements(*sources: Union[str, "os.PathLike[str]"]) -> Entitlements:
    """Reads licence files, each ``"[KIND:]PATH"`` (``"licences.csv"``, ``"csv:ea.csv"``; KIND
    csv: the entitlements.csv format under any name, in any separator and column order), as
    ``trueup reconcile --entitlements`` reads them. An id two sources both give is an error when
    the fleet is read, naming both. Raises InputError listing every problem of every source."""
    if not sources:
        raise TypeError("read_entitlements: give at least one source, '[KIND:]PATH'")
    specs = [os.fspath(s) for s in sources]
    core, text, diagnostics = _core.read_entitlements(specs)
    problems = [
        _errors.problem_from(d) if d.file else _errors.argument_problem("entitlements", d.code, d.message)
        for d in diagnostics
    ]
    if core is None or text is None:
        raise InputError(problems)
    return Entitlements(core, text, problems, list(diagnostics), specs)


def entitlements_of(value: Any) -> Entitlements:
    """An Entitlements, or the sources to read into one (a spec or a list of specs)."""
    if isinstance(value, Entitlements):
        return value
    if isinstance(value, (str, os.PathLike)):
        return read_entitlements(value)
    return read_entitlements(*value)
