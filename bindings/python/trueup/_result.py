# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/_result.py
#
# The result of `trueup.reconcile`: the library's Position shaped for scripts. Tables are
# DataFrames when pandas can be imported and lists of dicts otherwise, built on first use and
# kept; their keys and values are the JSON document's (docs/formats.md), money as
# `decimal.Decimal`. The library's own objects stay reachable (`native`, `fleet`, `rules`) for
# anything the tables leave out.
#
# Its report writers take the command's `--redact`: ``redact=True`` with ``secret=`` (bytes, or
# a str taken as its UTF-8 bytes, as given) or ``secret_file=`` (read as `--secret-file` reads
# it), and write the position with pseudonyms (docs/outputs.md#redaction): the C++ redaction,
# so the same secret gives the command's pseudonyms byte for byte.
from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import os
import tempfile
from typing import Any, Optional, Union

from . import _core, _frames, _state
from ._errors import InputError, Problem, problem_from

#: The secret of a redaction: bytes, or a str taken as its UTF-8 bytes.
Secret = Union[bytes, str]
PathLike = Union[str, "os.PathLike[str]"]

class Result:
    """The effective licence position of one reconciliation.

    ``position``: one row per product (installs, demand, licences, consumed, surplus,
    shortfall, true-up cost); ``verdicts``: one row per install, in the order the installs were
    given (verdict, product, licences, evidence); ``entitlements``: one row per licence record,
    in the order given (counted or void, units consumed). Each is a pandas DataFrame when
    pandas is installed, else a list of dicts; ``to_records()`` always gives lists of dicts.
    """

    def __init__(
        self,
        native: _core.Position,
        rules: _core.RulePack,
        read: _core.FleetRead,
        warnings: list[Problem],
        as_of: Optional[datetime.date],
        recorded: bool = False,
        dialect: Optional[_core.CsvDialect] = None,
    ) -> None:
        self.native = native  #: the library's trueup::Position
        self.rules = rules  #: the rule pack used
        self.fleet = read.fleet  #: the fleet read (devices, installs, entitlements)
        self.warnings = warnings  #: problems to review: the readers' warnings, then the position's
        self.as_of = as_of  #: the date the position is taken on (given, or today)
        self._recorded = recorded  # the run recorded the assignments held after it
        self._dialect = dialect if dialect is not None else _core.CsvDialect()  # the files' dialect
        #: The run recorded in the state file (``reconcile(..., state=FILE)``): a dict with id,
        #: as_of, recorded_at, assignments (open after it) and label; None until committed.
        self.run: Optional[dict[str, Any]] = None
        self._state_run: Optional[_core.StateRun] = None  # begun, not yet committed or closed
        self._state_label = ""
        #: What the workbook's Assumptions sheet says the run was given, as the command's:
        #: ("fleet", the folder or "tables"), ("rules", the pack asked for), ("as-of", the date).
        self.assumptions: list[tuple[str, str]] = [
            ("fleet", "tables"),
            ("rules", rules.name),
            ("as-of", as_of.isoformat() if as_of is not None else ""),
        ]

    # --- tables -----------------------------------------------------------------------------

    def _table(self, which: str) -> Any:
        pd = _frames.pandas()
        if pd is None:
            return self._records(which)
        # numpy arrays built by _core; integers that some rows lack (the units of an excluded
        # install) come as (values, mask) and become pandas' nullable Int64, not floats.
        columns = self._records(which, columns=True)
        for key, column in columns.items():
            if isinstance(column, tuple):
                columns[key] = pd.arrays.IntegerArray(*column)
        return pd.DataFrame(columns, copy=False)

    def _records(self, which: str, columns: bool = False) -> Any:
        if which == "position":
            return _core.product_table(self.native, self.rules, columns)
        if which == "verdicts":
            return _core.install_table(self.native, self.rules, self.fleet, columns)
        if which in ("servers", "users", "cals"):
            rows = getattr(self, "_" + which + "_rows")()
            if not columns:
                return rows
            keys = list(rows[0]) if rows else []
            return {k: [r[k] for r in rows] for k in keys}
        return _core.entitlement_table(self.native, self.rules, self.fleet, columns)

    # Servers, users and CAL holders: small tables (one row per server, user or holder, not per
    # install), built here with the JSON's keys (docs/formats.md).
    def _servers_rows(self) -> list[dict[str, Any]]:
        devices, installs = self.fleet.devices, self.fleet.installs
        out = []
        for s in self.native.servers:
            family = self.rules.families[s.product.family]
            out.append({
                "device_id": devices[s.device].id,
                "install_id": installs[s.install].id,
                "product": self.rules.product_name(s.product),
                "oses": s.oses,
                "model": s.model,
                "licence_edition": family.editions[s.edition].name,
                "metric": _core.name(s.metric),
                "units_required": s.required,
                "covered_units": s.covered,
                "why": s.why,
                "source": s.source,
            })
        return out

    def _users_rows(self) -> list[dict[str, Any]]:
        return [{
            "user": u.user,
            "product": self.rules.product_name(u.product),
            "devices": u.devices,
            "user_licence": u.user_licence,
            "user_licence_owned": u.user_licence_owned,
            "devices_under_user_licence": u.under_user_licence,
            "device_licences": u.device_licences,
            "device_licences_short": u.device_short,
        } for u in self.native.users]

    def _cals_rows(self) -> list[dict[str, Any]]:
        ents = self.fleet.entitlements
        return [{
            "holder": c.holder,
            "metric": _core.name(c.metric),
            "product": self.rules.product_name(c.product),
            "servers_accessed": c.servers,
            "covered": c.covered == 1,
            "licences": [ents[a.entitlement].id for a in c.licences],
        } for c in self.native.cals]

    @functools.cached_property
    def servers(self) -> Any:
        """One row per server of a host-licensed family (Windows Server): the licensing model it
        is counted by, the units it needs and why, and what covers them."""
        return self._table("servers")

    @functools.cached_property
    def users(self) -> Any:
        """One row per user of a per-user family (Microsoft 365 Apps)."""
        return self._table("users")

    @functools.cached_property
    def cals(self) -> Any:
        """One row per user or device that needs a CAL (from the access table)."""
        return self._table("cals")

    @functools.cached_property
    def position(self) -> Any:
        """One row per product, in rule-pack order: the effective licence position."""
        return self._table("position")

    @functools.cached_property
    def verdicts(self) -> Any:
        """One row per install, in the order given: verdict, licences and evidence."""
        return self._table("verdicts")

    @functools.cached_property
    def entitlements(self) -> Any:
        """One row per licence record, in the order given: counted or void, units consumed."""
        return self._table("entitlements")

    @property
    def totals(self) -> dict[str, Any]:
        """The totals: installs by verdict, true-up cost, and licence units per metric."""
        return _core.totals_record(self.native)

    @property
    def status(self) -> _core.SolveStatus:
        return self.native.status

    @property
    def rule_pack(self) -> str:
        """Name and revision of the rule pack used ("microsoft 2026.11")."""
        return self.native.rule_pack

    @property
    def solver(self) -> dict[str, int]:
        """The size of the problem solved: demand classes, pools, components."""
        p = self.native
        return {"demand_classes": p.demand_classes, "pools": p.pools, "components": p.components}

    def to_records(self) -> dict[str, list[dict[str, Any]]]:
        """The tables as lists of dicts, without pandas: ``position``, ``verdicts``,
        ``entitlements``, ``servers``, ``users`` and ``cals``. Built anew on each call."""
        return {
            which: self._records(which)
            for which in ("position", "verdicts", "entitlements", "servers", "users", "cals")
        }

    @functools.cached_property
    def assignments(self) -> Any:
        """The assignments held after this run, one row per holding (the columns of
        assignments.csv: licence_id, device_id, user, from, reason, units), sorted by licence,
        device, user and date: what a later run reads as history. Recorded only when reconcile
        was called with ``record_assignments=True``; else asking for it raises ValueError."""
        if not self._recorded:
            raise ValueError("the assignments were not recorded: call reconcile(..., record_assignments=True)")
        rows: list[dict[str, Any]] = [
            {**r, "units": int(r["units"])}
            for r in csv.DictReader(io.StringIO(_core.format_assignments_csv(self.native)))
        ]
        pd = _frames.pandas()
        if pd is None:
            return rows
        columns = ["licence_id", "device_id", "user", "from", "reason", "units"]
        return pd.DataFrame(rows, columns=columns).astype({"units": "int64"})

    def write_assignments(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the assignments held after this run to ``path`` as assignments.csv, the bytes
        `trueup reconcile --write-assignments` writes, atomically (a failed write leaves no
        partial file)."""
        if not self._recorded:
            raise ValueError("the assignments were not recorded: call reconcile(..., record_assignments=True)")
        _write_atomically(os.fspath(path), _core.format_assignments_csv(self.native))

    # --- the state file ---------------------------------------------------------------------

    def commit_state(self) -> dict[str, Any]:
        """Records this run in the state file given to ``reconcile(..., state=FILE,
        defer_commit=True)`` and returns ``self.run``. Raises InputError when it cannot be
        recorded (the file is as it was), ValueError when there is no run to record."""
        if self._state_run is None or not self._state_run.active:
            raise ValueError("no state run to commit: call reconcile(..., state=FILE, defer_commit=True)")
        run, self._state_run = self._state_run, None
        assert self.as_of is not None  # a run with a state is always dated
        self.run = _state.commit(run, self.as_of, self.native, self._state_label)
        return self.run

    def close_state(self) -> None:
        """Discards an uncommitted state run: the file stays as it was and its lock is released."""
        if self._state_run is not None:
            self._state_run.close()
            self._state_run = None

    # --- the command line's reports -------------------------------------------------------

    def to_xlsx(
        self,
        path: PathLike,
        *,
        redact: bool = False,
        secret: Optional[Secret] = None,
        secret_file: Optional[PathLike] = None,
    ) -> None:
        """Writes the auditor's workbook (sheets ELP, Installs, Licences, Shortfall, Excluded,
        Assumptions; docs/outputs.md) to ``path``, atomically: the file
        `trueup reconcile --format xlsx -o PATH` writes for the same run, byte for byte; with
        ``redact=True`` and a secret, its `--redact` file (see :meth:`redaction_map`).
        Raises OSError when it cannot be written (nothing partial is left)."""
        native, fleet, assumptions = self._shown(redact, secret, secret_file)
        self._written(_core.write_xlsx(path, native, self.rules, fleet, assumptions))

    def to_csv(
        self,
        dir: PathLike,
        *,
        redact: bool = False,
        secret: Optional[Secret] = None,
        secret_file: Optional[PathLike] = None,
    ) -> None:
        """Writes the workbook's sheets as a folder of CSV files (`--format csv -o DIR`), with
        pseudonyms when ``redact=True``; an existing folder is replaced only when it holds an
        earlier one. Raises OSError otherwise."""
        native, fleet, assumptions = self._shown(redact, secret, secret_file)
        self._written(_core.write_csv_folder(dir, native, self.rules, fleet, assumptions))

    def redaction_map(self, *, secret: Optional[Secret] = None, secret_file: Optional[PathLike] = None) -> str:
        """The map from the pseudonyms of a redacted report back to the identifiers, as CSV
        (``kind,pseudonym,original``): the bytes `--redaction-map` writes, for the user alone.

        A report is redacted by ``redact=True`` and one of ``secret=`` (bytes, or a str taken as
        its UTF-8 bytes, exactly as given) and ``secret_file=`` (a file read as `--secret-file`
        reads it: its bytes without one final line break). Every identifier becomes the
        HMAC-SHA-256 pseudonym the command gives it under the same secret; host names are
        dropped (docs/outputs.md#redaction). A secret shorter than 16 bytes, or a file that
        cannot be read, raises InputError (bad-secret)."""
        return self._redacted(True, secret, secret_file)[2]

    def _redacted(
        self, redact: bool, secret: Optional[Secret], secret_file: Optional[PathLike]
    ) -> tuple[_core.Position, _core.Fleet, str]:
        if not redact:
            if secret is not None or secret_file is not None:
                raise TypeError("secret= and secret_file= need redact=True")
            return self.native, self.fleet, ""
        if (secret is None) == (secret_file is None):
            raise TypeError("redact=True needs one of secret= and secret_file=")
        if secret_file is not None:
            name = os.fspath(secret_file)
            key = read_secret(name)
        else:
            assert secret is not None
            name, key = "secret", secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
        native, fleet, map_csv, problems = _core.redact(self.native, self.fleet, key, name)
        if _core.has_errors(problems) or native is None or fleet is None:
            raise InputError([problem_from(d) for d in problems])
        return native, fleet, map_csv

    def _shown(
        self, redact: bool, secret: Optional[Secret], secret_file: Optional[PathLike]
    ) -> tuple[_core.Position, _core.Fleet, list[tuple[str, str]]]:
        """The position and fleet a report shows, and its Assumptions rows: the command's, where
        a redacted report says so after the as-of date."""
        native, fleet, _ = self._redacted(redact, secret, secret_file)
        if not redact:
            return native, fleet, self.assumptions
        said = ("redacted", _core.redaction_assumption)
        at = next((i + 1 for i, (item, _) in enumerate(self.assumptions) if item == "as-of"), len(self.assumptions))
        return native, fleet, self.assumptions[:at] + [said] + self.assumptions[at:]

    def check_claim(
        self,
        claim: PathLike,
        csv_separator: Optional[str] = None,
        encoding: Optional[str] = None,
        *,
        redact: bool = False,
        secret: Optional[Secret] = None,
        secret_file: Optional[PathLike] = None,
    ) -> tuple[Any, Any]:
        """Checks an auditor's claim (a claim.csv file, docs/formats.md) against this position,
        line by line, as `trueup check-claim` does: returns ``(lines, causes)``, DataFrames when
        pandas is installed (else lists of dicts) with the columns of the command's JSON reply
        (docs/outputs.md): one row per claim line (claimed against computed, the difference,
        the verdict) and one per cause of each line's difference (units, rule, source, the
        installs, devices, licences and users concerned). The causes' units of a line add up to its
        difference. The claim is read in the dialect the fleet's files were read in (reconcile's
        ``csv_separator`` and ``encoding``, as `trueup check-claim` reads DIR and the claim), or
        with the ``csv_separator`` or ``encoding`` given here. With ``redact=True`` and a secret,
        the reply names devices, users and licences by the pseudonyms of the command's
        `check-claim --redact` (see :meth:`redaction_map`): a reply to send. Raises InputError
        with every problem of an invalid claim, OSError when the file cannot be read."""
        native, fleet, _ = self._redacted(redact, secret, secret_file)
        dialect = self._dialect
        if csv_separator is not None or encoding is not None:
            dialect = _core.csv_dialect(
                csv_separator if csv_separator is not None else dialect.separator,
                encoding if encoding is not None else dialect.encoding,
            )
        path = os.fspath(claim)
        with open(path, "rb") as f:
            text = f.read()
        reply, problems = _core.check_claim_json(text, os.path.basename(path), native, self.rules, fleet, dialect)
        if _core.has_errors(problems):
            raise InputError([problem_from(d) for d in problems])
        document = json.loads(reply)
        lines: list[dict[str, Any]] = document["claim"]
        causes: list[dict[str, Any]] = document["causes"]
        pd = _frames.pandas()
        if pd is None:
            return lines, causes
        return pd.DataFrame(lines), pd.DataFrame(causes)

    def explain(
        self,
        *,
        install: Optional[str] = None,
        device: Optional[str] = None,
        licence: Optional[str] = None,
        product: Optional[str] = None,
    ) -> str:
        """Explains this position for one install, device or licence (by id) or product (by name),
        in plain words: the text `trueup explain` prints (docs/outputs.md#explain). Give exactly
        one of the four. Raises InputError, naming the nearest ids, for one the fleet does not hold."""
        return self._explained(install, device, licence, product)[0]

    def explanation(
        self,
        *,
        install: Optional[str] = None,
        device: Optional[str] = None,
        licence: Optional[str] = None,
        product: Optional[str] = None,
    ) -> dict[str, Any]:
        """The explanation :meth:`explain` prints, as the dict of `trueup explain --format json`:
        subject, id, heading and ``lines`` (each with depth, kind and text)."""
        document: dict[str, Any] = json.loads(self._explained(install, device, licence, product)[1])
        return document

    def _explained(
        self, install: Optional[str], device: Optional[str], licence: Optional[str], product: Optional[str]
    ) -> tuple[str, str]:
        asked = (("install", install), ("device", device), ("licence", licence), ("product", product))
        given = [(s, v) for s, v in asked if v is not None]
        if len(given) != 1:
            raise TypeError("give one of install=, device=, licence= and product=")
        subject, id = given[0]
        text, document, problems = _core.explain(subject, id, self.native, self.rules, self.fleet)
        if _core.has_errors(problems):
            raise InputError([problem_from(d) for d in problems])
        return text, document

    @staticmethod
    def _written(problems: _core.Diagnostics) -> None:
        if len(problems) > 0:
            raise OSError("; ".join(str(p) for p in problems))

    def to_json(
        self, *, redact: bool = False, secret: Optional[Secret] = None, secret_file: Optional[PathLike] = None
    ) -> str:
        """The JSON document `trueup reconcile --format json` writes, byte for byte; with
        ``redact=True`` and a secret, its `--redact` document (see :meth:`redaction_map`)."""
        native, fleet, _ = self._shown(redact, secret, secret_file)
        return _core.format_json(native, self.rules, fleet)

    def to_table(
        self, *, redact: bool = False, secret: Optional[Secret] = None, secret_file: Optional[PathLike] = None
    ) -> str:
        """The table `trueup reconcile` prints (with pseudonyms when ``redact=True``)."""
        native, fleet, _ = self._shown(redact, secret, secret_file)
        return _core.format_table(native, self.rules, fleet)

    def to_html(
        self, *, redact: bool = False, secret: Optional[Secret] = None, secret_file: Optional[PathLike] = None
    ) -> str:
        """One self-contained HTML page (totals, compliance and shortfall-cost charts, the ELP,
        what to buy, findings; docs/outputs.md): `trueup reconcile --format html`, byte for
        byte; with ``redact=True`` and a secret, its `--redact` page."""
        native, fleet, assumptions = self._shown(redact, secret, secret_file)
        return _core.format_html(native, self.rules, fleet, assumptions)

    def deployment(
        self,
        format: str = "table",
        path: Optional[PathLike] = None,
        *,
        redact: bool = False,
        secret: Optional[Secret] = None,
        secret_file: Optional[PathLike] = None,
    ) -> Optional[str]:
        """The deployment summary an auditor asks for (docs/outputs.md): per product, version and
        edition, the devices, servers with processors and cores, VMs per host, users.
        ``format="table"`` or ``"json"`` returns what `trueup deployment DIR --format ...` prints,
        byte for byte; ``format="xlsx"`` writes its workbook to ``path`` (atomically; OSError when
        it cannot) and returns None. With ``redact=True`` and a secret, in its pseudonyms."""
        native, fleet, _ = self._shown(redact, secret, secret_file)
        if format == "xlsx":
            if path is None:
                raise TypeError("deployment: format='xlsx' needs a path to write the workbook to")
            self._written(_core.write_deployment_xlsx(os.fspath(path), native, self.rules, fleet))
            return None
        if format not in ("table", "json"):
            raise ValueError(f"deployment: expected format 'table', 'json' or 'xlsx', found {format!r}")
        return _core.format_deployment(native, self.rules, fleet, format == "json")

    def __repr__(self) -> str:
        t = self.native.totals
        return (
            f"<trueup.Result {self.rule_pack}: {t.installs} installs, {t.covered} covered, {t.shortfall} short, "
            f"{t.excluded} excluded, {t.duplicate} duplicate; true-up {t.true_up_cost}"
            + (f" + {t.unpriced_shortfall} unpriced unit(s)" if t.unpriced_shortfall else "")
            + ">"
        )


def read_secret(file: PathLike) -> bytes:
    """The secret of `--secret-file FILE`, read by the command's own function: the file's bytes
    without one final line break. Raises InputError (bad-secret) for a file that cannot be read
    or a secret shorter than 16 bytes."""
    key, problems = _core.read_secret(os.fspath(file))
    if _core.has_errors(problems):
        raise InputError([problem_from(d) for d in problems])
    return key


def _write_atomically(path: str, text: str) -> None:
    """Writes `text` as UTF-8 to a temporary file beside `path`, then renames it over `path`:
    the file appears whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=".trueup-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
