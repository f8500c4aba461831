"""The IPsec lines of an IOS 12.4 build: ISAKMP, transform sets, profiles, crypto maps,
tunnel interfaces, their routes and their NAT.

`ipsec_view(site, revealed)` derives every value; templates/ios/crypto.j2 lays the
global crypto lines out and iosgen/build/ios.py puts the interfaces, routes, ACLs and
route-maps among the others. What IOS prints, in what order, and what it leaves out:
docs/ipsec.md (sources there); the facts by image are iosgen.ios.ipsec's.

Pre-shared keys are printed in clear, as 12.4 prints them without `password
encryption aes` (`service password-encryption` does not touch them); each key line's
tail from the key on is a masking token, as a CHAP secret's is.
"""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import NamedTuple

from iosgen.ios import ipsec as facts
from iosgen.model import ipsec as names
from iosgen.model.headoffice import DynamicPeer, dynamic_peers
from iosgen.model.ipsec import VTI
from iosgen.model.secret import MASK, Secret
from iosgen.model.site import IkePolicy, IpsecProposal, IpsecTunnel, Site

Block = tuple[str, tuple[str, ...]]  # a header line and its children (without the indent)
Route = tuple[IPv4Network, str]  # network, what follows its mask (`Tunnel10`, `Tunnel10 250`)


class IpsecView(NamedTuple):
    """What an IOS build prints for the site's IPsec tunnels and IPsec head office."""

    policies: tuple[Block, ...] = ()
    keys: tuple[str, ...] = ()
    keepalive: str | None = None
    transform_sets: tuple[str, ...] = ()
    profiles: tuple[Block, ...] = ()
    dynamic_maps: tuple[Block, ...] = ()
    crypto_maps: tuple[Block, ...] = ()
    interfaces: tuple[Block, ...] = ()  # `interface TunnelN` and its lines
    wan_crypto_map: str | None = None  # ` crypto map IOSGEN-VPN` on the WAN
    routes: tuple[Route, ...] = ()
    access_lists: tuple[Block, ...] = ()  # `ip access-list extended NAME` and its entries
    nat_outs: tuple[tuple[str, str], ...] = ()  # (route-map, TunnelN) of each PAT-ed tunnel
    nat_exempt: tuple[str, ...] = ()  # the Internet PAT's `deny` entries, LAN -> remote

    @property
    def any_crypto(self) -> bool:
        return bool(self.policies or self.keys)


def _wildcard(net: IPv4Network) -> str:
    return f"{net.network_address} {net.hostmask}"


def _ip_entry(action: str, source: IPv4Network, dest: IPv4Network | None) -> str:
    """An extended ACL entry as 12.4 prints it: the action padded to `deny   ` (three
    spaces after deny, one after permit: tests/realconfigs, `deny   ip`)."""
    target = "any" if dest is None else _wildcard(dest)
    return f"{action:<6} ip {_wildcard(source)} {target}"


def _policy_lines(ike: IkePolicy) -> tuple[str, ...]:
    """The lines of `crypto isakmp policy N`, in 12.4's order, the defaults left out
    (iosgen.ios.ipsec.ISAKMP_DEFAULTS, ISAKMP_PRINTED_WHEN_DEFAULT)."""
    default = facts.ISAKMP_DEFAULTS
    lines = [f"encr {names.isakmp_encryption(ike.encryption)}"]
    if ike.hash != default.hash:
        lines.append(f"hash {ike.hash}")
    lines.append("authentication pre-share")
    if ike.group != default.group:
        lines.append(f"group {ike.group}")
    if ike.lifetime_seconds != default.lifetime:
        lines.append(f"lifetime {ike.lifetime_seconds}")
    return tuple(lines)


def _phase2_lines(proposal: IpsecProposal, pfs: int) -> list[str]:
    """` set security-association lifetime`, ` set transform-set`, ` set pfs`: the order
    12.4 prints them in a profile and in a crypto map entry."""
    lines = []
    if proposal.lifetime_seconds != facts.IPSEC_SA_LIFETIME.seconds:
        lines.append(f"set security-association lifetime seconds {proposal.lifetime_seconds}")
    lines.append(f"set transform-set {names.transform_set_name(proposal)}")
    lines.append(f"set pfs {facts.pfs_keyword(pfs)}")
    return lines


