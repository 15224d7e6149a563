#!/usr/bin/python3
# SPDX-License-Identifier: BSL-1.0
"""The conformance suite: published worked examples run through the trueup command.

Each case (cases/<area>/<id>.toml) is a small fleet written in trueup's own CSV formats, the
public source that states its answer (document, section, address, the words quoted), the
rule ids of licensing-rules.md it exercises, and the expected position *as the source states
it*: units demanded and short per product, each named install's verdict, each server's model
and units, each user's and CAL holder's outcome. The runner writes the fleet to a scratch
folder, runs `trueup reconcile DIR --as-of DATE --format json`, and compares exactly.

    run.py --trueup build/test/trueup                 # every case
    run.py --trueup build/test/trueup CASE.toml ...   # some cases
    run.py --doc docs/conformance.md                  # write the case list
    run.py --check-doc docs/conformance.md            # fail when the list is stale

A case with `status = "pending"` states a published example that trueup cannot express yet;
`missing` says which input it lacks. It is validated and listed, not run.

Uses only the standard library of Debian 12's python3 (tomllib: Python 3.11).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"

# The rule areas of the suite, in the order docs/conformance.md lists them.
AREAS = {
    "oem": "OEM licences bound to their device",
    "retail": "Retail (FPP) licences",
    "volume": "Volume licences: pools, upgrades and qualifying licences",
    "downgrade": "Downgrade rights",
    "down-edition": "Down-edition rights",
    "software-assurance": "Software Assurance",
    "subscription": "Subscriptions",
    "reassignment": "Reassignment and the 90-day rule",
    "ws-per-server": "Windows Server 2008 R2 and earlier: per server",
    "ws-per-processor": "Windows Server 2012 / 2012 R2: per processor",
    "ws-per-core": "Windows Server 2016 and later: per core, with VMs",
    "sql-per-core": "SQL Server per core: physical servers",
    "sql-per-vm": "SQL Server per core: virtual machines",
    "cal": "Client access licences",
    "per-user": "Per-user licences",
    "exclusion": "Exclusions and duplicates",
    "cluster": "Virtual machines in clusters and VM mobility",
    "oracle": "Oracle Database",
}
VERDICTS = {"covered", "short", "excluded", "duplicate"}
FILES = ("devices", "installs", "entitlements", "access", "assignments")


DEFAULT_PACKS: list[str] = []  # --rules: where to find the shipped packs (default: the command's)


class CaseError(Exception):
    pass


def load(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            case = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise CaseError(f"{path}: {e}") from None
    problems = []

    def need(table: dict, key: str, kind: type, where: str) -> None:
        if key not in table:
            problems.append(f"{where}: missing `{key}`")
        elif not isinstance(table[key], kind) or (kind is str and not table[key].strip()):
            problems.append(f"{where}: `{key}` must be a non-empty {kind.__name__}")

    for key, kind in (("id", str), ("title", str), ("area", str), ("rules", list), ("as_of", str)):
        need(case, key, kind, str(path))
    if case.get("id") and case["id"] != path.stem:
        problems.append(f"{path}: id `{case['id']}` must be the file's name `{path.stem}`")
    if case.get("area") and case["area"] not in AREAS:
        problems.append(f"{path}: area `{case['area']}` is not one of {', '.join(AREAS)}")
    if case.get("area") and path.parent.name != case["area"]:
        problems.append(f"{path}: a case of area `{case['area']}` lives in cases/{case['area']}/")
    if isinstance(case.get("rules"), list) and not case["rules"]:
        problems.append(f"{path}: `rules` lists no rule id")
    src = case.get("source")
    if not isinstance(src, dict):
        problems.append(f"{path}: missing [source]")
    else:
        for key in ("document", "section", "url", "quote"):
            need(src, key, str, f"{path} [source]")
    status = case.get("status", "run")
    if status not in ("run", "pending"):
        problems.append(f"{path}: status must be `run` or `pending`")
    if status == "pending":
        need(case, "missing", str, str(path))
    fleet = case.get("fleet", {})
    for name in ("devices", "installs", "entitlements"):
        if status == "run":
            need(fleet, name, str, f"{path} [fleet]")
    for name in fleet:
        if name not in FILES:
            problems.append(f"{path} [fleet]: unknown file `{name}` (one of {', '.join(FILES)})")
    expect = case.get("expect", {})
    if status == "run" and not any(expect.get(k) for k in ("product", "install", "server", "user", "cal", "totals")):
        problems.append(f"{path}: [expect] states nothing")
    for i, inst in enumerate(expect.get("install", [])):
        if inst.get("verdict") not in VERDICTS:
            problems.append(f"{path}: expect.install[{i}].verdict must be one of {', '.join(sorted(VERDICTS))}")
    if problems:
        raise CaseError("\n".join(problems))
    case["_path"] = path
    return case


def all_cases() -> list[Path]:
    return sorted(CASES.glob("*/*.toml"))


def reconcile(trueup: str, case: dict, scratch: Path) -> dict:
    for name, text in case["fleet"].items():
        (scratch / f"{name}.csv").write_text(text.lstrip("\n"), encoding="utf-8")
    cmd = [trueup, "reconcile", str(scratch), "--as-of", case["as_of"], "--format", "json", "--quiet"]
    for pack in case.get("packs", []) or DEFAULT_PACKS:
        cmd += ["--rules", pack]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise CaseError(f"trueup exited {run.returncode}:\n{run.stderr}")
    return json.loads(run.stdout)


def compare(case: dict, pos: dict) -> list[str]:
    """Every difference between what the source states and what trueup computed."""
    out: list[str] = []
    expect = case.get("expect", {})

    def check(what: str, want: dict, got: dict | None, keys: dict[str, str]) -> None:
        if got is None:
            out.append(f"{what}: not in the position")
            return
        for key, json_key in keys.items():
            if key in want and got.get(json_key) != want[key]:
                out.append(f"{what}: {key} expected {want[key]!r}, trueup says {got.get(json_key)!r}")

    products = {}
    for p in pos.get("products", []):
        products.setdefault(p["product"], []).append(p)
    for want in expect.get("product", []):
        rows = products.get(want["product"], [])
        if "metric" in want:
            rows = [r for r in rows if r["metric"] == want["metric"]]
        if len(rows) > 1:
            out.append(f"product {want['product']}: {len(rows)} rows (one per metric); state `metric`")
            continue
        check(f"product {want['product']}", want, rows[0] if rows else None,
              {"metric": "metric", "installs": "installs", "demand_units": "demand_units",
               "covered_units": "covered_units", "shortfall_units": "shortfall_units",
               "licences": "licences", "consumed": "consumed", "void_licences": "void_licences",
               "true_up_cost": "true_up_cost"})
    installs = {i["install_id"]: i for i in pos.get("installs", [])}
    for want in expect.get("install", []):
        got = installs.get(want["install"])
        check(f"install {want['install']}", want, got,
              {"verdict": "verdict", "exclusion": "exclusion", "duplicate_of": "duplicate_of",
               "units": "units", "covered_units": "covered_units", "metric": "metric"})
        if got is not None and "licences" in want:
            have = sorted(l["licence_id"] for l in got.get("licences", []))
            if have != sorted(want["licences"]):
                out.append(f"install {want['install']}: licences expected {sorted(want['licences'])}, trueup says {have}")
        if got is not None and "evidence" in want:
            rules = [e["rule"] for e in got.get("evidence", [])]
            for rule in want["evidence"]:
                if rule not in rules:
                    out.append(f"install {want['install']}: evidence expected a `{rule}` step, trueup gives {rules}")
    servers = {s["device_id"]: s for s in pos.get("servers", [])}
    for want in expect.get("server", []):
        check(f"server {want['device']}", want, servers.get(want["device"]),
              {"model": "model", "metric": "metric", "licence_edition": "licence_edition",
               "units_required": "units_required", "covered_units": "covered_units", "oses": "oses"})
    users = {(u["user"], u["product"]): u for u in pos.get("users", [])}
    for want in expect.get("user", []):
        check(f"user {want['user']}", want, users.get((want["user"], want["product"])),
              {"user_licence": "user_licence", "devices": "devices",
               "devices_under_user_licence": "devices_under_user_licence",
               "device_licences": "device_licences", "device_licences_short": "device_licences_short"})
    # One entry per holder and CAL family (a Remote Desktop user holds a Windows Server CAL and an
    # RDS CAL): `product` picks among a holder's entries; `cal_holders` counts the entries.
    cals = pos.get("cals", [])
    for want in expect.get("cal", []):
        got = [c for c in cals if c["holder"] == want["holder"] and
               ("product" not in want or c["product"] == want["product"])]
        if len(got) > 1:
            out.append(f"CAL holder {want['holder']}: {len(got)} entries (one per CAL family); state `product`")
            continue
        check(f"CAL holder {want['holder']}", want, got[0] if got else None,
              {"metric": "metric", "product": "product", "covered": "covered"})
    if "cal_holders" in expect.get("totals", {}):
        if len(cals) != expect["totals"]["cal_holders"]:
            out.append(f"CAL holders: expected {expect['totals']['cal_holders']}, trueup says {len(cals)}")
    totals = pos.get("totals", {})
    for key in ("installs", "covered", "short", "excluded", "duplicate", "true_up_cost"):
        if key in expect.get("totals", {}) and totals.get(key) != expect["totals"][key]:
            out.append(f"totals: {key} expected {expect['totals'][key]!r}, trueup says {totals.get(key)!r}")
    return out


def run(trueup: str, paths: list[Path]) -> int:
    failed = invalid = 0
    ran = pending = 0
    for path in paths:
        try:
            case = load(path)
        except CaseError as e:
            print(f"INVALID {path.relative_to(HERE) if path.is_relative_to(HERE) else path}\n{e}")
            invalid += 1
            continue
        if case.get("status") == "pending":
            pending += 1
            continue
        ran += 1
        with tempfile.TemporaryDirectory(prefix="trueup-conformance-") as tmp:
            try:
                diffs = compare(case, reconcile(trueup, case, Path(tmp)))
            except CaseError as e:
                diffs = [str(e)]
        if diffs:
            failed += 1
            print(f"FAIL {case['id']} ({case['area']}; {', '.join(case['rules'])})")
            print(f"     source: {case['source']['document']}, {case['source']['section']}")
            for d in diffs:
                print(f"     - {d}")
        elif len(paths) <= 3:
            print(f"ok   {case['id']}")
    print(f"{ran} case(s) run: {ran - failed} passed, {failed} failed; {pending} pending, {invalid} invalid")
    return 1 if failed or invalid else 0


def doc(paths: list[Path]) -> str:
    cases = [load(p) for p in paths]
    running = [c for c in cases if c.get("status", "run") == "run"]
    lines = [
        "# Conformance suite",
        "",
        "<!-- Generated by tests/conformance/run.py --doc docs/conformance.md; do not edit. -->",
        "",
        "Published worked examples of the licensing rules trueup models, each a small fleet run through",
        "`trueup reconcile` and compared exactly with the answer its source states (units required and",
        "short per product, each install's verdict, each server's licensing model and units). The cases",
        "live in `tests/conformance/cases/<area>/<id>.toml`; `ctest -R conformance` runs them, and",
        "`tests/conformance/run.py --trueup build/test/trueup` runs them by hand. Rule ids refer to the",
        "project's research notes on licensing rules.",
        "",
        f"{len(running)} cases run in CI"
        + (f"; {len(cases) - len(running)} more are published examples trueup cannot express yet"
           " (listed last, with the input they need)." if len(cases) > len(running) else "."),
        "",
        "| Area | Cases |",
        "|---|---|",
    ]
    for area, title in AREAS.items():
        n = sum(1 for c in running if c["area"] == area)
        lines.append(f"| {title} | {n} |")
    lines.append("")
    for area, title in AREAS.items():
        mine = [c for c in running if c["area"] == area]
        if not mine:
            continue
        lines += [f"## {title}", ""]
        for c in mine:
            s = c["source"]
            lines.append(f"- **{c['id']}** — {c['title']}  ")
            lines.append(f"  Rules {', '.join(c['rules'])}. Source: {s['document']}, {s['section']} <{s['url']}>.")
            if c.get("follows"):
                lines.append(f"  Follows: {c['follows']}")
        lines.append("")
    pend = [c for c in cases if c.get("status") == "pending"]
    if pend:
        lines += ["## Published examples trueup cannot express yet", ""]
        for c in pend:
            s = c["source"]
            lines.append(f"- **{c['id']}** — {c['title']}  ")
            lines.append(f"  Rules {', '.join(c['rules'])}. Source: {s['document']}, {s['section']} <{s['url']}>.  ")
            lines.append(f"  Missing: {c['missing']}")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trueup", help="the trueup executable")
    ap.add_argument("--doc", type=Path, help="write the case list to this Markdown file")
    ap.add_argument("--check-doc", type=Path, help="fail when this Markdown file is not the case list")
    ap.add_argument("--rules", action="append", default=[],
                    help="rule pack for cases that name none (default: the command's own microsoft)")
    ap.add_argument("cases", nargs="*", type=Path)
    args = ap.parse_args()
    DEFAULT_PACKS.extend(args.rules)
    paths = [p.resolve() for p in args.cases] or all_cases()
    try:
        if args.doc:
            args.doc.write_text(doc(paths), encoding="utf-8")
            return 0
        if args.check_doc:
            if args.check_doc.read_text(encoding="utf-8") != doc(paths):
                print(f"{args.check_doc} is stale: run tests/conformance/run.py --doc {args.check_doc}")
                return 1
            return 0
    except CaseError as e:
        print(e)
        return 1
    if not args.trueup:
        ap.error("--trueup is required to run cases")
    return run(args.trueup, paths)


if __name__ == "__main__":
    sys.exit(main())
