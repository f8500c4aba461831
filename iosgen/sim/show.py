"""The operational `show` commands, from the running state (docs/simulator-show.md).

The simulated router has no cables: a configured port is up unless `shutdown`
(then "administratively down"); a subinterface of a shut port is down; a Dialer is
"up (spoofing)" waiting for a call; a Tunnel's protocol is up only with a source and
a destination; a Virtual-Template is a template, never up. Counters are zero.
Routes: connected networks of up interfaces, and static routes whose next hop is
reachable or whose exit interface is up (`ip route ... dhcp` waits for a lease that
never comes). Each printed line is IOS 12.4's; the sources are in the docs file.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from typing import Final

from iosgen.sim import ipsec
from iosgen.sim.config import Config, Line
from iosgen.sim.images import IKE6, SLOTLESS, image_has
from iosgen.sim.tunnels import Live

# `show interfaces` hardware figures per interface type, from 12.4 captures on an ISR:
#   "Hardware is MV96340 Ethernet, address is 0019.e8c2.1a40 (bia 0019.e8c2.1a40)"
#   "MTU 1500 bytes, BW 100000 Kbit, DLY 100 usec,"
#   "Hardware is Loopback" / "MTU 1514 bytes, BW 8000000 Kbit, DLY 5000 usec,"
# type -> (hardware, MTU, BW Kbit, DLY usec, encapsulation, has a MAC address)
HARDWARE: Final[dict[str, tuple[str, int, int, int, str, bool]]] = {
    "FastEthernet": ("MV96340 Ethernet", 1500, 100000, 100, "ARPA", True),
    "GigabitEthernet": ("MV96340 Ethernet", 1500, 1000000, 10, "ARPA", True),
    "Serial": ("GT96K Serial", 1500, 1544, 20000, "HDLC", False),
    "ATM": ("MPC ATMSAR", 4470, 640, 80, "ATM", False),
    "BRI": ("PQUICC BRI with U interface", 1500, 64, 20000, "HDLC", False),
    "Loopback": ("Loopback", 1514, 8000000, 5000, "LOOPBACK", False),
    "Tunnel": ("Tunnel", 1514, 9, 500000, "TUNNEL", False),
    "Dialer": ("Unknown", 1500, 56, 20000, "PPP", False),
    "Virtual-Template": ("Virtual Template interface", 1500, 100000, 100000, "PPP", False),
    "Virtual-Access": ("Virtual Access interface", 1500, 100000, 100000, "PPP", False),
    "Vlan": ("EtherSVI", 1500, 100000, 10, "ARPA", True),
}

# a FastEthernet port's media line: "Full-duplex, 100Mb/s, 100BaseTX/FX" once linked,
# "Auto-duplex, Auto Speed, 100BaseTX/FX" while shut (2801 captures)
DUPLEX_UP: Final = "  Full-duplex, 100Mb/s, 100BaseTX/FX"
DUPLEX_SHUT: Final = "  Auto-duplex, Auto Speed, 100BaseTX/FX"

# the counter block IOS prints under an Ethernet port ("0 packets input, 0 bytes" ...)
COUNTERS: Final = """\
  Last input never, output never, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate 0 bits/sec, 0 packets/sec
  5 minute output rate 0 bits/sec, 0 packets/sec
     0 packets input, 0 bytes, 0 no buffer
     Received 0 broadcasts, 0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     0 packets output, 0 bytes, 0 underruns
     0 output errors, 0 collisions, 0 interface resets
     0 unknown protocol drops
     0 output buffer failures, 0 output buffers swapped out
"""

# `show ip route` on 12.4 (the legend before 15.0 added "L - local"):
#   "Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP"
ROUTE_CODES: Final = """\
Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route
"""
GATEWAY_NONE: Final = "Gateway of last resort is not set"
GATEWAY: Final = "Gateway of last resort is {via} to network 0.0.0.0"

# `show vpdn` with no tunnel up: "%No active L2TP tunnels", "%No active PPTP tunnels"
VPDN_NONE: Final = "%No active L2TP tunnels\n\n%No active PPTP tunnels\n"

# `show users`: "    Line       User       Host(s)              Idle       Location"
USERS_HEAD: Final = "    Line       User       Host(s)              Idle       Location"
USERS_ROW: Final = "*{line:>3} vty 0     {user:<10} idle                 00:00:00 {peer}"
USERS_IF_HEAD: Final = "  Interface    User               Mode         Idle     Peer Address"
VTY0_LINE: Final = 2  # 12.4 on an ISR numbers the lines con 0 = 0, aux 0 = 1, vty 0 = 2

UP, DOWN, SHUT, SPOOF = "up", "down", "administratively down", "up (spoofing)"


@dataclass(frozen=True)
class Iface:
    """One interface's state as `show interfaces` reads it."""

    name: str
    kind: str
    status: str
    protocol: str
    address: ipaddress.IPv4Interface | None
    method: str  # show ip interface brief's Method: manual, DHCP, IPCP, unset
    lines: tuple[tuple[str, ...], ...]

    @property
    def up(self) -> bool:
        return self.status.startswith(UP) and self.protocol.startswith(UP)

    def value(self, *words: str) -> tuple[str, ...] | None:
        n = len(words)
        for w in self.lines:
            if w[:n] == words:
                return w[n:]
        return None


