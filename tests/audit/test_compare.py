"""The semantic comparison: what is drift, what is cosmetic, what is the same secret."""

from __future__ import annotations

from typing import Any

import pytest

from iosgen.diff.audit import audit_text
from iosgen.diff.compare import SecretBook, compare
from iosgen.ios.config import parse
from iosgen.ios.passwords import type7_encode
from iosgen.ios.secrets import redact
from tests.audit.anchors import NETOPS_CLEAR, base

BOOK = SecretBook({"username netops": NETOPS_CLEAR})


def buckets(intended: str, running: str) -> dict[str, list[str]]:
    return compare(parse(intended), parse(running), BOOK).drift.as_dict()


HEADER = """\
Building configuration...

Current configuration : 1449 bytes
!
! Last configuration change at 10:14:03 UTC Thu Nov 26 2026 by netops
! NVRAM config last updated at 10:14:05 UTC Thu Nov 26 2026 by netops
!
version 12.4
boot-start-marker
boot-end-marker
!
!
!
"""


def test_volatile_lines_and_separators_are_ignored() -> None:
    running = HEADER + base().replace("line vty 0 4", "ntp clock-period 17179866\nline vty 0 4")
    running = running.replace(" description WAN\n", " description WAN   \n!\n!\n")
    running = running.replace("\n", "\r\n") + "\r\n\r\n"
    assert buckets(base(), running) == {"real": [], "cosmetic": [], "secret_only": []}


def test_lines_in_another_order_are_cosmetic() -> None:
    running = base().replace(
        " mtu 1460\n ip address negotiated\n", " ip address negotiated\n mtu 1460\n"
    )
    running = running.replace(
        " match ip address 10\n match interface Dialer2",
        " match interface Dialer2\n match ip address 10",
    )
    result = audit_text("R-ITD", base(), running, BOOK)
    assert result.status == "in_sync"
    assert result.drift.as_dict()["cosmetic"] == [
        "~ interface Dialer2 (lines in another order)",
        "~ route-map VPN permit 10 (lines in another order)",
    ]
    assert result.remediation.lines() == []


def test_global_sections_moved_are_cosmetic() -> None:
    running = base().replace("dialer-list 2 protocol ip permit\n", "")
    running = running.replace(
        "hostname R-ITD\n", "hostname R-ITD\ndialer-list 2 protocol ip permit\n"
    )
    assert buckets(base(), running) == {
        "real": [],
        "cosmetic": ["~ global (lines in another order)"],
        "secret_only": [],
    }


@pytest.mark.parametrize(
    ("where", "extra"),
    [
        (" ip nat inside\n", " ip nat inside\n ip virtual-reassembly\n"),
        (" description LAN\n", " description LAN\n duplex auto\n speed auto\n"),
    ],
    ids=["virtual-reassembly-with-nat", "fastethernet-duplex-speed"],
)
def test_lines_ios_adds_by_itself_are_not_drift(where: str, extra: str) -> None:
    intended = (
        base().replace(" ip virtual-reassembly\n", "").replace(" duplex auto\n speed auto\n", "")
    )
    running = intended.replace(where, extra, 1)
    assert buckets(intended, running)["real"] == []


def test_unused_port_prints_no_ip_address() -> None:
    intended = base().replace(" ip address 192.168.10.1 255.255.255.0\n", "")
    running = base().replace(" ip address 192.168.10.1 255.255.255.0\n", " no ip address\n")
    assert buckets(intended, running)["real"] == []


def test_virtual_reassembly_without_nat_is_drift() -> None:
    running = (
        base()
        .replace(" mtu 1460\n", " mtu 1460\n")
        .replace(" description WAN\n", " description WAN\n")
    )
    intended = running.replace(" ip nat inside\n ip virtual-reassembly\n", "")
    assert buckets(intended, running)["real"] == [
        "- interface FastEthernet0/1 > ip nat inside",
        "- interface FastEthernet0/1 > ip virtual-reassembly",
    ]


def test_missing_and_extra_blocks_are_one_item_each() -> None:
    running = base().replace(
        "line vty 0 4", "interface Loopback0\n ip address 10.0.0.1 255.255.255.255\nline vty 0 4"
    )
    intended = base().replace(
        "route-map VPN permit 10\n match ip address 10\n match interface Dialer2\n", ""
    )
    assert buckets(intended, running)["real"] == [
        "- route-map VPN permit 10 (3 lines)",
        "- interface Loopback0 (2 lines)",
    ]


