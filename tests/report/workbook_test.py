# SPDX-License-Identifier: BSL-1.0
"""The auditor's workbook and the deployment summary end to end, on the sample fleet (examples/contoso).

`trueup reconcile --format xlsx` is read back with openpyxl and every number on its sheets is
checked against `--format json` of the same run (the JSON is the reference report), or against
the input files where the JSON does not carry the field (the channel split, proof of purchase);
the file is the same bytes on a second run; every sheet has a frozen header and a filter. A
hostile fleet (titles that start like formulas) must give string cells and no formula at all,
and in `--format csv` fields a spreadsheet shows as text.

Usage: workbook_test.py TRUEUP SOURCE_DIR WORK_DIR
"""
import collections
import csv
import decimal
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

import openpyxl

TRUEUP, SOURCE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
FLEET = os.path.join(SOURCE, "examples", "contoso")
SHEETS = ["ELP", "Installs", "Licences", "Shortfall", "Excluded", "Assumptions"]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def run(*args, expect=0):
    done = subprocess.run([TRUEUP, "reconcile", *args, "--as-of", "2026-06-30", "-q"], capture_output=True, text=True)
    if done.returncode != expect:
        sys.exit(f"trueup reconcile {' '.join(args)} exited {done.returncode}, expected {expect}: {done.stderr}")
    return done


def rows(ws):
    """The sheet as dicts by header, header row excluded."""
    it = ws.iter_rows(values_only=True)
    header = next(it)
    return [dict(zip(header, r)) for r in it]


def money(v):
    return None if v is None else decimal.Decimal(str(v)).quantize(decimal.Decimal("0.01"))


def check_elp(wb, report):
    elp = rows(wb["ELP"])
    check(len(elp) == len(report["products"]), f"ELP has {len(elp)} rows, the JSON {len(report['products'])} products")
    pairs = {"Installs": "installs", "Duplicates": "duplicates", "Excluded": "excluded",
             "Devices needing a licence": "demands", "Demand units": "demand_units", "Covered units": "covered_units",
             "Shortfall": "shortfall_units", "Licences": "licences", "Void licences": "void_licences",
             "Consumed": "consumed", "Surplus": "surplus", "Unpriced shortfall units": "unpriced_shortfall_units"}
    # The channel split from the JSON's entitlements: each counted one on the row it counts on.
    by_channel = collections.Counter()
    for e in report["entitlements"]:
        if e["counted"]:
            key = (e.get("counted_product", e["product"]), e.get("counted_metric", e["metric"]), e["channel"])
            by_channel[key] += e.get("counted_units", e["quantity"])
    channels = {"Volume licences": "volume", "Retail (FPP) licences": "retail", "OEM licences": "oem",
                "Subscription licences": "subscription"}
    for row, p in zip(elp, report["products"]):
        where = f"ELP row {p['product']} ({p['metric']})"
        check((row["Product"], row["Metric"]) == (p["product"], p["metric"]), f"{where}: names {row['Product']}")
        for col, key in pairs.items():
            check(row[col] == p[key], f"{where}: {col} {row[col]} != JSON {key} {p[key]}")
        check(money(row["True-up cost"]) == money(p["true_up_cost"]),
              f"{where}: true-up cost {row['True-up cost']} != JSON {p['true_up_cost']}")
        check(sum(row[c] for c in channels) == p["licences"], f"{where}: the channels do not add up to Licences")
        for col, channel in channels.items():
            check(row[col] == by_channel[(p["product"], p["metric"], channel)], f"{where}: {col} {row[col]}")
    check(sum(by_channel.values()) == sum(r["Licences"] for r in elp), "licences by channel: totals differ")


def check_shortfall(wb, report):
    units, cost, unpriced = collections.Counter(), collections.Counter(), collections.Counter()
    for row in rows(wb["Shortfall"]):
        key = (row["Product short"], row["Metric"])
        units[key] += row["Quantity"]
        if row["Price known"] == "yes":
            check(money(row["Cost"]) == money(row["Unit cost"]) * row["Quantity"], f"Shortfall {key}: cost")
            cost[key] += money(row["Cost"])
        else:
            check(row["Cost"] is None and row["Priced from"] == "no known price", f"Shortfall {key}: unpriced")
            unpriced[key] += row["Quantity"]
    total = decimal.Decimal(0)
    for p in report["products"]:
        key = (p["product"], p["metric"])
        check(unpriced[key] == p["unpriced_shortfall_units"], f"Shortfall {key}: unpriced units")
        if p["true_up_cost"] is not None:
            check(cost[key] == money(p["true_up_cost"]), f"Shortfall {key}: {cost[key]} != {p['true_up_cost']}")
            total += money(p["true_up_cost"])
        if p["shortfall_units"] == 0:
            check(units[key] == 0, f"Shortfall {key}: bought where nothing is short")
    check(sum(cost.values()) == money(report["totals"]["true_up_cost"].rstrip("?")), "Shortfall: total cost")


