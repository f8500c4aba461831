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

from iosgen.model import Site, canonical_interface_name


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


def management_findings(
    site: Site, lines: Sequence[str], endpoints: Iterable[str | None]
) -> tuple[Finding, ...]:
    """The lines that can cut the management path, each with its reason."""
    wan_key, _ = site.wan
    wan = canonical_interface_name("ios", wan_key) or wan_key
    mgmt_user = site.management.username
    addresses = _addresses(endpoints)
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
        if top_positive == f"interface {wan}":
            if not parents:
                reason = f"the WAN interface {wan} itself"
            elif positive.startswith(("ip address", "ip nat", "shutdown", "ip dhcp client")):
                reason = f"the address or NAT of the WAN interface {wan}"
        elif positive.startswith("ip nat ") and positive.endswith(
            (f"interface {wan} overload", f"interface {wan}")
        ):
            reason = f"the NAT of the WAN interface {wan}"
        elif positive.startswith("ip route 0.0.0.0 0.0.0.0"):
            reason = "the default route"
        elif top_positive.startswith("line vty"):
            reason = "the vty lines iosgen logs in through"
        elif top_positive.startswith(("ip ssh", "aaa ", "crypto key")):
            reason = "SSH / AAA, which iosgen logs in through"
        elif top_positive.startswith(f"username {mgmt_user} "):
            reason = f"the management account {mgmt_user!r}"
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
