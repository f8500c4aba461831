"""What each simulated chassis has: its onboard ports, its module slots, what modules add.

The simulator's own table (sources in docs/simulator.md, "Hardware"): Cisco's data
sheets and hardware installation guides for the 870/880, 1800 and 2800 ISRs and
the HWIC/WIC interface cards. A slot is named as IOS numbers its ports: a card
in HWIC slot 1 of a 2801 gives ports 0/1/0, 0/1/1 ..., the onboard ports are 0/0
and 0/1. Interface types not listed here (Loopback, Tunnel, Dialer,
Virtual-Template) are logical and exist on every model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property


@dataclass(frozen=True)
class Chassis:
    family: str  # the image family, as in the image file name (c2801-..., c2800nm-...)
    software: str  # what `show version` calls the software ("2801 Software")
    ports: tuple[str, ...]  # onboard interfaces
    switch_ports: tuple[str, ...]  # onboard layer-2 switch ports (a Vlan1 comes with them)
    slots: tuple[str, ...]  # HWIC/WIC slots ("0/0" ...)
    vpn_module: bool  # onboard hardware encryption, which `show version` lists


def _fe(*numbers: str) -> tuple[str, ...]:
    return tuple(f"FastEthernet{n}" for n in numbers)


_SW4 = _fe("0", "1", "2", "3")
CHASSIS: dict[str, Chassis] = {
    # 870: four switch ports FastEthernet0-3 and a WAN port (Ethernet or DSL)
    "871": Chassis("c870", "C870 Software", (*_SW4, "FastEthernet4"), _SW4, (), False),
    "877": Chassis("c870", "C870 Software", ("ATM0", *_SW4), _SW4, (), False),
    "878": Chassis("c870", "C870 Software", ("ATM0", "BRI0", *_SW4), _SW4, (), False),
    "881": Chassis("c880data", "C880 Software", (*_SW4, "FastEthernet4"), _SW4, (), False),
    # 1800 fixed: WAN FastEthernet0 (and 1), an 8-port switch FastEthernet2-9
    "1801": Chassis(
        "c180x",
        "C180X Software",
        ("ATM0", "BRI0", "FastEthernet0", *_fe(*map(str, range(2, 10)))),
        _fe(*map(str, range(2, 10))),
        (),
        True,
    ),
    "1811": Chassis(
        "c181x",
        "C181X Software",
        _fe(*map(str, range(10))),
        _fe(*map(str, range(2, 10))),
        (),
        True,
    ),
    "1812": Chassis(
        "c181x",
        "C181X Software",
        ("BRI0", *_fe(*map(str, range(10)))),
        _fe(*map(str, range(2, 10))),
        (),
        True,
    ),
    # modular ISRs: two onboard routed ports, HWIC/WIC slots in slot 0
    "1841": Chassis("c1841", "1841 Software", _fe("0/0", "0/1"), (), ("0/0", "0/1"), True),
    "2801": Chassis(
        "c2801", "2801 Software", _fe("0/0", "0/1"), (), ("0/0", "0/1", "0/2", "0/3"), True
    ),
    "2811": Chassis(
        "c2800nm", "2800 Software", _fe("0/0", "0/1"), (), ("0/0", "0/1", "0/2", "0/3"), True
    ),
    "2821": Chassis(
        "c2800nm",
        "2800 Software",
        ("GigabitEthernet0/0", "GigabitEthernet0/1"),
        (),
        ("0/0", "0/1", "0/2", "0/3"),
        True,
    ),
    "2851": Chassis(
        "c2800nm",
        "2800 Software",
        ("GigabitEthernet0/0", "GigabitEthernet0/1"),
        (),
        ("0/0", "0/1", "0/2", "0/3"),
        True,
    ),
}

# module -> (interface type, port count, layer-2 switch ports?) entries; the ports
# are TYPE<slot>/0, TYPE<slot>/1 ...
MODULES: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "HWIC-4ESW": (("FastEthernet", 4, True),),
    "HWIC-D-9ESW": (("FastEthernet", 9, True),),
    "HWIC-1FE": (("FastEthernet", 1, False),),
    "HWIC-2FE": (("FastEthernet", 2, False),),
    "WIC-1T": (("Serial", 1, False),),
    "WIC-2T": (("Serial", 2, False),),
    "WIC-2A/S": (("Serial", 2, False),),
    "HWIC-1T": (("Serial", 1, False),),
    "HWIC-2T": (("Serial", 2, False),),
    "HWIC-4T": (("Serial", 4, False),),
    "HWIC-ADSL-B/ST": (("ATM", 1, False), ("BRI", 1, False)),
    "HWIC-ADSLI-B/ST": (("ATM", 1, False), ("BRI", 1, False)),
    "HWIC-1ADSL": (("ATM", 1, False),),
    "HWIC-1ADSLI": (("ATM", 1, False),),
    "WIC-1ADSL": (("ATM", 1, False),),
    "WIC-1B-S/T": (("BRI", 1, False),),
    "WIC-1B-S/T-V3": (("BRI", 1, False),),
}
# The 2801's slot 0/2 takes voice cards (VIC/VWIC) only: no data module fits there.
VOICE_ONLY_SLOTS: dict[str, tuple[str, ...]] = {"2801": ("0/2",)}

# Interface types whose names are fixed by the hardware, in the order IOS resolves an
# abbreviation among them (`f` FastEthernet, `g` GigabitEthernet, `s` Serial ...).
PHYSICAL_TYPES = ("ATM", "BRI", "FastEthernet", "GigabitEthernet", "Serial")


@dataclass(frozen=True)
class Hardware:
    """One router's hardware: every physical interface it has."""

    model: str
    modules: tuple[tuple[str, str], ...]
    chassis: Chassis
    ports: tuple[str, ...]
    switch_ports: frozenset[str]

    @cached_property
    def types(self) -> frozenset[str]:
        """The interface types this router knows: its physical ones, the logical ones,
        and Vlan where it has switch ports."""
        found = {t for t in PHYSICAL_TYPES for p in self.ports if p.startswith(t) and _num(p, t)}
        found |= {"Loopback", "Tunnel", "Dialer", "Virtual-Template"}
        if self.switch_ports:
            found.add("Vlan")
        return frozenset(found)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.ports:
            for t in PHYSICAL_TYPES:
                if p.startswith(t) and _num(p, t):
                    out[t] = out.get(t, 0) + 1
        return out


