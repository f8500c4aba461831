"""How `iosgen push`'s options reach a box's push (`linux_options`), and the lock a push
holds on this machine, as for routers: no sshd needed, nothing gets as far as the box."""

from __future__ import annotations

from pathlib import Path

from iosgen.device.session import DeviceOptions
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from iosgen.model.targets import Target
from iosgen.push.linux import LinuxPushOptions, linux_options, push_linux_host
from iosgen.push.lock import host_lock
from iosgen.push.outcome import Final, Status
from iosgen.push.plan import PushOptions


def test_the_router_push_options_that_mean_something_for_a_box_reach_it(tmp_path: Path) -> None:
    given = PushOptions(
        dry_run=True,
        force=True,
        device=DeviceOptions(known_hosts=tmp_path / "kh", accept_new_host_key=True),
        history_dir=tmp_path / "history",
        session_log_dir=tmp_path / "logs",
        lock_dir=tmp_path / "locks",
        verify_network=True,
        network_wait_seconds=7.5,
        planned_running={"plovdiv-gw": "ab" * 32},
    )
    got = linux_options(given)
    assert (got.dry_run, got.force, got.verify_tunnels) == (True, True, True)
    assert (got.session_log_dir, got.lock_dir) == (tmp_path / "logs", tmp_path / "locks")
    assert got.tunnel_wait_seconds == 7.5
    assert got.planned_state == {"plovdiv-gw": "ab" * 32}
    assert (got.device.known_hosts, got.device.accept_new_host_key) == (tmp_path / "kh", True)
    default = linux_options(None)
    assert (default.verify_tunnels, default.session_log_dir, default.planned_state) == (
        False,
        None,
        None,
    )


def test_a_second_push_to_the_box_is_refused_while_the_lock_is_held(
    site: Site, tmp_path: Path
) -> None:
    target = Target("plovdiv-gw", "127.0.0.1", 1, "root", Secret("x", source="test"))
    options = LinuxPushOptions(history_dir=None, lock_dir=tmp_path / "locks")
    with host_lock(tmp_path / "locks", site.hostname):
        outcome = push_linux_host(site, None, options, target=target)
    assert (outcome.status, outcome.final) == (Status.REFUSED, Final.OLD)
    assert outcome.message.startswith("another push to plovdiv-gw is running")
    # free again: the push goes on to the box (here: nobody listens on port 1)
    outcome = push_linux_host(site, None, options, target=target)
    assert outcome.status is Status.UNREACHABLE
