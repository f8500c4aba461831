"""A real Linux box for the push: Debian's OpenSSH server on loopback, writing under a
throwaway root.

Each test gets its own `sshd` (openssh-server, `.ci/apt-linux.txt`) on a free
port of 127.0.0.1, with its own host key (pinned in the Target, as a targets
file pins it) and one authorized client key. Its sessions run with
`SetEnv PATH=` our `bin/` first, where recording tools stand in for what a
box without systemd as PID 1 cannot do: `systemctl` writes its arguments to
`calls.log` (and fails when `fail-systemctl` exists); `iptables-restore` and
`sysctl` record, then run the real tool in a fresh network namespace
(`unshare -n`), so the rules are loaded for real without touching the host.

The root holds what the preflight reads of a Debian 12 box: the kernel config
lines of CONFIG_PPP and CONFIG_PPP_MPPE, `/run/systemd/system` (sd_booted(3):
systemd is running) and a writable `proc/sys/net/ipv4/ip_forward`.
"""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from iosgen.build import Build, build_site
from iosgen.device.linux import LinuxOptions
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from iosgen.model.targets import Target
from iosgen.push.linux import LinuxPushOptions
from tests.linux.conftest import LINUX_SITE_FILES, load_linux_site

SSHD = "/usr/sbin/sshd"

RECORDING = {
    "systemctl": """#!/bin/sh
echo "systemctl $*" >> "{dir}/calls.log"
if [ -e "{dir}/fail-systemctl" ]; then echo "Job for $3 failed." >&2; exit 1; fi
""",
    "iptables-restore": """#!/bin/sh
echo "iptables-restore $*" >> "{dir}/calls.log"
exec unshare -n sh -c '/usr/sbin/iptables-restore "$1" && /usr/sbin/iptables-save -t nat' x "$@"
""",
    "sysctl": """#!/bin/sh
echo "sysctl $*" >> "{dir}/calls.log"
exec unshare -n /usr/sbin/sysctl "$@"
""",
}

SSHD_CONFIG = """\
Port {port}
ListenAddress 127.0.0.1
HostKey {dir}/host_key
PidFile {dir}/sshd.pid
AuthorizedKeysFile {dir}/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
SetEnv PATH={dir}/bin:/usr/sbin:/usr/bin:/sbin:/bin
LogLevel INFO
"""

# A Debian 12 kernel's config (/boot/config-6.1.0-*-amd64) on these two options.
KERNEL_CONFIG = "CONFIG_PPP=m\nCONFIG_PPP_MPPE=m\nCONFIG_PPP_ASYNC=m\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Box:
    """One running sshd and the folders the tests look at."""

    dir: Path
    root: Path
    port: int
    process: subprocess.Popen[str]
    target: Target
    key_file: Path

    @property
    def calls(self) -> list[str]:
        log = self.dir / "calls.log"
        return log.read_text().splitlines() if log.exists() else []

    def options(self, **kw: object) -> LinuxPushOptions:
        device = LinuxOptions(known_hosts=None, key_file=self.key_file, root=str(self.root))
        return LinuxPushOptions(device=device, history_dir=self.dir / "history", **kw)  # type: ignore[arg-type]

    def tree(self) -> dict[str, tuple[str, int]]:
        """Every file under etc/ of the root: content and mode."""
        out = {}
        for path in sorted((self.root / "etc").rglob("*")):
            if path.is_file():
                mode = path.stat().st_mode & 0o7777
                out[str(path.relative_to(self.root))] = (path.read_text(), mode)
        return out

    def drop_sessions(self) -> None:
        """Kill the sshd children serving our connections (the listener stays)."""
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        for pid in out.split():
            os.kill(int(pid), 9)


def require_sshd() -> None:
    if not Path(SSHD).exists() or shutil.which("ssh-keygen") is None:
        pytest.fail("missing sshd: apt-get install openssh-server (listed in .ci/apt-linux.txt)")


def make_root(root: Path) -> None:
    (root / "boot").mkdir(parents=True)
    (root / "boot" / f"config-{platform.release()}").write_text(KERNEL_CONFIG)
    (root / "run/systemd/system").mkdir(parents=True)
    (root / "proc/sys/net/ipv4").mkdir(parents=True)
    (root / "proc/sys/net/ipv4/ip_forward").write_text("0\n")
    (root / "etc").mkdir()


# sshd in its own mount namespace, with a tmpfs of SIZE over the root's etc/: a disk
# that really fills (ENOSPC) for its sessions and nothing else on the machine.
ON_TMPFS = 'mount -t tmpfs -o size="$1",mode=0755 iosgen-full "$2" && shift 2 && exec "$@"'


def start_box(folder: Path, etc_tmpfs: str | None = None) -> Box:
    require_sshd()
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("host_key", "client_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True
        )
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name, text in RECORDING.items():
        tool = bin_dir / name
        tool.write_text(text.format(dir=folder))
        tool.chmod(0o755)
    root = folder / "root"
    make_root(root)
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(SSHD_CONFIG.format(port=port, dir=folder))
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
    command = [SSHD, "-D", "-e", "-f", str(config)]
    if etc_tmpfs is not None:
        wrap = ["unshare", "-m", "--propagation", "private", "sh", "-c", ON_TMPFS, "sh"]
        command = [*wrap, etc_tmpfs, str(root / "etc"), *command]
    process = subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    # awaited on sshd's own word, not a sleep
    for line in process.stderr:
        if "Server listening on" in line:
            break
    else:
        pytest.fail(f"sshd did not start (exit {process.wait()})")
    public = (folder / "host_key.pub").read_text().split()
    target = Target(
        "plovdiv-gw",
        "127.0.0.1",
        port,
        "root",
        Secret("", source="test"),
        host_key=f"{public[0]} {public[1]}",
    )
    return Box(folder, root, port, process, target, folder / "client_key")


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Box]:
    yield from _serve(start_box(tmp_path / "box"))


@pytest.fixture
def full_box(tmp_path: Path) -> Iterator[Box]:
    """A box whose etc/ is a 256 KiB tmpfs, seen only by its sshd's sessions."""
    yield from _serve(start_box(tmp_path / "box", etc_tmpfs="256k"))


def _serve(running: Box) -> Iterator[Box]:
    try:
        yield running
    finally:
        running.process.terminate()
        running.process.wait(timeout=30)
        if running.process.stderr is not None:
            running.process.stderr.close()


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return load_linux_site(LINUX_SITE_FILES["plovdiv-gw"], tmp_path)


@pytest.fixture
def gabrovo(tmp_path: Path) -> Site:
    return load_linux_site(LINUX_SITE_FILES["gabrovo-gw"], tmp_path)


@pytest.fixture
def build(site: Site) -> Build:
    return build_site(site)
