"""Remediation rules, each anchored on a concrete running/intended pair of the seed's router."""

from __future__ import annotations

from typing import Any

import pytest

from iosgen.diff.audit import AuditResult, audit_text
from iosgen.diff.compare import SecretBook
from iosgen.diff.remediation import remediate
from iosgen.ios.config import parse
from iosgen.ios.passwords import type7_encode
from tests.audit.anchors import CHAP_CLEAR, NETOPS_CLEAR, base, without_block

BOOK = SecretBook({"username netops": NETOPS_CLEAR})


def fix(intended: str, running: str) -> AuditResult:
    return audit_text("R-ITD", intended, running, BOOK)


def before(lines: list[str], first: str, second: str) -> bool:
    return lines.index(first) < lines.index(second)


def test_numbered_acl_entry_change_rewrites_the_whole_list() -> None:
    """`no access-list 10 permit 10.9.0.0 0.0.255.255` would delete all of list 10."""
    intended = base().replace(
        "access-list 10 permit 192.168.10.0 0.0.0.255",
        "access-list 10 permit 192.168.10.0 0.0.0.255\n"
        "access-list 10 permit 192.168.11.0 0.0.0.255",
    )
    running = intended.replace(
        "access-list 10 permit 192.168.11.0",
        "access-list 10 permit 10.9.0.0 0.0.255.255\naccess-list 10 permit 192.168.11.0",
    )
    result = fix(intended, running)
    assert result.remediation.lines() == [
        "no access-list 10",
        "access-list 10 permit 192.168.10.0 0.0.0.255",
        "access-list 10 permit 192.168.11.0 0.0.0.255",
    ]
    assert result.rollback.lines() == [
        "no access-list 10",
        "access-list 10 permit 192.168.10.0 0.0.0.255",
        "access-list 10 permit 10.9.0.0 0.0.255.255",
        "access-list 10 permit 192.168.11.0 0.0.0.255",
    ]


def test_numbered_acl_reordered_is_real_drift_and_rewritten() -> None:
    two = "access-list 10 permit 192.168.10.0 0.0.0.255\naccess-list 10 deny any"
    intended = base().replace("access-list 10 permit 192.168.10.0 0.0.0.255", two)
    running = base().replace(
        "access-list 10 permit 192.168.10.0 0.0.0.255",
        "access-list 10 deny any\naccess-list 10 permit 192.168.10.0 0.0.0.255",
    )
    result = fix(intended, running)
    assert result.status == "drift"
    assert [i.render() for i in result.drift.real] == [
        "~ access-list 10 (entries in another order)"
    ]
    assert result.remediation.lines() == ["no access-list 10", *two.splitlines()]


def test_acl_swap_under_a_nat_route_map_creates_first_and_deletes_last() -> None:
    """hier_config deletes ACL 10 while the NAT route-maps still match it."""
    intended = (
        base()
        .replace(
            "access-list 10 permit 192.168.10.0 0.0.0.255",
            "access-list 101 permit ip 192.168.10.0 0.0.0.255 any",
        )
        .replace(" match ip address 10\n", " match ip address 101\n")
    )
    lines = fix(intended, base()).remediation.lines()
    assert lines[0] == "access-list 101 permit ip 192.168.10.0 0.0.0.255 any"
    assert lines[-1] == "no access-list 10"
    for route_map in ("route-map INTERNET permit 10", "route-map VPN permit 10"):
        at = lines.index(route_map)
        # the new list is matched before the old one is taken out: never match-all
        assert lines[at + 1 : at + 3] == [" match ip address 101", " no match ip address 10"]
    rollback = fix(intended, base()).rollback.lines()
    assert rollback[0] == "access-list 10 permit 192.168.10.0 0.0.0.255"
    assert rollback[-1] == "no access-list 101"


