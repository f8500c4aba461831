"""The IOS parser: abbreviations, full-form expansion, the three error formats."""

from __future__ import annotations

import pytest

from iosgen.sim.commands import grammar
from iosgen.sim.configmode import error_text
from iosgen.sim.grammar import Failure, Match


@pytest.mark.parametrize(
    ("mode", "typed", "stored"),
    [
        ("exec", "sh run", "show running-config"),
        ("exec", "conf t", "configure terminal"),
        ("exec", "wr", "write"),
        ("exec", "copy run start", "copy running-config startup-config"),
        ("config", "int fa0/1", "interface FastEthernet0/1"),
        ("config", "interface dialer 2", "interface Dialer2"),
        ("config", "int virtual-t1", "interface Virtual-Template1"),
        (
            "config",
            "ip nat inside source route-map VPN int di2 ov",
            "ip nat inside source route-map VPN interface Dialer2 overload",
        ),
        ("config", "access-list 10 per 192.168.50.0 0.0.0.255", None),
        ("config-if", "ip add 10.0.0.1 255.0.0.0", "ip address 10.0.0.1 255.0.0.0"),
        ("config-if", "ppp enc mppe au", "ppp encrypt mppe auto"),
        ("config-if", "desc  WAN link ", "description WAN link"),
        ("config-vpdn-req-in", "proto pptp", "protocol pptp"),
        ("config-line", "transport in ssh", "transport input ssh"),
    ],
    ids=lambda v: str(v),
)
def test_abbreviations_expand_to_full_form(mode: str, typed: str, stored: str | None) -> None:
    r = grammar().parse(mode, typed)
    assert isinstance(r, Match)
    if stored is not None:
        assert r.text == stored


@pytest.mark.parametrize(
    ("mode", "typed", "kind", "pos"),
    [
        ("config", "logging 0255.255.1", "invalid", 8),  # caret under the bad address
        ("config", "hostnme R1", "invalid", 5),  # under the first unmatchable character
        # a port the 2801 lacks: the caret under the port number
        ("config", "interface FastEthernet0/7", "invalid", 24),
        ("config", "interface fa 0/2", "invalid", 15),
        ("config", "interface FastEthernet1/0", "invalid", 22),
        ("config", "interface Fa0/1/0", "invalid", 16),
        ("config", "interface Fa0/\u0661", "invalid", 10),  # an Arabic-Indic digit
        ("config", "interface Eth0", "invalid", 10),
        ("config", "ip route 10.0.0.0 255.0.0.0", "incomplete", 0),
        ("config", "hostname", "incomplete", 0),
        ("config", "a", "ambiguous", 0),  # aaa, access-list, archive
        ("config", "n", "ambiguous", 0),  # no, ntp
        ("config-if", "ip address 10.0.0.1 255.255.255.0 extra", "invalid", 34),
        ("config-if", "ppp encrypt mppe 56", "invalid", 17),
        ("config-if", "speed 1000", "invalid", 9),  # `100` is a keyword
        ("exec", "show foooooooo", "invalid", 6),  # `f` still continues `flash:`
    ],
    ids=lambda v: str(v),
)
def test_errors(mode: str, typed: str, kind: str, pos: int) -> None:
    r = grammar().parse(mode, typed)
    assert isinstance(r, Failure)
    assert r.kind == kind
    if kind == "invalid":
        assert r.pos == pos


def test_error_texts_are_ioss() -> None:
    prompt = "R1(config)#"
    assert error_text(Failure("invalid", 8), "logging 0255.255.1", prompt) == (
        "                   ^\n% Invalid input detected at '^' marker.\n\n"
    )
    assert error_text(Failure("incomplete"), "logging", prompt) == "% Incomplete command.\n\n"
    assert error_text(Failure("ambiguous"), "a", prompt) == '% Ambiguous command:  "a"\n'


@pytest.mark.parametrize(
    ("mode", "typed", "ok"),
    [
        ("config-if", "no ip address", True),
        ("config-if", "no description", True),
        ("config-if", "no ppp encrypt mppe", True),
        ("config-if", "no ip", False),
        ("config", "no access-list 10", True),
        ("config", "no ip route", False),
        ("config", "no ip route 10.0.0.0 255.0.0.0", True),
        ("config", "no interface Dialer2", True),
        ("config", "no banner motd", True),
    ],
)
def test_no_forms_may_stop_after_the_key(mode: str, typed: str, ok: bool) -> None:
    r = grammar().parse(mode, typed)
    assert isinstance(r, Match) is ok
    if ok:
        assert isinstance(r, Match) and r.negated
