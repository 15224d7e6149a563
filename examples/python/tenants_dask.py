#!/usr/bin/python3
# SPDX-License-Identifier: BSL-1.0
# File: examples/python/tenants_dask.py
#
# Many estates, many machines: a managed-service provider reconciles each client estate on its
# own (one licence position per client, never pooled), thousands of them a night. Dask spreads
# the estates over workers — the processes of one machine (a LocalCluster, the default) or of a
# cluster (`--scheduler tcp://HOST:8786`, see docs/python.md) — and this script collects each
# estate's totals into one summary table.
#
#     PYTHONPATH=build/test/python /usr/bin/python3 examples/python/tenants_dask.py ESTATES_DIR \
#         [--workers 2] [--threads] [--scheduler ADDRESS] [--as-of YYYY-MM-DD] [-o summary.csv]
#
# ESTATES_DIR holds one folder per client, each a fleet as `trueup reconcile` reads it. An
# estate whose files are invalid is reported in the summary (status `invalid`, its first
# problem) and does not stop the others. The summary is sorted by estate, so the same estates
# give the same file whatever the number of workers or the order they finish in.
#
# What a task returns must travel between processes: plain records (the totals and the
# per-product position), not the Result, whose tables live in the library. The library releases
# the GIL while it reads and reconciles, so `--threads` (one process, several threads) scales too.
from __future__ import annotations

import argparse
import importlib
import pathlib
import sys
from typing import Any, Optional

import pandas as pd  # type: ignore[import]

import trueup

SUMMARY_COLUMNS = ["estate", "status", "installs", "covered", "short", "excluded", "duplicate",
                   "true_up_cost", "unpriced_shortfall_units", "problem"]


def reconcile_estate(folder: str, as_of: Optional[str]) -> dict[str, Any]:
    """One estate's summary row and position records; runs on a worker."""
    name = pathlib.Path(folder).name
    try:
        result = trueup.reconcile_dir(folder, as_of=as_of)
    except trueup.InputError as e:
        first = str(e.problems[0]) if e.problems else str(e)
        return {"row": {"estate": name, "status": "invalid", "problem": first}, "position": []}
    t = result.totals
    row = {"estate": name, "status": "reconciled", "problem": ""}
    row.update({k: t[k] for k in SUMMARY_COLUMNS[2:-1]})
    position = [dict(r, estate=name) for r in result.to_records()["position"]]
    return {"row": row, "position": position}


def estates_in(root: pathlib.Path) -> list[str]:
    return sorted(str(p) for p in root.iterdir() if (p / "installs.csv").is_file())


def reconcile_all(estates: list[str], client: Any, as_of: Optional[str]) -> list[dict[str, Any]]:
    futures = client.map(reconcile_estate, estates, as_of=as_of, pure=False)
    return sorted(client.gather(futures), key=lambda r: str(r["row"]["estate"]))


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Reconcile every estate of a folder with Dask.")
    p.add_argument("estates", type=pathlib.Path, help="a folder with one fleet folder per estate")
    p.add_argument("--scheduler", help="a Dask scheduler's address (default: a LocalCluster here)")
    p.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    p.add_argument("--threads", action="store_true", help="one worker process with --workers threads")
    p.add_argument("--as-of", help="the date every position is taken on (default today)")
    p.add_argument("-o", "--output", type=pathlib.Path, help="write the summary as CSV here")
    p.add_argument("--positions", type=pathlib.Path, help="write every estate's per-product rows as CSV here")
    args = p.parse_args(argv)

    distributed: Any = importlib.import_module("dask.distributed")  # untyped: used as Any

    estates = estates_in(args.estates)
    if not estates:
        print(f"{args.estates}: expected folders with installs.csv, found none", file=sys.stderr)
        return 2
    if args.scheduler:
        client = distributed.Client(args.scheduler)
        cluster = None
    else:
        workers, threads = (1, args.workers) if args.threads else (args.workers, 1)
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=threads, processes=not args.threads,
                               dashboard_address=None)
        client = distributed.Client(cluster)
    try:
        results = reconcile_all(estates, client, args.as_of)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    summary = pd.DataFrame([r["row"] for r in results], columns=SUMMARY_COLUMNS)
    # Counts stay integers where an invalid estate has none (pandas' nullable integers).
    summary = summary.astype({c: "Int64" for c in SUMMARY_COLUMNS[2:7] + ["unpriced_shortfall_units"]})
    if args.output:
        summary.to_csv(args.output, index=False, lineterminator="\n")
    if args.positions:
        rows = [row for r in results for row in r["position"]]
        pd.DataFrame(rows).to_csv(args.positions, index=False, lineterminator="\n")
    reconciled = summary[summary.status == "reconciled"]
    print(f"{len(summary)} estates: {len(reconciled)} reconciled, {len(summary) - len(reconciled)} invalid; "
          f"{int(reconciled.short.sum())} installs short; true-up "
          f"{sum(c for c in reconciled.true_up_cost if c is not None)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
