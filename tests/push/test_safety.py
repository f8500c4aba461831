"""The safety net by image, the per-router lock, the last look before the first line.

Real netmiko over SSH against the simulator: a 2801 on 12.4(25d) (configure
replace with `time N`), one on 12.2(15)T (no configure replace: `reload in N`),
one on 12.4(24)T (also `configure terminal revert timer`).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pushkit import ENV, ROOT

from iosgen.build.ios import render
from iosgen.device.session import CommandError, Device, DeviceOptions
from iosgen.diff.audit import audit_site
from iosgen.ios.safetynet import (
    CONFIG_REPLACE,
    CONFIRMED_CHANGE,
    Net,
    has,
    parse_image,
    safety_net,
)
from iosgen.model.site import Site
from iosgen.model.targets import Target, read_targets_file
from iosgen.push import Final, PushOptions, PushOutcome, Status, push_host
from iosgen.push.engine import AuditEngine, body
from iosgen.push.lock import host_lock
from iosgen.sim import Fault, RouterSpec, SimFleet

OLD_IMAGE = "12.2(15)T"  # before Configuration Replace (12.3(7)T)
T_IMAGE = "12.4(24)T"  # Rollback Confirmed Change (12.4(20)T) too


def _spec(host: str, image: str = "12.4(25d)") -> RouterSpec:
    return RouterSpec(
        host,
        "netops",
        ENV["IOSGEN_R_ITD_PASSWORD"],
        ENV["IOSGEN_R_ITD_ENABLE"],
        image=image,
        minute=0.05,  # IOS minutes of 50 ms: a timer of 120 "minutes" fires in 6 s
    )


@pytest.fixture(scope="module")
def fleet(sim_state: Path) -> Iterator[SimFleet]:
    specs = [_spec("R-ITD"), _spec("R-OLD", OLD_IMAGE), _spec("R-T", T_IMAGE)]
    with SimFleet(specs, state_dir=sim_state / "safety") as f:
        yield f


@dataclasses.dataclass
class Kit:
    fleet: SimFleet
    tmp: Path
    options: PushOptions

    def target(self, host: str) -> Target:
        return read_targets_file(self.fleet.targets_file)[host.lower()]

    def save(self, host: str) -> None:
        """`write memory` over SSH: the startup config becomes the running one."""
        with Device(self.target(host), self.options.device) as device:
            device.write_memory()


@pytest.fixture
def kit(fleet: SimFleet, tmp_path: Path) -> Kit:
    for host in ("R-ITD", "R-OLD", "R-T"):
        fleet.set_faults(host, [])
        fleet.router(host).reset()
    options = PushOptions(
        force=True,
        device=DeviceOptions(known_hosts=tmp_path / "known_hosts", read_timeout=10.0),
        history_dir=tmp_path / "history",
        lock_dir=tmp_path / "locks",
        reconnect_delays=(0.05, 0.1, 0.2),
    )
    return Kit(fleet, tmp_path, options)


def _as(site: Site, host: str, image: str = "12.4(25d)") -> Site:
    hardware = site.hardware.model_copy(update={"image": image})
    return site.model_copy(update={"hostname": host, "hardware": hardware})


def _mtu(site: Site, mtu: int) -> Site:
    sofia = site.pptp_clients["sofia"].model_copy(update={"mtu": mtu})
    return site.model_copy(update={"pptp_clients": {"sofia": sofia}})


# -- the table ------------------------------------------------------------------------------


def test_the_feature_table_by_release() -> None:
    assert parse_image("12.4(25d)") is not None
    assert str(parse_image("12.4(20)T1")) == "12.4(20)T"
    assert parse_image("twelve") is None
    assert has("12.4(25d)", CONFIG_REPLACE) and not has("12.4(25d)", CONFIRMED_CHANGE)
    assert has("12.3(7)T", CONFIG_REPLACE) and not has("12.3(4)T", CONFIG_REPLACE)
    assert not has("12.3(26)", CONFIG_REPLACE)  # 12.3 mainline: the T train only
    assert has("12.4(20)T", CONFIRMED_CHANGE) and not has("12.4(15)T", CONFIRMED_CHANGE)
    assert has("15.1(4)M10", CONFIRMED_CHANGE)
    assert safety_net("12.4(25d)") is Net.REVERT_TIMER
    assert safety_net(OLD_IMAGE) is Net.RELOAD
    assert safety_net("not an image") is Net.RELOAD  # unknown: only what every image has


def test_the_simulated_images_refuse_what_they_lack(kit: Kit, itd: Site) -> None:
    with Device(kit.target("R-OLD"), kit.options.device) as device:
        device.copy_running_to("x.cfg")
        with pytest.raises(CommandError) as refused:
            device.configure_replace("x.cfg")
        assert "% Invalid input detected at '^' marker." in refused.value.answer
    with Device(kit.target("R-ITD"), kit.options.device) as device:
        with pytest.raises(CommandError) as refused:
            device.checked("configure terminal revert timer 5")
        assert "% Invalid input detected at '^' marker." in refused.value.answer
    kit.fleet.router("R-T").set_running(render(_as(itd, "R-T")).text)  # has an archive
    with Device(kit.target("R-T"), kit.options.device) as device:
        out = device.command("configure terminal revert timer 5")
        assert "Backing up current running config" in out
        device.command("end")
        assert kit.fleet.router("R-T").rollback_pending
        device.configure_confirm()
        assert not kit.fleet.router("R-T").rollback_pending


# -- an image without configure replace: reload in N, rollback by reload ---------------------


def test_old_image_unsaved_is_refused_with_a_clear_message(kit: Kit, itd: Site) -> None:
    site = _as(itd, "R-OLD", OLD_IMAGE)
    before = kit.fleet.router("R-OLD").running_config()
    outcome = push_host(site, kit.target("R-OLD"), kit.options)
    assert outcome.status is Status.ABORTED
    assert outcome.final is Final.OLD
    assert outcome.message.startswith(
        f"image {OLD_IMAGE} has no `configure replace`: iosgen rolls back by reloading"
    )
    assert "there is no startup config: nothing sent" in outcome.message
    assert outcome.sent == ()
    assert kit.fleet.router("R-OLD").running_config() == before


def test_old_image_saved_pushes_under_reload_in(kit: Kit, itd: Site) -> None:
    site = _as(itd, "R-OLD", OLD_IMAGE)
    kit.save("R-OLD")
    outcome = push_host(site, kit.target("R-OLD"), kit.options)
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.safety_net == "reload in"
    assert any(n.startswith("armed the dead-man switch: reload in 5") for n in outcome.notes)
    assert "reload cancel: the scheduled reload is off" in outcome.notes
    assert not kit.fleet.router("R-OLD").reload_pending
    assert audit_site(site, kit.fleet.router("R-OLD").running_config()).status == "in_sync"


def test_old_image_refused_line_rolls_back_by_reload(kit: Kit, itd: Site) -> None:
    site = _as(itd, "R-OLD", OLD_IMAGE)
    kit.save("R-OLD")
    before = kit.fleet.router("R-OLD").running_config()
    kit.fleet.set_faults("R-OLD", [Fault("R-OLD", "reject", r"^ip route ")])
    outcome = push_host(site, kit.target("R-OLD"), kit.options)
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert outcome.final is Final.OLD
    assert "rolled back by `reload` to the startup config and verified" in outcome.message
    assert body(kit.fleet.router("R-OLD").running_config()) == body(before)
    assert not kit.fleet.router("R-OLD").reload_pending


def test_old_image_lost_router_heals_by_its_scheduled_reload(kit: Kit, itd: Site) -> None:
    site = _as(itd, "R-OLD", OLD_IMAGE)
    kit.save("R-OLD")
    before = kit.fleet.router("R-OLD").running_config()

    def cut(host: str, line: object) -> None:
        kit.fleet.set_faults(
            "R-OLD", [Fault("R-OLD", "drop-after", "0"), Fault("R-OLD", "bad-password")]
        )

    outcome = push_host(site, kit.target("R-OLD"), kit.options, on_line=cut)
    assert outcome.status is Status.FAILED
    assert outcome.final is Final.OLD
    assert "scheduled reload restarts it on the OLD" in outcome.where()
    # the router's own `reload in 5` (5 x 50 ms here) brings it back without iosgen
    assert _eventually(lambda: body(kit.fleet.router("R-OLD").running_config()) == body(before))
    assert not kit.fleet.router("R-OLD").reload_pending


def _eventually(check: Any, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return bool(check())


def test_timer_refused_by_the_router_falls_back_to_reload_in(kit: Kit, itd: Site) -> None:
    router = kit.fleet.router("R-ITD")
    assert router.set_running(render(itd).text) == []
    changed = _mtu(itd, 1400)
    kit.fleet.set_faults("R-ITD", [Fault("R-ITD", "reject", r" time \d+$")])
    unsaved = push_host(changed, kit.target("R-ITD"), kit.options)
    assert unsaved.status is Status.ABORTED, unsaved.message
    assert "there is no startup config: nothing sent" in unsaved.message
    assert "--revert-timer 0" in unsaved.message
    assert audit_site(itd, router.running_config()).status == "in_sync"
    kit.save("R-ITD")
    outcome = push_host(changed, kit.target("R-ITD"), kit.options)
    assert outcome.status is Status.PUSHED, outcome.message
    assert any(n.startswith("the router refused the revert timer") for n in outcome.notes)
    assert outcome.safety_net == "reload in"
    assert not router.reload_pending and not router.rollback_pending


def test_a_router_older_than_its_model_says_gets_its_archive_block_undone(
    kit: Kit, itd: Site
) -> None:
    """The model says 12.4(25d) (the default), the router runs 12.2(15)T: `time N` is
    refused after the archive-first step; unsaved, the block comes out again (OLD)."""
    site = _as(itd, "R-OLD")  # the model's image, not the router's
    router = kit.fleet.router("R-OLD")
    before = router.running_config()
    outcome = push_host(site, kit.target("R-OLD"), kit.options)
    assert outcome.status is Status.ABORTED, outcome.message
    assert outcome.final is Final.OLD
    assert "taken out again (`no archive`)" in outcome.message
    assert body(router.running_config()) == body(before)
    assert not any(name.startswith("iosgen-rollback-") for name in router.flash_files())


def test_a_router_older_than_its_model_says_pushes_under_reload_in_when_saved(
    kit: Kit, itd: Site
) -> None:
    site = _as(itd, "R-OLD")
    kit.save("R-OLD")
    outcome = push_host(site, kit.target("R-OLD"), kit.options)
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.safety_net == "reload in"
    assert not kit.fleet.router("R-OLD").reload_pending
    assert audit_site(site, kit.fleet.router("R-OLD").running_config()).status == "in_sync"


def test_no_timer_asked_sends_no_archive_step(kit: Kit, itd: Site) -> None:
    outcome = push_host(
        itd, kit.target("R-ITD"), dataclasses.replace(kit.options, revert_minutes=0)
    )
    assert outcome.status is Status.PUSHED, outcome.message
    assert not outcome.archive_first and outcome.safety_net == "none"


# -- the lock and the last look -------------------------------------------------------------


def test_two_pushes_at_once_never_give_a_false_outcome(kit: Kit, itd: Site) -> None:
    router = kit.fleet.router("R-ITD")
    target = kit.target("R-ITD")
    first, second = _mtu(itd, 1400), _mtu(itd, 1452)
    seen: list[tuple[str, str]] = []
    for delay in (0.0, 0.01, 0.03, 0.06, 0.1, 0.2, 0.4, 0.8, 1.6):
        router.set_running(render(itd).text)
        kit.fleet.set_faults("R-ITD", [Fault("R-ITD", "delay-ms", "3")])
        results: dict[str, PushOutcome] = {}

        def go(out: dict[str, PushOutcome], name: str, site: Site, wait: float) -> None:
            time.sleep(wait)
            out[name] = push_host(site, target, kit.options)

        threads = [
            threading.Thread(target=go, args=(results, "a", first, 0.0)),
            threading.Thread(target=go, args=(results, "b", second, delay)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        now = router.running_config()
        a, b = results["a"], results["b"]
        assert not (a.status is Status.PUSHED and b.status is Status.PUSHED and delay < 0.01)
        for outcome in (a, b):
            assert outcome.status in (Status.PUSHED, Status.REFUSED), outcome.message
            if outcome.status is Status.REFUSED:
                assert "another push to R-ITD is running (pid " in outcome.message
                assert outcome.sent == ()
        last = b if b.status is Status.PUSHED else a
        assert last.status is Status.PUSHED, (delay, a.message, b.message)
        assert audit_site(first if last is a else second, now).status == "in_sync"
        seen.append((a.status.value, b.status.value))
    # both orders happened: b refused while a ran, and b after a
    assert ("pushed", "refused") in seen
    assert ("pushed", "pushed") in seen


def test_a_lock_held_by_another_process_is_named_and_refused_at_once(kit: Kit, itd: Site) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from iosgen.push.lock import host_lock\n"
            "with host_lock(Path(sys.argv[1]), 'R-ITD', 'iosgen push --host R-ITD'):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(kit.tmp / "locks"),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        t0 = time.monotonic()
        outcome = push_host(itd, kit.target("R-ITD"), kit.options)
        assert time.monotonic() - t0 < 2.0  # refused at once, not a hang
        assert outcome.status is Status.REFUSED
        assert f"pid {holder.pid}" in outcome.message
        assert "`iosgen push --host R-ITD`" in outcome.message
        assert outcome.sent == ()
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    # the holder died: its lock went with it, though its file is still there
    assert (kit.tmp / "locks" / "R-ITD.lock").exists()
    assert push_host(itd, kit.target("R-ITD"), kit.options).status is Status.PUSHED


def test_the_lock_is_released_after_a_push(kit: Kit, itd: Site) -> None:
    assert push_host(itd, kit.target("R-ITD"), kit.options).status is Status.PUSHED
    with host_lock(kit.tmp / "locks", "R-ITD") as path:
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_a_change_by_another_machine_since_the_plan_is_refused(kit: Kit, itd: Site) -> None:
    router = kit.fleet.router("R-ITD")
    router.set_running(render(itd).text)
    theirs = render(_mtu(itd, 1452)).text

    class OtherMachine(AuditEngine):
        """While iosgen plans, someone else configures the router."""

        def remediate(self, site: Site, intended: str, running: str) -> Any:
            plan = super().remediate(site, intended, running)
            router.set_running(theirs)
            return plan

    outcome = push_host(_mtu(itd, 1400), kit.target("R-ITD"), kit.options, engine=OtherMachine())
    assert outcome.status is Status.REFUSED
    assert outcome.message.startswith("the running config changed since the plan was made")
    assert outcome.sent == ()
    assert body(router.running_config()) == body(render(_mtu(itd, 1452)).text)
    assert not [f for f in router.flash_files() if f.startswith("iosgen-rollback-")]