def test_dialer_removed_while_nat_points_at_it() -> None:
    """References go first (`no ip nat ... Dialer2`), the interface after them."""
    running = base()
    intended = without_block(without_block(running, "interface Dialer2"), "route-map VPN permit 10")
    for line in (
        "ip route 10.10.0.0 255.255.0.0 Dialer2\n",
        "ip nat inside source route-map VPN interface Dialer2 overload\n",
        "dialer-list 2 protocol ip permit\n",
    ):
        intended = intended.replace(line, "")
    result = fix(intended, running)
    lines = result.remediation.lines()
    assert sorted(lines) == sorted(
        [
            "no interface Dialer2",
            "no ip route 10.10.0.0 255.255.0.0 Dialer2",
            "no ip nat inside source route-map VPN interface Dialer2 overload",
            "no dialer-list 2 protocol ip permit",
            "no route-map VPN permit 10",
        ]
    )
    nat = "no ip nat inside source route-map VPN interface Dialer2 overload"
    assert before(lines, nat, "no interface Dialer2")
    assert before(lines, nat, "no route-map VPN permit 10")
    assert before(lines, "no ip route 10.10.0.0 255.255.0.0 Dialer2", "no interface Dialer2")
    assert before(lines, "no route-map VPN permit 10", "no interface Dialer2")
    assert before(lines, "no interface Dialer2", "no dialer-list 2 protocol ip permit")
    # and the rollback re-creates in the opposite order (hier_config removes Dialer2 first)
    back = result.rollback.lines()
    nat_add = "ip nat inside source route-map VPN interface Dialer2 overload"
    assert before(back, "dialer-list 2 protocol ip permit", "interface Dialer2")
    assert before(back, "interface Dialer2", nat_add)
    assert before(back, "route-map VPN permit 10", nat_add)
    assert before(back, "interface Dialer2", "ip route 10.10.0.0 255.255.0.0 Dialer2")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (" ppp chap password 7 0123035155", f" ppp chap password 7 {type7_encode('other', 3)}"),
        (" description LAN", " description old LAN"),
        (" ip address 192.168.10.1 255.255.255.0", " ip address 192.168.99.1 255.255.255.0"),
        (" mtu 1460", " mtu 1400"),
        (" ppp encrypt mppe auto", " ppp encrypt mppe 128"),
        (" ip nat inside\n", " ip nat outside\n"),
        (" ip address 192.168.10.1 255.255.255.0", " ip unnumbered FastEthernet0/0"),
        (" ppp chap hostname plovdiv", " ppp chap hostname other"),
    ],
    ids=[
        "chap-password",
        "description",
        "ip-address",
        "mtu",
        "mppe",
        "nat-side",
        "unnumbered",
        "chap-hostname",
    ],
)
def test_single_value_commands_are_replaced_in_one_line(old: str, new: str) -> None:
    """`no ppp encrypt mppe auto` first would drop the live tunnel for nothing."""
    intended = base()
    result = fix(intended, intended.replace(old, new, 1))
    lines = result.remediation.lines(show_secrets=True)
    assert len(lines) == 2 and lines[1] == old.rstrip("\n")
    assert not any(line.strip().startswith("no ") for line in lines)
    assert not any(line.strip().startswith("no ") for line in result.rollback.lines())


def test_type7_reencryption_is_not_drift() -> None:
    """IOS re-salts type 7 on every write: 0123035155 and 13... are both `Pe5n`."""
    intended = base()
    other = type7_encode(CHAP_CLEAR, 13)
    assert other != "0123035155"
    result = fix(intended, intended.replace("0123035155", other))
    assert result.status == "in_sync"
    assert result.remediation.lines() == []
    assert [i.render() for i in result.drift.secret_only] == [
        "= interface Dialer2 > ppp chap password 7 <redacted> (same secret, another encoding)"
    ]
    clear = fix(intended, intended.replace("7 0123035155", f"0 {CHAP_CLEAR}"))
    assert clear.status == "in_sync" and len(clear.drift.secret_only) == 1


def test_type5_is_checked_against_the_model_clear_text() -> None:
    from tests.audit.anchors import NETOPS_OTHER_SALT

    intended = base()
    resalted = intended.replace(base().split("secret 5 ")[1].split("\n")[0], NETOPS_OTHER_SALT)
    assert fix(intended, resalted).status == "in_sync"
    # without the clear text, two hashes can only be compared as text
    unknown = audit_text("R-ITD", intended, resalted, SecretBook())
    assert unknown.status == "drift"
    wrong = intended.replace(
        "secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.", "secret 5 $1$abcd$xxxxxxxxxxxxxxxxxxxxxx"
    )
    result = fix(intended, wrong)
    assert result.status == "drift"
    assert result.remediation.lines() == ["username netops privilege 15 secret 5 <redacted>"]
    assert result.remediation.lines(show_secrets=True) == [
        "username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i."
    ]


