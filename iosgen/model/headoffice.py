"""Which tunnels of the fleet dial a site: the facts a head office is compiled from.

A tunnel dials the site whose addresses hold its `server` (the site's static interface
addresses and its management host). Pure and offline; the build stage
(iosgen/build/headoffice.py) turns the dial-ins into users, fixed addresses, routes and
the pool, and the fleet checks (iosgen/lint/fleet.py) use the same matching.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Iterator
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, ip_address
from typing import NamedTuple

from iosgen.ios import ipsec as facts
from iosgen.ios.limits import PPTP_USER_SECRET, secret_problem
from iosgen.model import ipsec
from iosgen.model.secret import Secret
from iosgen.model.site import DeadPeerDetection, IpsecTunnel, PptpClient, Site


def addresses_of(site: Site) -> set[IPv4Address]:
    """Where a site can be dialled: its static interface addresses and its management host."""
    found = {i.ipv4.ip for i in site.interfaces.values() if isinstance(i.ipv4, IPv4Interface)}
    try:
        host = ip_address(site.management.host)
    except ValueError:
        return found  # a name: DNS decides, no tunnel is matched to it
    if isinstance(host, IPv4Address):
        found.add(host)
    return found


class DialIn(NamedTuple):
    """One branch tunnel that dials the head office."""

    branch: Site
    tunnel: str  # the tunnel's name in the branch's pptp_clients

    @property
    def client(self) -> PptpClient:
        return self.branch.pptp_clients[self.tunnel]

    @property
    def user(self) -> str:
        return self.client.chap_hostname

    @property
    def lans(self) -> list[IPv4Network]:
        return self.branch.lan_networks

    @property
    def where(self) -> str:
        return f"{self.branch.hostname} (pptp_clients.{self.tunnel})"


def dialins(server: Site, fleet: Iterable[Site]) -> tuple[DialIn, ...]:
    """Every tunnel of another site that dials `server`, by CHAP user, then branch and
    tunnel name: the order the head office's build prints them in, whatever the file order."""
    mine = addresses_of(server)
    found = [
        DialIn(site, name)
        for site in fleet
        if site is not server and site.hostname.lower() != server.hostname.lower()
        for name, client in site.pptp_clients.items()
        if client.server in mine
    ]
    return tuple(sorted(found, key=lambda d: (d.user, d.branch.hostname.lower(), d.tunnel)))


# --- what the head office must hold ------------------------------------------------

# A problem of the derivation: the site it is about, the key path there, the message.
HeadOfficeProblem = tuple[Site, tuple[str | int, ...], str]


class HeadOffice(NamedTuple):
    """What a `from_branches` PPTP server holds beyond what its file types: every value
    a hand-managed head office would type for the same branches."""

    users: dict[str, Secret]  # the file's users, then one per branch CHAP user
    addresses: dict[str, IPv4Address]  # fixed tunnel address per routed (`nat: false`) user
    # branch LAN -> that user's address, at the branch tunnel's distance (a tunnel being
    # migrated off floats its route back as its branch floats its routes out)
    routes: tuple[tuple[IPv4Network, IPv4Address, int | None], ...]
    pool: tuple[IPv4Address, IPv4Address]  # the pool, one address per tunnel that takes one
    dialins: tuple[DialIn, ...] = ()
    problems: tuple[HeadOfficeProblem, ...] = ()


def _same_secret(one: Secret, two: Secret) -> bool:
    # constant time; the values never leave this function
    return hmac.compare_digest(one.reveal().encode("utf-8"), two.reveal().encode("utf-8"))


def head_office(server: Site, fleet: Iterable[Site]) -> HeadOffice:
    """What a head office compiled from its branches needs, with every problem that stops
    it (nothing is guessed): the PPTP side (`pptp_server.from_branches`) and the problems
    of the IPsec side (`ipsec_server.from_branches`, `ipsec_head_office`)."""
    sites = tuple(fleet)
    ipsec_server = server.ipsec_server
    more: tuple[HeadOfficeProblem, ...] = ()
    if ipsec_server is not None and ipsec_server.from_branches:
        more = ipsec_head_office(server, sites).problems
    pptp = server.pptp_server
    if pptp is None or not pptp.from_branches:
        pool = pptp.pool if pptp is not None else (IPv4Address(0), IPv4Address(0))
        users = dict(pptp.users) if pptp is not None else {}
        addresses = dict(pptp.addresses) if pptp is not None else {}
        return HeadOffice(users, addresses, (), pool, (), more)
    plan = _pptp_head_office(server, sites)
    return HeadOffice(
        plan.users, plan.addresses, plan.routes, plan.pool, plan.dialins, plan.problems + more
    )


