"""IosgenInventory under real Nornir: hosts, groups and defaults from iosgen's inventory,
and one clear error for each bad option or a host without a site."""

from __future__ import annotations

from pathlib import Path

import pytest
from nornir.core import Nornir
from nornir.core.inventory import Host, Hosts, Inventory
from nornir.plugins.runners import ThreadedRunner
from nornirkit import INVENTORY, nornir_on

from iosgen.errors import InputError, UsageError
from iosgen.model.site import Site
from iosgen.model.targets import read_targets_file
from iosgen.nornir import iosgen_audit, iosgen_build, iosgen_push
from iosgen.sim import SimFleet

IOS_HOSTS = ["R-ITD", "R-RUSE", "R-SHUMEN", "R-SOFIA", "R-VARNA"]
LINUX_HOSTS = ["gabrovo-gw", "plovdiv-gw"]


def test_every_site_is_a_host_with_its_management_address() -> None:
    nr = nornir_on(None)
    assert sorted(nr.inventory.hosts) == sorted(IOS_HOSTS + LINUX_HOSTS)
    itd = nr.inventory.hosts["R-ITD"]
    # inventory/sites/plovdiv.yaml's management block, and the secret resolved
    assert (itd.hostname, itd.port, itd.username) == ("198.51.100.10", 22, "netops")
    assert itd.password == "netops-demo"  # inventory/example.env
    assert itd.platform == "cisco_ios"
    assert nr.inventory.hosts["plovdiv-gw"].platform == "linux"
    site = itd.data["site"]
    assert isinstance(site, Site) and site.hostname == "R-ITD"
    assert itd.data["file"] == INVENTORY / "sites" / "plovdiv.yaml"
    # the enable secret where nornir_netmiko looks for it
    assert itd.get_connection_parameters("netmiko").extras == {"secret": "enable-demo"}


def test_groups_and_defaults_are_nornirs() -> None:
    nr = nornir_on(None)
    assert list(nr.inventory.groups) == ["branch"]
    itd = nr.inventory.hosts["R-ITD"]
    assert [g.name for g in itd.groups] == ["branch"]
    # groups/branch.yaml and defaults.yaml, inherited the Nornir way
    assert itd["domain_name"] == "branch.example"
    assert itd["archive"] == {"enabled": True, "maximum": 10}
    assert nr.inventory.defaults.data["ssh"] == {"version": 2, "vty_transport": "ssh"}
    # every site but the head office, R-SOFIA, is in the branch group
    branches = [h for h in IOS_HOSTS + LINUX_HOSTS if h != "R-SOFIA"]
    assert sorted(h.name for h in nr.inventory.children_of_group("branch")) == sorted(branches)
    assert sorted(nr.filter(platform="cisco_ios").inventory.hosts) == IOS_HOSTS


def test_targets_file_gives_the_address(routers: SimFleet) -> None:
    nr = nornir_on(routers.targets_file)
    entries = read_targets_file(routers.targets_file)
    for name in IOS_HOSTS:
        host = nr.inventory.hosts[name]
        entry = entries[name.lower()]
        assert (host.hostname, host.port) == ("127.0.0.1", entry.port)
        assert host.data["target"] == entry
    # the simulator serves IOS sites only: a Linux box gets no address, never the
    # inventory's (production) one
    gw = nr.inventory.hosts["plovdiv-gw"]
    assert gw.hostname is None and gw.data["target"] is None


def test_a_linux_box_fails_live_tasks_clearly(routers: SimFleet) -> None:
    nr = nornir_on(routers.targets_file).filter(name="plovdiv-gw")
    result = nr.run(task=iosgen_audit)["plovdiv-gw"][0]
    assert result.failed
    assert result.result == (
        "plovdiv-gw: platform linux: iosgen audit drives IOS 12.4 routers only "
        "(iosgen_build builds this site's files)"
    )
    assert not nr.run(task=iosgen_build).failed


