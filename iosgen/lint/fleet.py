"""Fleet checks: what no single site file can see, over the whole loaded inventory.

Each check is pure and offline: it reads the validated `Site`s and the YAML node
positions of their files, and returns `FleetFinding`s with a stable code
(FLEET1xx), a severity, and both places it is about (`node` and `other`), each a
`file:line:column`. `lint --fleet` prints them; `build --all` and `check` refuse a
fleet with error findings (exit 2). The pieces a head office compiled from its
branches needs too (which site a tunnel dials, whether a CHAP user matches,
whether two MPPE ends agree) are public functions: `server_of`, `chap_problem`,
`mppe_agreement`. Rules, reasons and sources: docs/fleet-lint.md.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, ip_address
from pathlib import Path
from typing import Literal, overload

from iosgen.build.headoffice import compiled
from iosgen.errors import EXIT_FINDINGS, EXIT_OK, Problem
from iosgen.lint.rules import SEVERITY_ORDER, Rule, Severity
from iosgen.model import ipsec
from iosgen.model.headoffice import addresses_of, wan_address
from iosgen.model.inventory import Inventory
from iosgen.model.platform import Platform
from iosgen.model.secret import Secret
from iosgen.model.site import IpsecTunnel, PptpClient, Site, canonical_interface_name
from iosgen.model.yamlsource import KeyPath, SourceMap

FLEET_RULES: tuple[Rule, ...] = (
    Rule("FLEET101", "error", "a LAN overlaps a LAN of another site"),
    Rule("FLEET102", "error", "a PPTP pool overlaps a LAN or a pool of another site"),
    Rule(
        "FLEET103",
        "warning",
        "a tunnel's remote network overlaps the LAN of a site that its server cannot reach",
    ),
    Rule("FLEET104", "error", "two sites have the same hostname"),
    Rule("FLEET105", "error", "two sites have the same management host and port"),
    Rule("FLEET106", "error", "the management host is a network or broadcast address of the site"),
    Rule("FLEET107", "error", "a tunnel dials a site of the inventory that is no PPTP server"),
    Rule("FLEET108", "info", "a tunnel dials a server outside the inventory: CHAP, MPPE unchecked"),
    Rule("FLEET109", "error", "a tunnel's CHAP user is not a PPTP user of its server"),
    Rule("FLEET110", "error", "a tunnel's CHAP secret differs from its user's at the server"),
    Rule(
        "FLEET111", "error", "the MPPE settings of the two ends cannot agree: the link is refused"
    ),
    Rule("FLEET112", "warning", "the two ends agree on no MPPE strength: the link runs in clear"),
    Rule("FLEET113", "error", "the same remote network is routed two ways at the same distance"),
    Rule(
        "FLEET114",
        "error",
        "an IPsec tunnel's peer is a site of the inventory that is no IPsec head office",
    ),
    Rule(
        "FLEET115",
        "info",
        "an IPsec tunnel's peer is outside the inventory: key, proposals unchecked",
    ),
    Rule(
        "FLEET116", "error", "the IPsec head office has no peer for a branch tunnel that names it"
    ),
    Rule("FLEET117", "error", "the pre-shared keys of the two ends of an IPsec tunnel differ"),
    Rule(
        "FLEET118",
        "error",
        "the two ends of an IPsec tunnel propose what the other does not accept",
    ),
)
FLEET_RULE_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in FLEET_RULES}

# MPPE key lengths each `mppe` mode offers. IOS `ppp encrypt mppe {auto | 40 | 128}`:
# `auto` accepts 40- or 128-bit, `40`/`128` only that strength; `required` drops the
# link when MPPE is not negotiated (PPTP with MPPE feature guide, 12.1(5)T, command
# reference `ppp encrypt mppe`; ios-reference.md section 7). pppd: `require-mppe`
# (either), `require-mppe-40`, `require-mppe-128`, and MPPE once on "*must* be
# negotiated successfully ... or the link will be disconnected" (ppp README.MPPE).
MPPE_STRENGTHS: dict[str, frozenset[int]] = {
    "auto": frozenset({40, 128}),
    "40": frozenset({40}),
    "128": frozenset({128}),
    "none": frozenset(),
}
# An IOS static route's administrative distance when none is typed (`ip route`
# command reference: "distance ... The default administrative distance is 1").
# The model types none, so every tunnel route and `routes` entry has this one.
STATIC_DISTANCE = 1


# --- where a finding is -----------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A YAML node of a site's files: where the user typed it."""

    site: str  # the hostname
    file: str
    line: int
    column: int
    path: str  # dotted key path in the merged site, `pptp_clients.varna.server`

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class FleetFinding:
    code: str
    severity: Severity
    message: str
    node: Node  # the node the finding is about
    other: Node | None = None  # the node it collides with (often in another file)

    def render(self) -> str:
        text = f"{self.node.location}: {self.severity} {self.code}: {self.node.path}: "
        text += self.message
        if self.other is not None:
            text += f" (see {self.other.location}: {self.other.path})"
        return text

    def problem(self) -> Problem:
        """As an input problem, for the commands that refuse a broken fleet."""
        message = f"{self.code}: {self.message}"
        if self.other is not None:
            message += f" (see {self.other.location}: {self.other.path})"
        return Problem(self.node.file, self.node.line, self.node.column, self.node.path, message)