def test_redacted_backup_secrets_are_not_compared() -> None:
    result = audit_text("R-ITD", base(), redact(base()), BOOK)
    assert result.status == "in_sync"
    assert result.drift.as_dict()["secret_only"] == [
        "= username netops privilege 15 secret 5 <redacted> "
        "(redacted in the saved config, not compared)",
        "= interface Dialer2 > ppp chap password 7 <redacted> "
        "(redacted in the saved config, not compared)",
    ]


def test_drift_items_mask_secrets_unless_asked() -> None:
    running = base().replace("0123035155", "121A0C041104")  # "cisco": another password
    result = audit_text("R-ITD", base(), running, BOOK)
    assert result.drift.as_dict()["real"] == [
        "- interface Dialer2 > ppp chap password 7 <redacted>",
        "+ interface Dialer2 > ppp chap password 7 <redacted>",
    ]
    assert "121A0C041104" in str(result.drift.as_dict(show_secrets=True))
    assert "121A0C041104" not in repr(result)


def test_remediation_repr_is_masked() -> None:
    running = base().replace("0123035155", "121A0C041104")
    result = audit_text("R-ITD", base(), running, BOOK)
    assert "0123035155" in result.remediation.lines(show_secrets=True)[1]
    assert "0123035155" not in repr(result.remediation)


def test_enable_secret_is_verified_against_the_model() -> None:
    from iosgen.ios.passwords import md5_crypt

    intended = base().replace(
        "hostname R-ITD\n", f"hostname R-ITD\nenable secret 5 {md5_crypt('en', 'Nqw3')}\n"
    )
    book = SecretBook({"username netops": NETOPS_CLEAR, "enable": "en"})
    resalted = intended.replace(md5_crypt("en", "Nqw3"), md5_crypt("en", "zz9Q"))
    assert audit_text("R-ITD", intended, resalted, book).status == "in_sync"
    changed = intended.replace(md5_crypt("en", "Nqw3"), md5_crypt("other", "Nqw3"))
    result = audit_text("R-ITD", intended, changed, book)
    assert result.remediation.lines() == ["enable secret 5 <redacted>"]


def test_spacing_and_indentation_are_cosmetic() -> None:
    running = base().replace(" description WAN\n", " description  WAN\n")
    running = running.replace(" transport input ssh", "   transport input ssh")
    result = audit_text("R-ITD", base(), running, BOOK)
    assert result.status == "in_sync"
    assert result.drift.as_dict()["cosmetic"] == [
        "~ interface FastEthernet0/0 (1 line spaced or indented otherwise)",
        "~ line vty 0 4 (1 line spaced or indented otherwise)",
    ]


def test_route_map_content_follows_its_sequence_number() -> None:
    """Entries are evaluated by sequence number: content moved to another number is real."""
    two = (
        "route-map VPN permit 10\n match ip address 10\n match interface Dialer2\n!\n"
        "route-map VPN deny 20\n match ip address 99\n!\n"
    )
    swapped = (
        "route-map VPN permit 10\n match ip address 99\n!\n"
        "route-map VPN deny 20\n match ip address 10\n match interface Dialer2\n!\n"
    )
    old = "route-map VPN permit 10\n match ip address 10\n match interface Dialer2\n!\n"
    intended, running = base().replace(old, two), base().replace(old, swapped)
    assert len(buckets(intended, running)["real"]) == 6
    blocks_moved = base().replace(old, "").replace("hostname R-ITD\n", "hostname R-ITD\n" + two)
    assert buckets(base().replace(old, two), blocks_moved) == {
        "real": [],
        "cosmetic": ["~ global (lines in another order)"],
        "secret_only": [],
    }


def test_fast_path_agrees_with_the_full_comparison() -> None:
    """Equal significant lines (the common in-sync case) mean no drift in any bucket."""
    from iosgen.diff.compare import Drift
    from iosgen.ios.config import significant_lines

    running = HEADER + base().replace("\n!\n", "\n!\n!\n") + "\n\n"
    assert significant_lines(running) == significant_lines(base())
    assert compare(parse(base()), parse(running), BOOK).drift == Drift()
    assert audit_text("R-ITD", base(), running, BOOK).drift == Drift()


