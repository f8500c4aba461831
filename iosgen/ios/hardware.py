"""Hardware profiles: which interfaces a Cisco branch router has, and its IOS image.

Data, not logic: each chassis lists its onboard ports and its interface-card
slots, each module what ports it adds. A module in slot `0/S` names its ports
`<type>0/S/<port>` (the ISR's slot/subslot/port scheme), so a HWIC-4ESW in
slot 0/1 of a 2801 gives FastEthernet0/1/0-3. Facts and their sources are in
docs/hardware.md. The simulator keeps its own table (iosgen/sim), on purpose.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Module(NamedTuple):
    kind: str  # "HWIC" (needs a HWIC slot) or "WIC" (fits any data slot)
    ports: tuple[tuple[str, int], ...]  # (interface type, how many)
    switch: bool = False  # layer-2 ports: the address goes on a Vlan interface


class Chassis(NamedTuple):
    routed: tuple[str, ...]  # onboard layer-3 ports
    switch_ports: tuple[str, ...] = ()  # onboard layer-2 ports (Vlan1 holds the address)
    hwic_slots: tuple[str, ...] = ()  # slots taking HWICs and WICs
    wic_slots: tuple[str, ...] = ()  # slots taking WICs only


def _fa(*numbers: int) -> tuple[str, ...]:
    return tuple(f"FastEthernet{n}" for n in numbers)


CHASSIS: dict[str, Chassis] = {
    # Fixed 800s: a 4-port switch (FastEthernet0-3) and the WAN port.
    "871": Chassis(routed=_fa(4), switch_ports=_fa(0, 1, 2, 3)),
    "877": Chassis(routed=("ATM0",), switch_ports=_fa(0, 1, 2, 3)),
    "878": Chassis(routed=("ATM0", "BRI0"), switch_ports=_fa(0, 1, 2, 3)),
    "881": Chassis(routed=_fa(4), switch_ports=_fa(0, 1, 2, 3)),
    # Fixed 1800s: an 8-port switch (FastEthernet2-9) beside the WAN ports.
    "1801": Chassis(routed=("ATM0", "BRI0", "FastEthernet0"), switch_ports=_fa(*range(2, 10))),
    "1811": Chassis(routed=_fa(0, 1), switch_ports=_fa(*range(2, 10))),
    "1812": Chassis(routed=("BRI0", *_fa(0, 1)), switch_ports=_fa(*range(2, 10))),
    # Modular ISRs: two onboard ports in slot 0, interface cards in 0/0, 0/1, ...
    "1841": Chassis(routed=("FastEthernet0/0", "FastEthernet0/1"), hwic_slots=("0/0", "0/1")),
    # 2801: slots 0 and 1 take HWICs, slot 2 WICs; slot 3 is for voice cards only.
    "2801": Chassis(
        routed=("FastEthernet0/0", "FastEthernet0/1"), hwic_slots=("0/0", "0/1"), wic_slots=("0/2",)
    ),
    "2811": Chassis(
        routed=("FastEthernet0/0", "FastEthernet0/1"), hwic_slots=("0/0", "0/1", "0/2", "0/3")
    ),
    "2821": Chassis(
        routed=("GigabitEthernet0/0", "GigabitEthernet0/1"), hwic_slots=("0/0", "0/1", "0/2", "0/3")
    ),
    "2851": Chassis(
        routed=("GigabitEthernet0/0", "GigabitEthernet0/1"), hwic_slots=("0/0", "0/1", "0/2", "0/3")
    ),
}

MODULES: dict[str, Module] = {
    "HWIC-4ESW": Module("HWIC", (("FastEthernet", 4),), switch=True),
    "HWIC-D-9ESW": Module("HWIC", (("FastEthernet", 9),), switch=True),
    "HWIC-1FE": Module("HWIC", (("FastEthernet", 1),)),
    "HWIC-2FE": Module("HWIC", (("FastEthernet", 2),)),
    "HWIC-1GE-SFP": Module("HWIC", (("GigabitEthernet", 1),)),
    "HWIC-2T": Module("HWIC", (("Serial", 2),)),
    "HWIC-4T": Module("HWIC", (("Serial", 4),)),
    "HWIC-1ADSL": Module("HWIC", (("ATM", 1),)),
    "HWIC-ADSL-B/ST": Module("HWIC", (("ATM", 1), ("BRI", 1))),
    "HWIC-1ADSLI": Module("HWIC", (("ATM", 1),)),
    "WIC-1ENET": Module("WIC", (("Ethernet", 1),)),
    "WIC-1T": Module("WIC", (("Serial", 1),)),
    "WIC-2T": Module("WIC", (("Serial", 2),)),
    "WIC-2A/S": Module("WIC", (("Serial", 2),)),
    "WIC-1B-S/T": Module("WIC", (("BRI", 1),)),
    "WIC-1B-S/T-V3": Module("WIC", (("BRI", 1),)),
    "WIC-1ADSL": Module("WIC", (("ATM", 1),)),
    "WIC-1SHDSL-V3": Module("WIC", (("ATM", 1),)),
}

# Logical interfaces every image here has, with the numbers IOS takes.
LOGICAL: dict[str, tuple[int, int]] = {
    "Loopback": (0, 2147483647),
    "Tunnel": (0, 2147483647),
    "Dialer": (0, 255),
    "Virtual-Template": (1, 200),
}
VLAN_RANGE = (1, 1001)  # normal-range VLANs (1002-1005 are reserved)
SUBINTERFACE_TYPES = frozenset({"FastEthernet", "GigabitEthernet", "Ethernet", "ATM"})


class Ports(NamedTuple):
    """The interfaces one router has, by canonical name."""

    routed: frozenset[str]
    switch_ports: frozenset[str]
    vlans: bool

    def problem(self, name: str) -> str:
        """Why this router cannot take an address on `name`; '' when it can."""
        base, _, sub = name.partition(".")
        if base in self.switch_ports:
            where = "interface Vlan1 (or another VlanN)" if not sub else "a Vlan interface"
            return f"{name} is a switch port (layer 2): put the address on {where}"
        if base in self.routed:
            kind = _TYPE_RE.match(base)
            if sub and (kind is None or kind["type"] not in SUBINTERFACE_TYPES):
                return f"{base} takes no subinterfaces"
            if sub and not 1 <= int(sub) <= 4294967295:
                return f"subinterface number {sub} is outside 1-4294967295"
            return ""
        match = _TYPE_RE.match(name)
        if match and match["type"] in LOGICAL and "/" not in match["num"] and not sub:
            low, high = LOGICAL[match["type"]]
            if low <= int(match["num"]) <= high:
                return ""
            return f"{match['type']} numbers are {low}-{high}"
        if match and match["type"] == "Vlan" and self.vlans and not sub:
            if VLAN_RANGE[0] <= int(match["num"]) <= VLAN_RANGE[1]:
                return ""
            return f"Vlan numbers are {VLAN_RANGE[0]}-{VLAN_RANGE[1]}"
        return f"this router has no {name} (it has {self.describe()})"

    def describe(self) -> str:
        logical = ", ".join(f"{t}{lo}-{hi}" for t, (lo, hi) in LOGICAL.items())
        vlans = f", Vlan{VLAN_RANGE[0]}-{VLAN_RANGE[1]}" if self.vlans else ""
        switch = ", ".join(sorted(self.switch_ports, key=_port_key))
        switch = f"; switch ports {switch}" if switch else ""
        return f"{', '.join(sorted(self.routed, key=_port_key))}{switch}; {logical}{vlans}"


_TYPE_RE = re.compile(r"^(?P<type>[A-Za-z-]+)(?P<num>[0-9]+(?:/[0-9]+)*)$", re.ASCII)


def _port_key(name: str) -> tuple[str, tuple[int, ...]]:
    match = _TYPE_RE.match(name)
    if not match:
        return (name, ())
    return (match["type"], tuple(int(n) for n in match["num"].split("/")))


def hardware_problems(model: str, modules: dict[str, str]) -> list[tuple[tuple[str, ...], str]]:
    """Unknown chassis, unknown modules, modules in slots the chassis lacks."""
    chassis = CHASSIS.get(model)
    if chassis is None:
        return [(("model",), f"unknown model {model!r} (known: {', '.join(CHASSIS)})")]
    problems: list[tuple[tuple[str, ...], str]] = []
    for slot, name in modules.items():
        module = MODULES.get(name)
        slots = chassis.hwic_slots + chassis.wic_slots
        if module is None:
            known = ", ".join(sorted(MODULES))
            problems.append((("modules", slot), f"unknown module {name!r} (known: {known})"))
        elif slot not in slots:
            have = ", ".join(slots) or "none"
            problems.append(
                (
                    ("modules", slot),
                    f"a {model} has no slot {slot} for data interface cards (slots: {have})",
                )
            )
        elif module.kind == "HWIC" and slot not in chassis.hwic_slots:
            problems.append(
                (
                    ("modules", slot),
                    f"{name} needs a HWIC slot; on a {model} those are "
                    f"{', '.join(chassis.hwic_slots) or 'none'}",
                )
            )
    return problems


def ports_of(model: str, modules: dict[str, str]) -> Ports | None:
    """The router's interfaces; None when the profile itself is wrong."""
    chassis = CHASSIS.get(model)
    if chassis is None or hardware_problems(model, modules):
        return None
    routed = set(chassis.routed)
    switch = set(chassis.switch_ports)
    for slot, name in modules.items():
        module = MODULES[name]
        for kind, count in module.ports:
            names = {f"{kind}{slot}/{port}" for port in range(count)}
            (switch if module.switch else routed).update(names)
    return Ports(frozenset(routed), frozenset(switch), vlans=bool(switch))