@dataclass(frozen=True)
class FleetSite:
    """A site with the node positions of its merged files (defaults, groups, site)."""

    site: Site
    file: str
    source: SourceMap

    @property
    def hostname(self) -> str:
        return self.site.hostname

    def node(self, *path: str | int) -> Node:
        typed = self._typed_path(path)
        pos = self.source.locate(typed) or self.source.values.get(())
        key = self.source.keys.get(typed)
        if key is not None and pos is not None and pos.line > key.line:
            pos = key  # a block mapping or list: its key, not its first item, is the node
        dotted = ".".join(str(p) for p in path)
        if pos is None:
            return Node(self.hostname, self.file, 1, 1, dotted)
        return Node(self.hostname, pos.file, pos.line, pos.column, dotted)

    def _typed_path(self, path: tuple[str | int, ...]) -> KeyPath:
        """The path as typed: `interfaces.FastEthernet0/1` may be `Fa0/1` in the file."""
        if len(path) < 2 or path[0] != "interfaces" or ("interfaces", path[1]) in self.source.keys:
            return path
        for key in self.source.keys:
            if len(key) == 2 and key[0] == "interfaces":
                name = canonical_interface_name(self.site.platform, str(key[1]))
                if name == path[1]:
                    return (key[0], key[1], *path[2:])
        return path


class Fleet(Sequence[FleetSite]):
    """The sites of a fleet in file order, with the index the checks look servers up in."""

    def __init__(self, sites: Iterable[FleetSite]) -> None:
        self.sites = tuple(sites)
        self.by_address: dict[IPv4Address, list[FleetSite]] = {}
        for entry in self.sites:
            for address in sorted(addresses_of(entry.site)):
                self.by_address.setdefault(address, []).append(entry)
        # server address -> the sites that dial it (spokes of one hub)
        self.dialling: dict[IPv4Address, set[int]] = {}
        for index, entry in enumerate(self.sites):
            for client in entry.site.pptp_clients.values():
                self.dialling.setdefault(client.server, set()).add(index)

    @overload
    def __getitem__(self, index: int) -> FleetSite: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[FleetSite]: ...
    def __getitem__(self, index: int | slice) -> FleetSite | Sequence[FleetSite]:
        return self.sites[index]

    def __len__(self) -> int:
        return len(self.sites)


def as_fleet(sites: Sequence[FleetSite]) -> Fleet:
    return sites if isinstance(sites, Fleet) else Fleet(sites)


def fleet_of(inventory: Inventory) -> Fleet:
    """The inventory's sites with their node positions (their files are read again)."""
    # The loader keeps no positions on its sites: the same merge, once more, gives them
    # (defaults and group files parsed once for all sites).
    from iosgen.model.inventory import SharedLayers, _layers, inventory_root_of

    shared: SharedLayers = {}
    sites = []
    for entry in inventory.loaded:
        root = inventory.root or inventory_root_of(entry.file)
        _data, source, _problems = _layers(root, entry.file, shared)
        # a head office compiled from its branches is checked as it builds
        site = compiled(entry.site, entry.site.fleet or tuple(inventory.sites))
        sites.append(FleetSite(site, source.values[()].file, source))
    return Fleet(sites)


