"""The checks of a `Site` that need more than one field, one small function each.

Field validators (iosgen.model.site) judge one value; these judge how values go
together: one WAN, a gateway inside its subnet, a tunnel server off the LANs, a
Dialer number IOS can also use as a dialer-group. `SITE_CHECKS` runs in order and
each check yields `(key path, message)` for the key it is about; the loader
(iosgen.model.inventory) turns the path into `file:line:column`.

Some checks run once per tunnel, interface or PPTP server (`TUNNEL_CHECKS`, ...):
a problem is then reported in the order of the site file.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Final

from iosgen.ios import hardware
from iosgen.ios import ipsec as ipsec_facts
from iosgen.ios.names import canonical_ios_name
from iosgen.model import ipsec
from iosgen.model.platform import Platform
from iosgen.model.site import Site

KeyPath = tuple[str | int, ...]
SiteProblem = tuple[KeyPath, str]
SiteCheck = Callable[[Site], Iterator[SiteProblem]]

# --- address facts ------------------------------------------------------------------

_THIS_NETWORK = IPv4Network("0.0.0.0/8")
_CLASS_E = IPv4Network("240.0.0.0/4")
_LIMITED_BROADCAST = IPv4Address("255.255.255.255")

# `dialer-group N` / `dialer-list N` take 1-10 (Cisco IOS Dial Technologies
# command reference, dialer-group); iosgen ties them to the tunnel's dialer number:
# `interface Dialer2` / ` dialer-group 2` / `dialer-list 2 protocol ip permit`.
IOS_DIALER_RANGE = (1, 10)


def _not_a_host(address: IPv4Address) -> str:
    """Why `address` cannot be a router's or a peer's unicast address; '' if it can."""
    if address.is_unspecified or address in _THIS_NETWORK:
        return "is in 0.0.0.0/8 (this network), not a host address"
    if address == _LIMITED_BROADCAST:
        return "is the broadcast address 255.255.255.255, not a host address"
    if address.is_loopback:
        return "is a loopback address (127.0.0.0/8), which never leaves a host"
    if address.is_multicast:
        return "is a multicast address (224.0.0.0/4), not a host address"
    if address in _CLASS_E:
        return "is in the reserved 240.0.0.0/4, not a host address"
    return ""


def _special(address: IPv4Address, nets: dict[str, IPv4Network]) -> str:
    """`address` named as the network or broadcast address of a connected subnet."""
    for name, net in nets.items():
        if net.prefixlen >= 31 or address not in net:
            continue
        if address == net.network_address:
            return f"is the network address of {net} ({name})"
        if address == net.broadcast_address:
            return f"is the broadcast address of {net} ({name})"
    return ""


def _own_addresses(site: Site) -> dict[IPv4Address, str]:
    """The router's static addresses, by the interface that has each."""
    return {
        i.ipv4.ip: name for name, i in site.interfaces.items() if isinstance(i.ipv4, IPv4Interface)
    }


def _connected(site: Site) -> dict[str, IPv4Network]:
    return {
        name: i.ipv4.network
        for name, i in site.interfaces.items()
        if isinstance(i.ipv4, IPv4Interface)
    }


def _lan_networks(site: Site) -> list[tuple[str, IPv4Network]]:
    return [(n, i.ipv4.network) for n, i in site.lans if isinstance(i.ipv4, IPv4Interface)]


# --- interfaces ---------------------------------------------------------------------


def wan_count(site: Site) -> Iterator[SiteProblem]:
    """Exactly one WAN: NAT, the default route and the tunnels all leave through it."""
    wans = [name for name, i in site.interfaces.items() if i.role == "wan"]
    if not wans and site.baseline:
        # An adopted router (`baseline: false`) may have no port iosgen types as its WAN.
        yield ("interfaces",), "no interface has role: wan (exactly one is required)"
    for extra in wans[1:]:
        yield ("interfaces", extra, "role"), f"a second WAN interface; {wans[0]} is the WAN"


InterfaceCheck = Callable[[Site, str], Iterator[SiteProblem]]