class _Keys:
    """`crypto isakmp key K address A` lines, each remembered for masking."""

    def __init__(self, revealed: dict[str, str]) -> None:
        self.revealed = revealed
        self.lines: list[str] = []
        self.peers: set[str] = set()

    def add(self, key: Secret, peer: str) -> None:
        if peer in self.peers:
            return  # one key per peer (a second would replace the first)
        self.peers.add(peer)
        tail = f"address {peer}"
        self.revealed[f"{key.reveal()} {tail}"] = f"{MASK} {tail}"
        self.lines.append(f"crypto isakmp key {key.reveal()} {tail}")


def _tunnel_interface(site: Site, name: str, tunnel: IpsecTunnel, number: int) -> Block:
    """`interface TunnelN` of a route-based tunnel, its lines in 12.4's order."""
    lines = [f"description IPsec to {name}"]
    if tunnel.address is not None:
        lines.append(f"ip address {tunnel.address.ip} {tunnel.address.netmask}")
    elif site.lans:
        lines.append(f"ip unnumbered {site.lans[0][0]}")
    if tunnel.mtu is not None:
        lines.append(f"ip mtu {tunnel.mtu}")
    if tunnel.nat:
        # IOS adds `ip virtual-reassembly` itself whenever NAT is enabled (12.3(8)T+).
        lines += ["ip nat outside", "ip virtual-reassembly"]
    if tunnel.tcp_mss is not None:
        lines.append(f"ip tcp adjust-mss {tunnel.tcp_mss}")
    wan = site.wan_name
    if wan is not None:
        lines.append(f"tunnel source {wan}")
    lines += [
        f"tunnel destination {tunnel.peer}",
        "tunnel mode ipsec ipv4",
        f"tunnel protection ipsec profile {names.profile_name(name)}",
    ]
    return f"interface Tunnel{number}", tuple(lines)


def _route_target(interface: str, distance: int | None) -> str:
    # IOS's default distance of a static route is 1 and is not printed
    return interface if distance in (None, 1) else f"{interface} {distance}"


class _Collect(NamedTuple):
    """The pieces as they are found, tunnel by tunnel (the dicts fill in place)."""

    revealed: dict[str, str]
    policies: dict[tuple[str, str, int, int], Block]
    transform_sets: dict[str, str]

    def proposal(self, ike: IkePolicy, proposal: IpsecProposal) -> None:
        key = names.ike_key(ike)
        if key not in self.policies:
            number = names.POLICY_STEP * (len(self.policies) + 1)
            self.policies[key] = (f"crypto isakmp policy {number}", _policy_lines(ike))
        ts = names.transform_set_name(proposal)
        line = f"crypto ipsec transform-set {ts} {names.transforms(proposal)}"
        self.transform_sets.setdefault(ts, line)


def _dynamic(
    site: Site, peers: tuple[DynamicPeer, ...], collect: _Collect, keys: _Keys
) -> tuple[list[Block], list[IPv4Network]]:
    """The head office's dynamic crypto map: one entry per distinct phase-2 proposal of
    its DHCP branches, `reverse-route` so that each branch's LANs are routed while its SA
    is up; and the branch LANs the Internet PAT must leave alone."""
    server = site.ipsec_server
    if server is None or server.dynamic_key is None or not peers:
        return [], []
    keys.add(server.dynamic_key, names.WILDCARD)
    entries: dict[tuple[str, int, int], list[str]] = {}
    remote: list[IPv4Network] = []
    for peer in peers:
        collect.proposal(peer.tunnel.ike, peer.tunnel.ipsec)
        pfs = names.pfs_group(peer.tunnel)
        key = (names.transform_set_name(peer.tunnel.ipsec), pfs, peer.tunnel.ipsec.lifetime_seconds)
        entries.setdefault(key, [*_phase2_lines(peer.tunnel.ipsec, pfs), "reverse-route"])
        remote += peer.lans
    blocks = [
        (
            f"crypto dynamic-map {names.DYNAMIC_MAP_NAME} {names.CRYPTO_MAP_STEP * (i + 1)}",
            tuple(ls),
        )
        for i, ls in enumerate(entries.values())
    ]
    return blocks, remote