def test_a_reencoded_or_redacted_secret_is_not_also_cosmetic() -> None:
    """Issue 9 item 12: the secret's words differ, its spacing does not."""
    reencoded = base().replace("0123035155", type7_encode("Pe5n", 13))
    assert buckets(base(), reencoded) == {
        "real": [],
        "cosmetic": [],
        "secret_only": [
            "= interface Dialer2 > ppp chap password 7 <redacted> (same secret, another encoding)"
        ],
    }
    saved = buckets(base(), redact(base()))
    assert saved["real"] == [] and saved["cosmetic"] == []
    assert saved["secret_only"]
    # a secret line that is really indented otherwise still says so
    moved = reencoded.replace(" ppp chap password", " ppp chap  password")
    assert buckets(base(), moved)["cosmetic"] == [
        "~ interface Dialer2 (1 line spaced or indented otherwise)"
    ]


# --- interfaces the model does not name (ios.names) ----------------------------------------


def _with_section(text: str, section: str) -> str:
    """`section` (an `interface ...` block) printed before `interface Dialer2`."""
    return text.replace("!\ninterface Dialer2\n", f"!\n{section}!\ninterface Dialer2\n", 1)


@pytest.mark.parametrize(
    ("section", "remediation", "rollback"),
    [
        (
            "interface BRI0/0/0\n description spare\n no ip address\n",
            ["interface BRI0/0/0", " no description", " shutdown"],
            ["interface BRI0/0/0", " no shutdown", " description spare"],
        ),
        (
            # IOS prints the two ATM lines itself: only `shutdown` is missing
            "interface ATM0/0/0\n no ip address\n no atm ilmi-keepalive\n"
            " dsl operating-mode auto\n",
            ["interface ATM0/0/0", " shutdown"],
            ["interface ATM0/0/0", " no shutdown"],
        ),
        (
            "interface Serial0/1/0\n ip address 10.1.1.1 255.255.255.252\n",
            ["interface Serial0/1/0", " no ip address", " shutdown"],
            ["interface Serial0/1/0", " no shutdown", " ip address 10.1.1.1 255.255.255.252"],
        ),
    ],
    ids=["BRI", "ATM", "Serial"],
)
def test_a_spare_port_goes_to_factory_state_never_no_interface(
    section: str, remediation: list[str], rollback: list[str]
) -> None:
    """`no interface BRI0/0/0` is refused (`% Removal of physical interfaces is not
    permitted`) and the push would roll back: the port is shut and emptied instead."""
    result = audit_text("R-ITD", base(), _with_section(base(), section), BOOK)
    assert result.status == "drift"
    assert result.remediation.lines(show_secrets=True) == remediation
    assert result.rollback.lines(show_secrets=True) == rollback


def test_a_spare_port_already_shut_is_in_sync() -> None:
    running = _with_section(base(), "interface BRI0/0/0\n no ip address\n shutdown\n")
    assert audit_text("R-ITD", base(), running, BOOK).status == "in_sync"


@pytest.mark.parametrize(
    "section",
    [
        "interface FastEthernet0/0.50\n encapsulation dot1Q 50\n"
        " ip address 10.5.0.1 255.255.255.0\n",
        "interface ATM0/0/0.1 point-to-point\n pvc 8/35\n",
    ],
    ids=["FastEthernet0/0.50", "ATM0/0/0.1"],
)
def test_a_subinterface_the_model_does_not_name_is_removed(section: str) -> None:
    head = section.split("\n", 1)[0]
    result = audit_text("R-ITD", base(), _with_section(base(), section), BOOK)
    assert result.remediation.lines(show_secrets=True) == [f"no {head}"]
    assert result.rollback.lines(show_secrets=True) == section.rstrip("\n").split("\n")


@pytest.mark.parametrize(
    ("section", "remediation", "rollback"),
    [
        ("interface Null0\n", [], []),
        # `ip unreachables` is the default IOS does not print: typed to undo the `no`
        (
            "interface Null0\n no ip unreachables\n",
            ["interface Null0", " ip unreachables"],
            ["interface Null0", " no ip unreachables"],
        ),
    ],
    ids=["bare", "configured"],
)
def test_null0_is_never_removed(section: str, remediation: list[str], rollback: list[str]) -> None:
    """Null0 exists on every router (`ip route ... Null0`): compared as an empty section."""
    result = audit_text("R-ITD", base(), _with_section(base(), section), BOOK)
    assert result.remediation.lines(show_secrets=True) == remediation
    assert result.rollback.lines(show_secrets=True) == rollback


