#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
"""Writes examples/sccm from the sample fleet (examples/contoso): a few of its computers as
Configuration Manager (SCCM / MECM) view exports (exports/*.csv, one file per view, with the
views' own column names: docs/formats.md "Configuration Manager"), the licences that concern
them (entitlements.csv), and the same computers in the project's own CSV format (csv/devices.csv,
csv/installs.csv) with only the facts the views carry. `trueup reconcile --inventory
sccm:examples/sccm/exports examples/sccm` must give the position that `examples/sccm/csv` (with
the same entitlements.csv) gives: tests/examples/sccm_test.cpp.

The files are written the ways real exports are: v_R_System as SQL Server Management Studio saves
results (comma-separated, NULL for no value); v_Add_Remove_Programs by PowerShell 5's Export-Csv
(a `#TYPE` line, every field quoted, CRLF); v_GS_PROCESSOR with `Export-Csv -UseCulture` on a
German desktop (`;`, a UTF-8 byte order mark); v_GS_OPERATING_SYSTEM as SSMS's "Unicode" (UTF-16LE
with a byte order mark, SQL date-times); v_GS_SYSTEM_CONSOLE_USAGE tab-separated.

PC-0005 was re-imaged in June 2025: Configuration Manager keeps its old record (obsolete, with the
Office installed before) next to the new one. The old record is a retired device of its own, so its
Office does not count a second time.

Deterministic: run it again and nothing changes (ResourceIDs and product codes are derived)."""
import csv
import io
import pathlib
import uuid

HERE = pathlib.Path(__file__).resolve().parent
CONTOSO = HERE.parent / "contoso"
DEVICES = ["PC-0001", "PC-0005", "PC-0006", "PC-0141", "SRV-OLD2012", "SRV-SQL01", "HV-01", "VM-01", "VM-02"]
OLD_RECORD = "I-00011"  # PC-0005's Office before the re-image, on the obsolete record
FIRST_RESOURCE = 16777217


def rows(name):
    with open(CONTOSO / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def product_code(title):
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "contoso/" + title)).upper() + "}"


def text(header, records, sep=",", quote_all=False, null="", newline="\n"):
    out = io.StringIO()
    w = csv.writer(out, delimiter=sep, lineterminator=newline,
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows([[null if v == "" else v for v in r] for r in records])
    return out.getvalue()


def main():
    devices = [d for d in rows("devices.csv") if d["device_id"] in DEVICES]
    installs = [i for i in rows("installs.csv") if i["device_id"] in DEVICES]
    # One record per device, and PC-0005's obsolete one last (it was replaced).
    records = [(FIRST_RESOURCE + n, d, False) for n, d in enumerate(devices)]
    pc5 = next(d for d in devices if d["device_id"] == "PC-0005")
    records.append((FIRST_RESOURCE + len(devices), pc5, True))
    resource = {(d["device_id"], obsolete): r for r, d, obsolete in records}
    twin_id = {r: d["device_id"] + (f" (ResourceID {r})" if obsolete else "") for r, d, obsolete in records}

    def is_os(i):
        return i["title"].startswith("Microsoft Windows")

    def owner(i):
        return resource[(i["device_id"], i["install_id"] == OLD_RECORD)]

    exports = HERE / "exports"
    exports.mkdir(exist_ok=True)
    (exports / "v_R_System.csv").write_text(text(
        ["ResourceID", "Name0", "Netbios_Name0", "Resource_Domain_OR_Workgr0", "Is_Virtual_Machine0",
         "Virtual_Machine_Host_Name0", "Decommissioned0", "Obsolete0"],
        [[r, d["device_id"], d["device_id"], "CONTOSO", int(d["kind"] == "vm"),
          d["hostname"].replace(d["device_id"].lower(), d["host"].lower()) if d["host"] else "",
          int(d["status"] == "retired"), int(obsolete)] for r, d, obsolete in records], null="NULL"),
        encoding="utf-8")
    (exports / "v_Add_Remove_Programs.csv").write_bytes(("#TYPE System.Data.DataRow\r\n" + text(
        ["ResourceID", "GroupID", "DisplayName0", "InstallDate0", "ProdID0", "Publisher0", "Version0"],
        [[owner(i), n + 1, i["title"], i["first_seen"].replace("-", ""), product_code(i["title"]), i["publisher"],
          i["version"]] for n, i in enumerate(x for x in installs if not is_os(x))],
        quote_all=True, newline="\r\n")).encode("utf-8"))
    processors = [[resource[(d["device_id"], False)], f"CPU{s}", "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz",
                   "GenuineIntel", int(d["cores"]) // int(d["processors"]), 2 * int(d["cores"]) // int(d["processors"])]
                  for d in devices if d["processors"] for s in range(int(d["processors"]))]
    (exports / "v_GS_PROCESSOR.csv").write_bytes(b"\xef\xbb\xbf" + text(
        ["ResourceID", "DeviceID0", "Name0", "Manufacturer0", "NumberOfCores0", "NumberOfLogicalProcessors0"],
        processors, sep=";", quote_all=True).encode("utf-8"))
    (exports / "v_GS_OPERATING_SYSTEM.csv").write_bytes(b"\xff\xfe" + text(
        ["ResourceID", "Caption0", "Version0", "InstallDate0", "CSDVersion0"],
        [[owner(i), i["title"], i["version"], i["first_seen"] + " 09:00:00.000", ""] for i in installs if is_os(i)],
        null="NULL", newline="\r\n").encode("utf-16-le"))
    (exports / "v_GS_SYSTEM_CONSOLE_USAGE.csv").write_text(text(
        ["ResourceID", "TopConsoleUser0", "TotalConsoleTime0"],
        [[resource[(d["device_id"], False)], "CONTOSO\\" + d["primary_user"], 91234]
         for d in devices if d["primary_user"]], sep="\t"), encoding="utf-8")

    # The twin: what the views say, in the project's format.
    (HERE / "csv").mkdir(exist_ok=True)
    os_title = {owner(i): i["title"] for i in installs if is_os(i)}
    (HERE / "csv/devices.csv").write_text(text(
        ["device_id", "hostname", "kind", "status", "primary_user", "processors", "cores", "host"],
        [[twin_id[r], d["device_id"],
          "vm" if d["kind"] == "vm" else ("server" if "Server" in os_title.get(r, "") else
                                          "desktop" if r in os_title else ""),
          "retired" if d["status"] == "retired" or obsolete else "",
          "" if obsolete or not d["primary_user"] else "CONTOSO\\" + d["primary_user"],
          "" if obsolete else d["processors"], "" if obsolete else d["cores"], d["host"]]
         for r, d, obsolete in records]), encoding="utf-8")
    (HERE / "csv/installs.csv").write_text(text(
        ["install_id", "device_id", "title", "publisher", "version", "first_seen"],
        [[i["install_id"], twin_id[owner(i)], i["title"], i["publisher"], i["version"], i["first_seen"]]
         for i in installs]), encoding="utf-8")
    ents = rows("entitlements.csv")
    with open(CONTOSO / "entitlements.csv", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    (HERE / "entitlements.csv").write_text(text(
        header, [[e[h] for h in header] for e in ents if e["device_id"] == "" or e["device_id"] in DEVICES]),
        encoding="utf-8")


if __name__ == "__main__":
    main()
