"""Undefined references (IOS1xx) and unused objects (IOS2xx), read from ios.objects.

`ios.objects.KINDS` says how each kind of object is defined, `REFERENCES` which
commands name an object of which kind, and where they sit. A checked reference (one
with a `code`) to a name with no definition is an error; a definition nothing names
is a warning for the kinds with an `unused_code`. Unchecked references and each
kind's `uses` are further commands that name objects: they count as uses only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from iosgen.ios.objects import KINDS, REFERENCES, Kind, Reference
from iosgen.lint.checks.config import Config, Line, interface_key, is_builtin_interface
from iosgen.lint.checks.secrets import redact
from iosgen.lint.hit import Hit

# Kinds lint finds by their definitions (interfaces are looked up by canonical name).
_DEFINED: tuple[Kind, ...] = tuple(k for k in KINDS if k.name != "interface")

# Kinds whose unused definitions are reported, with their codes.
UNUSED_CODES: dict[str, str] = {k.name: k.unused_code for k in KINDS if k.unused_code}


# Why a reference fails when the object exists without the line it `needs`.
_NEEDS_WHY: dict[str, str] = {"IOS106": "rotary groups need it"}


def definitions(config: Config) -> dict[str, dict[str, Line]]:
    """kind -> name -> the first global line that defines it (interfaces aside)."""
    found: dict[str, dict[str, Line]] = {kind.name: {} for kind in _DEFINED}
    for kind in _DEFINED:
        for line, match in _definition_lines(config, kind):
            found[kind.name].setdefault(match["name"], line)
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
        if ref.code is None:
            continue
        for line, name in _references(config, ref):
            why = _missing(config, defined, ref, name)
            if why is not None:
                yield Hit(ref.code, line.number, f"`{redact(line.text)}`: {why}")


def _missing(
    config: Config, defined: dict[str, dict[str, Line]], ref: Reference, name: str
) -> str | None:
    """Why the object `ref` names is not there (None: it is)."""
    if ref.kind != "interface":
        return None if name in defined[ref.kind] else _undefined(ref.kind, name)
    key = interface_key(name)
    iface = config.interfaces.get(key) if key is not None else None
    if ref.needs is None:
        if key is None or is_builtin_interface(key) or iface is not None:
            return None
        return f"no `interface {name}`"
    if iface is not None and iface.has_child(rf"^{re.escape(ref.needs)}$"):
        return None
    if iface is not None:
        why = _NEEDS_WHY.get(ref.code or "", "")
        return f"`interface {name}` has no `{ref.needs}` ({why})"
    return f"no `interface {name}` with `{ref.needs}`"


# What a missing object of a kind is called, by the line that would define it.
_MISSING: dict[str, str] = {
    "acl": "access list {} is not defined",
    "pool": "no `ip local pool {}`",
    "nat-pool": "no `ip nat pool {}`",
    "inspect": "no `ip inspect name {} ...` rule",
    "crypto-map": "no `crypto map {} N ...` entry",
    "transform-set": "no `crypto ipsec transform-set {} ...`",
    "policy-map": "no `policy-map {}`",
    "dialer-pool": (
        "no interface is a member of dialer pool {0} (`dialer pool-member {0}` on an ATM PVC "
        "or ISDN port, `pppoe-client dial-pool-number {0}` on an Ethernet port): the dialer "
        "never dials"
    ),
}


def _undefined(kind: str, name: str) -> str:
    return _MISSING.get(kind, kind + " {} is not defined").format(name)


def check_unused(config: Config) -> Iterator[Hit]:
    defined = definitions(config)
    used: dict[str, set[str]] = {kind: set() for kind in UNUSED_CODES}
    for ref in REFERENCES:
        if ref.kind in used:
            used[ref.kind].update(name for _line, name in _references(config, ref))
    for kind in KINDS:
        if kind.name not in used or not kind.uses:
            continue
        # A definition never uses itself: `access-list 10 permit ...` is not a use of 10.
        own = {id(line) for line, _m in _definition_lines(config, kind)}
        regexes = [re.compile(p) for p in kind.uses]
        for line in config.lines:
            if id(line) not in own:
                for regex in regexes:
                    used[kind.name].update(m["name"] for m in regex.finditer(line.text))
    for kind_name, code in UNUSED_CODES.items():
        for name, line in defined[kind_name].items():
            if name not in used[kind_name]:
                yield Hit(code, line.number, _unused(kind_name, name))


def _definition_lines(config: Config, kind: Kind) -> Iterator[tuple[Line, re.Match[str]]]:
    if kind.inside is None:
        for pattern in kind.defines:
            yield from config.matching(pattern, top_only=True)
        return
    inside = re.compile(kind.inside)  # `dialer pool-member 1` under an interface, any depth
    for pattern in kind.defines:
        for line, match in config.matching(pattern):
            if line.parent is not None and inside.match(line.top.text):
                yield line, match


def _unused(kind: str, name: str) -> str:
    what = {
        "acl": f"access list {name} is defined but nothing uses it",
        "route-map": f"route-map {name} is defined but nothing uses it",
        "dialer-list": f"dialer-list {name} is defined but no `dialer-group {name}` uses it",
        "pool": f"ip local pool {name} is defined but nothing uses it",
    }
    return what[kind]