def _gateway_fits(site: Site, name: str) -> Iterator[SiteProblem]:
    iface = site.interfaces[name]
    if iface.gateway is None:
        return
    key: KeyPath = ("interfaces", name, "gateway")
    if iface.ipv4 == "dhcp":
        yield key, "a gateway needs a static ipv4 (DHCP supplies its own default route)"
    elif isinstance(iface.ipv4, IPv4Interface) and iface.gateway not in iface.ipv4.network:
        yield key, f"gateway {iface.gateway} is not inside {iface.ipv4.network}"
    if iface.role != "wan":
        yield key, "only the WAN interface takes a gateway"


def _lan_is_static(site: Site, name: str) -> Iterator[SiteProblem]:
    iface = site.interfaces[name]
    if iface.role == "lan" and iface.ipv4 == "dhcp":
        yield ("interfaces", name, "ipv4"), "a LAN interface needs a static address"


def _client_id_needs_dhcp(site: Site, name: str) -> Iterator[SiteProblem]:
    # ` ip dhcp client client-id ascii test` means nothing without ` ip address dhcp`
    iface = site.interfaces[name]
    if iface.dhcp_client_id is not None and iface.ipv4 != "dhcp":
        yield ("interfaces", name, "dhcp_client_id"), "dhcp_client_id needs ipv4: dhcp"


INTERFACE_CHECKS: tuple[InterfaceCheck, ...] = (
    _gateway_fits,
    _lan_is_static,
    _client_id_needs_dhcp,
)


def _each(
    site: Site, names: Iterable[str], checks: Sequence[Callable[[Site, str], Iterator[SiteProblem]]]
) -> Iterator[SiteProblem]:
    """Every check on every named item, in the order of the site file."""
    for name in names:
        for check in checks:
            yield from check(site, name)


def each_interface(site: Site) -> Iterator[SiteProblem]:
    """`INTERFACE_CHECKS` on every interface, in the order of the site file."""
    return _each(site, site.interfaces, INTERFACE_CHECKS)


def _lan_overlaps(site: Site) -> Iterator[SiteProblem]:
    lans = _lan_networks(site)
    for i, (name, net) in enumerate(lans):
        for other, other_net in lans[:i]:
            if net.overlaps(other_net):
                yield ("interfaces", name, "ipv4"), f"{net} overlaps {other} ({other_net})"


def _wan_overlaps(site: Site) -> Iterator[SiteProblem]:
    lans = _lan_networks(site)
    wans = [
        (n, i.ipv4.network)
        for n, i in site.interfaces.items()
        if i.role == "wan" and isinstance(i.ipv4, IPv4Interface)
    ]
    for wan_name, wan_net in wans:
        for name, net in lans:
            if net.overlaps(wan_net):
                yield (
                    ("interfaces", name, "ipv4"),
                    f"{net} overlaps the WAN {wan_name} ({wan_net}): the router could not "
                    "tell the LAN from the Internet side",
                )


def _remote_overlaps(site: Site) -> Iterator[SiteProblem]:
    lans = _lan_networks(site)
    for tname, client in site.pptp_clients.items():
        for index, remote in enumerate(client.remote_networks):
            key: KeyPath = ("pptp_clients", tname, "remote_networks", index)
            if client.server in remote:
                # The route to the remote network would carry the tunnel's own GRE packets.
                yield (
                    key,
                    f"{remote} contains the tunnel's own server {client.server} (a routing loop)",
                )
            for lan_name, lan in lans:
                if remote.overlaps(lan):
                    yield key, f"{remote} overlaps LAN {lan_name} ({lan})"
    for tname, tunnel in site.ipsec_tunnels.items():
        for index, remote in enumerate(tunnel.remote_networks):
            key = ("tunnels", tname, "remote_networks", index)
            if tunnel.peer in remote:
                # the route to the remote network would carry the tunnel's own ESP packets
                yield key, f"{remote} contains the tunnel's own peer {tunnel.peer} (a routing loop)"
            for lan_name, lan in lans:
                if remote.overlaps(lan):
                    yield key, f"{remote} overlaps LAN {lan_name} ({lan})"


def overlaps(site: Site) -> Iterator[SiteProblem]:
    """Subnets that overlap: LAN with LAN, LAN with the WAN, a tunnel's remote with a LAN."""
    yield from _lan_overlaps(site)
    yield from _wan_overlaps(site)
    yield from _remote_overlaps(site)


