#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
"""Writes a part of the sample fleet (examples/contoso) twice: in `utf8/` as the project writes
CSV (`,`, UTF-8, LF), and in `excel-fr/` as Excel set to French saves "CSV (separateur: point-
virgule)": `;` separators, Windows-1252, CRLF line breaks, no byte order mark. Two installs
with accented titles are added to both (é, ü, œ, €, ’: 0x80 and 0x92 in Windows-1252). Amounts
keep their decimal point: a decimal comma is refused, not guessed (docs/formats.md).

Run from the repository's root: python3 tests/data/excel-fr/generate.py"""
import csv
import io
import os

SRC = "examples/contoso"
OUT = "tests/data/excel-fr"
DEVICES = 40  # the first desktops and laptops, and every server


def rows(name):
    with open(os.path.join(SRC, name), newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def main():
    devices = rows("devices.csv")
    kept = devices[1:DEVICES + 1] + [r for r in devices[DEVICES + 1:] if r[2] == "server"]
    ids = {r[0] for r in kept}
    installs = [r for r in rows("installs.csv")[1:] if r[1] in ids]
    installs += [["I-90001", kept[0][0], "Éditeur de thèses für Œuvres – Prix 5 €", "Société Générale d’Édition",
                  "2.1", "2024-01-15", "2026-11-01"],
                 ["I-90002", kept[1][0], "Outil ‘Rapport’ de l’équipe", "Müller & Fils", "1.0", "", ""]]
    entitlements = [r for r in rows("entitlements.csv")[1:] if r[6] == "" or r[6] in ids]
    access = [r for r in rows("access.csv")[1:] if r[0] in ids and (r[2] == "" or r[2] in ids)]
    tables = {
        "devices.csv": [devices[0]] + kept,
        "installs.csv": [rows("installs.csv")[0]] + installs,
        "entitlements.csv": [rows("entitlements.csv")[0]] + entitlements,
        "access.csv": [rows("access.csv")[0]] + access,
        "prices.csv": rows("prices.csv"),
    }
    for folder, sep, encoding, newline in (("utf8", ",", "utf-8", "\n"), ("excel-fr", ";", "cp1252", "\r\n")):
        os.makedirs(os.path.join(OUT, folder), exist_ok=True)
        for name, table in tables.items():
            text = io.StringIO()
            csv.writer(text, delimiter=sep, lineterminator=newline).writerows(table)
            with open(os.path.join(OUT, folder, name), "wb") as f:
                f.write(text.getvalue().encode(encoding))


if __name__ == "__main__":
    main()
