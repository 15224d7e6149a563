# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/run_example.py
#
# Runs an example of examples/python with this interpreter (the one the module was built for)
# and checks what it produced. Run by ctest from the source directory:
#
#     run_example.py quickstart            stdout equals examples/python/quickstart.expected.txt,
#                                          and the README shows that code and that output
#     run_example.py summarise WORK_DIR    summary.xlsx has its three sheets, and their numbers
#                                          are those of the command line's golden JSON
from __future__ import annotations

import decimal
import json
import pathlib
import shutil
import subprocess
import sys

examples = pathlib.Path("examples/python")
golden = json.loads(pathlib.Path("examples/contoso/expected-position.json").read_text(encoding="utf-8"))


def fail(what: str) -> None:
    print(what, file=sys.stderr)
    sys.exit(1)


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def quickstart() -> None:
    out = run(str(examples / "quickstart.py"))
    expected = (examples / "quickstart.expected.txt").read_text(encoding="utf-8")
    if out != expected:
        fail(f"quickstart.py printed:\n{out}\nexpected:\n{expected}")
    # The README shows this very code (without the file's header and mypy's comment) and output.
    code = [line.replace("  # type: ignore[import]", "")
            for line in (examples / "quickstart.py").read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    readme = pathlib.Path("README.md").read_text(encoding="utf-8")
    if "```python\n" + "\n".join(code).strip() + "\n```" not in readme or "```\n" + expected + "```" not in readme:
        fail("README.md does not show examples/python/quickstart.py and its output as they are")


def summarise(work: pathlib.Path) -> None:
    import openpyxl  # type: ignore[import]

    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    xlsx = work / "summary.xlsx"
    out = run(str(examples / "summarise.py"), "--as-of", "2026-06-30", "-o", str(xlsx))
    if not xlsx.is_file():
        fail(f"summarise.py wrote no {xlsx}:\n{out}")
    book = openpyxl.load_workbook(xlsx)
    if book.sheetnames != ["Position", "Shortfalls", "Verdicts"]:
        fail(f"sheets {book.sheetnames}")

    def rows(sheet: str) -> list[dict[str, object]]:
        values = list(book[sheet].values)
        return [dict(zip(values[0], r)) for r in values[1:]]

    position = rows("Position")
    if [r["Product"] for r in position] != [p["product"] for p in golden["products"]]:
        fail("the Position sheet's products are not the JSON's")
    for r, p in zip(position, golden["products"]):
        if (r["Short"], r["Licences (units)"]) != (p["shortfall_units"], p["licences"]):
            fail(f"{r['Product']}: short {r['Short']}, licences {r['Licences (units)']}; the JSON says {p}")
        if p["true_up_cost"] is None:
            if r["True-up cost"] is not None:
                fail(f"{r['Product']}: true-up {r['True-up cost']}, the JSON says no price is known")
        elif decimal.Decimal(str(r["True-up cost"])) != decimal.Decimal(p["true_up_cost"]):
            fail(f"{r['Product']}: true-up {r['True-up cost']}, the JSON says {p['true_up_cost']}")
    if {r["Product"]: r["Buy edition"] for r in position}.get("Windows Server 2025 Standard") != "Datacenter":
        fail("the Position sheet does not say that the 2025 host's cheapest fix buys Datacenter")
    short = rows("Shortfalls")
    expected_short = sorted(i["install_id"] for i in golden["installs"] if i["verdict"] == "short")
    if sorted(str(r["Install"]) for r in short) != expected_short:
        fail("the Shortfalls sheet's installs are not the JSON's short installs")
    verdicts = {str(r["Install"]): r for r in rows("Verdicts")}
    if len(verdicts) != len(golden["installs"]):
        fail(f"{len(verdicts)} rows in Verdicts, {len(golden['installs'])} installs in the JSON")
    for i in golden["installs"]:
        if verdicts[i["install_id"]]["Verdict"] != i["verdict"]:
            fail(f"{i['install_id']}: verdict {verdicts[i['install_id']]['Verdict']}, the JSON says {i['verdict']}")
    if verdicts["I-00354"]["Licences"] != "L-0150 (1)":
        fail(f"I-00354: licences {verdicts['I-00354']['Licences']}")
    hostile_titles(work)


def hostile_titles(work: pathlib.Path) -> None:
    """Titles that a spreadsheet would run as formulas are written as text, unchanged."""
    import openpyxl

    hostile = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@SUM(1)", "=HYPERLINK(\"http://x\",\"y\")"]
    lines = (examples / "inventory-export.csv").read_text(encoding="utf-8").splitlines()
    for i, title in enumerate(hostile, start=1):
        fields = lines[i].split(";")
        fields[2] = title
        lines[i] = ";".join(fields)
    export = work / "hostile-export.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    xlsx = work / "hostile.xlsx"
    run(str(examples / "summarise.py"), "--as-of", "2026-06-30", "--inventory", str(export), "-o", str(xlsx))
    book = openpyxl.load_workbook(xlsx)
    formulas = [f"{s.title}!{c.coordinate}" for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    if formulas:
        fail(f"summarise.py wrote formulas: {formulas[:5]}")
    titles = {str(r[2].value) for r in book["Verdicts"].iter_rows(min_row=2)}
    missing = [t for t in hostile if t not in titles]
    if missing:
        fail(f"the Verdicts sheet does not show the titles {missing} as written")


if __name__ == "__main__":
    if sys.argv[1:2] == ["quickstart"]:
        quickstart()
    elif sys.argv[1:2] == ["summarise"] and len(sys.argv) == 3:
        summarise(pathlib.Path(sys.argv[2]))
    else:
        fail("usage: run_example.py quickstart | summarise WORK_DIR")
