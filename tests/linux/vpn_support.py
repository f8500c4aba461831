"""The WireGuard/strongSwan test inventory (tests/linux/vpn) and the sandboxes its files
are loaded in by the real tools (Debian 12: wireguard-tools, wireguard-go,
strongswan-swanctl, charon-systemd; listed in .ci/apt-linux.txt).

This kernel has no WireGuard module, so wireguard-go serves the interface: wg and
wg-quick find it by its socket in /run/wireguard, which each sandbox keeps private
(a tmpfs over /run in its own mount namespace), as it keeps its network namespace.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from iosgen.build import Build, build_site, write_build
from iosgen.model.inventory import load_inventory
from iosgen.model.site import Site
from tests.linux.conftest import TOOL_PACKAGES

VPN_INVENTORY = Path(__file__).resolve().parent / "vpn"

# The Debian package of each tool these tests run (beside tests/linux/conftest.py's).
VPN_TOOLS = {
    "wg": "wireguard-tools",
    "wg-quick": "wireguard-tools",
    "wireguard-go": "wireguard-go",
    "swanctl": "strongswan-swanctl",
    "charon-systemd": "charon-systemd",
    "bash": "bash",
    "systemctl": "systemd",
}


def require(*tools: str) -> None:
    """Fail (never skip) when a tool is missing, naming the Debian packages to install."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        packages = sorted({VPN_TOOLS.get(t) or TOOL_PACKAGES.get(t, t) for t in missing})
        pytest.fail(
            f"missing {', '.join(missing)}: apt-get install {' '.join(packages)} "
            "(listed in .ci/apt-linux.txt)"
        )


CHARON = "/usr/sbin/charon-systemd"


def vpn_sites() -> dict[str, Site]:
    """The test inventory's sites by hostname, each with the fleet attached (as the loader
    does for a head office compiled from its branches)."""
    inventory = load_inventory(VPN_INVENTORY)
    sites = tuple(inventory.sites)
    for site in sites:
        site.with_fleet(sites)
    return {s.hostname: s for s in sites}


def built(site: Site, root: Path) -> Build:
    build = build_site(site)
    write_build(build, root)
    return build


