#!/usr/bin/env python3
# SPDX-License-Identifier: BSL-1.0
# Generates the Contoso sample fleet (devices.csv, installs.csv, entitlements.csv, access.csv,
# assignments.csv, prices.csv) in this folder.
# The files are committed; this script documents how they were made and regenerates them
# byte for byte (fixed seed). Every case of docs/audit-cases.md appears at least once, on a
# device whose id names the case where that helps reading the output.
import csv
import os
import random

rng = random.Random(20261122)
here = os.path.dirname(os.path.abspath(__file__))

devices, installs, entitlements = [], [], []


def device(did, kind="desktop", ownership="owned", status="active", status_date="", user="", processors="", cores="", host="", environment=""):
    devices.append([did, did.lower() + ".contoso.local", kind, ownership, status, status_date, user, processors, cores, host, environment])


def install(did, title, publisher="Microsoft Corporation", version="", first_seen="2024-01-15", last_seen="2026-11-01"):
    installs.append([f"I-{len(installs) + 1:05d}", did, title, publisher, version, first_seen, last_seen])


def licence(family, version, edition, channel, quantity, device_id="", sku="", purchase_date="", unit_cost="", currency="", reference="", metric="", sa_start="", sa_end=""):
    lid = f"L-{len(entitlements) + 1:04d}"
    entitlements.append([lid, family, version, edition, channel, quantity, device_id, sku, purchase_date, unit_cost, currency, reference, metric, sa_start, sa_end])
    return lid


users = [f"user{n:03d}" for n in range(1, 400)]

# --- Office desktops: 140 owned, active PCs with OEM Windows -------------------------------
office_mix = (["Professional Plus 2016"] * 40 + ["Professional Plus 2019"] * 35 + ["Standard 2016"] * 15 +
              ["Professional Plus 2021"] * 10 + ["none"] * 28 + ["LibreOffice"] * 12)
rng.shuffle(office_mix)
# The PCs that show re-installs and side-by-side versions run these products.
for pc, product in ((5, "Professional Plus 2016"), (6, "Professional Plus 2019"), (8, "Professional Plus 2016")):
    other = next(i for i, o in enumerate(office_mix) if o == product and i + 1 not in (5, 6, 8))
    office_mix[pc - 1], office_mix[other] = office_mix[other], office_mix[pc - 1]
for n in range(1, 141):
    did = f"PC-{n:04d}"
    kind = "laptop" if n % 3 == 0 else "desktop"
    device(did, kind=kind, user=users[n])
    newer = n > 100
    win = "11" if newer else "10"
    # Most PCs came with OEM Windows Pro; 6 of them were bought without (a real shortfall).
    if n % 23 != 0:
        licence("windows", win, "Pro", "oem", 1, device_id=did, sku="FQC-10528" if win == "10" else "HAV-00163",
                purchase_date="2021-03-01" if not newer else "2023-05-10", reference=f"OEM-COA-{n:05d}")
    # A few older PCs still run Windows 7 Professional under the OEM Windows 10 Pro downgrade right.
    if n in (7, 19, 31, 44):
        install(did, "Microsoft Windows 7 Professional", version="6.1.7601")
    else:
        install(did, f"Microsoft Windows {win} Pro", version="10.0.19045" if win == "10" else "10.0.22631")
    o = office_mix[n - 1]
    if o == "LibreOffice":
        install(did, "LibreOffice 7.5.3.2", publisher="The Document Foundation", version="7.5.3.2")
    elif o != "none":
        install(did, f"Microsoft Office {o}", version="16.0.4266.1001")
        if rng.random() < 0.4:
            install(did, f"Update for Microsoft Office {o.split()[-1]} (KB{rng.randint(4400000, 5099999)})",
                    version="")

# Re-installs counted twice: the same Office on one PC, twice, and a 32-bit and 64-bit entry.
install("PC-0005", "Microsoft Office Professional Plus 2016", version="16.0.4266.1001", first_seen="2025-06-02")
install("PC-0006", "Microsoft Office Professional Plus 2019 (64-bit)", version="16.0.10417.20020")
install("PC-0006", "Microsoft Office Professional Plus 2019 (32-bit)", version="16.0.10417.20020")
# Two versions side by side: one demand, at the newer version.
install("PC-0008", "Microsoft Office Professional Plus 2013", version="15.0.4569.1506")
# Office Starter 2010 on a few PCs: a free edition.
for did in ("PC-0011", "PC-0012", "PC-0013"):
    install(did, "Microsoft Office Starter 2010", version="14.0.6029.1000")
