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
from iosgen.ios.configmode import single_value_key
from iosgen.ios.secrets import mask_line
from iosgen.model.extra import substitute_references
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
    ("ip route ", "routes, interfaces.*.gateway, tunnels.*.remote_networks"),
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
    ("crypto isakmp ", "tunnels (kind: ipsec): ike, pre_shared_key, dpd; ipsec_server"),
    ("crypto ipsec ", "tunnels (kind: ipsec): ipsec"),
    ("crypto map ", "tunnels (kind: ipsec, mode: crypto-map)"),
    ("crypto dynamic-map ", "ipsec_server.dynamic_key"),
    ("tunnel ", "tunnels (kind: ipsec, mode: tunnel-interface)"),
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


@dataclass(eq=False)
class Block:
    """A top-level line and the lines printed under it (children, or a banner's text)."""

    head: str
    body: list[str] = field(default_factory=list)
    # the head as the site file writes it (`{secret:NAME}` unresolved): what `after:` names
    written: str = ""
    # extra_config blocks put right after this one (`after:` naming it), in file order
    followers: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.written = self.written or self.head

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


def _emit(block: Block, out: list[str]) -> None:
    # a stack, not recursion: `iosgen import` chains thousands of lines, each `after:`
    # the one before it
    stack = [block]
    while stack:
        top = stack.pop()
        out.append(top.head)
        out += top.body
        stack += reversed(top.followers)


def join(config: list[Block]) -> str:
    out: list[str] = []
    for block in config:
        _emit(block, out)
    return "\n".join(out)


Substitute = Callable[[str], str]
Item = tuple[str, str, tuple[str, ...], str | None]


class _Placer:
    """The typed blocks, indexed once, and where each extra block goes.

    Linear in the size of the config and of extra_config (a brownfield router may bring
    thousands of ACL lines): the place of a rank is computed once over the typed blocks
    (`_gap_of`); extras that share a place are kept in file order, each after the last
    one IOS prints before it, found from the end (at once when they come in IOS order).
    """

    def __init__(self, config: list[Block]) -> None:
        self.config = config
        self.by_written: dict[str, Block] = {}
        for block in config:
            self.by_written.setdefault(block.written, block)
        self._masked: dict[str, Block] | None = None
        # gap g: the extras printed after typed block g (and its followers)
        self.gaps: dict[int, list[tuple[int, Block]]] = {}
        self.cursors: dict[str, Block] = {}  # the last block put after each anchor
        self.parent: dict[int, Block] = {}  # the block each follower follows, by id
        self.extras: list[Block] = []
        self._gap_of = self._gaps_by_rank()
        # the typed one-value commands (`hostname R1`), by the command they set
        self.single: dict[str, Block] = {}
        for block in config:
            if (name := single_value_key(block.head)) is not None:
                self.single.setdefault(name, block)

    def _gaps_by_rank(self) -> list[int]:
        """For each rank, the typed block after which a line of that rank goes: the last
        one (before `end`) whose rank, or its neighbour's when it has none, is not above."""
        last_at: dict[int, int] = {}
        current = -1
        for index, other in enumerate(self.config):
            if other.head == "end":
                break
            if other.head in {"!", ""}:
                continue
            if (r := rank(other.head)) != _UNKNOWN_RANK:
                current = r  # a line of no known place keeps its neighbour's
            last_at[current] = index
        out: list[int] = []
        best = 0
        for want in range(-1, len(GLOBAL_ORDER)):
            best = max(best, last_at.get(want, 0))
            out.append(best)
        return out  # out[want + 1]

    def anchor(self, after: str) -> Block | None:
        """The block `after:` names: a line as written, or a typed secret line masked
        (`enable secret 5 <redacted>`): a site file never holds the secret."""
        found = self.by_written.get(after)
        if found is None and "<" in after:
            if self._masked is None:
                self._masked = {}
                for block in [*self.config, *self.extras]:
                    self._masked.setdefault(mask_line(block.head, None), block)
            found = self._masked.get(after)
        return found

    def insert(
        self, key: str, head: str, body: list[str], after: str | None, sub: Substitute
    ) -> None:
        existing = self.by_written.get(head)
        child_lines = [" " + line for line in body]
        if existing is not None:
            if not body:
                raise RenderError(
                    f"{key}: {head!r} is already printed by the typed model ({owner(head)})"
                )
            children = existing.children
            for line in child_lines:
                if line in children:
                    raise RenderError(
                        f"{key}: {line.strip()!r} under {head!r} is already printed by the "
                        f"typed model ({owner(line)})"
                    )
            contradictions(f"{key} under {head!r}", [x.strip() for x in existing.body], body)
            existing.body += child_lines
            return
        if not body and (name := single_value_key(head)) is not None:
            typed = self.single.get(name)
            if typed is not None and typed.written != head:
                raise RenderError(_contradiction(key, head, typed.head))
        block = Block(sub(head), child_lines, head)
        self.by_written.setdefault(head, block)
        self.extras.append(block)
        if self._masked is not None:
            self._masked.setdefault(mask_line(block.head, None), block)
        if after is not None:
            # right after the anchor, or after the last block already put there
            target = self.cursors.get(after)
            if target is None:
                parent = self.anchor(after)
                assert parent is not None  # place() waits for the anchor first
                parent.followers.insert(0, block)
            else:
                parent = self.parent[id(target)]
                parent.followers.insert(parent.followers.index(target) + 1, block)
            self.parent[id(block)] = parent
            self.cursors[after] = block
            return
        want = rank(head)
        gap = self.gaps.setdefault(self._gap_of[want + 1], [])
        at = len(gap)
        while at > 0 and gap[at - 1][0] > want:
            at -= 1
        current = want if want != _UNKNOWN_RANK or not at else gap[at - 1][0]
        gap.insert(at, (current, block))

    def result(self) -> list[Block]:
        out: list[Block] = []
        for index, block in enumerate(self.config):
            out.append(block)
            out += [b for _, b in self.gaps.get(index, ())]
        return out


