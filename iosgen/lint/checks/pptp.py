"""PPTP and MPPE findings (IOS401-IOS403, IOS501, IOS503).

PPTP authenticates with MS-CHAPv2, whose handshake reduces to one DES key
search (Marlinspike and Hulton, 2012: cracked offline every time), and MPPE
encrypts with RC4, keyed from that same handshake, with no integrity check.
The fix is IPsec, and IOS401 names the command that moves a tunnel there in
verified steps (`iosgen migrate --host H --tunnel NAME --to ipsec`); until then,
`ppp encrypt mppe ... required` at least stops the link from coming up in clear.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from iosgen.ios.objects import references_in
from iosgen.lint.checks.config import Config, Line, interface_key
from iosgen.lint.hit import Hit


def _group_interfaces(config: Config, group: Line) -> Iterator[str]:
    """Keys of the interfaces a vpdn-group names (`rotary-group 2`, `virtual-template 1`)."""
    for child in group.descendants():
        for ref, name in references_in(child.text, group.text):
            key = interface_key(name)
            if ref.kind == "interface" and key is not None and key in config.interfaces:
                yield key


def _pptp_groups(config: Config) -> list[Line]:
    """`vpdn-group N` blocks whose request-dialin or accept-dialin says `protocol pptp`."""
    return [
        line
        for line, _m in config.matching(r"^vpdn-group ", top_only=True)
        if line.has_child(r"^protocol pptp$")
    ]


def _role(group: Line) -> str:
    if group.has_child(r"^request-dialin$"):
        return "PPTP client"
    return "PPTP server" if group.has_child(r"^accept-dialin$") else "PPTP"


def check_pptp(config: Config) -> Iterator[Hit]:
    for group in _pptp_groups(config):
        yield Hit(
            "IOS401",
            group.number,
            f"`{group.text}` is a {_role(group)}: PPTP is broken cryptography (MS-CHAPv2 "
            "is cracked offline from one captured handshake; MPPE is RC4 without integrity); "
            f"{_migration(config, group)}",
        )
        if _role(group) == "PPTP client" and not config.has(r"^service internal$"):
            yield Hit(
                "IOS501",
                group.number,
                f"`{group.text}` dials out with PPTP, which 12.4 hides: public PPTP-client "
                "recipes turn on `service internal` first, or `protocol pptp` may be refused",
            )


def _migration(config: Config, group: Line) -> str:
    """How to leave PPTP: the staged cut-over command, with what a config can tell of it.

    The host is the config's `hostname`; the tunnel's name lives in the site file only,
    so a client group names the dialer that tunnel uses (`rotary-group 2`: Dialer2).
    """
    host = next((m[1] for _l, m in config.matching(r"^hostname (\S+)$", top_only=True)), "HOST")
    if _role(group) != "PPTP client":
        # A head office follows its branches: each branch's migration rewrites its side.
        return (
            "move each branch that dials in to IPsec, staged and verified: "
            "`iosgen migrate --host BRANCH --tunnel NAME --to ipsec` (this side follows)"
        )
    dialer = next(
        (c.words[1] for c in group.descendants() if c.words[:1] == ["rotary-group"]), None
    )
    which = f"the site's tunnel on Dialer{dialer}" if dialer else "the site's tunnel"
    return (
        "move this tunnel to IPsec, staged and verified: "
        f"`iosgen migrate --host {host} --tunnel NAME --to ipsec` (NAME: {which})"
    )


def check_mppe(config: Config) -> Iterator[Hit]:
    for line, _m in config.matching(r"^ppp encrypt mppe "):
        if "required" not in line.words:
            # `ppp encrypt mppe auto` negotiates MPPE but brings the link up without it.
            where = f" on `{line.parent.text}`" if line.parent is not None else ""
            yield Hit(
                "IOS402",
                line.number,
                f"`{line.text}`{where} is not `required`: if the peer declines MPPE the "
                "link comes up unencrypted; add `required`",
            )
    for iface in _pptp_interfaces(config):
        if not iface.has_child(r"^ppp encrypt mppe "):
            yield Hit(
                "IOS403",
                iface.number,
                f"`{iface.text}` carries PPTP with no `ppp encrypt mppe`: tunnel traffic "
                "crosses the Internet in clear",
            )


def _pptp_interfaces(config: Config) -> list[Line]:
    """Dialers that place VPDN calls, unless an L2TP group owns them; PPTP Virtual-Templates."""
    l2tp_dialers: set[str] = set()
    wanted: dict[str, Line] = {}
    for group, _m in config.matching(r"^vpdn-group ", top_only=True):
        pptp = group.has_child(r"^protocol pptp$")
        for key in _group_interfaces(config, group):
            if pptp:
                wanted.setdefault(key, config.interfaces[key])
            elif key.startswith("dialer"):
                l2tp_dialers.add(key)
    for key, iface in config.interfaces.items():
        vpdn = key.startswith("dialer") and iface.has_child(r"^dialer vpdn$")
        if vpdn and key not in l2tp_dialers:
            wanted.setdefault(key, iface)
    return sorted(wanted.values(), key=lambda line: line.number)


def check_server_pool(config: Config) -> Iterator[Hit]:
    """A PPTP server's pool outside the subnet of the interface its Virtual-Template borrows.

    With the pool inside the LAN (`ip unnumbered FastEthernet0/1`, pool in its /24)
    remote users are LAN hosts: the router answers ARP for them, and what covers the
    LAN (NAT ACL, filters, routes at the peers) covers them. Outside it, IOS accepts the
    config but the pool is a subnet of its own that nothing else knows.
    """
    pools = {
        line.words[3]: line
        for line, _m in config.matching(r"^ip local pool \S+ \S+", top_only=True)
    }
    for group in _pptp_groups(config):
        if not group.has_child(r"^accept-dialin$"):
            continue
        for key in _group_interfaces(config, group):
            if key.startswith("virtual-template"):
                yield from _pool_outside(config, config.interfaces[key], pools)


def _pool_outside(config: Config, template: Line, pools: dict[str, Line]) -> Iterator[Hit]:
    borrowed = next(
        (c.words[2:3] for c in template.children if c.words[:2] == ["ip", "unnumbered"]), []
    )
    peer = next(
        (c.words for c in template.children if c.words[:4] == ["peer", "default", "ip", "address"]),
        [],
    )
    key = interface_key(borrowed[0]) if borrowed else None
    lan = config.interfaces.get(key) if key else None
    if lan is None or peer[4:5] != ["pool"] or len(peer) < 6 or peer[5] not in pools:
        return
    address = next((c.words[2:4] for c in lan.children if c.words[:2] == ["ip", "address"]), [])
    try:
        subnet = ipaddress.IPv4Interface("/".join(address)).network if len(address) == 2 else None
        pool = pools[peer[5]]
        ends = [ipaddress.IPv4Address(w) for w in pool.words[4:6]]
    except ValueError:
        return
    if subnet is None or not ends or all(end in subnet for end in ends):
        return
    yield Hit(
        "IOS503",
        pool.number,
        f"`{pool.text}` is outside {subnet} of `{lan.text}` (borrowed by `{template.text}`): "
        "remote users get a subnet of their own, which the LAN's NAT ACL, filters and the "
        "tunnel peers' routes do not cover; take the pool from the LAN",
    )
