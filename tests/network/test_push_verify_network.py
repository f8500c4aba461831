"""`iosgen push --verify-network`: after the config verify, the network checks of
`iosgen verify` must pass, or the push rolls back like any other failure."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from netkit import SECRET, specs, write_inventory

from iosgen.cli import app
from iosgen.device.session import DeviceOptions
from iosgen.ios.config import same_config
from iosgen.model.inventory import load_inventory
from iosgen.model.targets import resolve_targets
from iosgen.push import PushOptions, push_host
from iosgen.push.outcome import Final, Status
from iosgen.sim import SimFleet


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inventory(tmp_path_factory.mktemp("pushnet-inv"), branches=1)


@pytest.fixture(scope="module")
def fleet(inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    with SimFleet(specs(inventory), state_dir=tmp_path_factory.mktemp("pushnet-sim")) as f:
        yield f


def _drift_branch(fleet: SimFleet) -> str:
    """BR0 drifted by one line, so a push has something to send; returns its old config."""
    for host in ("HQ", "BR0"):
        fleet.router(host).reset()
    router = fleet.router("BR0")
    running = router.running_config()
    drifted = running.replace(
        "interface FastEthernet0/1\n", "interface FastEthernet0/1\n description drifted\n", 1
    )
    router.set_running(drifted)
    return drifted


def test_push_with_the_network_up_stays(fleet: SimFleet, inventory: Path, tmp_path: Path) -> None:
    _drift_branch(fleet)
    result = CliRunner().invoke(
        app,
        [
            "push", "--host", "BR0", "--yes", "--verify-network",
            "--inventory", str(inventory), "--targets", str(fleet.targets_file),
            "--known-hosts", str(tmp_path / "kh"), "--accept-new-host-key",
            "--history", str(tmp_path / "history"), "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"pushed"' in result.stdout and "network verified" in result.stdout
    assert SECRET not in result.output
    assert "description drifted" not in fleet.router("BR0").running_config()


def test_push_rolls_back_when_the_tunnel_does_not_come_up(
    fleet: SimFleet, inventory: Path, tmp_path: Path
) -> None:
    drifted = _drift_branch(fleet)
    hq = fleet.router("HQ")
    # the head office no longer knows the branch's CHAP user: the tunnel cannot come up
    hq.set_running(
        "".join(x for x in hq.running_config().splitlines(True) if "username br0 " not in x)
    )
    inv = load_inventory(inventory)
    site = inv.find("BR0")
    target = resolve_targets([site], fleet.targets_file)["BR0"]
    options = PushOptions(
        device=DeviceOptions(known_hosts=tmp_path / "kh", accept_new_host_key=True),
        history_dir=tmp_path / "history",
        lock_dir=None,
        verify_network=True,
        network_fleet=tuple(inv.sites),
        network_wait_seconds=0,
    )
    outcome = push_host(site, target, replace(options))
    assert outcome.status is Status.ROLLED_BACK, outcome
    assert outcome.final is Final.OLD
    assert "the network check failed: session hq: CHAP refused" in outcome.message
    # the router runs what it ran before the push, the drifted line included
    assert "description drifted" in fleet.router("BR0").running_config()
    assert same_config(fleet.router("BR0").running_config(), drifted)
