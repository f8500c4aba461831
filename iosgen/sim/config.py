"""The configuration store of one router: what applying a parsed line does, and NVGEN.

IOS semantics modelled here (ios-reference §2-§4, §8): a single-value command
replaces the old value; `no` removes; `no access-list N ...` deletes the whole
numbered list; toggles print only in their non-default state (or always, like
`ip cef` / `no ip http server`); clear passwords gain a `0` marker or become type 7
under `service password-encryption`; NAT on an interface brings
`ip virtual-reassembly`; the running config prints in IOS order whatever the
typing order.
"""

from __future__ import annotations

import copy
import ipaddress
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

from iosgen.sim.commands import table, toggles
from iosgen.sim.facts import (
    BACK_TO_BACK,
    CHILD_INDENT,
    DEFAULT_PPTP_GROUP,
    DUPLICATE_SEQUENCE,
    HSRP_ORDER,
    INTERFACE_TYPES,
    LAYOUT,
    NACL_MODES,
    NACL_STEP,
    NEEDS_PROTOCOL,
    PADDED_ACTION,
    PHYSICAL_NOT_REMOVABLE,
    SILENT_DEFAULTS,
    SUBNET_OVERLAP,
    UNSEPARATED,
    USER_PASSWORD_AND_SECRET,
    VTY_LAST_FIVE,
    WIDE_VALUES,
)
from iosgen.sim.grammar import Cmd, Match
from iosgen.sim.hardware import DEFAULT, Hardware
from iosgen.sim.secrets import md5_secret, type7_encode

_SEQ = itertools.count()
DEFAULT_IMAGE: Final = "12.4(25d)"  # RouterSpec's defaults: a 2801 on 12.4(25d) k9
DEFAULT_FS: Final = "advipservicesk9"


@dataclass
class Line:
    """One stored config line; a block (interface, vpdn-group ...) has children."""

    cmd: Cmd
    words: list[str]
    negated: bool = False
    children: list[Line] | None = None
    seq: int = field(default_factory=lambda: next(_SEQ))
    # a held line (HELD): the global line it followed in the loaded text (None: the top;
    # a Cmd: a line printed but not stored, a default toggle or `boot-end-marker`)
    anchor: Line | Cmd | None = None
    # a `line vty A B` typed across stored ranges: the stored blocks it stands for
    group: list[Line] | None = None
    # a named-list entry's sequence number (`15 permit ...`; NVGEN does not print it)
    number: int | None = None

    @property
    def text(self) -> str:
        return ("no " if self.negated else "") + " ".join(self.words)

    def identity(self) -> tuple[str, ...]:
        if self.cmd.action == "route_map":
            return ("route-map", self.words[1], self.words[3])
        if self.cmd.section == "class-map*":
            return ("class-map", self.words[-1])  # one class-map per name, any match kind
        return self.cmd.identity(self.words)


def _cmd(mode: str, syntax: str) -> Cmd:
    for c in table():
        if c.mode == mode and c.syntax == syntax:
            return c
    raise KeyError(syntax)


# A line of a loaded config the grammar does not know: held verbatim (words = [text]),
# with its indented children, printed back where it was (docs/simulator.md, Loading).
HELD = Cmd(mode="", syntax="<held>", kind="held", section="held")

# The vty line groups a 2801 keeps apart in NVGEN: `line vty 0 15` prints as
# `line vty 0 4` / `line vty 5 15` (Manning, Acing the CCNA Exam vol. 2, 5.3.2: "running
# configurations may display them as groups 0-4 and 5-15"; pastebin.com/1Kqkstdn shows
# `line vty 0 4` and `line vty 5 15` with the same children).
VTY_GROUPS: tuple[tuple[int, int], ...] = ((0, 4), (5, 15))
VTY_DEFAULT = (0, 4)  # the lines a 2801 has before `line vty 5 15` is configured
# `transport input all`: the protocols IOS 12.4 lets in (cmd ref: all = "all protocols")
TRANSPORT_ALL: frozenset[str] = frozenset({"telnet", "ssh", "rlogin"})


@dataclass
class Outcome:
    """What applying one line did: a message to print, the new block stack and mode."""

    message: str = ""
    stack: list[Line] | None = None
    mode: str | None = None