def test_no_shutdown_in_intended_is_never_drift() -> None:
    intended = base().replace(" description LAN\n", " description LAN\n no shutdown\n")
    assert fix(intended, base()).status == "in_sync"
    shut = base().replace(" description LAN\n", " description LAN\n shutdown\n")
    assert fix(intended, shut).remediation.lines() == ["interface FastEthernet0/1", " no shutdown"]


def test_banner_added_replaced_and_removed() -> None:
    banner = "banner motd ^C\nAuthorized access only\n^C\n"
    intended = base().replace("line vty 0 4", banner + "line vty 0 4")
    assert fix(intended, base()).remediation.lines() == [
        "banner motd ^C",
        "Authorized access only",
        "^C",
    ]
    assert fix(base(), intended).remediation.lines() == ["no banner motd"]
    changed = intended.replace("Authorized access only", "Keep out")
    # a banner is replaced by typing the new one; negating it afterwards would delete it
    assert fix(intended, changed).remediation.lines() == [
        "banner motd ^C",
        "Authorized access only",
        "^C",
    ]


def test_foreign_logging_host_is_negated() -> None:
    running = base().replace("line vty", "logging host 192.0.2.9\nlogging 192.0.2.10\nline vty")
    assert fix(base(), running).remediation.lines() == [
        "no logging host 192.0.2.9",
        "no logging 192.0.2.10",
    ]


def test_foreign_snmp_community_is_negated_without_naming_it() -> None:
    running = base().replace("line vty", "snmp-server community s3cret RO\nline vty")
    result = fix(base(), running)
    assert result.remediation.lines(show_secrets=True) == ["no snmp-server community s3cret"]
    assert result.remediation.lines() == ["no snmp-server community <redacted>"]
    assert result.rollback.lines() == ["snmp-server community <redacted> RO"]


def test_no_cdp_enable_in_running_but_not_intended() -> None:
    running = base().replace(" ip nat inside\n", " ip nat inside\n no cdp enable\n")
    result = fix(base(), running)
    assert result.remediation.lines() == ["interface FastEthernet0/1", " cdp enable"]
    assert result.rollback.lines() == ["interface FastEthernet0/1", " no cdp enable"]


def test_duplicate_child_lines_do_not_break_remediation() -> None:
    """hier_config raises DuplicateChildError on a section with the same line twice."""
    from hier_config import Platform, get_hconfig
    from hier_config.exceptions import DuplicateChildError

    running = base().replace(" mtu 1460\n", " mtu 1460\n mtu 1460\n")
    running = running.replace("ppp chap hostname plovdiv", "ppp chap hostname x")
    with pytest.raises(DuplicateChildError):
        get_hconfig(Platform.CISCO_IOS, running)
    result = fix(base(), running)
    assert result.remediation.lines() == ["interface Dialer2", " ppp chap hostname plovdiv"]


def test_physical_port_is_cleared_not_removed() -> None:
    """A 2801 always has FastEthernet0/0: unmentioned, it is cleared and shut down."""
    intended = without_block(base(), "interface FastEthernet0/0").replace(
        "ip nat inside source route-map INTERNET interface FastEthernet0/0 overload\n", ""
    )
    intended = without_block(intended, "route-map INTERNET permit 10")
    result = fix(intended, base())
    lines = result.remediation.lines()
    assert "no interface FastEthernet0/0" not in lines
    at = lines.index("interface FastEthernet0/0")
    assert sorted(lines[at + 1 : at + 6]) == sorted(
        [
            " shutdown",
            " no description",
            " no ip address",
            " no ip nat outside",
            " no ip virtual-reassembly",
        ]
    )
    nat = "no ip nat inside source route-map INTERNET interface FastEthernet0/0 overload"
    assert before(lines, nat, "no route-map INTERNET permit 10")
    # the port as IOS prints it once cleared and shut is in sync with "not mentioned"
    cleared = without_block(base(), "interface FastEthernet0/0").replace(
        "interface FastEthernet0/1",
        "interface FastEthernet0/0\n no ip address\n shutdown\n duplex auto\n speed auto\n!\n"
        "interface FastEthernet0/1",
    )
    cleared = cleared.replace(
        "ip nat inside source route-map INTERNET interface FastEthernet0/0 overload\n", ""
    )
    cleared = without_block(cleared, "route-map INTERNET permit 10")
    assert fix(intended, cleared).status == "in_sync"
    # a spare port left up is shut, never brought up
    up = cleared.replace(" no ip address\n shutdown\n", " no ip address\n")
    assert fix(intended, up).remediation.lines() == ["interface FastEthernet0/0", " shutdown"]