def check_records(wb, report):
    installs = {r["Install ID"]: r for r in rows(wb["Installs"])}
    check(len(installs) == report["totals"]["installs"], "Installs: one row per install")
    for i in report["installs"]:
        row = installs[i["install_id"]]
        check((row["Device ID"], row["Title"], row["Verdict"], row["Product"]) ==
              (i["device_id"], i["title"], i["verdict"], i.get("product")), f"Installs {i['install_id']}")
        check((row["Units needed"], row["Units covered"]) == (i.get("units"), i.get("covered_units")),
              f"Installs {i['install_id']}: units")
    with open(os.path.join(FLEET, "entitlements.csv"), newline="", encoding="utf-8") as f:
        reference = {r["licence_id"]: r["reference"] for r in csv.DictReader(f)}
    licences = {r["Licence ID"]: r for r in rows(wb["Licences"])}
    check(len(licences) == len(report["entitlements"]), "Licences: one row per licence")
    for e in report["entitlements"]:
        row = licences[e["licence_id"]]
        check((row["Consumed"], row["Quantity"], row["Channel"], row["Counted"] == "yes") ==
              (e["consumed"], e["quantity"], e["channel"], e["counted"]), f"Licences {e['licence_id']}")
        proof = "reference on record" if reference[e["licence_id"]] else "no proof on record"
        check(row["Proof of purchase"] == proof, f"Licences {e['licence_id']}: proof {row['Proof of purchase']}")
    excluded = {(r["Record"], r["ID"]) for r in rows(wb["Excluded"])}
    expected = {("install", i["install_id"]) for i in report["installs"] if i["verdict"] in ("excluded", "duplicate")}
    expected |= {("licence", e["licence_id"]) for e in report["entitlements"] if not e["counted"]}
    check(excluded == expected, f"Excluded: {len(excluded ^ expected)} record(s) differ")
    facts = {r["Item"]: r["Value"] for r in rows(wb["Assumptions"])}
    check(facts["Rule pack"] == report["rule_pack"], "Assumptions: rule pack")
    check(facts["Installs read"] == report["totals"]["installs"], "Assumptions: installs read")
    check(facts["Installs short"] == report["totals"]["short"], "Assumptions: installs short")


def check_layout(wb):
    check(wb.sheetnames == SHEETS, f"sheets {wb.sheetnames}")
    for ws in wb.worksheets:
        check(ws.freeze_panes == "A2", f"{ws.title}: header not frozen ({ws.freeze_panes})")
        check(bool(ws.auto_filter.ref) and ws.auto_filter.ref.startswith("A1:"), f"{ws.title}: no filter")
    cost = wb["ELP"]["U2"]
    check(wb["ELP"]["U1"].value == "True-up cost" and cost.number_format == "#,##0.00", "ELP: money format")


