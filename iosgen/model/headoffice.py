"""Which tunnels of the fleet dial a site: the facts a head office is compiled from.

A tunnel dials the site whose addresses hold its `server` (the site's static interface
addresses and its management host). Pure and offline; the build stage
(iosgen/build/headoffice.py) turns the dial-ins into users, fixed addresses, routes and
the pool, and the fleet checks (iosgen/lint/fleet.py) use the same matching.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network, ip_address

from iosgen.ios.limits import PPTP_USER_SECRET, secret_problem
from iosgen.model.secret import Secret
from iosgen.model.site import IpsecTunnel, PptpClient, Site


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


@dataclass(frozen=True)
class DialIn:
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


@dataclass(frozen=True)
class HeadOffice:
    """What a `from_branches` PPTP server holds beyond what its file types: every value
    a hand-managed head office would type for the same branches."""

    users: dict[str, Secret]  # the file's users, then one per branch CHAP user
    addresses: dict[str, IPv4Address]  # fixed tunnel address per routed (`nat: false`) user
    routes: tuple[tuple[IPv4Network, IPv4Address], ...]  # branch LAN -> that user's address
    pool: tuple[IPv4Address, IPv4Address]  # the pool, one address per tunnel that takes one
    dialins: tuple[DialIn, ...] = ()
    problems: tuple[HeadOfficeProblem, ...] = field(default=())


def _same_secret(one: Secret, two: Secret) -> bool:
    # constant time; the values never leave this function
    return hmac.compare_digest(one.reveal().encode("utf-8"), two.reveal().encode("utf-8"))


def head_office(server: Site, fleet: Iterable[Site]) -> HeadOffice:
    """The users, fixed addresses, routes and pool `server` needs for the tunnels of
    `fleet` that dial it, with every problem that stops it (nothing is guessed).

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
    routes: list[tuple[IPv4Network, IPv4Address]] = []
    for index, dial in enumerate(sorted(routed, key=lambda d: d.user)):
        address = IPv4Address(int(end) - index)
        addresses[dial.user] = address
        routes += [(lan, address) for lan in dial.lans]
    sized = (start, IPv4Address(min(int(start) + size - 1, int(end))))
    return HeadOffice(users, addresses, tuple(routes), sized, found, tuple(problems))


# --- IPsec -------------------------------------------------------------------------


@dataclass(frozen=True)
class DynamicPeer:
    """A branch IPsec tunnel to the head office from a WAN with no fixed address (DHCP):
    the head office answers it with its dynamic crypto map and wildcard key."""

    branch: Site
    name: str  # the tunnel's name in the branch's tunnels

    @property
    def tunnel(self) -> IpsecTunnel:
        return self.branch.ipsec_tunnels[self.name]

    @property
    def lans(self) -> list[IPv4Network]:
        return self.branch.lan_networks


def dynamic_peers(server: Site) -> tuple[DynamicPeer, ...]:
    """The DHCP branches a `ipsec_server.from_branches` head office answers dynamically."""
    return ()


__all__ = [
    "DialIn",
    "DynamicPeer",
    "HeadOffice",
    "HeadOfficeProblem",
    "addresses_of",
    "dialins",
    "dynamic_peers",
    "head_office",
]
