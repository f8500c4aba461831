"""Linux platform fixtures: sites from YAML, their built trees, and the real tools.

The tools (pppd, shellcheck, iptables, ip, unshare, systemd-analyze, sysctl)
come from the Debian packages in `.ci/apt-linux.txt`; a missing one fails the
test that needs it, naming the package, so that CI cannot pass without them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from iosgen.build import Build, build_site, write_build
from iosgen.model.inventory import load_files, load_resolver
from iosgen.model.site import Site
from tests.conftest import INVENTORY

# The example Linux sites wait here, not in inventory/sites/, until the loader
# accepts a linux-pppd site under inventory/defaults.yaml: its `aaa` and
# `archive` keys are IOS-only, and one rejected site fails every inventory load.
SITES = INVENTORY / "sites"
LINUX_SITE_FILES = {
    "plovdiv-gw": SITES / "plovdiv-linux.yaml",
    "gabrovo-gw": SITES / "gabrovo-linux.yaml",
}

# Debian package of each tool the tests run.
TOOL_PACKAGES = {
    "pppd": "ppp",
    "pptp": "pptp-linux",
    "shellcheck": "shellcheck",
    "iptables": "iptables",
    "iptables-restore": "iptables",
    "iptables-save": "iptables",
    "ip": "iproute2",
    "unshare": "util-linux",
    "sysctl": "procps",
    "systemd-analyze": "systemd",
}

# Extra variants: every MPPE mode, a tunnel without NAT or routes, no Internet NAT,
# no tunnel at all, a secret that needs quoting.
VARIANTS: dict[str, str] = {
    "mppe-none-no-nat": """
hostname: lx-none
platform: linux-pppd
management: {host: 192.0.2.1, username: root, password: x}
interfaces:
  eth0: {role: wan, ipv4: dhcp}
  eth1: {role: lan, ipv4: 192.168.50.1/24}
pptp_clients:
  hq:
    server: 192.0.2.10
    dialer: 0
    chap_hostname: lx
    chap_password: 'a "quoted" pass#word \\ with spaces'
    mppe: none
    remote_networks: [10.50.0.0/16]
    nat: false
  empty:
    server: 192.0.2.11
    dialer: 7
    chap_hostname: lx2
    chap_password: plain
    mppe: 40
    nat: false
""",
    "no-tunnel": """
hostname: lx-plain
platform: linux-pppd
management: {host: 192.0.2.2, username: root, password: x}
interfaces:
  wan0: {role: wan, ipv4: 198.51.100.2/24, gateway: 198.51.100.1}
  lan0: {role: lan, ipv4: 10.1.0.1/16}
internet_nat: true
""",
}


def require(*tools: str) -> None:
    """Fail (never skip) when a tool is missing: CI installs them from .ci/apt-linux.txt."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        packages = sorted({TOOL_PACKAGES.get(t, t) for t in missing})
        pytest.fail(
            f"missing {', '.join(missing)}: apt-get install {' '.join(packages)} "
            "(listed in .ci/apt-linux.txt)"
        )


def run(args: Sequence[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def load_linux_site(path: Path, tmp_path: Path) -> Site:
    """An example site through the real loader, merged over the inventory's defaults and groups."""
    del tmp_path  # kept for the callers' signature
    return load_files([path], load_resolver(None), INVENTORY).sites[0]


def site_from_yaml(text: str, tmp_path: Path) -> Site:
    path = tmp_path / "site.yaml"
    path.write_text(text)
    return load_files([path], load_resolver(None)).sites[0]


def all_sites(tmp_path: Path) -> dict[str, Site]:
    sites = {name: load_linux_site(path, tmp_path) for name, path in LINUX_SITE_FILES.items()}
    for name, text in VARIANTS.items():
        folder = tmp_path / name
        folder.mkdir()
        sites[name] = site_from_yaml(text, folder)
    return sites


SITE_NAMES = [*LINUX_SITE_FILES, *VARIANTS]


@pytest.fixture
def linux_site(request: pytest.FixtureRequest, tmp_path: Path) -> Site:
    """The site named by the test's parameter (`SITE_NAMES`)."""
    name = str(request.param)
    if name in LINUX_SITE_FILES:
        return load_linux_site(LINUX_SITE_FILES[name], tmp_path)
    return site_from_yaml(VARIANTS[name], tmp_path)


@pytest.fixture
def built_tree(linux_site: Site, tmp_path: Path) -> tuple[Build, Path]:
    """The site's build, written under tmp_path/root as `iosgen build -o` writes it."""
    build = build_site(linux_site)
    root = tmp_path / "root"
    write_build(build, root)
    return build, root