# --- the views the checks share ---------------------------------------------------------


def _static(site: Site) -> list[tuple[str, IPv4Interface]]:
    return [(n, i.ipv4) for n, i in site.interfaces.items() if isinstance(i.ipv4, IPv4Interface)]


def _lans(site: Site) -> list[tuple[str, IPv4Network]]:
    return [(n, i.ipv4.network) for n, i in site.lans if isinstance(i.ipv4, IPv4Interface)]


def server_of(fleet: Sequence[FleetSite], client: PptpClient, own: Site) -> FleetSite | None:
    """The site of the inventory a tunnel dials (by its addresses), or None: outside it."""
    found = as_fleet(fleet).by_address.get(client.server, [])
    return next((entry for entry in found if entry.site is not own), None)


def chap_problem(client: PptpClient, server: Site) -> Literal["", "missing", "differs"]:
    """Whether the server knows the tunnel's CHAP user with the same secret.

    The secrets are compared in constant time and never returned or printed.
    """
    users = server.pptp_server.users if server.pptp_server is not None else {}
    secret = users.get(client.chap_hostname)
    if secret is None:
        return "missing"
    same = hmac.compare_digest(
        secret.reveal().encode("utf-8"), client.chap_password.reveal().encode("utf-8")
    )
    return "" if same else "differs"


@dataclass(frozen=True)
class MppeEnd:
    mode: str  # auto | 40 | 128 | none
    required: bool

    @property
    def offers(self) -> frozenset[int]:
        return MPPE_STRENGTHS[self.mode]

    def describe(self) -> str:
        offered = " or ".join(f"{n}-bit" for n in sorted(self.offers)) or "no MPPE"
        return f"{offered}{', required' if self.required else ''}"


def client_end(client: PptpClient, platform: Platform) -> MppeEnd:
    # pppd's MPPE options are all or nothing: any mode but `none` is required there.
    required = client.mppe != "none" and (client.mppe_required or platform == Platform.LINUX_PPPD)
    return MppeEnd(client.mppe, required)


def mppe_agreement(one: MppeEnd, two: MppeEnd) -> Literal["agree", "refused", "clear"]:
    """What two ends negotiate: a common strength, a refused link, or a link in clear."""
    if one.offers & two.offers:
        return "agree"
    return "refused" if one.required or two.required else "clear"


# --- the checks -------------------------------------------------------------------------

Check = Callable[[Sequence[FleetSite]], Iterator[FleetFinding]]


def _finding(code: str, message: str, node: Node, other: Node | None = None) -> FleetFinding:
    return FleetFinding(code, FLEET_RULE_BY_CODE[code].severity, message, node, other)


Interval = tuple[int, int, int, str]  # first address, last address, site index, what


def _overlapping(intervals: Iterable[Interval]) -> Iterator[tuple[Interval, Interval]]:
    """Each overlapping pair of address ranges once (a sweep over the sorted starts):
    the one of the later site in file order first."""
    active: list[Interval] = []
    for item in sorted(intervals):
        active = [a for a in active if a[1] >= item[0]]
        for other in active:
            yield (item, other) if item[2] >= other[2] else (other, item)
        active.append(item)


def _lan_intervals(fleet: Fleet) -> list[Interval]:
    return [
        (int(net.network_address), int(net.broadcast_address), index, name)
        for index, entry in enumerate(fleet)
        for name, net in _lans(entry.site)
    ]


