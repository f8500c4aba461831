"""WireGuard on a Linux site: what `/etc/wireguard/wgN.conf` holds, derived from the model.

A branch's `kind: wireguard` tunnel is one wgN interface with one [Peer], its head
office. A Linux head office (`wireguard_server`) is one interface with a [Peer] per
branch tunnel of the fleet whose `peer` is one of its addresses. Keys are matched from
the fleet: the branch's public key is derived from its private key (X25519, as
`wg pubkey` does), and a branch whose `peer_public_key` is None gets the head office's.

wg-quick(8) reads the file; `wg setconf` reads only its [Interface]/[Peer] keys of
wg(8) (`wg-quick strip` removes the others). iosgen sets `Table = off` and adds the
routes itself in PostUp, so a route gets the metric of the tunnel's `distance` (wg-quick
would add them with none). Facts and sources: docs/linux-vpn.md.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network
from typing import Final

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from iosgen.errors import RenderError
from iosgen.model.headoffice import addresses_of
from iosgen.model.secret import MASK
from iosgen.model.site import Site, WireguardTunnel

# wg-quick(8) keys in [Interface] that wg(8) does not know; `wg-quick strip` drops them
# (wireguard-tools 1.0.20210914, src/wg-quick/linux.bash, parse_options).
WG_QUICK_ONLY_KEYS: Final = (
    "Address",
    "DNS",
    "MTU",
    "Table",
    "PreUp",
    "PreDown",
    "PostUp",
    "PostDown",
    "SaveConfig",
)
# Where wg-quick looks for `wg-quick up wgN` (wg-quick(8): /etc/wireguard/INTERFACE.conf).
CONFIG_DIR: Final = "etc/wireguard"
# The template unit of Debian's wireguard-tools (lib/systemd/system/wg-quick@.service).
UNIT_TEMPLATE: Final = "wg-quick@{interface}.service"


def public_key(private_key: str) -> str:
    """The public key of a WireGuard private key (base64), as `wg pubkey` prints it.

    X25519 clamps the scalar (RFC 7748, 5), as wg does, so an unclamped key from
    elsewhere gives the same answer.

    >>> public_key("GNHXDXPCuHbBS7YaAy7cjxvINhDJaMM4aNFPrE5LU24=")
    'vXR+/rT9uxF6tFFzJJ+vpMsv32nxrE3lYA97Cg7XaB8='
    """
    key = X25519PrivateKey.from_private_bytes(base64.b64decode(private_key, validate=True))
    return base64.b64encode(key.public_key().public_bytes_raw()).decode("ascii")


@dataclass(frozen=True)
class WgPeer:
    comment: str  # which site and tunnel this peer is
    public_key: str
    preshared_key: str | None
    endpoint: str | None  # HOST:PORT; None on the head office (branches dial in)
    allowed_ips: tuple[str, ...]
    keepalive: int | None


@dataclass(frozen=True)
class WgRoute:
    network: str
    metric: int | None  # from the tunnel's `distance`; None: the kernel's 0

    @property
    def command(self) -> str:
        metric = f" metric {self.metric}" if self.metric is not None else ""
        return f"ip route add {self.network} dev %i{metric}"


@dataclass(frozen=True)
class WgInterface:
    name: str  # wg0
    role: str  # "tunnel NAME to ADDR" or "head office"
    private_key: str
    address: str
    listen_port: int | None
    mtu: int | None
    routes: tuple[WgRoute, ...]
    peers: tuple[WgPeer, ...]
    masquerade: tuple[str, ...]  # LANs hidden behind the interface's address (nat: true)
    tunnel: str | None  # the tunnel's name on a branch (the NAT rules' comment)

    @property
    def path(self) -> str:
        return f"{CONFIG_DIR}/{self.name}.conf"

    @property
    def unit(self) -> str:
        return UNIT_TEMPLATE.format(interface=self.name)

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.private_key, *(p.preshared_key for p in self.peers if p.preshared_key))


def _head_office(site: Site, tunnel: WireguardTunnel, fleet: Iterable[Site]) -> Site | None:
    """The Linux head office of the fleet that has the tunnel's `peer` among its addresses."""
    for other in fleet:
        if other.hostname == site.hostname or other.wireguard_server is None:
            continue
        if tunnel.peer in addresses_of(other):
            return other
    return None