def _kind(name: str) -> str:
    return re.sub(r"[\d/.:]+$", "", name)


def _address(words: list[str]) -> tuple[ipaddress.IPv4Interface | None, str]:
    if words[2] == "dhcp":
        return None, "DHCP"
    if words[2] == "negotiated":
        return None, "IPCP"
    try:
        return ipaddress.IPv4Interface(f"{words[2]}/{words[3]}"), "manual"
    except (ValueError, IndexError):
        return None, "unset"


def _state(
    name: str, kind: str, shut: bool, lines: list[list[str]], parent_shut: bool
) -> tuple[str, str]:
    if shut:
        return SHUT, DOWN
    if parent_shut or kind == "Virtual-Template":
        return DOWN, DOWN
    if kind == "Dialer":
        return SPOOF, SPOOF
    if kind == "Tunnel":
        words = {w[1] for w in lines if w[:1] == ["tunnel"] and len(w) > 1}
        return UP, UP if {"source", "destination"} <= words else DOWN
    return UP, UP


def _live(config: Config, live: bool) -> Live | None:
    view = config.live if live else None
    return view if isinstance(view, Live) else None


def interfaces(config: Config, live: bool = True) -> list[Iface]:
    """Every interface of the running config with its state, in `show run` order; with
    `live`, what the tunnels give (tunnels.py): a Dialer's negotiated address, and one
    Virtual-Access per session the router serves, after the configured interfaces."""
    view = _live(config, live)
    blocks = config.interfaces()
    shut_names = {b.words[1] for b in blocks if _shut(b)}
    out = []
    for block in blocks:
        name = block.words[1]
        kind = _kind(name)
        lines = [ln.words for ln in block.children or [] if not ln.negated]
        address, method = None, "unset"
        for w in lines:
            if w[:2] == ["ip", "address"] and len(w) > 2 and "secondary" not in w:
                address, method = _address(w)
        parent = name.split(".")[0] if "." in name else None
        status, proto = _state(name, kind, _shut(block), lines, parent in shut_names)
        if kind == "Tunnel" and ["tunnel", "mode", "ipsec", "ipv4"] in lines and proto == UP:
            # a VTI's line protocol follows its IPsec SA (docs/sim-ipsec.md); without the
            # fleet's view (the IKE step itself) it is taken as up
            proto = UP if view is None or view.tunnel_up(name) else DOWN
        if method == "DHCP" and name in config.leases and status == UP:
            address = config.leases[name][0]  # the ISP's lease (RouterSpec.dhcp)
        if view is not None and name in view.dialer_addr:
            address = ipaddress.IPv4Interface(f"{view.dialer_addr[name][0]}/32")
        out.append(
            Iface(name, kind, status, proto, address, method, tuple(tuple(w) for w in lines))
        )
    for s in view.vaccess if view is not None else []:
        name = s.vaccess or "Virtual-Access"
        out.append(Iface(name, "Virtual-Access", UP, UP, None, "unset", ()))
    return out


def _shut(block: Line) -> bool:
    return any(ln.words == ["shutdown"] and not ln.negated for ln in block.children or [])


def find(config: Config, name: str, live: bool = True) -> Iface | None:
    low = name.lower()
    for i in interfaces(config, live):
        if i.name.lower() == low:
            return i
    return None


# ---- show interfaces ---------------------------------------------------------------------
def _mac(hostname: str, name: str) -> str:
    digest = hashlib.sha256(f"{hostname}/{name.split('.')[0]}".encode()).hexdigest()
    return f"0019.{digest[:4]}.{digest[4:8]}"


def show_interface(i: Iface, hostname: str, config: Config | None = None) -> str:
    hw, mtu, bw, dly, encap, has_mac = HARDWARE.get(i.kind, HARDWARE["FastEthernet"])
    rows = [f"{i.name} is {i.status}, line protocol is {i.protocol} "]
    if has_mac:
        mac = _mac(hostname, i.name)
        rows.append(f"  Hardware is {hw}, address is {mac} (bia {mac})")
    else:
        rows.append(f"  Hardware is {hw}")
    desc = i.value("description")
    if desc is not None:
        rows.append(f"  Description: {' '.join(desc)}")
    rows += _address_rows(i)
    mtu = int(_first(i.value("mtu")) or mtu)
    bw = int(_first(i.value("bandwidth")) or bw)
    rows.append(f"  MTU {mtu} bytes, BW {bw} Kbit, DLY {dly} usec, ")
    rows.append("     reliability 255/255, txload 1/255, rxload 1/255")
    encap_text = encap if i.value("encapsulation") is None else _first(i.value("encapsulation"))
    rows.append(f"  Encapsulation {str(encap_text).upper()}, loopback not set")
    if i.kind not in ("Loopback", "Tunnel", "Dialer", "Virtual-Template"):
        rows.append("  Keepalive set (10 sec)")
    if i.kind == "Tunnel":
        rows += tunnel_rows(i, config)
    if i.kind == "FastEthernet" and "." not in i.name:
        rows.append(DUPLEX_SHUT if i.status == SHUT else DUPLEX_UP)
    if has_mac:
        rows.append("  ARP type: ARPA, ARP Timeout 04:00:00")
    return "\n".join(rows) + "\n" + COUNTERS


