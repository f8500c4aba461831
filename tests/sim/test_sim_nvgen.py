"""NVGEN details of the 12.4 sub-modes (issue 11): indentation, padding, sequence numbers
and subinterfaces, each checked against the line a real router prints.

The facts and their sources are in docs/simulator-grammar.md ("NVGEN details").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sim_helpers import block, body, typed

from iosgen.sim.config import Config
from iosgen.sim.configmode import ConfigMode
from iosgen.sim.facts import CRYPTO_MAP_NOTE, MODE_PROMPTS

REALCONFIGS = Path(__file__).resolve().parents[1] / "realconfigs"


def capture(name: str, head: str) -> list[str]:
    return block((REALCONFIGS / name).read_text(), head)


# --- 1. indentation: dhcp pool children by three spaces, police actions by four -----------


def test_dhcp_pool_children_print_as_the_capture_does() -> None:
    want = capture("2600xm-ccp-pppoa-cbac.cfg", "ip dhcp pool HOME_LAN")
    typed_lines = [want[0], *(ln.strip() for ln in want[1:])]
    cfg, outputs = typed(typed_lines)
    assert not any(outputs)
    assert block(body(cfg), want[0]) == want
    assert want[1].startswith("   network")  # the capture's own three spaces


def test_police_actions_print_with_four_spaces() -> None:
    cfg, outputs = typed(
        [
            "policy-map EXTERNAL_CBWFQ",
            "class IP_PREC_HIGH",
            "priority percent 10",
            "police cir percent 10",
            "conform-action transmit",
            "exceed-action drop",
        ]
    )
    assert not any(outputs)
    want = capture("2600xm-ccp-pppoa-cbac.cfg", "policy-map EXTERNAL_CBWFQ")[:6]
    assert block(body(cfg), "policy-map EXTERNAL_CBWFQ") == want
    assert want[4] == "    conform-action transmit"


# --- 2. `deny` padded to the width of `permit` in extended named lists ------------------


def test_extended_named_deny_is_padded_as_captured() -> None:
    want = capture("2600xm-ccp-nm-fe.cfg", "ip access-list extended BLACKHOLE")[:3]
    cfg, outputs = typed([want[0], *(ln.strip() for ln in want[1:])])
    assert not any(outputs)
    assert block(body(cfg), want[0]) == want
    assert want[1] == " deny   ip host 81.7.148.87 any"


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (["ip access-list extended X", "permit ip any any"], " permit ip any any"),
        (["ip access-list extended X", "remark deny all"], " remark deny all"),
    ],
    ids=["permit-unpadded", "remark-unpadded"],
)
def test_only_deny_is_padded(lines: list[str], printed: str) -> None:
    cfg, outputs = typed(lines)
    assert not any(outputs)
    assert printed in body(cfg).splitlines()


# --- 3. named-list sequence numbers: stored, placed, deleted, never printed ------------------

NACL = "ip access-list extended X"


def entries(lines: list[str]) -> tuple[list[str], list[str]]:
    cfg, outputs = typed([NACL, *lines])
    return block(body(cfg), NACL)[1:], outputs


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (
            ["permit tcp any any eq 22", "permit icmp any any", "15 deny ip any any"],
            [" permit tcp any any eq 22", " deny   ip any any", " permit icmp any any"],
        ),
        (
            ["30 permit icmp any any", "10 permit tcp any any eq 22", "20 remark middle"],
            [" permit tcp any any eq 22", " remark middle", " permit icmp any any"],
        ),
        (
            ["permit tcp any any eq 22", "permit icmp any any", "no 10"],
            [" permit icmp any any"],
        ),
        (
            ["permit tcp any any eq 22", "permit icmp any any", "no 20 permit icmp any any"],
            [" permit tcp any any eq 22"],
        ),
        (
            ["5 permit icmp any any", "permit tcp any any eq 22", "7 deny ip any any"],
            [" permit icmp any any", " deny   ip any any", " permit tcp any any eq 22"],
        ),
        (["no 10", "permit ip any any"], [" permit ip any any"]),
    ],
    ids=[
        "typed-number-between-defaults",
        "placed-by-number-not-typing-order",
        "no-number-deletes-that-entry",
        "no-number-with-its-entry",
        "unnumbered-goes-10-past-the-last",
        "no-missing-number-changes-nothing",
    ],
)
def test_sequence_numbers_place_entries(lines: list[str], printed: list[str]) -> None:
    got, outputs = entries(lines)
    assert not any(outputs)
    assert got == printed


def test_a_taken_number_is_refused_and_the_old_entry_stays() -> None:
    got, outputs = entries(["10 permit icmp any any", "10 deny ip any any"])
    assert outputs[-1].startswith("% Duplicate sequence number")
    assert got == [" permit icmp any any"]


def test_defaults_step_by_ten_after_a_deletion() -> None:
    # 10, 20 made; 20 deleted; the next unnumbered entry is 20 again, so `15` sits before it
    got, outputs = entries(
        [
            "permit tcp any any eq 22",
            "permit icmp any any",
            "no 20",
            "permit esp any any",
            "15 permit gre any any",
        ]
    )
    assert not any(outputs)
    assert got == [" permit tcp any any eq 22", " permit gre any any", " permit esp any any"]


# --- 4. subinterfaces -------------------------------------------------------------------------


def test_subinterface_prints_as_the_7200_capture() -> None:
    want = capture("7200-tin-subif.cfg", "interface FastEthernet0/0.50")
    cfg, outputs = typed(
        [
            "interface FastEthernet0/0.50",
            "encapsulation dot1Q 50",
            "ip address 192.168.10.202 255.255.255.252",
            "ip nat inside",
        ]
    )
    assert not any(outputs)
    assert block(body(cfg), want[0]) == want


def test_subinterface_sorts_right_after_its_port() -> None:
    cfg, outputs = typed(["interface Fa0/1.5", "interface Fa0/0.50", "interface Fa0/0.7"])
    assert not any(outputs)
    heads = [ln for ln in body(cfg).splitlines() if ln.startswith("interface ")]
    assert heads == [
        "interface FastEthernet0/0",
        "interface FastEthernet0/0.7",
        "interface FastEthernet0/0.50",
        "interface FastEthernet0/1",
        "interface FastEthernet0/1.5",
    ]


def test_subinterface_has_its_own_mode_and_prompt() -> None:
    mode = ConfigMode(Config())
    mode.feed("interface FastEthernet0/0.50", "R1(config)#")
    assert MODE_PROMPTS[mode.mode] == "(config-subif)#"
    assert mode.feed("duplex full", "R1(config-subif)#").error  # no duplex on a subinterface
    assert not mode.feed("encapsulation dot1Q 50", "R1(config-subif)#").error


@pytest.mark.parametrize(
    "line",
    ["interface FastEthernet0/0.0", "interface FastEthernet0/3.1", "interface Loopback0.1"],
    ids=["number-zero", "port-the-router-lacks", "logical-interface"],
)
def test_bad_subinterface_is_refused(line: str) -> None:
    cfg, outputs = typed([line])
    assert "% Invalid input" in outputs[0]
    assert "." not in "".join(ln for ln in body(cfg).splitlines() if ln.startswith("interface"))


def test_no_interface_removes_the_subinterface_not_the_port() -> None:
    cfg, outputs = typed(
        ["interface Fa0/0.50", "encapsulation dot1Q 50", "exit", "no interface Fa0/0.50"]
    )
    assert not any(outputs)
    text = body(cfg)
    assert "interface FastEthernet0/0.50" not in text
    assert "interface FastEthernet0/0" in text.splitlines()


# --- 5. block headers' defaults ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (["crypto map CM 10", "set peer 192.0.2.1"], ["crypto map CM 10 ipsec-isakmp"]),
        (["crypto map CM 10", "exit", "crypto map CM 10 ipsec-isakmp"], []),
        (["class-map TEST", "match any"], ["class-map match-all TEST"]),
        (
            ["class-map match-any ALL", "match any", "exit", "class-map ALL", "description d"],
            ["class-map match-any ALL"],
        ),
    ],
    ids=[
        "crypto-map-stores-ipsec-isakmp",
        "crypto-map-spelled-out-is-the-same-entry",
        "new-class-map-is-match-all",
        "class-map-name-re-enters-match-any",
    ],
)
def test_header_default_keyword(lines: list[str], printed: list[str]) -> None:
    cfg, outputs = typed(lines)
    head = lines[0].split()[0]
    # the entry is new once (IOS's note then), re-entered after: no answer
    assert [o for o in outputs if o] == ([CRYPTO_MAP_NOTE + "\n"] if head == "crypto" else [])
    text = body(cfg).splitlines()
    heads = [ln for ln in text if ln.startswith(head + " ")]
    if printed:
        assert heads == printed
    else:
        assert heads == ["crypto map CM 10 ipsec-isakmp"]


def test_class_map_re_entered_keeps_its_matches() -> None:
    cfg, outputs = typed(
        [
            "class-map match-any ALL",
            "match protocol http",
            "exit",
            "class-map ALL",
            "match protocol ftp",
        ]
    )
    assert not any(outputs)
    assert block(body(cfg), "class-map match-any ALL") == [
        "class-map match-any ALL",
        " match protocol http",
        " match protocol ftp",
    ]


def test_no_class_map_by_name_removes_either_kind() -> None:
    cfg, outputs = typed(["class-map match-any ALL", "match any", "exit", "no class-map ALL"])
    assert not any(outputs)
    assert "class-map" not in body(cfg)


# --- issue 11 item 5: `!`-less runs of blocks, wide values, ISAKMP defaults ------------------


def _top_level_run(text: str, first: str, last: str) -> list[str]:
    """The top-level lines (and `!`) from `first` through `last`, children left out."""
    lines = [ln for ln in text.splitlines() if not ln.startswith(" ")]
    return lines[lines.index(first) : lines.index(last) + 1]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("class-map match-all IP_PREC_MEDIUM", "class-map match-any ALL"),
        ("policy-map EXTERNAL_CBWFQ", "policy-map SHAPE_HEIR"),
        ("ip access-list standard INTERNAL_NETWORKS", "ip access-list extended TEMPORARY"),
    ],
    ids=["class-maps", "policy-maps", "named-acls"],
)
def test_blocks_of_one_kind_print_with_no_bang_between(first: str, last: str) -> None:
    from iosgen.sim.router import Router, RouterSpec

    text = (REALCONFIGS / "2600xm-ccp-pppoa-cbac.cfg").read_text()
    router = Router(RouterSpec("R", "netops", "pw", initial_config=text))
    # the capture's own run of headers, `!` where it has one
    assert _top_level_run(router.running_text(), first, last) == _top_level_run(text, first, last)


def test_match_ip_precedence_values_print_two_spaces_apart() -> None:
    want = capture("2600xm-ccp-pppoa-cbac.cfg", "class-map match-all IP_PREC_MEDIUM")
    cfg, outputs = typed(["class-map match-all IP_PREC_MEDIUM", "match ip precedence 2 3 4 5"])
    assert not any(outputs)
    assert block(body(cfg), want[0]) == want == [want[0], " match ip precedence 2  3  4  5"]


@pytest.mark.parametrize(
    ("typed_lines", "printed"),
    [
        (["hash md5", "authentication pre-share"], [" hash md5", " authentication pre-share"]),
        (
            ["encr des", "hash sha", "authentication rsa-sig", "group 1", "lifetime 86400"],
            [],
        ),
        (
            ["encr 3des", "hash sha", "authentication pre-share", "group 2", "lifetime 3600"],
            [" encr 3des", " authentication pre-share", " group 2", " lifetime 3600"],
        ),
        (["hash md5", "hash sha"], []),  # the default typed over md5: printed as nothing
    ],
    ids=["cisco-example", "all-defaults", "some-defaults", "back-to-default"],
)
def test_isakmp_policy_defaults_are_not_printed(typed_lines: list[str], printed: list[str]) -> None:
    cfg, outputs = typed(["crypto isakmp policy 10", *typed_lines])
    assert not any(outputs)
    assert block(body(cfg), "crypto isakmp policy 10") == ["crypto isakmp policy 10", *printed]


@pytest.mark.parametrize(
    ("head", "typed_entry", "printed", "negation"),
    [
        ("ip access-list standard S", "permit host 10.0.0.1", " permit 10.0.0.1", None),
        ("ip access-list standard S", "deny 10.0.0.9 0.0.0.0", " deny 10.0.0.9", None),
        (
            "ip access-list standard S",
            "permit 10.1.2.3 0.0.0.255",
            " permit 10.1.2.0 0.0.0.255",
            None,
        ),
        (
            "ip access-list extended E",
            "permit ip 10.0.0.0 0.0.0.255 10.9.9.9 0.0.0.0",
            " permit ip 10.0.0.0 0.0.0.255 host 10.9.9.9",
            None,
        ),
        (
            "ip access-list extended E",
            "permit tcp 0.0.0.0 255.255.255.255 host 1.2.3.4 eq 22",
            " permit tcp any host 1.2.3.4 eq 22",
            None,
        ),
        ("ip access-list standard S", "permit host 10.0.0.1", None, "no permit host 10.0.0.1"),
    ],
    ids=["std-host", "std-zero-wildcard", "std-masked", "ext-zero-wildcard", "ext-any", "no-host"],
)
def test_named_entries_are_stored_as_numbered_ones_are(
    head: str, typed_entry: str, printed: str | None, negation: str | None
) -> None:
    cfg, outputs = typed([head, typed_entry, *([negation] if negation else [])])
    assert not any(outputs)
    assert block(body(cfg), head)[1:] == ([printed] if printed else [])


# --- HSRP: after `speed`, by group, in HSRP_ORDER ----------------------------------------------

HSRP_TYPED = [
    "interface FastEthernet0/0",
    "ip address 10.0.0.2 255.255.255.0",
    "standby 2 ip 10.0.0.254",
    "standby 1 track FastEthernet0/1",
    "standby 1 preempt",
    "standby 1 priority 110",
    "standby 1 ip 10.0.0.1",
    "standby 1 ip 10.0.5.1 secondary",
    "standby 1 timers 5 15",
    "standby version 2",
    "standby 1 priority 120",  # replaces 110
    "standby 1 track FastEthernet 0/1 20",  # replaces the track of that port
    "standby 1 track 101 decrement 50",
]
HSRP_PRINTED = [
    "interface FastEthernet0/0",
    " ip address 10.0.0.2 255.255.255.0",
    " duplex auto",
    " speed auto",
    " standby version 2",
    " standby 1 ip 10.0.0.1",
    " standby 1 ip 10.0.5.1 secondary",
    " standby 1 timers 5 15",
    " standby 1 priority 120",
    " standby 1 preempt",
    " standby 1 track FastEthernet0/1 20",
    " standby 1 track 101 decrement 50",
    " standby 2 ip 10.0.0.254",
]


def test_hsrp_lines_print_after_speed_by_group() -> None:
    cfg, outputs = typed(HSRP_TYPED)
    assert not any(outputs)
    assert block(body(cfg), "interface FastEthernet0/0") == HSRP_PRINTED


@pytest.mark.parametrize(
    ("no_line", "gone"),
    [
        ("no standby 1 preempt", " standby 1 preempt"),
        ("no standby 1 track 101 decrement 50", " standby 1 track 101 decrement 50"),
        ("no standby 2 ip 10.0.0.254", " standby 2 ip 10.0.0.254"),
        ("no standby version 2", " standby version 2"),
    ],
    ids=["preempt", "track-object", "group-ip", "version"],
)
def test_no_standby_removes_that_line(no_line: str, gone: str) -> None:
    cfg, outputs = typed([*HSRP_TYPED, no_line])
    assert not any(outputs)
    assert block(body(cfg), "interface FastEthernet0/0") == [
        ln for ln in HSRP_PRINTED if ln != gone
    ]


def test_hsrp_on_a_subinterface() -> None:
    lines = ["interface FastEthernet0/0.10", "encapsulation dot1Q 10"]
    lines += ["ip address 10.10.0.2 255.255.255.0", "standby 10 ip 10.10.0.1"]
    cfg, outputs = typed(lines)
    assert not any(outputs)
    assert block(body(cfg), lines[0])[-1] == " standby 10 ip 10.10.0.1"
