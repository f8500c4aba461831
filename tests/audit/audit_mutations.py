"""Generated mutations of an intended config: how a real router drifts from its model.

Each mutation turns the intended text into a plausible running text: lines
missing, lines extra (foreign `logging` / `snmp-server community` lines, a
stray route), values changed, numbered-ACL entries reordered, whole blocks
absent, a secret re-encrypted with another salt. Lines the management session
depends on (`username netops`, AAA, the vty lines, `hostname`) are left alone,
so the mutated router can still be reached to be repaired.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from iosgen.ios.config import IosConfig, Line, parse, render_lines
from iosgen.ios.passwords import is_type7, type7_decode, type7_encode

HOSTS = ("R-ITD", "R-RUSE", "R-VARNA")

PROTECTED = (
    "hostname ",
    "username netops ",
    "aaa ",
    "line ",
    "ip ssh ",
    "enable secret ",
)

FOREIGN_GLOBAL = (
    "logging 192.0.2.{n}",
    "snmp-server community rogue{n} RO",
    "ip route 172.16.{n}.0 255.255.255.0 192.0.2.1",
    "ip name-server 192.0.2.{n}",
    "ntp server 192.0.2.{n}",
    "access-list 99 permit 10.{n}.0.0 0.0.255.255",
    "logging buffered 16384",
    "snmp-server location rack {n}",
    "no cdp run",
    "banner motd ^CAuthorized access only {n}^C",
    # foreign objects with references between them: removing them needs the right order
    "interface Loopback{n}\n ip address 10.255.{n}.1 255.255.255.255",
    "route-map EXTRA{n} permit 10\n match ip address 99\n match interface Dialer2",
    "ip nat inside source list 99 interface FastEthernet0/0 overload",
    "ip local pool EXTRA{n} 10.9.{n}.1 10.9.{n}.9",
    "vpdn-group 9\n request-dialin\n  protocol pptp\n  rotary-group 9\n initiate-to ip 192.0.2.{n}",
    "interface Dialer9\n mtu 1400\n ip address negotiated\n encapsulation ppp\n dialer-group 9",
    "dialer-list 9 protocol ip permit",
)
FOREIGN_INTERFACE = ("no cdp enable", "shutdown", "ip tcp adjust-mss 1360", "description spare {n}")

CHANGES: tuple[tuple[str, Callable[[str, random.Random], str]], ...] = (
    ("description ", lambda t, r: f"description changed by hand {r.randint(1, 99)}"),
    ("mtu ", lambda t, r: f"mtu {r.choice([1400, 1420, 1492])}"),
    ("ppp encrypt mppe ", lambda t, r: r.choice(["ppp encrypt mppe 40", "ppp encrypt mppe 128"])),
    ("dialer idle-timeout ", lambda t, r: f"dialer idle-timeout {r.randint(60, 600)}"),
    ("dialer string ", lambda t, r: f"dialer string {r.randint(1, 999)}"),
    ("initiate-to ip ", lambda t, r: f"initiate-to ip 198.51.100.{r.randint(1, 254)}"),
    ("maximum ", lambda t, r: f"maximum {r.randint(1, 9)}"),
    ("ppp chap hostname ", lambda t, r: f"ppp chap hostname other{r.randint(1, 9)}"),
    ("match ip address ", lambda t, r: f"match ip address {r.choice([11, 12, 101])}"),
    (r"ip address 192\.", lambda t, r: f"ip address 192.168.{r.randint(100, 199)}.1 255.255.255.0"),
    ("ip nat inside$", lambda t, r: "ip nat outside"),
    ("peer default ip address pool ", lambda t, r: "peer default ip address pool OTHER"),
    ("ppp pfc local ", lambda t, r: "ppp pfc local forbid"),
    (r"ip route 10\.", lambda t, r: t.rsplit(" ", 1)[0] + " 192.0.2.254"),
    (
        "access-list 10 permit ",
        lambda t, r: f"access-list 10 permit 10.{r.randint(1, 99)}.0.0 0.0.255.255",
    ),
    (
        "ppp chap password 7 ",
        lambda t, r: (
            f"ppp chap password 7 {type7_encode('wrong' + str(r.randint(1, 9)), r.randint(0, 15))}"
        ),
    ),
)


@dataclass(frozen=True)
class Mutation:
    kind: str
    detail: str
    running: str


def _paths(cfg: IosConfig) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []

    def walk(lines: tuple[Line, ...], prefix: tuple[int, ...]) -> None:
        for i, line in enumerate(lines):
            out.append((*prefix, i))
            walk(line.children, (*prefix, i))

    walk(cfg.lines, ())
    return out


def _get(lines: tuple[Line, ...], path: tuple[int, ...]) -> Line:
    line = lines[path[0]]
    for i in path[1:]:
        line = line.children[i]
    return line


def _edit(lines: tuple[Line, ...], path: tuple[int, ...], new: list[Line]) -> tuple[Line, ...]:
    """Replace the line at path by `new` (zero, one or more lines)."""
    i = path[0]
    if len(path) == 1:
        return (*lines[:i], *new, *lines[i + 1 :])
    line = lines[i]
    return (*lines[:i], Line(line.text, _edit(line.children, path[1:], new)), *lines[i + 1 :])


def _protected(lines: tuple[Line, ...], path: tuple[int, ...]) -> bool:
    return _get(lines, path[:1]).text.startswith(PROTECTED)


KINDS = ("missing", "extra", "changed", "reordered", "block", "secret", "combo")


def mutate(intended: str, rng: random.Random, kind: str | None = None) -> Mutation:
    """One mutation of `intended` (of a random kind unless given)."""
    kind = kind or rng.choice(KINDS)
    try:
        return _mutate(intended, rng, kind)
    except IndexError:  # nothing of that kind left to mutate (a block already gone)
        return _mutate(intended, rng, "extra")


Lines = tuple[Line, ...]
Path_ = tuple[int, ...]


def _mutate(intended: str, rng: random.Random, kind: str) -> Mutation:
    cfg = parse(intended)
    if kind == "combo":
        text, details = intended, list[str]()
        for _ in range(rng.randint(2, 3)):
            m = mutate(text, rng)
            text, details = m.running, [*details, f"{m.kind}: {m.detail}"]
        return Mutation("combo", "; ".join(details), text)
    paths = [p for p in _paths(cfg) if not _protected(cfg.lines, p)]
    lines, detail = _KINDS[kind](cfg.lines, paths, rng)
    return Mutation(kind, detail, "\n".join(render_lines(lines)) + "\nend\n")


def _missing(lines: Lines, paths: list[Path_], rng: random.Random) -> tuple[Lines, str]:
    leaves = [p for p in paths if not _get(lines, p).children]
    path = rng.choice(leaves)
    return _edit(lines, path, []), _get(lines, path).text


def _block(lines: Lines, paths: list[Path_], rng: random.Random) -> tuple[Lines, str]:
    blocks = [p for p in paths if _get(lines, p).children]
    path = rng.choice(blocks)
    return _edit(lines, path, []), _get(lines, path).text


def _extra(lines: Lines, paths: list[Path_], rng: random.Random) -> tuple[Lines, str]:
    n = rng.randint(1, 250)
    ifaces = [p for p in paths if len(p) == 1 and _get(lines, p).text.startswith("interface ")]
    if rng.random() < 0.3 and ifaces:
        path = rng.choice(ifaces)
        line = _get(lines, path)
        extra = rng.choice(FOREIGN_INTERFACE).format(n=n)
        return _edit(lines, path, [Line(line.text, (*line.children, Line(extra)))]), (
            f"{line.text} > {extra}"
        )
    extra = rng.choice(FOREIGN_GLOBAL).format(n=n)
    at = rng.randint(0, len(lines))
    return (*lines[:at], *parse(extra).lines, *lines[at:]), extra


def _changed(lines: Lines, paths: list[Path_], rng: random.Random) -> tuple[Lines, str]:
    options: list[tuple[Path_, Callable[[str, random.Random], str]]] = []
    for p in paths:
        text = _get(lines, p).text
        for prefix, change in CHANGES:
            if re.match(prefix, text):
                options.append((p, change))
    path, change = rng.choice(options)
    old = _get(lines, path)
    new = change(old.text, rng)
    return _edit(lines, path, [Line(new, old.children)]), f"{old.text} -> {new}"


def _reordered(lines: Lines, paths: list[Path_], rng: random.Random) -> tuple[Lines, str]:
    acl = [p for p in paths if len(p) == 1 and _get(lines, p).text.startswith("access-list ")]
    first = acl[0]
    entries = [_get(lines, p) for p in acl]
    added = Line(entries[0].text.split(" permit ")[0] + " permit 10.77.0.0 0.0.255.255")
    shuffled = [*entries, added]
    while [e.text for e in shuffled[: len(entries)]] == [e.text for e in entries]:
        rng.shuffle(shuffled)
    rest = tuple(ln for ln in lines if not ln.text.startswith("access-list "))
    return (*rest[: first[0]], *shuffled, *rest[first[0] :]), " | ".join(e.text for e in shuffled)


def _secret(lines: Lines, paths: list[Path_], rng: random.Random) -> tuple[Lines, str]:
    """The same password under another type-7 salt."""
    secrets: list[tuple[Path_, int]] = []
    for p in paths:
        words = _get(lines, p).text.split(" ")
        for i, w in enumerate(words[:-1]):
            if w == "7" and is_type7(words[i + 1]):
                secrets.append((p, i + 1))
    path, index = rng.choice(secrets)
    old = _get(lines, path)
    words = old.text.split(" ")
    salt = (int(words[index][:2]) + rng.randint(1, 15)) % 16
    words[index] = type7_encode(type7_decode(words[index]), salt)
    detail = f"{old.text.split(' 7 ')[0]} re-salted"
    return _edit(lines, path, [Line(" ".join(words), old.children)]), detail


_KINDS: dict[str, Callable[[Lines, list[Path_], random.Random], tuple[Lines, str]]] = {
    "missing": _missing,
    "block": _block,
    "extra": _extra,
    "changed": _changed,
    "reordered": _reordered,
    "secret": _secret,
}


def mutations(intended: str, count: int, seed: int) -> list[Mutation]:
    rng = random.Random(seed)
    return [mutate(intended, rng) for _ in range(count)]
