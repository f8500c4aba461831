"""Every example branch that dials R-SOFIA migrated off PPTP on the simulator, step by
step through `iosgen migrate`: after each step both routers audit clean against that
step's build and `iosgen verify`'s checks pass; after step 3 the site file holds the
IPsec tunnel and the inventory audits clean without any migration state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from migkit import BRANCHES, KEYS, TUNNEL, sim_world
from simkit import drift, failed, verify
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.migrate import MigrateRequest, prepare
from iosgen.model.inventory import load_inventory, load_resolver
from iosgen.model.migration import read_state
from iosgen.model.targets import resolve_targets
from iosgen.sim import SimFleet

pytestmark = [
    pytest.mark.timeout(600),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SimFleet]]:
    with sim_world(tmp_path_factory, "migrate") as world:
        yield world


def _cli(root: Path, fleet: SimFleet, tmp: Path, host: str, step: int) -> tuple[int, str]:
    result = CliRunner().invoke(
        app,
        [
            "migrate", "--host", host, "--tunnel", TUNNEL, "--to", "ipsec", "--yes",
            "--step", str(step), "--inventory", str(root), "--targets", str(fleet.targets_file),
            "--known-hosts", str(tmp / "known_hosts"), "--accept-new-host-key",
            "--history", str(tmp / "history"), "--state-dir", str(tmp / "migrations"),
            "--wait", "30",
        ],
    )  # fmt: skip
    return result.exit_code, result.output


def _audit(root: Path, fleet: SimFleet, tmp: Path, hosts: list[str], states: Path) -> int:
    """`iosgen audit` as an operator runs it mid-migration: the state folder is the
    setting IOSGEN_MIGRATIONS, which the loader reads."""
    args = ["audit", "--inventory", str(root), "--targets", str(fleet.targets_file)]
    args += ["--known-hosts", str(tmp / "known_hosts"), "--accept-new-host-key"]
    for host in hosts:
        args += ["--host", host]
    result = CliRunner().invoke(app, args, env={"IOSGEN_MIGRATIONS": str(states)})
    assert "Traceback" not in result.output
    return result.exit_code


def test_every_branch_step_by_step(world: tuple[Path, SimFleet], tmp_path: Path) -> None:
    root, fleet = world
    state_dir = tmp_path / "migrations"
    for host in BRANCHES:
        for step in (1, 2, 3):
            code, out = _cli(root, fleet, tmp_path, host, step)
            assert code == 0, out
            assert "Traceback" not in out
            for value in KEYS.values():
                assert value not in out
            state = read_state(state_dir, host)
            assert state is not None and state.done == step
            # the step's build, from the inventory as it is now (the file is rewritten
            # after step 3), and the state as written
            inv = load_inventory(root)
            if step < 3:
                resolver = load_resolver(None, inventory=root)
                migration = prepare(inv, MigrateRequest(host, TUNNEL), resolver, state_dir)
                sites = migration.fleet(step)
            else:
                sites = tuple(inv.sites)
            targets = resolve_targets([s for s in sites if s.platform == "ios"], fleet.targets_file)
            for name in (host, "R-SOFIA"):
                site = next(s for s in sites if s.hostname == name)
                assert drift(site, targets[name], tmp_path) == [], (host, step, name)
            branch = next(s for s in sites if s.hostname == host)
            report = verify(branch, targets[host], sites, tmp_path)
            assert report.ok, (host, step, failed(report))
            sessions = {c.tunnel for c in report.checks if c.check == "session"}
            routed = {c.tunnel for c in report.checks if c.check == "routes"}
            assert "sofia-ipsec" in sessions
            # step 1: the PPTP routes win; from step 2 the IPsec tunnel's
            assert ("sofia" in routed) is (step == 1) and ("sofia-ipsec" in routed) is (step > 1)
            assert (TUNNEL in sessions) is (step < 3)
            # `iosgen audit` reads the state: clean at the step; mid-migration, the site
            # files alone (no state) are drift on the branch
            assert _audit(root, fleet, tmp_path, [host, "R-SOFIA"], state_dir) == 0, (host, step)
            if step < 3:
                empty = tmp_path / "no-migrations"
                empty.mkdir(exist_ok=True)
                assert _audit(root, fleet, tmp_path, [host], empty) == 1, (host, step)
        text = (
            (root / "sites")
            .joinpath(
                {"R-ITD": "plovdiv", "R-VARNA": "varna", "R-RUSE": "ruse", "R-SHUMEN": "shumen"}[
                    host
                ]
                + ".yaml"
            )
            .read_text(encoding="utf-8")
        )
        assert "kind: ipsec" in text and "sofia-ipsec:" in text
        state = read_state(state_dir, host)
        assert state is not None and state.rewritten
    # the inventory as the files now say, no migration state: every router in sync
    inv = load_inventory(root)
    targets = resolve_targets([s for s in inv.sites if s.platform == "ios"], fleet.targets_file)
    for site in inv.sites:
        if site.platform == "ios":
            assert drift(site, targets[site.hostname], tmp_path) == [], site.hostname
    sofia = inv.find("R-SOFIA")
    assert sofia.ipsec_server is not None