def test_remediation_and_rollback_are_inverse_on_text() -> None:
    """Typing the rollback after the remediation gives back the running tree (pure check)."""
    running = parse(base().replace(" mtu 1460", " mtu 1400"))
    intended = parse(base())
    assert remediate(intended, running).lines() == ["interface Dialer2", " mtu 1460"]
    assert remediate(running, intended).lines() == ["interface Dialer2", " mtu 1400"]


def test_named_acl_is_rewritten_in_order_not_renumbered() -> None:
    """hier_config renumbers named-ACL entries 10, 20, ... on load; IOS 12.4 shows none."""
    acl = "ip access-list standard MGMT\n permit 192.0.2.10\n permit 192.0.2.20\n!\n"
    intended = base().replace("line vty", acl + "line vty")
    running = intended.replace(" permit 192.0.2.10\n", " permit 192.0.2.10\n permit 192.0.2.99\n")
    result = fix(intended, running)
    assert result.remediation.lines() == [
        "no ip access-list standard MGMT",
        "ip access-list standard MGMT",
        " permit 192.0.2.10",
        " permit 192.0.2.20",
    ]
    swapped = intended.replace(
        " permit 192.0.2.10\n permit 192.0.2.20", " permit 192.0.2.20\n permit 192.0.2.10"
    )
    assert [i.render() for i in fix(intended, swapped).drift.real] == [
        "~ ip access-list standard MGMT (entries in another order)"
    ]


def test_aaa_lines_go_before_aaa_new_model_and_come_after_it() -> None:
    """IOS takes `aaa authentication ...` only under `aaa new-model`."""
    with_aaa = base().replace(
        "hostname R-ITD\n",
        "hostname R-ITD\n!\naaa new-model\naaa authentication login default local\n"
        "aaa session-id common\n",
    )
    without = base().replace("hostname R-ITD\n", "hostname R-ITD\n!\nno aaa new-model\n")
    off = fix(without, with_aaa).remediation.lines()
    assert off[-1] == "no aaa new-model", off
    on = fix(with_aaa, without).remediation.lines()
    assert on.index("aaa new-model") < on.index("aaa authentication login default local"), on


# --- issue 9 item 11: "no X" defaults are not reversed ---------------------------------------


def _fix(intended: str, running: str) -> tuple[list[str], list[str]]:
    from iosgen.diff.compare import compare
    from iosgen.diff.remediation import remediate
    from iosgen.ios.config import parse

    c = compare(parse(intended), parse(running))
    return remediate(c.intended, c.running).lines(), c.drift.as_dict()["real"]


def test_http_server_keeps_no_secure_server(sites: dict[str, Any]) -> None:
    from iosgen.build.ios import render

    old = sites["R-ITD"]
    services = old.services.model_copy(update={"http_server": True})
    text = render(old.model_copy(update={"services": services})).text
    assert "ip http server\nno ip http secure-server\n" in text
    assert "no ip http server" not in text


def test_a_no_x_line_is_never_undone_into_x_unless_intended() -> None:
    base_ = "hostname R\nip http server\n"
    assert _fix(base_, base_ + "no ip http secure-server\n") == (
        [],
        ["- no ip http secure-server"],
    )
    wanted = base_ + "ip http secure-server\n"
    assert _fix(wanted, base_ + "no ip http secure-server\n")[0] == ["ip http secure-server"]
    # a default IOS does not print is what leaving `no X` out asks for
    assert _fix("hostname R\n", "hostname R\nno cdp run\n")[0] == ["cdp run"]
    port = "interface FastEthernet0/1\n ip address 192.168.10.1 255.255.255.0\n"
    assert _fix(port, port + " no ip proxy-arp\n")[0] == []


