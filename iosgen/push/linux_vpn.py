"""The WireGuard and strongSwan side of a Linux push (iosgen.push.linux): which units
a changed file needs (from `iosgen.build.linux.units`), the management-path guard for
those tunnels, what the preflight must find, and the verify of a handshake or an SA.

Facts (docs/linux-vpn.md, "The push"): Debian 12's `wg-quick@.service` (restarted: its
`reload` skips Address, MTU and routes) and `strongswan.service` (reloaded:
`ExecReload` is `swanctl --load-all`, which also unloads connections gone from the
files). `wg show IF latest-handshakes` prints `PUBKEY<TAB>EPOCH`, 0 for never
(wg(8)); a session without a handshake for REJECT_AFTER_TIME (180 s, the WireGuard
paper section 6.1) carries nothing. `swanctl --list-sas` prints an IKE SA as
`NAME: #N, ESTABLISHED, IKEv1, ...` and its child SAs indented,
`NAME: #N, reqid N, INSTALLED, TUNNEL, ...` (strongSwan src/swanctl/commands/list_sas.c).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, ip_network

from iosgen.build.linux.strongswan import SWANCTL_CONF, ipsec_connections
from iosgen.build.linux.units import Unit, linux_units, unit_for_path
from iosgen.build.linux.wireguard import wireguard_interfaces
from iosgen.diff.linux import BoxFile
from iosgen.model.site import Site

# wg(8)'s REJECT_AFTER_TIME: an older handshake is a session that no longer carries data
REJECT_AFTER_SECONDS = 180

# What the preflight prints for these tools (appended to push.linux's PROBE).
PROBE = r"""
echo "wg=$(command -v wg)"
echo "wg_quick=$(command -v wg-quick)"
echo "swanctl=$(command -v swanctl)"
echo "wireguard_version=$(dpkg-query -W -f '${Version}' wireguard-tools 2>/dev/null)"
echo "strongswan_version=$(dpkg-query -W -f '${Version}' charon-systemd 2>/dev/null)"
"""

INSTALL = {
    "wg": "wg and wg-quick are not installed: apt-get install wireguard-tools",
    "swanctl": "swanctl is not installed: apt-get install strongswan-swanctl charon-systemd",
    "systemd": (
        "the WireGuard and strongSwan units (wg-quick@wgN, strongswan.service) are "
        "systemd's, and the box runs no systemd (/run/systemd/system)"
    ),
}


def vpn_problems(site: Site, facts: Mapping[str, str], init: str) -> list[str]:
    """What the box lacks for the site's WireGuard and IPsec tunnels (pure)."""
    units = linux_units(site)
    problems = []
    if wireguard_interfaces(site) and not (facts.get("wg") and facts.get("wg_quick")):
        problems.append(INSTALL["wg"])
    if ipsec_connections(site) and not facts.get("swanctl"):
        problems.append(INSTALL["swanctl"])
    if units and init and init != "systemd":
        problems.append(INSTALL["systemd"])
    return problems


def vpn_versions(site: Site, facts: Mapping[str, str]) -> str:
    parts = []
    if wireguard_interfaces(site):
        parts.append(f"wireguard-tools {facts.get('wireguard_version') or '?'}")
    if ipsec_connections(site):
        parts.append(f"charon-systemd {facts.get('strongswan_version') or '?'}")
    return ", ".join(parts)


def _action(unit: str, site: Site) -> str:
    """The unit's action from the build's table; a unit no longer built is a per-tunnel
    one (wg-quick@wgN: restart) unless it is strongSwan's shared daemon."""
    table: dict[str, Unit] = {u.name: u for u in linux_units(site)}
    if unit in table:
        return table[unit].action
    from iosgen.build.linux.strongswan import STRONGSWAN_UNIT

    return "reload" if unit == STRONGSWAN_UNIT else "restart"


def stop_steps(site: Site, changed: set[str], present: set[str]) -> list[str]:
    """`systemctl disable --now` of each restart unit whose file goes: run BEFORE the
    file is removed, since stopping wg-quick@wgN runs `wg-quick down wgN`, which reads
    that file (and fails without it, leaving the interface up)."""
    return [
        f"systemctl disable --now {unit}"
        for path in sorted(changed)
        if (unit := unit_for_path(path)) is not None
        and path not in present
        and _action(unit, site) == "restart"
    ]


