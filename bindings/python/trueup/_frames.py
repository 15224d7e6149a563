# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/trueup/_frames.py
#
# Tables in, tables out. A table given as a pandas DataFrame, a list of dicts (what API clients
# return) or a mapping of columns becomes the CSV text the readers read (docs/formats.md), so
# that every check and every message is the readers' own: there is no second validator. That
# text is the one copy of the data: it is written straight into one UTF-8 buffer, which the
# compiled core then reads in place. A path is handed to the core, which reads the file as the
# command line does.
#
# Values become text as follows: None, NaN, NA and NaT are empty; a date is `YYYY-MM-DD`, and a
# datetime (or pandas Timestamp) counts as its calendar day; a float with no fraction is
# written as an integer (pandas turns integer columns with blanks into floats: 4.0 is 4); a
# Decimal is written in full; an enum of this module is written as its name in files
# (`trueup.Channel.OEM` is "oem"); anything else is `str(value)`. Every field is quoted, so
# that spaces around ids are kept as given.
#
# pandas is imported only when a result is shaped as DataFrames, never to read inputs: a
# DataFrame given as input means pandas is already imported.
from __future__ import annotations

import csv
import datetime
import decimal
import io
import math
import numbers
import os
import pathlib
import sys
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from . import _core

TABLES = ("devices", "installs", "entitlements")
#: access.csv: who uses which server (CAL demand); assignments.csv: where licences were
#: assigned before (the 90-day rule); prices.csv: the price list (shortfall prices).
OPTIONAL_TABLES = ("access", "assignments", "prices")

_NAMED_ENUMS = (
    _core.Channel,
    _core.Metric,
    _core.DeviceKind,
    _core.Ownership,
    _core.DeviceStatus,
    _core.Exclusion,
    _core.Verdict,
)


def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, decimal.Decimal):
        return v.is_nan()
    return type(v).__name__ in ("NAType", "NaTType")


def cell(v: Any) -> str:
    """One value as CSV text (see the file comment)."""
    if type(v) is str:
        return v
    if _missing(v):
        return ""
    if isinstance(v, str):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _NAMED_ENUMS):
        return _core.name(v)
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, numbers.Integral):  # int, numpy integers
        return str(int(v))
    if isinstance(v, numbers.Real):  # float, numpy floats
        f = float(v)
        if math.isnan(f):
            return ""
        if f.is_integer() and abs(f) < 2.0**53:
            return str(int(f))
        return repr(f)
    return str(v)


class _Buffer:
    """A CSV writer over one growing UTF-8 buffer, read in place by the core (no copy)."""

    def __init__(self) -> None:
        self._raw = io.BytesIO()
        # A lone surrogate (a str decoded with errors="surrogateescape") is written as its
        # 3 bytes, which the readers report as a bad-encoding problem at its row and column
        # (InputError), rather than a UnicodeEncodeError naming no row.
        self._text = io.TextIOWrapper(
            self._raw, encoding="utf-8", errors="surrogatepass", newline="", write_through=False
        )
        self.writer = csv.writer(self._text, quoting=csv.QUOTE_ALL, lineterminator="\n")

    def finish(self) -> memoryview:
        self._text.flush()
        self._text.detach()  # keep the BytesIO open once the wrapper is gone
        return self._raw.getbuffer()


def _frame_csv(df: Any) -> memoryview:
    pd = sys.modules["pandas"]
    if any(n is not None for n in df.index.names):  # a named index is data (df.set_index("device_id"))
        df = df.reset_index()
    out = _Buffer()
    out.writer.writerow([cell(c) for c in df.columns])
    columns = [_series_text(df.iloc[:, i], pd) for i in range(df.shape[1])]
    out.writer.writerows(zip(*columns))
    return out.finish()


