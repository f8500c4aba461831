"""Fixtures for push tests: the example R-ITD site and a simulated R-ITD over real SSH."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from pushkit import ENV, SITE_FILE, Bench, spec

from iosgen.device.session import DeviceOptions
from iosgen.model.inventory import load_files, load_resolver
from iosgen.model.site import Site
from iosgen.model.targets import read_targets_file
from iosgen.push import PushOptions
from iosgen.sim import SimFleet


@pytest.fixture(autouse=True)
def _example_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def itd(_example_env: None) -> Site:
    return load_files([SITE_FILE], load_resolver(None)).sites[0]


@pytest.fixture(scope="session")
def sim_state(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("push-sim")


@pytest.fixture(scope="module")
def fleet(sim_state: Path, request: pytest.FixtureRequest) -> Iterator[SimFleet]:
    state = sim_state / request.module.__name__
    with SimFleet([spec()], state_dir=state) as f:
        yield f


@pytest.fixture
def bench(fleet: SimFleet, tmp_path: Path) -> Bench:
    """R-ITD back to bare, no faults, a fresh known-hosts file and history folder."""
    fleet.set_faults("R-ITD", [])
    fleet.router("R-ITD").reset()
    target = read_targets_file(fleet.targets_file)["r-itd"]
    options = PushOptions(
        device=DeviceOptions(known_hosts=tmp_path / "known_hosts", read_timeout=10.0),
        history_dir=tmp_path / "history",
        lock_dir=tmp_path / "locks",
        reconnect_delays=(0.05, 0.1),  # the simulator frees its vty at once
    )
    return Bench(fleet, target, options, tmp_path)