# A Microsoft title the pack does not know: reported for review, not guessed.
install("PC-0014", "Microsoft Dynamics NAV 2018", version="11.0.19394.0")
# Visio and Project are licensed per device like Office; nobody bought them here.
install("PC-0015", "Microsoft Visio Professional 2016", version="16.0.4266.1001")

# --- Leased PCs: counted by the auditor, out of scope ---------------------------------------
for n in range(1, 16):
    did = f"LSE-{n:04d}"
    device(did, ownership="leased", user=users[200 + n])
    install(did, "Microsoft Windows 10 Pro", version="10.0.19045")
    install(did, "Microsoft Office Professional Plus 2019", version="16.0.10417.20020")

# --- Scrapped PCs and what became of their licences ----------------------------------------
for n in range(141, 156):
    did = f"PC-{n:04d}"
    device(did, status="retired", status_date=f"2025-{(n % 9) + 1:02d}-15", user=users[n])
    # Their OEM Windows licences died with them.
    licence("windows", "10", "Pro", "oem", 1, device_id=did, sku="FQC-10528", purchase_date="2018-04-10",
            reference=f"OEM-COA-{n:05d}")
    install(did, "Microsoft Windows 10 Pro", version="10.0.19045", last_seen="2025-01-10")
# New PCs that replaced scrapped ones.
for n in range(156, 161):
    did = f"PC-{n:04d}"
    device(did, user=users[n])
    install(did, "Microsoft Windows 11 Pro", version="10.0.22631")
    install(did, "Microsoft Office Home and Business 2019", version="16.0.10417.20020")
# The retail Office licences of the new PCs were bought for PCs since scrapped: they may move.
for n, old in zip(range(156, 161), range(141, 146)):
    licence("office", "2019", "Home and Business", "retail", 1, device_id=f"PC-{old:04d}", sku="T5D-03189",
            purchase_date="2019-02-11", unit_cost="249.99", currency="EUR", reference=f"RETAIL-RCPT-{old}")
# PC-0156..0160 got no OEM Windows 11: the OEM Windows of the scrapped PCs does not move (short).

# --- Servers --------------------------------------------------------------------------------
servers = [
    # id, processors, cores, title
    ("SRV-DC01", 2, 16, "Microsoft Windows Server 2019 Datacenter"),
    ("SRV-APP01", 1, 16, "Microsoft Windows Server 2019 Standard"),
    ("SRV-FS01", 2, 16, "Microsoft Windows Server 2016 Standard"),
    ("SRV-OLD2012", 2, 24, "Microsoft Windows Server 2012 R2 Standard"),
    ("SRV-OLD2008", 2, 8, "Microsoft Windows Server 2008 R2 Standard"),
    ("SRV-SQL01", 4, 16, "Microsoft Windows Server 2022 Standard"),
]
for sid, p, c, title in servers:
    device(sid, kind="server", processors=str(p), cores=str(c))
    install(sid, title, version="")

# --- Virtualisation hosts: Windows Server licensed on the physical host (WS8) -----------------
# HV-01: 2 x 16 cores running 4 Standard VMs: 64 Standard core licences or 32 Datacenter.
device("HV-01", kind="server", processors="2", cores="32")
for n in range(1, 5):
    vm = f"VM-{n:02d}"
    device(vm, kind="vm", processors="1", cores="4", host="HV-01")
    install(vm, "Microsoft Windows Server 2022 Standard", version="10.0.20348")
# HV-02: 1 x 16 cores running 6 Standard 2019 VMs: Standard would need 48 core licences (all
# cores, stacked three times), Datacenter 16; spare 2019 Datacenter licences cover it whole.
device("HV-02", kind="server", processors="1", cores="16")
for n in range(5, 11):
    vm = f"VM-{n:02d}"
    device(vm, kind="vm", processors="1", cores="2", host="HV-02")
    install(vm, "Microsoft Windows Server 2019 Standard", version="10.0.17763")