def _pptp_head_office(server: Site, fleet: Iterable[Site]) -> HeadOffice:
    """The users, fixed addresses, routes and pool `server` needs for the tunnels of
    `fleet` that dial it.

    Addresses come out of the `pool` range: the pool proper from its start, one address
    per tunnel that NATs into it and per user the file types; each routed tunnel's fixed
    address from the range's end down, by CHAP user, so that adding a NAT-ed branch moves
    no fixed address.
    """
    pptp = server.pptp_server
    assert pptp is not None
    found = dialins(server, fleet)
    problems: list[HeadOfficeProblem] = []
    users: dict[str, Secret] = dict(pptp.users)
    first_of: dict[str, DialIn] = {}
    routed: list[DialIn] = []
    takers = len(pptp.users)  # each hand-typed user takes a pool address when it dials in
    for dial in found:
        at = ("pptp_clients", dial.tunnel, "chap_hostname")
        secret = dial.client.chap_password
        if dial.user in pptp.users or dial.user in server.login_users:
            kind = "pptp_server.users" if dial.user in pptp.users else "a login user"
            problems.append(
                (dial.branch, at, f"CHAP user {dial.user!r} is also {kind} of {server.hostname}")
            )
            continue
        first = first_of.get(dial.user)
        if first is not None:
            if not _same_secret(secret, first.client.chap_password):
                why = f"has another secret at {first.where} (values not shown)"
            elif not (dial.client.nat and first.client.nat):
                why = f"is also {first.where}'s, and a routed tunnel needs a user of its own"
            else:
                takers += 1  # one office's two gateways: one user, two sessions
                continue
            problems.append((dial.branch, at, f"CHAP user {dial.user!r} {why}"))
            continue
        plain_problem = secret_problem(PPTP_USER_SECRET, secret.reveal())
        if plain_problem is not None:
            at = ("pptp_clients", dial.tunnel, "chap_password")
            text = f"{secret.origin} {plain_problem} (as {server.hostname}'s PPTP user)"
            problems.append((dial.branch, at, text))
            continue
        first_of[dial.user] = dial
        users[dial.user] = secret
        if dial.client.nat:
            takers += 1
        else:
            routed.append(dial)
    if not users:
        problems.append(
            (
                server,
                ("pptp_server", "from_branches"),
                "no tunnel of the inventory dials "
                f"{server.hostname} ({', '.join(str(a) for a in sorted(addresses_of(server)))})",
            )
        )
    if routed and "local" not in server.aaa.authorization_network.split():
        problems.append(
            (
                server,
                ("aaa", "authorization_network"),
                "must include 'local': the fixed "
                f"addresses of {', '.join(d.where for d in routed)} are attribute lists, "
                "applied through local network authorization",
            )
        )
    start, end = pptp.pool
    size = max(takers, 1)
    room = int(end) - int(start) + 1
    if size + len(routed) > room:
        problems.append(
            (
                server,
                ("pptp_server", "pool"),
                f"pool {start}-{end} holds {room} addresses; "
                f"the branches need {size + len(routed)} ({size} for the pool, "
                f"{len(routed)} fixed)",
            )
        )
    addresses = dict(pptp.addresses)
    routes: list[tuple[IPv4Network, IPv4Address, int | None]] = []
    for index, dial in enumerate(sorted(routed, key=lambda d: d.user)):
        address = IPv4Address(int(end) - index)
        addresses[dial.user] = address
        routes += [(lan, address, dial.client.distance) for lan in dial.lans]
    sized = (start, IPv4Address(min(int(start) + size - 1, int(end))))
    return HeadOffice(users, addresses, tuple(routes), sized, found, tuple(problems))


# --- IPsec -------------------------------------------------------------------------


