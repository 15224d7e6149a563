# SPDX-License-Identifier: BSL-1.0
# File: bench/tenants_dask.py
#
# examples/python/tenants_dask.py on many estates: a LocalCluster of 2 worker processes against
# 1, and against a plain loop in one process (the peer: no Dask at all), in the same run. Each
# estate is a copy of the sample fleet (examples/contoso, 427 installs) lacking a different
# seventh of its installs. Wall time of reconciling them all on a running cluster (its start is
# not timed), median of --repeat runs.
#
#     scripts/bench --tenants [--estates 1000] [--repeat 3]
from __future__ import annotations

import argparse
import importlib.util
import pathlib
import shutil
import statistics
import sys
import tempfile
import time

root = pathlib.Path(__file__).resolve().parents[1]
contoso = root / "examples" / "contoso"
example = root / "examples" / "python" / "tenants_dask.py"
AS_OF = "2026-06-30"



def load_example():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tenants_dask", example)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_estates(where: pathlib.Path, count: int) -> None:
    lines = (contoso / "installs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for k in range(count):
        folder = where / f"estate-{k:05d}"
        shutil.copytree(contoso, folder, ignore=shutil.ignore_patterns("*.py", "expected-*"))
        kept = [r for i, r in enumerate(lines[1:]) if i % 7 != k % 7]
        (folder / "installs.csv").write_text(lines[0] + "".join(kept), encoding="utf-8")


def time_dask(tenants, estates: list[str], workers: int, threads: bool, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of reconcile_all on a running LocalCluster whose workers have already
    imported trueup (the cluster's start is not timed: a nightly service keeps it running)."""
    from dask.distributed import Client, LocalCluster

    n, t = (1, workers) if threads else (workers, 1)
    with LocalCluster(n_workers=n, threads_per_worker=t, processes=not threads, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            tenants.reconcile_all(estates[:4], client, AS_OF)  # warm: imports, rule packs
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                tenants.reconcile_all(estates, client, AS_OF)
                times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_loop(tenants, estates: list[str], repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for folder in estates:
            tenants.reconcile_estate(folder, AS_OF)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--estates", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    tenants = load_example()
    with tempfile.TemporaryDirectory() as tmp:
        make_estates(pathlib.Path(tmp), args.estates)
        estates = tenants.estates_in(pathlib.Path(tmp))
        times = {
            "loop, 1 process (peer)": time_loop(tenants, estates, args.repeat),
            "dask, 1 worker": time_dask(tenants, estates, 1, False, args.repeat),
            "dask, 2 workers": time_dask(tenants, estates, 2, False, args.repeat),
            "dask, 2 threads": time_dask(tenants, estates, 2, True, args.repeat),
        }
    print(f"{args.estates} estates of {sum(1 for _ in open(contoso / 'installs.csv')) - 1} installs at most, "
          f"median of {args.repeat}:")
    for name, t in times.items():
        print(f"  {name:24s} {t:7.2f} s  {1000 * t / args.estates:6.2f} ms/estate")
    one = times["dask, 1 worker"]
    print(f"  2 workers vs 1: {one / times['dask, 2 workers']:.2f}x; 2 threads vs 1 worker: "
          f"{one / times['dask, 2 threads']:.2f}x; 1 worker vs the loop: {times['loop, 1 process (peer)'] / one:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
