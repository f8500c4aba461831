"""ios.objects: one table of what defines and names an object, read by lint and remediation."""

from __future__ import annotations

import re

import pytest

from iosgen.diff.remediation import remediate
from iosgen.ios.config import parse
from iosgen.ios.objects import (
    KINDS,
    REFERENCES,
    Obj,
    defined,
    first_word,
    referenced,
    references_in,
)
from iosgen.lint import RULES, lint_config


@pytest.mark.parametrize(
    ("line", "objects"),
    [
        ("ip access-group 101 in", {("acl", "101")}),
        (
            "ip nat inside source route-map NAT interface Dialer1 overload",
            {("route-map", "NAT"), ("interface", "Dialer1")},
        ),
        ("dialer-group 1", {("dialer-list", "1")}),
        ("match ip address 10 101", {("acl", "10"), ("acl", "101")}),
        ("match ip address prefix-list LAN", {("prefix-list", "LAN")}),
        ("access-class 23 in", {("acl", "23")}),
        ("ntp access-group peer 10", {("acl", "10")}),
        ("snmp-server community public RO 10", {("acl", "10")}),
        ("rotary-group 2", {("interface", "Dialer2")}),
        ("virtual-template 1", {("interface", "Virtual-Template1")}),
        ("peer default ip address pool PPTP-POOL", {("pool", "PPTP-POOL")}),
        ("ip route 10.10.0.0 255.255.0.0 Dialer2", {("interface", "Dialer2")}),
        ("dialer-list 2 protocol ip list 101", {("acl", "101")}),
        ("login authentication VTY", {("aaa-login", "VTY")}),
        ("ppp authentication ms-chap-v2 callin PPTP", {("aaa-ppp", "PPTP")}),
        ("ppp authentication ms-chap-v2 chap", set()),
        (
            "ip nat inside source list 10 pool PUBLIC overload",
            {("acl", "10"), ("nat-pool", "PUBLIC")},
        ),
        ("class VOICE", {("class-map", "VOICE")}),
        ("class class-default", set()),
        ("service-policy output QOS", {("policy-map", "QOS")}),
        ("crypto map VPN", {("crypto-map", "VPN")}),
        ("set transform-set AES SHA", {("transform-set", "AES"), ("transform-set", "SHA")}),
        ("ip authentication key-chain eigrp 1 KEYS", {("key-chain", "KEYS")}),
        ("access-list 10 permit 192.168.10.0 0.0.0.255", set()),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_referenced(line: str, objects: set[Obj]) -> None:
    assert referenced(line) == objects


@pytest.mark.parametrize(
    ("line", "objects"),
    [
        ("access-list 101 permit ip 192.168.10.0 0.0.0.255 any", {("acl", "101")}),
        ("ip access-list extended VPN", {("acl", "VPN")}),
        ("ip access-list logging interval 10", set()),
        ("route-map INTERNET permit 10", {("route-map", "INTERNET")}),
        ("dialer-list 2 protocol ip permit", {("dialer-list", "2")}),
        ("ip local pool PPTP-POOL 192.168.30.200 192.168.30.220", {("pool", "PPTP-POOL")}),
        ("interface FastEthernet0/0.50 point-to-point", {("interface", "FastEthernet0/0.50")}),
        ("aaa new-model", {("aaa", "aaa")}),
        ("aaa authentication login VTY local", {("aaa-login", "VTY")}),
        ("class-map match-any VOICE", {("class-map", "VOICE")}),
        ("crypto map VPN 10 ipsec-isakmp", {("crypto-map", "VPN")}),
        ("key chain KEYS", {("key-chain", "KEYS")}),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_defined(line: str, objects: set[Obj]) -> None:
    assert defined(line) == objects


def test_the_table_is_consistent() -> None:
    """Every reference names a kind of the table, every lint code is a documented rule."""
    kinds = {k.name for k in KINDS}
    assert len(kinds) == len(KINDS)
    assert {r.kind for r in REFERENCES} <= kinds
    codes = {r.code for r in REFERENCES if r.code} | {k.unused_code for k in KINDS if k.unused_code}
    assert codes <= {rule.code for rule in RULES}
    for pattern in [r.pattern for r in REFERENCES] + [p for k in KINDS for p in k.defines]:
        assert re.compile(pattern).groupindex.keys() & {"name", "names"}, pattern
        assert first_word(pattern)  # lines are matched by their first word


def test_a_reference_counts_only_in_its_section() -> None:
    """` virtual-template 1` names an interface under a vpdn-group, not as a global line."""
    assert [n for _r, n in references_in("virtual-template 1", "vpdn-group 1")] == [
        "Virtual-Template1"
    ]
    assert references_in("virtual-template 1", None) == []
    assert references_in("ip access-group 101 in", "line vty 0 4") == []


ACL10 = "hostname R\n!\naccess-list 10 permit 192.0.2.1\n"


@pytest.mark.parametrize(
    "user",
    ["ntp access-group peer 10", "snmp-server community public RO 10", "ntp access-group serve 10"],
    ids=["ntp-peer", "snmp-community", "ntp-serve"],
)
def test_lint_counts_every_reference_as_a_use(user: str) -> None:
    """Bug: `ntp access-group peer 10` was read as a use of ACL `peer`: IOS201 on ACL 10."""
    codes = {f.code for f in lint_config(ACL10 + user + "\n", "r.cfg")}
    assert "IOS201" not in codes


def test_lint_still_reports_an_unused_acl() -> None:
    assert "IOS201" in {f.code for f in lint_config(ACL10, "r.cfg")}


def test_rotary_group_needs_an_in_band_dialer() -> None:
    group = "vpdn-group 2\n request-dialin\n  protocol pptp\n  rotary-group 2\n"
    plain = lint_config(group + "interface Dialer2\n ip address negotiated\n", "r.cfg")
    assert [f.message for f in plain if f.code == "IOS106"] == [
        "`rotary-group 2`: `interface Dialer2` has no `dialer in-band` (rotary groups need it)"
    ]
    missing = lint_config(group, "r.cfg")
    assert [f.message for f in missing if f.code == "IOS106"] == [
        "`rotary-group 2`: no `interface Dialer2` with `dialer in-band`"
    ]
    ok = lint_config(group + "interface Dialer2\n dialer in-band\n", "r.cfg")
    assert "IOS106" not in {f.code for f in ok}


RUNNING = "hostname R\n!\naaa new-model\n!\nline vty 0 4\n transport input ssh\n"


@pytest.mark.parametrize(
    ("intended", "first", "then"),
    [
        (
            RUNNING.replace(" ssh\n", " ssh\n login authentication VTY\n")
            + "!\naaa authentication login VTY local\n",
            "aaa authentication login VTY local",
            "line vty 0 4",
        ),
        (
            RUNNING + "!\npolicy-map QOS\n class VOICE\n  priority 128\n!\n"
            "class-map match-any VOICE\n match ip precedence 5\n",
            "class-map match-any VOICE",
            "policy-map QOS",
        ),
        (
            RUNNING + "!\ninterface FastEthernet0/1\n ip access-group 101 in\n!\n"
            "access-list 101 permit tcp any any eq 22\n",
            "access-list 101 permit tcp any any eq 22",
            "interface FastEthernet0/1",
        ),
        (
            RUNNING + "!\nroute-map LAN permit 10\n match ip address prefix-list LAN\n!\n"
            "ip prefix-list LAN seq 5 permit 192.168.10.0/24\n",
            "ip prefix-list LAN seq 5 permit 192.168.10.0/24",
            "route-map LAN permit 10",
        ),
    ],
    ids=["aaa-login-list", "class-map", "interface-acl", "prefix-list"],
)
def test_remediation_defines_before_it_references(intended: str, first: str, then: str) -> None:
    """IOS warns `AAA: Warning: authentication list "VTY" is not defined` and applies nothing."""
    added = remediate(parse(intended), parse(RUNNING)).lines()
    assert added.index(first) < added.index(then), added
    if then in RUNNING:  # the section stays: only its new line is taken out
        return
    removed = remediate(parse(RUNNING), parse(intended)).lines()
    undefine = "no access-list 101" if first.startswith("access-list ") else f"no {first}"
    assert removed.index(f"no {then}") < removed.index(undefine), removed


@pytest.mark.parametrize(
    ("line", "acl"),
    [
        ("ip inspect name FW http java-list 11", "11"),
        ("ip inspect name FW http java-list 11 alert on timeout 300", "11"),
        ("ip wccp web-cache redirect-list 120", "120"),
        ("ip wccp web-cache redirect-list 120 group-list 10", "10"),
    ],
    ids=["java-list", "java-list-options", "wccp-redirect", "wccp-group"],
)
def test_cbac_and_wccp_use_their_acls(line: str, acl: str) -> None:
    """An ACL used only by `ip inspect ... java-list` (2600xm-ccp-pppoa-cbac.cfg) or by
    WCCP is used: lint does not call it unused, remediation removes it after the line."""
    from iosgen.ios.objects import referenced

    assert any(name == acl for _kind, name in referenced(line)), sorted(referenced(line))


@pytest.mark.parametrize(
    ("line", "obj"),
    [
        ("ip inspect EXT_OUT out", ("inspect", "EXT_OUT")),
        ("ip policy route-map FOR_VPC30", ("route-map", "FOR_VPC30")),
        ("dialer pool 1", ("dialer-pool", "1")),
        ("service-policy EXTERNAL_CBWFQ", ("policy-map", "EXTERNAL_CBWFQ")),
        ("crypto map CMAP", ("crypto-map", "CMAP")),
        ("ip nat inside source list 1 pool ovrld overload", ("nat-pool", "ovrld")),
    ],
    ids=["inspect", "policy-route-map", "dialer-pool", "child-policy", "crypto-map", "nat-pool"],
)
def test_the_new_references_name_their_objects(line: str, obj: tuple[str, str]) -> None:
    from iosgen.ios.objects import referenced

    assert obj in referenced(line)


def test_a_dialer_pool_member_is_no_global_definition() -> None:
    """`dialer pool-member 1` defines pool 1 inside its interface (Kind.inside): the global
    definers remediation orders by do not take it as a line of its own."""
    from iosgen.ios.objects import defined

    assert defined("dialer pool-member 1") == set()
    assert defined("ip inspect name EXT_OUT tcp alert on") == {("inspect", "EXT_OUT")}
