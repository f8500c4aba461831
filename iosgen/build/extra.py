"""Place a site's `extra_config` into the typed build, where IOS prints each line.

The typed config is cut into top-level blocks (a line, its children; a banner with
its text; each `!`). A section whose header the typed build already prints (`line
vty 0 4`, `interface FastEthernet0/1`) gets its lines added to that block. Any other
line or section goes right after the top-level line its `after:` names, or, without
one, after the last block that IOS prints before it (`GLOBAL_ORDER`). A line the
typed build already prints is an error naming both: the line has one owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from iosgen.errors import RenderError
from iosgen.ios.config import BANNER_RE
from iosgen.ios.secrets import mask_line
from iosgen.model.extra import PLACEHOLDER_RE
from iosgen.model.site import Site

# IOS 12.4's order of global commands in `show running-config`, by first words
# (ios-reference.md §2.2; the entries beyond it from the order the real configs of
# tests/realconfigs print: `logging host` after `ip http`, `ntp server` after
# `scheduler allocate` in 2901-oxidized-r1.cfg). A line goes after the last block that
# matches an entry at or before its own; a line no entry matches goes before
# `control-plane` (§2.2 item 12).
GLOBAL_ORDER: Final[tuple[str, ...]] = (
    "upgrade fpd ",  # 7200/GNS3: before `version` (§2.2 item 1)
    "version ",
    "service ",
    "no service ",
    "hostname ",
    "boot-start-marker",
    "boot ",
    "boot-end-marker",
    "logging message-counter",
    "logging buffered",
    "logging rate-limit",
    "logging console",
    "logging snmp-authfail",
    "logging queue-limit",
    "no logging ",
    "enable ",
    "aaa ",
    "no aaa ",
    "resource policy",
    "memory-size ",
    "clock ",
    "dot11 ",
    "ip subnet-zero",
    "no ip icmp ",
    "ip wccp ",
    "ip cef",
    "no ip cef",
    "ip dhcp ",
    "no ip dhcp ",
    "ip domain",
    "no ip domain",
    "ip name-server ",
    "ip inspect ",
    "ip ips ",
    "ip auth-proxy ",
    "ip admission ",
    "ipv6 ",
    "no ipv6 ",
    "multilink ",
    "vpdn",
    "voice-card ",
    "crypto pki ",
    "username ",
    "archive",
    "ip tcp ",
    "ip ssh ",
    "class-map ",
    "policy-map ",
    "crypto ",
    "bridge irb",
    "interface ",
    "router ",
    "ip local pool ",
    "ip classless",
    "ip forward-protocol ",
    "ip route ",
    "ip http ",
    "no ip http ",
    "ip nat ",
    "ip access-list ",
    "logging ",  # logging host 10.20.0.28 (the early logging lines are above)
    "access-list ",
    "dialer-list ",
    "no cdp ",
    "route-map ",
    "snmp-server ",
    "radius-server ",
    "control-plane",
    "voice-port ",
    "dial-peer ",
    "banner ",
    "line con ",
    "line aux ",
    "line vty ",
    "scheduler ",
    "ntp ",
    "end",
)
_UNKNOWN_RANK: Final = GLOBAL_ORDER.index("control-plane") - 1

# Which typed field prints a line, for the message about a line given twice.
OWNERS: Final[tuple[tuple[str, str], ...]] = (
    ("hostname ", "hostname"),
    ("enable secret ", "management.enable_secret"),
    ("username ", "users (and the management account)"),
    ("ip route ", "routes, interfaces.*.gateway, pptp_clients.*.remote_networks"),
    ("ip name-server ", "name_servers"),
    ("ip domain name ", "domain_name"),
    ("no ip domain lookup", "services.domain_lookup"),
    ("service timestamps ", "services.timestamps"),
    ("service password-encryption", "services.password_encryption"),
    ("service internal", "pptp_clients"),
    ("aaa ", "aaa"),
    ("archive", "archive"),
    ("ip nat inside source ", "internet_nat, pptp_clients.*.nat"),
    ("ip http server", "services.http_server"),
    ("vpdn", "pptp_clients, pptp_server"),
    ("access-list ", "nat_acl"),
    ("dialer-list ", "pptp_clients.*.dialer"),
    ("route-map ", "internet_nat, pptp_clients.*.nat_route_map"),
    ("ip local pool ", "pptp_server.pool"),
    ("banner ", "banners"),
    ("description ", "interfaces.*.description"),
    ("ip address ", "interfaces.*.ipv4"),
    ("mtu ", "interfaces.*.mtu"),
    ("ip nat ", "internet_nat"),
    ("transport input ", "ssh.vty_transport"),
    ("exec-timeout ", "ssh.exec_timeout_minutes"),
)


def owner(text: str) -> str:
    """The typed field that prints `text` (what a duplicate line is told to use)."""
    stripped = text.strip()
    for prefix, name in OWNERS:
        if stripped.startswith(prefix) or stripped == prefix.strip():
            return name
    return "the lines iosgen prints on every router (baseline: true)"


def rank(text: str) -> int:
    for index, prefix in enumerate(GLOBAL_ORDER):
        if text.startswith(prefix) or text == prefix.strip():
            return index
    return _UNKNOWN_RANK


@dataclass
class Block:
    """A top-level line and the lines printed under it (children, or a banner's text)."""

    head: str
    body: list[str] = field(default_factory=list)
    # the head as the site file writes it (`{secret:NAME}` unresolved): what `after:` names
    written: str = ""

    def __post_init__(self) -> None:
        self.written = self.written or self.head

    def named_by(self, after: str) -> bool:
        """`after:` names a line as written, or a typed secret line masked (`enable secret
        5 <redacted>`): a site file never holds the secret, not even in an anchor."""
        return after == self.written or ("<" in after and after == mask_line(self.head, None))

    @property
    def children(self) -> set[str]:
        return set(self.body)


def blocks(text: str) -> list[Block]:
    """The config text as its top-level blocks, in order."""
    out: list[Block] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        banner = BANNER_RE.match(line)
        if banner and banner["delim"] not in banner["rest"]:
            block = Block(line)
            while i < len(lines):
                block.body.append(lines[i])
                i += 1
                if banner["delim"] in block.body[-1]:
                    break
            out.append(block)
        elif line.startswith(" ") and out and out[-1].head != "!":
            out[-1].body.append(line)
        else:
            out.append(Block(line))
    return out


def join(config: list[Block]) -> str:
    return "\n".join(line for b in config for line in (b.head, *b.body))


Substitute = Callable[[str], str]


def place(text: str, site: Site, substitute: Substitute) -> str:
    """`text` (the typed build) with the site's global extra_config lines and sections."""
    extra = site.extra_config
    items: list[tuple[str, str, tuple[str, ...], str | None]] = [
        (f"extra_config.lines[{index}]", line, (), after)
        for index, (line, after) in enumerate(extra.line_items())
    ]
    items += [
        (f"extra_config.sections[{header!r}]", header, lines, after)
        for header, lines, after in extra.section_items()
        # an interface with no `after:` is placed among the interfaces (build.ios)
        if after is not None or not header.startswith("interface ")
    ]
    if not items:
        return text
    config = blocks(text)
    cursors: dict[str, Block] = {}  # the last block put after each anchor
    pending = items
    while pending:
        waiting: list[tuple[str, str, tuple[str, ...], str | None]] = []
        for key, head, body, after in pending:
            if after is not None and not any(b.named_by(after) for b in config):
                waiting.append((key, head, body, after))  # its anchor may be another extra
                continue
            _insert(config, key, head, [substitute(x) for x in body], after, cursors, substitute)
        if len(waiting) == len(pending):
            key, _, _, after = waiting[0]
            raise RenderError(
                f"{site.hostname}: {key}: after: {after!r} is no top-level line of the config"
            )
        pending = waiting
    return join(config)


def _insert(
    config: list[Block],
    key: str,
    head: str,
    body: list[str],
    after: str | None,
    cursors: dict[str, Block],
    substitute: Substitute,
) -> None:
    existing = next((b for b in config if b.written == head), None)
    child_lines = [" " + line for line in body]
    if existing is not None:
        if not body:
            raise RenderError(
                f"{key}: {head!r} is already printed by the typed model ({owner(head)})"
            )
        for line in child_lines:
            if line in existing.children:
                raise RenderError(
                    f"{key}: {line.strip()!r} under {head!r} is already printed by the typed "
                    f"model ({owner(line)})"
                )
        existing.body += child_lines
        return
    block = Block(substitute(head), child_lines, head)
    if after is not None:
        anchor = cursors.get(after) or next(b for b in config if b.named_by(after))
        at = config.index(anchor) + 1
        cursors[after] = block
    else:
        want = rank(head)
        at, current = 1, -1
        for index, other in enumerate(config):
            if other.head == "end":
                break
            if other.head in {"!", ""}:
                continue
            if rank(other.head) != _UNKNOWN_RANK:
                current = rank(other.head)  # a line of no known place keeps its neighbour's
            if current <= want:
                at = index + 1
    config.insert(at, block)


def check_children(name: str, typed: tuple[str, ...], extra: list[str]) -> None:
    """An interface's extra_config line that its typed fields already print: an error."""
    for index, line in enumerate(extra):
        if line in typed:
            raise RenderError(
                f"interfaces.{name}.extra_config[{index}]: {line!r} is already printed by "
                f"the typed model ({owner(line)})"
            )


def substitute_with(resolve: Callable[[str, str], str]) -> Substitute:
    """A line with each `{secret:NAME}` / `{type7:NAME}` replaced through `resolve(kind, name)`."""

    def substitute(text: str) -> str:
        if "{" not in text:
            return text
        return PLACEHOLDER_RE.sub(lambda m: resolve(m["kind"], m["name"]), text)

    return substitute