def place(text: str, site: Site, substitute: Substitute) -> str:
    """`text` (the typed build) with the site's global extra_config lines and sections."""
    extra = site.extra_config
    items: list[Item] = [
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
    placer = _Placer(blocks(text))
    pending = items
    while pending:
        waiting: list[Item] = []
        for key, head, body, after in pending:
            if after is not None and placer.anchor(after) is None:
                waiting.append((key, head, body, after))  # its anchor may be another extra
                continue
            placer.insert(key, head, [substitute(x) for x in body], after, substitute)
        if len(waiting) == len(pending):
            key, _, _, after = waiting[0]
            raise RenderError(
                f"{site.hostname}: {key}: after: {after!r} is no top-level line of the config"
            )
        pending = waiting
    return join(placer.result())


def _contradiction(key: str, line: str, typed: str) -> str:
    """One line saying both (secrets masked: either may hold one)."""
    return (
        f"{key}: {mask_line(line.strip(), None)!r} contradicts the typed "
        f"{mask_line(typed.strip(), None)!r} ({owner(typed)}); a line has one owner: "
        "change the typed field, or leave the line out"
    )


def contradictions(key: str, typed: list[str], extra: list[str]) -> None:
    """An extra line that sets a one-value command the typed lines set otherwise
    (`transport input none` next to the typed `transport input ssh`): an error."""
    by_name: dict[str, str] = {}
    for line in typed:
        if (name := single_value_key(line)) is not None:
            by_name.setdefault(name, line)
    for index, line in enumerate(extra):
        name = single_value_key(line)
        if name is not None and name in by_name and by_name[name].strip() != line.strip():
            raise RenderError(_contradiction(f"{key}[{index}]", line, by_name[name]))


def check_children(name: str, typed: tuple[str, ...], extra: list[str]) -> None:
    """An interface's extra_config line that its typed fields already print, or one
    that says a typed one-value command otherwise: an error."""
    for index, line in enumerate(extra):
        if line in typed:
            raise RenderError(
                f"interfaces.{name}.extra_config[{index}]: {line!r} is already printed by "
                f"the typed model ({owner(line)})"
            )
    contradictions(f"interfaces.{name}.extra_config", [x.strip() for x in typed], extra)


def substitute_with(resolve: Callable[[str, str], str]) -> Substitute:
    """A line with each `{secret:NAME}` / `{type7:NAME}` that stands as its secret word
    replaced through `resolve(kind, name)` (braces elsewhere are literal text)."""

    def substitute(text: str) -> str:
        return substitute_references(text, resolve)

    return substitute
