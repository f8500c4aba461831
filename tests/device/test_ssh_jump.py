"""A jump host for real: Debian's OpenSSH sshd on loopback, key authentication only, in
front of the simulator; iosgen's session, audit and push reach the router through it.

The sshd logs at DEBUG1, so the test sees the `direct-tcpip` request that carried
the router's session (sshd's `server_request_direct_tcpip` line names the target
port): the session really went through the jump host, not straight to loopback.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.build.ios import render
from iosgen.cli import app
from iosgen.device.session import Device, DeviceOptions
from iosgen.errors import AuthError, DeviceError, HostKeyError
from iosgen.model.inventory import load_site
from iosgen.model.sshoptions import SshOptions
from iosgen.model.targets import Target
from iosgen.sim import RouterSpec, SimFleet
from tests.conftest import INVENTORY
from tests.linux_box.conftest import SSHD, free_port, require_sshd

SSHD_CONFIG = """\
Port {port}
ListenAddress 127.0.0.1
HostKey {dir}/host_key
PidFile {dir}/sshd.pid
AuthorizedKeysFile none
AuthorizedKeysCommand /bin/cat {dir}/authorized_keys
AuthorizedKeysCommandUser root
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding {forwarding}
LogLevel DEBUG1
"""


@dataclass
class Jump:
    dir: Path
    port: int
    process: subprocess.Popen[str]
    key: Path  # the authorised client key
    host_key: str  # "ssh-ed25519 AAAA..."
    log: list[str] = field(default_factory=list)
    reader: threading.Thread | None = None

    def ssh(self, **kw: object) -> SshOptions:
        options: dict[str, object] = {
            "proxy_jump": f"root@127.0.0.1:{self.port}",
            "identity_file": str(self.key),
            "jump_host_key": self.host_key,
        }
        return SshOptions(**(options | kw))

    def forwarded_to(self, port: int) -> bool:
        return any("direct_tcpip" in line and f"port {port}" in line for line in self.log)


def keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


def start_jump(folder: Path, forwarding: str = "yes") -> Jump:
    require_sshd()
    folder.mkdir(parents=True)
    for name in ("host_key", "client_key", "other_key"):
        keygen(folder / name)
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(SSHD_CONFIG.format(port=port, dir=folder, forwarding=forwarding))
    Path("/run/sshd").mkdir(exist_ok=True)
    process = subprocess.Popen(
        [SSHD, "-D", "-e", "-f", str(config)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:  # awaited on sshd's own word
        if "Server listening on" in line:
            break
    else:
        pytest.fail(f"sshd did not start (exit {process.wait()})")
    public = (folder / "host_key.pub").read_text().split()
    jump = Jump(folder, port, process, folder / "client_key", f"{public[0]} {public[1]}")

    def drain() -> None:  # keep reading: a full pipe would stall sshd
        assert process.stderr is not None
        for text in process.stderr:
            jump.log.append(text)

    jump.reader = threading.Thread(target=drain, daemon=True)
    jump.reader.start()
    return jump


def stop(jump: Jump) -> None:
    jump.process.terminate()
    jump.process.wait(timeout=30)
    if jump.reader is not None:
        jump.reader.join(timeout=30)
    if jump.process.stderr is not None:
        jump.process.stderr.close()


@pytest.fixture
def jump(tmp_path: Path) -> Iterator[Jump]:
    running = start_jump(tmp_path / "jump")
    yield running
    stop(running)


def options(tmp_path: Path, **kw: object) -> DeviceOptions:
    return DeviceOptions(known_hosts=tmp_path / "known_hosts", connect_retries=0, **kw)  # type: ignore[arg-type]


def test_session_runs_through_the_jump_host(jump: Jump, target: Target, tmp_path: Path) -> None:
    via = replace(target, ssh=jump.ssh())
    with Device(via, options(tmp_path)) as dev:
        assert "hostname R-DEV" in dev.running_config()
        # the address the router sees: the jump host's, for the management-path guard
        assert dev.local_address == "127.0.0.1"
    assert jump.forwarded_to(target.port), "".join(jump.log[-20:])
    # the router's key is pinned as ever: under its own address, from the targets file
    assert not (tmp_path / "known_hosts").exists()


def test_jump_host_key_is_pinned_like_a_routers(jump: Jump, target: Target, tmp_path: Path) -> None:
    unpinned = replace(target, ssh=jump.ssh(jump_host_key=None))
    with pytest.raises(HostKeyError) as caught:
        Device(unpinned, options(tmp_path)).connect()
    assert f"SSH host key of jump host root@127.0.0.1:{jump.port} is not known" in str(caught.value)
    # --accept-new-host-key writes it to the known-hosts file, as for a router
    with Device(unpinned, options(tmp_path, accept_new_host_key=True)) as dev:
        dev.command("show clock")
    known = (tmp_path / "known_hosts").read_text()
    assert f"[127.0.0.1]:{jump.port} ssh-ed25519 {jump.host_key.split()[1]}" in known
    with Device(unpinned, options(tmp_path)) as dev:
        dev.command("show clock")
    # a jump host whose key changed is refused, whatever the known-hosts file says
    other = (jump.dir / "other_key.pub").read_text().split()
    changed = replace(target, ssh=jump.ssh(jump_host_key=f"{other[0]} {other[1]}"))
    with pytest.raises(HostKeyError, match="has CHANGED"):
        Device(changed, options(tmp_path)).connect()


def test_refused_key_is_one_clear_message(jump: Jump, target: Target, tmp_path: Path) -> None:
    wrong = replace(target, ssh=jump.ssh(identity_file=str(jump.dir / "other_key")))
    with pytest.raises(AuthError) as caught:
        Device(wrong, options(tmp_path)).connect()
    assert caught.value.message == (
        f"R-DEV: jump host root@127.0.0.1:{jump.port} refused the login as 'root' "
        f"with {jump.dir / 'other_key'}"
    )


@pytest.mark.parametrize("what", ["jump-host", "router-behind-it"])
def test_unreachable_is_one_clear_message(
    jump: Jump, target: Target, tmp_path: Path, what: str
) -> None:
    closed = free_port()
    if what == "jump-host":
        via = replace(target, ssh=jump.ssh(proxy_jump=f"root@127.0.0.1:{closed}"))
        expected = (
            f"unreachable: jump host root@127.0.0.1:{closed}: "
            "connection refused (nothing listens on that port)"
        )
    else:
        via = replace(target, port=closed, ssh=jump.ssh())
        expected = (
            f"unreachable at 127.0.0.1:{closed} through jump host "
            f"root@127.0.0.1:{jump.port}: Connect failed"
        )
    with pytest.raises(DeviceError) as caught:
        Device(via, options(tmp_path)).connect()
    assert caught.value.message == f"R-DEV: {expected}"
    assert caught.value.exit_code == 3


def test_jump_host_without_forwarding_says_so(target: Target, tmp_path: Path) -> None:
    jump = start_jump(tmp_path / "jump", forwarding="no")
    try:
        with pytest.raises(DeviceError, match="Administratively prohibited"):
            Device(replace(target, ssh=jump.ssh()), options(tmp_path)).connect()
    finally:
        stop(jump)


# -- the commands, as an operator runs them -------------------------------------------


@pytest.fixture
def itd_sim(tmp_path: Path) -> Iterator[tuple[SimFleet, str]]:
    """R-ITD simulated at its intended config but `mtu 1400` on Dialer2 (one drift)."""
    site = load_site(INVENTORY / "sites" / "plovdiv.yaml")
    text = render(site).text
    assert " mtu 1460" in text
    mgmt = site.management
    spec = RouterSpec(
        "R-ITD",
        mgmt.username,
        mgmt.password.reveal(),
        enable_secret=mgmt.enable_secret.reveal() if mgmt.enable_secret else None,
        initial_config=text.replace(" mtu 1460", " mtu 1400", 1),
    )
    with SimFleet([spec], state_dir=tmp_path / "sim") as fleet:
        yield fleet, Path(fleet.targets_file).read_text()


def test_audit_and_push_reach_the_router_through_the_jump_host(
    jump: Jump, itd_sim: tuple[SimFleet, str], tmp_path: Path
) -> None:
    fleet, targets_text = itd_sim
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        targets_text + "  ssh:\n"
        f"    proxy_jump: root@127.0.0.1:{jump.port}\n"
        f"    identity_file: {jump.key}\n"
        f"    jump_host_key: {jump.host_key}\n"
    )
    common = ["--host", "R-ITD", "-i", str(INVENTORY), "--targets", str(targets)]
    common += ["--known-hosts", str(tmp_path / "kh")]
    runner = CliRunner()
    drift = runner.invoke(app, ["audit", *common])
    assert drift.exit_code == 1, drift.output
    assert "mtu 1460" in drift.output
    pushed = runner.invoke(app, ["push", *common, "--yes", "--history", str(tmp_path / "history")])
    assert pushed.exit_code == 0, pushed.output
    clean = runner.invoke(app, ["audit", *common])
    assert clean.exit_code == 0, clean.output
    port = fleet.targets["R-ITD"].port
    assert jump.forwarded_to(port)
    assert "Traceback" not in drift.output + pushed.output + clean.output
