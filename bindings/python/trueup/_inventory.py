# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/_inventory.py
#
# Inventory exports from Python (docs/formats.md "Inventory exports"): `read_inventory()` reads
# the exports an inventory tool wrote — GLPI Agent JSON, registry exports, Configuration
# Manager views, WMI processor dumps — with the command's own importers, and gives the devices
# and installs tables they become. `reconcile(..., inventory=...)` reconciles them as
# `trueup reconcile --inventory KIND:PATH` does: same rows, same ids, same messages.
from __future__ import annotations

import csv
import datetime
import io
import os
import pathlib
from typing import Any, Union

from . import _core, _errors, _frames
from ._errors import InputError, Problem

#: The export formats, as KIND of `KIND:PATH`.
KINDS = ("glpi", "reg", "sccm", "lansweeper", "wmi", "dpkg", "rpm", "mssql", "osquery")

InventorySpec = Union[str, "tuple[str, Union[str, os.PathLike[str]]]"]


class Inventory:
    """What a set of inventory exports holds, as the project's tables.

    ``devices`` and ``installs``: DataFrames (lists of dicts without pandas) with the columns of
    devices.csv and installs.csv (docs/formats.md); ``processors`` and ``cores`` are integers
    (None when unknown), ``first_seen`` a date (None when unknown). ``warnings``: every problem
    the importers reported (a duplicate device, an unknown host, rows without a title ...).
    ``sources``: per export, the files, devices and rows read and the entries skipped."""

    def __init__(self, read: dict[str, Any], warnings: list[Problem], diagnostics: list[_core.Diagnostic]) -> None:
        self._diagnostics = diagnostics  # the importers' warnings, which the report lists first
        self._devices_csv: bytes = read["devices_csv"]
        self._installs_csv: bytes = read["installs_csv"]
        self.warnings = warnings
        self.sources: list[dict[str, Any]] = list(read["sources"])

    @property
    def devices(self) -> Any:
        return _table(self._devices_csv, ints=("processors", "cores"), dates=())

    @property
    def installs(self) -> Any:
        return _table(self._installs_csv, ints=(), dates=("first_seen",))

    def __repr__(self) -> str:
        return f"<Inventory {sum(s['devices'] for s in self.sources)} devices, {sum(s['rows'] for s in self.sources)} rows>"

    def _with_devices(self, overlay: _frames.Source, pack: Any) -> "Inventory":
        """This inventory with ``overlay``, a devices table stating facts no export holds, over its
        devices: what the command does with DIR/devices.csv and --inventory (docs/formats.md,
        "Facts no export holds"). Raises InputError with every problem of the overlay."""
        data = overlay.data
        if isinstance(data, pathlib.Path):
            try:
                data = data.read_bytes()
            except OSError as e:
                raise InputError(
                    [_errors.argument_problem("devices", "missing-file", f"expected a readable file, found {e}")]
                ) from None
        merged, diagnostics, locations = _core.overlay_devices(self._devices_csv, data, overlay.name, pack)
        problems = [
            _errors.problem_from(d, "devices", row, column, overlay.in_memory)
            for d, (row, column) in zip(diagnostics, locations)
        ]
        if merged is None:
            raise InputError(self.warnings + problems)
        read = {"devices_csv": merged, "installs_csv": self._installs_csv, "sources": self.sources}
        return Inventory(read, self.warnings + problems, self._diagnostics + list(diagnostics))

    def _with_dir(self, dir: Union[str, "os.PathLike[str]"], pack: Any) -> "Inventory":
        """This inventory read with the fleet directory ``dir`` as the command reads it with
        --inventory: its devices.csv, when there, over the devices; an installs.csv there not read
        (warning not-read). Raises InputError with every problem."""
        merged, diagnostics = _core.imported_devices(dir, self._devices_csv, pack)
        problems = [_errors.problem_from(d) for d in diagnostics]
        if merged is None:
            raise InputError(self.warnings + problems)
        read = {"devices_csv": merged, "installs_csv": self._installs_csv, "sources": self.sources}
        return Inventory(read, self.warnings + problems, self._diagnostics + list(diagnostics))

    def _sources(self) -> list[_frames.Source]:
        """The two tables as the command hands them to the readers, under the command's names."""
        return [
            _frames.Source("devices", self._devices_csv, "devices (inventory)", False),
            _frames.Source("installs", self._installs_csv, "installs (inventory)", False),
        ]


def _table(text: bytes, ints: tuple[str, ...], dates: tuple[str, ...]) -> Any:
    rows: list[dict[str, Any]] = list(csv.DictReader(io.StringIO(text.decode("utf-8", "replace"))))
    for r in rows:
        for c in ints:
            r[c] = int(r[c]) if r[c] else None
        for c in dates:
            r[c] = datetime.date.fromisoformat(r[c]) if r[c] else None
    pd = _frames.pandas()
    if pd is None:
        return rows
    header = text.split(b"\n", 1)[0].decode("utf-8").split(",")
    frame = pd.DataFrame(rows, columns=header)
    return frame.astype({c: "Int64" for c in ints})


def _spec(source: InventorySpec) -> str:
    if isinstance(source, tuple):
        kind, path = source
        return f"{kind}:{os.fspath(path)}"
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    raise TypeError(f"inventory: expected 'KIND:PATH' or (kind, path), found {type(source).__name__}")


def read_inventory(*sources: Any) -> Inventory:
    """Reads inventory exports, each ``"KIND:PATH"`` (``"sccm:exports/"``, ``"reg:pc-0042.reg"``)
    or ``(kind, path)``, KIND one of glpi, reg, sccm, lansweeper, wmi, dpkg, rpm, mssql, osquery; ``read_inventory("sccm", path)`` reads
    one. A device in several exports is one device (the first export's facts win, a later one
    fills what is unknown). Raises InputError listing every problem of every export."""
    if len(sources) == 2 and isinstance(sources[0], str) and sources[0] in KINDS:
        sources = ((sources[0], sources[1]),)
    if not sources:
        raise TypeError("read_inventory: give at least one export, 'KIND:PATH' or (kind, path)")
    read, problems = _core.read_inventory([_spec(s) for s in sources])
    diagnostics = [
        _errors.problem_from(d) if d.file else _errors.argument_problem("inventory", d.code, d.message)
        for d in problems
    ]
    if read is None:
        raise InputError(diagnostics)
    return Inventory(read, diagnostics, list(problems))


def inventory_of(value: Any) -> Inventory:
    """An Inventory, or the exports to read into one (a spec or a list of specs)."""
    if isinstance(value, Inventory):
        return value
    if isinstance(value, (str, os.PathLike, tuple)):
        return read_inventory(value)
    return read_inventory(*value)
