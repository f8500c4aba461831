"""The example inventory ready to migrate: a copy with R-SOFIA answering IPsec
(`ipsec_server`, the dynamic key of the DHCP branches) and a key per static branch."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from migpaths import INVENTORY

from iosgen.model.secret import read_env_file
from iosgen.sim import RouterSpec, SimFleet

# the branches of the example inventory that dial R-SOFIA, and their tunnel to it
BRANCHES = ("R-ITD", "R-VARNA", "R-RUSE", "R-SHUMEN")
TUNNEL = "sofia"
KEYS = {
    "IOSGEN_SOFIA_DYNAMIC_PSK": "dynamic-demo-key-42",
    "IOSGEN_R_ITD_SOFIA_PSK": "itd-ipsec-demo-key",
    "IOSGEN_R_RUSE_SOFIA_PSK": "ruse-ipsec-demo-key",
    "IOSGEN_R_VARNA_SOFIA_PSK": "varna-ipsec-demo-key",
    "IOSGEN_R_SHUMEN_SOFIA_PSK": "shumen-ipsec-demo-key",
}
IPSEC_SERVER = """
ipsec_server:
  from_branches: true
  dynamic_key: ${IOSGEN_SOFIA_DYNAMIC_PSK}
"""


def copy_inventory(dest: Path) -> Path:
    """The example inventory under `dest`, R-SOFIA given an ipsec_server if it has none."""
    shutil.copytree(INVENTORY, dest, ignore=shutil.ignore_patterns("secrets.yaml"))
    sofia = dest / "sites" / "sofia.yaml"
    text = sofia.read_text(encoding="utf-8")
    if "ipsec_server:" not in text:
        sofia.write_text(text + IPSEC_SERVER, encoding="utf-8")
    return dest


# The simulator gives no DHCP lease (docs/simulator.md), so in its inventory the two
# DHCP branches get a fixed WAN address (then R-SOFIA keys them by address, not by its
# dynamic key); and R-VARNA's second head office, Bourgas, exists, so that every
# check of `iosgen verify` can pass.
STATIC_WANS = {
    "plovdiv.yaml": (
        "    ipv4: dhcp\n    dhcp_client_id: test\n",
        "    ipv4: 198.51.100.10/29\n    gateway: 198.51.100.9\n",
    ),
    "ruse.yaml": ("    ipv4: dhcp\n", "    ipv4: 198.51.100.30/29\n    gateway: 198.51.100.25\n"),
}
BOURGAS = """\
# R-VARNA's second head office (test only): the PPTP server its `bourgas` tunnel dials.
hostname: R-BOURGAS
management:
  host: 192.0.2.50
  username: netops
  password: netops-bourgas
interfaces:
  FastEthernet0/0: {role: wan, ipv4: 192.0.2.50/24, gateway: 192.0.2.1}
  FastEthernet0/1: {role: lan, ipv4: 10.30.0.1/16}
internet_nat: true
pptp_server:
  pool: [10.30.255.1, 10.30.255.20]
  users:
    varna-bg: ${IOSGEN_VARNA_BOURGAS_CHAP}
"""


def sim_inventory(dest: Path) -> Path:
    """The example inventory as the simulator can run it (see STATIC_WANS)."""
    root = copy_inventory(dest)
    for name, (old, new) in STATIC_WANS.items():
        path = root / "sites" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, name
        path.write_text(text.replace(old, new), encoding="utf-8")
    (root / "sites" / "bourgas.yaml").write_text(BOURGAS, encoding="utf-8")
    return root


def router_specs(root: Path) -> list[RouterSpec]:
    """One simulated router per IOS site, running its build (the PPTP tunnels up)."""
    from iosgen.build import build_site
    from iosgen.model.inventory import load_inventory
    from iosgen.model.platform import Platform

    out = []
    for site in load_inventory(root).sites:
        if site.platform is not Platform.IOS:
            continue
        m, hw = site.management, site.hardware
        out.append(
            RouterSpec(
                site.hostname,
                m.username,
                m.password.reveal(),
                m.enable_secret.reveal() if m.enable_secret else None,
                initial_config=build_site(site).files[0].content,
                model=hw.model,
                image=hw.image,
                feature_set=hw.feature_set,
            )
        )
    return out


@contextmanager
def environment() -> Iterator[None]:
    """The demo secrets and the IPsec keys in the environment for a module-scoped fixture
    (the autouse fixtures that set them are per test); restored after."""
    values = {**read_env_file(INVENTORY / "example.env"), **KEYS}
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def sim_world(factory: Any, name: str) -> Iterator[tuple[Path, SimFleet]]:
    """For a module-scoped fixture: the simulator's inventory (`sim_inventory`) and its
    routers running, with the demo secrets and keys in the environment."""
    with environment():
        root = sim_inventory(factory.mktemp(f"{name}-inv") / "inventory")
        with SimFleet(router_specs(root), state_dir=factory.mktemp(f"{name}-sim")) as fleet:
            yield root, fleet
