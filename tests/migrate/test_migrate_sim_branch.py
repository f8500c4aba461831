"""The branch's side of steps 1 and 2 on the simulator, against a head office whose
IPsec peer is typed by hand (the lines of the IPsec contract): the safe push with the
network verified inside it brings the SA up (step 1), moves the routes onto the tunnel
(step 2, the route negated before it is typed with its new distance), and a wrong key
at the head office rolls step 1 back with PPTP up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from migkit import KEYS, TUNNEL, environment, router_specs, sim_inventory
from simkit import drift, failed, options, verify

from iosgen.migrate import MigrateRequest, Migration, prepare
from iosgen.model.inventory import load_inventory, load_resolver
from iosgen.model.targets import Target, resolve_targets
from iosgen.push import PushOptions, PushOutcome, Status, push_host
from iosgen.sim import SimFleet

pytestmark = [
    pytest.mark.timeout(300),
]
SHUMEN_WAN = "198.51.100.42"
# R-SOFIA's side of R-SHUMEN's tunnel, as the contract writes it (ipsec-contract.md)
PEER = """\
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 5
crypto isakmp key {key} address 198.51.100.42
crypto isakmp keepalive 10 3
!
crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac
!
crypto ipsec profile IOSGEN-SHUMEN
 set transform-set IOSGEN-AES256-SHA
 set pfs group5
!
interface Tunnel100
 ip unnumbered FastEthernet0/1
 tunnel source FastEthernet0/0
 tunnel destination 198.51.100.42
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile IOSGEN-SHUMEN
!
"""

World = tuple[Migration, SimFleet, dict[str, Target]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with environment():
        root = sim_inventory(tmp_path_factory.mktemp("branch-inv") / "inventory")
        inv = load_inventory(root)
        resolver = load_resolver(None, inventory=root)
        state_dir = tmp_path_factory.mktemp("branch-state")
        migration = prepare(inv, MigrateRequest("R-SHUMEN", TUNNEL), resolver, state_dir)
        with SimFleet(router_specs(root), state_dir=tmp_path_factory.mktemp("branch-sim")) as f:
            ios = [s for s in inv.sites if s.platform == "ios"]
            yield migration, f, resolve_targets(ios, f.targets_file)


def _hand_typed_peer(fleet: SimFleet, key: str) -> None:
    hq = fleet.router("R-SOFIA")
    hq.reset()
    running = hq.running_config()
    at = running.index("interface FastEthernet0/0")
    hq.set_running(running[:at] + PEER.format(key=key) + running[at:])


def _push(world: World, step: int, tmp: Path, wait: float = 20) -> PushOutcome:
    migration, _, targets = world
    fleet = migration.fleet(step)
    branch = migration.find(fleet, "R-SHUMEN")
    opts = PushOptions(
        device=options(tmp),
        history_dir=None,
        lock_dir=None,
        reconnect_delays=(0.05, 0.1),
        verify_network=True,
        network_fleet=fleet,
        network_wait_seconds=wait,
    )
    return push_host(branch, targets["R-SHUMEN"], opts)


def test_steps_1_and_2_on_the_branch(world: World, tmp_path: Path) -> None:
    migration, fleet, targets = world
    fleet.router("R-SHUMEN").reset()
    _hand_typed_peer(fleet, KEYS["IOSGEN_R_SHUMEN_SOFIA_PSK"])
    for step in (1, 2):
        outcome = _push(world, step, tmp_path)
        assert outcome.status is Status.PUSHED, outcome.message
        assert "network verified" in " ".join(outcome.notes)
        branch = migration.find(migration.fleet(step), "R-SHUMEN")
        assert drift(branch, targets["R-SHUMEN"], tmp_path) == []
        report = verify(branch, targets["R-SHUMEN"], migration.fleet(step), tmp_path)
        assert report.ok, failed(report)
        assert report.tunnels == {"sofia": "up", "sofia-ipsec": "up"}
        routed = {c.tunnel for c in report.checks if c.check == "routes"}
        assert routed == ({"sofia"} if step == 1 else {"sofia-ipsec"})
    for value in KEYS.values():
        assert value not in repr(outcome)


def test_a_wrong_key_at_the_head_office_rolls_step_1_back(world: World, tmp_path: Path) -> None:
    migration, fleet, targets = world
    fleet.router("R-SHUMEN").reset()
    _hand_typed_peer(fleet, "not-the-key")
    outcome = _push(world, 1, tmp_path, wait=6)
    assert outcome.status is Status.ROLLED_BACK
    assert re.search(r"session sofia-ipsec: pre-shared key mismatch", outcome.message), outcome
    step0 = migration.find(migration.fleet(0), "R-SHUMEN")
    assert drift(step0, targets["R-SHUMEN"], tmp_path) == []
    assert "crypto" not in fleet.router("R-SHUMEN").running_config()
    report = verify(step0, targets["R-SHUMEN"], migration.fleet(0), tmp_path)
    assert report.ok and report.tunnels == {"sofia": "up"}, failed(report)