def sh(args: Sequence[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)


def checked(args: Sequence[str], timeout: float = 60) -> str:
    result = sh(args, timeout)
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result.stdout


def pubkey(private: str) -> str:
    """The public key as the real `wg pubkey` says (not iosgen's own derivation)."""
    require("wg")
    result = subprocess.run(
        ["wg", "pubkey"], input=private + "\n", capture_output=True, text=True, timeout=10
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


# wg-quick's userspace fallback, with wireguard-go kept in the foreground (as a child we
# know the pid of) instead of daemonized; its pid goes to $WG_PIDS for the cleanup.
WG_GO = """#!/bin/sh
WG_PROCESS_FOREGROUND=1 wireguard-go "$1" >/dev/null 2>&1 &
echo "$!" >>"$WG_PIDS"
i=0
while [ ! -S "/run/wireguard/$1.sock" ]; do
    i=$((i + 1)); [ "$i" -gt 200 ] && { echo "wireguard-go $1 did not start" >&2; exit 1; }
    sleep 0.05
done
"""

# Common head of every WireGuard sandbox: a private /run, the wrapper, the cleanup.
WG_HEAD = """
set -eu
work=$1
shift
mount -t tmpfs iosgen-run /run
mkdir -p /run/wireguard
export WG_PIDS=/run/wg-go.pids WG_QUICK_USERSPACE_IMPLEMENTATION="$work/wg-go"
: >"$WG_PIDS"
cleanup() {
    while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$WG_PIDS"
}
trap cleanup EXIT
ip link set lo up
"""

# `wg setconf` of the file as `wg-quick strip` leaves it, then read back.
WG_SETCONF = (
    WG_HEAD
    + """
iface=$1 conf=$2
"$WG_QUICK_USERSPACE_IMPLEMENTATION" "$iface"
wg-quick strip "$conf" >/run/stripped.conf
wg setconf "$iface" /run/stripped.conf
echo "@@strip"; cat /run/stripped.conf
echo "@@showconf"; wg showconf "$iface"
echo "@@dump"; wg show "$iface" dump
"""
)

# The whole of `wg-quick up`: interface, keys, address, MTU, the PostUp routes; then down.
WG_QUICK = (
    WG_HEAD
    + """
iface=$1 conf=$2
wg-quick up "$conf" 2>/run/up.log || { cat /run/up.log >&2; exit 1; }
echo "@@link"; ip -o link show "$iface"
echo "@@addr"; ip -o -4 addr show dev "$iface"
echo "@@routes"; ip route show dev "$iface"
echo "@@dump"; wg show "$iface" dump
wg-quick down "$conf" 2>/run/down.log || { cat /run/down.log >&2; exit 1; }
echo "@@after"; ip -o link show "$iface" 2>&1 || true
"""
)


def sections(out: str) -> dict[str, str]:
    """`@@name` blocks of a sandbox's output."""
    parts: dict[str, str] = {}
    name = ""
    for line in out.splitlines():
        if line.startswith("@@"):
            name = line[2:]
            parts[name] = ""
        elif name:
            parts[name] += line + "\n"
    return parts


def wg_sandbox(script: str, work: Path, *args: str, timeout: float = 60) -> dict[str, str]:
    require("wg", "wg-quick", "wireguard-go", "unshare", "ip", "bash")
    wrapper = work / "wg-go"
    wrapper.write_text(WG_GO)
    wrapper.chmod(0o755)
    out = checked(["unshare", "-n", "-m", "bash", "-c", script, "sb", str(work), *args], timeout)
    return sections(out)


@dataclass(frozen=True)
class DumpPeer:
    public_key: str
    preshared_key: str  # "(none)" when unset
    endpoint: str  # "(none)" when unset
    allowed_ips: tuple[str, ...]
    keepalive: str  # "off" or seconds


@dataclass(frozen=True)
class Dump:
    private_key: str
    public_key: str
    listen_port: int
    peers: dict[str, DumpPeer]
    handshakes: dict[str, int]


def parse_dump(text: str) -> Dump:
    """`wg show IFACE dump`: the interface line, then one tab-separated line per peer."""
    lines = [line.split("\t") for line in text.splitlines() if line]
    private, public, port, _fwmark = lines[0]
    peers, handshakes = {}, {}
    for key, psk, endpoint, allowed, handshake, _rx, _tx, keepalive in lines[1:]:
        ips = tuple(sorted(allowed.split(","))) if allowed != "(none)" else ()
        peers[key] = DumpPeer(key, psk, endpoint, ips, keepalive)
        handshakes[key] = int(handshake)
    return Dump(private, public, int(port), peers, handshakes)


# --- strongSwan ------------------------------------------------------------------------

# charon-systemd logs to the journal only, unless told: a file log in the private /run,
# added beside Debian's own /etc/strongswan.d (a copy of it is mounted there).
CHARON_LOG = """charon-systemd {
    filelog {
        iosgen {
            path = /run/charon.log
            # written line by line: the test reads it while charon runs
            flush_line = yes
            default = 1
        }
    }
}
"""

# charon-systemd and swanctl in a private network and mount namespace: /run (the vici
# socket) is a tmpfs, /etc/swanctl and /etc/strongswan.d are the sandbox's copies.
SWAN_HEAD = """
set -eu
etc=$1
shift
mount -t tmpfs iosgen-run /run
mount --bind "$etc/swanctl" /etc/swanctl
mount --bind "$etc/strongswan.d" /etc/strongswan.d
start_charon() {
    /usr/sbin/charon-systemd >/dev/null 2>&1 &
    charon=$!
    trap 'kill "$charon"; wait "$charon" || true' EXIT
    i=0
    while [ ! -S /run/charon.vici ]; do
        i=$((i + 1)); [ "$i" -gt 200 ] && { echo "charon-systemd did not start" >&2; exit 1; }
        sleep 0.05
    done
}
"""

SWAN_LOAD = (
    SWAN_HEAD
    + """
start_charon
echo "@@load"; swanctl --load-all --noprompt
echo "@@conns"; swanctl --list-conns --raw
"""
)

# The branch side of an IKE exchange: waits for its end of the veth pair and for the
# responder, then loads its files (start_action = start dials at once) and waits for
# the IKE SA and the quick mode's ESP proposal.
SWAN_BRANCH = (
    SWAN_HEAD
    + """
name=$1 wan=$2 peer=$3 sync=$4
touch "$sync/branch.ready"
while ! ip link show vb >/dev/null 2>&1; do sleep 0.05; done
ip link set lo up
ip addr add "$wan/32" dev vb
ip link set vb up
ip route add "$peer/32" dev vb
while [ ! -e "$sync/office.up" ]; do sleep 0.05; done
start_charon
swanctl --load-all --noprompt >/dev/null
i=0
# (a wrong key shows at once: main mode's encrypted third exchange cannot be read)
while ! grep -q -e "selected proposal: ESP" -e "decryption failed?" /run/charon.log 2>/dev/null; do
    i=$((i + 1)); [ "$i" -gt 100 ] && break
    sleep 0.1
done
echo "@@sas"; swanctl --list-sas --ike "$name"
echo "@@log"; cat /run/charon.log
"""
)

# The head office side (the responder, standing in for the IOS router): its own files,
# the branch in a nested namespace joined by a veth pair.
SWAN_OFFICE = (
    SWAN_HEAD
    + """
branch_etc=$1 name=$2 wan=$3 peer=$4 sync=$5
unshare -n -m bash -c "$BRANCH_SCRIPT" sb "$branch_etc" "$name" "$wan" "$peer" "$sync" \
    >"$sync/branch.out" 2>"$sync/branch.err" &
branch=$!
while [ ! -e "$sync/branch.ready" ]; do sleep 0.05; done
ip link add va type veth peer name vb
ip link set vb netns "$branch"
ip link set lo up
ip addr add "$peer/32" dev va
ip link set va up
ip route add "$wan/32" dev va
start_charon
swanctl --load-all --noprompt >/dev/null
touch "$sync/office.up"
wait "$branch" || { cat "$sync/branch.err" >&2; exit 1; }
"""
)


def swan_etc(folder: Path, conf: Path | None = None, extra: dict[str, str] | None = None) -> Path:
    """A copy of Debian's /etc/swanctl (its swanctl.conf includes conf.d/*.conf) with the
    built file in conf.d, and of /etc/strongswan.d with the file log added."""
    require("swanctl", "charon-systemd")
    folder.mkdir(parents=True)
    shutil.copytree("/etc/swanctl", folder / "swanctl", symlinks=True)
    shutil.copytree("/etc/strongswan.d", folder / "strongswan.d", symlinks=True)
    (folder / "strongswan.d" / "zz-iosgen-test-log.conf").write_text(CHARON_LOG)
    if conf is not None:
        shutil.copy2(conf, folder / "swanctl" / "conf.d" / "iosgen.conf")
    for name, text in (extra or {}).items():
        path = folder / "swanctl" / "conf.d" / name
        path.write_text(text)
        path.chmod(0o600)
    return folder


def swan_sandbox(script: str, *args: str, timeout: float = 60) -> tuple[int, str, str]:
    require("unshare", "ip", "bash", "swanctl", "charon-systemd")
    env = {**os.environ, "BRANCH_SCRIPT": SWAN_BRANCH}
    result = subprocess.run(
        ["unshare", "-n", "-m", "bash", "-c", script, "sb", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    return result.returncode, result.stdout, result.stderr


# swanctl's own plugin list names plugins Debian ships elsewhere: it says so on stderr.
_PLUGIN_NOISE = re.compile(r"plugin '[\w-]+': failed to load - .*")


def swanctl_complaints(stderr: str) -> list[str]:
    """What swanctl said on stderr besides the missing-plugin lines."""
    return [line for line in stderr.splitlines() if line and not _PLUGIN_NOISE.fullmatch(line)]


__all__ = [
    "CHARON",
    "SWAN_BRANCH",
    "SWAN_LOAD",
    "SWAN_OFFICE",
    "VPN_INVENTORY",
    "WG_GO",
    "WG_HEAD",
    "WG_QUICK",
    "WG_SETCONF",
    "Dump",
    "DumpPeer",
    "built",
    "checked",
    "parse_dump",
    "pubkey",
    "require",
    "sections",
    "sh",
    "swan_etc",
    "swan_sandbox",
    "swanctl_complaints",
    "vpn_sites",
    "wg_sandbox",
]
