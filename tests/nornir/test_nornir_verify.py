"""`iosgen_verify` under real Nornir (threaded runner) against simulated routers: a head
office and two branches built by iosgen; a broken tunnel fails its hosts with the
reason, an unreachable router fails with iosgen's message."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import AggregatedResult, Result

from iosgen.device.session import DeviceOptions
from iosgen.network.verify import HostReport
from iosgen.nornir.tasks import iosgen_verify
from iosgen.sim import SimFleet
from tests.linux_box.conftest import free_port
from tests.network.netkit import SECRET, specs, write_inventory

HOSTS = ["BR0", "BR1", "HQ"]


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inventory(tmp_path_factory.mktemp("nornir-verify-inv"), branches=2)


@pytest.fixture(scope="module")
def fleet(inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    state = tmp_path_factory.mktemp("nornir-verify-sim")
    with SimFleet(specs(inventory), state_dir=state) as running:
        yield running


@pytest.fixture
def routers(fleet: SimFleet) -> SimFleet:
    for host in HOSTS:
        fleet.router(host).reset()
    return fleet


def nornir_on(inventory: Path, targets: Path) -> Nornir:
    return InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 3}},
        inventory={
            "plugin": "IosgenInventory",
            "options": {"inventory": str(inventory), "targets": str(targets)},
        },
        logging={"enabled": False},
    )


def run(nr: Nornir, tmp_path: Path) -> dict[str, Result]:
    device = DeviceOptions(known_hosts=tmp_path / "known_hosts", read_timeout=30.0)
    results: AggregatedResult = nr.run(task=iosgen_verify, device=device)
    return {host: multi[0] for host, multi in results.items()}


def test_working_tunnels_pass(routers: SimFleet, inventory: Path, tmp_path: Path) -> None:
    results = run(nornir_on(inventory, Path(routers.targets_file)), tmp_path)
    assert sorted(results) == HOSTS
    for host, result in results.items():
        assert not result.failed, (host, result.result)
        assert not result.changed
        assert isinstance(result.result, HostReport) and result.report is result.result
    assert results["BR0"].result.tunnels == {"hq": "up"}
    checks = {c.check for c in results["BR1"].result.checks}
    assert checks == {"session", "routes", "reach", "pat"}


def test_a_tunnel_down_fails_its_branches_with_the_reason(
    routers: SimFleet, inventory: Path, tmp_path: Path
) -> None:
    hq = routers.router("HQ")
    weaker = hq.running_config().replace("ppp encrypt mppe auto", "ppp encrypt mppe 40")
    assert hq.set_running(weaker) == []
    results = run(nornir_on(inventory, Path(routers.targets_file)), tmp_path)
    for branch in ("BR0", "BR1"):
        result = results[branch]
        assert result.failed
        assert result.result.tunnels == {"hq": "down"}
        reasons = [c.reason or "" for c in result.result.checks if not c.ok]
        assert any("MPPE mismatch" in r for r in reasons), reasons
    assert not results["HQ"].failed
    assert all(SECRET not in str(r.result) for r in results.values())


def test_an_unreachable_router_fails_with_iosgen_s_message(
    routers: SimFleet, inventory: Path, tmp_path: Path
) -> None:
    text = Path(routers.targets_file).read_text()
    port = routers.targets["BR1"].port
    closed = free_port()
    broken = tmp_path / "targets.yaml"
    broken.write_text(text.replace(f"port: {port}\n", f"port: {closed}\n"))
    results = run(nornir_on(inventory, broken), tmp_path)
    br1 = results["BR1"]
    assert br1.failed
    assert br1.result == f"BR1: unreachable at 127.0.0.1:{closed}: " + (
        "connection refused (nothing listens on that port)"
    )
    assert br1.report.unreachable == br1.result
    assert not results["BR0"].failed
