"""NAT structure (IOS3xx): inside and outside interfaces come in pairs.

IOS translates only packets that cross from an `ip nat inside` interface to an
`ip nat outside` one; with one side missing, `ip nat inside source ...` never
matches and the LAN silently has no Internet.
"""

from __future__ import annotations

from collections.abc import Iterator

from iosgen.lint.checks.config import Config
from iosgen.lint.hit import Hit

# code, this side, the side that must exist somewhere
_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("IOS301", "inside", "outside"),
    ("IOS302", "outside", "inside"),
)


def check_nat_sides(config: Config) -> Iterator[Hit]:
    sides: dict[str, list[tuple[int, str]]] = {"inside": [], "outside": []}
    for iface in config.interfaces.values():
        for child in iface.children:
            if child.text in {"ip nat inside", "ip nat outside"}:
                sides[child.words[2]].append((child.number, iface.text))
    for code, side, other in _PAIRS:
        if sides[other]:
            continue
        for number, where in sides[side]:
            yield Hit(
                code,
                number,
                f"`{where}` is `ip nat {side}` but no interface is `ip nat {other}`: "
                "nothing is translated",
            )
