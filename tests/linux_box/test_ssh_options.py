"""A Linux box reached as an IOS router is: through a real OpenSSH jump host
(tests/device/test_ssh_jump.py's sshd, key authentication, DEBUG1 log), and by the
names of an ssh_config file (HostName, Port, IdentityFile, ProxyJump,
HostKeyAlgorithms), with the box's key pinned as ever."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from iosgen.device.linux import LinuxBox, LinuxOptions
from iosgen.errors import DeviceError
from iosgen.model.site import Site
from iosgen.model.sshoptions import SshOptions
from iosgen.push.linux import push_linux_host
from iosgen.push.outcome import Status
from tests.device.test_ssh_jump import Jump, start_jump, stop
from tests.linux_box.conftest import Box


@pytest.fixture
def jump(tmp_path: Path, box: Box) -> Iterator[Jump]:
    running = start_jump(tmp_path / "jump")
    # one key for both hops, as the documented identity_file is
    keys = running.dir / "authorized_keys"
    keys.write_text(keys.read_text() + (box.dir / "client_key.pub").read_text())
    yield running
    stop(running)


def keyless(box: Box) -> LinuxOptions:
    """The box's options without iosgen's own key option: the ssh options must do it."""
    return LinuxOptions(known_hosts=None, root=str(box.root))


def test_session_and_push_go_through_the_jump_host(box: Box, jump: Jump, site: Site) -> None:
    ssh = SshOptions(
        proxy_jump=f"root@127.0.0.1:{jump.port}",
        identity_file=str(box.key_file),
        jump_host_key=jump.host_key,
    )
    target = replace(box.target, ssh=ssh)
    with LinuxBox(target, keyless(box)) as linux:
        assert linux.run("echo up", privileged=False).out == "up\n"
        # what the management guard keeps: the jump host's address, as for routers
        assert linux.local_address == "127.0.0.1"
    assert jump.forwarded_to(box.port), "".join(jump.log[-20:])
    options = box.options(force=True)
    options = replace(options, device=keyless(box))
    out = push_linux_host(site, None, options, target=target)
    assert out.status is Status.PUSHED, out.message
    assert "etc/ppp/chap-secrets" in box.tree()


def test_ssh_config_names_the_box(box: Box, jump: Jump, tmp_path: Path) -> None:
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host plovdiv-box\n  HostName 127.0.0.1\n  Port {box.port}\n"
        f"  IdentityFile {box.key_file}\n  HostKeyAlgorithms ssh-ed25519\n"
        f"  ProxyJump bastion\n"
        f"Host bastion\n  HostName 127.0.0.1\n  Port {jump.port}\n  User root\n"
        f"  IdentityFile {box.key_file}\n"
    )
    ssh = SshOptions(config_file=str(config), jump_host_key=jump.host_key)
    target = replace(box.target, host="plovdiv-box", port=22, ssh=ssh)
    with LinuxBox(target, keyless(box)) as linux:
        assert linux.run("id -un", privileged=False).out == "root\n"
    assert jump.forwarded_to(box.port)


def test_host_key_algorithms_the_box_lacks_fail_clearly(box: Box, tmp_path: Path) -> None:
    """The box has an ed25519 host key only: a config that allows RSA alone finds none."""
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host plovdiv-box\n  HostName 127.0.0.1\n  Port {box.port}\n"
        f"  IdentityFile {box.key_file}\n  HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256\n"
    )
    target = replace(
        box.target, host="plovdiv-box", port=22, ssh=SshOptions(config_file=str(config))
    )
    with pytest.raises(DeviceError) as caught:
        LinuxBox(target, keyless(box)).connect()
    assert caught.value.message.startswith(f"plovdiv-gw: unreachable at 127.0.0.1:{box.port}: ")
    assert "host key" in caught.value.message.lower()
    # the same file allowing ed25519 logs in
    config.write_text(config.read_text().replace("rsa-sha2-512,rsa-sha2-256", "ssh-ed25519"))
    with LinuxBox(target, keyless(box)) as linux:
        assert linux.alive