def unit_steps(site: Site, changed: set[str], present: set[str], was: set[str]) -> list[str]:
    """The systemctl commands, once the files are written, for the changed files the
    VPN units read.

    `present`: the paths that exist once the files are written (the build's on a push,
    the old tree's on a rollback); `was`: those that existed before. A unit whose file
    is new is enabled, then restarted or reloaded as the build's table says; a reload
    unit (strongSwan) whose file went reloads too: swanctl unloads what is gone. (A
    restart unit whose file goes was stopped before: `stop_steps`.)"""
    enable: list[str] = []
    restart: list[str] = []
    reload: list[str] = []
    for path in sorted(changed):
        unit = unit_for_path(path)
        if unit is None:
            continue
        action = _action(unit, site)
        if path not in present:
            if action != "restart":
                reload.append(f"systemctl reload-or-restart {unit}")
            continue
        if path not in was:
            enable.append(f"systemctl enable {unit}")
        if action == "restart":
            restart.append(f"systemctl restart {unit}")
        else:  # reload-or-restart: starts a daemon that was not running
            reload.append(f"systemctl reload-or-restart {unit}")
    return [*enable, *restart, *reload]


def _wg_networks(text: str) -> list[IPv4Network]:
    """AllowedIPs and PostUp routes of a wgN.conf (an old file the build no longer has)."""
    nets: list[IPv4Network] = []
    for line in text.splitlines():
        key, _, value = line.partition("=")
        key = key.strip()
        if key == "AllowedIPs":
            words = value.split(",")
        elif key == "PostUp" and "ip route add" in value:
            words = [value.split("ip route add", 1)[1].split()[0]]
        else:
            continue
        nets += [n for w in words if (n := _net(w.strip()))]
    return nets


def _swan_remote(text: str) -> dict[str, list[IPv4Network]]:
    """remote_ts of each child of an old swanctl file, by the name before its block."""
    out: dict[str, list[IPv4Network]] = {}
    name = ""
    for line in text.splitlines():
        opened = re.match(r"\s*([\w.-]+)\s*\{", line)
        if opened and opened.group(1) not in ("connections", "children", "local", "remote"):
            name = opened.group(1)
        key, _, value = line.partition("=")
        if key.strip() == "remote_ts":
            out.setdefault(name, []).extend(n for w in value.split(",") if (n := _net(w.strip())))
    return out


def _net(text: str) -> IPv4Network | None:
    try:
        net = ip_network(text, strict=False)
    except ValueError:
        return None
    return net if isinstance(net, IPv4Network) else None


def vpn_guard(
    site: Site, changed: set[str], address: IPv4Address | None, old: Mapping[str, BoxFile]
) -> list[str]:
    """WireGuard interfaces restarted (or taken down) and strongSwan reloaded whose
    networks hold the management endpoint: refused without force, as a pppd restart."""
    if address is None:
        return []
    out: list[str] = []
    built = set()
    for wg in wireguard_interfaces(site):
        built.add(wg.path)
        if wg.path not in changed:
            continue
        nets = [n for r in wg.routes if (n := _net(r.network))]
        nets += [n for p in wg.peers for a in p.allowed_ips if (n := _net(a))]
        what = f"tunnel {wg.tunnel}" if wg.tunnel else "the WireGuard hub"
        out += [
            f"{what} restarts ({wg.unit}) and its network {n} holds the management "
            f"endpoint {address}"
            for n in _dedup(nets)
            if address in n
        ]
    for path in sorted(changed - built):
        unit = unit_for_path(path)
        have = old.get(path)
        if unit is None or path == SWANCTL_CONF or have is None or not have.content:
            continue
        out += [
            f"{unit} stops (its file goes) and its network {n} holds the management "
            f"endpoint {address}"
            for n in _dedup(_wg_networks(have.content))
            if address in n
        ]
    if SWANCTL_CONF in changed:
        remote = {
            c.name: [n for t in c.remote_ts if (n := _net(t))] for c in ipsec_connections(site)
        }
        have = old.get(SWANCTL_CONF)
        for name, nets in _swan_remote(have.content if have and have.content else "").items():
            remote.setdefault(name, nets)
        out += [
            f"tunnel {name} reloads (strongswan.service) and its remote network {n} holds "
            f"the management endpoint {address}"
            for name, nets in sorted(remote.items())
            for n in _dedup(nets)
            if address in n
        ]
    return out


def _dedup(nets: list[IPv4Network]) -> list[IPv4Network]:
    return list(dict.fromkeys(nets))


# -- verify ----------------------------------------------------------------------------

# $@: the WireGuard interfaces; then strongSwan's SAs when asked ($SWAN=1).
VERIFY = r"""
echo "@@now"; date +%s
for i in "$@"; do
  echo "@@wg $i"
  wg show "$i" latest-handshakes 2>&1 || echo "@@failed"
done
if [ "$SWAN" = 1 ]; then echo "@@sas"; swanctl --list-sas 2>&1 || echo "@@failed"; fi
exit 0
"""