class Config:
    """A running (or startup) configuration as IOS holds it."""

    def __init__(
        self, hw: Hardware = DEFAULT, image: str = DEFAULT_IMAGE, feature_set: str = DEFAULT_FS
    ) -> None:
        self.hw = hw
        # the IOS image: which commands exist (images.py; configmode.py refuses the rest)
        self.image = image
        self.feature_set = feature_set
        # DHCP leases the router's ISP gives (RouterSpec.dhcp): interface -> (address,
        # gateway); an `ip address dhcp` port without one never gets an address
        self.leases: dict[str, tuple[ipaddress.IPv4Interface, ipaddress.IPv4Address]] = {}
        # what this router remembers of its IPsec SAs between evaluations (ipsec.py):
        # when each came up, when its peer went silent, its packet counters
        self.ipsec_memory: dict[tuple[str, ...], object] = {}
        self.changed_at = time.time()
        # real seconds per IOS second (RouterSpec.minute / 60): DPD and SA lifetimes
        self.time_scale = 1.0
        self.root: list[Line] = []
        # bumped by every change to the lines (`touch`): the tunnels' cached view of the
        # fleet (tunnels.py) is recomputed when any router's generation moves, and the
        # rendered text (`text`) when this one's does
        self.generation = 0
        self._text: tuple[int, str] | None = None
        # what the tunnels give this router now (negotiated addresses, Virtual-Access
        # interfaces, how packets leave): set by tunnels.refresh before a show or a ping
        self.live: object | None = None
        # Blocks IOS always has: the router's physical ports, control-plane, the lines.
        for name in hw.ports:
            self.root.append(Line(_cmd("config", "interface <if>"), ["interface", name], False, []))
        self.root.append(Line(_cmd("config", "control-plane"), ["control-plane"], False, []))
        self.root.append(Line(_cmd("config", "line con 0"), ["line", "con", "0"], False, []))
        self.root.append(Line(_cmd("config", "line aux 0"), ["line", "aux", "0"], False, []))
        vty = _cmd("config", "line vty <0-15> [<0-15>]")
        self.root.append(Line(vty, ["line", "vty", "0", "4"], False, []))

    def clone(self) -> Config:
        # Commands and the hardware are shared, not copied: lines are matched to their
        # command by identity (`ln.cmd is cmd`, HELD), before and after a rollback.
        memo: dict[int, object] = {id(self.hw): self.hw, id(HELD): HELD}
        if self.live is not None:
            memo[id(self.live)] = None  # the tunnels' view: the whole fleet, never copied
        for line in self.walk():
            memo[id(line.cmd)] = line.cmd
            if isinstance(line.anchor, Cmd):
                memo[id(line.anchor)] = line.anchor
        return copy.deepcopy(self, memo)

    def touch(self) -> None:
        """The lines changed: what was computed from them is stale."""
        self.generation += 1
        self.changed_at = time.time()

    # ---- queries ----------------------------------------------------------------------
    def walk(self) -> Iterator[Line]:
        stack = list(self.root)
        while stack:
            line = stack.pop()
            yield line
            if line.children:
                stack.extend(line.children)

    def value(self, *words: str) -> Line | None:
        """The first global line whose words start with the given ones."""
        for line in self.root:
            if not line.negated and tuple(line.words[: len(words)]) == words:
                return line
        return None

    @property
    def hostname(self) -> str:
        line = self.value("hostname")
        return line.words[1] if line else "Router"

    def toggle_state(self, container: list[Line], cmd: Cmd) -> bool:
        for line in container:
            if line.cmd is cmd:
                return not line.negated
        return cmd.default

    def password_encryption(self) -> bool:
        return self.toggle_state(self.root, _cmd("config", "service password-encryption"))

    def interfaces(self) -> list[Line]:
        return sorted((ln for ln in self.root if ln.words[0] == "interface"), key=_interface_sort)

    def block(self, *words: str) -> Line | None:
        for line in self.root:
            if line.children is not None and line.words == list(words):
                return line
        return None

    # ---- applying a parsed line ---------------------------------------------------------
    def apply(self, m: Match, stack: list[Line], number: int | None = None) -> Outcome:
        """Apply one parsed line in the block `stack` leads to; `number`: the sequence
        number a named-list entry was typed with."""
        self.touch()
        if stack and stack[-1].group is not None:
            # `line vty 0 15`: the line goes to each stored range it covers
            outcomes = [self.apply(m, [*stack[:-1], member]) for member in stack[-1].group]
            return next((o for o in outcomes if o.message), Outcome())
        cmd = m.cmd
        words = list(m.words)
        container = stack[-1].children if stack else self.root
        assert container is not None
        if cmd.kind == "noop":
            return Outcome()
        if cmd.mode in NACL_MODES and words[0] in ("permit", "deny"):
            words = _normalise_entry(words, cmd.mode == "config-std-nacl")
        if cmd.mode in NACL_MODES and cmd.kind == "multi" and not m.negated:
            return self._apply_entry(cmd, words, container, number)
        if cmd.kind == "enter":
            return self._enter(cmd, words, m.negated, stack, container)
        if cmd.kind == "toggle":
            return self._apply_toggle(cmd, words, m.negated, container)
        if cmd.kind == "acl":
            return self._apply_acl(cmd, words, m.negated, container)
        if cmd.kind == "list":
            return self._apply_list(cmd, words, m.negated, container)
        # "set" / "multi"
        if m.negated:
            return self._apply_negated(m, words, container)
        return self._apply_set(cmd, words, stack, container)

    def _apply_toggle(
        self, cmd: Cmd, words: list[str], negated: bool, container: list[Line]
    ) -> Outcome:
        self._remove(container, lambda ln: ln.cmd is cmd)
        state = not negated
        if state != cmd.default:
            container.append(Line(cmd, words, not state))
        if cmd.action == "pwenc" and state:
            self._encrypt_all()
        if cmd.action == "aaa" and state and self.value("aaa", "session-id") is None:
            session = _cmd("config", "aaa session-id {common|unique}")
            self.root.append(Line(session, ["aaa", "session-id", "common"]))
        return Outcome()

    def _apply_acl(
        self, cmd: Cmd, words: list[str], negated: bool, container: list[Line]
    ) -> Outcome:
        ident = tuple(words[:2])
        if negated:
            self._remove(container, lambda ln: tuple(ln.words[:2]) == ident)
            return Outcome()
        words = _normalise_acl(words)
        if not any(ln.words == words for ln in container):
            container.append(Line(cmd, words))
        return Outcome()

    @staticmethod
    def _apply_entry(
        cmd: Cmd, words: list[str], container: list[Line], number: int | None
    ) -> Outcome:
        """A named-list entry: numbered 10 past the last when typed without a number
        (a repeat of an entry changes nothing), placed by its number when typed with one."""
        if number is None:
            if any(ln.words == words for ln in container):
                return Outcome()
            number = max((ln.number or 0 for ln in container), default=0) + NACL_STEP
        elif any(ln.number == number for ln in container):
            return Outcome(message=DUPLICATE_SEQUENCE)
        container.append(Line(cmd, words, number=number))
        return Outcome()

    def remove_entry(self, number: int, stack: list[Line]) -> None:
        """`no 15` in a named list: entry 15 goes (nothing if there is none)."""
        self.touch()
        if stack and stack[-1].children is not None:
            self._remove(stack[-1].children, lambda ln: ln.number == number)

    def _apply_negated(self, m: Match, words: list[str], container: list[Line]) -> Outcome:
        cmd = m.cmd
        n = len(words)
        if cmd.kind == "multi":
            self._remove(container, lambda ln: ln.cmd.kind == "multi" and ln.words[:n] == words)
        else:
            ident = cmd.identity(words)
            self._remove(
                container,
                lambda ln: (
                    ln.identity() == ident or (m.partial and not cmd.slot and ln.words[:n] == words)
                ),
            )
        if cmd.action == "vpdn_protocol":
            # Removing the tunnel protocol removes what depends on it (VPDN cmd ref).
            self._remove(container, lambda ln: ln.cmd.action == "needs_protocol")
        return Outcome()

    def _apply_set(
        self, cmd: Cmd, words: list[str], stack: list[Line], container: list[Line]
    ) -> Outcome:
        if cmd.action == "needs_protocol" and not any(
            ln.cmd.action == "vpdn_protocol" for ln in container
        ):
            return Outcome(message=NEEDS_PROTOCOL)
        if cmd.action == "logging_host":
            words = ["logging", words[2]]
        if words[0] == "username" and (clash := self._user_kind_clash(words)):
            return Outcome(message=clash)
        if cmd.slot == "ipaddr" and stack and (clash := self._subnet_clash(words, stack[-1])):
            return Outcome(message=clash)
        if cmd.pw:
            words = _normalise_password(words, cmd.pw, self.password_encryption())
        if words == ["encr", "aes", "128"]:
            words = ["encr", "aes"]  # AES-128 is `encr aes`'s default length: not printed [M]
        if cmd.action == "isakmp_key" and words[3] == "0" and words[5:6] == ["address"]:
            words = [*words[:3], *words[4:]]  # `key 0 K` is the clear key K, printed so [L]
        if cmd.action == "isakmp_key":
            # one key per peer address and mask: a new key for the peer replaces the old
            peer = _isakmp_peer(words)
            self._remove(container, lambda ln: ln.cmd is cmd and _isakmp_peer(ln.words) == peer)
        if words == ["tunnel", "mode", "gre", "ip"]:
            # GRE is a tunnel's default mode: NVGEN prints nothing for it
            self._remove(container, lambda ln: ln.words[:2] == ["tunnel", "mode"])
            return Outcome()
        if words == ["exec-timeout", "10", "0"] or words == ["exec-timeout", "10"]:
            # back to the default, which NVGEN does not print
            self._remove(container, lambda ln: ln.words[:1] == ["exec-timeout"])
            return Outcome()
        if words[0] == "username" and words[2:4] == ["privilege", "1"]:
            words = [*words[:2], *words[4:]]  # level 1 is the default: NVGEN leaves it out
        self._store(cmd, words, container)
        if cmd.action == "ipnat" and not any(
            ln.words == ["ip", "virtual-reassembly"] for ln in container
        ):
            vr = _cmd(cmd.mode, "ip virtual-reassembly")
            container.append(Line(vr, ["ip", "virtual-reassembly"]))
        return Outcome()

    def _store(self, cmd: Cmd, words: list[str], container: list[Line]) -> None:
        """Add the line; a "set" line takes the place of the one with its identity."""
        if cmd.kind == "multi":
            if not any(ln.words == words for ln in container):
                container.append(Line(cmd, words))
            return
        line = Line(cmd, words)
        ident = line.identity()
        # IOS changes an existing entry in place (a user's new secret keeps its spot).
        for n, old in enumerate(container):
            if old.identity() == ident:
                line.seq = old.seq
                container[n] = line
                self._remove(container, lambda ln: ln is not line and ln.identity() == ident)
                break
        else:
            container.append(line)

    def _subnet_clash(self, words: list[str], here: Line) -> str | None:
        """`ip address A M` whose subnet another interface already has: refused."""
        if len(words) != 4 or words[:2] != ["ip", "address"]:
            return None
        try:
            mine = ipaddress.IPv4Interface(f"{words[2]}/{words[3]}").network
        except ValueError:
            return None
        for iface in self.root:
            if iface is here or iface.words[0] != "interface" or not iface.children:
                continue
            for child in iface.children:
                w = child.words
                if len(w) == 4 and w[:2] == ["ip", "address"]:
                    theirs = ipaddress.IPv4Interface(f"{w[2]}/{w[3]}").network
                    if mine.overlaps(theirs):
                        return SUBNET_OVERLAP.format(net=mine.network_address, iface=iface.words[1])
        return None

    def _user_kind_clash(self, words: list[str]) -> str | None:
        """A user keeps `password` or `secret`, never both: the other kind is refused."""
        kinds = {"password", "secret"}
        new = next((w for w in words[2:] if w in kinds), None)
        for line in self.root:
            if line.words[:2] == words[:2]:
                old = next((w for w in line.words[2:] if w in kinds), None)
                if new and old and new != old:
                    return USER_PASSWORD_AND_SECRET
        return None

    def _apply_list(
        self, cmd: Cmd, words: list[str], negated: bool, container: list[Line]
    ) -> Outcome:
        head, values = words[: cmd.key], words[cmd.key :]
        old = next((ln for ln in container if ln.cmd is cmd and ln.words[: cmd.key] == head), None)
        if negated:
            if old is None:
                return Outcome()
            kept = [v for v in old.words[cmd.key :] if v not in values] if values else []
            if kept:
                old.words = [*head, *kept]
            else:
                self._remove(container, lambda ln: ln is old)
            return Outcome()
        if old is None:
            container.append(Line(cmd, [*head, *dict.fromkeys(values)]))
        else:
            old.words = [*old.words, *(v for v in values if v not in old.words[cmd.key :])]
        return Outcome()

    def _enter(
        self, cmd: Cmd, words: list[str], negated: bool, stack: list[Line], container: list[Line]
    ) -> Outcome:
        if words[:2] == ["line", "vty"]:
            return self._enter_vty(cmd, words, negated)
        cmd, words = _block_defaults(cmd, words)
        if cmd.action == "route_map":
            action = "permit"
            seq = "10"
            for w in words[2:]:
                if w in ("permit", "deny"):
                    action = w
                else:
                    seq = w
            if negated and len(words) == 2:
                self._remove(container, lambda ln: ln.words[:2] == words)
                return Outcome()
            words = ["route-map", words[1], action, seq]
        if negated:
            if words[0] == "interface" and words[1] in self.hw.ports:
                return Outcome(message=PHYSICAL_NOT_REMOVABLE)
            if words[0] in ("line", "control-plane"):
                return Outcome()
            probe = Line(cmd, words)
            ident = probe.identity()
            self._remove(container, lambda ln: ln.children is not None and ln.identity() == ident)
            if words[:2] == ["crypto", "map"]:
                # `no crypto map M N` removes entry N whatever its kind (`... dynamic D`)
                self._remove(container, lambda ln: ln.words[:4] == words[:4])
            return Outcome()
        probe = Line(cmd, words, False, [])
        ident = probe.identity()
        for line in container:
            if line.children is not None and line.identity() == ident:
                if cmd.action == "route_map":
                    line.words = words
                return Outcome(stack=[*stack, line], mode=_enters(cmd, words))
        container.append(probe)
        return Outcome(stack=[*stack, probe], mode=_enters(cmd, words))

    # ---- vty line ranges ---------------------------------------------------------------------
    def _vty_blocks(self) -> list[Line]:
        return sorted(
            (ln for ln in self.root if ln.words[:2] == ["line", "vty"] and ln.children is not None),
            key=lambda ln: int(ln.words[2]),
        )

    def _enter_vty(self, cmd: Cmd, words: list[str], negated: bool) -> Outcome:
        lo = int(words[2])
        hi = int(words[3]) if len(words) > 3 else lo
        if hi < lo:
            return Outcome()
        if negated:
            return self._no_vty(cmd, lo, hi)
        self._vty_merge()
        members: list[Line] = []
        for glo, ghi in VTY_GROUPS:
            a, b = max(lo, glo), min(hi, ghi)
            if a <= b:
                members += self._vty_cover(cmd, a, b)
        proxy = Line(cmd, words, False, [], group=members)
        return Outcome(stack=[proxy], mode=cmd.enters)

    def _no_vty(self, cmd: Cmd, lo: int, hi: int) -> Outcome:
        """`no line vty A B`: the lines above the first five go (their settings with
        them); IOS keeps vty 0-4 and says so (facts.VTY_LAST_FIVE)."""
        first = max(lo, VTY_DEFAULT[1] + 1)
        if first <= hi:
            self._vty_merge()
            gone = {id(b) for b in self._vty_cover(cmd, first, hi)}
            self.root[:] = [ln for ln in self.root if id(ln) not in gone]
        return Outcome(message=VTY_LAST_FIVE if lo <= VTY_DEFAULT[1] else "")

    def _vty_cover(self, cmd: Cmd, lo: int, hi: int) -> list[Line]:
        """Stored blocks exactly covering vty lo..hi (one default group): split or made."""
        for cut in (lo, hi + 1):
            for block in self._vty_blocks():
                a, b = _vty_range(block)
                if a < cut <= b:
                    self._vty_split(block, cut)
                    break
        covered = [blk for blk in self._vty_blocks() if lo <= _vty_range(blk)[0] <= hi]
        have = {n for blk in covered for n in range(_vty_range(blk)[0], _vty_range(blk)[1] + 1)}
        missing = [n for n in range(lo, hi + 1) if n not in have]
        if missing:  # lines not there yet (5-15 on a 2801): made with the default settings
            block = Line(cmd, _vty_words(missing[0], missing[-1]), False, [])
            self.root.append(block)
            covered.append(block)
        return covered

    def _vty_split(self, block: Line, cut: int) -> None:
        a, b = _vty_range(block)
        block.words = _vty_words(a, cut - 1)
        rest = Line(block.cmd, _vty_words(cut, b), False, copy.deepcopy(block.children))
        at = next(n for n, ln in enumerate(self.root) if ln is block)
        self.root.insert(at + 1, rest)

    def _vty_merge(self) -> None:
        """Join neighbouring ranges of one default group whose settings are the same
        (at the next `line vty`: a session's open range keeps its blocks meanwhile)."""
        merged = _vty_merged(self._vty_blocks())
        keep = {id(ln) for ln in merged}
        self.root[:] = [ln for ln in self.root if id(ln) in keep or ln.words[:2] != ["line", "vty"]]

    def vty_transports(self) -> dict[int, frozenset[str]]:
        """Per vty line that exists, the protocols `transport input` lets in.

        No `transport input` line: all (IOS 12.4's vty default); `none`: nothing.
        """
        out: dict[int, frozenset[str]] = {}
        for block in self._vty_blocks():
            allowed = TRANSPORT_ALL
            for ln in block.children or []:
                if ln.words[:2] == ["transport", "input"] and not ln.negated:
                    allowed = _transports(ln.words[2:])
            a, b = _vty_range(block)
            for n in range(a, b + 1):
                out[n] = allowed
        return out

    def vty_allows(self, protocol: str) -> bool:
        """Whether any vty line lets `protocol` ("ssh", "telnet") log in."""
        return any(protocol in allowed for allowed in self.vty_transports().values())

    # ---- held lines (loaded, not understood) -----------------------------------------------------
    def hold(self, text: str, container: list[Line], anchor: Line | Cmd | None) -> Line:
        """Keep a loaded line the grammar does not know, verbatim, in `container`."""
        self.touch()
        line = Line(HELD, [text], False, [], anchor=anchor)
        container.append(line)
        return line

    def held(self) -> list[str]:
        """Every held line, as `parent > child` paths, in the order they were loaded."""
        out: list[tuple[int, str]] = []

        def visit(lines: list[Line], path: str) -> None:
            for ln in lines:
                here = f"{path}{ln.text}"
                if ln.cmd is HELD:
                    out.append((ln.seq, here))
                visit(ln.children or [], here + " > ")

        visit(self.root, "")
        return [text for _, text in sorted(out)]

    def remove_held(self, words: list[str], container: list[Line]) -> bool:
        """`no <held line>`: removes it (and its children) from the block or the top."""
        want = " ".join(words)
        self.touch()
        for where in (container, self.root):
            for ln in where:
                if ln.cmd is HELD and " ".join(ln.text.split()) == want:
                    for other in where:  # what followed it now follows what it followed
                        if other.anchor is ln:
                            other.anchor = ln.anchor
                    where[:] = [x for x in where if x is not ln]
                    return True
        return False

    @staticmethod
    def _remove(container: list[Line], pred: Callable[[Line], bool]) -> int:
        keep = [ln for ln in container if not pred(ln)]
        removed = len(container) - len(keep)
        container[:] = keep
        return removed

    def _encrypt_all(self) -> None:
        for line in self.walk():
            if line.cmd.pw in ("zero", "bare"):
                line.words = _normalise_password(line.words, line.cmd.pw, True)

    def set_banner(self, kind: str, text: str) -> None:
        self.touch()
        cmd = _cmd("config", "banner {motd|login|exec} <line>")
        self._remove(self.root, lambda ln: ln.cmd is cmd and ln.words[1] == kind)
        self.root.append(Line(cmd, ["banner", kind, f"^C{text}^C"]))

    def remove_banner(self, kind: str) -> None:
        self.touch()
        self._remove(self.root, lambda ln: ln.words[:2] == ["banner", kind])

    # ---- NVGEN ----------------------------------------------------------------------------
    def text(self) -> str:
        """`render()` as one text, kept until the lines change: a push prints the same
        config about seven times (show run, the rollback point, the verify, write
        memory...). Nothing in it depends on the clock; the `! Last configuration
        change` header is the router's (router.running_text)."""
        if self._text is None or self._text[0] != self.generation:
            self._text = (self.generation, "\n".join(self.render()))
        return self._text[1]

    def render(self) -> list[str]:
        """The config body as IOS prints it, from `!` / `version 12.4` to `end`."""
        by_section: dict[str, list[Line]] = {}
        for line in self.root:
            by_section.setdefault(line.cmd.section, []).append(line)
        held = _Followers(by_section.get("held", []), self.root)
        out: list[str] = []
        for section in LAYOUT:
            if section == "!":
                out.append("!")
            elif section == "end":
                held.rest(out)
                out.append("end")
            elif section == "version":
                out.append("version 12.4")
                held.after(None, out)
            elif section == "hostname":
                out.append(f"hostname {self.hostname}")
                held.after(self.value("hostname"), out)
            elif section == "boot":
                out.append("boot-start-marker")
                for ln in by_section.get("boot", []):
                    if ln.words[0] == "boot":
                        out.append(ln.text)
                        held.after(ln, out)
                out.append("boot-end-marker")
            elif section.endswith("*"):
                blocks = by_section.get(section, [])
                ghosts = held.ghosts.get(section, [])
                ordered = (
                    sorted(blocks + ghosts, key=lambda b: _ghost_key(b, ghosts))
                    if ghosts
                    else sorted(blocks, key=_sort_key)
                )
                for block in ordered:
                    if not ghosts or not any(block is g for g in ghosts):
                        out.extend(self._render_block(block, 0))
                        if section not in UNSEPARATED and section not in BACK_TO_BACK:
                            out.append("!")
                    held.after(block, out)
                if blocks and section in UNSEPARATED:
                    out.append("!")
            else:
                self._render_flat(section, by_section.get(section, []), held, out)
            held.section_end(section, out)
        return out

    def _render_flat(
        self, section: str, stored: list[Line], held: _Followers, out: list[str]
    ) -> None:
        lines = [ln for ln in stored if ln.cmd.kind != "noop"]
        lines += self._default_toggles(self.root, "config", section)
        if section == "scheduler" and not lines:
            out.append("scheduler allocate 20000 1000")
        if section == "line":
            vty = [copy.copy(ln) for ln in lines if ln.words[:2] == ["line", "vty"]]
            others = [ln for ln in lines if ln.words[:2] != ["line", "vty"]]
            stored_vty = [ln for ln in lines if ln.words[:2] == ["line", "vty"]]
            for block in sorted(others + _vty_merged(sorted(vty, key=_vty_range)), key=_sort_key):
                out.extend(self._render_block(block, 0))
                if block.words[:2] != ["line", "vty"]:
                    held.after(block, out)
                    continue
                lo, hi = _vty_range(block)
                for orig in stored_vty:
                    if lo <= _vty_range(orig)[0] <= hi:
                        held.after(orig, out)
            return
        ordered = sorted(lines, key=_sort_key)
        if section == "username":
            ordered = _by_user(ordered)
        for ln in ordered:
            out.extend(ln.text.split("\n"))
            held.after(ln, out)

    def _default_toggles(self, container: list[Line], mode: str, section: str) -> list[Line]:
        extra = []
        for cmd in toggles(mode, section):
            if any(ln.cmd is cmd for ln in container):
                continue
            if (cmd.default and cmd.on) or (not cmd.default and cmd.off):
                extra.append(Line(cmd, cmd.syntax.split(), not cmd.default, seq=-1))
        return extra

    def render_block(self, block: Line) -> list[str]:
        """One block as `show running-config interface X` prints it."""
        return self._render_block(block, 0)

    def _render_block(self, block: Line, depth: int) -> list[str]:
        pad = " " * depth
        out = [pad + block.text]
        if block.words == ["vpdn-group", "1"] and any(
            ln.words == ["accept-dialin"]
            and any(c.words == ["protocol", "pptp"] for c in ln.children or [])
            for ln in block.children or []
        ):
            # IOS's own comment on the default PPTP group (ios-reference §3, [M]).
            out.append(DEFAULT_PPTP_GROUP)
        children = list(block.children or [])
        mode = _enters(block.cmd, block.words) or ""
        children += self._default_toggles(children, mode, "")
        if mode in ("config-if", "config-subif") and block.words[1] not in self.hw.switch_ports:
            # a switch port prints nothing by default: it has no address, no duplex
            if not any(ln.cmd.slot == "ipaddr" for ln in children):
                children.append(Line(_cmd(mode, "ip address <ip> <ip>"), ["no"], seq=-1))
            if mode == "config-if" and block.words[1].startswith(
                ("FastEthernet", "GigabitEthernet")
            ):
                for word, syntax in (
                    ("duplex", "duplex {auto|full|half}"),
                    ("speed", "speed {10|100|auto}"),
                ):
                    if not any(ln.words[0] == word for ln in children):
                        children.append(Line(_cmd("config-if", syntax), [word, "auto"], seq=-1))
        known = [ln for ln in children if ln.cmd is not HELD]
        held = [ln for ln in children if ln.cmd is HELD]
        inner = CHILD_INDENT.get(mode, pad + " ")
        padded = PADDED_ACTION.get(mode, {})
        silent = SILENT_DEFAULTS.get(mode, frozenset())
        wide = WIDE_VALUES.get(mode)
        for child in sorted(known, key=_sort_key) + held:
            if child.cmd is HELD:
                out.extend(_render_held(child, len(inner)))
            elif silent and not child.negated and child.text in silent:
                continue
            elif wide and not child.negated and tuple(child.words[: len(wide)]) == wide:
                out.append(inner + " ".join(wide) + " " + "  ".join(child.words[len(wide) :]))
            elif child.words == ["no"]:
                out.append(inner + "no ip address")
            elif child.children is not None:
                out.extend(self._render_block(child, depth + 1))
            elif not child.negated and child.words[0] in padded:
                out.append(inner + " ".join([padded[child.words[0]], *child.words[1:]]))
            else:
                out.append(inner + child.text)
        return out