def check_lans(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    sites = as_fleet(fleet)
    for (_, _, i, name), (_, _, j, other_name) in _overlapping(_lan_intervals(sites)):
        if i == j:
            continue  # within one site: the model's own check
        later, earlier = sites[i], sites[j]
        net, other_net = _lan_net(later.site, name), _lan_net(earlier.site, other_name)
        yield _finding(
            "FLEET101",
            f"LAN {net} overlaps LAN {other_net} of {earlier.hostname} "
            f"({other_name}): a network lives in one place",
            later.node("interfaces", name, "ipv4"),
            earlier.node("interfaces", other_name, "ipv4"),
        )


def _lan_net(site: Site, name: str) -> IPv4Network:
    return dict(_lans(site))[name]


def _pool_text(site: Site) -> str:
    assert site.pptp_server is not None
    return f"{site.pptp_server.pool[0]}-{site.pptp_server.pool[1]}"


POOL = "pptp_server.pool"


def check_pools(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    sites = as_fleet(fleet)
    pools = [
        (int(e.site.pptp_server.pool[0]), int(e.site.pptp_server.pool[1]), index, POOL)
        for index, e in enumerate(sites)
        if e.site.pptp_server is not None
    ]
    for one, two in _overlapping(pools + _lan_intervals(sites)):
        if one[2] == two[2] or POOL not in (one[3], two[3]):
            continue  # one site's own pool and LAN; or two LANs (FLEET101)
        if one[3] == POOL and two[3] == POOL:
            a, b = sites[one[2]], sites[two[2]]
            yield _finding(
                "FLEET102",
                f"pool {_pool_text(a.site)} overlaps pool {_pool_text(b.site)} of "
                f"{b.hostname}: two servers would hand out the same addresses",
                a.node("pptp_server", "pool"),
                b.node("pptp_server", "pool"),
            )
            continue
        pool, lan = (one, two) if one[3] == POOL else (two, one)
        a, b = sites[pool[2]], sites[lan[2]]
        yield _finding(
            "FLEET102",
            f"pool {_pool_text(a.site)} hands out addresses of LAN "
            f"{_lan_net(b.site, lan[3])} of {b.hostname} ({lan[3]})",
            a.node("pptp_server", "pool"),
            b.node("interfaces", lan[3], "ipv4"),
        )


def check_remote_networks(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    """A remote network is another site's LAN, and the server is neither that site nor a
    hub it also dials (spokes of one head office reach each other through it)."""
    sites = as_fleet(fleet)
    lans = _lan_intervals(sites)
    overlaps: dict[IPv4Network, list[Interval]] = {}  # a few networks, shared by many tunnels
    for index, entry in enumerate(sites):
        for tname, client in entry.site.pptp_clients.items():
            server = server_of(sites, client, entry.site)
            spokes = sites.dialling.get(client.server, set())
            for number, remote in enumerate(client.remote_networks):
                if remote not in overlaps:
                    first, last = int(remote.network_address), int(remote.broadcast_address)
                    overlaps[remote] = [lan for lan in lans if lan[0] <= last and lan[1] >= first]
                for _, _, other_index, name in overlaps[remote]:
                    other = sites[other_index]
                    if other_index == index or other is server or other_index in spokes:
                        continue
                    yield _finding(
                        "FLEET103",
                        f"remote network {remote} overlaps LAN {_lan_net(other.site, name)} "
                        f"of {other.hostname} ({name}), which {client.server} does not "
                        "serve: that traffic goes to the wrong place",
                        entry.node("pptp_clients", tname, "remote_networks", number),
                        other.node("interfaces", name, "ipv4"),
                    )


def _same(
    fleet: Sequence[FleetSite], key: Callable[[Site], object]
) -> Iterator[tuple[FleetSite, FleetSite]]:
    """Each site whose key an earlier site (in file order) has, with the first such site."""
    first: dict[object, FleetSite] = {}
    for entry in fleet:
        value = key(entry.site)
        if value in first:
            yield entry, first[value]
        else:
            first[value] = entry


def check_hostnames(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    # The loader refuses this first (exit 2); kept for fleets put together in code.
    for later, earlier in _same(fleet, lambda site: site.hostname.lower()):
        yield _finding(
            "FLEET104",
            f"hostname {later.hostname!r} is also the hostname of {earlier.file}",
            later.node("hostname"),
            earlier.node("hostname"),
        )


def check_management_hosts(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    def key(site: Site) -> object:
        return (site.management.host.lower(), site.management.port)

    for later, earlier in _same(fleet, key):
        one = later.site.management
        yield _finding(
            "FLEET105",
            f"management host {one.host} port {one.port} is also {earlier.hostname}'s: "
            "push and audit would reach one router for both",
            later.node("management", "host"),
            earlier.node("management", "host"),
        )


def check_management_subnet(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    for entry in fleet:
        try:
            host = ip_address(entry.site.management.host)
        except ValueError:
            continue  # a name: DNS decides
        if not isinstance(host, IPv4Address):
            continue
        for name, iface in _static(entry.site):
            net = iface.network
            if net.prefixlen >= 31 or host not in net:
                continue
            which = {net.network_address: "network", net.broadcast_address: "broadcast"}
            if host in which:
                yield _finding(
                    "FLEET106",
                    f"management host {host} is the {which[host]} address of {name}'s "
                    f"subnet {net}: no router answers there",
                    entry.node("management", "host"),
                    entry.node("interfaces", name, "ipv4"),
                )


def check_tunnel_servers(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    """Where each tunnel goes: no PPTP server, a server outside, the CHAP user there."""
    for entry in fleet:
        for tname, client in entry.site.pptp_clients.items():
            at = entry.node("pptp_clients", tname, "server")
            server = server_of(fleet, client, entry.site)
            if server is None:
                yield _finding(
                    "FLEET108",
                    f"server {client.server} is no site of the inventory: its CHAP user and "
                    "MPPE settings are not checked",
                    at,
                )
                continue
            if server.site.pptp_server is None:
                yield _finding(
                    "FLEET107",
                    f"server {client.server} is {server.hostname}, which is no PPTP server "
                    "(no pptp_server section): the tunnel never comes up",
                    at,
                    server.node("hostname"),
                )
                continue
            yield from _chap(entry, tname, client, server)


def _chap(
    entry: FleetSite, tname: str, client: PptpClient, server: FleetSite
) -> Iterator[FleetFinding]:
    problem = chap_problem(client, server.site)
    if problem == "missing":
        yield _finding(
            "FLEET109",
            f"CHAP user {client.chap_hostname!r} is not a user of {server.hostname}'s PPTP "
            "server: the server refuses the tunnel",
            entry.node("pptp_clients", tname, "chap_hostname"),
            server.node("pptp_server", "users"),
        )
    elif problem == "differs":
        yield _finding(
            "FLEET110",
            f"the secret of CHAP user {client.chap_hostname!r} differs from the one "
            f"{server.hostname} has for that user (values not shown): authentication fails",
            entry.node("pptp_clients", tname, "chap_password"),
            server.node("pptp_server", "users", client.chap_hostname),
        )


def check_mppe(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    for entry in fleet:
        for tname, client in entry.site.pptp_clients.items():
            server = server_of(fleet, client, entry.site)
            if server is None or server.site.pptp_server is None:
                continue
            ours = client_end(client, entry.site.platform)
            pptp = server.site.pptp_server
            theirs = MppeEnd(pptp.mppe, pptp.mppe_required)
            outcome = mppe_agreement(ours, theirs)
            if outcome == "agree":
                continue
            told = f"this end offers {ours.describe()}, {server.hostname} {theirs.describe()}"
            code, why = (
                ("FLEET111", "no common strength and one end requires MPPE: the link is refused")
                if outcome == "refused"
                else ("FLEET112", "no common strength: the tunnel comes up unencrypted")
            )
            yield _finding(
                code,
                f"{told}; {why}",
                entry.node("pptp_clients", tname, "mppe"),
                server.node("pptp_server", "mppe"),
            )


def _tunnel_routes(entry: FleetSite) -> Iterator[tuple[IPv4Network, str, str, int, Node]]:
    """(network, way, tunnel, distance, node) of each tunnel route, in file order: PPTP
    through its Dialer, route-based IPsec through its TunnelN (a crypto map routes none)."""
    site = entry.site
    numbers = ipsec.tunnel_numbers(site) if site.platform == Platform.IOS else {}
    for tname, tunnel in site.tunnels.items():
        if isinstance(tunnel, PptpClient):
            way, key = f"tunnel {tname} (Dialer{tunnel.dialer})", "pptp_clients"
        elif isinstance(tunnel, IpsecTunnel) and tname in numbers:
            way, key = f"tunnel {tname} (Tunnel{numbers[tname]})", "tunnels"
        else:
            continue
        for index, remote in enumerate(tunnel.remote_networks):
            node = entry.node(key, tname, "remote_networks", index)
            yield remote, way, tname, tunnel.distance or STATIC_DISTANCE, node


def check_same_distance(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    """One prefix through two tunnels (or a tunnel and a `routes` entry) at one distance:
    IOS installs both and shares the load between two head offices. A worse `distance`
    (a floating route, as `iosgen migrate` keeps one) is no finding."""
    for entry in fleet:
        # (network, distance) -> (how it is routed, which tunnel or route, where it is typed)
        ways: dict[tuple[IPv4Network, int], tuple[str, str, Node]] = {}
        for index, route in enumerate(entry.site.routes):
            node = entry.node("routes", index, "network")
            static = (f"next hop {route.next_hop}", f"route {index}", node)
            ways.setdefault((route.network, STATIC_DISTANCE), static)
        for remote, way, tname, distance, node in _tunnel_routes(entry):
            seen = ways.get((remote, distance))
            if seen is not None and seen[1] != tname:
                first, _, other = seen
                yield _finding(
                    "FLEET113",
                    f"{remote} goes through {way} and through {first}, both at distance "
                    f"{distance}: IOS shares the traffic between the two ways",
                    node,
                    other,
                )
            ways.setdefault((remote, distance), (way, tname, node))


# --- IPsec: the two ends of each tunnel ---------------------------------------------------


def _secret_differs(one: Secret, two: Secret) -> bool:
    # constant time; the values never leave this function
    return not hmac.compare_digest(one.reveal().encode("utf-8"), two.reveal().encode("utf-8"))


def _proposal(tunnel: IpsecTunnel) -> tuple[str, ...]:
    """What two ends must agree on: IKE cipher, hash and group; ESP transforms; PFS."""
    return (
        ipsec.isakmp_encryption(tunnel.ike.encryption),
        tunnel.ike.hash,
        f"group {tunnel.ike.group}",
        ipsec.transforms(tunnel.ipsec),
        f"pfs group{ipsec.pfs_group(tunnel)}",
    )


def _describe(tunnel: IpsecTunnel) -> str:
    encr, hash_, group, transforms, pfs = _proposal(tunnel)
    return f"IKE {encr}/{hash_}/{group}, ESP {transforms}, {pfs}"


def _head_end(
    branch: FleetSite, tunnel: IpsecTunnel, server: FleetSite
) -> tuple[str, IpsecTunnel] | None:
    """The head office's tunnel whose peer is the branch's fixed WAN address."""
    wan = wan_address(branch.site)
    if wan is None:
        return None
    return next(((n, t) for n, t in server.site.ipsec_tunnels.items() if t.peer == wan), None)


def check_ipsec_peers(fleet: Sequence[FleetSite]) -> Iterator[FleetFinding]:
    """Each IPsec tunnel against the site its peer is: an IPsec head office, with a tunnel
    back (or, for a DHCP branch, the dynamic key), the same key, the same proposal.

    A head office compiled from its branches (`ipsec_server.from_branches`) matches by
    construction; these findings are about hand-typed head offices and stray peers."""
    sites = as_fleet(fleet)
    pairs: set[tuple[str, str]] = set()  # two tunnels that name each other: told once
    for entry in sites:
        for tname, tunnel in entry.site.ipsec_tunnels.items():
            at = entry.node("tunnels", tname, "peer")
            found = sites.by_address.get(tunnel.peer, [])
            server = next((e for e in found if e.site is not entry.site), None)
            if server is None:
                yield _finding(
                    "FLEET115",
                    f"peer {tunnel.peer} is no site of the inventory: its key and proposals "
                    "are not checked",
                    at,
                )
                continue
            yield from _ipsec_pair(entry, tname, tunnel, server, pairs)


def _ipsec_pair(
    entry: FleetSite,
    tname: str,
    tunnel: IpsecTunnel,
    server: FleetSite,
    pairs: set[tuple[str, str]],
) -> Iterator[FleetFinding]:
    at = entry.node("tunnels", tname, "peer")
    head = server.site.ipsec_server
    back = _head_end(entry, tunnel, server)
    if head is None and back is None:
        yield _finding(
            "FLEET114",
            f"peer {tunnel.peer} is {server.hostname}, which has no ipsec_server and no "
            f"tunnel to {entry.hostname}: the tunnel never comes up",
            at,
            server.node("hostname"),
        )
        return
    if back is None:
        dynamic = wan_address(entry.site) is None and head is not None
        if not dynamic or head is None or head.dynamic_key is None:
            why = (
                "no dynamic_key for branches behind DHCP"
                if wan_address(entry.site) is None
                else f"no tunnel whose peer is {wan_address(entry.site)}"
            )
            yield _finding(
                "FLEET116",
                f"{server.hostname} has {why}: it does not answer this tunnel",
                at,
                server.node("ipsec_server"),
            )
            return
        if _secret_differs(tunnel.pre_shared_key, head.dynamic_key):
            yield _finding(
                "FLEET117",
                f"the WAN is DHCP, so {server.hostname} answers with its wildcard key "
                "ipsec_server.dynamic_key, and this key differs (values not shown)",
                entry.node("tunnels", tname, "pre_shared_key"),
                server.node("ipsec_server", "dynamic_key"),
            )
        return
    bname, btunnel = back
    if (server.hostname, bname) in pairs:
        return
    pairs.add((entry.hostname, tname))
    if _secret_differs(tunnel.pre_shared_key, btunnel.pre_shared_key):
        yield _finding(
            "FLEET117",
            f"the pre-shared key differs from {server.hostname}'s for this branch "
            "(values not shown): IKE main mode fails",
            entry.node("tunnels", tname, "pre_shared_key"),
            server.node("tunnels", bname, "pre_shared_key"),
        )
    ours = (*_proposal(tunnel), ipsec.mode_of(entry.site, tunnel))
    theirs = (*_proposal(btunnel), ipsec.mode_of(server.site, btunnel))
    if ours != theirs:
        yield _finding(
            "FLEET118",
            f"this end proposes {_describe(tunnel)} ({ours[-1]}), {server.hostname} "
            f"{_describe(btunnel)} ({theirs[-1]}): no SA is agreed",
            entry.node("tunnels", tname, "ike"),
            server.node("tunnels", bname),
        )


FLEET_CHECKS: tuple[Check, ...] = (
    check_hostnames,
    check_management_hosts,
    check_management_subnet,
    check_lans,
    check_pools,
    check_remote_networks,
    check_tunnel_servers,
    check_mppe,
    check_same_distance,
    check_ipsec_peers,
)


def check_fleet(fleet: Sequence[FleetSite]) -> tuple[FleetFinding, ...]:
    """Every finding of every fleet check, by file, line, severity and code."""
    sites = as_fleet(fleet)
    found = [finding for check in FLEET_CHECKS for finding in check(sites)]
    return tuple(
        sorted(
            found,
            key=lambda f: (
                f.node.file,
                f.node.line,
                f.node.column,
                SEVERITY_ORDER[f.severity],
                f.code,
            ),
        )
    )


# --- the report -------------------------------------------------------------------------


@dataclass(frozen=True)
class FleetReport:
    inventory: str
    findings: tuple[FleetFinding, ...]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> tuple[FleetFinding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.errors else EXIT_OK

    def summary(self) -> str:
        return (
            f"{self.inventory} (fleet): {self.count('error')} error(s), "
            f"{self.count('warning')} warning(s), {self.count('info')} info"
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "inventory": self.inventory,
                "findings": [asdict(f) for f in self.findings],
                "summary": {s: self.count(s) for s in SEVERITY_ORDER},
            },
            indent=2,
        )


def lint_fleet(inventory: Inventory) -> FleetReport:
    root = str(inventory.root) if inventory.root is not None else "inventory"
    return FleetReport(root, check_fleet(fleet_of(inventory)))


def lint_inventory(root: Path, secrets_file: Path | None = None) -> FleetReport:
    """Load the inventory at `root` (bad input raises InputError) and check it as a fleet."""
    from iosgen.model.inventory import load_inventory

    return lint_fleet(load_inventory(root, secrets_file))


def errors_as_problems(findings: Iterable[FleetFinding]) -> list[Problem]:
    return [f.problem() for f in findings if f.severity == "error"]


__all__ = [
    "FLEET_CHECKS",
    "FLEET_RULES",
    "FLEET_RULE_BY_CODE",
    "MPPE_STRENGTHS",
    "Fleet",
    "FleetFinding",
    "FleetReport",
    "FleetSite",
    "MppeEnd",
    "Node",
    "addresses_of",
    "chap_problem",
    "check_fleet",
    "client_end",
    "fleet_of",
    "lint_fleet",
    "lint_inventory",
    "mppe_agreement",
    "server_of",
]