def test_no_shutdown_in_a_saved_config_is_no_drift() -> None:
    port = "interface FastEthernet0/1\n ip address 192.168.10.1 255.255.255.0\n"
    assert _fix(port, port + " no shutdown\n") == ([], [])
    # and `shutdown` there is real
    assert _fix(port, port + " shutdown\n")[0] == ["interface FastEthernet0/1", " no shutdown"]


def test_duplex_and_speed_auto_are_hidden_defaults() -> None:
    auto = "interface FastEthernet0/0\n ip address dhcp\n duplex auto\n speed auto\n"
    bare = "interface FastEthernet0/0\n ip address dhcp\n"
    assert _fix(auto, bare) == ([], [])
    assert _fix(bare, auto) == ([], [])
    full = "interface FastEthernet0/0\n ip address dhcp\n duplex full\n speed 100\n"
    assert _fix(auto, full)[0] == ["interface FastEthernet0/0", " no duplex full", " no speed 100"]
    assert _fix(full, bare)[0] == ["interface FastEthernet0/0", " duplex full", " speed 100"]


MGMT = "ip access-list standard MGMT\n permit 192.0.2.10\n permit 192.0.2.20\n!\n"


@pytest.mark.parametrize(
    ("running_acl", "expected"),
    [
        (
            "ip access-list standard MGMT\n permit 192.0.2.20\n permit 192.0.2.10\n!\n",
            [
                "no ip access-list standard MGMT",
                "ip access-list standard MGMT",
                " permit 192.0.2.10",
                " permit 192.0.2.20",
            ],
        ),
        ("", ["ip access-list standard MGMT", " permit 192.0.2.10", " permit 192.0.2.20"]),
    ],
    ids=["reordered", "missing"],
)
def test_named_acl_is_rewritten_whole_by_hier_config(running_acl: str, expected: list[str]) -> None:
    """ios.driver.REWRITTEN_WHOLE: a sectional overwrite, the removal typed first."""
    intended = base().replace("line vty", MGMT + "line vty")
    running = base().replace("line vty", running_acl + "line vty")
    assert fix(intended, running).remediation.lines() == expected


def test_named_acl_only_on_the_router_is_removed_after_its_references() -> None:
    """`no ip access-list standard MGMT` waits for ` no access-class MGMT in` on the vtys."""
    running = base().replace("line vty 0 4\n", MGMT + "line vty 0 4\n access-class MGMT in\n")
    lines = fix(base(), running).remediation.lines()
    assert before(lines, " no access-class MGMT in", "no ip access-list standard MGMT"), lines


def test_snmp_community_acl_is_deleted_after_the_community() -> None:
    """ios.objects: `snmp-server community public RO 20` names ACL 20 (it was not seen)."""
    acl = "access-list 20 permit 192.0.2.10\n"
    running = base().replace("line vty", acl + "snmp-server community public RO 20\nline vty")
    lines = fix(base(), running).remediation.lines()
    assert before(lines, "no snmp-server community <redacted>", "no access-list 20"), lines


def test_route_distance_change_negates_first_both_ways() -> None:
    """`no ip route P M Dialer2` removes the route whatever its distance: typed after
    `ip route P M Dialer2 250` it would leave no route at all (docs/migrate.md)."""
    old = "ip route 10.10.0.0 255.255.0.0 Dialer2"
    intended = base().replace(old, old + " 250")
    result = fix(intended, base())
    assert result.remediation.lines() == [f"no {old}", f"{old} 250"]
    assert result.rollback.lines() == [f"no {old} 250", old]


def test_route_negation_stays_last_when_nothing_replaces_it() -> None:
    old = "ip route 10.10.0.0 255.255.0.0 Dialer2"
    intended = base().replace(old + "\n", "ip route 10.20.0.0 255.255.0.0 Dialer2\n")
    lines = fix(intended, base()).remediation.lines()
    assert lines == ["ip route 10.20.0.0 255.255.0.0 Dialer2", f"no {old}"]