def _branch_interface(
    site: Site, name: str, tunnel: WireguardTunnel, fleet: tuple[Site, ...] | None
) -> WgInterface:
    office = _head_office(site, tunnel, fleet) if fleet is not None else None
    server = office.wireguard_server if office is not None else None
    if office is not None and server is not None:
        theirs = public_key(server.private_key.reveal())
        if tunnel.peer_public_key is not None and tunnel.peer_public_key != theirs:
            raise RenderError(
                f"{site.hostname}: tunnels.{name}.peer_public_key is not the public key of "
                f"{office.hostname}'s wireguard_server",
                "leave it out: it is then taken from the head office",
            )
        if tunnel.peer_port != server.listen_port:
            raise RenderError(
                f"{site.hostname}: tunnels.{name}.peer_port {tunnel.peer_port} is not "
                f"{office.hostname}'s wireguard_server.listen_port {server.listen_port}"
            )
        peer_key = theirs
        # the head office's own tunnel address, a /32
        peer_inside = IPv4Network(server.address.ip)
        where = f"{office.hostname} (head office)"
    elif tunnel.peer_public_key is not None:
        peer_key = tunnel.peer_public_key
        # no head office in sight: its tunnel address is somewhere in ours
        peer_inside = tunnel.address.network
        where = f"head office at {tunnel.peer}"
    elif fleet is None:
        raise RenderError(
            f"{site.hostname}: tunnels.{name}.peer_public_key is None and the site came "
            "without its inventory, where the head office's key is",
            "load it with its inventory, or set peer_public_key",
        )
    else:
        raise RenderError(
            f"{site.hostname}: tunnels.{name}: no site of the inventory with a "
            f"wireguard_server has the address {tunnel.peer}",
            "set peer_public_key, or add the head office (platform linux, wireguard_server)",
        )
    remote = [str(n) for n in tunnel.remote_networks]
    allowed = tuple(dict.fromkeys([*remote, str(peer_inside)]))
    psk = tunnel.preshared_key.reveal() if tunnel.preshared_key is not None else None
    return WgInterface(
        name=f"wg{tunnel.interface}",
        role=f"tunnel {name} to {tunnel.peer}",
        private_key=tunnel.private_key.reveal(),
        address=str(tunnel.address),
        listen_port=tunnel.listen_port,
        mtu=tunnel.mtu,
        # the peer's address is on-link through Address: only the remote networks
        routes=tuple(WgRoute(n, tunnel.distance) for n in remote),
        peers=(
            WgPeer(
                comment=where,
                public_key=peer_key,
                preshared_key=psk,
                endpoint=f"{tunnel.peer}:{tunnel.peer_port}",
                allowed_ips=allowed,
                keepalive=tunnel.keepalive_seconds,
            ),
        ),
        masquerade=tuple(str(n) for n in site.lan_networks) if tunnel.nat else (),
        tunnel=name,
    )


@dataclass(frozen=True)
class Dialer:
    """One branch tunnel that names the head office as its peer."""

    branch: Site
    name: str
    tunnel: WireguardTunnel


def dialers(server: Site, fleet: Iterable[Site]) -> tuple[Dialer, ...]:
    """The branch WireGuard tunnels of the fleet whose `peer` is one of `server`'s
    addresses, by branch hostname, then tunnel name (whatever the file order)."""
    mine = addresses_of(server)
    found = [
        Dialer(branch, name, tunnel)
        for branch in fleet
        if branch.hostname != server.hostname
        for name, tunnel in branch.wireguard_tunnels.items()
        if tunnel.peer in mine
    ]
    return tuple(sorted(found, key=lambda d: (d.branch.hostname, d.name)))