class _Followers:
    """Held global lines, printed after the line they followed when loaded."""

    def __init__(self, held: list[Line], root: list[Line]) -> None:
        self.by_anchor: dict[int, list[Line]] = {}
        for ln in held:
            self.by_anchor.setdefault(id(ln.anchor), []).append(ln)
        # Removed blocks that held lines followed, by section: they print where the
        # block would sort (`no interface Loopback0` moves no held line, and the block
        # typed again is followed by them again).
        self.ghosts: dict[str, list[Line]] = {}
        if held:
            live = {id(ln) for ln in root}
            seen: set[int] = set()
            for ln in held:
                a = ln.anchor
                if isinstance(a, Line) and id(a) not in live and id(a) not in seen:
                    seen.add(id(a))
                    self.ghosts.setdefault(a.cmd.section, []).append(a)
        self.done: set[int] = set()
        self.all = held

    def after(self, line: Line | Cmd | None, out: list[str]) -> None:
        for ln in self.by_anchor.get(id(line), []):
            if id(ln) not in self.done:
                self.done.add(id(ln))
                out.extend(_render_held(ln, 0))
                if ln.children:
                    out.append("!")  # a block, closed as NVGEN closes one
                self.after(ln, out)

    def section_end(self, section: str, out: list[str]) -> None:
        """Those that followed a line printed but not stored (`version`, `ip cef`,
        `boot-end-marker`): after that line's section."""
        for ln in self.all:
            if isinstance(ln.anchor, Cmd) and ln.anchor.section == section:
                self.after(ln.anchor, out)

    def rest(self, out: list[str]) -> None:
        """Those whose anchor is no longer printed (removed): before `end`."""
        for ln in self.all:
            if id(ln) not in self.done:
                self.done.add(id(ln))
                out.extend(_render_held(ln, 0))