def addresses(site: Site) -> Iterator[SiteProblem]:
    """Interface addresses IOS refuses: loopback, multicast, 0/8, class E (`Bad mask`...)."""
    for name, iface in site.interfaces.items():
        if isinstance(iface.ipv4, IPv4Interface):
            why = _not_a_host(iface.ipv4.ip)
            if why:
                yield ("interfaces", name, "ipv4"), f"{iface.ipv4.ip} {why}"


def gateways(site: Site) -> Iterator[SiteProblem]:
    """A gateway that is the router itself, or its subnet's network or broadcast address."""
    own = _own_addresses(site)
    for name, iface in site.interfaces.items():
        gateway = iface.gateway
        if gateway is None or not isinstance(iface.ipv4, IPv4Interface):
            continue
        key: KeyPath = ("interfaces", name, "gateway")
        if gateway in own:
            yield key, f"gateway {gateway} is this router's own address ({own[gateway]})"
        elif gateway in iface.ipv4.network:
            why = _special(gateway, {name: iface.ipv4.network})
            if why:
                yield key, f"gateway {gateway} {why}"


def routes(site: Site) -> Iterator[SiteProblem]:
    """A static route's next hop that no neighbour can have."""
    own = _own_addresses(site)
    connected = _connected(site)
    for index, route in enumerate(site.routes):
        hop = route.next_hop
        if hop == "Null0":
            continue  # a discard route has no neighbour
        key: KeyPath = ("routes", index, "next_hop")
        why = _not_a_host(hop) or _special(hop, connected)
        if hop in own:
            yield key, f"next hop {hop} is this router's own address ({own[hop]})"
        elif why:
            yield key, f"next hop {hop} {why}"


def tunnel_servers(site: Site) -> Iterator[SiteProblem]:
    """A PPTP server that is not a host, is this router, or sits on one of its LANs."""
    own = _own_addresses(site)
    lans = dict(_lan_networks(site))
    for name, client in site.pptp_clients.items():
        server = client.server
        key: KeyPath = ("pptp_clients", name, "server")
        why = _not_a_host(server)
        if why:
            yield key, f"server {server} {why}"
        elif server in own:
            yield key, f"server {server} is this router's own address ({own[server]})"
        else:
            for lan_name, lan in lans.items():
                if server in lan:
                    yield (
                        key,
                        f"server {server} is inside LAN {lan_name} ({lan}): the tunnel runs "
                        "over the WAN to a server outside this site",
                    )


def pool_addresses(site: Site) -> Iterator[SiteProblem]:
    """A pool handing out the router's own address breaks the LAN (a pool outside it is lint's)."""
    server = site.pptp_server
    if server is None:
        return
    first, last = int(server.pool[0]), int(server.pool[1])
    for address, name in sorted(_own_addresses(site).items()):
        if first <= int(address) <= last:
            yield (
                ("pptp_server", "pool"),
                f"pool {server.pool[0]}-{server.pool[1]} holds this router's own address "
                f"{address} ({name})",
            )


def aaa_login(site: Site) -> Iterator[SiteProblem]:
    """`aaa authentication login default none` lets anyone in."""
    methods = site.aaa.login.split()
    if site.aaa.enabled and methods and methods[0] == "none":
        yield (
            ("aaa", "login"),
            "login method 'none' lets anyone log in without a password: use 'local' "
            "(or 'local line')",
        )


def ios_dialers(site: Site) -> Iterator[SiteProblem]:
    """On IOS a tunnel's dialer number is also its dialer-group: 1-10 only."""
    if site.platform != Platform.IOS:
        return
    low, high = IOS_DIALER_RANGE
    for name, client in site.pptp_clients.items():
        if not low <= client.dialer <= high:
            yield (
                ("pptp_clients", name, "dialer"),
                f"dialer {client.dialer} is outside {low}-{high}: it is also the tunnel's "
                f"dialer-group and dialer-list number, which IOS takes from {low} to {high}",
            )


