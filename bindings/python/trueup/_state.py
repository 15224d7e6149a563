# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/_state.py
#
# The state store from Python (docs/state.md): the history of licence assignments across runs
# that `trueup reconcile --state FILE` keeps, so that the 90-day reassignment rule sees where a
# licence was before. `reconcile(..., state=FILE)` begins its run here (the command's own code,
# trueup::state::begin_reconcile); `history()` and `runs()` read a file without changing it.
#
# Rules kept as the command keeps them: a run dated after today needs `future_as_of=True` (a run
# recorded in the future refuses every later real run), a run dated before the last recorded one
# is refused before anything is reconciled, and a problem with the file raises InputError with
# the store's code (`state-busy`, `state-corrupt`, `state-not-trueup`, ...), the file unchanged.
from __future__ import annotations

import datetime
import os
from typing import Any, NoReturn, Optional, Union

from . import _core, _errors, _frames
from ._errors import InputError

Path = Union[str, "os.PathLike[str]"]

#: The columns of history(), one row per holding of a licence.
HISTORY_COLUMNS = (
    "licence_id",
    "device_id",
    "user",
    "units",
    "from",
    "to",
    "reason",
    "opened_by_run",
    "closed_by_run",
)
#: The columns of runs(), one row per recorded run.
RUN_COLUMNS = ("id", "as_of", "recorded_at", "assignments", "label")


def today() -> datetime.date:
    """Today in UTC, the command's default as-of date."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def _raise(diagnostics: Any) -> NoReturn:
    raise InputError([_errors.problem_from(d) for d in diagnostics])


def begin(state: Path, when: datetime.date, fleet: _core.Fleet, future_as_of: bool) -> _core.StateRun:
    """Begins a run of the state file for reconciling `fleet` on `when`; the file's history
    becomes the fleet's assignments once it has runs. Raises InputError, the file unchanged."""
    path = os.fspath(state)
    now = today()
    if when > now and not future_as_of:
        message = (
            f"expected an as-of date on or before today, {now.isoformat()}, found {when.isoformat()}: a run "
            "recorded in the future refuses every later run (history moves forward); future_as_of=True "
            "records it anyway"
        )
        raise InputError([_errors.argument_problem("as_of", "state-future-as-of", message)])
    run = _core.begin_reconcile(path, _core.Date(when.year, when.month, when.day), fleet)
    if not run.has_value():
        _raise(run.error())
    return run


def commit(run: _core.StateRun, when: datetime.date, position: _core.Position, label: str) -> dict[str, Any]:
    """Records the run; its info (id, as_of, recorded_at, assignments, label). Raises
    InputError when it cannot be recorded: the file is as it was."""
    info, problems = run.commit(_core.Date(when.year, when.month, when.day), position, label)
    if info is None:
        _raise(problems)
    assert isinstance(info, dict)
    return info


def _shape(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Any:
    pd = _frames.pandas()
    if pd is None:
        return rows
    return pd.DataFrame({c: [r[c] for r in rows] for c in columns}, columns=list(columns))


def history(
    state: Path,
    licence: Optional[str] = None,
    device: Optional[str] = None,
    user: Optional[str] = None,
) -> Any:
    """The timeline of one licence, device or user (exactly one of them) in the state file,
    oldest first, as `trueup history` prints it: a DataFrame (a list of dicts without pandas)
    with the columns HISTORY_COLUMNS; `to` is None while the holding is open. The file is
    opened read-only. Raises InputError when it cannot be read."""
    given = [(by, v) for by, v in (("licence", licence), ("device", device), ("user", user)) if v is not None]
    if len(given) != 1:
        raise TypeError("history: give exactly one of licence=, device= and user=")
    frame = _shape(history_records(state, *given[0]), HISTORY_COLUMNS)
    return frame if isinstance(frame, list) else frame.astype({"closed_by_run": "Int64"})


def history_records(state: Path, by: str, ident: str) -> list[dict[str, Any]]:
    """history() as a list of dicts, `by` "licence", "device" or "user"."""
    rows, problems = _core.state_history(os.fspath(state), by, ident)
    if rows is None:
        _raise(problems)
    return [dict(zip(HISTORY_COLUMNS, r)) for r in rows]


def runs(state: Path) -> Any:
    """Every run recorded in the state file, in commit order: a DataFrame (a list of dicts
    without pandas) with the columns RUN_COLUMNS. Read-only; raises InputError."""
    rows, problems = _core.state_runs(os.fspath(state))
    if rows is None:
        _raise(problems)
    return _shape(list(rows), RUN_COLUMNS)
