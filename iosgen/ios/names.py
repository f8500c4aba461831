"""Interface names: IOS abbreviations as data; canonical names (`Fa0/1` -> `FastEthernet0/1`)."""

from __future__ import annotations

import re

# Full IOS interface type names on an ISR 2801 and common peers, longest match wins.
IOS_INTERFACE_TYPES: tuple[str, ...] = (
    "FastEthernet",
    "GigabitEthernet",
    "Ethernet",
    "Serial",
    "Loopback",
    "Tunnel",
    # Logical interfaces print after the physical ports in this order: 87x/ISR
    # captures show `interface Virtual-Template1 ...` and `interface Vlan1` before
    # `interface Dialer0` (docs/compiler.md).
    "Virtual-Template",
    "Vlan",
    "Dialer",
    "BRI",
    "ATM",
)
# Physical ports, printed before logical interfaces in `show running-config`.
IOS_PHYSICAL_TYPES = frozenset(
    {"FastEthernet", "GigabitEthernet", "Ethernet", "Serial", "BRI", "ATM"}
)

# ASCII only: Python's `\d` and `\s` also match Unicode digits and spaces
# (`FastEthernet０/0`, Arabic-Indic digits), which IOS never takes.
_IOS_NAME_RE = re.compile(
    r"^(?P<type>[A-Za-z][A-Za-z\-]*?) *(?P<num>[0-9]+(?:/[0-9]+)*(?:\.[0-9]+)?)$", re.ASCII
)
LINUX_NAME_RE = re.compile(r"^(?:eth|ens|enp|eno|wlan|br|bond|lan|wan)[0-9a-z]*$")


def canonical_ios_name(name: str) -> str | None:
    """`Fa0/1`, `fastethernet 0/1`, `FastEthernet0/1` -> `FastEthernet0/1`; None if unknown."""
    match = _IOS_NAME_RE.match(name.strip(" "))
    if not match:
        return None
    typed = match["type"].lower()
    candidates = [t for t in IOS_INTERFACE_TYPES if t.lower().startswith(typed)]
    if len(candidates) != 1:
        exact = [t for t in candidates if t.lower() == typed]
        if len(exact) != 1:
            return None
        candidates = exact
    return f"{candidates[0]}{match['num']}"


def interface_type(name: str) -> str:
    match = _IOS_NAME_RE.match(name)
    return match["type"] if match else name


def interface_sort_key(name: str) -> tuple[int, str, tuple[int, ...]]:
    """IOS prints physical ports in slot order before logical interfaces."""
    match = _IOS_NAME_RE.match(name)
    if not match:
        return (2, name, ())
    kind = match["type"]
    numbers = tuple(int(n) for n in re.split(r"[/.]", match["num"]))
    rank = 0 if kind in {"Loopback", "Tunnel"} else 1 if kind in IOS_PHYSICAL_TYPES else 2
    order = IOS_INTERFACE_TYPES.index(kind) if kind in IOS_INTERFACE_TYPES else 99
    return (rank, f"{order:02d}{kind}", numbers)


def is_physical_port(line: str) -> bool:
    """Is this `interface ...` line a port the hardware has (which IOS will not remove)?

    >>> is_physical_port("interface ATM0/0")
    True
    >>> is_physical_port("interface ATM0/0.32 point-to-point")  # a subinterface: removable
    False
    >>> is_physical_port("interface Dialer2")
    False
    """
    words = line.split()
    if len(words) < 2 or words[0] != "interface" or "." in words[1]:
        return False
    return interface_type(words[1]) in IOS_PHYSICAL_TYPES