def ios_hardware(site: Site) -> Iterator[SiteProblem]:
    """Modules the chassis has no slot for, or that do not fit their slot."""
    if site.platform != Platform.IOS:
        return
    for path, message in hardware.hardware_problems(site.hardware.model, site.hardware.modules):
        yield ("hardware", *path), message


def nat_has_lan(site: Site) -> Iterator[SiteProblem]:
    """NAT translates the LANs: with none, there is nothing for `ip nat inside`."""
    pptp = [n for n, c in site.pptp_clients.items() if c.nat]
    ipsec_nat = [n for n, t in site.ipsec_tunnels.items() if t.nat]
    if (site.internet_nat or pptp or ipsec_nat) and not site.lan_networks:
        key: KeyPath = ("internet_nat",)
        if not site.internet_nat:
            key = ("pptp_clients", pptp[0], "nat") if pptp else ("tunnels", ipsec_nat[0], "nat")
        yield key, "NAT is on but there is no LAN interface to translate"


# --- tunnels ------------------------------------------------------------------------

TunnelCheck = Callable[[Site, str], Iterator[SiteProblem]]


def _earlier_tunnels(site: Site, name: str) -> list[str]:
    names = list(site.pptp_clients)
    return names[: names.index(name)]


def _dialer_unique(site: Site, name: str) -> Iterator[SiteProblem]:
    """`interface Dialer2` and `vpdn-group 2` are one tunnel's: the number is unique."""
    dialer = site.pptp_clients[name].dialer
    owner = next(
        (t for t in _earlier_tunnels(site, name) if site.pptp_clients[t].dialer == dialer), None
    )
    if owner is not None:
        yield (
            ("pptp_clients", name, "dialer"),
            f"dialer {dialer} is already used by tunnel {owner!r}",
        )


def _route_map_unique(site: Site, name: str) -> Iterator[SiteProblem]:
    """`route-map VPN permit 10` is one NAT rule's: two tunnels cannot share it."""
    if not site.pptp_clients[name].nat:
        return
    used = {"INTERNET": "internet_nat"} if site.internet_nat else {}
    for earlier in _earlier_tunnels(site, name):
        if site.pptp_clients[earlier].nat:
            used.setdefault(site.tunnel_route_map(earlier), earlier)
    route_map = site.tunnel_route_map(name)
    if route_map in used:
        yield (
            ("pptp_clients", name, "nat_route_map"),
            f"route-map {route_map} is already used by {used[route_map]}",
        )


def _tcp_mss_fits(site: Site, name: str) -> Iterator[SiteProblem]:
    """` ip tcp adjust-mss 1360` leaves 40 bytes of the MTU for the IP and TCP headers."""
    client = site.pptp_clients[name]
    if client.tcp_mss is not None and client.tcp_mss > client.mtu - 40:
        yield (
            ("pptp_clients", name, "tcp_mss"),
            f"tcp_mss {client.tcp_mss} leaves no room for IP and TCP headers in mtu "
            f"{client.mtu} (at most {client.mtu - 40})",
        )


def _mppe_required_needs_mppe(site: Site, name: str) -> Iterator[SiteProblem]:
    client = site.pptp_clients[name]
    if client.mppe == "none" and client.mppe_required:
        yield (("pptp_clients", name, "mppe_required"), "mppe_required needs mppe other than none")


TUNNEL_CHECKS: tuple[TunnelCheck, ...] = (
    _dialer_unique,
    _route_map_unique,
    _tcp_mss_fits,
    _mppe_required_needs_mppe,
)


def each_tunnel(site: Site) -> Iterator[SiteProblem]:
    """`TUNNEL_CHECKS` on every PPTP client, in the order of the site file."""
    return _each(site, site.pptp_clients, TUNNEL_CHECKS)


# --- the PPTP server ----------------------------------------------------------------


def _pool_order(site: Site) -> Iterator[SiteProblem]:
    server = site.pptp_server
    if server is not None and int(server.pool[0]) > int(server.pool[1]):
        yield ("pptp_server", "pool"), f"pool start {server.pool[0]} is after its end"


def _server_has_users(site: Site) -> Iterator[SiteProblem]:
    # `from_branches` finds its users in the fleet: the build says when there are none
    server = site.pptp_server
    if server is not None and not server.users and not server.from_branches:
        yield ("pptp_server", "users"), "the PPTP server needs at least one user"