def test_spare_ports_converge_on_the_router(
    tmp_path_factory: pytest.TempPathFactory, sites: dict[str, Any], intended: dict[str, str]
) -> None:
    """Over SSH on a 2801 with an HWIC-ADSL-B/ST and an HWIC-2T: spare ports the model does
    not name, configured by hand, are shut in one push and come back with the rollback
    (the simulator refuses `no interface BRI0/0/0` as IOS does: send_config would raise)."""
    from iosgen.device.session import Device, DeviceOptions
    from iosgen.diff.audit import secret_book
    from iosgen.model.targets import resolve_targets
    from iosgen.sim import RouterSpec, SimFleet

    host = "R-ITD"
    site = sites[host]
    mgmt = site.management
    spec = RouterSpec(
        hostname=host,
        username=mgmt.username,
        password=mgmt.password.reveal(),
        enable_secret=mgmt.enable_secret.reveal() if mgmt.enable_secret else None,
        initial_config=intended[host],
        modules=(("0/0", "HWIC-ADSL-B/ST"), ("0/1", "HWIC-2T")),
    )
    book = secret_book(site)
    with SimFleet([spec], state_dir=tmp_path_factory.mktemp("sim-ports")) as fleet:
        router = fleet.router(host)
        target = resolve_targets([site], fleet.targets_file)[host]
        with Device(target, DeviceOptions(known_hosts=None)) as dev:
            dev.send_config(
                [
                    "interface BRI0/0/0",
                    " description spare",
                    "interface ATM0/0/0",
                    " no shutdown",
                    "interface Serial0/1/0",
                    " ip address 10.1.1.1 255.255.255.252",
                ]
            )
            before = dev.running_config()
            result = audit_text(host, intended[host], before, book)
            assert result.status == "drift"
            lines = result.remediation.lines(show_secrets=True)
            assert not [ln for ln in lines if ln.startswith("no interface")], lines
            dev.send_config(lines)
            after = audit_text(host, intended[host], dev.running_config(), book)
            assert after.status == "in_sync", after.drift.as_dict()
            dev.send_config(result.rollback.lines(show_secrets=True))
            back = audit_text(host, before, router.running_config(), book)
            assert back.status == "in_sync", back.drift.as_dict()


@pytest.mark.parametrize(
    "section",
    [
        "interface Embedded-Service-Engine0/0\n no ip address\n shutdown",
        "interface Integrated-Service-Engine1/0\n no ip address\n shutdown",
        # a type no table of iosgen knows: maybe hardware, so never `no interface`
        "interface Wlan-Controller1/0\n no ip address",
    ],
    ids=["embedded-service-engine", "integrated-service-engine", "unknown-type"],
)
def test_a_service_module_port_is_never_removed(section: str) -> None:
    """`no interface Embedded-Service-Engine0/0` is refused: `% Removal of physical
    interfaces is not permitted` (a 2901's running config, tests/realconfigs)."""
    from iosgen.diff.audit import audit_text

    intended = "hostname R\n!\ninterface FastEthernet0/0\n ip address 192.0.2.1 255.255.255.0\n"
    running = intended + "!\n" + section + "\n"
    result = audit_text("R", intended, running)
    lines = result.remediation.lines() if result.remediation is not None else []
    assert not any(line.startswith("no interface") for line in lines), lines


def test_an_abbreviated_interface_header_is_the_same_port() -> None:
    """A config saved as typed (`interface Fa0/1`) names the port IOS prints as
    `interface FastEthernet0/1`: in sync, not a second port to shut (found by review)."""
    from iosgen.diff.audit import audit_text

    intended = (
        "hostname R\n!\ninterface FastEthernet0/1\n description LAN\n"
        " ip address 192.168.10.1 255.255.255.0\n"
    )
    running = intended.replace("interface FastEthernet0/1", "interface Fa0/1")
    assert audit_text("R", intended, running).status == "in_sync"
    moved = running.replace("192.168.10.1", "192.168.10.2")
    result = audit_text("R", intended, moved)
    assert result.remediation is not None
    lines = result.remediation.lines()
    assert lines == ["interface FastEthernet0/1", " ip address 192.168.10.1 255.255.255.0"], lines
