"""Fixtures for the audit tests: the example IOS sites, their intended builds, a simulator."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from iosgen.build.ios import render
from iosgen.model.inventory import load_files, site_files
from iosgen.model.secret import SecretResolver, read_env_file
from iosgen.model.site import Site

ROOT = Path(__file__).resolve().parents[2]
IOS_SITE_FILES = ("plovdiv.yaml", "ruse.yaml", "varna.yaml")


def demo_env() -> dict[str, str]:
    return read_env_file(ROOT / "inventory" / "example.env")


@pytest.fixture(scope="session")
def inventory_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example inventory's IOS sites (defaults, groups, three sites) in a folder of its own."""
    root = tmp_path_factory.mktemp("inventory")
    src = ROOT / "inventory"
    shutil.copy(src / "defaults.yaml", root / "defaults.yaml")
    shutil.copytree(src / "groups", root / "groups")
    (root / "sites").mkdir()
    for name in IOS_SITE_FILES:
        shutil.copy(src / "sites" / name, root / "sites" / name)
    return root


@pytest.fixture(scope="session")
def sites(inventory_dir: Path) -> dict[str, Site]:
    inv = load_files(site_files(inventory_dir), SecretResolver(environ=demo_env()), inventory_dir)
    return {s.hostname: s for s in inv.sites}


@pytest.fixture(scope="session")
def intended(sites: dict[str, Site]) -> dict[str, str]:
    return {name: render(site).text for name, site in sites.items()}


@pytest.fixture(scope="session")
def sim(
    tmp_path_factory: pytest.TempPathFactory, sites: dict[str, Site], intended: dict[str, str]
) -> Iterator[object]:
    """One simulated router per example site, each starting at its intended config."""
    from iosgen.sim import RouterSpec, SimFleet

    specs = []
    for name, site in sites.items():
        mgmt = site.management
        specs.append(
            RouterSpec(
                hostname=name,
                username=mgmt.username,
                password=mgmt.password.reveal(),
                enable_secret=mgmt.enable_secret.reveal() if mgmt.enable_secret else None,
                initial_config=intended[name],
            )
        )
    with SimFleet(specs, state_dir=tmp_path_factory.mktemp("sim")) as fleet:
        yield fleet
