"""The IOS command parser: syntax strings compiled into one keyword tree per mode.

IOS matches each word against the keywords allowed at that point by unique prefix
(`int fa0/1`, `sh run`), prefers an exact keyword, and otherwise tries the
parameters (address, number, interface name, word). Where no keyword or
parameter fits, the caret goes under the first character that no keyword can
continue (`show foooooooo` puts it under the third `o`); a line that stops early
is `% Incomplete command.`; a prefix of two keywords is ambiguous.

Syntax strings: keywords as written, parameters in angle brackets (`<ip>`,
`<word>`, `<line>` = the rest of the line, `<if>` = an interface name, `<url>` =
`flash:NAME`, `<1-99>` = a number in range), `[x]` optional, `{a|b}` a choice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from iosgen.sim.facts import INTERFACE_TYPES, SUBIF_MAX
from iosgen.sim.hardware import DEFAULT, PHYSICAL_TYPES, Hardware

# The hardware of the router whose line is being parsed: interface names depend on it.
_HARDWARE: ContextVar[Hardware] = ContextVar("hardware", default=DEFAULT)


@contextmanager
def on_hardware(hw: Hardware) -> Iterator[None]:
    """Parse the lines of this block against `hw`'s interfaces."""
    token = _HARDWARE.set(hw)
    try:
        yield
    finally:
        _HARDWARE.reset(token)


@dataclass(frozen=True, eq=False)
class Cmd:
    """One command: where it is valid, its syntax and what applying it does.

    kind: "set" (stored; a line with the same identity is replaced), "multi" (stored;
    identical lines kept once), "list" (values after the key words join the line with
    the same key; `no` with values takes those out, without values drops the line),
    "toggle" (on/off; `on`/`off` say which state prints),
    "enter" (a block that opens a sub-mode), "acl" (a numbered access-list entry),
    "action" (handled by code: exec commands, `exit`, `do` ...), "noop" (accepted,
    not stored: NVGEN markers such as `boot-start-marker`).
    key: how many leading words identify the line (0 = all of them); slot: a shared
    identity for commands that replace each other (`ip address` / `ip unnumbered`);
    default: a toggle's state when the config does not mention it; action: the hook
    (exec commands) or side effect (config commands) applied by code.
    """

    mode: str
    syntax: str
    kind: str = "set"
    key: int = 0
    slot: str | None = None
    section: str = ""
    enters: str | None = None
    action: str | None = None
    on: bool = True
    off: bool = False
    pw: str | None = None
    default: bool = False
    alias: str | None = None  # old spelling: the words it stands for (`ip domain-name`)
    nokey: int = 0
    rank: int = 0

    @property
    def no_min(self) -> int:
        """How many words a `no` form needs before it may stop (`no ip address`)."""
        if self.nokey:
            return self.nokey
        if self.key:
            return self.key
        lead = 0
        for t in _SYNTAX_TOKEN.findall(self.syntax):
            if t.startswith("<") or t in "[{":
                break
            lead += 1
        return max(lead, 1)

    def identity(self, words: Sequence[str]) -> tuple[str, ...]:
        if self.slot:
            return (self.slot,)
        return tuple(words[: self.key]) if self.key else tuple(words)


@dataclass(frozen=True)
class Tok:
    text: str
    start: int


@dataclass(frozen=True)
class Match:
    cmd: Cmd
    words: list[str]
    negated: bool = False
    partial: bool = False
    # character offset in the line where each canonical word's input began
    starts: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Failure:
    kind: str  # "invalid" | "incomplete" | "ambiguous"
    pos: int = 0
    depth: int = 0


@dataclass
class _Node:
    kw: dict[str, _Node] = field(default_factory=dict)
    kwtext: dict[str, str] = field(default_factory=dict)
    params: list[tuple[str, _Node]] = field(default_factory=list)
    cmd: Cmd | None = None
    below: list[Cmd] = field(default_factory=list)


def tokenize(line: str) -> list[Tok]:
    return [Tok(m.group(), m.start()) for m in re.finditer(r"\S+", line)]


_SYNTAX_TOKEN = re.compile(r"\[|\]|\{|\}|\||[^\s\[\]{}|]+")


