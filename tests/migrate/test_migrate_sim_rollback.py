"""A step that fails is rolled back on both routers: the head office's key for the
branch is wrong (set on the router after its push), the branch's IPsec SA cannot come
up, the branch's push rolls back and the head office is pushed back to step 0; PPTP
stays up, both routers audit clean against step 0, the state file says why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from migkit import KEYS, TUNNEL, sim_world
from simkit import drift, failed, options, verify

from iosgen.migrate import Event, MigrateOptions, MigrateRequest, prepare, run_migration
from iosgen.model.inventory import load_inventory, load_resolver
from iosgen.model.migration import read_state
from iosgen.model.targets import resolve_targets
from iosgen.push import PushOptions, Status
from iosgen.sim import SimFleet

pytestmark = [
    pytest.mark.timeout(300),
]
VARNA_WAN = "203.0.113.6"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SimFleet]]:
    with sim_world(tmp_path_factory, "rollback") as world:
        yield world


def test_a_wrong_key_at_the_head_office_rolls_the_step_back(
    world: tuple[Path, SimFleet], tmp_path: Path
) -> None:
    root, fleet = world
    state_dir = tmp_path / "migrations"
    inv = load_inventory(root)
    migration = prepare(
        inv, MigrateRequest("R-VARNA", TUNNEL), load_resolver(None, inventory=root), state_dir
    )
    ios = [s for s in inv.sites if s.platform == "ios"]
    targets = resolve_targets(ios, fleet.targets_file)
    events: list[Event] = []

    def wrong_key(event: Event) -> None:
        events.append(event)
        if (event.step, event.host, event.what) == (1, "R-SOFIA", "pushed"):
            hq = fleet.router("R-SOFIA")
            running = hq.running_config()
            line = re.compile(rf"^crypto isakmp key \S+ address {re.escape(VARNA_WAN)}", re.M)
            assert line.search(running), running
            hq.set_running(line.sub(f"crypto isakmp key not-the-key address {VARNA_WAN}", running))

    result = run_migration(
        migration,
        targets,
        MigrateOptions(
            push=PushOptions(
                device=options(tmp_path),
                history_dir=tmp_path / "history",
                lock_dir=tmp_path / "locks",
                reconnect_delays=(0.05, 0.1),
            ),
            state_dir=state_dir,
            network_wait_seconds=10,
        ),
        wrong_key,
    )
    assert result.code == 1, result.message
    assert "step 1 failed at R-VARNA" in result.message
    assert "pre-shared key mismatch" in result.message
    assert "R-SOFIA back at step 0" in result.message
    statuses = [(step, o.host, o.status) for step, o in result.outcomes]
    assert statuses == [
        (1, "R-SOFIA", Status.PUSHED),
        (1, "R-VARNA", Status.ROLLED_BACK),
        (1, "R-SOFIA", Status.PUSHED),  # back to step 0
    ]
    state = read_state(state_dir, "R-VARNA")
    assert state is not None and state.done == 0
    assert not state.log[-1].ok and "pre-shared key mismatch" in state.log[-1].message
    for value in KEYS.values():
        assert value not in result.message and value not in state.to_json()
    # both routers run step 0 again: they audit clean against it, PPTP is up
    sites = migration.fleet(0)
    for name in ("R-VARNA", "R-SOFIA"):
        site = next(s for s in sites if s.hostname == name)
        assert drift(site, targets[name], tmp_path) == [], name
    varna = next(s for s in sites if s.hostname == "R-VARNA")
    report = verify(varna, targets["R-VARNA"], sites, tmp_path)
    assert report.ok, failed(report)
    assert report.tunnels == {"sofia": "up", "bourgas": "up"}
    # the site file is untouched
    assert "kind: ipsec" not in (root / "sites" / "varna.yaml").read_text(encoding="utf-8")