def _first(words: tuple[str, ...] | None) -> str | None:
    return words[0] if words else None


def _address_rows(i: Iface) -> list[str]:
    if i.address is not None:
        return [f"  Internet address is {i.address.with_prefixlen}"]
    if i.method == "DHCP":
        return ["  Internet address will be negotiated using DHCP"]
    if i.method == "IPCP":
        return ["  Internet address will be negotiated using IPCP"]
    via = i.value("ip", "unnumbered")
    if via is not None:
        return [f"  Interface is unnumbered. Using address of {via[0]}"]
    return []


def show_interfaces(config: Config, name: str | None) -> str | None:
    """All interfaces, or the one named (None: no such interface)."""
    found = interfaces(config)
    if name is not None:
        found = [i for i in found if i.name.lower() == name.lower()]
        if not found:
            return None
    return "".join(show_interface(i, config.hostname, config) for i in found)


def ip_interface_brief(config: Config) -> list[tuple[str, str, str, str, str]]:
    """(interface, IP-Address, Method, Status, Protocol) rows, as the brief prints them."""
    rows = []
    for i in interfaces(config):
        ip = str(i.address.ip) if i.address is not None else "unassigned"
        status = UP if i.status == SPOOF else i.status
        rows.append((i.name, ip, i.method, status, i.protocol))
    return rows


# ---- routing ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    code: str  # "C", "S", "S*"
    net: ipaddress.IPv4Network
    via: str | None  # next hop
    out: str | None  # exit interface
    distance: int


def _connected(ifaces: list[Iface], view: Live | None = None) -> list[Route]:
    out = [
        Route("C", i.address.network, None, i.name, 0)
        for i in ifaces
        if i.up and i.address is not None
    ]
    # PPP installs a host route to the peer's negotiated address (`peer neighbor-route`,
    # on by default): the server's on the branch Dialer, the branch's on the Virtual-Access
    for dialer, (_, peer) in view.dialer_addr.items() if view is not None else []:
        out.append(Route("C", ipaddress.IPv4Network(f"{peer}/32"), None, dialer, 0))
    for s in view.vaccess if view is not None else []:
        if s.client_addr is not None:
            net = ipaddress.IPv4Network(f"{s.client_addr}/32")
            out.append(Route("C", net, None, s.vaccess, 0))
    return out


def _static_words(config: Config) -> list[list[str]]:
    return [ln.words for ln in config.root if ln.words[:2] == ["ip", "route"] and not ln.negated]


def lookup(routes: list[Route], addr: ipaddress.IPv4Address) -> Route | None:
    """The longest-prefix route of a table `routes` made for `addr`."""
    return _lookup(routes, addr)


def _lookup(routes: list[Route], addr: ipaddress.IPv4Address) -> Route | None:
    hits = [r for r in routes if addr in r.net]
    return max(hits, key=lambda r: (r.net.prefixlen, -r.distance)) if hits else None


# A DHCP client's default route: administrative distance 254 (Cisco, DHCP client
# configuration guide: "the default route ... with an administrative distance of 254") [M]
DHCP_DISTANCE: Final = 254


def _lease_gateway(
    ifaces: dict[str, Iface],
    leases: dict[str, tuple[ipaddress.IPv4Interface, ipaddress.IPv4Address]],
) -> ipaddress.IPv4Address | None:
    for name, (_, gateway) in leases.items():
        found = ifaces.get(name)
        if found is not None and found.up and found.method == "DHCP":
            return gateway
    return None


def _static(
    words: list[str],
    ifaces: dict[str, Iface],
    connected: list[Route],
    leases: dict[str, tuple[ipaddress.IPv4Interface, ipaddress.IPv4Address]] | None = None,
) -> Route | None:
    try:
        net = ipaddress.IPv4Network(f"{words[2]}/{words[3]}", strict=False)
    except (ValueError, IndexError):
        return None
    rest = words[4:]
    via = out = None
    if rest and rest[0] == "dhcp":
        # the gateway of a DHCP lease, at distance 254 unless one is given (Cisco, `ip
        # route`: "dhcp ... default gateway ... from the DHCP server"); none without lease
        gateway = _lease_gateway(ifaces, leases or {})
        if gateway is None:
            return None
        distance = int(rest[1]) if len(rest) > 1 and rest[1].isdigit() else DHCP_DISTANCE
        return Route("S*" if net.prefixlen == 0 else "S", net, str(gateway), None, distance)
    if (rest and rest[0] in ifaces) or (rest and rest[0].startswith("Null")):
        out = rest.pop(0)
    if rest and re.fullmatch(r"\d+\.\d+\.\d+\.\d+", rest[0]):
        via = rest.pop(0)
    distance = int(rest[0]) if rest and rest[0].isdigit() else 1
    if out is not None and not out.startswith("Null") and not ifaces[out].up:
        return None
    if out is None and via is not None and _lookup(connected, ipaddress.IPv4Address(via)) is None:
        return None
    code = "S*" if net.prefixlen == 0 else "S"
    return Route(code, net, via, out, distance)


