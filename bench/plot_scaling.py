#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
# File: bench/plot_scaling.py
#
# Draws docs/scaling.png from reconcile_bench's JSON output (--benchmark_format=json): the
# end-to-end wall time of BM_EndToEnd per stage against installs, on log-log axes with a line
# of slope one through the smallest size, so that linear growth reads as parallel to it. Prints
# the same medians as a Markdown table (docs/performance.md, "Scaling"): the command's wall time
# and peak memory (BM_Cli), each stage in process (BM_EndToEnd) and microseconds per install.
# Needs Debian's python3-matplotlib (scripts/deps --bench installs it; nothing else uses it).
#
#     bench/plot_scaling.py RESULTS.json docs/scaling.png
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STAGES = ["read", "normalise", "supply", "classify", "solve", "de-aggregate", "verdicts", "write"]


def main(results_path: str, png_path: str) -> None:
    with open(results_path, encoding="utf-8") as f:
        doc = json.load(f)
    runs = {}
    for b in doc["benchmarks"]:
        name = b.get("run_name", b["name"])
        if not name.startswith("BM_EndToEnd/") or b.get("aggregate_name", "median") != "median":
            continue
        _, installs, threads = name.split("/")[:3]
        runs[(int(threads), int(installs))] = b
    print_table(doc, runs)
    fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=110)
    for threads, style in ((1, "--"), (2, "-")):
        sizes = sorted(n for t, n in runs if t == threads)
        if not sizes:
            continue
        total = [runs[(threads, n)]["real_time"] / 1e3 for n in sizes]  # ms -> s
        ax.plot(sizes, total, style, marker="o", label=f"end to end, {threads} thread(s)")
        if threads == 2:
            for stage in ("read", "normalise", "write"):
                ax.plot(sizes, [runs[(2, n)][f"{stage}_s"] for n in sizes], ":", marker=".",
                        label=f"  {stage} (2 threads)")
            ref = total[0] / sizes[0]
            ax.plot(sizes, [ref * n for n in sizes], color="grey", linewidth=0.8, label="linear (slope 1)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("installs")
    ax.set_ylabel("wall time (s)")
    ax.set_title("trueup reconcile DIR --format json -o FILE (BM_EndToEnd)")
    ax.grid(True, which="both", linewidth=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png_path)


def medians(doc, prefix):
    """(threads, installs) -> the median run of every benchmark named PREFIX/installs/threads."""
    out = {}
    for b in doc["benchmarks"]:
        name = b.get("run_name", b["name"])
        if name.startswith(prefix + "/") and b.get("aggregate_name") == "median":
            _, installs, threads = name.split("/")[:3]
            out[(int(threads), int(installs))] = b
    return out


def print_table(doc, runs) -> None:
    cli = medians(doc, "BM_Cli")
    sizes = sorted({n for _, n in runs})
    stages = ["read", "normalise", "supply", "classify", "de-aggregate", "verdicts", "write"]
    print("| Installs | command, 1 thread | command, 2 threads | peak RSS | in process, 2 threads | "
          + " | ".join(stages) + " | µs per install |")
    print("|---" * (6 + len(stages)) + "|")
    for n in sizes:
        e = runs.get((2, n))
        if e is None:
            continue
        c1, c2 = cli.get((1, n)), cli.get((2, n))
        wall = e["real_time"] / 1e3  # ms -> s
        cells = [f"{n:,}",
                 f"{c1['real_time'] / 1e3:.2f} s" if c1 else "–",
                 f"{c2['real_time'] / 1e3:.2f} s" if c2 else "–",
                 f"{c2['peak_rss_MiB']:.0f} MiB" if c2 else "–",
                 f"{wall:.3f} s"]
        cells += [f"{e[f'{s}_s']:.3f}" for s in stages]
        cells.append(f"{(c2['real_time'] / 1e3 if c2 else wall) / n * 1e6:.2f}")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