@dataclass(frozen=True)
class VpnState:
    name: str  # the tunnel (or "wireguard-hub")
    interface: str  # wgN, or the swanctl connection
    up: bool
    problems: tuple[str, ...] = ()
    address: str = ""  # what shows it up: the handshake's age, the child SA


def verify_script(site: Site) -> str:
    names = " ".join(wg.name for wg in wireguard_interfaces(site))
    swan = "1" if ipsec_connections(site) else "0"
    return f"set -- {names}; SWAN={swan}; {VERIFY}"


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    key = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("@@") and line.strip() != "@@failed":
            key = line[2:].strip()
            out.setdefault(key, "")
            continue
        out[key] = out.get(key, "") + line
    return out


def judge_vpn(
    site: Site, text: str, since: int | None = None, restarted: frozenset[str] = frozenset()
) -> tuple[VpnState, ...]:
    """The VERIFY script's output against the site's WireGuard and IPsec tunnels (pure).

    A branch's WireGuard tunnel is up when its peer's latest handshake is after
    `since` (the box's clock before the restart) for an interface in `restarted`,
    else within REJECT_AFTER_SECONDS; the hub when its interface answers (branches
    dial it). An IPsec tunnel is up when its IKE SA is ESTABLISHED with an INSTALLED
    child SA of its name."""
    parts = _sections(text)
    now = int((parts.get("now") or "0").strip() or 0)
    out: list[VpnState] = []
    for wg in wireguard_interfaces(site):
        name = wg.tunnel or "wireguard-hub"
        body = parts.get(f"wg {wg.name}", "")
        if "@@failed" in body or (not body.strip() and wg.tunnel):
            why = body.replace("@@failed", "").strip().splitlines()
            reason = f"{wg.name} is not up" + (f" ({why[-1]})" if why else "")
            out.append(VpnState(name, wg.name, False, (reason,)))
            continue
        if not wg.tunnel:
            out.append(VpnState(name, wg.name, True, (), f"{len(wg.peers)} peer(s)"))
            continue
        seen = dict(line.split("\t", 1) for line in body.splitlines() if line.count("\t") == 1)
        peer = wg.peers[0].public_key if wg.peers else ""
        epoch = int(seen.get(peer, "0").strip() or 0)
        after = since if since is not None and wg.name in restarted else now - REJECT_AFTER_SECONDS
        if epoch == 0:
            problem = f"{wg.name}: no handshake with the peer yet"
        elif epoch < after:
            problem = (
                f"{wg.name}: the latest handshake is from before the restart"
                if wg.name in restarted and since is not None
                else f"{wg.name}: the latest handshake is {now - epoch} s old"
            )
        else:
            out.append(VpnState(name, wg.name, True, (), f"handshake {max(now - epoch, 0)} s ago"))
            continue
        out.append(VpnState(name, wg.name, False, (problem,)))
    sas = parts.get("sas", "")
    for c in ipsec_connections(site):
        out.append(_judge_sa(c.name, sas))
    return tuple(out)


def _judge_sa(name: str, sas: str) -> VpnState:
    blocks: list[list[str]] = []
    for line in sas.splitlines():
        if line and not line[0].isspace():
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    mine = [b for b in blocks if b[0].startswith(f"{name}: #")]
    if not mine:
        failed = "@@failed" in sas
        return VpnState(
            name, name, False, (f"no IKE SA {name}" + (" (swanctl failed)" if failed else ""),)
        )
    states = []
    for block in mine:
        state = block[0].split(",")[1].strip() if "," in block[0] else "?"
        states.append(state)
        child = [
            ln.strip()
            for ln in block[1:]
            if re.match(rf"\s+{re.escape(name)}: #\d+, reqid \d+, INSTALLED,", ln)
        ]
        if state == "ESTABLISHED" and child:
            return VpnState(name, name, True, (), child[0].split("INSTALLED, ", 1)[1])
    if "ESTABLISHED" in states:
        return VpnState(
            name, name, False, (f"IKE SA {name} is ESTABLISHED but no child SA is INSTALLED",)
        )
    return VpnState(name, name, False, (f"IKE SA {name} is {', '.join(states)}",))


__all__ = [
    "REJECT_AFTER_SECONDS",
    "VpnState",
    "judge_vpn",
    "stop_steps",
    "unit_steps",
    "verify_script",
    "vpn_guard",
    "vpn_problems",
    "vpn_versions",
]
