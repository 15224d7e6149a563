# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/__init__.py
#
# trueup for Python: reconcile inventory against entitlements from scripts, with pandas
# DataFrames, lists of dicts (what API clients return) or CSV files; the same C++ library and
# the same checks as the `trueup` command line.
#
#     import trueup
#     rules = trueup.load_rule_pack("microsoft")
#     result = trueup.reconcile(devices=devices_df, installs=installs_df,
#                               entitlements=entitlements_df, rules=rules)
#     result.position      # per product: demand, licences, shortfall, true-up cost
#     result.verdicts      # per install: verdict, licences, evidence
#
# The compiled core is the private module `trueup._core` (pybind11); this package is the
# facade. Names mirror the C++ API: load_rule_pack, parse_rule_pack, parse_fleet, read_fleet,
# reconcile, Position, ProductPosition, InstallVerdict, ... See docs/python.md.
from __future__ import annotations

import datetime
import os
import pathlib
from typing import Any, Optional, Sequence, Union

try:
    from . import _core
except ImportError as e:  # pragma: no cover - depends on how the package was built
    raise ImportError(
        f"{e}\nThe package trueup needs its compiled module trueup._core: build trueup with CMake and "
        "-DTRUEUP_BUILD_PYTHON=ON, for the interpreter that imports it (Python_EXECUTABLE, default "
        "/usr/bin/python3), and put <build>/python on PYTHONPATH."
    ) from e

from . import _entitlements, _errors, _frames, _inventory, _state
from ._core import (
    Allocation,
    Channel,
    CsvDialect,
    Date,
    Device,
    DeviceKind,
    DeviceStatus,
    Diagnostic,
    Entitlement,
    EntitlementUse,
    Exclusion,
    Fleet,
    FleetRead,
    FleetSources,
    Install,
    InstallVerdict,
    Metric,
    Ownership,
    Position,
    ProductPosition,
    ProductRef,
    ReconcileOptions,
    RulePack,
    RuleStep,
    Severity,
    SolveOptions,
    SolveStatus,
    Totals,
    UnitTotals,
    Verdict,
    check_accounting,
    format_json,
    format_table,
    name,
)
from ._errors import InputError, InternalError, Problem
from ._result import Result
from ._entitlements import Entitlements, read_entitlements
from ._inventory import Inventory, read_inventory
from ._state import history, runs

__version__: str = _core.__version__

__all__ = [
    "Allocation",
    "Channel",
    "CsvDialect",
    "Date",
    "Device",
    "DeviceKind",
    "DeviceStatus",
    "Diagnostic",
    "Entitlement",
    "EntitlementUse",
    "Exclusion",
    "Fleet",
    "FleetRead",
    "FleetSources",
    "InputError",
    "Entitlements",
    "Inventory",
    "Install",
    "InstallVerdict",
    "InternalError",
    "Metric",
    "Ownership",
    "Position",
    "Problem",
    "ProductPosition",
    "ProductRef",
    "ReconcileOptions",
    "Result",
    "RulePack",
    "RuleStep",
    "Severity",
    "SolveOptions",
    "SolveStatus",
    "Totals",
    "UnitTotals",
    "Verdict",
    "check_accounting",
    "format_json",
    "format_table",
    "history",
    "load_rule_pack",
    "name",
    "parse_fleet",
    "parse_rule_pack",
    "read_fleet",
    "read_entitlements",
    "read_inventory",
    "reconcile",
    "reconcile_dir",
    "runs",
]

#: A table: a pandas DataFrame, a list of dicts, a mapping of columns, or a path to a CSV file.
Table = Any
#: A rule pack, a shipped pack's name ("microsoft") or a path to a pack file.
Pack = Union[RulePack, str, "os.PathLike[str]"]
#: One pack, or several used together in order (["microsoft", "oracle"]: docs/rule-packs.md).
Rules = Union[Pack, Sequence[Pack]]
#: A date: datetime.date (a datetime counts as its day) or an ISO string "YYYY-MM-DD".
DateLike = Union[datetime.date, str]


