# SPDX-License-Identifier: BSL-1.0
# File: bindings/python/tests/test_inventory.py
#
# Inventory exports from Python (docs/python.md "Inventory exports"): read_inventory() gives the
# tables the command's importers make, and reconcile(..., inventory=...) the command's position
# and report for `trueup reconcile --inventory`, byte for byte.
from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest

import trueup
from conftest import AS_OF, SOURCE_DIR

SCCM = SOURCE_DIR / "examples" / "sccm"
EXPORTS = SCCM / "exports"
SAMPLES = SOURCE_DIR / "tests" / "data" / "inventory"


def test_the_views_of_configuration_manager_become_the_fleets_tables():
    inv = trueup.read_inventory("sccm", EXPORTS)
    devices = inv.devices.set_index("device_id")
    assert devices.loc["HV-01", "processors"] == 2 and devices.loc["HV-01", "cores"] == 32
    assert devices.loc["VM-01", "kind"] == "vm" and devices.loc["VM-01", "host"] == "HV-01"
    assert devices.loc["PC-0005 (ResourceID 16777226)", "status"] == "retired"
    assert str(inv.devices["cores"].dtype) == "Int64"
    installs = inv.installs.set_index("install_id")
    assert installs.loc["SRV-SQL01/sccm/os/1", "title"] == "Microsoft Windows Server 2022 Standard"
    assert installs.loc["SRV-SQL01/sccm/os/1", "first_seen"] == datetime.date(2024, 1, 15)
    assert [w.code for w in inv.warnings] == ["duplicate-device"]
    assert inv.sources == [{"source": f"sccm:{EXPORTS}", "files": 5, "devices": 10, "rows": 16, "skipped": 0,
                            "unnamed_keys": 0, "not_installed": 0}]
    # The other ways to name the export read the same.
    assert trueup.read_inventory(f"sccm:{EXPORTS}").installs.equals(inv.installs)
    assert trueup.read_inventory(("sccm", EXPORTS)).devices.equals(inv.devices)


def test_reconciling_an_inventory_gives_the_commands_report(tmp_path):
    result = trueup.reconcile_dir(SCCM, inventory=f"sccm:{EXPORTS}", as_of=AS_OF)
    assert result.warnings[0].code == "duplicate-device"  # the importers' warnings first
    assert result.totals["short"] > 0
    twin = trueup.reconcile(SCCM / "csv/devices.csv", SCCM / "csv/installs.csv", SCCM / "entitlements.csv",
                            as_of=AS_OF)
    assert result.to_table() == twin.to_table()  # examples/sccm/csv: the same computers by hand
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        out = tmp_path / "cli.json"
        subprocess.run([cli, "reconcile", str(SCCM), "--inventory", f"sccm:{EXPORTS}", "--as-of", AS_OF,
                        "--format", "json", "-o", str(out)], check=True, capture_output=True)
        assert result.to_json() == out.read_text(encoding="utf-8")


def test_an_inventory_read_once_can_be_reconciled_with_tables_given_in_memory():
    inv = trueup.read_inventory(f"sccm:{EXPORTS}")
    entitlements = trueup._frames.pandas().read_csv(SCCM / "entitlements.csv", dtype=str, keep_default_na=False)
    result = trueup.reconcile(inventory=inv, entitlements=entitlements, as_of=AS_OF)
    assert result.to_table() == trueup.reconcile_dir(SCCM, inventory=inv, as_of=AS_OF).to_table()


def test_several_exports_of_one_computer_are_one_device(tmp_path):
    dump = tmp_path / "pc.wmi"
    dump.write_text("CreationClassName=Win32_Processor\nNumberOfCores=6\nSystemName=PC-0042\n", encoding="utf-8")
    inv = trueup.read_inventory(f"reg:{SAMPLES / 'reg/PC-0042.reg'}", f"wmi:{dump}")
    assert len(inv.devices) == 1
    assert inv.devices["cores"][0] == 6 and len(inv.installs) > 0