def _render_held(line: Line, depth: int) -> list[str]:
    out = [" " * depth + line.text]
    for child in line.children or []:
        out.extend(_render_held(child, depth + 1))
    return out


def _vty_range(block: Line) -> tuple[int, int]:
    w = block.words
    return int(w[2]), int(w[3]) if len(w) > 3 else int(w[2])


def _vty_words(lo: int, hi: int) -> list[str]:
    return ["line", "vty", str(lo)] + ([str(hi)] if hi != lo else [])


def _vty_merged(blocks: list[Line]) -> list[Line]:
    """The ranges as NVGEN prints them: neighbours of one default group with the same
    settings joined (the first block of a run is kept, its words widened)."""
    out: list[Line] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None:
            (a, b), (c, d) = _vty_range(prev), _vty_range(block)
            same_group = any(g[0] <= a and d <= g[1] for g in VTY_GROUPS)
            if b + 1 == c and same_group and _settings(prev) == _settings(block):
                prev.words = _vty_words(a, d)
                continue
        out.append(block)
    return out


def _settings(block: Line) -> list[str]:
    return sorted(ln.text for ln in block.children or [])


def _transports(words: list[str]) -> frozenset[str]:
    if "all" in words:
        return TRANSPORT_ALL
    return frozenset(w for w in words if w != "none")