def routes(config: Config, live: bool = True) -> list[Route]:
    """The routing table: connected networks, then the static routes that resolve."""
    ifaces = interfaces(config, live)
    by_name = {i.name: i for i in ifaces}
    table = _connected(ifaces, _live(config, live))
    best: dict[ipaddress.IPv4Network, Route] = {r.net: r for r in table}
    statics = _static_words(config)
    gateway = _lease_gateway(by_name, config.leases)
    if gateway is not None and not any(w[2:5] == ["0.0.0.0", "0.0.0.0", "dhcp"] for w in statics):
        # the lease's router option: a default route even without `ip route ... dhcp`
        statics.append(["ip", "route", "0.0.0.0", "0.0.0.0", "dhcp"])
    for words in statics:
        r = _static(words, by_name, table, config.leases)
        if r is None:
            continue
        old = best.get(r.net)
        if old is None or r.distance < old.distance:
            best[r.net] = r
        elif old.distance == r.distance and old.code != "C":
            table.append(r)  # equal-cost: both kept
            continue
    seen = list(best.values())
    return seen + [r for r in table if r not in seen and r.code != "C"]


def route_to(config: Config, dest: str, live: bool = True) -> Route | None:
    try:
        addr = ipaddress.IPv4Address(dest)
    except ValueError:
        return None
    return _lookup(routes(config, live), addr)


def _classful(net: ipaddress.IPv4Network) -> ipaddress.IPv4Network:
    first = int(net.network_address) >> 24
    bits = 8 if first < 128 else 16 if first < 192 else 24
    return ipaddress.IPv4Network((int(net.network_address) >> (32 - bits) << (32 - bits), bits))


def _route_text(r: Route, with_len: bool) -> str:
    net = r.net.with_prefixlen if with_len else str(r.net.network_address)
    if r.code == "C":
        return f"{net} is directly connected, {r.out}"
    tail = f"[{r.distance}/0] via {r.via}" if r.via else f"is directly connected, {r.out}"
    if r.via and r.out:
        tail += f", {r.out}"
    return f"{net} {tail}"


def show_ip_route(config: Config) -> str:
    table = sorted(routes(config), key=lambda r: (r.net.prefixlen == 0, r.net))
    default = next((r for r in table if r.net.prefixlen == 0), None)
    gateway = GATEWAY_NONE if default is None else GATEWAY.format(via=default.via or "0.0.0.0")
    rows = [ROUTE_CODES, gateway, ""]
    groups: dict[ipaddress.IPv4Network, list[Route]] = {}
    for r in table:
        groups.setdefault(_classful(r.net) if r.net.prefixlen else r.net, []).append(r)
    for major, members in groups.items():
        if (len(members) == 1 and members[0].net == major) or major.prefixlen == 0:
            rows += [f"{r.code:<5}{_route_text(r, True)}" for r in members]
            continue
        masks = {r.net.prefixlen for r in members}
        n = len(members)
        subnets = f"{n} subnets"  # IOS: "1 subnets" too
        if len(masks) == 1:
            rows.append(f"     {major.network_address}/{masks.pop()} is subnetted, {subnets}")
            rows += [f"{r.code:<8}{_route_text(r, False)}" for r in members]
        else:
            rows.append(f"     {major} is variably subnetted, {subnets}, {len(masks)} masks")
            rows += [f"{r.code:<8}{_route_text(r, True)}" for r in members]
    return "\n".join(rows) + "\n"


# ---- the rest --------------------------------------------------------------------------------
def show_users(user: str, peer: str = "127.0.0.1") -> str:
    row = USERS_ROW.format(line=VTY0_LINE, user=user, peer=peer)
    return "\n".join([USERS_HEAD, row, "", USERS_IF_HEAD, ""]) + "\n"


# `show vpdn` with PPTP sessions (12.x capture, "Troubleshooting Virtual Private
# Networks", Cisco Press, example 3-77):
#   PPTP Tunnel and Session Information Total tunnels 1 sessions 1
#   LocID Remote Name     State    Remote Address  Port  Sessions
#   23                    estabd   172.16.1.2     1058  1
#   LocID RemID TunID Intf    Username      State   Last Chg
#   16    32768 23    Vi1     mjlnet      estabd  00:00:16
VPDN_L2TP_NONE: Final = "%No active L2TP tunnels\n"
VPDN_PPTP_HEAD: Final = "PPTP Tunnel and Session Information Total tunnels {n} sessions {n}"
VPDN_TUNNEL_HEAD: Final = "LocID Remote Name     State    Remote Address  Port  Sessions"
VPDN_TUNNEL_ROW: Final = "{loc:<6}{name:<16}{state:<9}{addr:<15}{port:<6}1"
VPDN_SESSION_HEAD: Final = "LocID RemID TunID Intf    Username      State   Last Chg"
VPDN_SESSION_ROW: Final = "{loc:<6}{rem:<6}{tun:<6}{intf:<8}{user:<14}{state:<8}00:00:16"
VPDN_ESTABLISHED: Final = "estabd"
REMOTE_ID_BASE: Final = 32768  # the peer's call IDs in the capture start there


