"""The compiled head office on the simulator, over real SSH: R-SOFIA's build starts a
simulated router with no line refused, and `show running-config` read back through
netmiko audits in sync with it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iosgen.build import build_site
from iosgen.device.session import Device, DeviceOptions
from iosgen.diff.audit import audit_text, secret_book
from iosgen.model.inventory import load_files, site_files
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site
from iosgen.model.targets import resolve_targets
from tests.conftest import INVENTORY, example_env


@pytest.fixture(scope="module")
def sofia() -> tuple[Site, str]:
    # module scope: the demo secrets from the file, not the per-test environment
    resolver = SecretResolver(environ=example_env())
    site = load_files(site_files(INVENTORY), resolver, INVENTORY).find("R-SOFIA")
    built = build_site(site).single
    assert built is not None
    return site, built.content


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory, sofia: tuple[Site, str]) -> Iterator[object]:
    from iosgen.sim import RouterSpec, SimFleet

    site, config = sofia
    mgmt = site.management
    specs = [
        RouterSpec(
            hostname=site.hostname,
            username=mgmt.username,
            password=mgmt.password.reveal(),
            enable_secret=mgmt.enable_secret.reveal() if mgmt.enable_secret else None,
            initial_config=config,
        ),
    ]
    with SimFleet(specs, state_dir=tmp_path_factory.mktemp("sim")) as fleet:
        yield fleet


def _device(sim: object, site: Site) -> Device:
    targets_file: Path = sim.targets_file  # type: ignore[attr-defined]
    return Device(
        resolve_targets([site], targets_file)[site.hostname], DeviceOptions(known_hosts=None)
    )


def test_the_head_office_build_loads_and_audits_in_sync(
    sim: object, sofia: tuple[Site, str]
) -> None:
    site, config = sofia
    router = sim.router(site.hostname)  # type: ignore[attr-defined]
    assert router.set_running(config) == []  # every line accepted
    with _device(sim, site) as dev:
        running = dev.running_config()
    assert "username gabrovo privilege 0 password 7 " in running
    assert "ip local pool PPTP-POOL 10.10.255.1 10.10.255.5" in running
    result = audit_text(site.hostname, config, running, secret_book(site))
    assert result.status == "in_sync", result.drift.as_dict()
