"""`iosgen verify`: read a router through iosgen.device and check what its model implies.

Per PPTP tunnel of the site: the session is up (`show vpdn` lists its server), its
remote networks are routed through its Dialer (`show ip route`), and the head office
answers an extended ping sourced from the LAN address; with `internet_nat`, a ping out
of the WAN from the LAN address (PAT). When a session is down, `debug ppp
authentication` on a monitoring terminal says whether CHAP was refused (docs/verify.md).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.site import PptpClient, Site
    from iosgen.model.targets import Target

# what IOS prints (docs/simulator-show.md, docs/verify.md for the sources)
PING_OK: Final = re.compile(r"Success rate is (\d+) percent")
VPDN_TUNNEL_ROW: Final = re.compile(r"^\d+\s+(?:\S+\s+)?estabd\s+(\d+\.\d+\.\d+\.\d+)\s+\d+\s+\d+")
ROUTE_ROW: Final = re.compile(r"^([A-Z*]{1,3}[*]?)\s+(\d+\.\d+\.\d+\.\d+)(/\d+)?\s+(.*)$")
SUBNETTED: Final = re.compile(r"^\s+\d+\.\d+\.\d+\.\d+/(\d+) is subnetted")
CHAP_RESPONSE: Final = re.compile(
    r'(Vi\d+) (?:MS-)?CHAP(?:-V2)?: O RESPONSE id \d+ len \d+ from "(.*)"'
)
CHAP_FAILURE: Final = re.compile(r"(Vi\d+) (?:MS-)?CHAP(?:-V2)?: I FAILURE")
CHAP_SUCCESS: Final = re.compile(r"(Vi\d+) (?:MS-)?CHAP(?:-V2)?: I SUCCESS")
# a destination out on the Internet for the PAT check: TEST-NET-2 (RFC 5737), no
# site of the inventory holds it
INTERNET_TARGET: Final = "198.51.100.1"


class Commands(Protocol):
    """What verify needs of a session: Device (iosgen.device) has it."""

    def command(self, command: str, read_timeout: float | None = None) -> str: ...


@dataclass(frozen=True)
class Check:
    check: str  # "session", "routes", "reach", "pat"
    ok: bool
    tunnel: str | None = None
    reason: str | None = None


@dataclass
class HostReport:
    host: str
    checks: list[Check] = field(default_factory=list)
    unreachable: str | None = None

    @property
    def ok(self) -> bool:
        return self.unreachable is None and all(c.ok for c in self.checks)

    @property
    def tunnels(self) -> dict[str, str]:
        return {
            c.tunnel: "up" if c.ok else "down"
            for c in self.checks
            if c.check == "session" and c.tunnel
        }

    def as_json(self) -> dict[str, object]:
        return {
            "host": self.host,
            # the statuses `iosgen graph --report` colours (iosgen/fleet/graph.py)
            "status": "unreachable" if self.unreachable else "ok" if self.ok else "failed",
            "ok": self.ok,
            "unreachable": self.unreachable,
            "tunnels": self.tunnels,
            "checks": [
                {"check": c.check, "tunnel": c.tunnel, "ok": c.ok, "reason": c.reason}
                for c in self.checks
            ],
        }


def lan_address(site: Site) -> str | None:
    for iface in site.interfaces.values():
        if iface.role == "lan":
            try:
                return str(ipaddress.IPv4Interface(str(iface.ipv4)).ip)
            except ValueError:
                continue
    return None


def head_office_target(client: PptpClient, others: list[Site]) -> str | None:
    """An address of the head office to ping: a site's interface address inside the
    tunnel's first remote network, else that network's first host."""
    if not client.remote_networks:
        return None
    net = ipaddress.IPv4Network(str(client.remote_networks[0]), strict=False)
    for site in others:
        for iface in site.interfaces.values():
            try:
                addr = ipaddress.IPv4Interface(str(iface.ipv4)).ip
            except ValueError:
                continue
            if addr in net:
                return str(addr)
    return str(next(net.hosts(), net.network_address))


def verify_host(site: Site, device: Commands, fleet: list[Site] | None = None) -> HostReport:
    """The operational checks of one IOS site through an open session (enable mode).
    `fleet`: the inventory's sites, to ping a head office's own address."""
    report = HostReport(site.hostname)
    others = [s for s in fleet or [] if s.hostname != site.hostname]
    vpdn = device.command("show vpdn")
    up_servers = {m.group(1) for line in vpdn.splitlines() if (m := VPDN_TUNNEL_ROW.match(line))}
    table = routes(device.command("show ip route"))
    brief = device.command("show ip interface brief")
    lan = lan_address(site)
    debug: dict[str, str] | None = None
    for name, client in site.pptp_clients.items():
        dialer = f"Dialer{client.dialer}"
        up = str(client.server) in up_servers
        reason = None
        if not up:
            if debug is None:
                debug = chap_outcomes(device)
            reason = _down_reason(client, dialer, brief, debug)
        report.checks.append(Check("session", up, name, reason))
        missing = [str(n) for n in client.remote_networks if not _routed(table, str(n), dialer)]
        report.checks.append(
            Check(
                "routes",
                not missing,
                name,
                f"no route through {dialer} to {', '.join(missing)}" if missing else None,
            )
        )
        target = head_office_target(client, others)
        if target is None or lan is None:
            continue
        answered = ping(device, target, lan)
        why = None
        if not answered:
            why = (
                f"tunnel down: {reason}"
                if not up
                else f"no route to {target}"
                if missing
                else f"{target} does not answer from {lan} "
                "(NAT into the tunnel, or the head office's route back)"
            )
        report.checks.append(Check("reach", answered, name, why))
    if site.internet_nat and lan is not None:
        answered = ping(device, INTERNET_TARGET, lan)
        why = (
            None
            if answered
            else f"{INTERNET_TARGET} does not answer from {lan}: "
            "no PAT out of the WAN, or the WAN is down"
        )
        report.checks.append(Check("pat", answered, None, why))
    return report


def verify_target(
    site: Site, target: Target, options: DeviceOptions, fleet: list[Site] | None = None
) -> HostReport:
    """Open a session to `target` and run verify_host (DeviceError: unreachable)."""
    from iosgen.device.session import Device

    with Device(target, options) as device:
        return verify_host(site, device, fleet)


def ping(device: Commands, target: str, source: str) -> bool:
    out = device.command(f"ping {target} source {source}", read_timeout=30)
    m = PING_OK.search(out)
    return m is not None and int(m.group(1)) > 0


def chap_outcomes(device: Commands) -> dict[str, str]:
    """CHAP name -> "refused" | "accepted", from one `debug ppp authentication`."""
    device.command("terminal monitor")
    try:
        text = device.command("debug ppp authentication")
    finally:
        device.command("undebug all")
        device.command("terminal no monitor")
    names: dict[str, str] = {}
    out: dict[str, str] = {}
    for line in text.splitlines():
        if m := CHAP_RESPONSE.search(line):
            names[m.group(1)] = m.group(2)
        elif (m := CHAP_FAILURE.search(line)) and m.group(1) in names:
            out[names[m.group(1)]] = "refused"
        elif (m := CHAP_SUCCESS.search(line)) and m.group(1) in names:
            out[names[m.group(1)]] = "accepted"
    return out


def _down_reason(client: PptpClient, dialer: str, brief: str, debug: dict[str, str]) -> str:
    row = next((ln for ln in brief.splitlines() if ln.split()[:1] == [dialer]), None)
    if row is None:
        return f"down interface: {dialer} is not configured"
    if "administratively down" in row:
        return f"down interface: {dialer} is shut down"
    outcome = debug.get(str(client.chap_hostname))
    if outcome == "refused":
        return f"CHAP refused: the server does not accept {client.chap_hostname}'s secret"
    if outcome == "accepted":
        if client.mppe != "none":
            return "MPPE mismatch: CHAP accepted but the session did not come up"
        return "no address from the server (IPCP) after CHAP"
    return f"no PPTP server answers at {client.server}"


def routes(text: str) -> list[tuple[str, ipaddress.IPv4Network, str]]:
    """(code, network, the rest of the line) of each `show ip route` row."""
    out = []
    mask: int | None = None
    for line in text.splitlines():
        if m := SUBNETTED.match(line):
            mask = int(m.group(1))
            continue
        m = ROUTE_ROW.match(line)
        if m is None or m.group(1) == "Codes:":
            continue
        length = int(m.group(3)[1:]) if m.group(3) else mask
        if length is None:
            continue
        try:
            net = ipaddress.IPv4Network(f"{m.group(2)}/{length}", strict=False)
        except ValueError:
            continue
        out.append((m.group(1), net, m.group(4)))
        if not line.startswith(" ") and m.group(3):
            mask = None
    return out


def _routed(table: list[tuple[str, ipaddress.IPv4Network, str]], network: str, dialer: str) -> bool:
    want = ipaddress.IPv4Network(network, strict=False)
    return any(net == want and dialer in rest for _, net, rest in table)