def _server_interface(site: Site, fleet: tuple[Site, ...] | None) -> WgInterface:
    server = site.wireguard_server
    assert server is not None
    if fleet is None:
        if server.from_branches:
            raise RenderError(
                f"{site.hostname}: wireguard_server.from_branches compiles the head office "
                "from the branches that name it, and this site came without its inventory",
                "load it with its inventory (load_inventory, or a site file in ROOT/sites/)",
            )
        fleet = ()
    peers: list[WgPeer] = []
    routes: list[WgRoute] = []
    seen: dict[IPv4Address, str] = {}
    claimed: dict[IPv4Network, str] = {}
    for d in dialers(site, fleet if server.from_branches else ()):
        where = f"{d.branch.hostname} (tunnels.{d.name})"
        inside = d.tunnel.address
        if inside.ip in seen or inside.ip == server.address.ip:
            other = seen.get(inside.ip, f"{site.hostname} (wireguard_server)")
            raise RenderError(
                f"{site.hostname}: {where} and {other} both use the tunnel address {inside.ip}"
            )
        seen[inside.ip] = where
        if d.tunnel.peer_port != server.listen_port:
            continue  # the branch's own build names the mismatch
        lans = [str(n) for n in d.branch.lan_networks]
        # WireGuard routes by AllowedIPs: a network two peers claim goes, silently, to
        # whichever wg(8) reads last. So an overlap is an error, never a guess.
        for net in d.branch.lan_networks:
            for other_net, other in claimed.items():
                if net.overlaps(other_net):
                    raise RenderError(
                        f"{site.hostname}: {where} and {other} both route {net} / {other_net} "
                        "through the head office's WireGuard: a peer's AllowedIPs must be its own"
                    )
            claimed[net] = where
        psk = d.tunnel.preshared_key.reveal() if d.tunnel.preshared_key is not None else None
        peers.append(
            WgPeer(
                comment=where,
                public_key=public_key(d.tunnel.private_key.reveal()),
                preshared_key=psk,
                endpoint=None,
                allowed_ips=(str(IPv4Network(inside.ip)), *lans),
                keepalive=None,
            )
        )
        routes += [WgRoute(n, None) for n in lans]
    return WgInterface(
        name=f"wg{server.interface}",
        role="head office",
        private_key=server.private_key.reveal(),
        address=str(server.address),
        listen_port=server.listen_port,
        mtu=None,
        routes=tuple(routes),
        peers=tuple(peers),
        masquerade=(),
        tunnel=None,
    )


def wireguard_interfaces(site: Site) -> tuple[WgInterface, ...]:
    """Every wgN of the site, by interface name; two on one number is an error."""
    fleet = site.fleet
    found = [_branch_interface(site, n, t, fleet) for n, t in site.wireguard_tunnels.items()]
    if site.wireguard_server is not None:
        found.append(_server_interface(site, fleet))
    names: dict[str, str] = {}
    for wg in found:
        if wg.name in names:
            raise RenderError(f"{site.hostname}: {names[wg.name]} and {wg.role} are both {wg.name}")
        names[wg.name] = wg.role
    return tuple(sorted(found, key=lambda w: int(w.name[2:])))


def wireguard_tokens(interfaces: Iterable[WgInterface]) -> dict[str, str]:
    """Each key that is a secret (`PrivateKey = K`, `PresharedKey = K`), masked."""
    return {secret: MASK for wg in interfaces for secret in wg.secrets}


__all__ = [
    "WG_QUICK_ONLY_KEYS",
    "WgInterface",
    "WgPeer",
    "WgRoute",
    "dialers",
    "public_key",
    "wireguard_interfaces",
    "wireguard_tokens",
]
