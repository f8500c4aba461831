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

import ipaddress
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

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


def walk(lines: Sequence[str]) -> Iterator[tuple[tuple[str, ...], str]]:
    """(parents, text) for every line; sub-mode lines are indented one space per level."""
    stack: list[tuple[int, str]] = []
    for raw in lines:
        text = raw.strip()
        if not text or text == "!":
            continue
        depth = len(raw) - len(raw.lstrip(" "))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents = tuple(t for _, t in stack)
        yield parents, text
        stack.append((depth, text))


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


def management_findings(
    site: Site,
    lines: Sequence[str],
    endpoints: Iterable[str | None],
    login: str | None = None,
) -> tuple[Finding, ...]:
    """The lines that can cut the management path, each with its reason.

    endpoints: the router's address as iosgen reaches it and iosgen's own address as
    the router sees it; login: the account iosgen is logged in as.
    """
    wan_key, _ = site.wan
    wan = canonical_interface_name("ios", wan_key) or wan_key
    accounts = {site.management.username, *([login] if login else [])}
    addresses = _addresses(endpoints)
    # Interfaces whose subnet holds an endpoint carry the session like the WAN does.
    path_ports = {wan} | {
        canonical_interface_name("ios", name) or name
        for name, iface in site.interfaces.items()
        if isinstance(iface.ipv4, ipaddress.IPv4Interface)
        and any(a in iface.ipv4.network for a in addresses)
    }
    on_path = {
        name: client
        for name, client in site.pptp_clients.items()
        if any(a in net for a in addresses for net in client.remote_networks)
    }
    tunnel_words: list[tuple[str, str]] = []  # (prefix or word, tunnel name)
    for name, client in on_path.items():
        tunnel_words.append((f"interface Dialer{client.dialer}", name))
        tunnel_words.append((f"vpdn-group {client.dialer}", name))
        tunnel_words.append((f"dialer-list {client.dialer} ", name))
        if client.nat:
            tunnel_words.append((f"route-map {site.tunnel_route_map(name)} ", name))

    out: list[Finding] = []
    items = list(walk(lines))
    for index, (parents, text) in enumerate(items):
        following = items[index + 1][0] if index + 1 < len(items) else ()
        if len(following) > len(parents):
            continue  # a section header typed to reach its changed lines: they are judged

        top = parents[0] if parents else text
        top_positive = _positive(top)
        positive = _positive(text)
        reason = None
        port = top_positive.removeprefix("interface ")
        if top_positive.startswith("interface ") and port in path_ports:
            kind = "WAN interface" if port == wan else "interface iosgen reaches it through,"
            if not parents:
                reason = f"the {kind} {port} itself"
            elif positive.startswith(
                ("ip address", "ip nat", "shutdown", "ip dhcp client", "ip access-group")
            ):
                reason = f"the address, NAT or filter of the {kind} {port}"
        elif positive.startswith("ip nat ") and positive.endswith(
            (f"interface {wan} overload", f"interface {wan}")
        ):
            reason = f"the NAT of the WAN interface {wan}"
        elif positive.startswith("ip route 0.0.0.0 0.0.0.0"):
            reason = "the default route"
        elif _route_covers(positive, addresses):
            reason = "a static route toward the management endpoints"
        elif top_positive.startswith("line vty"):
            reason = "the vty lines iosgen logs in through"
        elif top_positive.startswith(("ip ssh", "aaa ", "crypto key")):
            reason = "SSH / AAA, which iosgen logs in through"
        elif (
            (user := top_positive.split(" ")[1:2])
            and top_positive.startswith("username ")
            and user[0] in accounts
        ):
            reason = f"the management account {user[0]!r}"
        if reason is None:
            for name, client in on_path.items():
                dialer = f"Dialer{client.dialer}"
                if any(
                    top_positive == word.strip() or top_positive.startswith(word)
                    for word, tunnel in tunnel_words
                    if tunnel == name
                ) or (
                    positive.startswith(("ip route ", "ip nat "))
                    and (positive.endswith(f" {dialer}") or f"interface {dialer} " in positive)
                ):
                    reason = (
                        f"tunnel {name!r} ({dialer}), through which the management address "
                        "is reached"
                    )
                    break
        if reason is not None:
            out.append(Finding(parents, text, reason))
    return tuple(out)
