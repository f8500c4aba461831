"""Which remediation lines can cut the path iosgen manages the router through.

Decided from the model, not guessed from text: the WAN interface the model
names, the management account, and the tunnels whose remote networks hold a
management endpoint (the address iosgen connects to, or the address the
router sees iosgen come from). A branch managed from head office over the
PPTP tunnel `sofia` (remote 10.10.0.0/16) loses iosgen the moment

    interface Dialer2
     no ip address negotiated

reaches the router, even if the push would have fixed it three lines later.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from iosgen.ios.config import parse
from iosgen.ios.typed import walk as walk
from iosgen.model.platform import Platform
from iosgen.model.site import Site, canonical_interface_name


@dataclass(frozen=True)
class Finding:
    """A remediation line on the management path, and why it is there."""

    parents: tuple[str, ...]
    text: str
    reason: str

    @property
    def line(self) -> str:
        """The line with its parents: `interface Dialer2 > mtu 1400` (secrets in clear)."""
        return " > ".join((*self.parents, self.text))

    def render(self, mask: Callable[[str, str | None], str]) -> str:
        """`line: reason`, the line passed through `mask(text, parent)` first."""
        parent = self.parents[-1] if self.parents else None
        return f"{' > '.join((*self.parents, mask(self.text, parent)))}: {self.reason}"


def _addresses(endpoints: Iterable[str | None]) -> list[ipaddress.IPv4Address]:
    out = []
    for item in endpoints:
        if not item:
            continue
        try:
            address = ipaddress.ip_address(item)
        except ValueError:
            continue  # a DNS name: the model cannot place it
        if isinstance(address, ipaddress.IPv4Address):
            out.append(address)
    return out


def _positive(text: str) -> str:
    return text[3:] if text.startswith("no ") else text


def _route_covers(text: str, addresses: Sequence[ipaddress.IPv4Address]) -> bool:
    """`ip route 10.0.0.0 255.0.0.0 ...` whose prefix holds a management endpoint."""
    words = text.split()
    if len(words) < 4 or words[:2] != ["ip", "route"]:
        return False
    try:
        net = ipaddress.IPv4Network(f"{words[2]}/{words[3]}", strict=False)
    except ValueError:
        return False
    return any(a in net for a in addresses)


@dataclass(frozen=True)
class ManagementPath:
    """What carries iosgen's session to the router, from the model and the endpoints."""

    wan: str  # canonical name of the WAN interface ("" on an adopted site without one)
    accounts: frozenset[str]  # the management account, and the one iosgen logs in as
    addresses: tuple[ipaddress.IPv4Address, ...]
    ports: frozenset[str]  # interfaces the session may cross (the WAN, endpoint subnets)
    # tunnels whose remote networks hold an endpoint: name -> (Dialer number, words)
    tunnels: tuple[tuple[str, int, tuple[str, ...]], ...]
    # ACLs that filter the session: name -> where (`interface Dialer1 in`, `the vty lines`)
    filters: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, site: Site, endpoints: Iterable[str | None], login: str | None) -> ManagementPath:
        wan_key = site.wan_name  # None: an adopted site (baseline: false) typed no WAN
        wan = (canonical_interface_name(Platform.IOS, wan_key) or wan_key) if wan_key else ""
        addresses = tuple(_addresses(endpoints))
        ports = ({wan} if wan else set()) | {
            canonical_interface_name(Platform.IOS, name) or name
            for name, iface in site.interfaces.items()
            if isinstance(iface.ipv4, ipaddress.IPv4Interface)
            and any(a in iface.ipv4.network for a in addresses)
        }
        tunnels = []
        for name, client in site.pptp_clients.items():
            if not any(a in net for a in addresses for net in client.remote_networks):
                continue
            # `interface Dialer2`, `vpdn-group 2`, `dialer-list 2 protocol ip permit`,
            # `route-map VPN permit 10`: the sections that make tunnel 2
            words = [
                f"interface Dialer{client.dialer}",
                f"vpdn-group {client.dialer}",
                f"dialer-list {client.dialer} ",
            ]
            if client.nat:
                words.append(f"route-map {site.tunnel_route_map(name)} ")
            tunnels.append((name, client.dialer, tuple(words)))
        accounts = frozenset({site.management.username, *([login] if login else [])})
        return cls(wan, accounts, addresses, frozenset(ports), tuple(tunnels))


# Sub-mode lines of a path interface that can cut the session:
#   interface FastEthernet0/0
#    ip address dhcp client-id FastEthernet0/0
_PORT_LINES = ("ip address", "ip nat", "shutdown", "ip dhcp client", "ip access-group")
# Top-level sections iosgen logs in through: `line vty 0 4`, `ip ssh version 2`,
# `aaa authentication login default local`, `crypto key generate rsa ...`.
_LOGIN_SECTIONS = (
    ("line vty", "the vty lines iosgen logs in through"),
    ("ip ssh", "SSH / AAA, which iosgen logs in through"),
    ("aaa ", "SSH / AAA, which iosgen logs in through"),
    ("crypto key", "SSH / AAA, which iosgen logs in through"),
)
# `aaa ...` sections no login reads: a PPP user's attribute list (`aaa attribute list U`,
# a head office's fixed tunnel addresses) is taken by PPP authorization only.
_NOT_LOGIN = ("aaa attribute list ",)