def _block_defaults(cmd: Cmd, words: list[str]) -> tuple[Cmd, list[str]]:
    """A block header as IOS stores it when its default keyword is left out."""
    if words[:3] == ["crypto", "ipsec", "transform-set"]:
        # `esp-aes 128` is `esp-aes`: 128 bits is the default and prints nothing [M]
        words = [w for n, w in enumerate(words) if not (w == "128" and words[n - 1] == "esp-aes")]
    if words[:2] == ["crypto", "map"] and len(words) == 4:
        # `crypto map CM 10` is `crypto map CM 10 ipsec-isakmp` (docs/simulator-grammar.md)
        return cmd, [*words, "ipsec-isakmp"]
    if words[0] == "class-map" and len(words) == 2:
        # `class-map TEST` is `class-map match-all TEST` (cbac line 154) when new
        return _cmd("config", "class-map {match-all|match-any} <word>"), [
            "class-map",
            "match-all",
            words[1],
        ]
    return cmd, words


def _enters(cmd: Cmd, words: list[str]) -> str | None:
    """The mode a block opens: a subinterface (`interface FastEthernet0/0.50`) its own."""
    if cmd.enters == "config-if" and "." in words[1]:
        return "config-subif"
    return cmd.enters


def _interface_sort(line: Line) -> tuple[int, int, tuple[int, ...], int, str]:
    name = line.words[1]
    for typ, rank in INTERFACE_TYPES.items():
        rest = name[len(typ) :]
        if name.startswith(typ) and rest[:1].isdigit():
            port, _, sub = rest.partition(".")
            nums = tuple(int(x) for x in port.split("/"))
            # physical ports: onboard (fewer parts) first, then slot by slot; a
            # subinterface right after its port, by number
            return rank, len(nums) if rank == 2 else 0, nums, int(sub) if sub else -1, typ
    return 99, 0, (), 0, name