# A VM at a hosting provider: the host is rented, its licensing is the provider's.
device("HV-RENTED", kind="server", ownership="rented", processors="2", cores="32")
device("VM-HOSTED1", kind="vm", processors="1", cores="4", host="HV-RENTED")
install("VM-HOSTED1", "Microsoft Windows Server 2022 Standard", version="10.0.20348")

# --- SQL Server: per core (SQL1) and per VM (SQL2) --------------------------------------------
install("SRV-SQL01", "Microsoft SQL Server 2022 Enterprise", version="16.0.1000.6")   # 4 x 4 cores: 16
install("VM-03", "Microsoft SQL Server 2019 Standard", version="15.0.2000.5")          # 4 vcores: 4
device("VM-SQLDEV", kind="vm", processors="1", cores="2", host="HV-02", environment="non-production")
install("VM-SQLDEV", "Microsoft SQL Server 2019 Developer", version="15.0.2000.5")     # free outside production (SQL10)

# --- Microsoft 365 Apps per user (DT3) ---------------------------------------------------------
# Ten analysts with the apps on their PC; user301 also on 5 more PCs (6 in all) and a tablet:
# the user licence covers 5 PCs and the tablet, the sixth PC needs a per-device licence.
for n in range(300, 310):
    did = f"M365-{n}"
    device(did, kind="laptop", user=users[n])
    install(did, "Microsoft 365 Apps for enterprise - en-us", version="16.0.17328.20162")
for k in range(1, 6):
    did = f"M365-300-{k}"
    device(did, kind="desktop", user=users[300])
    install(did, "Microsoft 365 Apps for enterprise - en-us", version="16.0.17328.20162")
device("TAB-300", kind="tablet", user=users[300])
install("TAB-300", "Microsoft 365 Apps for enterprise - en-us", version="16.0.17328.20162")
licence("m365-apps", "current", "enterprise", "subscription", 10, sku="AAA-10756", purchase_date="2026-01-01",
        unit_cost="144.00", currency="EUR", reference="CSP-2026-0042", metric="user")
licence("m365-apps", "current", "enterprise", "subscription", 1, sku="AAA-10757", purchase_date="2026-01-01",
        unit_cost="150.00", currency="EUR", reference="CSP-2026-0042", metric="device")

# --- Server access (CAL1, CAL2): who uses which server, from where ---------------------------
access = []
for n in range(1, 41):  # forty office users on their own PCs use the 2016 file server
    access.append(["SRV-FS01", users[n], f"PC-{n:04d}"])
for u in range(41, 46):  # five shift workers share one kiosk to reach the 2012 R2 server
    access.append(["SRV-OLD2012", users[u], "PC-0120"])
access.append(["SRV-FS01", users[1], "PC-0002"])  # user002 also uses user003's PC
licence("windows-server-cal", "2016", "CAL", "volume", 35, sku="R18-05123", purchase_date="2017-01-31",
        unit_cost="38.00", currency="EUR", reference="OPEN-9912044", metric="user-cal")
licence("windows-server-cal", "2012", "CAL", "volume", 1, sku="R18-03755", purchase_date="2014-02-28",
        unit_cost="34.00", currency="EUR", reference="OPEN-9911876", metric="device-cal")

# --- Volume and server licences --------------------------------------------------------------
licence("office", "2019", "Professional Plus", "volume", 80, sku="79P-05729", purchase_date="2019-06-30",
        unit_cost="439.00", currency="EUR", reference="EA-8812345 / 2019")
licence("office", "2021", "Professional Plus", "volume", 10, sku="79P-06211", purchase_date="2022-01-31",
        unit_cost="469.00", currency="EUR", reference="EA-8812345 / 2022")
licence("office", "2016", "Standard", "volume", 10, sku="021-10554", purchase_date="2016-03-31",
        unit_cost="299.00", currency="EUR", reference="OPEN-9912001")
licence("windows-server", "2019", "Datacenter", "volume", 32, sku="9EA-00039", purchase_date="2019-09-30",
        unit_cost="385.00", currency="EUR", reference="EA-8812345 / 2019")
licence("windows-server", "2016", "Standard", "volume", 16, sku="9EM-00124", purchase_date="2017-01-31",
        unit_cost="56.00", currency="EUR", reference="OPEN-9912044")
licence("windows-server", "2012 R2", "Standard", "volume", 1, sku="P73-06165", purchase_date="2014-02-28",
        unit_cost="882.00", currency="EUR", reference="OPEN-9911876")
