"""`iosgen migrate` stopped by SIGTERM in the middle of a step: the branch's push rolls
back, the head office (pushed first) is pushed back, the state file says the step was
stopped, and the process exits 128 + 15 as a shell reports it. Both routers then audit
clean against the step before: never one router at the new step and one at the old.

`iosgen migrate` runs in a subprocess against the simulated routers (in this process);
the simulator's `delay-ms` fault paces the branch's lines, and the signal is sent once
the branch shows its first IPsec line."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from migkit import KEYS, TUNNEL, sim_world
from migpaths import ROOT
from simkit import drift

from iosgen.model.inventory import load_inventory
from iosgen.model.migration import read_state
from iosgen.model.targets import resolve_targets
from iosgen.sim import Fault, SimFleet

pytestmark = [pytest.mark.timeout(300)]
IOSGEN = ROOT / ".venv" / "bin" / "iosgen"
VARNA_WAN = "203.0.113.6"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SimFleet]]:
    with sim_world(tmp_path_factory, "signal") as world:
        yield world


def _wait(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def test_sigterm_mid_step_leaves_both_routers_at_the_step_before(
    world: tuple[Path, SimFleet], tmp_path: Path
) -> None:
    root, fleet = world
    branch, office = fleet.router("R-VARNA"), fleet.router("R-SOFIA")
    key_line = f"address {VARNA_WAN}"
    assert key_line not in office.running_config()
    fleet.set_faults("R-VARNA", [Fault("R-VARNA", "delay-ms", "40")])
    state_dir = tmp_path / "migrations"
    args = [
        str(IOSGEN), "migrate", "--host", "R-VARNA", "--tunnel", TUNNEL, "--to", "ipsec",
        "--yes", "--step", "1", "--wait", "10", "--inventory", str(root),
        "--targets", str(fleet.targets_file), "--known-hosts", str(tmp_path / "known_hosts"),
        "--accept-new-host-key", "--history", str(tmp_path / "history"),
        "--state-dir", str(state_dir),
    ]  # fmt: skip
    proc = subprocess.Popen(
        args,
        cwd=tmp_path,
        env={**os.environ, **KEYS},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # the head office keys the branch first; then the branch's push types its lines
        assert _wait(lambda: key_line in office.running_config(), 120), "head office not pushed"
        assert _wait(lambda: "crypto isakmp" in branch.running_config(), 60), "branch not reached"
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    fleet.set_faults("R-VARNA", [])
    assert proc.returncode == 128 + signal.SIGTERM, out + err
    assert "Traceback" not in err
    # the branch's push rolled itself back, then the head office was pushed back
    assert "step 1 failed at R-VARNA: rolled back: stopped by SIGTERM" in out
    assert "R-SOFIA back at step 0" in out
    state = read_state(state_dir, "R-VARNA")
    assert state is not None and state.done == 0
    assert not state.log[-1].ok and "stopped by SIGTERM" in state.log[-1].message
    for value in KEYS.values():
        assert value not in out + err and value not in state.to_json()
    # both routers run step 0 (the site files as they are): nothing half-migrated
    inv = load_inventory(root, migrations=False)
    pair = [inv.find("R-VARNA"), inv.find("R-SOFIA")]
    targets = resolve_targets(pair, fleet.targets_file)
    for site in pair:
        assert drift(site, targets[site.hostname], tmp_path) == [], site.hostname
    assert not branch.rollback_pending and not office.rollback_pending