# A user's attribute lines after its password line, in this order [L]
_USER_ATTR_ORDER: Final[dict[str, int]] = {"aaa": 1, "autocommand": 2}


def _by_user(lines: list[Line]) -> list[Line]:
    """A user's lines together, in the order the users were made: its password or
    secret line first, then its attributes: `username U aaa attribute list L`, then
    `username U autocommand ...` (docs/simulator-grammar.md)."""
    users: dict[str, list[Line]] = {}
    for ln in lines:
        users.setdefault(ln.words[1], []).append(ln)
    out: list[Line] = []
    for mine in sorted(users.values(), key=lambda group: min(ln.seq for ln in group)):
        out += sorted(mine, key=lambda ln: (_USER_ATTR_ORDER.get(ln.words[2], 0), ln.seq))
    return out


def _isakmp_peer(words: list[str]) -> tuple[str, str]:
    """The peer a `crypto isakmp key ... address A [M]` line is for: (A, M); no mask is
    the host mask (Security Command Reference, `crypto isakmp key`)."""
    at = words.index("address") + 1
    mask = words[at + 1] if len(words) > at + 1 and words[at + 1][:1].isdigit() else None
    if mask is None and words[at] == "0.0.0.0":
        mask = "0.0.0.0"  # `address 0.0.0.0` alone is the wildcard
    return words[at], mask or "255.255.255.255"


