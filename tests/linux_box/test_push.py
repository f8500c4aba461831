"""`push_linux_host` against a real sshd: what it writes, what it restarts, what it refuses,
and where every fault ends (the old tree)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from iosgen.build import Build, build_site
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from iosgen.push.linux import MANIFEST, push_linux_host
from iosgen.push.outcome import Final, PushOutcome, Status
from tests.linux_box.conftest import Box


def push(box: Box, site: Site, **kw: object) -> PushOutcome:
    return push_linux_host(site, None, box.options(**kw), target=box.target)


def built(build: Build) -> dict[str, tuple[str, int]]:
    return {f.path: (f.content, f.mode) for f in build.files}


def with_mtu(site: Site, mtu: int) -> Site:
    sofia = site.pptp_clients["sofia"].model_copy(update={"mtu": mtu})
    return site.model_copy(update={"pptp_clients": {"sofia": sofia}})


def secrets_of(site: Site) -> list[str]:
    return [c.chap_password.reveal() for c in site.pptp_clients.values()]


def assert_no_secret(site: Site, outcome: PushOutcome) -> None:
    text = json.dumps(outcome.as_dict())
    if outcome.history is not None:
        text += "".join(p.read_text() for p in Path(outcome.history).iterdir())
    for secret in secrets_of(site):
        assert secret not in text


def test_first_push_is_refused_without_force_and_writes_nothing(box: Box, site: Site) -> None:
    outcome = push(box, site)
    assert (outcome.status, outcome.final) == (Status.REFUSED, Final.OLD)
    assert any("rules.v4" in r for r in outcome.refusals)
    assert any("90-iosgen.conf" in r for r in outcome.refusals)
    assert box.tree() == {}
    assert box.calls == []


def test_forced_push_writes_the_tree_and_restarts_what_changed(
    box: Box, site: Site, build: Build
) -> None:
    outcome = push(box, site, force=True)
    assert (outcome.status, outcome.final) == (Status.PUSHED, Final.NEW), outcome.message
    assert box.tree() == built(build)
    assert (box.root / "etc/ppp/chap-secrets").stat().st_mode & 0o777 == 0o600
    assert box.calls == [
        f"iptables-restore {box.root}/etc/iptables/rules.v4",
        f"sysctl -p {box.root}/etc/sysctl.d/90-iosgen.conf",
        "systemctl daemon-reload",
        "systemctl enable pptp-sofia.service",
        "systemctl restart pptp-sofia.service",
    ]
    # the rules were loaded for real (in a network namespace): iptables-save's answer
    loaded = next(s for s in outcome.sent if s.line.startswith("iptables-restore"))
    rule = '-A POSTROUTING -s 192.168.11.0/24 -o eth0 -m comment --comment "iosgen:internet_nat"'
    assert f"{rule} -j MASQUERADE" in loaded.answer
    assert (box.root / MANIFEST).exists()
    assert_no_secret(site, outcome)
    assert "the box has the NEW (built) tree" in outcome.notes


def test_pushed_units_pass_systemd_analyze(box: Box, site: Site) -> None:
    assert push(box, site, force=True).status is Status.PUSHED
    units = sorted((box.root / "etc/systemd/system").glob("*.service"))
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_second_push_is_in_sync_and_restarts_nothing(box: Box, site: Site) -> None:
    push(box, site, force=True)
    calls = len(box.calls)
    outcome = push(box, site)
    assert (outcome.status, outcome.final) == (Status.IN_SYNC, Final.NEW)
    assert len(box.calls) == calls


def test_a_peer_change_restarts_only_its_tunnel(box: Box, site: Site) -> None:
    push(box, site, force=True)
    calls = len(box.calls)
    changed = with_mtu(site, 1400)
    outcome = push(box, changed)
    assert outcome.status is Status.PUSHED, outcome.message
    assert box.calls[calls:] == ["systemctl restart pptp-sofia.service"]
    assert "+mtu 1400" in outcome.lines
    assert box.tree() == built(build_site(changed))


def test_dry_run_shows_the_diff_masked_and_writes_nothing(box: Box, site: Site) -> None:
    outcome = push(box, site, dry_run=True)
    assert (outcome.status, outcome.final) == (Status.PLANNED, Final.OLD)
    assert "+++ b/etc/ppp/chap-secrets" in outcome.lines
    assert any('"<redacted>"' in line for line in outcome.lines)
    assert_no_secret(site, outcome)
    assert box.tree() == {}


def test_a_file_edited_by_hand_is_shown_and_refused(box: Box, site: Site) -> None:
    push(box, site, force=True)
    peer = box.root / "etc/ppp/peers/sofia"
    peer.write_text(peer.read_text() + "debug\n")
    before = box.tree()
    outcome = push(box, site)
    assert outcome.status is Status.REFUSED
    assert outcome.refusals == ("/etc/ppp/peers/sofia was edited by hand since the last push",)
    assert "-debug" in outcome.lines
    assert box.tree() == before
    assert push(box, site, force=True).status is Status.PUSHED
    assert "debug" not in peer.read_text()


def test_a_session_dropped_mid_upload_ends_at_the_old_tree(box: Box, site: Site) -> None:
    push(box, site, force=True)
    before, calls = box.tree(), len(box.calls)

    def drop(kind: str, path: str) -> None:
        if kind == "upload" and path == "etc/ppp/peers/sofia":
            box.drop_sessions()

    outcome = push(box, with_mtu(site, 1400), on_step=drop)
    assert (outcome.status, outcome.final) == (Status.ABORTED, Final.OLD), outcome.message
    assert box.tree() == before
    assert box.calls[calls:] == []


DROPS = {"second-file": ("place", 2), "first-reload": ("reload", 1)}


@pytest.mark.parametrize("where", DROPS, ids=list(DROPS))
def test_a_session_dropped_after_a_write_is_rolled_back(box: Box, site: Site, where: str) -> None:
    push(box, site, force=True)
    before = box.tree()
    sofia = site.pptp_clients["sofia"].model_copy(
        update={"mtu": 1400, "chap_password": Secret("n3w-secret", source="test")}
    )
    changed = site.model_copy(update={"pptp_clients": {"sofia": sofia}})
    kind, count = DROPS[where]
    seen: list[str] = []

    def drop(step: str, path: str) -> None:
        if step == kind:
            seen.append(path)
            if len(seen) == count:
                box.drop_sessions()

    outcome = push(box, changed, on_step=drop)
    assert (outcome.status, outcome.final) == (Status.ROLLED_BACK, Final.OLD), outcome.message
    assert box.tree() == before
    assert "the box has its OLD tree, as before the push" in outcome.notes
    assert "n3w-secret" not in json.dumps(outcome.as_dict())


def test_a_failed_restart_is_rolled_back_and_restarted_on_the_old_files(
    box: Box, site: Site
) -> None:
    push(box, site, force=True)
    before, calls = box.tree(), len(box.calls)
    (box.dir / "fail-systemctl").touch()
    outcome = push(box, with_mtu(site, 1400))
    assert (outcome.status, outcome.final) == (Status.ROLLED_BACK, Final.OLD), outcome.message
    assert "systemctl restart pptp-sofia.service failed" in outcome.message
    assert box.tree() == before
    assert box.calls[calls:] == ["systemctl restart pptp-sofia.service"] * 2


@pytest.mark.parametrize("mode", [0o666, 0o600], ids=["world-writable", "too-private"])
def test_a_wrong_mode_is_put_right(box: Box, site: Site, mode: int) -> None:
    push(box, site, force=True)
    hook = box.root / "etc/ppp/ip-up.d/iosgen"
    hook.chmod(mode)
    outcome = push(box, site)
    assert outcome.status is Status.PUSHED, outcome.message
    assert hook.stat().st_mode & 0o777 == 0o755
    assert outcome.lines == (f"~ /etc/ppp/ip-up.d/iosgen: {mode:04o} root:root -> 0755 root:root",)


def test_push_host_hands_a_linux_site_to_the_linux_push(site: Site, tmp_path: Path) -> None:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.targets import Target
    from iosgen.push.flow import PushOptions, push_host

    target = Target("plovdiv-gw", "127.0.0.1", 1, "root", Secret("x", source="test"))
    options = PushOptions(device=DeviceOptions(known_hosts=None), history_dir=tmp_path / "h")
    outcome = push_host(site, target, options)
    assert (outcome.status, outcome.final) == (Status.UNREACHABLE, Final.OLD)
    assert "the box has its OLD tree, as before the push" in outcome.notes


def test_a_full_disk_ends_at_the_old_tree(full_box: Box, site: Site) -> None:
    from iosgen.device.linux import LinuxBox

    box = full_box
    assert push(box, site, force=True).status is Status.PUSHED
    paths = [f.path for f in build_site(site).files]
    with LinuxBox(box.target, box.options().device) as dev:
        # fill the tmpfs: dd stops at ENOSPC
        dev.run(f"dd if=/dev/zero of={box.root}/etc/filler bs=4096 2>&1")
        probe = dev.run(
            f"head -c 100 /dev/zero 2>&1 > {box.root}/etc/probe; rm -f {box.root}/etc/probe"
        )
        assert "No space left" in probe.out
        before = dev.read_files(paths)
    outcome = push(box, with_mtu(site, 1400))
    assert (outcome.status, outcome.final) == (Status.ROLLED_BACK, Final.OLD), outcome.message
    assert "No space left on device" in outcome.message
    with LinuxBox(box.target, box.options().device) as dev:
        assert dev.read_files(paths) == before
        leftovers = dev.run(f"ls -a {box.root}/etc/ppp/peers").out.split()
    assert leftovers == [".", "..", "sofia"]  # no temp file left behind


def test_a_sudo_login_pushes_as_root(sudo_box: Box, site: Site, build: Build) -> None:
    from dataclasses import replace

    from tests.linux_box.conftest import SUDO_PASSWORD

    options = sudo_box.options(force=True)
    device = replace(options.device, sudo_password=Secret(SUDO_PASSWORD, source="test"))
    outcome = push_linux_host(site, build, replace(options, device=device), target=sudo_box.target)
    assert (outcome.status, outcome.final) == (Status.PUSHED, Final.NEW), outcome.message
    assert sudo_box.tree() == built(build)
    secrets = sudo_box.root / "etc/ppp/chap-secrets"
    assert (secrets.stat().st_uid, secrets.stat().st_mode & 0o777) == (0, 0o600)
    assert SUDO_PASSWORD not in json.dumps(outcome.as_dict())


def test_a_refused_sudo_writes_nothing(sudo_box: Box, site: Site, build: Build) -> None:
    from dataclasses import replace

    options = sudo_box.options(force=True)
    device = replace(options.device, sudo_password=Secret("wrong", source="test"))
    outcome = push_linux_host(site, build, replace(options, device=device), target=sudo_box.target)
    assert (outcome.status, outcome.final) == (Status.UNREACHABLE, Final.OLD)
    assert "sudo refused 'iosgen'" in outcome.message
    assert "nothing written" in outcome.message
    assert sudo_box.tree() == {}
    assert sudo_box.calls == []


def test_a_tunnel_that_carries_the_management_path_is_refused(box: Box, site: Site) -> None:
    from ipaddress import IPv4Network

    sofia = site.pptp_clients["sofia"]
    carrying = sofia.model_copy(update={"remote_networks": [IPv4Network("127.0.0.0/8")]})
    site = site.model_copy(update={"pptp_clients": {"sofia": carrying}})
    assert push(box, site, force=True).status is Status.PUSHED
    before = box.tree()
    outcome = push(box, with_mtu(site, 1400))
    assert outcome.status is Status.REFUSED
    assert outcome.refusals == (
        "tunnel sofia restarts and its remote network 127.0.0.0/8 holds "
        "the management endpoint 127.0.0.1",
    )
    assert box.tree() == before


def test_a_removed_tunnel_loses_its_files_and_its_unit(box: Box, gabrovo: Site) -> None:
    assert push(box, gabrovo, force=True).status is Status.PUSHED
    gone = sorted(gabrovo.pptp_clients)[-1]
    kept = {n: c for n, c in gabrovo.pptp_clients.items() if n != gone}
    smaller = gabrovo.model_copy(update={"pptp_clients": kept})
    calls = len(box.calls)
    outcome = push(box, smaller)
    assert outcome.status is Status.PUSHED, outcome.message
    assert f"- /etc/systemd/system/pptp-{gone}.service (no longer in the build)" in outcome.lines
    assert box.tree() == built(build_site(smaller))
    assert box.calls[calls] == f"systemctl disable --now pptp-{gone}.service"
    assert "systemctl daemon-reload" in box.calls[calls:]


def test_a_site_without_a_usable_login_is_bad_input(box: Box, site: Site) -> None:
    from dataclasses import replace

    from iosgen.errors import UsageError

    options = box.options()
    keyless = replace(options, device=replace(options.device, key_file=None))
    with pytest.raises(UsageError, match="no usable login"):
        push_linux_host(site, None, keyless, target=box.target)  # empty password, no key
    assert box.tree() == {}


def test_a_box_changed_since_the_confirmed_plan_is_refused(box: Box, site: Site) -> None:
    push(box, site, force=True)
    changed = with_mtu(site, 1400)
    plan = push(box, changed, dry_run=True)
    peer = box.root / "etc/ppp/options.pptp"
    peer.write_text(peer.read_text() + "debug\n")  # someone edits between plan and push
    before = box.tree()
    outcome = push_linux_host(
        changed, None, box.options(force=True), target=box.target, expected=plan.lines
    )
    assert (outcome.status, outcome.message) == (
        Status.REFUSED,
        "the box's files changed since the plan was confirmed: run again",
    )
    assert box.tree() == before
    confirmed = push(box, changed, dry_run=True).lines
    outcome = push_linux_host(
        changed, None, box.options(force=True), target=box.target, expected=confirmed
    )
    assert outcome.status is Status.PUSHED, outcome.message


# the stop comes before the step: before the first write nothing was written (aborted);
# at the first reload the new peer file is in place (rolled back)
STOPS = {"upload": Status.ABORTED, "place": Status.ABORTED, "reload": Status.ROLLED_BACK}


@pytest.mark.parametrize("step", STOPS, ids=list(STOPS))
def test_an_interrupt_mid_push_ends_at_the_old_tree(box: Box, site: Site, step: str) -> None:
    from iosgen.push.signals import Stopped

    push(box, site, force=True)
    before = box.tree()

    def stop(kind: str, path: str) -> None:
        if kind == step:
            raise Stopped("SIGTERM")

    outcome = push(box, with_mtu(site, 1400), on_step=stop)
    assert (outcome.status, outcome.final) == (STOPS[step], Final.OLD), outcome.message
    assert outcome.message.startswith("stopped by SIGTERM")
    assert box.tree() == before