def path_filters(path: ManagementPath, configs: Iterable[str]) -> dict[str, str]:
    """The ACLs that filter the session in any of `configs` (running, intended), and where.

    An ACL applied on a path interface (` ip access-group WANIN in` under the WAN) or to
    the vty lines (` access-class 23 in`) decides whether iosgen's next packet passes:
    IOS 12.4 types a rewritten ACL entry by entry, and between `no ip access-list
    extended WANIN` and its last entry the implicit `deny any` of a partial list (or an
    early `deny`) can cut the session.
    """
    found: dict[str, str] = {}
    for text in configs:
        for line in parse(text, "config").lines:
            words = line.text.split(" ")
            if words[0] == "interface" and len(words) == 2:
                port = canonical_interface_name(Platform.IOS, words[1]) or words[1]
                if port not in path.ports:
                    continue
                for child in line.children:
                    cw = child.text.split(" ")
                    if cw[:2] == ["ip", "access-group"] and len(cw) >= 4:
                        found.setdefault(cw[2], f"interface {port} {cw[3]}")
            elif words[:2] == ["line", "vty"]:
                for child in line.children:
                    cw = child.text.split(" ")
                    if cw[0] == "access-class" and len(cw) >= 3:
                        found.setdefault(cw[1], "the vty lines iosgen logs in through")
    return found


def _acl_of(top: str) -> str | None:
    """The ACL a line defines: `access-list 23 permit ...` -> 23, `ip access-list
    extended WANIN` -> WANIN."""
    words = top.split(" ")
    if words[0] == "access-list" and len(words) >= 2:
        return words[1]
    if words[:2] == ["ip", "access-list"] and len(words) >= 4:
        return words[3]
    return None


def _filter_reason(path: ManagementPath, top: str) -> str | None:
    acl = _acl_of(top)
    where = path.filters.get(acl) if acl is not None else None
    return f"ACL {acl}, which filters {where}" if where is not None else None


def _port_reason(path: ManagementPath, parents: tuple[str, ...], top: str, line: str) -> str | None:
    port = top.removeprefix("interface ")
    if not top.startswith("interface ") or port not in path.ports:
        return None
    kind = "WAN interface" if port == path.wan else "interface iosgen reaches it through,"
    if not parents:
        return f"the {kind} {port} itself"
    if line.startswith(_PORT_LINES):
        return f"the address, NAT or filter of the {kind} {port}"
    return None


def _global_reason(path: ManagementPath, top: str, line: str) -> str | None:
    """NAT out of the WAN, the default route, a route to an endpoint, login and account."""
    wan = path.wan
    if (
        wan
        and line.startswith("ip nat ")
        and line.endswith((f"interface {wan} overload", f"interface {wan}"))
    ):
        return f"the NAT of the WAN interface {wan}"
    if line.startswith("ip route 0.0.0.0 0.0.0.0"):
        return "the default route"
    if _route_covers(line, path.addresses):
        return "a static route toward the management endpoints"
    reason = next((why for word, why in _LOGIN_SECTIONS if top.startswith(word)), None)
    if top.startswith(_NOT_LOGIN):
        reason = None
    if reason is not None:
        return reason
    user = top.split(" ")[1:2]
    if top.startswith("username ") and user and user[0] in path.accounts:
        return f"the management account {user[0]!r}"
    return None


def _tunnel_reason(path: ManagementPath, top: str, line: str) -> str | None:
    for name, dialer_number, words in path.tunnels:
        dialer = f"Dialer{dialer_number}"
        if any(top == word.strip() or top.startswith(word) for word in words) or (
            line.startswith(("ip route ", "ip nat "))
            and (line.endswith(f" {dialer}") or f"interface {dialer} " in line)
        ):
            return f"tunnel {name!r} ({dialer}), through which the management address is reached"
    return None


def _reason(path: ManagementPath, parents: tuple[str, ...], top: str, line: str) -> str | None:
    """Why one line (its top section `top`, both without `no `) is on the path, if it is."""
    on_port = top.startswith("interface ") and top.removeprefix("interface ") in path.ports
    # inside a path interface only its own rules apply (`description` is harmless)
    found = _port_reason(path, parents, top, line) if on_port else _global_reason(path, top, line)
    return found or _filter_reason(path, top) or _tunnel_reason(path, top, line)


def management_findings(
    site: Site,
    lines: Sequence[str],
    endpoints: Iterable[str | None],
    login: str | None = None,
    configs: Iterable[str] = (),
) -> tuple[Finding, ...]:
    """The lines that can cut the management path, each with its reason.

    endpoints: the router's address as iosgen reaches it and iosgen's own address as
    the router sees it; login: the account iosgen is logged in as; configs: the running
    and intended configs, where the ACLs that filter the path are read (`path_filters`).
    """
    path = ManagementPath.of(site, endpoints, login)
    path = dataclasses.replace(path, filters=path_filters(path, configs))
    out: list[Finding] = []
    items = list(walk(lines))
    for index, (parents, text) in enumerate(items):
        following = items[index + 1][0] if index + 1 < len(items) else ()
        if len(following) > len(parents):
            continue  # a section header typed to reach its changed lines: they are judged
        top = _positive(parents[0] if parents else text)
        line = _positive(text)
        reason = _reason(path, parents, top, line)
        if reason is not None:
            out.append(Finding(parents, text, reason))
    return tuple(out)
