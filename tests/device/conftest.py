"""A simulated router for the session layer's tests (its own, so its faults are its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iosgen.model.targets import Target, read_targets_file
from iosgen.sim import RouterSpec, SimFleet

PASSWORD = "device-pw-4417"  # also in test_device_sim.py
ENABLE = "device-en-9051"


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    spec = RouterSpec("R-DEV", "netops", PASSWORD, enable_secret=ENABLE)
    with SimFleet([spec], state_dir=tmp_path_factory.mktemp("device-sim")) as fleet:
        yield fleet


@pytest.fixture
def target(sim: SimFleet) -> Target:
    sim.set_faults("R-DEV", [])
    sim.router("R-DEV").reset()
    return read_targets_file(sim.targets_file)["r-dev"]


@pytest.fixture
def known(tmp_path: Path) -> Path:
    return tmp_path / "known_hosts"