def check_hostile():
    """Titles that start like formulas stay text: string cells in XLSX, neutralised in CSV."""
    fleet = os.path.join(WORK, "hostile")
    shutil.copytree(FLEET, fleet)
    # (A leading tab or carriage return is trimmed by the reader: text_test.cpp covers those.)
    hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0"]
    with open(os.path.join(fleet, "installs.csv"), "a", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        for k, title in enumerate(hostile):
            w.writerow([f"I-9{k:04}", "PC-0001", title, "Evil Corp", "1.0", "2024-01-15", "2026-11-01"])
    # A licence whose proof of purchase is missing: flagged on the Licences sheet.
    with open(os.path.join(fleet, "entitlements.csv"), newline="", encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    records[0]["reference"] = ""
    with open(os.path.join(fleet, "entitlements.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(records[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(records)
    out = os.path.join(WORK, "hostile.xlsx")
    run(fleet, "--format", "xlsx", "-o", out)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                check(b"<f>" not in z.read(name) and b"<f " not in z.read(name), f"{name} holds a formula")
    wb = openpyxl.load_workbook(out)
    cells = {c.value: c for row in wb["Installs"].iter_rows() for c in row if isinstance(c.value, str)}
    for title in hostile:
        cell = cells.get(title)
        check(cell is not None and cell.data_type == "s", f"hostile title {title!r}: not a string cell")
    proof = {r["Licence ID"]: r["Proof of purchase"] for r in rows(wb["Licences"])}
    check(proof[records[0]["licence_id"]] == "no proof on record", "a licence without a reference is not flagged")
    check(list(proof.values()).count("no proof on record") == 1, "licences with a reference flagged")
    folder = os.path.join(WORK, "hostile-csv")
    run(fleet, "--format", "csv", "-o", folder)
    with open(os.path.join(folder, "installs.csv"), newline="", encoding="utf-8") as f:
        titles = {r["Title"] for r in csv.DictReader(f)}
    for title in hostile:
        check("'" + title in titles and title not in titles, f"CSV title {title!r} not neutralised")


def check_deployment(report):
    """`trueup deployment`, recomputed here from devices.csv and the position's verdicts."""
    with open(os.path.join(FLEET, "devices.csv"), newline="", encoding="utf-8") as f:
        devices = {r["device_id"]: r for r in csv.DictReader(f)}
    expected = collections.defaultdict(lambda: {"counted": 0, "excluded": 0, "pcs": set(), "servers": set(),
                                                "vms": set(), "users": set()})
    for i in report["installs"]:
        if "product" not in i:
            continue
        e = expected[i["product"]]
        if i["verdict"] == "excluded":
            e["excluded"] += 1
            continue
        e["counted"] += 1
        d = devices[i["device_id"]]
        if d["kind"] in ("vm", "virtual_machine"):
            e["vms"].add(d["device_id"])
            if d["host"]:
                e["servers"].add(d["host"])
        elif d["kind"] == "server":
            e["servers"].add(d["device_id"])
        else:
            e["pcs"].add(d["device_id"])
        if d["primary_user"]:
            e["users"].add(d["primary_user"])
    out = os.path.join(WORK, "deployment.json")
    done = subprocess.run([TRUEUP, "deployment", FLEET, "--as-of", "2026-06-30", "--format", "json", "-o", out],
                          capture_output=True, text=True)
    check(done.returncode == 0, f"trueup deployment exited {done.returncode}: {done.stderr}")
    with open(out, encoding="utf-8") as f:
        rows_json = json.load(f)["deployment"]
    check({r["product"] for r in rows_json} == set(expected), "deployment: products differ")
    number = lambda v: int(v) if v else 0
    for r in rows_json:
        e = expected[r["product"]]
        got = (r["installs_counted"], r["installs_excluded"], r["pcs_and_other_devices"], r["physical_servers"],
               r["vms"], r["users"])
        want = (e["counted"], e["excluded"], len(e["pcs"]), len(e["servers"]), len(e["vms"]), len(e["users"]))
        check(got == want, f"deployment {r['product']}: {got} != {want}")
        check(r["processors"] == sum(number(devices[s]["processors"]) for s in e["servers"]), f"{r['product']}: procs")
        check(r["cores"] == sum(number(devices[s]["cores"]) for s in e["servers"]), f"{r['product']}: cores")
    book = os.path.join(WORK, "deployment.xlsx")
    done = subprocess.run([TRUEUP, "deployment", FLEET, "--as-of", "2026-06-30", "--format", "xlsx", "-o", book],
                          capture_output=True, text=True)
    check(done.returncode == 0, f"trueup deployment --format xlsx exited {done.returncode}: {done.stderr}")
    wb = openpyxl.load_workbook(book)
    check(wb.sheetnames == ["Deployment", "Servers"], f"deployment sheets {wb.sheetnames}")
    sheet = rows(wb["Deployment"])
    check([(r["Product"], r["Installs counted"], r["Cores"], r["VMs"]) for r in sheet] ==
          [(r["product"], r["installs_counted"], r["cores"], r["vms"]) for r in rows_json], "deployment: xlsx != json")
    vms = collections.Counter()
    for r in rows(wb["Servers"]):
        vms[r["Product"]] += r["VMs running it"]
    for r in rows_json:
        check(vms[r["product"]] == r["vms"], f"Servers sheet: VMs of {r['product']}")


def check_sources():
    """The Assumptions sheet names what the position was computed from: the exports and licence
    files given with --inventory and --entitlements, in their order, and no empty fleet folder."""
    folder = os.path.join(WORK, "sources")
    licences = os.path.join(SOURCE, "examples", "sccm", "entitlements.csv")
    inventory = "sccm:" + os.path.join(SOURCE, "examples", "sccm", "exports")
    run("--inventory", inventory, "--entitlements", "csv:" + licences, "--format", "csv", "-o", folder)
    with open(os.path.join(folder, "assumptions.csv"), encoding="utf-8-sig", newline="") as f:
        facts = [(r["Item"], r["Value"]) for r in csv.DictReader(f)]
    options = [(item, value) for item, value in facts if item.startswith("Option: ")]
    check(options[:4] == [("Option: inventory", inventory), ("Option: entitlements", "csv:" + licences),
                          ("Option: rules", "microsoft"), ("Option: as-of", "2026-06-30")],
          f"Assumptions: the sources given, found {options}")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    report_file, book = os.path.join(WORK, "position.json"), os.path.join(WORK, "position.xlsx")
    run(FLEET, "--format", "json", "-o", report_file)
    run(FLEET, "--format", "xlsx", "-o", book)
    with open(report_file, encoding="utf-8") as f:
        report = json.load(f)
    wb = openpyxl.load_workbook(book)
    check_layout(wb)
    check_elp(wb, report)
    check_shortfall(wb, report)
    check_records(wb, report)
    time.sleep(2.1)  # a zip entry's time has a 2-second resolution
    again = os.path.join(WORK, "again.xlsx")
    run(FLEET, "--format", "xlsx", "-o", again)
    with open(book, "rb") as a, open(again, "rb") as b:
        check(a.read() == b.read(), "a second run wrote different bytes")
    check(not [n for n in os.listdir(WORK) if "trueup-" in n], "temporary files left behind")
    check_hostile()
    check_deployment(report)
    check_sources()
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


main()