def test_the_edition_of_each_sql_server_instance_comes_from_its_version_output():
    inv = trueup.read_inventory("mssql", SAMPLES / "mssql")
    titles = dict(zip(inv.installs["install_id"], inv.installs["title"]))
    assert titles["SRV-DB01/mssql/MSSQLSERVER"] == (
        "Microsoft SQL Server 2019 Enterprise Edition: Core-based Licensing (64-bit)"
    )
    assert titles["SRV-DB01/mssql/SQLEXPRESS"].startswith("Microsoft SQL Server 2008 R2 Express Edition")
    assert sorted(inv.devices["device_id"]) == ["SRV-DB01", "srv-lnx01"]


def test_an_osquery_log_is_replayed_to_what_each_host_has_now():
    inv = trueup.read_inventory("osquery", SAMPLES / "osquery" / "osqueryd.results.log")
    titles = set(inv.installs["title"])
    assert "Microsoft Visio Professional 2016" in titles  # added after the snapshot
    assert not any(t.startswith("7-Zip") for t in titles)  # reported removed
    devices = inv.devices.set_index("device_id")
    assert devices.loc["SRV-SQL01", "kind"] == "vm" and devices.loc["SRV-SQL01", "processors"] == 2


def test_the_tables_of_lansweeper_become_the_fleets_tables():
    folder = SOURCE_DIR / "examples" / "lansweeper"
    inv = trueup.read_inventory("lansweeper", folder)
    devices = inv.devices.set_index("device_id")
    assert sorted(devices.index) == ["PC-0099", "PC-0101", "PC-0102", "SRV-SQL01", "VM-APP01"]
    assert devices.loc["SRV-SQL01", "kind"] == "server"
    assert devices.loc["SRV-SQL01", "processors"] == 2 and devices.loc["SRV-SQL01", "cores"] == 24
    assert devices.loc["VM-APP01", "kind"] == "vm"
    assert devices.loc["PC-0099", "status"] != "retired"  # non-active proves no disposal
    titles = dict(zip(inv.installs["install_id"], inv.installs["title"]))
    assert titles["PC-0101/lansweeper/store/18"] == "Microsoft.MicrosoftOfficeHub"
    assert titles["SRV-SQL01/lansweeper/os"] == "Microsoft Windows Server 2019 Standard"
    assert inv.sources[0]["rows"] == 18 and inv.sources[0]["skipped"] == 0
    assert trueup.read_inventory(f"lansweeper:{folder}").installs.equals(inv.installs)


def test_bad_exports_raise_input_error_naming_what_is_wrong(tmp_path):
    with pytest.raises(trueup.InputError) as e:
        trueup.read_inventory("ocs:exports/")
    assert str(e.value.problems[0]).startswith("inventory: error[bad-inventory]")
    with pytest.raises(trueup.InputError) as e:
        trueup.read_inventory(f"sccm:{tmp_path}")
    assert [p.code for p in e.value.problems] == ["missing-file"]
    with pytest.raises(TypeError):
        trueup.read_inventory()
    with pytest.raises(TypeError):
        trueup.reconcile(SCCM / "csv/devices.csv", SCCM / "csv/installs.csv", SCCM / "entitlements.csv",
                         inventory=f"sccm:{EXPORTS}")
    with pytest.raises(TypeError):
        trueup.reconcile(entitlements=SCCM / "entitlements.csv")


def test_the_module_reads_inventories_as_the_command_does():
    run = subprocess.run([sys.executable, "-m", "trueup", "validate", str(SCCM), "--inventory", f"sccm:{EXPORTS}"],
                         capture_output=True, text=True, env=os.environ)
    assert run.returncode == 0, run.stderr
    read = trueup.read_fleet(SCCM, inventory=f"sccm:{EXPORTS}")
    assert len(read.fleet.devices) == 10


