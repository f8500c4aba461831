"""ios.names: one table of interface types; which interface `no interface` may remove."""

from __future__ import annotations

import pytest

from iosgen.ios.names import (
    INTERFACE_TYPES,
    IOS_PHYSICAL_TYPES,
    Kind,
    canonical_name,
    exists_implicitly,
    factory_state,
    interface_sort_key,
    is_physical_port,
    is_removable,
    kind_of,
)
from iosgen.lint.checks.config import interface_key, is_builtin_interface


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Fa0/1", "FastEthernet0/1"),
        ("fastethernet 0/1", "FastEthernet0/1"),
        ("Gi0/0", "GigabitEthernet0/0"),
        ("g0/0", "GigabitEthernet0/0"),  # not ambiguous with Group-Async: rendered types first
        ("Se0/1/0", "Serial0/1/0"),
        ("BR0/0/0", "BRI0/0/0"),
        ("bri0/0/0", "BRI0/0/0"),
        ("AT0/0/0", "ATM0/0/0"),
        ("ATM0/0/0.1", "ATM0/0/0.1"),
        ("Di2", "Dialer2"),
        ("Lo0", "Loopback0"),
        ("Tu0", "Tunnel0"),
        ("Vi1", "Virtual-Access1"),
        ("Vt1", "Virtual-Template1"),
        ("virtual-template1", "Virtual-Template1"),
        ("Vl1", "Vlan1"),
        ("Nu0", "Null0"),
        ("Po1", "Port-channel1"),
        ("Mu1", "Multilink1"),
        ("As1", "Async1"),
        ("Cellular0/0/0", "Cellular0/0/0"),
        ("Wlan-GigabitEthernet0", "Wlan-GigabitEthernet0"),
        ("Dot11Radio0", "Dot11Radio0"),
        ("Serial0/0/0:0", "Serial0/0/0:0"),
        ("V1", None),  # Virtual-Template or Vlan: IOS says ambiguous
        ("Foo0", None),
        ("dhcp", None),
    ],
    ids=lambda v: str(v),
)
def test_canonical_name(typed: str, canonical: str | None) -> None:
    assert canonical_name(typed) == canonical


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("FastEthernet0/0", Kind.PORT),
        ("BRI0/0/0", Kind.PORT),
        ("ATM0/0/0", Kind.PORT),
        ("Serial0/1/0", Kind.PORT),
        ("Async1", Kind.PORT),
        ("FastEthernet0/0.50", Kind.LOGICAL),
        ("ATM0/0/0.1", Kind.LOGICAL),
        ("Dialer2", Kind.LOGICAL),
        ("Virtual-Template1", Kind.LOGICAL),
        ("Null0", Kind.BUILTIN),
        ("Foo0", None),
    ],
    ids=lambda v: str(v),
)
def test_kind_of(name: str, kind: Kind | None) -> None:
    assert kind_of(name) is kind


@pytest.mark.parametrize(
    ("line", "physical", "removable", "factory"),
    [
        ("interface BRI0/0/0", True, False, ("shutdown",)),
        ("interface ATM0/0/0", True, False, ("shutdown",)),
        ("interface Serial0/1/0", True, False, ("shutdown",)),
        ("interface FastEthernet0/0.50", False, True, None),
        ("interface ATM0/0/0.1 point-to-point", False, True, None),
        ("interface Dialer2", False, True, None),
        ("interface Null0", False, False, ()),
        ("ip route 0.0.0.0 0.0.0.0 Null0", False, False, None),
    ],
    ids=lambda v: str(v),
)
def test_what_no_interface_may_remove(
    line: str, physical: bool, removable: bool, factory: tuple[str, ...] | None
) -> None:
    assert is_physical_port(line) is physical
    assert is_removable(line) is removable
    assert factory_state(line) == factory


def test_the_table_names_each_type_and_short_name_once() -> None:
    names = [t.name.lower() for t in INTERFACE_TYPES]
    shorts = [t.short.lower() for t in INTERFACE_TYPES]
    assert len(set(names)) == len(names)
    assert len(set(shorts)) == len(shorts)
    # each short name and each full name comes back to its own type
    for t in INTERFACE_TYPES:
        assert canonical_name(f"{t.short}1") == f"{t.name}1", t
        assert canonical_name(f"{t.name.upper()}1") == f"{t.name}1", t
    assert {"FastEthernet", "Serial", "BRI", "ATM"} <= IOS_PHYSICAL_TYPES
    assert not {"Null", "Dialer", "Virtual-Template"} & IOS_PHYSICAL_TYPES


@pytest.mark.parametrize(
    ("name", "key", "builtin"),
    [
        ("Null0", "null0", True),
        ("Virtual-Access1", "virtual-access1", True),
        ("Dialer 2", "dialer2", False),
        ("Fa0/0.10", "fastethernet0/0.10", False),
    ],
    ids=lambda v: str(v),
)
def test_lint_reads_the_same_table(name: str, key: str, builtin: bool) -> None:
    assert interface_key(name) == key
    assert is_builtin_interface(key) is builtin
    assert exists_implicitly(name) is builtin


def test_sort_order_keeps_the_print_order_of_rendered_types() -> None:
    names = ["Dialer2", "FastEthernet0/1", "Virtual-Template1", "Loopback0", "FastEthernet0/0"]
    assert sorted(names, key=interface_sort_key) == [
        "Loopback0",
        "FastEthernet0/0",
        "FastEthernet0/1",
        "Virtual-Template1",
        "Dialer2",
    ]