def show_vpdn(config: Config | None = None) -> str:
    view = _live(config, True) if config is not None else None
    rows: list[tuple[int, str, str, str, str]] = []  # id, remote address, port, intf, user
    for s in view.dials if view is not None else []:
        if s.up:
            rows.append((len(rows) + 1, s.server_ip, "1723", s.client_vi, s.username))
    for s in view.vaccess if view is not None else []:
        addr = str(s.client_wan) if s.client_wan is not None else "0.0.0.0"
        intf = (s.vaccess or "").replace("Virtual-Access", "Vi")
        rows.append((s.tunnel_id, addr, str(1024 + s.tunnel_id), intf, s.username))
    if not rows:
        return VPDN_NONE
    out = [VPDN_L2TP_NONE, VPDN_PPTP_HEAD.format(n=len(rows)), "", VPDN_TUNNEL_HEAD]
    for n, addr, port, _, _ in rows:
        out.append(
            VPDN_TUNNEL_ROW.format(loc=n, name="", state=VPDN_ESTABLISHED, addr=addr, port=port)
        )
    out += ["", VPDN_SESSION_HEAD]
    for n, _, _, intf, user in rows:
        out.append(
            VPDN_SESSION_ROW.format(
                loc=n, rem=REMOTE_ID_BASE + n, tun=n, intf=intf, user=user, state=VPDN_ESTABLISHED
            )
        )
    return "\n".join(out) + "\n"


# `show ip nat translations`: a static mapping is always in the table, with no outside
# side ("--- 203.0.113.5      192.168.1.5        ---                ---"; a port
# forward "tcp 203.0.113.5:80   192.168.1.5:80     ---                ---")
NAT_ROW: Final = "{pro:<4}{inside_global:<19}{inside_local:<19}{none:<19}{none}"


def _nat_global(config: Config, words: list[str]) -> tuple[str | None, list[str]]:
    """The inside global address (an address, or `interface IF`'s) and the words after it."""
    if words[:1] == ["interface"] and len(words) > 1:
        found = find(config, words[1])
        ip = str(found.address.ip) if found is not None and found.address is not None else None
        return ip, words[2:]
    return (words[0], words[1:]) if words else (None, [])


def _nat_row(config: Config, w: list[str]) -> str | None:
    rest = w[5:]
    pro = rest.pop(0) if rest[:1] in (["tcp"], ["udp"]) else "---"
    if pro == "---":
        if not rest:
            return None
        local = rest[0]
        glob, _ = _nat_global(config, rest[1:])
    else:
        if len(rest) < 2:
            return None
        local = f"{rest[0]}:{rest[1]}"
        glob_ip, after = _nat_global(config, rest[2:])
        glob = f"{glob_ip}:{after[0]}" if glob_ip and after else None
    if glob is None:
        return None
    return NAT_ROW.format(pro=pro, inside_global=glob, inside_local=local, none="---")


def static_nat_rows(config: Config) -> list[str]:
    """The rows of the static `ip nat inside source static` mappings, in config order."""
    rows = []
    for ln in config.root:
        if not ln.negated and ln.words[:5] == ["ip", "nat", "inside", "source", "static"]:
            row = _nat_row(config, ln.words)
            if row is not None:
                rows.append(row)
    return rows


# ---- tunnels and crypto (docs/sim-ipsec.md) ---------------------------------------------------
# `show interfaces Tunnel0` on 12.4 with `tunnel mode ipsec ipv4` (Cisco, IPSec Virtual
# Tunnel Interface, "Verifying the Results for the IPsec Static Virtual Tunnel Interface":
# "Tunnel source 10.0.149.203, destination 10.0.149.217" / "Tunnel protocol/transport
# IPSEC/IP" / "Tunnel TTL 255" / "Fast tunneling enabled" / "Tunnel transmit bandwidth
# 8000 (kbps)" / "Tunnel receive bandwidth 8000 (kbps)" / "Tunnel protection via IPSec
# (profile "P1")") [H]; a GRE tunnel says GRE/IP.
TUNNEL_KEEPALIVE: Final = "  Keepalive not set"
TUNNEL_TRANSPORT: Final[dict[str, str]] = {"ipsec": "IPSEC/IP", "gre": "GRE/IP", "ipip": "IP/IP"}
TUNNEL_TAIL: Final = (
    "  Tunnel TTL 255",
    "  Fast tunneling enabled",
    "  Tunnel transmit bandwidth 8000 (kbps)",
    "  Tunnel receive bandwidth 8000 (kbps)",
)


def tunnel_rows(i: Iface, config: Config | None) -> list[str]:
    rows = [TUNNEL_KEEPALIVE]
    src = i.value("tunnel", "source")
    dst = i.value("tunnel", "destination")
    if src is not None or dst is not None:
        where = "UNKNOWN"
        if src is not None:
            found = find(config, src[0], live=False) if config is not None else None
            if found is not None and found.address is not None:
                where = f"{found.address.ip} ({found.name})"
            elif found is None:
                where = src[0]
        rows.append(f"  Tunnel source {where}, destination {dst[0] if dst else 'UNKNOWN'}")
    mode = i.value("tunnel", "mode")
    kind = mode[0] if mode else "gre"
    rows.append(f"  Tunnel protocol/transport {TUNNEL_TRANSPORT.get(kind, 'GRE/IP')}")
    rows += TUNNEL_TAIL
    profile = i.value("tunnel", "protection", "ipsec", "profile")
    if profile is not None:
        rows.append(f'  Tunnel protection via IPSec (profile "{profile[0]}")')
    return rows


def _sides(config: Config) -> list[ipsec.Side]:
    view = _live(config, True)
    return list(view.ipsec) if view is not None else []


