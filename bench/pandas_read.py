#!/usr/bin/python3
# SPDX-License-Identifier: BSL-1.0
# File: bench/pandas_read.py
#
# The peer a scripting user starts from (docs/performance.md, the speed issue): pandas merely
# reading a fleet's three CSV files, every column as text, nothing reconciled.
#
#     /usr/bin/python3 bench/pandas_read.py DIR
#
# reconcile_bench (`--pandas=THIS_FILE`, passed by scripts/bench) runs it as a process of its
# own, as it runs the `trueup` command, and times it start to exit: the interpreter's start and
# the pandas import are part of what the user waits for, as the command's start and its rule
# pack are part of trueup's time. Prints nothing; exits 1 if a file reads as no rows.
from __future__ import annotations

import pathlib
import sys

import pandas


def main() -> int:
    fleet = pathlib.Path(sys.argv[1])
    rows = 0
    for name in ("devices.csv", "installs.csv", "entitlements.csv"):
        # Strings only: no type inference, no NA detection (what trueup's reader keeps is text
        # it then checks itself).
        frame = pandas.read_csv(fleet / name, dtype=str, keep_default_na=False, na_filter=False)
        if len(frame) == 0:
            return 1
        rows += len(frame)
    return 0 if rows > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