def expand(syntax: str) -> list[list[str]]:
    """All the word sequences a syntax string allows."""
    toks = _SYNTAX_TOKEN.findall(syntax)
    pos = 0

    def seq(stop: set[str]) -> list[list[str]]:
        nonlocal pos
        out: list[list[str]] = [[]]
        while pos < len(toks) and toks[pos] not in stop:
            t = toks[pos]
            pos += 1
            if t in ("[", "{"):
                close = "]" if t == "[" else "}"
                alts: list[list[str]] = []
                while True:
                    alts.extend(seq({"|", close}))
                    sep = toks[pos]
                    pos += 1
                    if sep == close:
                        break
                if t == "[":
                    alts.append([])
                out = [a + b for a in out for b in alts]
            else:
                out = [[*a, t] for a in out]
        return out

    return seq(set())


_IP = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")
# ASCII digits only, as IOS reads them; `.N` a subinterface
_IFNUM = re.compile(r"^[0-9]+(?:/[0-9]+){0,2}(?:\.[0-9]+)?$")
_IFNAME = re.compile(r"^([A-Za-z-]+)(\S*)$")
_PARAM_ORDER = {"<ip>": 0, "<if>": 1, "<url>": 2, "<word>": 8, "<line>": 9}


def canonical_ip(text: str) -> str | None:
    m = _IP.match(text)
    if not m or any(int(g) > 255 for g in m.groups()):
        return None
    return ".".join(str(int(g)) for g in m.groups())


def interface_type(prefix: str) -> str | None:
    low = prefix.lower()
    known = _HARDWARE.get().types
    hits = [t for t in INTERFACE_TYPES if t in known and t.lower().startswith(low)]
    exact = [t for t in hits if t.lower() == low]
    if exact:
        return exact[0]
    return hits[0] if len(hits) == 1 else None


def canonical_interface(typ: str, number: str) -> str | None:
    if not _IFNUM.match(number):
        return None
    port, dot, sub = number.partition(".")
    name = f"{typ}{port}"
    if typ in PHYSICAL_TYPES:
        if name not in _HARDWARE.get().ports:
            return None
        if not dot:
            return name
        # a subinterface of a port the router has: `FastEthernet0/0.50`
        return f"{name}.{int(sub)}" if 1 <= int(sub) <= SUBIF_MAX else None
    if "/" in number or dot:
        return None
    n = int(number)
    limit = {"Dialer": 255, "Virtual-Template": 1000, "Vlan": 4094}.get(typ, 2147483647)
    low = 1 if typ in ("Virtual-Template", "Vlan") else 0
    return f"{typ}{n}" if low <= n <= limit else None


def port_error_at(typ: str, number: str) -> int | None:
    """Where IOS puts the caret in a port number this router lacks (`0/2` on a
    2801: under the `2`): the first part no port of that type has; None if the
    text is no port number at all."""
    if typ not in PHYSICAL_TYPES or not _IFNUM.match(number):
        return None
    have = [p[len(typ) :].split("/") for p in _HARDWARE.get().ports if p.startswith(typ)]
    have = [h for h in have if h[0].isdigit()]
    parts = number.partition(".")[0].split("/")
    pos = 0
    for k in range(len(parts)):
        if not any(h[: k + 1] == parts[: k + 1] for h in have):
            return pos
        pos += len(parts[k]) + 1
    return len(number)


class _BadPort(Exception):
    def __init__(self, pos: int) -> None:
        self.pos = pos


class _NeedMore(Exception):
    pass