# `show crypto isakmp sa`, 12.4 (Cisco Press, *The Complete Cisco VPN Configuration
# Guide*, example 16-26, "dst src state conn-id slot status" / "... QM_IDLE 1 0 ACTIVE";
# the column widths of 12.4 captures "192.168.12.2    192.168.12.1    QM_IDLE
# 1001    0 ACTIVE") [M]
ISAKMP_HEAD: Final = "dst             src             state          conn-id slot status"
ISAKMP_ROW: Final = "{dst:<16}{src:<16}{state:<15}{conn:>7}{slot:>5} {status}"


ISAKMP_V4: Final = "IPv4 Crypto ISAKMP SA"
ISAKMP_V6: Final = "IPv6 Crypto ISAKMP SA"


def show_crypto_isakmp_sa(config: Config) -> str:
    slot = not image_has(config.image, SLOTLESS)
    head = ISAKMP_HEAD if slot else ISAKMP_HEAD.replace(" slot", "")
    rows = [head]
    for s in _sides(config):
        if s.state is None:
            continue
        me, peer = str(s.endpoint.local), str(s.peer_addr)
        dst, src = (peer, me) if s.initiator else (me, peer)
        row = ISAKMP_ROW.format(
            dst=dst, src=src, state=s.state, conn=s.ike_conn, slot=0, status="ACTIVE"
        )
        rows.append(row if slot else row.replace("    0 ACTIVE", " ACTIVE"))
    if image_has(config.image, IKE6):  # an image with IPv6 IKE prints both families
        rows = [ISAKMP_V4, *rows, "", ISAKMP_V6]
    return "\n".join(rows) + "\n\n"


# `show crypto ipsec sa`, 12.4 (Cisco, IPSec Virtual Tunnel Interface, "Verifying the
# Results ...": "interface: Tunnel0" / "Crypto map tag: Tunnel0-head-0, local addr ..." /
# "local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)" / "#pkts encaps: ..." /
# "local crypto endpt.: ..., remote crypto endpt.: ..." / "inbound esp sas:" / "spi: ..."
# / "transform: esp-3des esp-sha-hmac ," / "in use settings ={Tunnel, }" / "conn id:
# 2001, flow_id: SW:1, crypto map: Tunnel0-head-0" / "sa timing: remaining key lifetime
# (k/sec): (4397507/3413)" / "IV size: 8 bytes" / "replay detection support: Y" /
# "Status: ACTIVE") [H]
IPSEC_FLOW: Final = """\
   protected vrf: (none)
   local  ident (addr/mask/prot/port): ({lnet}/{lmask}/0/0)
   remote ident (addr/mask/prot/port): ({rnet}/{rmask}/0/0)
   current_peer {peer} port 500
     PERMIT, flags={{origin_is_acl,}}
    #pkts encaps: {e}, #pkts encrypt: {e}, #pkts digest: {e}
    #pkts decaps: {d}, #pkts decrypt: {d}, #pkts verify: {d}
    #pkts compressed: 0, #pkts decompressed: 0
    #pkts not compressed: 0, #pkts compr. failed: 0
    #pkts not decompressed: 0, #pkts decompress failed: 0
    #send errors 0, #recv errors 0

     local crypto endpt.: {local}, remote crypto endpt.: {peer}
     path mtu 1500, ip mtu 1500, ip mtu idb {idb}
     current outbound spi: {out_spi}
"""
IPSEC_SA: Final = """\
      spi: {spi}
        transform: {transform} ,
        in use settings ={{{mode}, }}
        conn id: {conn}, flow_id: SW:{flow}, crypto map: {tag}
        sa timing: remaining key lifetime (k/sec): ({kb}/{left})
        IV size: {iv} bytes
        replay detection support: Y
        Status: ACTIVE
"""
IV_BYTES: Final[dict[str, int]] = {"esp-aes": 16, "esp-des": 8, "esp-3des": 8}


def _spi(n: int) -> str:
    return f"0x{n:X}({n})"


def _ident(net: ipaddress.IPv4Network) -> tuple[str, str]:
    return str(net.network_address), str(net.netmask)


def _idb(config: Config, side: ipsec.Side) -> str:
    for i in interfaces(config, live=False):
        if i.address is not None and i.address.ip == side.endpoint.local:
            return i.name
    return side.endpoint.interface


def _sa_rows(side: ipsec.Side, inbound: bool, now: float, scale: float) -> str:
    assert side.transform is not None and side.memo is not None
    words, mode = side.transform
    cipher = next((w.split()[0] for w in words if w.startswith("esp-") and "hmac" not in w), "")
    elapsed = int((now - side.memo.up_since) / scale) if scale > 0 else 0
    conn = side.ipsec_conn + (0 if inbound else 1)
    return IPSEC_SA.format(
        spi=_spi(side.spi(inbound)),
        transform=" ".join(words),
        mode=mode.capitalize(),
        conn=conn,
        flow=conn - ipsec.IPSEC_CONN_BASE + 1,
        tag=side.endpoint.tag,
        kb=ipsec.SA_KILOBYTES,
        left=max(side.seconds - elapsed, 0),
        iv=IV_BYTES.get(cipher, 8),
    )


