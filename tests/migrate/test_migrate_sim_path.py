"""On the simulator: a branch iosgen manages through the tunnel being replaced (its
management address inside the tunnel's remote networks) is refused step 2 while the
IPsec SA is not up: a live check just before the step says so, nothing is pushed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from migkit import TUNNEL, environment, router_specs, sim_inventory
from simkit import drift, options

from iosgen.migrate import MigrateOptions, MigrateRequest, prepare, run_migration
from iosgen.migrate.state import write_state
from iosgen.model.inventory import load_inventory, load_resolver
from iosgen.model.migration import read_state
from iosgen.model.targets import resolve_targets
from iosgen.push import PushOptions
from iosgen.sim import SimFleet

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SimFleet]]:
    with environment():
        root = sim_inventory(tmp_path_factory.mktemp("path-inv") / "inventory")
        shumen = root / "sites" / "shumen.yaml"
        text = shumen.read_text(encoding="utf-8")
        # managed from the head office's LAN, through the tunnel (the simulator's
        # targets file still reaches it on loopback)
        shumen.write_text(text.replace("  host: 198.51.100.42\n", "  host: 10.10.0.42\n"), "utf-8")
        with SimFleet(router_specs(root), state_dir=tmp_path_factory.mktemp("path-sim")) as f:
            yield root, f


def test_step_2_is_refused_while_the_new_tunnel_is_not_verified(
    world: tuple[Path, SimFleet], tmp_path: Path
) -> None:
    root, fleet = world
    state_dir = tmp_path / "migrations"
    inv = load_inventory(root)
    resolver = load_resolver(None, inventory=root)
    migration = prepare(inv, MigrateRequest("R-SHUMEN", TUNNEL), resolver, state_dir)
    # the state says step 1 is done, but the routers were never given the IPsec tunnel
    migration.state = replace(migration.state, done=1)
    write_state(state_dir, migration.state)
    targets = resolve_targets([s for s in inv.sites if s.platform == "ios"], fleet.targets_file)
    result = run_migration(
        migration,
        targets,
        MigrateOptions(
            push=PushOptions(device=options(tmp_path), history_dir=None, lock_dir=None),
            state_dir=state_dir,
            network_wait_seconds=0,
        ),
    )
    assert result.code == 1, result.message
    assert "iosgen manages R-SHUMEN at 10.10.0.42" in result.message
    assert "would leave the router reachable only through it" in result.message
    assert result.outcomes == ()  # nothing pushed
    state = read_state(state_dir, "R-SHUMEN")
    assert state is not None and state.done == 1 and not state.log[-1].ok
    for site in migration.fleet(0):
        if site.hostname in ("R-SHUMEN", "R-SOFIA"):
            assert drift(site, targets[site.hostname], tmp_path) == [], site.hostname