# Facts no export holds (docs/formats.md): SQL Server Developer is free for development and test
# and licensed as Enterprise in production (licensing-rules SQL10); no export says which a server
# is, so it is stated over the imported devices, in a table or in DIR/devices.csv as the command
# reads it.
def _developer_server(tmp_path):
    folder = tmp_path / "glpi"
    folder.mkdir()
    (folder / "SRV-DEV.json").write_text(
        '{"deviceid":"SRV-DEV-2024","content":{"hardware":{"name":"SRV-DEV"},"cpus":[{"core":4}],'
        '"softwares":[{"name":"SQL Server 2019 Developer Edition","publisher":"Microsoft Corporation"}]}}',
        encoding="utf-8",
    )
    return trueup.read_inventory("glpi", folder)


def test_devices_given_with_an_inventory_state_facts_over_its_devices(tmp_path):
    inv = _developer_server(tmp_path)
    entitlements = [{"licence_id": "L-1", "family": "windows", "version": "10", "edition": "Pro",
                     "channel": "retail", "quantity": "1"}]
    alone = trueup.reconcile(inventory=inv, entitlements=entitlements, as_of=AS_OF)
    assert alone.verdicts["exclusion"].tolist() == ["needs-review"]
    stated = trueup.reconcile(inventory=inv, devices=[{"device_id": "srv-dev", "environment": "test"}],
                              entitlements=entitlements, as_of=AS_OF)
    assert stated.verdicts["exclusion"].tolist() == ["free-edition"]
    assert stated.verdicts["device_id"].tolist() == ["SRV-DEV"]  # the export's id, whatever the spelling


def test_a_mistake_in_the_stated_devices_is_reported_by_row_and_column(tmp_path):
    inv = _developer_server(tmp_path)
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(inventory=inv, devices=[{"device_id": "SRV-DEV", "environment": "staging"}],
                         entitlements=SCCM / "entitlements.csv", as_of=AS_OF)
    [problem] = e.value.problems
    assert (problem.code, problem.table, problem.row, problem.column) == ("bad-enum", "devices", 0, "environment")
    assert str(problem).startswith("devices, row 0: error[bad-enum]: column `environment`")


def test_a_fleet_directory_read_with_an_inventory_reads_its_devices_csv_as_the_command_does(tmp_path):
    inv = _developer_server(tmp_path)
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    (contracts / "entitlements.csv").write_text("licence_id,family,version,edition,channel,quantity\n",
                                                encoding="utf-8")
    (contracts / "devices.csv").write_text("device_id,environment\nSRV-DEV,production\nHV-9,\n", encoding="utf-8")
    (contracts / "installs.csv").write_text("install_id,device_id,title\n", encoding="utf-8")
    read = trueup.read_fleet(contracts, inventory=inv)
    assert [d.id for d in read.fleet.devices] == ["SRV-DEV", "HV-9"]
    result = trueup.reconcile_dir(contracts, inventory=inv, as_of=AS_OF)
    assert [w.code for w in result.warnings][:2] == ["not-read", "not-in-inventory"]
    cli = os.environ.get("TRUEUP_CLI")
    if cli:
        out = tmp_path / "cli.json"
        subprocess.run([cli, "reconcile", str(contracts), "--inventory", f"glpi:{tmp_path / 'glpi'}", "--as-of",
                        AS_OF, "--format", "json", "-o", str(out)], check=True, capture_output=True)
        assert result.to_json() == out.read_text(encoding="utf-8")


def test_stated_devices_in_a_file_with_semicolons_are_located_by_their_column_names(tmp_path):
    inv = _developer_server(tmp_path)
    overlay = tmp_path / "facts.csv"
    overlay.write_text("device_id;environment\nSRV-DEV;staging\n", encoding="utf-8")
    with pytest.raises(trueup.InputError) as e:
        trueup.reconcile(inventory=inv, devices=overlay, entitlements=SCCM / "entitlements.csv", as_of=AS_OF)
    [problem] = e.value.problems
    assert (problem.code, problem.row, problem.column) == ("bad-enum", 0, "environment")
    assert str(problem).startswith("facts.csv:2:9: error[bad-enum]")