def _fixed_addresses(site: Site) -> Iterator[SiteProblem]:
    """`aaa attribute list U` / ` attribute type addr A`: a known user, an address of its
    own outside the pool, applied by local network authorization (docs/head-office.md)."""
    server = site.pptp_server
    if server is None or not server.addresses:
        return
    if not site.aaa.enabled:
        yield ("pptp_server", "addresses"), "fixed addresses are AAA attribute lists: aaa needed"
    elif "local" not in site.aaa.authorization_network.split():
        yield (
            ("aaa", "authorization_network"),
            "must include 'local' for the fixed addresses of pptp_server.addresses "
            "(an attribute list applies through local network authorization)",
        )
    first, last = int(server.pool[0]), int(server.pool[1])
    seen: dict[IPv4Address, str] = {}
    for user, address in server.addresses.items():
        key: KeyPath = ("pptp_server", "addresses", user)
        if user not in server.users:
            yield key, f"{user!r} is no user of pptp_server.users"
        if first <= int(address) <= last:
            yield key, f"{address} is in the pool {server.pool[0]}-{server.pool[1]}"
        if address in seen:
            yield key, f"{address} is also the address of {seen[address]!r}"
        seen.setdefault(address, user)


def _server_has_lan(site: Site) -> Iterator[SiteProblem]:
    # ` ip unnumbered FastEthernet0/1` on the Virtual-Template borrows a LAN's address
    if site.pptp_server is not None and not site.lans:
        yield ("pptp_server",), "the PPTP server needs a LAN interface (ip unnumbered)"


def _vpdn_group_free(site: Site) -> Iterator[SiteProblem]:
    """`vpdn-group N` of the server is not the `vpdn-group N` of a tunnel (Dialer N)."""
    server = site.pptp_server
    if server is None:
        return
    tunnel = next((n for n, c in site.pptp_clients.items() if c.dialer == server.vpdn_group), None)
    if tunnel is not None:
        yield (
            ("pptp_server", "vpdn_group"),
            f"vpdn-group {server.vpdn_group} is already the group of tunnel {tunnel!r}",
        )


def _vpn_users_apart(site: Site) -> Iterator[SiteProblem]:
    """A VPN account (`privilege 0`, `autocommand exit`) cannot also be a login user."""
    if site.pptp_server is None:
        return
    for user in site.pptp_server.users:
        if user in site.login_users:
            yield ("pptp_server", "users", user), f"{user!r} is also a login user"


PPTP_SERVER_CHECKS: tuple[SiteCheck, ...] = (
    _pool_order,
    _server_has_users,
    _fixed_addresses,
    _server_has_lan,
    _vpdn_group_free,
    _vpn_users_apart,
)


def pptp_server(site: Site) -> Iterator[SiteProblem]:
    for check in PPTP_SERVER_CHECKS:
        yield from check(site)


# --- management ---------------------------------------------------------------------


def management_privilege(site: Site) -> Iterator[SiteProblem]:
    """Push and audit log in as the management account: it needs `privilege 15`."""
    mgmt_user = site.users.get(site.management.username)
    if mgmt_user is not None and mgmt_user.privilege != 15:
        yield (
            ("users", site.management.username, "privilege"),
            "the management account needs privilege 15 (push and audit log in with it)",
        )


def management_host(site: Site) -> Iterator[SiteProblem]:
    host = site.management.host
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not re.match(r"^[A-Za-z0-9.\-]+$", host):
            yield ("management", "host"), f"{host!r} is not an address or name"


def sudo_on_linux(site: Site) -> Iterator[SiteProblem]:
    """sudo is a Linux program: an IOS site's privilege comes from its enable secret."""
    if site.platform == Platform.IOS and site.management.sudo_password is not None:
        yield (
            ("management", "sudo_password"),
            "sudo_password is for a Linux box only; an IOS router uses management.enable_secret",
        )


