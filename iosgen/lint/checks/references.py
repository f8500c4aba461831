"""Undefined references (IOS1xx) and unused objects (IOS2xx), both driven by two tables.

`DEFINITIONS` says how each kind of object is defined; `REFERENCES` says which
commands name an object of which kind. A reference to a name with no definition
is an error; a definition nothing names is a warning. `USES` are further
commands that name objects (so they count as used) but are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from iosgen.lint.checks.config import IFNAME, Config, Line, interface_key, is_builtin_interface
from iosgen.lint.checks.secrets import redact
from iosgen.lint.hit import Hit

# kind -> patterns of top-level lines that define an object of that kind (group "name").
DEFINITIONS: dict[str, tuple[str, ...]] = {
    "acl": (
        r"^access-list (?P<name>\d+) ",
        r"^ip access-list (?:standard|extended) (?P<name>\S+)",
    ),
    "prefix-list": (r"^ip prefix-list (?P<name>\S+) ",),
    "route-map": (r"^route-map (?P<name>\S+)",),
    "dialer-list": (r"^dialer-list (?P<name>\d+) ",),
    "pool": (r"^ip local pool (?P<name>\S+) ",),
}

# Kinds whose unused definitions are reported, with their codes.
UNUSED_CODES: dict[str, str] = {
    "acl": "IOS201",
    "route-map": "IOS202",
    "dialer-list": "IOS203",
    "pool": "IOS204",
}


@dataclass(frozen=True)
class Reference:
    """A command that names an object: group `names` of `pattern` (several if `many`)."""

    code: str
    kind: str  # a DEFINITIONS kind, or "interface"
    pattern: str
    under: str | None = None  # the top-level line it must sit under (None: top level)
    target: str = "{}"  # the object's name made from the referenced word
    many: bool = False  # `match ip address 10 20`: one reference per word


REFERENCES: tuple[Reference, ...] = (
    # route-map INTERNET permit 10 / match ip address 10
    Reference(
        "IOS101",
        "acl",
        r"^match ip address (?!prefix-list)(?P<names>.+)$",
        r"^route-map ",
        many=True,
    ),
    Reference(
        "IOS101",
        "prefix-list",
        r"^match ip address prefix-list (?P<names>.+)$",
        r"^route-map ",
        many=True,
    ),
    # ip nat inside source route-map VPN interface Dialer2 overload
    Reference("IOS102", "route-map", r"^ip nat (?:inside|outside) source route-map (?P<names>\S+)"),
    Reference("IOS103", "interface", rf"^ip nat .*\binterface (?P<names>{IFNAME})"),
    # ip nat inside source list 10 interface FastEthernet0/0 overload
    Reference("IOS104", "acl", r"^ip nat (?:inside|outside) source list (?P<names>\S+)"),
    Reference("IOS105", "dialer-list", r"^dialer-group (?P<names>\d+)$", r"^interface "),
    # vpdn-group 2 / request-dialin / protocol pptp / rotary-group 2  ->  interface Dialer2
    Reference(
        "IOS106", "in-band-dialer", r"^rotary-group (?P<names>\d+)$", r"^vpdn-group ", "Dialer{}"
    ),
    Reference(
        "IOS107",
        "interface",
        r"^virtual-template (?P<names>\d+)$",
        r"^vpdn-group ",
        "Virtual-Template{}",
    ),
    Reference(
        "IOS108", "pool", r"^peer default ip address pool (?P<names>.+)$", r"^interface ", many=True
    ),
    # ip route 10.10.0.0 255.255.0.0 Dialer2
    Reference("IOS109", "interface", rf"^ip route (?:vrf \S+ )?\S+ \S+ (?P<names>{IFNAME})\b"),
    Reference("IOS110", "interface", rf"^ip unnumbered (?P<names>{IFNAME})$", r"^interface "),
    Reference("IOS111", "interface", r"^match interface (?P<names>.+)$", r"^route-map ", many=True),
    # An interface or line ACL that does not exist filters nothing: IOS permits all.
    Reference("IOS112", "acl", r"^ip access-group (?P<names>\S+) (?:in|out)$", r"^interface "),
    Reference("IOS112", "acl", r"^access-class (?P<names>\S+) (?:in|out)", r"^line "),
)

# Further commands that name an ACL, route-map or pool: they make it "used", nothing more.
USES: dict[str, tuple[str, ...]] = {
    "acl": (
        r"\baccess-(?:group|class) (?:name )?(?P<name>\S+)",
        r"\bdistribute-list (?P<name>\S+)",
        r"^match address (?P<name>\S+)",
        r"^snmp-server community \S+ (?:view \S+ )?(?:RO|RW|ro|rw) (?P<name>\S+)",
        # `dialer-list 1 protocol ip list 101`, `ip nat pool ... list`; not `access-list 10`
        r"(?<![-\w])list (?P<name>\S+)",
    ),
    "route-map": (r"\broute-map (?P<name>\S+)",),
    "pool": (r"\bpool (?P<name>\S+)", r"\baddress-pool local (?P<name>\S+)"),
    "dialer-list": (),
}


def definitions(config: Config) -> dict[str, dict[str, Line]]:
    """kind -> name -> the first line that defines it; plus "in-band-dialer"."""
    found: dict[str, dict[str, Line]] = {kind: {} for kind in DEFINITIONS}
    for kind, patterns in DEFINITIONS.items():
        for pattern in patterns:
            for line, match in config.matching(pattern, top_only=True):
                found[kind].setdefault(match["name"], line)
    found["in-band-dialer"] = {
        key: line
        for key, line in config.interfaces.items()
        if key.startswith("dialer") and line.has_child(r"^dialer in-band$")
    }
    return found


def _references(config: Config, ref: Reference) -> Iterator[tuple[Line, str]]:
    under = re.compile(ref.under) if ref.under else None
    for line, match in config.matching(ref.pattern):
        is_top = line.parent is None
        if under is None and not is_top:
            continue
        if under is not None and (is_top or not under.match(line.top.text)):
            continue
        words = match["names"].split() if ref.many else [match["names"].strip()]
        for word in words:
            yield line, ref.target.format(word)


def check_references(config: Config) -> Iterator[Hit]:
    defined = definitions(config)
    for ref in REFERENCES:
        for line, name in _references(config, ref):
            if ref.kind == "interface":
                key = interface_key(name)
                if key is None or is_builtin_interface(key) or key in config.interfaces:
                    continue
                yield Hit(ref.code, line.number, f"`{redact(line.text)}`: no `interface {name}`")
            elif ref.kind == "in-band-dialer":
                key = interface_key(name)
                if key in defined["in-band-dialer"]:
                    continue
                if key is not None and key in config.interfaces:
                    why = f"`interface {name}` has no `dialer in-band` (rotary groups need it)"
                else:
                    why = f"no `interface {name}` with `dialer in-band`"
                yield Hit(ref.code, line.number, f"`{redact(line.text)}`: {why}")
            elif name not in defined[ref.kind]:
                why = _undefined(ref.kind, name)
                yield Hit(ref.code, line.number, f"`{redact(line.text)}`: {why}")


def _undefined(kind: str, name: str) -> str:
    if kind == "acl":
        return f"access list {name} is not defined"
    if kind == "pool":
        return f"no `ip local pool {name}`"
    return f"{kind} {name} is not defined"


def check_unused(config: Config) -> Iterator[Hit]:
    defined = definitions(config)
    used: dict[str, set[str]] = {kind: set() for kind in UNUSED_CODES}
    for ref in REFERENCES:
        if ref.kind in used:
            used[ref.kind].update(name for _line, name in _references(config, ref))
    for kind, patterns in USES.items():
        # A definition never uses itself: `access-list 10 permit ...` is not a use of 10.
        own = {id(line) for line, _m in _definition_lines(config, kind)}
        regexes = [re.compile(p) for p in patterns]
        for line in config.lines:
            if id(line) not in own:
                for regex in regexes:
                    used[kind].update(m["name"] for m in regex.finditer(line.text))
    for kind, code in UNUSED_CODES.items():
        for name, line in defined[kind].items():
            if name not in used[kind]:
                yield Hit(code, line.number, _unused(kind, name))


def _definition_lines(config: Config, kind: str) -> Iterator[tuple[Line, re.Match[str]]]:
    for pattern in DEFINITIONS[kind]:
        yield from config.matching(pattern, top_only=True)


def _unused(kind: str, name: str) -> str:
    what = {
        "acl": f"access list {name} is defined but nothing uses it",
        "route-map": f"route-map {name} is defined but nothing uses it",
        "dialer-list": f"dialer-list {name} is defined but no `dialer-group {name}` uses it",
        "pool": f"ip local pool {name} is defined but nothing uses it",
    }
    return what[kind]
