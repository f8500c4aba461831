"""The seed's inittab path, for real on the sshd box: a box without systemd (no
/run/systemd/system, a sysvinit /etc/inittab) gets the respawn lines in /etc/inittab,
`telinit q` (recorded, as systemctl is) and a kill of the tunnel's pppd, which init's
`respawn` starts again on the new files.

The pppd is a real process on the box whose command line is pppd's
(`exec -a "/usr/sbin/pppd call sofia nodetach" sleep`): the push's `pkill` really ends it.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from iosgen.build import build_site
from iosgen.model.site import Site
from iosgen.push.linux import BEGIN, END, push_linux_host, verify_linux_site
from iosgen.push.outcome import Final, PushOutcome, Status
from tests.linux_box.conftest import INITTAB, Box

RESPAWN = "pp02:2345:respawn:/usr/sbin/pppd call sofia nodetach"


def push(box: Box, site: Site, **kw: object) -> PushOutcome:
    return push_linux_host(site, None, box.options(**kw), target=box.target)


def with_mtu(site: Site, mtu: int) -> Site:
    sofia = site.pptp_clients["sofia"].model_copy(update={"mtu": mtu})
    return site.model_copy(update={"pptp_clients": {"sofia": sofia}})


def fake_pppd() -> subprocess.Popen[bytes]:
    """A process whose command line is the respawned pppd's (bash's `exec -a`)."""
    process = subprocess.Popen(
        ["bash", "-c", 'exec -a "/usr/sbin/pppd call sofia nodetach" sleep 600']
    )
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    deadline = time.monotonic() + 10
    while not cmdline.read_bytes().startswith(b"/usr/sbin/pppd"):  # bash has exec'd
        assert time.monotonic() < deadline, "the stand-in pppd did not start"
        time.sleep(0.01)
    return process


@pytest.fixture
def pppd() -> Iterator[subprocess.Popen[bytes]]:
    process = fake_pppd()
    try:
        yield process
    finally:
        process.kill()
        process.wait()


def test_preflight_chooses_inittab_and_the_push_writes_the_respawn_block(
    inittab_box: Box, site: Site
) -> None:
    box = inittab_box
    outcome = push(box, site, force=True)
    assert (outcome.status, outcome.final) == (Status.PUSHED, Final.NEW), outcome.message
    assert any(n.startswith("preflight: ") and n.endswith("init inittab") for n in outcome.notes)
    inittab = (box.root / "etc/inittab").read_text()
    assert inittab == f"{INITTAB}{BEGIN}\n{RESPAWN}\n{END}\n"  # the box's lines kept
    assert "/etc/inittab" in "\n".join(outcome.lines)  # shown in the plan's diff
    assert not any(c.startswith("systemctl") for c in box.calls)
    assert "telinit q" in box.calls
    assert box.calls.index("telinit q") > box.calls.index(
        f"iptables-restore {box.root}/etc/iptables/rules.v4"
    )
    # a second push: nothing to do, the block is not added twice
    again = push(box, site)
    assert again.status is Status.IN_SYNC, again.lines
    assert (box.root / "etc/inittab").read_text() == inittab


def test_a_peer_change_kills_pppd_so_that_respawn_starts_it_on_the_new_file(
    inittab_box: Box, site: Site, pppd: subprocess.Popen[bytes]
) -> None:
    box = inittab_box
    assert push(box, site, force=True).status is Status.PUSHED
    pppd.wait(timeout=30)  # the first push restarts the tunnel too
    again = fake_pppd()
    try:
        calls = len(box.calls)
        outcome = push(box, with_mtu(site, 1400))
        assert outcome.status is Status.PUSHED, outcome.message
        assert again.wait(timeout=30) == -15  # SIGTERM from the push's pkill
        assert box.calls[calls:] == ["telinit q"]
        assert "pkill -f '^/usr/sbin/pppd call sofia nodetach'; true" in [
            s.line for s in outcome.sent
        ]
    finally:
        again.kill()
        again.wait()


def test_a_hand_edit_of_the_block_is_put_back(inittab_box: Box, site: Site) -> None:
    box = inittab_box
    push(box, site, force=True)
    path = box.root / "etc/inittab"
    path.write_text(path.read_text().replace(RESPAWN, "#" + RESPAWN) + "2:23:respawn:/x\n")
    outcome = push(box, site)
    assert outcome.status is Status.PUSHED, outcome.message
    text = path.read_text()
    assert RESPAWN in text and "#" + RESPAWN not in text
    assert "2:23:respawn:/x" in text  # an operator's own line outside the block stays


def test_verify_reads_the_respawned_pppd(
    inittab_box: Box, site: Site, pppd: subprocess.Popen[bytes]
) -> None:
    box = inittab_box
    (state,) = verify_linux_site(site, box.options().device, target=box.target)
    # the pppd process is found (no ppp2 on this kernel, so still down for its link)
    assert "pppd call sofia is not running (inittab respawn)" not in state.problems
    pppd.kill()
    pppd.wait()
    (state,) = verify_linux_site(site, box.options().device, target=box.target)
    assert state.problems[0] == "pppd call sofia is not running (inittab respawn)"


def test_a_box_with_neither_init_is_refused_with_nothing_written(
    inittab_box: Box, site: Site
) -> None:
    box = inittab_box
    (box.root / "etc/inittab").unlink()
    outcome = push(box, site, force=True)
    assert (outcome.status, outcome.final) == (Status.REFUSED, Final.OLD)
    assert "the tree fits neither" in outcome.message and "nothing written" in outcome.message
    assert box.tree() == {} and box.calls == []
    assert build_site(site).files  # the site itself builds: the box is what does not fit


def test_audit_of_an_inittab_box_sees_the_respawn_block(inittab_box: Box, site: Site) -> None:
    from iosgen.push.linux import audit_linux_site

    box = inittab_box
    push(box, site, force=True)
    assert audit_linux_site(site, None, box.options().device, target=box.target).status == (
        "in_sync"
    )
    path = box.root / "etc/inittab"
    path.write_text(path.read_text().replace(RESPAWN, "#" + RESPAWN))
    result = audit_linux_site(site, None, box.options().device, target=box.target)
    assert result.status == "drift"
    drift = result.drift.as_dict()
    assert drift["real"] == [f"+ etc/inittab > {RESPAWN}"]
    assert drift["cosmetic"] == [f"- etc/inittab > #{RESPAWN}"]  # now a comment


def test_backup_of_an_inittab_box_keeps_its_inittab(
    inittab_box: Box, site: Site, tmp_path: Path
) -> None:
    from iosgen.push.linux import backup_linux_site

    box = inittab_box
    push(box, site, force=True)
    folder = backup_linux_site(
        site, tmp_path / "backups", None, box.options().device, target=box.target
    )
    saved = folder / "etc/inittab"
    assert saved.read_text() == (box.root / "etc/inittab").read_text()
    assert BEGIN in saved.read_text() and RESPAWN in saved.read_text()