def tunnel_kinds(site: Site) -> Iterator[SiteProblem]:
    """Each tunnel kind where its platform has it: WireGuard on Linux only (IOS 12.4 has
    none), and each head office side on the platform that serves it."""
    if site.platform == Platform.IOS:
        for name in site.wireguard_tunnels:
            yield (
                ("tunnels", name, "kind"),
                "kind wireguard needs platform linux: IOS 12.4 has no WireGuard (use kind: ipsec)",
            )
        if site.wireguard_server is not None:
            yield (("wireguard_server",), "wireguard_server needs platform linux")


# Keys of `kind: ipsec` that a Linux box's policy-based strongSwan tunnel has no use for
# (docs/linux-vpn.md): refused, never silently dropped. `nat: true` is built there (the
# tunnel's own address is the WAN's); mode, tunnel_interface and tcp_mss are IOS-only keys.
LINUX_IPSEC_UNBUILT: Final[dict[str, str]] = {
    "address": "the tunnel is policy-based: it has no interface to take an address",
    "mtu": "the tunnel is policy-based: it has no interface to take an MTU",
    "distance": "the kernel's IPsec policies, not routes, carry the traffic: no metric applies",
}


def linux_ipsec_tunnels(site: Site) -> Iterator[SiteProblem]:
    """A Linux box's IPsec tunnels as strongSwan builds them: policy-based, so no
    interface keys, no route distance, and at least one remote network to carry."""
    if site.platform != Platform.LINUX:
        return
    for name, tunnel in site.ipsec_tunnels.items():
        for key, why in LINUX_IPSEC_UNBUILT.items():
            if getattr(tunnel, key) is not None:
                yield ("tunnels", name, key), f"not built on Linux: {why}"
        if not tunnel.remote_networks:
            yield (
                ("tunnels", name, "remote_networks"),
                "a policy-based tunnel carries only the networks it names: give at least one",
            )


# --- IPsec tunnels (IOS) -------------------------------------------------------------


def _ipsec_image(site: Site, name: str) -> Iterator[SiteProblem]:
    """IPsec needs a crypto image, and AES a strong-crypto (k9) one (iosgen.ios.ipsec)."""
    feature_set = site.hardware.feature_set
    strength = ipsec_facts.crypto_strength(feature_set)
    if strength != "strong":
        what = "has no IPsec" if strength == "none" else "has DES only (a k8 image)"
        yield (
            ("tunnels", name, "kind"),
            f"IPsec with AES needs a crypto (k9) image; hardware.feature_set {feature_set} "
            f"{what}: give the router's k9 feature set (e.g. advipservicesk9)",
        )


def _ipsec_mode(site: Site, name: str) -> Iterator[SiteProblem]:
    """A route-based tunnel needs static VTI (12.3(14)T on); a crypto map carries no NAT."""
    tunnel = site.ipsec_tunnels[name]
    image = ipsec.image_of(site)
    if tunnel.mode == ipsec.VTI and not ipsec_facts.supports_vti(image):
        yield (
            ("tunnels", name, "mode"),
            f"image {image} has no `tunnel mode ipsec ipv4` (static VTI came with 12.3(14)T): "
            "use mode: crypto-map",
        )
    if ipsec.mode_of(site, tunnel) == ipsec.CRYPTO_MAP and tunnel.nat:
        yield (
            ("tunnels", name, "nat"),
            "a crypto-map tunnel has no interface of its own to PAT behind: nat: false, or a "
            "route-based tunnel (mode: tunnel-interface)",
        )


def _ipsec_groups(site: Site, name: str) -> Iterator[SiteProblem]:
    """DH groups the image offers (group 14-16 from 12.4(22)T: iosgen.ios.ipsec)."""
    tunnel = site.ipsec_tunnels[name]
    image = ipsec.image_of(site)
    offered = ipsec_facts.dh_groups(image)
    asked: list[tuple[KeyPath, int]] = [(("tunnels", name, "ike", "group"), tunnel.ike.group)]
    if tunnel.ipsec.pfs_group is not None:
        asked.append((("tunnels", name, "ipsec", "pfs_group"), tunnel.ipsec.pfs_group))
    for key, group in asked:
        if group not in offered:
            yield (
                key,
                f"image {image} has no DH group {group}; it offers "
                f"{', '.join(str(g) for g in offered)} (groups 14-16 came with 12.4(22)T)",
            )


