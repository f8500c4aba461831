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
if [ "$1" = show ]; then  # what systemd answers for a running unit, or one redialling
  if [ -e "{dir}/down" ]; then printf 'MainPID=0\nActiveState=activating\nSubState=auto-restart\n'
  else printf 'MainPID=4242\nActiveState=active\nSubState=running\n'; fi
fi
# wg-quick@wgN: stopping runs `wg-quick down wgN`, which reads its file (wg-quick(8));
# starting it brings the interface up, and the peers' handshakes follow
case "$*" in
  "disable --now wg-quick@"*|"stop wg-quick@"*)
    i=${{3#wg-quick@}}; i=${{i%.service}}
    if [ ! -f "{dir}/root/etc/wireguard/$i.conf" ]; then
      echo "wg-quick: \\`/etc/wireguard/$i.conf' does not exist" >&2; exit 1; fi
    rm -f "{dir}/wg-$i" ;;
  "restart wg-quick@"*)
    i=${{2#wg-quick@}}; i=${{i%.service}}; now=$(date +%s)
    [ -e "{dir}/no-handshake" ] && now=0
    sed -n 's/^PublicKey = //p' "{dir}/root/etc/wireguard/$i.conf" |
      while read -r key; do printf '%s\t%s\n' "$key" "$now"; done > "{dir}/wg-$i" ;;
  "reload-or-restart strongswan.service")
    if [ -e "{dir}/sas.next" ]; then cp "{dir}/sas.next" "{dir}/sas"; fi ;;
esac
""",
    # wg(8) and swanctl(8) answer from what the systemctl stand-in left (charon and a
    # WireGuard interface cannot run in this box); every call is recorded
    "wg": """#!/bin/sh
echo "wg $*" >> "{dir}/calls.log"
if [ "$1" = show ] && [ -f "{dir}/wg-$2" ]; then cat "{dir}/wg-$2"; exit 0; fi
echo "Unable to access interface: No such device" >&2; exit 1
""",
    "swanctl": """#!/bin/sh
echo "swanctl $*" >> "{dir}/calls.log"
[ "$1" = --list-sas ] && [ -f "{dir}/sas" ] && cat "{dir}/sas"
exit 0
""",
    "iptables-restore": """#!/bin/sh
echo "iptables-restore $*" >> "{dir}/calls.log"
exec unshare -n sh -c '/usr/sbin/iptables-restore "$1" && /usr/sbin/iptables-save -t nat' x "$@"
""",
    "sysctl": """#!/bin/sh
echo "sysctl $*" >> "{dir}/calls.log"
exec unshare -n /usr/sbin/sysctl "$@"
""",
    # sysvinit's telinit(8) (PID 1 is no init of the box's here): recorded only
    "telinit": """#!/bin/sh
echo "telinit $*" >> "{dir}/calls.log"
""",
}

# The head of Debian's sysvinit-core /etc/inittab (12, bookworm), which a box without
# systemd runs: the push keeps its lines and adds iosgen's respawn block.
INITTAB = """\
# /etc/inittab: init(8) configuration.
id:2:initdefault:
si::sysinit:/etc/init.d/rcS
l2:2:wait:/etc/init.d/rc 2
1:2345:respawn:/sbin/getty 38400 tty1
"""

SSHD_CONFIG = """\
Port {port}
ListenAddress 127.0.0.1
HostKey {dir}/host_key
PidFile {dir}/sshd.pid
# read by root: sshd reads an AuthorizedKeysFile as the user, who cannot enter pytest's
# 0700 tmp folder
AuthorizedKeysFile none
AuthorizedKeysCommand /bin/cat {dir}/authorized_keys
AuthorizedKeysCommandUser root
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
SetEnv PATH={path}
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


def make_root(root: Path, systemd: bool = True) -> None:
    """A Debian 12 box's root; without systemd, a sysvinit box with its inittab."""
    (root / "boot").mkdir(parents=True)
    (root / "boot" / f"config-{platform.release()}").write_text(KERNEL_CONFIG)
    if systemd:
        (root / "run/systemd/system").mkdir(parents=True)
    (root / "proc/sys/net/ipv4").mkdir(parents=True)
    (root / "proc/sys/net/ipv4/ip_forward").write_text("0\n")
    (root / "etc").mkdir()
    if not systemd:
        (root / "etc/inittab").write_text(INITTAB)


# sshd in its own mount namespace: a tmpfs of SIZE over the root's etc/ (a disk that
# really fills, ENOSPC), or copies of /etc/passwd, shadow, group and sudoers bound over
# the real ones (a login user with sudo): seen by its sessions, nothing else.
ON_TMPFS = 'mount -t tmpfs -o size="{size}",mode=0755 iosgen-full "{etc}"'
BIND = 'mount --bind "{source}" "{target}"'

SUDO_USER = "iosgen"
SUDO_PASSWORD = "sudo-pw 7"
SUDOERS = f"Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n{SUDO_USER} ALL=(ALL:ALL) ALL\n"


def sudo_files(folder: Path) -> list[tuple[Path, str]]:
    """Copies of the account files with the sudo user added (uid 4242, its password
    hashed by openssl as SHA-512 crypt), and a sudoers that lets it run anything."""
    hashed = subprocess.run(
        ["openssl", "passwd", "-6", "-stdin"],
        input=SUDO_PASSWORD,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lines = {
        "passwd": f"{SUDO_USER}:x:4242:4242::/tmp:/bin/sh\n",
        "shadow": f"{SUDO_USER}:{hashed}:19000:0:99999:7:::\n",
        "group": f"{SUDO_USER}:x:4242:\n",
    }
    out = []
    for name, line in lines.items():
        copy = folder / name
        copy.write_text(Path(f"/etc/{name}").read_text() + line)
        out.append((copy, f"/etc/{name}"))
    sudoers = folder / "sudoers"
    sudoers.write_text(SUDOERS)
    sudoers.chmod(0o440)
    out.append((sudoers, "/etc/sudoers"))
    return out


def system_path(folder: Path, without: tuple[str, ...]) -> str:
    """The PATH of the box: bin/ first, then the system's folders, or, when tools are to
    be missing, one folder of links to every system tool but those."""
    if not without:
        return f"{folder}/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    links = folder / "sysbin"
    links.mkdir()
    for system in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
        for tool in Path(system).iterdir():
            if tool.name not in without and not (links / tool.name).exists():
                (links / tool.name).symlink_to(tool)
    return f"{folder}/bin:{links}"


def start_box(
    folder: Path,
    etc_tmpfs: str | None = None,
    sudo: bool = False,
    systemd: bool = True,
    without: tuple[str, ...] = (),
) -> Box:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("host_key", "client_key"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True
        )
    shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    for name, text in RECORDING.items():
        if name in without:
            continue
        tool = bin_dir / name
        tool.write_text(text.format(dir=folder))
        tool.chmod(0o755)
    root = folder / "root"
    make_root(root, systemd)
    port = free_port()
    config = folder / "sshd_config"
    text = SSHD_CONFIG.format(port=port, dir=folder, path=system_path(folder, without))
    if sudo:  # the sudo user may also log in with its password (sshd checks shadow)
        text = text.replace("PasswordAuthentication no", "PasswordAuthentication yes")
    config.write_text(text)
    Path("/run/sshd").mkdir(exist_ok=True)  # sshd's privilege separation directory
    command = [SSHD, "-D", "-e", "-f", str(config)]
    setup = [ON_TMPFS.format(size=etc_tmpfs, etc=root / "etc")] if etc_tmpfs else []
    if sudo:
        setup += [BIND.format(source=a, target=b) for a, b in sudo_files(folder)]
    if setup:
        script = " && ".join([*setup, 'exec "$@"'])
        command = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", *command]
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
        SUDO_USER if sudo else "root",
        Secret("", source="test"),
        host_key=f"{public[0]} {public[1]}",
    )
    return Box(folder, root, port, process, target, folder / "client_key")


@pytest.fixture
def box(tmp_path: Path) -> Iterator[Box]:
    yield from _serve(start_box(tmp_path / "box"))


@pytest.fixture
def inittab_box(tmp_path: Path) -> Iterator[Box]:
    """A box without systemd: no /run/systemd/system, a sysvinit /etc/inittab."""
    yield from _serve(start_box(tmp_path / "box", systemd=False))


@pytest.fixture
def full_box(tmp_path: Path) -> Iterator[Box]:
    """A box whose etc/ is a 256 KiB tmpfs, seen only by its sshd's sessions."""
    yield from _serve(start_box(tmp_path / "box", etc_tmpfs="256k"))


@pytest.fixture
def sudo_box(tmp_path: Path) -> Iterator[Box]:
    """A box whose login is a user with sudo (its password SUDO_PASSWORD)."""
    require_sshd()
    if shutil.which("sudo") is None:
        pytest.fail("missing sudo: apt-get install sudo (listed in .ci/apt-linux.txt)")
    yield from _serve(start_box(tmp_path / "box", sudo=True))


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