def show_crypto_ipsec_sa(config: Config, now: float | None = None) -> str:
    import time

    now = time.time() if now is None else now
    out: list[str] = []
    for side in sorted(_sides(config), key=lambda x: (x.endpoint.interface, x.endpoint.seq)):
        e = side.endpoint
        lnet, lmask = _ident(side.local_proxy if side.up else _first_proxy(e)[0])
        rnet, rmask = _ident(side.remote_proxy if side.up else _first_proxy(e)[1])
        memo = side.memo if side.up else None
        out.append(f"interface: {e.interface}")
        out.append(f"    Crypto map tag: {e.tag}, local addr {e.local}")
        out.append("")
        out.append(
            IPSEC_FLOW.format(
                lnet=lnet,
                lmask=lmask,
                rnet=rnet,
                rmask=rmask,
                peer=side.peer_addr,
                e=memo.encaps if memo else 0,
                d=memo.decaps if memo else 0,
                local=e.local,
                idb=_idb(config, side),
                out_spi=_spi(side.spi(False)) if memo else "0x0(0)",
            )
        )
        for direction in ("inbound", "outbound"):
            out.append(f"     {direction} esp sas:")
            if memo is not None and side.transform is not None:
                out.append(_sa_rows(side, direction == "inbound", now, config.time_scale).rstrip())
            out += ["", f"     {direction} ah sas:", "", f"     {direction} pcp sas:", ""]
    return "\n".join(out) + "\n" if out else "\n"


def _first_proxy(e: ipsec.Endpoint) -> tuple[ipaddress.IPv4Network, ipaddress.IPv4Network]:
    return (e.proxies or [(ipsec.ANY, ipsec.ANY)])[0]


# `show crypto session`, 12.4 (Cisco, *Crypto Session Status* / 12.4 captures:
# "Crypto session current status" / "Interface: Tunnel0" / "Session status: UP-ACTIVE" /
# "Peer: 10.0.0.2 port 500" / "  IKE SA: local 10.0.0.1/500 remote 10.0.0.2/500 Active" /
# "  IPSEC FLOW: permit ip 0.0.0.0/0.0.0.0 0.0.0.0/0.0.0.0" / "        Active SAs: 2,
# origin: crypto map"; the states UP-ACTIVE, UP-IDLE, UP-NO-IKE, DOWN-NEGOTIATING, DOWN) [M]
SESSION_HEAD: Final = "Crypto session current status"


def _session_status(side: ipsec.Side) -> str:
    if side.up:
        return "UP-ACTIVE"
    if side.state == ipsec.QM_IDLE:
        return "UP-IDLE"
    return "DOWN-NEGOTIATING" if side.state is not None else "DOWN"


def show_crypto_session(config: Config) -> str:
    rows = [SESSION_HEAD, ""]
    for side in sorted(_sides(config), key=lambda x: (x.endpoint.interface, x.endpoint.seq)):
        e = side.endpoint
        loc, rem = (side.local_proxy, side.remote_proxy) if side.up else _first_proxy(e)
        rows += [
            f"Interface: {e.interface}",
            f"Session status: {_session_status(side)}",
            f"Peer: {side.peer_addr} port 500",
        ]
        if side.state is not None:
            active = "Active" if side.state == ipsec.QM_IDLE else "Inactive"
            rows.append(f"  IKE SA: local {e.local}/500 remote {side.peer_addr}/500 {active}")
        rows.append(
            f"  IPSEC FLOW: permit ip {loc.network_address}/{loc.netmask} "
            f"{rem.network_address}/{rem.netmask} "
        )
        rows.append(f"        Active SAs: {2 if side.up else 0}, origin: crypto map")
        rows.append("")
    return "\n".join(rows) + "\n"


# `show crypto isakmp policy`, 12.4: each policy, then the default suite (captures: "Global
# IKE policy" / "Protection suite of priority 10" / "encryption algorithm:   AES - Advanced
# Encryption Standard (256 bit keys)." / "hash algorithm:         Secure Hash Standard" /
# "authentication method:  Pre-Shared Key" / "Diffie-Hellman group:   #5 (1536 bit)" /
# "lifetime:               86400 seconds, no volume limit" / "Default protection suite")
# [M]; the names, by value:
POLICY_ENCR: Final[dict[str, str]] = {
    "des": "DES - Data Encryption Standard (56 bit keys).",
    "3des": "Three key triple DES",
    "aes 128": "AES - Advanced Encryption Standard (128 bit keys).",
    "aes 192": "AES - Advanced Encryption Standard (192 bit keys).",
    "aes 256": "AES - Advanced Encryption Standard (256 bit keys).",
}
POLICY_HASH: Final[dict[str, str]] = {"sha": "Secure Hash Standard", "md5": "Message Digest 5"}
POLICY_AUTH: Final[dict[str, str]] = {
    "pre-share": "Pre-Shared Key",
    "rsa-sig": "Rivest-Shamir-Adleman Signature",
    "rsa-encr": "Rivest-Shamir-Adleman Encryption",
}
POLICY_GROUP: Final[dict[str, str]] = {
    "1": "#1 (768 bit)",
    "2": "#2 (1024 bit)",
    "5": "#5 (1536 bit)",
    "14": "#14 (2048 bit)",
    "15": "#15 (3072 bit)",
    "16": "#16 (4096 bit)",
}