#: The rule packs the package carries (trueup/rules), looked up after $TRUEUP_RULES_PATH.
_SHIPPED_RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules")


def load_rule_pack(path_or_name: Union[str, "os.PathLike[str]"]) -> RulePack:
    """A shipped rule pack by name ("microsoft"), or a pack file by path (a str containing "/"
    or ending in ".toml", or any os.PathLike). Raises InputError listing every problem."""
    result = _core.load_rule_pack(path_or_name, [_SHIPPED_RULES])
    if not result:
        raise InputError([_errors.problem_from(d) for d in result.error()])
    return result.value()


def parse_rule_pack(toml: str, source_name: str = "rules.toml") -> RulePack:
    """A rule pack from TOML text; diagnostics name it `source_name`. Raises InputError."""
    result = _core.parse_rule_pack(toml, source_name)
    if not result:
        raise InputError([_errors.problem_from(d) for d in result.error()])
    return result.value()


def _rules(rules: Rules) -> RulePack:
    if isinstance(rules, RulePack):
        return rules
    if isinstance(rules, (str, os.PathLike)):
        return load_rule_pack(rules)
    if isinstance(rules, (list, tuple)) and rules:
        packs = [_rules(r) for r in rules]
        if len(packs) == 1:
            return packs[0]
        result = _core.combine_rule_packs(packs)
        if not result:
            raise InputError([_errors.problem_from(d) for d in result.error()])
        return result.value()
    raise TypeError(
        "rules: expected a RulePack, a rule pack name or a path, or a non-empty list of them, "
        f"found {type(rules).__name__}"
    )


def _dialect(csv_separator: Optional[str], encoding: str) -> CsvDialect:
    """The dialect of `--csv-separator` and `--encoding`; ValueError, in the command's words, for
    a value it refuses."""
    return _core.csv_dialect(csv_separator, encoding)


def _is_default(dialect: CsvDialect) -> bool:
    return dialect.separator is None and dialect.encoding == "utf-8"


def _dialect_for(
    sources: list[_frames.Source], dialect: CsvDialect, inventory: bool, entitlements: bool = False
) -> None:
    """Refuses a dialect that cannot apply: it says how the fleet's *files* are written, as the
    command's options say how DIR's files are. An inventory's exports are read in their own
    encodings and separators (the command refuses the options with --inventory), and a table
    given in memory becomes UTF-8 text with commas whatever the files are."""
    if _is_default(dialect):
        return
    if entitlements and not inventory:
        message = (
            "expected csv_separator and encoding without entitlements sources (each licence source is read in "
            "its own encoding and separator), found them with read_entitlements()"
        )
        raise InputError([_errors.argument_problem("entitlements", "bad-option", message)])
    if inventory:
        message = (
            "expected csv_separator and encoding without inventory (each export is read in its own encoding, "
            "the fleet's files as UTF-8 with their separator detected), found them with inventory"
        )
        raise InputError([_errors.argument_problem("inventory", "bad-option", message)])
    for s in sources:
        if not isinstance(s.data, pathlib.Path):
            message = (
                "expected csv_separator and encoding with tables given as files (they say how the files are "
                f"written), found {s.table} given in memory"
            )
            raise InputError([_errors.argument_problem(s.table, "bad-option", message)])


def _read(
    sources: list[_frames.Source], pack: RulePack, dialect: Optional[CsvDialect] = None
) -> tuple[FleetRead, list[Problem]]:
    """Parses the tables (files in `dialect`); the fleet read and its warnings, or InputError
    with every problem."""
    devices, installs, entitlements = sources[:3]
    core_sources = FleetSources(
        devices=devices.data,
        installs=installs.data,
        entitlements=entitlements.data,
        devices_name=devices.name,
        installs_name=installs.name,
        entitlements_name=entitlements.name,
    )
    for optional in sources[3:]:  # the optional tables given: access, assignments, prices
        setattr(core_sources, optional.table, optional.data)
        setattr(core_sources, optional.table + "_name", optional.name)
    result = _core.parse_fleet(core_sources, pack, dialect if dialect is not None else CsvDialect())
    diagnostics = result.value().warnings if result else result.error()
    by_name = {s.name: s for s in sources}
    problems = []
    for d, (row, column) in zip(diagnostics, result.locations):
        s = by_name.get(d.file)
        problems.append(_errors.problem_from(d, s.table if s else None, row, column, s.in_memory if s else False))
    if not result:
        raise InputError(problems)
    return result.value(), problems