def wan_address(site: Site) -> IPv4Address | None:
    """The branch's fixed WAN address (what the head office names as its peer); None
    for a DHCP WAN."""
    wan = site.wan_name
    ipv4 = site.interfaces[wan].ipv4 if wan is not None else None
    return ipv4.ip if isinstance(ipv4, IPv4Interface) else None


class IpsecDialIn(NamedTuple):
    """One branch IPsec tunnel whose `peer` is the head office."""

    branch: Site
    name: str  # the tunnel's name in the branch's tunnels

    @property
    def tunnel(self) -> IpsecTunnel:
        return self.branch.ipsec_tunnels[self.name]

    @property
    def lans(self) -> list[IPv4Network]:
        return self.branch.lan_networks

    @property
    def wan(self) -> IPv4Address | None:
        return wan_address(self.branch)

    @property
    def where(self) -> str:
        return f"{self.branch.hostname} (tunnels.{self.name})"


# The DHCP branches a head office answers with its dynamic crypto map.
DynamicPeer = IpsecDialIn


def ipsec_dialins(server: Site, fleet: Iterable[Site]) -> tuple[IpsecDialIn, ...]:
    """Every IOS IPsec tunnel of another site whose peer is one of `server`'s addresses,
    by branch hostname, then tunnel name: the order the head office prints them in."""
    mine = addresses_of(server)
    found = [
        IpsecDialIn(site, name)
        for site in fleet
        if site is not server and site.hostname.lower() != server.hostname.lower()
        for name, tunnel in site.ipsec_tunnels.items()
        if tunnel.peer in mine
    ]
    return tuple(sorted(found, key=lambda d: (d.branch.hostname.lower(), d.name)))


def dynamic_peers(server: Site) -> tuple[DynamicPeer, ...]:
    """The DHCP branches the head office answers with its dynamic crypto map: those of
    its attached fleet whose peer it is, when `ipsec_server.dynamic_key` is set."""
    ipsec = server.ipsec_server
    if ipsec is None or ipsec.dynamic_key is None or server.fleet is None:
        return ()
    return tuple(d for d in ipsec_dialins(server, server.fleet) if d.wan is None)


def _far_end(address: IPv4Interface | None) -> IPv4Interface | None:
    """The head office's address in a branch's tunnel subnet: the other host of a /30 or
    /31, else the lowest host that is not the branch's; None: both ends unnumbered."""
    if address is None:
        return None
    net = address.network
    hosts = [net.network_address, net.broadcast_address] if net.prefixlen == 31 else net.hosts()
    other = next(h for h in hosts if h != address.ip)
    return IPv4Interface(f"{other}/{net.prefixlen}")


class IpsecHeadOffice(NamedTuple):
    """What an `ipsec_server.from_branches` head office holds beyond its file: one
    tunnel per branch with a fixed WAN address (the tunnel a hand-managed head office
    would type), the DHCP branches its dynamic crypto map answers, and the problems."""

    tunnels: dict[str, IpsecTunnel]
    dynamic: tuple[DynamicPeer, ...]
    dialins: tuple[IpsecDialIn, ...]
    problems: tuple[HeadOfficeProblem, ...]


