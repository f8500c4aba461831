"""Parsing, normalising and the secret fields of IOS lines."""

from __future__ import annotations

import pytest

from iosgen.ios.config import Line, parse
from iosgen.ios.secrets import mask_line, secret_field, secret_key


def test_hierarchy_by_indentation_and_single_spaces() -> None:
    cfg = parse(
        "vpdn-group 2\n request-dialin\n  protocol   pptp\n  rotary-group 2\n"
        " initiate-to ip 203.0.113.10\n!\nend\n"
    )
    assert cfg.lines == (
        Line(
            "vpdn-group 2",
            (
                Line("request-dialin", (Line("protocol pptp"), Line("rotary-group 2"))),
                Line("initiate-to ip 203.0.113.10"),
            ),
        ),
    )
    assert cfg.render() == [
        "vpdn-group 2",
        " request-dialin",
        "  protocol pptp",
        "  rotary-group 2",
        " initiate-to ip 203.0.113.10",
    ]


def test_default_pptp_group_comment_is_not_a_line() -> None:
    cfg = parse("vpdn-group 1\n! Default PPTP VPDN group\n accept-dialin\n  protocol pptp\n")
    assert cfg.render() == ["vpdn-group 1", " accept-dialin", "  protocol pptp"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "banner motd ^C\nAuthorized access only\nTwo\n^C\n",
            "banner motd ^C\nAuthorized access only\nTwo\n^C",
        ),
        ("banner motd ^CHello^C\n", "banner motd ^CHello^C"),
        ("banner login #\n line with ! and end\n#\n", "banner login #\n line with ! and end\n#"),
    ],
    ids=["multi-line", "one-line", "other-delimiter"],
)
def test_banner_is_one_line_with_its_body(text: str, line: str) -> None:
    assert parse(text + "line con 0\n").lines == (Line(line), Line("line con 0"))


SECRET_LINES = [
    (None, "username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.", "5"),
    (None, "username ivan password 7 060F192042030D1C0818", "7"),
    (None, "username bob password 0 plain", "0"),
    (None, "enable secret 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0", "5"),
    (None, "enable password 7 00071A150754", "7"),
    (None, "snmp-server community public RO", ""),
    ("interface Dialer2", "ppp chap password 7 0123035155", "7"),
    ("interface Dialer2", "ppp chap password Pe5n", ""),
    ("interface Dialer2", "ppp pap sent-username plovdiv password 7 0822455D0A16", "7"),
    ("vpdn-group 2", "l2tp tunnel password 7 0822455D0A16", "7"),
    ("line vty 0 4", "password 7 0822455D0A16", "7"),
    # Out of place (a flattened or shuffled config): still what the line is.
    (None, "ppp chap password 7 0123035155", "7"),
    (None, "password 7 0822455D0A16", "7"),
    ("line vty 0 4", "ppp chap password 7 0123035155", "7"),
    ("archive", "username ivan password 7 060F192042030D1C0818", "7"),
    (None, "key-string 7 0822455D0A16", "7"),
    # No row of its own: any `password` word still guards its value.
    ("vpdn-group 1", "ppp pptp client password 7 0822455D0A16", "7"),
]


@pytest.mark.parametrize(
    ("parent", "text", "encoding"),
    SECRET_LINES,
    ids=[t[1].split()[0] + "-" + t[1].split()[-2] for t in SECRET_LINES],
)
def test_secret_fields(parent: str | None, text: str, encoding: str) -> None:
    found = secret_field(text, parent)
    assert found is not None
    words = text.split(" ")
    assert found.value_index == len(words) - 1 or words[found.value_index] == "public"
    assert found.encoding(words) == encoding
    assert "<redacted>" in mask_line(text, parent)


@pytest.mark.parametrize(
    ("parent", "text"),
    [
        ("interface Dialer2", "description password 7 is not a secret"),
        (None, "no username ivan"),
        (None, "key chain OSPF"),
        (None, "crypto key generate rsa modulus 1024"),
        (None, "service password-encryption"),
        ("line vty 0 4", "transport input ssh"),
    ],
)
def test_lines_without_secrets(parent: str | None, text: str) -> None:
    assert secret_field(text, parent) is None
    assert mask_line(text, parent) == text


def test_type7_compares_by_clear_text() -> None:
    a = "ppp chap password 7 0123035155"
    b = "ppp chap password 0 Pe5n"
    fa, fb = secret_field(a, "interface Dialer2"), secret_field(b, "interface Dialer2")
    assert fa is not None and fb is not None
    assert secret_key(a.split(), fa) == secret_key(b.split(), fb) == ("clear", "Pe5n")


def test_route_map_match_lists_are_order_free() -> None:
    a = parse("route-map VPN permit 10\n match ip address 20 10\n match interface Dialer2\n")
    b = parse("route-map VPN permit 10\n match ip address 10 20\n match interface Dialer2\n")
    assert a.lines == b.lines
    assert a.lines[0].children[0].text == "match ip address 10 20"
    # elsewhere the words keep their order
    assert parse("ip route 10.0.0.0 255.0.0.0 Dialer2\n").lines[0].text.endswith("Dialer2")