def parse_fleet(
    devices: Table,
    installs: Table,
    entitlements: Table,
    access: Optional[Table] = None,
    rules: Rules = "microsoft",
    assignments: Optional[Table] = None,
    prices: Optional[Table] = None,
    csv_separator: Optional[str] = None,
    encoding: str = "utf-8",
) -> FleetRead:
    """Reads and validates the tables against the rule pack, without reconciling (what
    `trueup validate` does); `access` (who uses which server, for CALs), `assignments` (where
    licences were assigned before) and `prices` (the price list) are optional. Tables given as
    files are read with the separator ``csv_separator`` ("," ";" "\\t" or "tab"; None: detected
    from each header) in ``encoding`` ("utf-8" or "windows-1252"), as `--csv-separator` and
    `--encoding` read them. Returns the fleet with its warnings; raises InputError listing every
    problem of every table."""
    if isinstance(entitlements, Entitlements):  # its problems would name the rendered text
        raise TypeError("parse_fleet: the records of read_entitlements() are read by reconcile() and reconcile_dir()")
    dialect = _dialect(csv_separator, encoding)
    pack = _rules(rules)
    srcs = _frames.sources(devices, installs, entitlements, access, assignments, prices)
    _dialect_for(srcs, dialect, inventory=False)
    read, _ = _read(srcs, pack, dialect)
    return read


def read_fleet(
    dir: Union[str, "os.PathLike[str]"],
    rules: Rules = "microsoft",
    inventory: Optional[Any] = None,
    csv_separator: Optional[str] = None,
    encoding: str = "utf-8",
    entitlements: Optional[Any] = None,
) -> FleetRead:
    """parse_fleet() of the files `trueup reconcile DIR` reads in `dir`, in the dialect
    ``csv_separator`` and ``encoding`` (as parse_fleet()); with ``inventory`` (as in
    reconcile()), the devices and installs come from the exports (`trueup validate
    --inventory`), `dir`/devices.csv when present states facts of the imported devices, and the
    dialect must be the default. With ``entitlements`` (as in reconcile_dir()), the licences
    come from those files (`trueup validate --entitlements`): the problems, and the warnings of
    the fleet read, name their files, lines and columns."""
    devices, installs, licence_file, access, assignments, prices = _files(dir)
    if inventory is None and entitlements is None:
        return parse_fleet(devices, installs, licence_file, access, rules, assignments, prices, csv_separator, encoding)
    _dialect_for([], _dialect(csv_separator, encoding), inventory is not None, entitlements=entitlements is not None)
    pack = _rules(rules)
    imported = None
    if inventory is not None:  # DIR/devices.csv, as the command reads it
        imported = _inventory.inventory_of(inventory)._with_dir(dir, pack)
        srcs = imported._sources() + _frames.sources(None, None, licence_file, access, assignments, prices)
    else:
        srcs = _frames.sources(devices, installs, licence_file, access, assignments, prices)
    lead = imported.warnings if imported is not None else []
    if entitlements is None:
        try:
            read, _ = _read(srcs, pack)
        except InputError as e:
            raise InputError(lead + e.problems) from None
        return read
    licences = _entitlements.entitlements_of(entitlements)._with_dir(dir)
    srcs[2] = licences._source()
    try:
        read, _ = _read(srcs, pack)
    except InputError as e:
        raise InputError(lead + licences._problems(e.problems) + licences.warnings) from None
    _core.entitlement_origins_in(licences._core, read, licences._diagnostics, licences._trailing)
    return read


