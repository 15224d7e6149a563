# SPDX-License-Identifier: BSL-1.0
"""The HTML report rendered in headless Chromium (Debian `chromium`), on the sample fleet.

`trueup reconcile --format html` of examples/contoso is loaded by Chromium; the page must load
with no console message at all (a blocked request, a script, a broken resource all log one),
and the totals, the per-metric units, the charts and the ELP table in the rendered DOM must
equal `--format json` of the same run. The page is the same bytes on a second run. A fleet in a
folder whose name is HTML markup must render that name as text, with no element made of it.
The harness checks itself first: a page with a blocked image and a script must be caught.

Usage: html_test.py TRUEUP SOURCE_DIR WORK_DIR
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys

TRUEUP, SOURCE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
FLEET = os.path.join(SOURCE, "examples", "contoso")
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("html_test: no chromium on PATH (scripts/deps installs Debian's chromium)")


def render(path):
    """The DOM Chromium builds from `path`, and the console messages it logged."""
    profile = os.path.join(WORK, "profile")
    done = subprocess.run(
        [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + path],
        capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        sys.exit(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


class Dom(html.parser.HTMLParser):
    """The text of every element with an id, the tables' cells by table, the tags seen."""

    def __init__(self):
        super().__init__()
        self.by_id, self.rows_by_id, self.tables, self.tags, self.texts = {}, {}, [], [], []
        self._open_ids, self._row, self._row_id, self._cell = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self._open_ids.append((tag, a["id"], len(self.texts)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row, self._row_id = [], a.get("id")
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if self._open_ids and self._open_ids[-1][0] == tag:
            _, ident, start = self._open_ids.pop()
            self.by_id[ident] = "".join(self.texts[start:]).strip()
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            if self._row_id:
                self.rows_by_id[self._row_id] = self._row
            self._row = None

    def handle_data(self, data):
        self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def reconcile(fleet, fmt, out):
    done = subprocess.run([TRUEUP, "reconcile", fleet, "--as-of", "2026-06-30", "-q", "--format", fmt, "-o", out],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"trueup reconcile --format {fmt} exited {done.returncode}: {done.stderr}")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)

    # The harness catches what it must: a blocked image and an inline script each log a message.
    bad = os.path.join(WORK, "bad.html")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" "
                "content=\"default-src 'none'\"></head><body><img src=\"http://example.invalid/a.png\">"
                "<script>console.log('x')</script></body></html>")
    _, console = render(bad)
    check(len(console) >= 2, f"the harness saw {len(console)} console messages on a page that must log 2")

    page, js = os.path.join(WORK, "position.html"), os.path.join(WORK, "position.json")
    reconcile(FLEET, "html", page)
    reconcile(FLEET, "json", js)
    with open(page, "rb") as f:
        first = f.read()
    reconcile(FLEET, "html", page)
    with open(page, "rb") as f:
        check(f.read() == first, "a second run wrote other bytes")
    first.decode("utf-8")  # valid UTF-8, or the test fails here
    with open(js, encoding="utf-8") as f:
        report = json.load(f)

    dom_text, console = render(page)
    check(console == [], f"the page logged to the console: {console}")
    dom = Dom()
    dom.feed(dom_text)
    check(not any(t == "script" for t, _ in dom.tags), "the page has a script")
    check(any(t == "meta" and a.get("http-equiv") == "Content-Security-Policy" for t, a in dom.tags),
          "the page has no Content-Security-Policy")

    totals = report["totals"]
    for key in ("installs", "covered", "short", "excluded", "duplicate", "true_up_cost", "unpriced_shortfall_units"):
        shown = dom.by_id.get("total-" + key.replace("_", "-"))
        check(shown == str(totals[key]), f"total {key}: the page shows {shown!r}, the JSON {totals[key]!r}")
    for units in totals["units"]:
        row = dom.rows_by_id.get("units-" + units["metric"])
        want = [units["metric"]] + [str(units[k]) for k in
                                    ("demand_units", "covered_units", "shortfall_units", "licences", "consumed",
                                     "surplus")]
        check(row == want, f"units of {units['metric']}: the page shows {row}, the JSON {want}")

    # The ELP table: one row per product of the JSON, in its order, with its shortfall and cost.
    elp = next((t for t in dom.tables if t and t[0][:2] == ["Product", "Family"]), None)
    check(elp is not None, "no ELP table on the page")
    if elp is not None:
        header, rows = elp[0], elp[1:]
        check(len(rows) == len(report["products"]),
              f"the ELP table has {len(rows)} rows, the JSON {len(report['products'])} products")
        for row, p in zip(rows, report["products"]):
            got = dict(zip(header, row))
            check(got["Shortfall"] == str(p["shortfall_units"]) and got["Demand units"] == str(p["demand_units"]),
                  f"ELP row {got['Product']}: {got['Demand units']}/{got['Shortfall']}, JSON "
                  f"{p['demand_units']}/{p['shortfall_units']}")
    # One compliance bar per product with demand, one cost bar per product with a priced shortfall.
    rects = [a.get("class") for t, a in dom.tags if t == "rect"]
    with_demand = sum(1 for p in report["products"] if p["demand_units"] > 0)
    priced = sum(1 for p in report["products"] if p["true_up_cost"] not in (None, "0.00"))
    check(rects.count("ok") == with_demand and rects.count("short") == with_demand,
          f"compliance bars {rects.count('ok')}/{rects.count('short')}, products with demand {with_demand}")
    check(rects.count("cost") == priced, f"cost bars {rects.count('cost')}, products with a priced shortfall {priced}")

    # Markup in a name the page shows is text: the fleet's folder is named like an element.
    hostile = os.path.join(WORK, "<img src=x onerror=alert(1)>")
    shutil.copytree(FLEET, hostile)
    reconcile(hostile, "html", page)
    dom_text, console = render(page)
    check(console == [], f"the hostile page logged to the console: {console}")
    dom = Dom()
    dom.feed(dom_text)
    check(not any(t == "img" for t, _ in dom.tags), "a name in the report became an element")
    check("<img src=x onerror=alert(1)>" in "".join(dom.texts), "the hostile folder name is not on the page as text")

    if failures:
        sys.exit("html_test: " + "\n  ".join([f"{len(failures)} failure(s):"] + failures))
    print(f"html_test: the page renders with no console message; {len(report['products'])} products, totals, "
          f"units and bars equal the JSON")


main()