def _ipsec_interface(site: Site, name: str) -> Iterator[SiteProblem]:
    """`interface TunnelN`: one tunnel's; unnumbered needs a LAN; tcp_mss fits the mtu."""
    tunnel = site.ipsec_tunnels[name]
    if ipsec.mode_of(site, tunnel) != ipsec.VTI:
        return
    numbers = ipsec.tunnel_numbers(site)
    number = numbers[name]
    earlier = list(numbers)[: list(numbers).index(name)]
    owner = next((t for t in earlier if numbers[t] == number), None)
    if owner is not None:
        yield (
            ("tunnels", name, "tunnel_interface"),
            f"Tunnel{number} is already tunnel {owner!r}'s",
        )
    elif tunnel.tunnel_interface is not None and number in ipsec.typed_tunnel_numbers(site):
        yield (
            ("tunnels", name, "tunnel_interface"),
            f"interface Tunnel{number} is typed by the site (interfaces or extra_config)",
        )
    if tunnel.address is None and not site.lans:
        yield (
            ("tunnels", name, "address"),
            "no address and no LAN to borrow one from (ip unnumbered): give an address",
        )
    mtu = tunnel.mtu or 1500
    if tunnel.tcp_mss is not None and tunnel.tcp_mss > mtu - 40:
        yield (
            ("tunnels", name, "tcp_mss"),
            f"tcp_mss {tunnel.tcp_mss} leaves no room for IP and TCP headers in mtu {mtu} "
            f"(at most {mtu - 40})",
        )


def _ipsec_crypto_map(site: Site, name: str) -> Iterator[SiteProblem]:
    """A crypto map's ACL pairs the LANs with the remote networks: it needs both."""
    tunnel = site.ipsec_tunnels[name]
    if ipsec.mode_of(site, tunnel) != ipsec.CRYPTO_MAP:
        return
    if not tunnel.remote_networks:
        yield (
            ("tunnels", name, "remote_networks"),
            "a crypto-map tunnel encrypts LAN -> remote_networks: give at least one",
        )
    if not site.lan_networks:
        yield (("tunnels", name, "mode"), "a crypto-map tunnel needs a LAN (its ACL's source)")
    if site.wan_name is None:
        yield (("tunnels", name, "mode"), "a crypto map goes on the WAN interface: none is typed")


def _ipsec_peer(site: Site, name: str) -> Iterator[SiteProblem]:
    """A peer that is a host, not this router, not on its LANs; one tunnel per peer
    (one `crypto isakmp key` per address; one tunnel source/destination pair)."""
    tunnel = site.ipsec_tunnels[name]
    key: KeyPath = ("tunnels", name, "peer")
    own = _own_addresses(site)
    why = _not_a_host(tunnel.peer)
    if why:
        yield key, f"peer {tunnel.peer} {why}"
    elif tunnel.peer in own:
        yield key, f"peer {tunnel.peer} is this router's own address ({own[tunnel.peer]})"
    for lan_name, lan in _lan_networks(site):
        if tunnel.peer in lan:
            yield (
                key,
                f"peer {tunnel.peer} is inside LAN {lan_name} ({lan}): the tunnel runs over "
                "the WAN",
            )
    names = list(site.ipsec_tunnels)
    other = next(
        (n for n in names[: names.index(name)] if site.ipsec_tunnels[n].peer == tunnel.peer), None
    )
    if other is not None:
        yield key, f"peer {tunnel.peer} is already tunnel {other!r}'s (one key per peer address)"


def _ipsec_nat_route_map(site: Site, name: str) -> Iterator[SiteProblem]:
    """The PAT route-map of a tunnel with `nat: true` (its name upper-cased) is its own."""
    if not site.ipsec_tunnels[name].nat:
        return
    used = {"INTERNET": "internet_nat"} if site.internet_nat else {}
    for tname, client in site.pptp_clients.items():
        if client.nat:
            used.setdefault(site.tunnel_route_map(tname), tname)
    names = list(site.ipsec_tunnels)
    for earlier in names[: names.index(name)]:
        if site.ipsec_tunnels[earlier].nat:
            used.setdefault(ipsec.nat_route_map(earlier), earlier)
    route_map = ipsec.nat_route_map(name)
    if route_map in used:
        yield (
            ("tunnels", name, "nat"),
            f"route-map {route_map} is already used by {used[route_map]}",
        )