def _files(dir: Union[str, "os.PathLike[str]"]) -> list[Optional[pathlib.Path]]:
    """The files of a fleet directory, as `trueup reconcile DIR` reads them: the three tables,
    and access.csv, assignments.csv and prices.csv each when it exists (else None)."""
    files: list[Optional[pathlib.Path]] = [pathlib.Path(dir) / f"{t}.csv" for t in _frames.TABLES]
    for t in _frames.OPTIONAL_TABLES:
        path = pathlib.Path(dir) / f"{t}.csv"
        files.append(path if path.exists() else None)
    return files


def _as_of(value: Optional[DateLike]) -> tuple[Optional[datetime.date], list[Problem]]:
    if value is None:
        return None, []
    if isinstance(value, datetime.datetime):
        return value.date(), []
    if isinstance(value, datetime.date):
        return value, []
    if isinstance(value, str):
        parsed = Date.parse(value.strip())
        if parsed is None:
            message = "expected a date YYYY-MM-DD, found " + _errors.quote_value(value)
            return None, [_errors.argument_problem("as_of", "bad-date", message)]
        return parsed.to_date(), []
    raise TypeError(f"as_of: expected a datetime.date or an ISO date string YYYY-MM-DD, found {type(value).__name__}")


def reconcile(
    devices: Optional[Table] = None,
    installs: Optional[Table] = None,
    entitlements: Optional[Table] = None,
    access: Optional[Table] = None,
    rules: Rules = "microsoft",
    as_of: Optional[DateLike] = None,
    assignments: Optional[Table] = None,
    prices: Optional[Table] = None,
    record_assignments: bool = False,
    state: Optional[Union[str, "os.PathLike[str]"]] = None,
    label: str = "",
    future_as_of: bool = False,
    defer_commit: bool = False,
    inventory: Optional[Any] = None,
    csv_separator: Optional[str] = None,
    encoding: str = "utf-8",
) -> Result:
    """Reconciles the fleet against its entitlements under the rule pack's rules.

    Each table may be a pandas DataFrame, a list of dicts, a mapping of columns, or a path to
    a CSV file; columns as in docs/formats.md. Invalid input raises InputError listing every
    problem with its table, row and column; nothing partial is returned. The GIL is released
    while the tables are parsed and while the solver runs.

    ``access`` (optional) is who uses which server (access.csv): the CAL demand.
    ``assignments`` (optional) is where licences were assigned before (assignments.csv): the
    history the 90-day reassignment rule reads. ``prices`` (optional) is the price list
    (prices.csv) that prices shortfalls no licence record names a price for.

    ``as_of`` (a date or "YYYY-MM-DD", default today in UTC) is the date the position is taken
    on: devices retired after it still count, installs first seen after it do not, licences
    bought after it do not, subscriptions count within their term, Software Assurance and the
    90-day reassignment rule are read from it (docs/formats.md).

    ``record_assignments`` keeps the assignments held after the run: ``result.assignments``
    and ``result.write_assignments(path)`` (the command's ``--write-assignments``).

    ``inventory`` (an ``Inventory`` from ``read_inventory()``, or the exports to read:
    ``"sccm:exports/"``, a list of such) gives the devices and installs instead of ``devices``
    and ``installs``, as ``trueup reconcile --inventory`` does; its warnings come first. With
    it, ``devices`` (optional) states facts no export holds over the imported devices, as the
    command reads DIR/devices.csv (only the columns needed: ``device_id`` and, say,
    ``environment``; docs/formats.md, "Facts no export holds").

    ``entitlements`` may also be the records of ``read_entitlements()`` (licence files other than
    entitlements.csv, as ``trueup reconcile --entitlements`` reads them): problems with them are
    named at their files, lines and columns, and their warnings come first.

    ``csv_separator`` ("," ";" "\\t" or "tab"; default None: detected from each header) and
    ``encoding`` ("utf-8", the default, or "windows-1252") say how the tables given as files
    are written, as the command's `--csv-separator` and `--encoding` (docs/formats.md, "The CSV
    dialect"); a value the command refuses raises ValueError in its words. Other than the
    default, they need every table given as a file, and no ``inventory`` (InputError,
    bad-option).

    ``state`` (a path) is the state file of `trueup reconcile --state` (docs/state.md): once it
    holds runs, its history replaces ``assignments`` (with the warning history-in-state when
    both are given), and the run is recorded in it under ``label`` (``result.run`` says which
    run); assignments are recorded. A run dated before the last recorded one, or after today
    without ``future_as_of=True``, is refused before anything is reconciled. The file's write
    lock is held from the read to the commit. With ``defer_commit=True`` the run is recorded
    only by ``result.commit_state()`` (after the caller has written its outputs, as the command
    does) and discarded by ``result.close_state()`` or when the result is collected.
    """
    if entitlements is None:
        raise TypeError("reconcile: entitlements is required")
    if inventory is not None and installs is not None:
        raise TypeError("reconcile: give devices and installs, or inventory (and devices stating facts over its devices)")
    if inventory is None and (devices is None or installs is None):
        raise TypeError("reconcile: give devices and installs (or inventory)")
    dialect = _dialect(csv_separator, encoding)
    when, problems = _as_of(as_of)
    try:
        pack = _rules(rules)
    except InputError as e:
        raise InputError(problems + e.problems) from None
    licences = entitlements if isinstance(entitlements, Entitlements) else None
    if inventory is not None or licences is not None:  # refused before any source is read
        _dialect_for([], dialect, inventory=inventory is not None, entitlements=licences is not None)
    imported = _inventory.inventory_of(inventory) if inventory is not None else None
    if imported is not None and devices is not None:
        try:
            imported = imported._with_devices(_frames.source("devices", devices), pack)
        except InputError as e:
            raise InputError(problems + e.problems) from None
    if imported is not None:
        srcs = imported._sources() + _frames.sources(None, None, entitlements, access, assignments, prices)
    else:
        srcs = _frames.sources(devices, installs, entitlements, access, assignments, prices)
    _dialect_for(srcs, dialect, inventory=imported is not None, entitlements=licences is not None)
    first = (licences.warnings if licences else []) + (imported.warnings if imported else [])
    try:
        read, warnings = _read(srcs, pack, dialect)
    except InputError as e:
        if licences is None:
            raise InputError(problems + first + e.problems) from None
        # As the command: the readers' problems (licences at their sources), then the sources' warnings.
        lead = imported.warnings if imported is not None else []
        raise InputError(problems + lead + licences._problems(e.problems) + licences.warnings) from None
    if licences is not None:
        warnings = licences._problems(warnings) + licences._trailing_problems()
    warnings = first + warnings
    assignments_in_memory = any(src.table == "assignments" and src.in_memory for src in srcs)
    del srcs  # the CSV text of tables given in memory: read, no longer needed while solving
    if problems:
        raise InputError(problems + warnings)
    run = None
    history_file = ""
    if state is not None:
        when = when if when is not None else _state.today()
        run = _state.begin(state, when, read.fleet, future_as_of)
        warnings += [_errors.problem_from(d, "assignments", in_memory=assignments_in_memory) for d in run.warnings]
        history_file = os.fspath(state) if run.history_in_state else ""
        record_assignments = True
    options = ReconcileOptions()
    options.record_assignments = record_assignments
    if when is not None:
        options.as_of = Date(when.year, when.month, when.day)
    # The report lists the importers' warnings, then the readers', then the position's (the command's order).
    # The sources' warnings first, then the importers', then the readers' (licences at their
    # sources), as the command lists them.
    read_warnings = list(read.warnings)
    if licences is not None:
        read_warnings = licences._origins(read_warnings) + licences._trailing
    input_warnings = (
        (licences._diagnostics if licences is not None else [])
        + (imported._diagnostics if imported is not None else [])
        + read_warnings
    )
    position = _core.reconcile(pack, read.fleet, options, input_warnings, history_file)
    input_count = len(input_warnings)  # the position's warnings begin with the inputs'
    warnings += [
        _errors.problem_from(d, _table_of(d.file), in_memory=False) for d in list(position.warnings)[input_count:]
    ]
    result = Result(position, pack, read, warnings, position.as_of, record_assignments, dialect)
    if isinstance(rules, (str, os.PathLike)):
        result.assumptions[1] = ("rules", os.fspath(rules))
    elif isinstance(rules, (list, tuple)):
        names = [os.fspath(r) for r in rules if isinstance(r, (str, os.PathLike))]
        if len(names) == len(rules):  # packs given by name or path: as the command writes them
            result.assumptions[1] = ("rules", ", ".join(names))
    # The sources read, after the fleet, as the command's Assumptions sheet lists them; no fleet
    # when they are all there is (the command's run without DIR).
    sources = [("inventory", str(x["source"])) for x in (imported.sources if imported is not None else [])]
    sources += [("entitlements", spec) for spec in (licences.sources if licences is not None else [])]
    result.assumptions[1:1] = sources
    if imported is not None and licences is not None and all(t is None for t in (devices, access, assignments, prices)):
        del result.assumptions[0]
    if run is not None and state is not None:
        result.assumptions.append(("state", os.fspath(state)))
        result._state_run = run
        result._state_label = label
        if not defer_commit:
            result.commit_state()
    return result


