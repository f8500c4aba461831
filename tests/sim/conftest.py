"""Fixtures for the simulator tests: a fleet on loopback and netmiko sessions to it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sim_helpers import connect

from iosgen.sim import RouterSpec, SimFleet


@pytest.fixture(scope="session")
def state_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One state folder for the whole run: host keys are generated once."""
    return tmp_path_factory.mktemp("sim-state")


@pytest.fixture(scope="module")
def fleet(state_dir: Path) -> Iterator[SimFleet]:
    specs = [
        RouterSpec("R1", "netops", "pw"),
        RouterSpec("R2", "netops", "pw", enable_secret="en"),
    ]
    with SimFleet(specs, state_dir=state_dir / "module") as f:
        yield f


@pytest.fixture
def r1(fleet: SimFleet) -> Iterator[Any]:
    """A netmiko session to a freshly reset bare router R1 (privilege 15 at login)."""
    fleet.router("R1").reset()
    conn = connect(fleet, "R1")
    yield conn
    conn.disconnect()
