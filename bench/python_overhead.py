#!/usr/bin/python3
# SPDX-License-Identifier: BSL-1.0
# File: bench/python_overhead.py
#
# The overhead of the Python layer against the C++ calls it makes, on a generated fleet of
# 1,000,000 install rows (docs/performance.md, "The Python layer"). Run with the interpreter
# the module was built for, on a Release build with -DTRUEUP_BUILD_BENCHMARKS=ON; scripts/bench
# --python does both:
#
#     /usr/bin/python3 bench/python_overhead.py --build build/bench [--installs N] [--repeat K]
#
# Every scenario runs in a fresh process of its own, K times (median reported), so that peak
# memory is its own and no run warms another's caches:
#
#   cpp          trueup-bench-fleet: io::read_fleet, trueup::reconcile, io::format_json (C++ only)
#   core         the same three calls through trueup._core (the binding, no facade)
#   facade       trueup.reconcile_dir(dir), then result.to_records(), the three DataFrames
#                (position, verdicts, entitlements) and result.to_json()
#   frames       trueup.reconcile(devices=df, installs=df, entitlements=df) on DataFrames read
#                with pandas.read_csv (reading them is not timed)
#   records      the same on lists of dicts read with csv.DictReader (not timed)
from __future__ import annotations

import argparse
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed(f: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


def scenario(name: str, fleet: pathlib.Path, repeat: int) -> dict[str, Any]:
    """Runs in the child process; returns {step: [seconds, ...], "peak_rss_mib": x}."""
    import trueup
    from trueup import _core

    out: dict[str, Any] = {}

    def record(step: str, seconds: float) -> None:
        out.setdefault(step, []).append(seconds)

    pack = trueup.load_rule_pack("microsoft")
    if name == "core":
        for _ in range(repeat):
            s, read = timed(lambda: _core.read_fleet(fleet, pack))
            record("read", s)
            fleet_read = read.value().fleet
            s, position = timed(lambda: _core.reconcile(pack, fleet_read))
            record("reconcile", s)
            s, _ = timed(lambda: _core.format_json(position, pack, fleet_read))
            record("format_json", s)
            del read, fleet_read, position
    elif name == "facade":
        import pandas  # noqa: F401  (imported before timing, as a script using DataFrames has)
        for _ in range(repeat):
            s, result = timed(lambda: trueup.reconcile_dir(fleet, rules=pack))
            record("reconcile_dir", s)
            s, _ = timed(result.to_records)
            record("to_records", s)
            s, _ = timed(lambda: (result.position, result.verdicts, result.entitlements))
            record("dataframes", s)
            s, _ = timed(result.to_json)
            record("to_json", s)
            del result
    elif name in ("frames", "records"):
        if name == "frames":
            import pandas as pd
            tables = [pd.read_csv(fleet / f"{t}.csv") for t in ("devices", "installs", "entitlements")]
        else:
            import csv
            tables = [list(csv.DictReader(open(fleet / f"{t}.csv", newline="")))
                      for t in ("devices", "installs", "entitlements")]
        for _ in range(repeat):
            s, result = timed(lambda: trueup.reconcile(*tables, rules=pack))
            record("reconcile", s)
            del result
    out["peak_rss_mib"] = peak_rss_mib()
    return out


def run_child(args: argparse.Namespace, name: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(args.build / "python"))
    done = subprocess.run([sys.executable, __file__, "--child", name, "--fleet", str(args.fleet),
                           "--repeat", str(args.repeat)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"scenario {name} failed:\n{done.stdout}{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="The Python layer's overhead on a generated fleet.")
    parser.add_argument("--build", type=pathlib.Path, help="a Release build with benchmarks and the Python module")
    parser.add_argument("--installs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fleet", type=pathlib.Path, help="where the generated CSV files are (or go)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        print(json.dumps(scenario(args.child, args.fleet, args.repeat)))
        return
    if args.build is None:
        parser.error("--build is required")
    args.build = args.build.resolve()
    tool = args.build / "bench" / "trueup-bench-fleet"
    if args.fleet is None:
        args.fleet = args.build / f"fleet-{args.installs}"
    if not (args.fleet / "installs.csv").is_file():
        subprocess.run([str(tool), "write", str(args.installs), str(args.fleet)], check=True, stdout=subprocess.DEVNULL)
    size = sum((args.fleet / f"{t}.csv").stat().st_size for t in ("devices", "installs", "entitlements"))

    cpp = json.loads(subprocess.run([str(tool), "time", str(args.fleet), str(args.repeat)], check=True,
                                    capture_output=True, text=True).stdout)
    results = {"cpp": cpp}
    for name in ("core", "facade", "frames", "records"):
        results[name] = run_child(args, name)

    def med(name: str, step: str) -> float:
        return statistics.median(results[name][step])

    base = med("cpp", "read") + med("cpp", "reconcile")
    print(f"fleet: {cpp['installs']:,} install rows, {size / 1e6:.1f} MB of CSV; Python {sys.version.split()[0]} "
          f"({sys.executable}); medians of {args.repeat} runs, each scenario in its own process")
    print(f"{'':52} {'seconds':>8} {'/ C++':>7} {'peak RSS':>10}")
    rows = [
        ("C++: read_fleet + reconcile", base, "cpp"),
        ("  format_json", med("cpp", "format_json"), None),
        ("_core: read_fleet + reconcile", med("core", "read") + med("core", "reconcile"), "core"),
        ("  format_json", med("core", "format_json"), None),
        ("trueup.reconcile_dir(dir)", med("facade", "reconcile_dir"), "facade"),
        ("  result.to_records()", med("facade", "to_records"), None),
        ("  result.position, .verdicts, .entitlements (pandas)", med("facade", "dataframes"), None),
        ("  result.to_json()", med("facade", "to_json"), None),
        ("trueup.reconcile(DataFrames)", med("frames", "reconcile"), "frames"),
        ("trueup.reconcile(lists of dicts)", med("records", "reconcile"), "records"),
    ]
    for label, seconds, rss_of in rows:
        rss = f"{results[rss_of]['peak_rss_mib']:,.0f} MiB" if rss_of else ""
        ratio = f"{seconds / base:.2f}x" if not label.startswith("  ") else ""
        print(f"{label:52} {seconds:8.3f} {ratio:>7} {rss:>10}")
    overhead = med("facade", "reconcile_dir") / base - 1
    print(f"overhead of the Python layer on reconcile_dir against the C++ calls: {overhead:+.1%}")
    print("raw: " + json.dumps(results))


if __name__ == "__main__":
    main()