def reconcile_dir(
    dir: Union[str, "os.PathLike[str]"],
    rules: Rules = "microsoft",
    as_of: Optional[DateLike] = None,
    record_assignments: bool = False,
    state: Optional[Union[str, "os.PathLike[str]"]] = None,
    future_as_of: bool = False,
    defer_commit: bool = False,
    inventory: Optional[Any] = None,
    csv_separator: Optional[str] = None,
    encoding: str = "utf-8",
    entitlements: Optional[Any] = None,
) -> Result:
    """reconcile() of the files `trueup reconcile DIR` reads in `dir` (devices.csv, installs.csv,
    entitlements.csv, and access.csv, assignments.csv and prices.csv when present), with the
    same messages and the same position. With ``state``, the run is recorded under the label
    `dir`, as the command records it. With ``inventory`` (as in reconcile()), the devices and
    installs come from the exports and `dir` holds the licences and the optional files, and may
    hold a devices.csv stating facts of the imported devices.
    ``csv_separator`` and ``encoding`` say how the files of `dir` are written, as reconcile()'s.
    With ``entitlements`` (an ``Entitlements`` from ``read_entitlements()``, or the sources to
    read: ``"csv:licences.csv"``, a list of them), the licences come from those files instead of
    `dir`/entitlements.csv, as `trueup reconcile DIR --entitlements` reads them (an
    entitlements.csv left in `dir` is not read: warning not-read)."""
    devices, installs, licence_file, access, assignments, prices = _files(dir)
    licences: Any = licence_file
    if entitlements is not None:  # the command's order: the options, the exports, the licence files
        _dialect_for([], _dialect(csv_separator, encoding), inventory is not None, entitlements=True)
    if inventory is not None:  # DIR/devices.csv, when there, states facts of the imported devices
        rules = _rules(rules)
        inventory = _inventory.inventory_of(inventory)._with_dir(dir, rules)
        devices = installs = None
    if entitlements is not None:
        licences = _entitlements.entitlements_of(entitlements)._with_dir(dir)
    result = reconcile(
        devices,
        installs,
        licences,
        access,
        rules=rules,
        as_of=as_of,
        assignments=assignments,
        prices=prices,
        record_assignments=record_assignments,
        state=state,
        label=os.fspath(dir),
        future_as_of=future_as_of,
        defer_commit=defer_commit,
        inventory=inventory,
        csv_separator=csv_separator,
        encoding=encoding,
    )
    fleet = ("fleet", os.fspath(dir))
    if result.assumptions and result.assumptions[0][0] == "fleet":
        result.assumptions[0] = fleet
    else:
        result.assumptions.insert(0, fleet)
    return result


def _table_of(file: str) -> Optional[str]:
    for t in _frames.TABLES + _frames.OPTIONAL_TABLES:
        if file in (t, t + ".csv"):
            return t
    return None