licence("windows-server", "2008 R2", "Standard", "volume", 1, sku="P73-04763", purchase_date="2010-05-31",
        unit_cost="725.00", currency="EUR", reference="OPEN-9910310")
licence("windows-server", "2022", "Standard", "volume", 16, sku="9EM-00652", purchase_date="2022-11-30",
        unit_cost="61.00", currency="EUR", reference="EA-8812345 / 2022")
licence("windows-server", "2022", "Datacenter", "volume", 32, sku="9EA-00643", purchase_date="2023-06-30",
        unit_cost="410.00", currency="EUR", reference="EA-8812345 / 2023")
licence("sql-server", "2019", "Standard", "volume", 4, sku="7NQ-01564", purchase_date="2020-03-31",
        unit_cost="1859.00", currency="EUR", reference="EA-8812345 / 2020")
licence("sql-server", "2022", "Enterprise", "volume", 8, sku="7JQ-01736", purchase_date="2023-06-30",
        unit_cost="7128.00", currency="EUR", reference="EA-8812345 / 2023")

# --- Windows Server 2012 R2 Standard on a four-processor host (W12-4) ------------------------
# Each 2012 R2 Standard licence covers two processors and two VMs, and licences stack: four
# processors and four VMs need two licences ("a four-processor server requires two Windows
# Server 2012 R2 Standard Edition licenses to cover four physical processors and four
# simultaneous virtual machines"), not processors x VM pairs.
device("HV-2012", kind="server", processors="4", cores="32")
for n in range(1, 5):
    vm = f"VM-2012-{n}"
    device(vm, kind="vm", processors="1", cores="4", host="HV-2012")
    install(vm, "Microsoft Windows Server 2012 R2 Standard", version="6.3.9600")
licence("windows-server", "2012 R2", "Standard", "volume", 2, sku="P73-06165", purchase_date="2014-09-30",
        unit_cost="882.00", currency="EUR", reference="OPEN-9911990")

# --- Software Assurance across licensing models (SA1, SA5) -----------------------------------
# A 2012 R2 Standard processor licence whose SA was active when Windows Server 2019 was made
# available runs 2019, counted as 16 core licences: it covers one of SRV-APP01 and SRV-APP02
# (each needs 16 core licences of 2019 Standard; before SA counted, both were short).
device("SRV-APP02", kind="server", processors="2", cores="16")
install("SRV-APP02", "Microsoft Windows Server 2019 Standard", version="10.0.17763")
licence("windows-server", "2012 R2", "Standard", "volume", 1, sku="P73-06165", purchase_date="2015-03-31",
        unit_cost="882.00", currency="EUR", reference="EA-8812345 / 2015", sa_start="2015-03-31", sa_end="2021-03-31")

# --- A host that runs Windows Server itself and in its VMs -----------------------------------
# HV-03's own install carries the host's Datacenter licences; each VM's install is covered as
# an OSE of HV-03.
device("HV-03", kind="server", processors="2", cores="16")
install("HV-03", "Microsoft Windows Server 2022 Datacenter", version="10.0.20348")
for n in range(1, 4):
    vm = f"VM-HV03-{n}"
    device(vm, kind="vm", processors="1", cores="4", host="HV-03")
    install(vm, "Microsoft Windows Server 2022 Standard", version="10.0.20348")
licence("windows-server", "2022", "Datacenter", "volume", 16, sku="9EA-00643", purchase_date="2024-06-30",
        unit_cost="410.00", currency="EUR", reference="EA-8812345 / 2024")

# --- A new dense host: Datacenter is the cheaper fix ----------------------------------------
# HV-04 (2 x 16 cores) runs 14 Windows Server 2025 Standard VMs and no 2025 licence was bought.
# At the price list's unit prices Standard would need 7 stacks of 32 core licences (224 at
# 69.00 = 15456.00), Datacenter 32 (at 399.00 = 12768.00): the table says "(buy Datacenter)".
device("HV-04", kind="server", processors="2", cores="32")
for n in range(1, 15):
    vm = f"VM-D{n:02d}"
    device(vm, kind="vm", processors="1", cores="2", host="HV-04")
    install(vm, "Microsoft Windows Server 2025 Standard", version="10.0.26100")

