"""Local AAA attribute lists in the simulator: the grammar (`aaa attribute list`, its
`attribute type addr`, `username U aaa attribute list L`, their negations and where
`show running-config` prints them) and the fixed tunnel address a listed user gets
instead of a pool address (docs/simulator-grammar.md, docs/simulator-tunnels.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sim_helpers import block, body, typed
from test_sim_tunnels import BRANCH, HQ, network

from iosgen.sim import ping, show
from iosgen.sim.configmode import ConfigMode
from iosgen.sim.facts import MODE_PROMPTS
from iosgen.sim.tunnels import Live

LIST = [
    "aaa new-model",
    "aaa authorization network default local",
    "aaa attribute list varna",
    " attribute type addr 10.10.255.254 service ppp protocol ip",
    "exit",
    "username varna password 0 a",
    "username varna autocommand exit",
    "username varna aaa attribute list varna",
]


def test_the_sub_mode_has_its_prompt_and_prints_between_the_methods_and_session_id() -> None:
    cfg, out = typed(LIST)
    assert [o for o in out if o] == []
    mode = ConfigMode(cfg)
    mode.feed("aaa attribute list varna", "R1(config)#")
    assert MODE_PROMPTS[mode.mode] == "(config-attr-list)#"
    text = body(cfg)
    assert block(text, "aaa attribute list varna") == [
        "aaa attribute list varna",
        " attribute type addr 10.10.255.254 service ppp protocol ip",
    ]
    assert text.index("aaa authorization network default local") < text.index(
        "aaa attribute list varna"
    )
    assert text.index("aaa attribute list varna") < text.index("aaa session-id common")
    # the lists end with a "!" (the CSR capture of docs/head-office.md)
    assert "protocol ip\n!\n" in text
    # the user's lines together: password, attribute list, autocommand
    assert (
        "username varna password 0 a\nusername varna aaa attribute list varna\n"
        "username varna autocommand exit\n"
    ) in text


NEGATIONS = [
    ("user-list", ["no username varna aaa attribute list varna"], "username varna aaa", False),
    ("user-list-short", ["no username varna aaa attribute list"], "username varna aaa", False),
    ("whole-user", ["no username varna"], "username varna", False),
    ("list", ["no aaa attribute list varna"], "\naaa attribute list varna\n", False),
    (
        "attribute",
        [
            "aaa attribute list varna",
            "no attribute type addr 10.10.255.254 service ppp protocol ip",
        ],
        "attribute type addr",
        False,
    ),
    ("other-user-kept", ["no username zed"], "username varna aaa attribute list varna", True),
]


@pytest.mark.parametrize(
    ("lines", "needle", "kept"), [n[1:] for n in NEGATIONS], ids=[n[0] for n in NEGATIONS]
)
def test_negations_take_back_what_they_name(lines: list[str], needle: str, kept: bool) -> None:
    cfg, _ = typed(LIST)
    _, out = typed(lines, cfg)
    assert [o for o in out if o] == []
    assert (needle in body(cfg)) is kept


BAD = [
    ("bad-address", "attribute type addr 300.1.1.1"),
    ("no-address", "attribute type addr"),
    ("unknown-service", "attribute type addr 10.1.1.1 service telnet"),
]


@pytest.mark.parametrize("line", [b[1] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_attribute_line_is_refused(line: str) -> None:
    cfg, out = typed(["aaa attribute list x", line])
    assert "% " in out[1]
    assert "attribute type" not in body(cfg)


# HQ with a fixed address for varna; the branch routed (no NAT into the tunnel)
FIXED = (
    HQ.replace(
        "aaa authentication ppp default local\n",
        "aaa authentication ppp default local\naaa authorization network default local\n"
        "aaa attribute list varna\n attribute type addr 10.10.255.254 service ppp protocol ip\n",
    )
    + "username varna aaa attribute list varna\n"
    + "ip route 192.168.20.0 255.255.255.0 10.10.255.254\n"
)
ROUTED = BRANCH.replace("ip nat inside source list 10 interface Dialer2 overload\n", "")


def negotiated(hq: str) -> str:
    net = network(hq, ROUTED)
    net["BR"].refresh_tunnels()
    view = net["BR"].running.live
    assert isinstance(view, Live)
    (s,) = view.dials
    assert s.reason is None, s.reason
    return str(s.client_addr)


ADDRESSES = [
    ("fixed", FIXED, "10.10.255.254"),
    ("no-list-pool", HQ, "10.10.255.10"),
    (
        "no-local-authorization-pool",
        FIXED.replace("aaa authorization network default local\n", ""),
        "10.10.255.10",
    ),
    (
        "list-removed-pool",
        FIXED.replace("username varna aaa attribute list varna\n", ""),
        "10.10.255.10",
    ),
    (
        "empty-list-pool",
        FIXED.replace(" attribute type addr 10.10.255.254 service ppp protocol ip\n", ""),
        "10.10.255.10",
    ),
]


@pytest.mark.parametrize(("hq", "addr"), [a[1:] for a in ADDRESSES], ids=[a[0] for a in ADDRESSES])
def test_a_listed_user_gets_the_fixed_address_instead_of_the_pools(hq: str, addr: str) -> None:
    assert negotiated(hq) == addr


def test_the_fixed_address_routes_the_branch_lan_both_ways() -> None:
    net = network(FIXED, ROUTED)
    net["BR"].refresh_tunnels()
    br, hq = net["BR"].running, net["HQ"].running
    assert {r[0]: r[1] for r in show.ip_interface_brief(br)}["Dialer2"] == "10.10.255.254"
    net["HQ"].refresh_tunnels()
    assert "C       10.10.255.254/32 is directly connected, Virtual-Access2" in show.show_ip_route(
        hq
    )
    # no NAT: the head office answers the LAN address through its static route
    out = ping.run(br, "10.10.0.1", source="192.168.20.1")
    assert "Success rate is 100 percent" in out, out
    broken = network(
        FIXED.replace("ip route 192.168.20.0 255.255.255.0 10.10.255.254\n", ""), ROUTED
    )
    broken["BR"].refresh_tunnels()
    out = ping.run(broken["BR"].running, "10.10.0.1", source="192.168.20.1")
    assert "Success rate is 100 percent" not in out, out


def test_two_lists_print_back_to_back_then_one_separator() -> None:
    cfg, _ = typed([*LIST, "aaa attribute list zed", "attribute type addr 10.1.1.1"])
    assert (
        "aaa authorization network default local\n!\n"
        "aaa attribute list varna\n attribute type addr 10.10.255.254 service ppp protocol ip\n"
        "aaa attribute list zed\n attribute type addr 10.1.1.1\n!\n!\naaa session-id common\n"
    ) in body(cfg)
