# SPDX-License-Identifier: BSL-1.0
# File: bench/tenants_dask.py
#
# examples/python/tenants_dask.py on many estates: a LocalCluster of 2 worker processes against
# 1, and against a plain loop in one process (the peer: no Dask at all), in the same run. Each
# estate is a copy of the sample fleet (examples/contoso, 427 installs) lacking a different
# seventh of its installs. Wall time of the whole script (cluster start included), median of
# --repeat runs.
#
#     scripts/bench --tenants [--estates 1000] [--repeat 3]
from __future__ import annotations

import argparse
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

root = pathlib.Path(__file__).resolve().parents[1]
contoso = root / "examples" / "contoso"
example = root / "examples" / "python" / "tenants_dask.py"
AS_OF = "2026-06-30"

LOOP = """
import pathlib, sys
import trueup
for folder in sorted(p for p in pathlib.Path(sys.argv[1]).iterdir() if (p / "installs.csv").is_file()):
    trueup.reconcile_dir(folder, as_of=sys.argv[2]).to_records()["position"]
"""


def make_estates(where: pathlib.Path, count: int) -> None:
    lines = (contoso / "installs.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    for k in range(count):
        folder = where / f"estate-{k:05d}"
        shutil.copytree(contoso, folder, ignore=shutil.ignore_patterns("*.py", "expected-*"))
        kept = [r for i, r in enumerate(lines[1:]) if i % 7 != k % 7]
        (folder / "installs.csv").write_text(lines[0] + "".join(kept), encoding="utf-8")


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--estates", type=int, default=1000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        estates = pathlib.Path(tmp)
        make_estates(estates, args.estates)
        runs = {
            "loop, 1 process (peer)": ["-c", LOOP, str(estates), AS_OF],
            "dask, 1 worker": [str(example), str(estates), "--workers", "1", "--as-of", AS_OF],
            "dask, 2 workers": [str(example), str(estates), "--workers", "2", "--as-of", AS_OF],
            "dask, 2 threads": [str(example), str(estates), "--workers", "2", "--threads", "--as-of", AS_OF],
        }
        times = {name: statistics.median(timed(a) for _ in range(args.repeat)) for name, a in runs.items()}
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