def _match_param(spec: str, toks: Sequence[Tok], i: int, line: str) -> tuple[int, str] | None:
    text = toks[i].text
    if spec == "<ip>":
        ip = canonical_ip(text)
        return (1, ip) if ip else None
    if spec == "<word>":
        return 1, text
    if spec == "<line>":
        return len(toks) - i, line[toks[i].start :].rstrip()
    if spec == "<url>":
        if text.lower().startswith("flash:") and len(text) > 6:
            return 1, "flash:" + text[6:].lstrip("/")
        return None
    if spec == "<if>":
        m = _IFNAME.match(text)
        if not m:
            return None
        typ = interface_type(m.group(1))
        if typ is None:
            return None
        if m.group(2):
            name = canonical_interface(typ, m.group(2))
            if name is None and (at := port_error_at(typ, m.group(2))) is not None:
                raise _BadPort(toks[i].start + len(m.group(1)) + at)
            return (1, name) if name else None
        if i + 1 >= len(toks):
            raise _NeedMore
        name = canonical_interface(typ, toks[i + 1].text)
        if name is None and (at := port_error_at(typ, toks[i + 1].text)) is not None:
            raise _BadPort(toks[i + 1].start + at)
        return (2, name) if name else None
    m2 = re.fullmatch(r"<(-?\d+)-(\d+)>", spec)
    if m2:
        if not re.fullmatch(r"-?\d+", text):
            return None
        n = int(text)
        return (1, str(n)) if int(m2.group(1)) <= n <= int(m2.group(2)) else None
    raise ValueError(f"unknown parameter {spec}")


def _lcp(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Grammar:
    """The keyword trees of every mode, built once from a command table."""

    def __init__(self, commands: Iterable[Cmd], negatable_modes: Iterable[str]) -> None:
        self.roots: dict[str, _Node] = {}
        self.negatable = set(negatable_modes)
        for cmd in commands:
            root = self.roots.setdefault(cmd.mode, _Node())
            for words in expand(cmd.syntax):
                self._insert(root, words, cmd)

    @staticmethod
    def _insert(root: _Node, words: list[str], cmd: Cmd) -> None:
        node = root
        for w in words:
            if cmd not in node.below:
                node.below.append(cmd)
            if w.startswith("<"):
                for spec, child in node.params:
                    if spec == w:
                        node = child
                        break
                else:
                    child = _Node()
                    node.params.append((w, child))
                    node.params.sort(key=lambda p: _PARAM_ORDER.get(p[0], 5))
                    node = child
            else:
                low = w.lower()
                if low not in node.kw:
                    node.kw[low] = _Node()
                    node.kwtext[low] = w
                node = node.kw[low]
        if node.cmd is not None and node.cmd is not cmd:
            raise ValueError(f"grammar clash in {cmd.mode}: {cmd.syntax!r} / {node.cmd.syntax!r}")
        node.cmd = cmd

    def parse(self, mode: str, line: str) -> Match | Failure | None:
        """Parse one line in one mode (no fall-through); None for an empty line."""
        toks = tokenize(line)
        if not toks:
            return None
        root = self.roots[mode]
        node = root
        words: list[str] = []
        starts: list[int] = []
        negated = False
        i = 0
        while i < len(toks):
            t = toks[i]
            low = t.text.lower()
            keys = list(node.kw)
            may_negate = node is root and not negated and i == 0 and mode in self.negatable
            if may_negate:
                keys.append("no")
            if low in keys:
                chosen: str | None = low
            else:
                cands = [k for k in keys if k.startswith(low)]
                if len(cands) > 1:
                    return Failure("ambiguous", t.start, i)
                chosen = cands[0] if cands else None
            if chosen is not None:
                if may_negate and chosen == "no":
                    negated = True
                    i += 1
                    continue
                words.append(node.kwtext[chosen])
                starts.append(t.start)
                node = node.kw[chosen]
                i += 1
                continue
            for spec, child in node.params:
                try:
                    got = _match_param(spec, toks, i, line)
                except _NeedMore:
                    return Failure("incomplete", t.start, i)
                except _BadPort as bad:
                    return Failure("invalid", bad.pos, i)
                if got is not None:
                    words.append(got[1])
                    starts.append(t.start)
                    i += got[0]
                    node = child
                    break
            else:
                best = max((_lcp(low, k) for k in keys), default=0)
                return Failure("invalid", t.start + best, i)
        if node.cmd is not None:
            return Match(node.cmd, words, negated, False, tuple(starts))
        if negated and node is not root and node.below:
            first = node.below[0]
            if all(c.no_min <= len(words) for c in node.below):
                return Match(first, words, True, True, tuple(starts))
        return Failure("incomplete", len(line), len(toks))
