"""`iosgen verify`: read a router through iosgen.device and check what its model implies.

Per PPTP tunnel of the site: the session is up (`show vpdn` lists its server), its
remote networks are routed through its Dialer (`show ip route`), and the head office
answers an extended ping sourced from the LAN address; with `internet_nat`, a ping out
of the WAN from the LAN address (PAT). When a session is down, `debug ppp
authentication` on a monitoring terminal says whether CHAP was refused (docs/verify.md).

Per IPsec tunnel: phase 1 (`show crypto isakmp sa`: QM_IDLE with the peer) and phase 2
(`show crypto ipsec sa`: an inbound ESP SA with the peer) are up and, route-based, the
tunnel interface's line protocol (`show interfaces TunnelN`); routes and ping as for
PPTP. A tunnel whose routes float behind another tunnel's (a worse `distance`, as
`iosgen migrate` adds them) is checked for its session only: its routes are not meant
to be in the table, and the ping goes the other way.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.site import IpsecTunnel, PptpClient, Site
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
# `show crypto isakmp sa`: "dst src state conn-id slot status" (12.4; later images drop
# `slot`); `show crypto ipsec sa`: "interface: Tunnel10", "current_peer A port 500",
# "inbound esp sas:" then "spi: 0x..." while an SA is up (docs/migrate.md, sources there)
ISAKMP_ROW: Final = re.compile(
    r"^(\d+\.\d+\.\d+\.\d+)\s+(\d+\.\d+\.\d+\.\d+)\s+([A-Z]{2}_[A-Z0-9_]+)\s+\d+"
)
IPSEC_INTERFACE: Final = re.compile(r"^interface: (\S+)")
IPSEC_PEER: Final = re.compile(r"^\s+current_peer (\d+\.\d+\.\d+\.\d+)")
IPSEC_SECTION: Final = re.compile(r"^\s+(inbound|outbound) (esp|ah|pcp) sas:")
IPSEC_SPI: Final = re.compile(r"^\s+spi: 0x[0-9A-Fa-f]+")
INTERFACE_STATE: Final = re.compile(
    r"^(\S+) is (up|down|administratively down), line protocol is (up|down)"
)
# What a phase-1 state left in `show crypto isakmp sa` means (Cisco Press, *The Complete
# Cisco VPN Configuration Guide*, table 16-1: MM_NO_STATE "you'll typically see this
# when a management connection fails to establish"; MM_KEY_EXCH "the peers have
# performed DH ... but device authentication hasn't occurred yet")
ISAKMP_STATE_REASONS: Final[dict[str, str]] = {
    "MM_NO_STATE": "phase 1 did not start (MM_NO_STATE): no ISAKMP policy matches, or the "
    "peer does not answer",
    "MM_SA_SETUP": "phase 1 stopped after the policy (MM_SA_SETUP): the peer does not "
    "answer the key exchange",
    "MM_KEY_EXCH": "pre-shared key mismatch: phase 1 stopped at authentication (MM_KEY_EXCH)",
}
QM_IDLE: Final = "QM_IDLE"
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


def head_office_target(client: PptpClient | IpsecTunnel, others: list[Site]) -> str | None:
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
    best = preferred_tunnels(site)
    lan = lan_address(site)
    table: list[tuple[str, ipaddress.IPv4Network, str]] | None = None
    if site.pptp_clients:
        vpdn = device.command("show vpdn")
        up_servers = {
            m.group(1) for line in vpdn.splitlines() if (m := VPDN_TUNNEL_ROW.match(line))
        }
        table = routes(device.command("show ip route"))
        brief = device.command("show ip interface brief")
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
            _route_and_reach(
                report, device, table, name, client, dialer, up, reason, best, others, lan
            )
    if site.ipsec_tunnels:
        if table is None:
            table = routes(device.command("show ip route"))
        _verify_ipsec(report, site, device, table, best, others, lan)
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


def preferred_tunnels(site: Site) -> dict[ipaddress.IPv4Network, set[str]]:
    """Per remote network, the tunnels whose routes to it win (the lowest `distance`;
    None is IOS's 1): the others float behind them."""
    best: dict[ipaddress.IPv4Network, tuple[int, set[str]]] = {}
    kinds: dict[str, PptpClient | IpsecTunnel] = {**site.pptp_clients, **site.ipsec_tunnels}
    for name, tunnel in kinds.items():
        distance = tunnel.distance or 1
        for net in tunnel.remote_networks:
            have = best.get(net)
            if have is None or distance < have[0]:
                best[net] = (distance, {name})
            elif distance == have[0]:
                have[1].add(name)
    return {net: names for net, (_, names) in best.items()}


def _route_and_reach(
    report: HostReport,
    device: Commands,
    table: list[tuple[str, ipaddress.IPv4Network, str]],
    name: str,
    tunnel: PptpClient | IpsecTunnel,
    interface: str | None,
    up: bool,
    reason: str | None,
    best: dict[ipaddress.IPv4Network, set[str]],
    others: list[Site],
    lan: str | None,
) -> None:
    """The `routes` and `reach` checks of one tunnel, for the networks it is preferred for
    (`interface` None: a crypto map, whose traffic follows the WAN's routes)."""
    mine = [n for n in tunnel.remote_networks if name in best.get(n, set())]
    if not mine:
        return  # a floating tunnel: its routes wait behind another tunnel's
    missing = [str(n) for n in mine if not _routed(table, str(n), interface)] if interface else []
    if interface is not None:
        report.checks.append(
            Check(
                "routes",
                not missing,
                name,
                f"no route through {interface} to {', '.join(missing)}" if missing else None,
            )
        )
    if tunnel.remote_networks[0] not in mine:
        return  # the ping target's network is reached through another tunnel
    target = head_office_target(tunnel, others)
    if target is None or lan is None:
        return
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


@dataclass(frozen=True)
class IpsecView:
    """What the crypto show commands say: phase-1 state per peer, phase-2 SAs up."""

    isakmp: dict[str, str]  # peer -> state (QM_IDLE wins over any other row)
    ipsec_up: dict[str, str]  # peer -> the interface an inbound ESP SA is on


def crypto_view(isakmp_text: str, ipsec_text: str) -> IpsecView:
    """Parse `show crypto isakmp sa` and `show crypto ipsec sa`."""
    isakmp: dict[str, str] = {}
    for line in isakmp_text.splitlines():
        m = ISAKMP_ROW.match(line)
        if m is None:
            continue
        for peer in (m.group(1), m.group(2)):
            if isakmp.get(peer) != QM_IDLE:
                isakmp[peer] = m.group(3)
    up: dict[str, str] = {}
    interface = peer = section = None
    for line in ipsec_text.splitlines():
        if m := IPSEC_INTERFACE.match(line):
            interface, peer, section = m.group(1), None, None
        elif m := IPSEC_PEER.match(line):
            peer = m.group(1)
        elif m := IPSEC_SECTION.match(line):
            section = f"{m.group(1)} {m.group(2)}"
        elif IPSEC_SPI.match(line) and section == "inbound esp" and peer and interface:
            up.setdefault(peer, interface)
    return IpsecView(isakmp, up)


def ipsec_interfaces(site: Site) -> dict[str, int]:
    """Each route-based IPsec tunnel's `interface TunnelN`: its own number, else the
    lowest no other tunnel takes, in file order (as the build numbers them)."""
    taken = {t.tunnel_interface for t in site.ipsec_tunnels.values() if t.tunnel_interface}
    out: dict[str, int] = {}
    free = 0
    for name, tunnel in site.ipsec_tunnels.items():
        if tunnel.mode == "crypto-map":
            continue
        if tunnel.tunnel_interface is not None:
            out[name] = tunnel.tunnel_interface
            continue
        while free in taken:
            free += 1
        out[name] = free
        taken.add(free)
    return out


def _verify_ipsec(
    report: HostReport,
    site: Site,
    device: Commands,
    table: list[tuple[str, ipaddress.IPv4Network, str]],
    best: dict[ipaddress.IPv4Network, set[str]],
    others: list[Site],
    lan: str | None,
) -> None:
    view = crypto_view(
        device.command("show crypto isakmp sa"), device.command("show crypto ipsec sa")
    )
    numbers = ipsec_interfaces(site)
    for name, tunnel in site.ipsec_tunnels.items():
        peer = str(tunnel.peer)
        interface = view.ipsec_up.get(peer)
        if name in numbers and (interface is None or not interface.startswith("Tunnel")):
            interface = f"Tunnel{numbers[name]}"
        reason = _ipsec_down_reason(view, peer)
        if reason is None and interface is not None and interface.startswith("Tunnel"):
            reason = _interface_down(device.command(f"show interfaces {interface}"), interface)
        report.checks.append(Check("session", reason is None, name, reason))
        routed_via = interface if name in numbers else None
        _route_and_reach(
            report,
            device,
            table,
            name,
            tunnel,
            routed_via,
            reason is None,
            reason,
            best,
            others,
            lan,
        )


def _ipsec_down_reason(view: IpsecView, peer: str) -> str | None:
    state = view.isakmp.get(peer)
    if state is None:
        return f"no IKE exchange with {peer}: no route to the peer, or no key for it"
    if state != QM_IDLE:
        return f"{ISAKMP_STATE_REASONS.get(state, f'phase 1 stopped in {state}')} with {peer}"
    if peer not in view.ipsec_up:
        return (
            f"phase 1 up with {peer} but no IPsec SA: the transform set, PFS group or "
            "proxy identities differ"
        )
    return None


def _interface_down(text: str, interface: str) -> str | None:
    first = next((m for line in text.splitlines() if (m := INTERFACE_STATE.match(line))), None)
    if first is None:
        return f"down interface: {interface} is not configured"
    if first.group(2) == "administratively down":
        return f"down interface: {interface} is shut down"
    if first.group(3) != "up":
        return f"down interface: {interface}'s line protocol is down"
    return None


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


def _routed(
    table: list[tuple[str, ipaddress.IPv4Network, str]], network: str, interface: str
) -> bool:
    want = ipaddress.IPv4Network(network, strict=False)
    # the interface as a word: `Tunnel1` is not `Tunnel10`
    pattern = re.compile(rf"(^|[\s,]){re.escape(interface)}($|[\s,])")
    return any(net == want and pattern.search(rest) for _, net, rest in table)