def ipsec_view(site: Site, revealed: dict[str, str]) -> IpsecView:
    """Every IPsec value of the site's build; `revealed` gets the masking tokens."""
    peers = dynamic_peers(site)
    if not site.ipsec_tunnels and not peers:
        return IpsecView()
    collect = _Collect(revealed, {}, {})
    keys = _Keys(revealed)
    numbers = names.tunnel_numbers(site)
    entries = names.crypto_map_entries(site)
    profiles: list[Block] = []
    crypto_maps: list[Block] = []
    interfaces: list[Block] = []
    routes: list[Route] = []
    acls: list[Block] = []
    nat_outs: list[tuple[str, str]] = []
    exempt_remote: list[IPv4Network] = []
    lans = site.lan_networks
    for name, tunnel in site.ipsec_tunnels.items():
        collect.proposal(tunnel.ike, tunnel.ipsec)
        keys.add(tunnel.pre_shared_key, str(tunnel.peer))
        phase2 = _phase2_lines(tunnel.ipsec, names.pfs_group(tunnel))
        if names.mode_of(site, tunnel) == VTI:
            number = numbers[name]
            profiles.append((f"crypto ipsec profile {names.profile_name(name)}", tuple(phase2)))
            interfaces.append(_tunnel_interface(site, name, tunnel, number))
            target = _route_target(f"Tunnel{number}", tunnel.distance)
            routes += [(net, target) for net in tunnel.remote_networks]
            if tunnel.nat:
                nat_outs.append((names.nat_route_map(name), f"Tunnel{number}"))
            continue
        acl = names.crypto_acl_name(name)
        crypto_maps.append(
            (
                f"crypto map {names.CRYPTO_MAP_NAME} {entries[name]} ipsec-isakmp",
                (
                    f"description IPsec to {name}",
                    f"set peer {tunnel.peer}",
                    *phase2,
                    f"match address {acl}",
                ),
            )
        )
        entries_lines = tuple(
            _ip_entry("permit", lan, remote) for lan in lans for remote in tunnel.remote_networks
        )
        acls.append((f"ip access-list extended {acl}", entries_lines))
        exempt_remote += tunnel.remote_networks
    dynamic, dynamic_remote = _dynamic(site, peers, collect, keys)
    exempt_remote += dynamic_remote
    if dynamic:
        crypto_maps.append(
            (
                f"crypto map {names.CRYPTO_MAP_NAME} {names.DYNAMIC_MAP_ENTRY} ipsec-isakmp "
                f"dynamic {names.DYNAMIC_MAP_NAME}",
                (),
            )
        )
    exempt = tuple(_ip_entry("deny", lan, remote) for lan in lans for remote in exempt_remote)
    first = next(iter(site.ipsec_tunnels.values()), None)
    dpd = first.dpd if first is not None else None
    return IpsecView(
        policies=tuple(collect.policies.values()),
        keys=tuple(keys.lines),
        # one global keepalive: a branch's first tunnel's (model checks: all the same)
        keepalive=f"crypto isakmp keepalive {dpd.interval} {dpd.retry}" if dpd else None,
        transform_sets=tuple(collect.transform_sets.values()),
        profiles=tuple(profiles),
        dynamic_maps=tuple(dynamic),
        crypto_maps=tuple(crypto_maps),
        interfaces=tuple(interfaces),
        wan_crypto_map=f"crypto map {names.CRYPTO_MAP_NAME}" if crypto_maps else None,
        routes=tuple(routes),
        access_lists=tuple(acls),
        nat_outs=tuple(nat_outs),
        nat_exempt=exempt,
    )


def nat_exempt_acl(view: IpsecView, lans: list[IPv4Network]) -> Block | None:
    """`ip access-list extended IOSGEN-NAT`: deny LAN -> each crypto-map remote first, then
    permit the LANs to anywhere; the Internet PAT's route-map matches it instead of the
    standard NAT ACL, which cannot name a destination."""
    if not view.nat_exempt:
        return None
    permits = tuple(_ip_entry("permit", lan, None) for lan in lans)
    return f"ip access-list extended {names.NAT_EXEMPT_ACL}", (*view.nat_exempt, *permits)


__all__ = ["IpsecView", "ipsec_view", "nat_exempt_acl"]
