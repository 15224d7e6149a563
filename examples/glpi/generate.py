#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
"""Writes examples/glpi from the sample fleet (examples/contoso): a few of its computers as GLPI
Agent inventories (inventories/*.json, the format GLPI ingests: glpi-project/inventory_format),
the licences that concern them (entitlements.csv), and the same computers in the project's own
CSV format (csv/devices.csv, csv/installs.csv) with only the facts a GLPI inventory carries.
`trueup reconcile --inventory glpi:examples/glpi/inventories examples/glpi` must give the position
that `examples/glpi/csv` (with the same entitlements.csv) gives: tests/examples/glpi_test.cpp.

Deterministic: run it again and nothing changes (uuids are derived from the device ids)."""
import csv
import json
import pathlib
import uuid

HERE = pathlib.Path(__file__).resolve().parent
CONTOSO = HERE.parent / "contoso"
# A re-installed Office counted twice (PC-0005), one Office in both views plus an update
# (PC-0006), a PC with another vendor's suite (PC-0001), a SQL Server (SRV-SQL01), a Hyper-V host
# and two of its VMs.
DEVICES = ["PC-0001", "PC-0005", "PC-0006", "SRV-SQL01", "HV-01", "VM-01", "VM-02"]


def rows(name):
    with open(CONTOSO / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def device_uuid(device_id):
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, device_id.lower() + ".contoso.local")).upper()


def inventory(d, installs, guests):
    kind = d["kind"]
    hardware = {"name": d["device_id"], "uuid": device_uuid(d["device_id"]),
                "vmsystem": "Hyper-V" if kind == "vm" else "Physical"}
    if kind != "vm":
        hardware["chassis_type"] = {"server": "Rack Mount Chassis", "laptop": "Notebook"}.get(kind, "Desktop")
    content = {"hardware": hardware, "softwares": []}
    processors, cores = int(d["processors"] or 0), int(d["cores"] or 0)
    if processors:
        content["cpus"] = [{"arch": "x86_64", "core": cores // processors, "manufacturer": "Intel",
                            "name": "Intel(R) Xeon(R) CPU"} for _ in range(processors)]
    for i in installs:
        if i["title"].startswith("Microsoft Windows"):
            content["operatingsystem"] = {"full_name": i["title"], "name": "Windows", "kernel_name": "MSWin32",
                                          "version": i["version"], "install_date": i["first_seen"] + " 09:00:00"}
        else:
            content["softwares"].append({"arch": "x86_64", "from": "registry", "name": i["title"],
                                         "publisher": i["publisher"], "version": i["version"],
                                         "install_date": i["first_seen"]})
    if guests:
        content["virtualmachines"] = [{"name": g, "uuid": device_uuid(g).lower(), "vmtype": "hyperv",
                                       "status": "running"} for g in guests]
    return {"action": "inventory", "deviceid": d["device_id"] + "-2026-06-01-08-00-00",
            "itemtype": "Computer", "content": content}


def write_csv(path, header, records):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(records)


def main():
    devices = [d for d in rows("devices.csv") if d["device_id"] in DEVICES]
    installs = [i for i in rows("installs.csv") if i["device_id"] in DEVICES]
    (HERE / "inventories").mkdir(exist_ok=True)
    (HERE / "csv").mkdir(exist_ok=True)
    for d in devices:
        mine = [i for i in installs if i["device_id"] == d["device_id"]]
        guests = [g["device_id"] for g in devices if g["host"] == d["device_id"]]
        text = json.dumps(inventory(d, mine, guests), ensure_ascii=False, indent=2) + "\n"
        (HERE / "inventories" / (d["device_id"] + ".json")).write_text(text, encoding="utf-8")
    write_csv(HERE / "csv/devices.csv", ["device_id", "hostname", "kind", "processors", "cores", "host"],
              [[d["device_id"], d["device_id"], d["kind"], d["processors"], d["cores"], d["host"]] for d in devices])
    write_csv(HERE / "csv/installs.csv", ["install_id", "device_id", "title", "publisher", "version", "first_seen"],
              [[i["install_id"], i["device_id"], i["title"], i["publisher"], i["version"], i["first_seen"]]
               for i in installs])
    ents = rows("entitlements.csv")
    with open(CONTOSO / "entitlements.csv", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    write_csv(HERE / "entitlements.csv", header,
              [[e[h] for h in header] for e in ents if e["device_id"] == "" or e["device_id"] in DEVICES])


if __name__ == "__main__":
    main()
