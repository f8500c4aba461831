"""Facts about single config lines: what IOS prints that is not configuration, the
defaults it hides, the lines it adds by itself, and the clauses that hold lists.

Every comparison of two configs reads these tables (ios.config parses with them,
diff.compare and diff.remediation match with them); nothing else lists such lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# --- volatile lines ----------------------------------------------------------------------
# Printed by IOS, never typed: ignored by every comparison (ios-reference §2.1, §9).
VOLATILE_PREFIXES: tuple[str, ...] = (
    "Building configuration...",
    "Current configuration :",  # Current configuration : 2028 bytes
    "Using ",  # `show startup-config`: "Using 1449 out of 196600 bytes"
    "ntp clock-period ",  # ntp clock-period 17179866: the router's own clock trim
    "version ",  # version 12.4: the image's, not typed
    "boot-start-marker",
    "boot-end-marker",
)
# The comment lines of the header, different after every write. Every `!` line is a
# comment to IOS (ios.config drops them all); these are listed so that the push can
# say which ones it expects between two captures of one router.
HEADER_COMMENTS: tuple[str, ...] = (
    "! Last configuration change",  # ! Last configuration change at 10:02:11 UTC Mon Mar 1 2026
    "! NVRAM config last updated",  # ! NVRAM config last updated at 10:02:15 UTC Mon Mar 1 2026
    "! No configuration change since last restart",
)


# --- list-valued clauses -----------------------------------------------------------------
# Clauses IOS keeps as lists of values, in the order they were typed: `match ip
# address 10` then `match ip address 20` print as `match ip address 10 20`, and
# the order means nothing (any value matches). Parsed with their values sorted, so
# two routers that got them in another order compare equal.
# The longer prefix comes first: ` match ip address prefix-list LAN WAN` lists prefix-list
# names, and read as `match ip address ` it would sort into `LAN WAN prefix-list`.
LIST_VALUED: dict[str, tuple[str, ...]] = {
    "route-map": ("match ip address prefix-list ", "match ip address ", "match interface "),
}


# --- hidden defaults ---------------------------------------------------------------------
# Lines in their default state: dropped from both sides, so that a config that has
# them and one that has not compare equal. IOS never prints most of them; ` duplex
# auto` / ` speed auto` it prints on a 2801 FastEthernet port, and a saved config may
# hold ` no shutdown` (typed into a file, or from another platform): each says what the
# port does with the line left out. (parent's first word or None for global, line)
HIDDEN_DEFAULTS: frozenset[tuple[str | None, str]] = frozenset(
    {
        ("interface", "no shutdown"),
        ("interface", "duplex auto"),
        ("interface", "speed auto"),
        ("interface", "cdp enable"),
        ("interface", "keepalive"),
        # on by default, printed only when off: interface Null0 / no ip unreachables
        ("interface", "ip unreachables"),
        (None, "cdp run"),
        (None, "ip domain lookup"),
        ("line", "exec"),
        ("line", "exec-timeout 10 0"),  # the default: IOS never prints it
    }
)


def scope(parent: str | None) -> str | None:
    """The first word of a parent line (`interface`, `line`), None for a global line."""
    return parent.split(" ", 1)[0] if parent else None


def is_hidden_default(text: str, parent: str | None) -> bool:
    """Is this line a default that means the same as leaving it out?

    >>> is_hidden_default("no shutdown", "interface FastEthernet0/1")
    True
    >>> is_hidden_default("cdp run", None), is_hidden_default("shutdown", "interface Dialer2")
    (True, False)
    """
    return (scope(parent), text) in HIDDEN_DEFAULTS


# --- lines IOS adds itself ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AutomaticLine:
    """A line IOS prints by itself under a parent (by the parent's first words).

    It is not drift when the intended section lacks it, if the intended section
    has one of `when` (empty: always) and none of `unless`.
    """

    parent: str
    text: str
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


AUTOMATIC_LINES: tuple[AutomaticLine, ...] = (
    # interface FastEthernet0/1 / ip nat inside / ip virtual-reassembly  (12.3(8)T+ adds it)
    AutomaticLine("interface ", "ip virtual-reassembly", when=("ip nat inside", "ip nat outside")),
    # An unused port prints ` no ip address`; typing `ip address ...` simply replaces it.
    AutomaticLine("interface ", "no ip address"),
    # An ADSL port (HWIC-1ADSL, WIC-1ADSL) prints these untyped, spare or not:
    # interface ATM0/0/0 / no ip address / no atm ilmi-keepalive / dsl operating-mode auto
    AutomaticLine("interface ATM", "no atm ilmi-keepalive"),
    AutomaticLine("interface ATM", "dsl operating-mode auto"),
)


def is_automatic(text: str, parent: str | None, intended: Iterable[str]) -> bool:
    """Did IOS print this line by itself, given the intended section's lines?

    >>> is_automatic("ip virtual-reassembly", "interface Fa0/1", ["ip nat inside"])
    True
    >>> is_automatic("ip virtual-reassembly", "interface Fa0/1", ["ip address dhcp"])
    False
    """
    if parent is None:
        return False
    has: list[str] | None = None
    for rule in AUTOMATIC_LINES:
        if rule.text != text or not parent.startswith(rule.parent):
            continue
        has = list(intended) if has is None else has
        if rule.when and not any(t.startswith(rule.when) for t in has):
            continue
        if rule.unless and any(t.startswith(rule.unless) for t in has):
            continue
        return True
    return False


# Sections IOS evaluates top-down whose entries carry no sequence numbers on 12.4: one
# entry more, less or moved is typed as the whole section again, after
# `no ip access-list standard MGMT` (a new entry is always appended at the end).
ORDERED_SECTIONS: tuple[str, ...] = ("ip access-list ", "ipv6 access-list ")


# A static route's identity: `ip route PREFIX MASK NEXT` (a next hop or an exit interface)
# and an optional administrative distance. `no ip route PREFIX MASK NEXT` removes the
# route through NEXT whatever its distance ("Use the no ip route prefix mask {address |
# interface} global configuration command to remove a static route", Cisco IOS IP Routing
# configuration guide, "Configuring Static Unicast Routes"), so a route whose distance
# changes is negated before it is typed again. The longer forms (an interface and a
# next hop, `name`, `tag`, `permanent`) do not match and keep the usual order.
STATIC_ROUTE: re.Pattern[str] = re.compile(r"^(no )?ip route (\S+ \S+ \S+)(?: \d+)?$")
