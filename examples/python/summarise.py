#!/usr/bin/python3
# SPDX-License-Identifier: BSL-1.0
# File: examples/python/summarise.py
#
# A licence position for management, in Excel: read an inventory tool's software export, the
# device list and the licence register, reconcile them with trueup, and write summary.xlsx with
# three sheets: Position (per product), Shortfalls (the installs to license, and why) and
# Verdicts (every install, with the licences that cover it and the rules that allow it).
#
# The export is what a GLPI-style tool gives (inventory-export.csv, made from the sample
# fleet's installs): its own column names, semicolons, day-first dates. Mapping it onto
# trueup's columns (docs/formats.md) is the only preparation a script needs.
#
#     PYTHONPATH=build/test/python /usr/bin/python3 examples/python/summarise.py -o summary.xlsx
from __future__ import annotations

import argparse
import pathlib
import sys
from typing import Any

import pandas as pd  # type: ignore[import]

import trueup

here = pathlib.Path(__file__).resolve().parent
fleet = here.parent / "contoso"

# The export's columns -> trueup's installs.csv columns.
EXPORT_COLUMNS = {
    "ID": "install_id",
    "Computer": "device_id",
    "Software": "title",
    "Publisher": "publisher",
    "Version": "version",
    "Installation date": "first_seen",
    "Last inventory": "last_seen",
}


def read_inventory_export(path: pathlib.Path) -> pd.DataFrame:
    installs = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False).rename(columns=EXPORT_COLUMNS)
    for column in ("first_seen", "last_seen"):  # 15/01/2024 -> a date; blanks stay blank (NaT)
        installs[column] = pd.to_datetime(installs[column], format="%d/%m/%Y", errors="coerce")
    return installs


def position_sheet(result: trueup.Result) -> pd.DataFrame:
    p = result.position
    return pd.DataFrame({
        "Product": p["product"],
        "Licensing model": p["metric"],
        "Installs": p["installs"],
        "Duplicates": p["duplicates"],
        "Excluded": p["excluded"],
        "Demand (units)": p["demand_units"],
        "Licences (units)": p["licences"],
        "Consumed": p["consumed"],
        "Surplus": p["surplus"],
        "Short": p["shortfall_units"],
        "True-up cost": p["true_up_cost"],  # decimal.Decimal, exact; None (blank) when nothing prices it
        "Short, no known price": p["unpriced_shortfall_units"],
        "Buy edition": p["buy_edition"],  # the edition the cheapest fix buys, when not the product's own
    })


def write_money(sheet: Any, frame: pd.DataFrame, column: str) -> None:
    """pandas writes a Decimal as text; openpyxl writes it as a number, digit for digit."""
    at = list(frame.columns).index(column) + 1
    for row, amount in enumerate(frame[column], start=2):
        if amount is not None:
            sheet.cell(row=row, column=at, value=amount).number_format = "#,##0.00"


def keep_text(sheet: Any) -> None:
    """Every value is data, never a formula: openpyxl writes a text that starts with "=" (a
    title or an id from the inventory, "=cmd|' /C calc'!A0") as a live formula, so such cells
    are marked as text. In an .xlsx file a text cell is shown as it is, whatever it starts with
    ("+", "-", "@" are formulas only when typed or imported from CSV)."""
    for row in sheet.iter_rows():
        for c in row:
            if c.data_type == "f":
                c.data_type = "s"


def licences_text(licences: list[dict[str, object]]) -> str:
    return "; ".join(f"{a['licence_id']} ({a['units']})" for a in licences)


def evidence_text(evidence: list[dict[str, str]]) -> str:
    return "; ".join(step["detail"] for step in evidence)


def verdicts_sheet(result: trueup.Result) -> pd.DataFrame:
    v = result.verdicts
    return pd.DataFrame({
        "Install": v["install_id"],
        "Device": v["device_id"],
        "Title": v["title"],
        "Verdict": v["verdict"],
        "Product": v["product"],
        "Why excluded": v["exclusion"],
        "Duplicate of": v["duplicate_of"],
        "Licences": v["licences"].map(licences_text),
        "Rules applied": v["evidence"].map(evidence_text),
        "Reason": v["reason"],
    })


def shortfalls_sheet(result: trueup.Result) -> pd.DataFrame:
    v = result.verdicts
    short = v[v["verdict"] == "short"]
    return pd.DataFrame({
        "Install": short["install_id"],
        "Device": short["device_id"],
        "Product": short["product"],
        "Licensing model": short["metric"],
        "Missing units": short["units"] - short["covered_units"],
        "Reason": short["reason"],
    })


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inventory", type=pathlib.Path, default=here / "inventory-export.csv")
    parser.add_argument("--devices", type=pathlib.Path, default=fleet / "devices.csv")
    parser.add_argument("--licences", type=pathlib.Path, default=fleet / "entitlements.csv")
    parser.add_argument("--access", type=pathlib.Path, default=fleet / "access.csv",
                        help="who uses which server (for CALs)")
    parser.add_argument("--assignments", type=pathlib.Path, default=fleet / "assignments.csv",
                        help="where licences were assigned before (for the 90-day rule)")
    parser.add_argument("--prices", type=pathlib.Path, default=fleet / "prices.csv",
                        help="the price list that prices what no licence record does")
    parser.add_argument("--as-of", default=None, help="the date of the position, YYYY-MM-DD")
    parser.add_argument("-o", "--output", type=pathlib.Path, default=pathlib.Path("summary.xlsx"))
    args = parser.parse_args()

    try:
        result = trueup.reconcile(devices=args.devices, installs=read_inventory_export(args.inventory),
                                  entitlements=args.licences, access=args.access,
                                  assignments=args.assignments, prices=args.prices, rules="microsoft",
                                  as_of=args.as_of)
    except trueup.InputError as e:
        print(e, file=sys.stderr)  # every problem, with its table, row and column
        return 2
    for warning in result.warnings:
        print(warning, file=sys.stderr)

    position = position_sheet(result)
    with pd.ExcelWriter(args.output, engine="openpyxl") as xlsx:
        position.to_excel(xlsx, sheet_name="Position", index=False)
        shortfalls_sheet(result).to_excel(xlsx, sheet_name="Shortfalls", index=False)
        verdicts_sheet(result).to_excel(xlsx, sheet_name="Verdicts", index=False)
        write_money(xlsx.sheets["Position"], position, "True-up cost")
        for sheet in xlsx.sheets.values():
            keep_text(sheet)

    t = result.totals
    print(f"{args.output}: {len(result.position)} products, {t['installs']} installs "
          f"({t['covered']} covered, {t['short']} short, {t['excluded']} excluded, {t['duplicate']} duplicate); "
          f"true-up {t['true_up_cost']} plus {t['unpriced_shortfall_units']} unit(s) with no known price")
    return 0


if __name__ == "__main__":
    sys.exit(main())