def test_an_ios_host_the_targets_file_lacks_is_never_reached(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "R-ITD: {host: 127.0.0.1, port: 2201, username: netops, password: x}\n", encoding="utf-8"
    )
    nr = nornir_on(targets).filter(name="R-RUSE")
    assert nr.inventory.hosts["R-RUSE"].hostname is None
    result = nr.run(task=iosgen_push, dry_run=True)["R-RUSE"][0]
    assert result.failed
    assert result.result == "R-RUSE: the inventory's targets file has no entry for this host"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"inventory": str(INVENTORY), "inventry": "x"},
            "IosgenInventory: unknown option 'inventry'",
        ),
        (
            {"inventory": 7},
            "IosgenInventory: option 'inventory' must be a path (a string), not int",
        ),
        (
            {"inventory": "/nonexistent/inv"},
            "IosgenInventory: no inventory folder /nonexistent/inv",
        ),
        (
            {"inventory": str(INVENTORY), "targets": "/nonexistent/t.yaml"},
            "IosgenInventory: no targets file /nonexistent/t.yaml",
        ),
    ],
    ids=["unknown-option", "not-a-path", "no-folder", "no-targets-file"],
)
def test_bad_option_is_one_clear_error(options: dict[str, object], message: str) -> None:
    from nornir import InitNornir

    with pytest.raises(UsageError) as caught:
        InitNornir(
            inventory={"plugin": "IosgenInventory", "options": options}, logging={"enabled": False}
        )
    assert caught.value.message == message


def test_target_without_a_site_is_a_located_error(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "R-ITD: {host: 127.0.0.1, port: 2201, username: netops, password: x}\n"
        "R-GHOST: {host: 127.0.0.1, port: 2202, username: netops, password: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        nornir_on(targets)
    assert [p.render() for p in caught.value.problems] == [
        f"{targets}:2:1: R-GHOST: no site has this hostname "
        "(sites: gabrovo-gw, plovdiv-gw, R-ITD, R-RUSE, R-SHUMEN, R-SOFIA, R-VARNA)"
    ]


def test_bad_site_file_is_the_inventory_error(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "r1.yaml").write_text(
        "hostname: R1\nmanagement: {host: 10.0.0.1, username: netops, password: pw}\n"
        "interfaces:\n  FastEthernet0/0: {role: wan, ipv4: dhcp, descripton: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        _init(tmp_path)
    assert any("unknown key 'descripton'" in p.render() for p in caught.value.problems)
    assert all(":4:" in p.render() for p in caught.value.problems)


def _init(inventory: Path) -> Nornir:
    from nornir import InitNornir

    return InitNornir(
        inventory={"plugin": "IosgenInventory", "options": {"inventory": str(inventory)}},
        logging={"enabled": False},
    )


def test_a_host_without_a_site_fails_clearly() -> None:
    """A host from another inventory plugin: every task says so, no traceback."""
    inventory = Inventory(hosts=Hosts({"sw1": Host("sw1", hostname="192.0.2.1")}))
    nr = Nornir(inventory=inventory, runner=ThreadedRunner(num_workers=2))
    for task in (iosgen_build, iosgen_audit, iosgen_push):
        result = nr.run(task=task, on_failed=True)["sw1"][0]
        assert result.failed
        assert result.result == (
            "sw1: no iosgen site in host.data['site']: load the inventory with the "
            "IosgenInventory plugin"
        )
        assert "Traceback" not in str(result)


def test_entry_point_registers_the_plugin_and_loads_nothing_heavy() -> None:
    """Nornir imports every registered inventory plugin on each InitNornir: ours must
    cost a SimpleInventory user nothing (no iosgen model, pydantic, netmiko or YAML)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nornir.core.plugins.inventory import InventoryPluginRegister as R\n"
        "R.auto_register()\n"
        "print(R.get_plugin('IosgenInventory').__module__)\n"
        "heavy = ('iosgen.model', 'iosgen.nornir.tasks', 'pydantic', 'netmiko', 'yaml')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ["iosgen.nornir.inventory", "[]"]


def test_without_nornir_the_import_names_the_extra() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "sys.modules['nornir'] = None  # as if the extra were not installed\n"
        "try:\n"
        "    import iosgen.nornir\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == (
        "iosgen.nornir needs Nornir, iosgen's optional extra: pip install 'iosgen[nornir]'\n"
    )