def _num(name: str, typ: str) -> bool:
    rest = name[len(typ) :]
    return bool(rest) and rest[0].isdigit()


@cache
def profile(model: str, modules: tuple[tuple[str, str], ...] = ()) -> Hardware:
    """The hardware of `model` with `modules` fitted; ValueError for what cannot be."""
    chassis = CHASSIS.get(model)
    if chassis is None:
        raise ValueError(f"unknown router model {model!r} (known: {', '.join(CHASSIS)})")
    ports = list(chassis.ports)
    switch = set(chassis.switch_ports)
    seen: set[str] = set()
    for slot, module in modules:
        if slot not in chassis.slots or slot in VOICE_ONLY_SLOTS.get(model, ()):
            raise ValueError(f"{model}: no data module slot {slot!r} (slots: {_list(chassis)})")
        if slot in seen:
            raise ValueError(f"{model}: two modules in slot {slot}")
        seen.add(slot)
        parts = MODULES.get(module)
        if parts is None:
            raise ValueError(f"unknown module {module!r} (known: {', '.join(MODULES)})")
        for typ, count, l2 in parts:
            for n in range(count):
                name = f"{typ}{slot}/{n}"
                ports.append(name)
                if l2:
                    switch.add(name)
    return Hardware(model, modules, chassis, tuple(ports), frozenset(switch))


def _list(chassis: Chassis) -> str:
    return ", ".join(chassis.slots) or "none"


DEFAULT = profile("2801")


def image_file(hw: Hardware, version: str, feature_set: str) -> str:
    """The image name on flash: c2801-advipservicesk9-mz.124-25d.bin for 12.4(25d)."""
    return f"{hw.chassis.family}-{feature_set}-mz.{_version_tag(version)}.bin"


def _version_tag(version: str) -> str:
    # "12.4(25d)" -> "124-25d", "12.4(24)T" -> "124-24.T"
    major, _, rest = version.partition("(")
    number, _, train = rest.partition(")")
    tag = major.replace(".", "") + "-" + number
    return f"{tag}.{train}" if train else tag


def modules_of(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Modules in slot order, as RouterSpec holds them."""
    return tuple(sorted(pairs))