# --- the IOS image ------------------------------------------------------------------------

# `12.4(25d)`, `12.4(15)T7`, `12.3(8)T4`, `12.4(24)T5`, `15.1(4)M10`, `12.4(11)XJ4`:
# major.minor(release[rebuild letter])[train letters[rebuild number]].
_IMAGE_RE = re.compile(
    r"^(?P<major>[0-9]{2})\.(?P<minor>[0-9])\((?P<release>[0-9]{1,3})(?P<rebuild>[a-z]?)\)"
    r"(?P<train>[A-Z]{0,3})(?P<train_rebuild>[0-9]{0,2})$",
    re.ASCII,
)


class Image(NamedTuple):
    major: int
    minor: int
    release: int
    train: str  # "" for a mainline image (12.4(25d)), else "T", "M", "XJ", "SRC"...
    rebuild: str = ""  # the letter of `12.4(25d)`

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}({self.release}{self.rebuild}){self.train}"


def parse_image(text: str) -> Image | None:
    """`12.4(24)T5` -> Image(12, 4, 24, "T"); None if it is not an IOS version string.

    >>> parse_image("12.4(25d)")
    Image(major=12, minor=4, release=25, train='', rebuild='d')
    """
    match = _IMAGE_RE.match(text)
    if not match:
        return None
    return Image(
        int(match["major"]),
        int(match["minor"]),
        int(match["release"]),
        match["train"],
        match["rebuild"],
    )


FEATURE_SETS = frozenset(
    {
        "ipbase",
        "ipbasek9",
        "advsecurityk9",
        "advipservicesk9",
        "adventerprisek9",
        "spservicesk9",
        "entbasek9",
        "entservicesk9",
        "ipvoicek9",
        "broadband",
        "ipvoice",
        "advipservices",
        "adventerprise",
        "spservices",
        "universalk9",
    }
)