def _ipsec_dpd(site: Site, name: str) -> Iterator[SiteProblem]:
    """`crypto isakmp keepalive` is one global line: every tunnel's dpd is the first's."""
    first_name, first = next(iter(site.ipsec_tunnels.items()))
    if site.ipsec_tunnels[name].dpd != first.dpd:
        yield (
            ("tunnels", name, "dpd"),
            f"dead-peer detection is one global `crypto isakmp keepalive` on IOS: the same as "
            f"tunnel {first_name!r}'s ({first.dpd.interval} s, retry {first.dpd.retry} s)",
        )


IPSEC_CHECKS: tuple[TunnelCheck, ...] = (
    _ipsec_image,
    _ipsec_mode,
    _ipsec_groups,
    _ipsec_interface,
    _ipsec_crypto_map,
    _ipsec_peer,
    _ipsec_nat_route_map,
    _ipsec_dpd,
)


def each_ipsec_tunnel(site: Site) -> Iterator[SiteProblem]:
    """`IPSEC_CHECKS` on every IPsec tunnel of an IOS site, in the order of the site file."""
    if site.platform != Platform.IOS:
        return iter(())
    return _each(site, site.ipsec_tunnels, IPSEC_CHECKS)


SITE_CHECKS: tuple[SiteCheck, ...] = (
    wan_count,
    each_interface,
    overlaps,
    addresses,
    gateways,
    routes,
    tunnel_servers,
    pool_addresses,
    aaa_login,
    ios_dialers,
    ios_hardware,
    nat_has_lan,
    each_tunnel,
    each_ipsec_tunnel,
    pptp_server,
    management_privilege,
    management_host,
    sudo_on_linux,
    tunnel_kinds,
    linux_ipsec_tunnels,
)


def site_problems(site: Site) -> Iterator[SiteProblem]:
    """Every `SITE_CHECKS` problem, in order; each names the key path it is about."""
    for check in SITE_CHECKS:
        yield from check(site)


# --- interface names ----------------------------------------------------------------


def _interface_name_problem(site: Site, name: str, ports: hardware.Ports | None) -> str:
    """Why `interfaces.NAME` cannot be on this router, or ''."""
    why = ports.problem(name) if ports is not None else ""
    if why:
        return why
    if "." in name:
        # IOS takes no address on a subinterface before `encapsulation dot1Q N`, and
        # refuses duplex/speed there; the model has no VLAN tag to give it yet
        return (
            f"{name} is a subinterface: it needs `encapsulation dot1Q VLAN`, which the "
            "site model does not express yet; use a physical port or a Vlan interface"
        )
    dialers = {f"Dialer{c.dialer}": (t, c.dialer) for t, c in site.pptp_clients.items()}
    if name in dialers:
        tunnel, number = dialers[name]
        return (
            f"{name} is the interface of tunnel {tunnel!r} (dialer: {number}); "
            "number this one otherwise or give the tunnel another dialer"
        )
    server = site.pptp_server
    if server is not None and name == f"Virtual-Template{server.virtual_template}":
        return (
            f"{name} is the PPTP server's interface (pptp_server.virtual_template); "
            "number this one otherwise"
        )
    return ""


def interface_problems(site: Site) -> Iterator[SiteProblem]:
    """IOS interface keys the router does not have, or that clash with a derived interface.

    Reported at the key (the interface name), not its value.
    """
    if site.platform != Platform.IOS:
        return
    ports = hardware.ports_of(site.hardware.model, site.hardware.modules)
    for name in site.interfaces:
        if canonical_ios_name(name) != name:
            continue  # already reported as not an interface name
        why = _interface_name_problem(site, name, ports)
        if why:
            yield ("interfaces", name), why


__all__ = [
    "INTERFACE_CHECKS",
    "IOS_DIALER_RANGE",
    "IPSEC_CHECKS",
    "PPTP_SERVER_CHECKS",
    "SITE_CHECKS",
    "TUNNEL_CHECKS",
    "SiteCheck",
    "SiteProblem",
    "interface_problems",
    "site_problems",
]
