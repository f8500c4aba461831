"""A push killed mid-way: SIGTERM, SIGHUP and SIGINT roll back and write the record;
after SIGKILL the router's own revert timer, armed before the first line, heals it.

`iosgen push` runs in a subprocess against the simulated R-ITD (in this process);
the simulator's `delay-ms` fault paces the lines, and the signal is sent once the
router shows the plan's line N. The router must end on the old config or the new
one, never between, and the history record must say which.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pushkit import ENV, ROOT

from iosgen.build.ios import render
from iosgen.diff.audit import audit_site
from iosgen.model.site import Site
from iosgen.push.engine import AuditEngine, body
from iosgen.sim import Fault, RouterSpec, SimFleet

IOSGEN = ROOT / ".venv" / "bin" / "iosgen"


@pytest.fixture(scope="module")
def fleet(sim_state: Path) -> Iterator[SimFleet]:
    spec = RouterSpec(
        "R-ITD",
        "netops",
        ENV["IOSGEN_R_ITD_PASSWORD"],
        ENV["IOSGEN_R_ITD_ENABLE"],
        minute=0.05,  # `--revert-timer 120` fires after 6 s
    )
    with SimFleet([spec], state_dir=sim_state / "signals") as f:
        yield f


def _without_archive(lines: list[str]) -> list[str]:
    if "archive" not in lines:
        return lines
    start = lines.index("archive")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    return lines[:start] + lines[end:]


def _start(fleet: SimFleet, tmp: Path, *, stdout_closed: bool = False) -> subprocess.Popen[str]:
    args = [
        str(IOSGEN), "push", "--host", "R-ITD", "--inventory", str(ROOT / "inventory"),
        "--targets", str(fleet.targets_file), "--known-hosts", str(tmp / "known_hosts"),
        "--history", str(tmp / "history"), "--force", "--yes", "--revert-timer", "120",
    ]  # fmt: skip
    return subprocess.Popen(
        args,
        cwd=tmp,
        env={**os.environ, **ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _marker(itd: Site, bare: str, n: int) -> str:
    """The plan's N-th top-level line that shows as such in the running config."""
    plan = AuditEngine().remediate(itd, render(itd).text, bare).lines
    top = [line for line in plan if not line.startswith((" ", "no "))]
    return top[n]


def _wait(check: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.005)
    return False


CASES = [
    (signal.SIGTERM, 2, False),
    (signal.SIGTERM, 9, False),
    (signal.SIGHUP, 5, True),  # the terminal is gone: stdout is closed too
    (signal.SIGHUP, 12, False),
    (signal.SIGINT, 7, False),
]


@pytest.mark.parametrize(("sig", "n", "closed"), CASES)
def test_a_stop_signal_mid_push_rolls_back_and_records(
    fleet: SimFleet, itd: Site, tmp_path: Path, sig: signal.Signals, n: int, closed: bool
) -> None:
    router = fleet.router("R-ITD")
    fleet.set_faults("R-ITD", [])
    router.reset()
    bare = router.running_config()
    marker = _marker(itd, bare, n)
    fleet.set_faults("R-ITD", [Fault("R-ITD", "delay-ms", "20")])
    proc = _start(fleet, tmp_path)
    try:
        assert _wait(lambda: marker in body(router.running_config()), 30), "never got there"
        if closed:
            assert proc.stdout is not None
            proc.stdout.close()
        proc.send_signal(sig)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
        if closed:
            assert proc.stderr is not None
            err = proc.stderr.read()
            proc.stderr.close()
        else:
            _, err = proc.communicate()
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in (err or "")
    now = body(router.running_config())
    is_new = audit_site(itd, router.running_config()).status == "in_sync"
    is_old = _without_archive(now) == body(bare)
    assert is_new or is_old, "partial config"
    (record,) = (tmp_path / "history" / "R-ITD").iterdir()
    data = json.loads((record / "push.json").read_text())
    assert data["final"] == ("new" if is_new else "old")
    if not is_new:
        assert data["status"] == "rolled back"
        words = "interrupted by the operator" if sig == signal.SIGINT else f"stopped by {sig.name}"
        assert data["message"].startswith(words), data["message"]
    assert not router.rollback_pending  # confirmed, not left to fire later


def test_sigkill_mid_push_heals_by_the_routers_own_timer(
    fleet: SimFleet, itd: Site, tmp_path: Path
) -> None:
    router = fleet.router("R-ITD")
    fleet.set_faults("R-ITD", [])
    router.reset()
    bare = router.running_config()
    marker = _marker(itd, bare, 6)
    fleet.set_faults("R-ITD", [Fault("R-ITD", "delay-ms", "20")])
    proc = _start(fleet, tmp_path)
    try:
        assert _wait(lambda: marker in body(router.running_config()), 30)
        proc.kill()
        proc.wait(10)
    finally:
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    fleet.set_faults("R-ITD", [])
    half = body(router.running_config())
    assert _without_archive(half) != body(bare)  # iosgen died with the router half-done
    assert router.rollback_pending  # armed before the first line of the plan
    # nobody confirms: after 120 (simulated) minutes the router puts the config back
    assert _wait(lambda: not router.rollback_pending, 20)
    healed = body(router.running_config())
    assert _without_archive(healed) == body(bare)  # the old config (+ the archive step)


def test_cli_push_while_another_holds_the_lock_exits_1_at_once(
    fleet: SimFleet, tmp_path: Path
) -> None:
    from iosgen.push.lock import host_lock

    router = fleet.router("R-ITD")
    fleet.set_faults("R-ITD", [])
    router.reset()
    before = router.running_config()
    with host_lock(tmp_path / "locks", "R-ITD", "iosgen push --host R-ITD (the other one)"):
        t0 = time.monotonic()
        proc = _start(fleet, tmp_path)
        out, err = proc.communicate(timeout=60)
        seconds = time.monotonic() - t0
    assert proc.returncode == 1, err
    assert f"another push to R-ITD is running (pid {os.getpid()}, user " in out
    assert "`iosgen push --host R-ITD (the other one)`" in out
    assert "=> the router runs its OLD config, as before the push" in out
    assert seconds < 20  # the start-up of the CLI, not a wait for the lock
    assert router.running_config() == before