def _ipsec_problems(server: Site, dial: IpsecDialIn) -> Iterator[HeadOfficeProblem]:
    """What stops `server` answering the branch tunnel `dial`, at the key it is about."""
    ipsec_server = server.ipsec_server
    assert ipsec_server is not None
    tunnel = dial.tunnel
    mode = ipsec.mode_of(dial.branch, tunnel)
    at = ("tunnels", dial.name)
    if ipsec_server.mode is not None and mode != ipsec_server.mode:
        yield (
            dial.branch,
            (*at, "mode"),
            f"is {mode}; {server.hostname}'s ipsec_server.mode is {ipsec_server.mode}: both "
            "ends of a tunnel use one mode",
        )
    image = ipsec.image_of(server)
    if mode == ipsec.VTI and not facts.supports_vti(image):
        yield (
            dial.branch,
            (*at, "mode"),
            f"{server.hostname}'s image {image} has no static VTI: use mode: crypto-map",
        )
    groups: list[tuple[tuple[str, ...], int]] = [(("ike", "group"), tunnel.ike.group)]
    if tunnel.ipsec.pfs_group is not None:
        groups.append((("ipsec", "pfs_group"), tunnel.ipsec.pfs_group))
    for key, group in groups:
        if group not in facts.dh_groups(image):
            yield (
                dial.branch,
                (*at, *key),
                f"DH group {group}: {server.hostname}'s image {image} offers "
                f"{', '.join(str(g) for g in facts.dh_groups(image))}",
            )
    if mode == ipsec.CRYPTO_MAP and sorted(tunnel.remote_networks) != sorted(server.lan_networks):
        lans = ", ".join(str(n) for n in server.lan_networks) or "none"
        yield (
            dial.branch,
            (*at, "remote_networks"),
            f"a crypto map's ACL mirrors the head office's: remote_networks must be "
            f"{server.hostname}'s LANs ({lans})",
        )
    if dial.wan is not None:
        return
    # A DHCP branch: main mode finds the key by the peer's address before it knows who
    # the peer is, so every such branch shares the head office's wildcard key.
    if mode == ipsec.VTI:
        yield (
            dial.branch,
            (*at, "mode"),
            f"the WAN is DHCP: {server.hostname} answers it with a dynamic crypto map (12.4 "
            "has no dynamic VTI before 12.4(2)T, and iosgen builds none): mode: crypto-map",
        )
    wildcard = ipsec_server.dynamic_key
    if wildcard is None:
        yield (
            server,
            ("ipsec_server", "from_branches"),
            f"{dial.where} has a DHCP WAN: the head office needs ipsec_server.dynamic_key "
            "(the wildcard key of its dynamic crypto map)",
        )
    elif not _same_secret(wildcard, tunnel.pre_shared_key):
        yield (
            dial.branch,
            (*at, "pre_shared_key"),
            f"the WAN is DHCP, so {server.hostname} answers with its wildcard key "
            "ipsec_server.dynamic_key, and this key differs (values not shown)",
        )


def ipsec_head_office(server: Site, fleet: Iterable[Site]) -> IpsecHeadOffice:
    """The IPsec side of `server` for the branch tunnels of `fleet` whose peer it is."""
    ipsec_server = server.ipsec_server
    assert ipsec_server is not None
    found = ipsec_dialins(server, fleet)
    problems: list[HeadOfficeProblem] = []
    for dial in found:
        problems += _ipsec_problems(server, dial)
    # No branch yet is no problem (unlike a PPTP server with no user): the head office
    # is ready before the first branch moves to IPsec (`iosgen migrate`).
    own = next(iter(server.ipsec_tunnels.values()), None)
    dpd = own.dpd if own is not None else DeadPeerDetection()
    taken = set(ipsec.tunnel_numbers(server).values()) | ipsec.typed_tunnel_numbers(server)
    tunnels: dict[str, IpsecTunnel] = {}
    number = ipsec_server.first_tunnel_interface
    for dial in (d for d in found if d.wan is not None):
        name = dial.branch.hostname.lower()
        if name in tunnels or name in server.tunnels:
            name = f"{name}-{dial.name}"
        if number in taken:
            problems.append(
                (
                    server,
                    ("ipsec_server", "first_tunnel_interface"),
                    f"Tunnel{number} (for {dial.where}) is already an interface of "
                    f"{server.hostname}",
                )
            )
        mode = ipsec.mode_of(dial.branch, dial.tunnel)
        tunnels[name] = dial.tunnel.model_copy(
            update={
                "peer": dial.wan,
                "mode": mode,
                "tunnel_interface": number if mode == ipsec.VTI else None,
                "address": _far_end(dial.tunnel.address),
                "remote_networks": list(dial.lans),
                "nat": False,
                "dpd": dpd,
            }
        )
        if mode == ipsec.VTI:
            number += 1
    dynamic = tuple(d for d in found if d.wan is None)
    return IpsecHeadOffice(tunnels, dynamic, found, tuple(problems))


__all__ = [
    "DialIn",
    "DynamicPeer",
    "HeadOffice",
    "HeadOfficeProblem",
    "IpsecDialIn",
    "IpsecHeadOffice",
    "addresses_of",
    "dialins",
    "dynamic_peers",
    "head_office",
    "ipsec_dialins",
    "ipsec_head_office",
    "wan_address",
]
