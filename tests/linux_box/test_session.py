"""The Linux device layer against a real sshd: commands, files, pinned host keys, preflight."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from iosgen.device.linux import LinuxBox, LinuxOptions
from iosgen.errors import HostKeyError
from iosgen.model.site import Site
from iosgen.push.linux import INSTALL, PROBE, judge_probe
from tests.linux_box.conftest import Box


def test_commands_and_files_round_trip(box: Box) -> None:
    options = LinuxOptions(known_hosts=None, key_file=box.key_file, root=str(box.root))
    with LinuxBox(box.target, options) as dev:
        assert dev.run("echo hi; echo err >&2; exit 3").status == 3
        assert dev.run("echo hi").out == "hi\n"
        staged = dev.staging()
        dev.upload(staged, [("etc/ppp/x", 'a "b"\n')], lambda p: None)
        dev.place(f"{staged}/0", "etc/ppp/x", 0o600)
        files = dev.read_files(["etc/ppp/x", "etc/ppp/none"])
    assert files["etc/ppp/x"].content == 'a "b"\n'
    assert files["etc/ppp/x"].mode == 0o600
    assert files["etc/ppp/x"].owner == "root:root"
    assert files["etc/ppp/none"].content is None
    assert (box.root / "etc/ppp/x").stat().st_mode & 0o777 == 0o600
    # no temp file left beside it
    assert sorted(p.name for p in (box.root / "etc/ppp").iterdir()) == ["x"]


def test_unknown_host_key_is_refused(box: Box, tmp_path: Path) -> None:
    options = LinuxOptions(known_hosts=tmp_path / "known", key_file=box.key_file)
    with pytest.raises(HostKeyError, match="is not known"):
        LinuxBox(replace(box.target, host_key=None), options).connect()


def test_changed_host_key_is_refused(box: Box, tmp_path: Path) -> None:
    other = box.dir / "other.pub"
    import subprocess

    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(box.dir / "other")])
    kind, blob = other.read_text().split()[:2]
    options = LinuxOptions(known_hosts=None, key_file=box.key_file)
    with pytest.raises(HostKeyError, match="CHANGED"):
        LinuxBox(replace(box.target, host_key=f"{kind} {blob}"), options).connect()


def _probe(box: Box) -> str:
    options = LinuxOptions(known_hosts=None, key_file=box.key_file, root=str(box.root))
    with LinuxBox(box.target, options) as dev:
        return dev.run(f"set -- '{box.root}'; {PROBE}").out


def test_preflight_passes_on_a_debian_like_root(box: Box, site: Site) -> None:
    pre = judge_probe(_probe(box), site)
    assert pre.problems == ()
    assert pre.init == "systemd"
    assert pre.facts["ppp_version"] == "2.4.9-1+1.1+b1"  # Debian 12's ppp, read by dpkg-query


BREAKS = {
    "no-mppe": (lambda r: (r / "boot").iterdir().__next__().write_text("CONFIG_PPP=m\n"), "mppe"),
    "no-ppp": (lambda r: (r / "boot").iterdir().__next__().write_text(""), "ppp"),
    "no-init": (lambda r: (r / "run/systemd/system").rmdir(), "init"),
    "no-forward": (lambda r: (r / "proc/sys/net/ipv4/ip_forward").unlink(), "ip_forward"),
}


@pytest.mark.parametrize("name", BREAKS, ids=list(BREAKS))
def test_preflight_names_what_is_missing(box: Box, site: Site, name: str) -> None:
    breaks, key = BREAKS[name]
    breaks(box.root)
    pre = judge_probe(_probe(box), site)
    assert INSTALL[key] in pre.problems


def test_inittab_box_is_chosen_when_no_systemd(box: Box, site: Site) -> None:
    (box.root / "run/systemd/system").rmdir()
    (box.root / "etc/inittab").write_text("id:2:initdefault:\n")
    pre = judge_probe(_probe(box), site)
    assert pre.init == "inittab"
    assert pre.problems == ()