def _ghost_key(line: Line, ghosts: list[Line]) -> tuple[object, ...]:
    """`_sort_key`, a removed block (a ghost) after a live one of the same words."""
    key = _sort_key(line)
    return (*key[:-1], any(line is g for g in ghosts), key[-1])


def _sort_key(line: Line) -> tuple[object, ...]:
    cmd = line.cmd
    w = line.words
    sub: tuple[object, ...] = ()
    section = cmd.section
    if section == "interface*":
        sub = _interface_sort(line)
    elif section == "ip-route":
        sub = (int(ipaddress.IPv4Address(w[2])), int(ipaddress.IPv4Address(w[3])))
    elif section == "access-list":
        sub = (int(w[1]),)
        return (0, sub, line.seq)
    elif cmd.mode in NACL_MODES:
        sub = (line.number or 0,)
    elif section in ("route-map*",):
        sub = (w[1], int(w[3]))
    elif section in ("crypto-map*", "crypto-dynamic-map*"):
        # by map name, then entry number; `crypto map M local-address IF` first
        sub = (w[2], int(w[3]) if w[3].isdigit() else -1)
    elif section == "line":
        sub = ({"con": 0, "aux": 1, "vty": 2}[w[1]], int(w[2]))
    elif section == "hsrp":
        sub = _hsrp_key(w)
    elif section in ("ip-acl-standard*", "ip-acl-extended*"):
        sub = (w[3],)  # by name, as the realconfigs print them (docs/simulator-grammar.md)
    elif section in ("ip-nat", "logging-host", "vpdn-group*", "service"):
        sub = (line.text,)
    return (cmd.rank, sub, line.seq)


