"""Fixtures for the Nornir tests: every IOS site of the example inventory as a simulated
router over real SSH (bare, as `iosgen sim` starts them), and the options a push takes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from nornir.core import Nornir
from nornirkit import ENV, nornir_on, router_specs

from iosgen.device.session import DeviceOptions
from iosgen.push import PushOptions
from iosgen.sim import SimFleet


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    mp = pytest.MonkeyPatch()  # the secrets the sites' specs are read with
    for key, value in ENV.items():
        mp.setenv(key, value)
    try:
        state = tmp_path_factory.mktemp("nornir-sim")
        with SimFleet(router_specs(), state_dir=state) as running:
            yield running
    finally:
        mp.undo()


@pytest.fixture
def routers(fleet: SimFleet) -> SimFleet:
    """Every simulated router back to bare, without faults."""
    fleet.set_faults("*", [])
    for name in fleet.targets:
        fleet.router(name).reset()
    return fleet


@pytest.fixture
def nr(routers: SimFleet) -> Nornir:
    """Nornir over the example inventory, the simulated routers as its targets."""
    return nornir_on(routers.targets_file)


@pytest.fixture
def push_options(tmp_path: Path) -> PushOptions:
    return PushOptions(
        device=DeviceOptions(known_hosts=tmp_path / "known_hosts", read_timeout=30.0),
        history_dir=tmp_path / "history",
        lock_dir=tmp_path / "locks",
        reconnect_delays=(0.05, 0.1),  # the simulator frees its vty at once
    )