def _series_text(s: Any, pd: Any) -> list[str]:
    """One DataFrame column as text, vectorised where pandas can."""
    types = pd.api.types
    text: list[str]
    if types.is_datetime64_any_dtype(s.dtype):
        text = s.dt.strftime("%Y-%m-%d").where(s.notna(), "").tolist()
        return text
    if types.is_integer_dtype(s.dtype) and not types.is_extension_array_dtype(s.dtype):
        text = s.astype(str).tolist()
        return text
    values = s.tolist()
    if types.is_object_dtype(s.dtype) or types.is_string_dtype(s.dtype):
        return [v if type(v) is str else cell(v) for v in values]
    return [cell(v) for v in values]


def _records_csv(records: list[Any], table: str) -> memoryview:
    keys: dict[Any, None] = {}
    for i, r in enumerate(records):
        if not isinstance(r, Mapping):
            raise TypeError(f"{table}: expected a mapping (dict) for each row, found {type(r).__name__} at row {i}")
        keys.update(dict.fromkeys(r))
    names = list(keys)
    out = _Buffer()
    out.writer.writerow([cell(k) for k in names])
    write = out.writer.writerow
    for r in records:
        write([cell(r.get(k)) for k in names])
    return out.finish()


def _columns_csv(columns: Mapping[Any, Any], table: str) -> memoryview:
    names = list(columns)
    values = []
    for n in names:
        v = columns[n]
        if isinstance(v, (str, bytes)) or not hasattr(v, "__len__") or not hasattr(v, "__iter__"):
            raise TypeError(
                f"{table}: a mapping of columns needs a list of values for each column; column {n!r} "
                f"holds {type(v).__name__} (for one row, pass a list with one dict)"
            )
        values.append(list(v))
    lengths = {len(v) for v in values}
    if len(lengths) > 1:
        raise ValueError(
            f"{table}: expected columns of one length, found lengths "
            + ", ".join(f"{n!r}: {len(v)}" for n, v in zip(names, values))
        )
    out = _Buffer()
    out.writer.writerow([cell(n) for n in names])
    out.writer.writerows(zip(*[[cell(x) for x in v] for v in values]))
    return out.finish()


class Source:
    """One table on its way to _core.FleetSources: what to read, under which name."""

    def __init__(self, table: str, data: Any, name: str, in_memory: bool) -> None:
        self.table = table
        self.data = data
        self.name = name
        self.in_memory = in_memory


def source(table: str, value: Any) -> Source:
    """A table given as a DataFrame, records, a mapping of columns or a path (or an object that
    knows its own source: the records of read_entitlements())."""
    if hasattr(value, "_source"):
        return value._source()  # type: ignore[no-any-return]
    if isinstance(value, (str, os.PathLike)):
        path = pathlib.Path(value)
        return Source(table, path, path.name, False)
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(value, pd.DataFrame):
        return Source(table, _frame_csv(value), table, True)
    if isinstance(value, Mapping):
        return Source(table, _columns_csv(value, table), table, True)
    if isinstance(value, Iterable) and not isinstance(value, (bytes, bytearray)):
        return Source(table, _records_csv(list(value), table), table, True)
    raise TypeError(
        f"{table}: expected a pandas DataFrame, a list of dicts, a mapping of columns or a path to a CSV "
        f"file, found {type(value).__name__}"
    )


def sources(
    devices: Any, installs: Any, entitlements: Any, access: Any = None, assignments: Any = None, prices: Any = None
) -> list[Source]:
    """The required tables, then the optional ones given (None: not given). devices and
    installs are None when an inventory gives them (its own sources come first)."""
    out = [source(t, v) for t, v in zip(TABLES, (devices, installs, entitlements)) if v is not None]
    for table, value in zip(OPTIONAL_TABLES, (access, assignments, prices)):
        if value is not None:
            out.append(source(table, value))
    # Two files with the same name (a/data.csv, b/data.csv) are reported under their paths.
    names = [s.name for s in out]
    for s in out:
        if not s.in_memory and names.count(s.name) > 1:
            s.name = os.fspath(s.data)
    return out


def pandas() -> Optional[Any]:
    """pandas, or None when it cannot be imported."""
    try:
        import pandas as pd  # type: ignore[import]
    except ImportError:
        return None
    return pd