# --- The 90-day rule (V1, V6) ----------------------------------------------------------------
# L-office-2021 moved PC-0161 -> PC-0162 on 2026-05-01, then to PC-0163 40 days later for no
# exempt reason: that move did not lawfully happen (assignments.csv). On 2026-06-30 the licence
# is still PC-0162's and may not move before 2026-07-30; PC-0163 is short.
assignments = []
for n in range(161, 164):
    did = f"PC-{n:04d}"
    device(did, user=users[n])
    licence("windows", "11", "Pro", "oem", 1, device_id=did, sku="HAV-00163", purchase_date="2024-11-04",
            reference=f"OEM-COA-{n:05d}")
    install(did, "Microsoft Windows 11 Pro", version="10.0.22631")
install("PC-0163", "Microsoft Office Professional Plus 2021", version="16.0.14332.20204")
moved = licence("office", "2021", "Professional Plus", "volume", 1, sku="79P-06211", purchase_date="2024-11-04",
                unit_cost="469.00", currency="EUR", reference="EA-8812345 / 2024")
assignments += [[moved, "PC-0161", "", "2024-11-04", "initial", "1"],
                [moved, "PC-0162", "", "2026-05-01", "reassigned", "1"],
                [moved, "PC-0163", "", "2026-06-10", "reassigned", "1"]]

# --- Windows volume licences are upgrades (O4, O5) -------------------------------------------
# Two volume Windows 11 Enterprise licences: PC-0164 has its OEM Windows 11 Pro to qualify,
# PC-0165 was bought without Windows and has no qualifying licence, so it is short.
for n in (164, 165):
    did = f"PC-{n:04d}"
    device(did, user=users[n])
    install(did, "Microsoft Windows 11 Enterprise", version="10.0.22631")
licence("windows", "11", "Pro", "oem", 1, device_id="PC-0164", sku="HAV-00163", purchase_date="2024-11-04",
        reference="OEM-COA-00164")
licence("windows", "11", "Enterprise", "volume", 2, sku="KV3-00368", purchase_date="2024-11-04",
        unit_cost="289.00", currency="EUR", reference="EA-8812345 / 2024")


def write(name, header, rows):
    with open(os.path.join(here, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


write("devices.csv", ["device_id", "hostname", "kind", "ownership", "status", "status_date", "primary_user",
                      "processors", "cores", "host", "environment"], devices)
write("installs.csv", ["install_id", "device_id", "title", "publisher", "version", "first_seen", "last_seen"], installs)
write("entitlements.csv", ["licence_id", "family", "version", "edition", "channel", "quantity", "device_id", "sku",
                           "purchase_date", "unit_cost", "currency", "reference", "metric", "sa_start", "sa_end"],
      entitlements)
write("access.csv", ["server_id", "user", "device_id"], access)
write("assignments.csv", ["licence_id", "device_id", "user", "from", "reason", "units"], assignments)
# The price list prices what no licence record names a price for, in the vendor's price-list
# terms: full retail Windows for the PCs bought without Windows (an OEM licence is sold only
# with a new PC), Visio, and Windows Server 2025.
write("prices.csv", ["sku", "family", "version", "edition", "channel", "metric", "unit_cost", "currency"], [
    ["", "windows", "10", "Pro", "retail", "device", "259.00", "EUR"],
    ["", "windows", "11", "Pro", "retail", "device", "259.00", "EUR"],
    ["", "visio", "2016", "Professional", "volume", "device", "589.00", "EUR"],
    ["", "windows-server", "2025", "Standard", "volume", "core", "69.00", "EUR"],
    ["", "windows-server", "2025", "Datacenter", "volume", "core", "399.00", "EUR"],
])

# The same installs as a GLPI-style tool exports them (examples/python/summarise.py maps it back):
# its own column names, semicolons, day-first dates, CRLF line ends.
def day_first(iso):
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


with open(os.path.join(here, "..", "python", "inventory-export.csv"), "w", newline="") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
    w.writerow(["ID", "Computer", "Software", "Publisher", "Version", "Installation date", "Last inventory"])
    w.writerows([i[0], i[1], i[2], i[3], i[4], day_first(i[5]), day_first(i[6])] for i in installs)
print(f"{len(devices)} devices, {len(installs)} installs, {len(entitlements)} entitlements, {len(access)} accesses")
