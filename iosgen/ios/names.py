"""Interface names on IOS 12.4: one table of interface types, and what follows from it.

The table says, for every type a config may name, how IOS spells it, the short
name IOS prints and accepts (`Fa0/1`, `Di2`), and what kind of interface it is:

- a PORT is hardware (an onboard port or one of a WIC/HWIC): it exists whatever the
  config says, and `no interface BRI0/0/0` is refused (`% Removal of physical
  interfaces is not permitted`); a port the model does not use is put back to its
  factory state instead;
- a LOGICAL interface is made by typing `interface Dialer2` and goes with
  `no interface Dialer2`; every subinterface (`interface FastEthernet0/0.50`,
  `interface ATM0/0/0.1 point-to-point`) is logical, whatever its port's type;
- BUILTIN: `Null0` exists on every router without an `interface` line
  (`ip route 10.0.0.0 255.0.0.0 Null0`); it is never removed.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple


class Kind(Enum):
    """What `no interface NAME` does to an interface of this type (see the module docstring)."""

    PORT = "port"
    LOGICAL = "logical"
    BUILTIN = "builtin"


class InterfaceType(NamedTuple):
    """One IOS interface type: its name as `show running-config` prints it, and its kind.

    `short` is the name IOS prints in `show ip interface brief`-style tables and log
    lines (`%LINK-3-UPDOWN: Interface Fa0/1`) and accepts where it takes a name.
    `implicit`: it exists without an `interface` line (Null0, and the Virtual-Access
    clones IOS makes from a Virtual-Template at dial-in), so a reference is no dangling one.
    """

    name: str
    short: str
    kind: Kind
    implicit: bool = False


# In the order `show running-config` prints them within their rank (interface_sort_key):
# an ISR capture shows `interface Virtual-Template1`, then `interface Vlan1`, before
# `interface Dialer0` (docs/compiler.md). The first eleven are those iosgen renders.
INTERFACE_TYPES: tuple[InterfaceType, ...] = (
    InterfaceType("FastEthernet", "Fa", Kind.PORT),  # interface FastEthernet0/0
    InterfaceType("GigabitEthernet", "Gi", Kind.PORT),  # interface GigabitEthernet0/1
    InterfaceType("Ethernet", "Et", Kind.PORT),  # interface Ethernet0 (87x WAN)
    InterfaceType("Serial", "Se", Kind.PORT),  # interface Serial0/1/0 (HWIC-2T)
    InterfaceType("Loopback", "Lo", Kind.LOGICAL),  # interface Loopback0
    InterfaceType("Tunnel", "Tu", Kind.LOGICAL),  # interface Tunnel0
    InterfaceType("Virtual-Template", "Vt", Kind.LOGICAL),  # interface Virtual-Template1
    InterfaceType("Vlan", "Vl", Kind.LOGICAL),  # interface Vlan1
    InterfaceType("Dialer", "Di", Kind.LOGICAL),  # interface Dialer2
    InterfaceType("BRI", "BR", Kind.PORT),  # interface BRI0/0/0 (HWIC-ADSL-B/ST)
    InterfaceType("ATM", "AT", Kind.PORT),  # interface ATM0/0/0 (HWIC-1ADSL)
    InterfaceType("Null", "Nu", Kind.BUILTIN, implicit=True),  # interface Null0
    InterfaceType("Virtual-Access", "Vi", Kind.LOGICAL, implicit=True),  # Vi1, cloned
    InterfaceType("Async", "As", Kind.PORT),  # interface Async1: a tty line (AUX, WIC-2A/S)
    InterfaceType("Group-Async", "Gr", Kind.LOGICAL),  # interface Group-Async1
    InterfaceType("Multilink", "Mu", Kind.LOGICAL),  # interface Multilink1
    InterfaceType("Port-channel", "Po", Kind.LOGICAL),  # interface Port-channel1
    InterfaceType("BVI", "BV", Kind.LOGICAL),  # interface BVI1 (bridge-group 1)
    InterfaceType("Virtual-PPP", "Vp", Kind.LOGICAL),  # interface Virtual-PPP1 (L2TP client)
    InterfaceType("NVI", "NV", Kind.LOGICAL),  # interface NVI0 (ip nat enable)
    InterfaceType("Cellular", "Ce", Kind.PORT),  # interface Cellular0/0/0 (HWIC-3G)
    InterfaceType("Dot11Radio", "Do", Kind.PORT),  # interface Dot11Radio0 (871W)
    InterfaceType("Wlan-GigabitEthernet", "Wl", Kind.PORT),  # embedded AP's internal port
    # interface Embedded-Service-Engine0/0: the 2900/3900 ISR G2's internal service port
    InterfaceType("Embedded-Service-Engine", "Em", Kind.PORT),
    # interface Integrated-Service-Engine1/0: an NM-CUE / NME module's port
    InterfaceType("Integrated-Service-Engine", "In", Kind.PORT),
)
_RENDERED = 11
_BY_NAME = {t.name.lower(): t for t in INTERFACE_TYPES}
_BY_SHORT = {t.short.lower(): t for t in INTERFACE_TYPES}

# The types iosgen renders, in print order (what model and build know).
IOS_INTERFACE_TYPES: tuple[str, ...] = tuple(t.name for t in INTERFACE_TYPES[:_RENDERED])
# Physical ports, printed before logical interfaces in `show running-config`.
IOS_PHYSICAL_TYPES = frozenset(t.name for t in INTERFACE_TYPES if t.kind is Kind.PORT)

# ASCII only: Python's `\d` and `\s` also match Unicode digits and spaces
# (`FastEthernet０/0`, Arabic-Indic digits), which IOS never takes. `Serial0/0/0:0` is a
# channel group of a T1/E1 controller, `.50` a subinterface.
_IOS_NAME_RE = re.compile(
    r"^(?P<type>[A-Za-z][A-Za-z0-9\-]*?) *"
    r"(?P<num>[0-9]+(?:/[0-9]+)*(?::[0-9]+)?(?:\.[0-9]+)?)$",
    re.ASCII,
)
LINUX_NAME_RE = re.compile(r"^(?:eth|ens|enp|eno|wlan|br|bond|lan|wan)[0-9a-z]*$")


def _type_of(typed: str) -> InterfaceType | None:
    """The type a typed word names: its full name, its short name, else a unique prefix.

    A prefix is looked up among the types iosgen renders first, so `g0/0` stays
    GigabitEthernet0/0 although Group-Async also starts with a `g`.
    """
    low = typed.lower()
    found = _BY_NAME.get(low) or _BY_SHORT.get(low)
    if found is not None:
        return found
    for tier in (INTERFACE_TYPES[:_RENDERED], INTERFACE_TYPES[_RENDERED:]):
        candidates = [t for t in tier if t.name.lower().startswith(low)]
        if candidates:
            return candidates[0] if len(candidates) == 1 else None
    return None


def lookup(name: str) -> tuple[InterfaceType, str] | None:
    """(its type, its number) for an interface name in any spelling IOS takes; else None.

    >>> kind, number = lookup("fa0/1.50")
    >>> kind.name, number
    ('FastEthernet', '0/1.50')
    """
    match = _IOS_NAME_RE.match(name.strip(" "))
    if not match:
        return None
    found = _type_of(match["type"])
    return (found, match["num"]) if found is not None else None


def canonical_name(name: str) -> str | None:
    """The name as `show running-config` prints it; None if it is no IOS interface name.

    >>> canonical_name("Fa0/1"), canonical_name("fastethernet 0/1"), canonical_name("di2")
    ('FastEthernet0/1', 'FastEthernet0/1', 'Dialer2')
    >>> canonical_name("Vi1"), canonical_name("Virtual-T1"), canonical_name("Nu0")
    ('Virtual-Access1', 'Virtual-Template1', 'Null0')
    >>> canonical_name("V1") is None  # Virtual-Template, Vlan, Virtual-Access ...: ambiguous
    True
    """
    found = lookup(name)
    return f"{found[0].name}{found[1]}" if found else None


# The name the model and the build have always imported.
canonical_ios_name = canonical_name


def interface_type(name: str) -> str:
    """`FastEthernet0/0.50` -> `FastEthernet`; a name that is no interface, unchanged."""
    match = _IOS_NAME_RE.match(name)
    return match["type"] if match else name


def kind_of(name: str) -> Kind | None:
    """PORT, LOGICAL or BUILTIN for an interface name; a subinterface is LOGICAL.

    >>> [kind_of(n).value for n in ("BRI0/0/0", "FastEthernet0/0.50", "Null0", "Di2")]
    ['port', 'logical', 'builtin', 'logical']
    """
    found = lookup(name)
    if found is None:
        return None
    kind, number = found
    return Kind.LOGICAL if "." in number else kind.kind


def exists_implicitly(name: str) -> bool:
    """Whether the interface exists without an `interface` line (`Null0`, `Virtual-Access1`).

    >>> exists_implicitly("Null0"), exists_implicitly("Dialer2")
    (True, False)
    """
    found = lookup(name)
    return found is not None and found[0].implicit and "." not in found[1]


def interface_sort_key(name: str) -> tuple[int, str, tuple[int, ...]]:
    """IOS prints Loopback and Tunnel first, then the ports in slot order, then the rest."""
    match = _IOS_NAME_RE.match(name)
    if not match:
        return (2, name, ())
    kind = match["type"]
    numbers = tuple(int(n) for n in re.split(r"[/.:]", match["num"]))
    rank = 0 if kind in {"Loopback", "Tunnel"} else 1 if kind in IOS_PHYSICAL_TYPES else 2
    order = IOS_INTERFACE_TYPES.index(kind) if kind in IOS_INTERFACE_TYPES else 99
    return (rank, f"{order:02d}{kind}", numbers)


def _section_name(line: str) -> str | None:
    """`interface ATM0/0/0.1 point-to-point` -> `ATM0/0/0.1`; None for any other line."""
    words = line.split()
    return words[1] if len(words) >= 2 and words[0] == "interface" else None


def is_physical_port(line: str) -> bool:
    """Is this `interface ...` line a port the hardware has (which IOS will not remove)?

    >>> is_physical_port("interface ATM0/0")
    True
    >>> is_physical_port("interface ATM0/0.32 point-to-point")  # a subinterface: removable
    False
    >>> is_physical_port("interface Dialer2")
    False
    """
    name = _section_name(line)
    return name is not None and kind_of(name) is Kind.PORT


def is_removable(line: str) -> bool:
    """May this `interface ...` section go with `no interface ...`? Ports and Null0 may not.

    >>> is_removable("interface FastEthernet0/0.50"), is_removable("interface Dialer2")
    (True, True)
    >>> is_removable("interface BRI0/0/0"), is_removable("interface Null0")
    (False, False)
    >>> is_removable("interface Embedded-Service-Engine0/0")  # unknown: maybe hardware
    False
    """
    name = _section_name(line)
    if name is None:
        return False
    kind = kind_of(name)
    # A type this table does not know (`Embedded-Service-Engine0/0` of a 2900, a module's
    # port) may be hardware that IOS refuses to remove: only its subinterfaces go.
    return kind is Kind.LOGICAL or (kind is None and "." in name)


# What a section that cannot be removed is reset to when the config does not name it:
# a port is shut (what the model does not use stays off, never `no shutdown` on a spare
# WIC/HWIC port); Null0 takes no `shutdown` and has nothing to turn off.
FACTORY_STATE: dict[Kind, tuple[str, ...]] = {Kind.PORT: ("shutdown",), Kind.BUILTIN: ()}


def factory_state(line: str) -> tuple[str, ...] | None:
    """The sub-mode lines of an `interface ...` section at its factory state; None if removable.

    >>> factory_state("interface Serial0/1/0"), factory_state("interface Null0")
    (('shutdown',), ())
    >>> factory_state("interface Tunnel0") is None
    True
    """
    name = _section_name(line)
    kind = kind_of(name) if name is not None else None
    return FACTORY_STATE.get(kind) if kind is not None else None