def _suite(p: ipsec.Policy) -> list[str]:
    pad = " " * 8
    return [
        f"{pad}encryption algorithm:   {POLICY_ENCR.get(p.encr, p.encr)}",
        f"{pad}hash algorithm:         {POLICY_HASH.get(p.hash, p.hash)}",
        f"{pad}authentication method:  {POLICY_AUTH.get(p.auth, p.auth)}",
        f"{pad}Diffie-Hellman group:   {POLICY_GROUP.get(p.group, p.group)}",
        f"{pad}lifetime:               {p.lifetime} seconds, no volume limit",
    ]


def show_crypto_isakmp_policy(config: Config) -> str:
    rows = ["", "Global IKE policy"]
    for p in ipsec.policies(config):
        rows += [f"Protection suite of priority {p.priority}", *_suite(p)]
    d = ipsec.POLICY_DEFAULTS
    default = ipsec.Policy(
        65535, d["encr"], d["hash"], d["authentication"], d["group"], int(d["lifetime"])
    )
    rows += ["Default protection suite", *_suite(default)]
    return "\n".join(rows) + "\n"


# `show crypto map`, 12.4 (a 12.4-era capture: `Crypto Map "VPN" 65537 ipsec-isakmp` /
# `Peer= ...` / `Extended IP access list` / `Current peer: ...` / `Security association
# lifetime: 4608000 kilobytes/3600 seconds` / `PFS (Y/N): N` / `Transform sets={` /
# `PHASE2,` / `}` / `Interfaces using crypto map VPN:` / `FastEthernet0/0.23`; tabs shown
# as eight spaces) [M for the lines, L for the spacing]
MAP_PAD: Final = " " * 8


def _acl_lines(config: Config, name: str) -> list[str]:
    rows = [ln.words[2:] for ln in config.root if ln.words[:2] == ["access-list", name]]
    named = [
        b
        for b in config.root
        if b.words[:3] == ["ip", "access-list", "extended"] and b.words[3:4] == [name]
    ]
    for b in named:
        rows = [c.words for c in b.children or [] if not c.negated]
    return [f"{MAP_PAD}    access-list {name} {' '.join(w)}" for w in rows]


def show_crypto_map(config: Config) -> str:
    out: list[str] = []
    sides = _sides(config)
    users: dict[str, list[str]] = {}
    for block in config.interfaces():
        for w in (ln.words for ln in block.children or [] if not ln.negated):
            if w[:2] == ["crypto", "map"] and len(w) > 2:
                users.setdefault(w[2], []).append(block.words[1])
    maps = sorted(
        (
            b
            for b in config.root
            if b.words[:2] == ["crypto", "map"] and b.words[3:4] != ["local-address"]
        ),
        key=lambda b: (b.words[2], int(b.words[3])),
    )
    for n, b in enumerate(maps):
        name, seq = b.words[2], b.words[3]
        out.append(f'Crypto Map "{name}" {seq} {" ".join(b.words[4:])}'.rstrip())
        words = [c.words for c in b.children or [] if not c.negated]
        desc = next((w[1:] for w in words if w[:1] == ["description"]), None)
        if desc:
            out.append(f"{MAP_PAD}Description: {' '.join(desc)}")
        for w in words:
            if w[:2] == ["set", "peer"]:
                out.append(f"{MAP_PAD}Peer = {w[2]}")
        acl = next((w[2] for w in words if w[:2] == ["match", "address"]), None)
        if b.children is not None:
            out.append(f"{MAP_PAD}Extended IP access list {acl or ''}".rstrip())
            out += _acl_lines(config, acl) if acl else []
            current = next(
                (
                    s.peer_addr
                    for s in sides
                    if s.up and s.endpoint.tag == name and s.endpoint.seq == int(seq)
                ),
                None,
            )
            if current is not None:
                out.append(f"{MAP_PAD}Current peer: {current}")
            seconds = next(
                (
                    w[5]
                    for w in words
                    if w[:5] == ["set", "security-association", "lifetime", "seconds"]
                    and len(w) > 5
                ),
                None,
            )
            out.append(
                f"{MAP_PAD}Security association lifetime: {ipsec.SA_KILOBYTES} kilobytes/"
                f"{seconds or ipsec.SA_SECONDS} seconds"
            )
            pfs = next((w[2:] for w in words if w[:2] == ["set", "pfs"]), None)
            out.append(f"{MAP_PAD}PFS (Y/N): {'Y' if pfs is not None else 'N'}")
            if pfs is not None:
                out.append(f"{MAP_PAD}DH group:  {pfs[0] if pfs else ipsec.PFS_DEFAULT}")
            sets = next((w[2:] for w in words if w[:2] == ["set", "transform-set"]), [])
            out += [
                f"{MAP_PAD}Transform sets={{ ",
                *(f"{MAP_PAD}{MAP_PAD}{t}, " for t in sets),
                f"{MAP_PAD}}}",
            ]
        last = n + 1 == len(maps) or maps[n + 1].words[2] != name
        if last:
            out.append(f"{MAP_PAD}Interfaces using crypto map {name}:")
            out += [f"{MAP_PAD}{MAP_PAD}{i}" for i in users.get(name, [])]
            out.append("")
    return "\n".join(out) + "\n"