def _hsrp_key(w: list[str]) -> tuple[object, ...]:
    """`standby version` first, then by group (none: group 0), then HSRP_ORDER; a
    secondary address after the primary."""
    if w[1] == "version":
        return (-1,)
    group, word = (int(w[1]), w[2]) if w[1].isdigit() else (0, w[1])
    return (group, HSRP_ORDER.index(word), w[-1] == "secondary")


def _normalise_password(words: list[str], kind: str, encrypt: bool) -> list[str]:
    value = words[-1]
    typ: str | None = None
    head = words[:-1]
    if (
        head
        and head[-1] in ("0", "5", "7")
        and len(head) >= 2
        and head[-2]
        in (
            "password",
            "secret",
        )
    ):
        typ = head[-1]
        head = head[:-1]
    if kind == "secret":
        return [*head, "5", value if typ == "5" else md5_secret(value)]
    if typ == "7":
        return [*head, "7", value]
    if encrypt:
        return [*head, "7", type7_encode(value)]
    return [*head, "0", value] if kind == "zero" else [*head, value]


def _mask(addr: str, wildcard: str) -> str:
    a = int(ipaddress.IPv4Address(addr))
    w = int(ipaddress.IPv4Address(wildcard))
    return str(ipaddress.IPv4Address(a & ~w & 0xFFFFFFFF))


def _normalise_acl(words: list[str]) -> list[str]:
    """IOS stores ACL addresses masked and abbreviated: `host X`, `any`, standard `X`."""
    if words[2] == "remark":
        return words
    standard = int(words[1]) < 100
    head = words[:3] if standard else words[:4]
    return head + _normalise_addresses(words[len(head) :], standard)


def _normalise_entry(words: list[str], standard: bool) -> list[str]:
    """A named-list entry (`permit host X`) stored as a numbered one is."""
    head = words[:1] if standard else words[:2]
    return head + _normalise_addresses(words[len(head) :], standard)


def _normalise_addresses(rest: list[str], standard: bool) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(rest):
        w = rest[i]
        nxt = rest[i + 1] if i + 1 < len(rest) else None
        if w == "host" and nxt:
            out += [nxt] if standard else ["host", nxt]
            i += 2
        elif _is_ip(w) and nxt and _is_ip(nxt):
            if nxt == "255.255.255.255":
                out.append("any")
            elif nxt == "0.0.0.0":
                out += [w] if standard else ["host", w]
            else:
                out += [_mask(w, nxt), nxt]
            i += 2
        else:
            out.append(w)
            i += 1
    return out


def _is_ip(w: str) -> bool:
    parts = w.split(".")
    return len(parts) == 4 and all(p.isdigit() for p in parts)
