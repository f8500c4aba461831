"""The parts: interface names, secret fields and redaction, model checks, the docs table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from iosgen.lint import RULES, lint_config
from iosgen.lint.checks.config import interface_key, read_config
from iosgen.lint.checks.secrets import redact, secret_fields
from iosgen.lint.checks.site import site_hits
from iosgen.model.inventory import load_files, load_resolver

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Dialer2", "dialer2"),
        ("di2", "dialer2"),
        ("Fa0/1", "fastethernet0/1"),
        ("fastethernet0/0.10", "fastethernet0/0.10"),
        ("Dialer 2", "dialer2"),
        ("Virtual-Template1", "virtual-template1"),
        ("Null0", "null0"),
        ("dhcp", None),
        ("203.0.113.5", None),
        ("dhcp 10", None),
    ],
    ids=lambda v: str(v),
)
def test_interface_key(name: str, key: str | None) -> None:
    assert interface_key(name) == key


@pytest.mark.parametrize(
    ("line", "shown", "types"),
    [
        ("username u password 7 060506324F41", "username u password 7 <redacted>", ["7"]),
        (
            "username u privilege 15 secret 5 $1$ab$cd",
            "username u privilege 15 secret 5 <redacted>",
            ["5"],
        ),
        ("ppp chap password 0 Pe5n", "ppp chap password 0 <redacted>", ["0"]),
        ("password s3cret", "password <redacted>", [None]),
        ("tacacs-server key 7 14141B180F0B", "tacacs-server key 7 <redacted>", ["7"]),
        (
            "ntp authentication-key 1 md5 0822455D0A16 7",
            "ntp authentication-key 1 md5 <redacted> 7",
            ["7"],
        ),
        (
            "ip ospf message-digest-key 1 md5 7 0822455D0A16",
            "ip ospf message-digest-key 1 md5 7 <redacted>",
            ["7"],
        ),
        ("snmp-server community s3cret RO 10", "snmp-server community <redacted> RO 10", [None]),
        ("service password-encryption", "service password-encryption", []),
        ("ppp chap hostname plovdiv", "ppp chap hostname plovdiv", []),
        ("key chain EIGRP", "key chain EIGRP", []),
        ("key 1", "key 1", []),
        (
            "crypto isakmp key 6 ABCDEF address 203.0.113.1",
            "crypto isakmp key 6 <redacted> address 203.0.113.1",
            ["6"],
        ),
    ],
)
def test_secret_fields_and_redact(line: str, shown: str, types: list[str | None]) -> None:
    assert redact(line) == shown
    assert [f.type for f in secret_fields(line)] == types


def test_line_numbers_survive_blank_lines_and_crlf() -> None:
    text = "hostname R1\r\n\r\n\r\ninterface Dialer2\r\n ip unnumbered Loopback9\r\n"
    config = read_config(text)
    assert [(line.number, line.text) for line in config.lines] == [
        (1, "hostname R1"),
        (4, "interface Dialer2"),
        (5, "ip unnumbered Loopback9"),
    ]
    assert [(f.line, f.code) for f in lint_config(text, "x.cfg") if f.code == "IOS110"] == [
        (5, "IOS110")
    ]


def test_banner_text_is_not_config() -> None:
    config = read_config("banner motd ^C\naccess-list 5 permit any\n^C\nhostname R1\n")
    assert [line.text for line in config.lines] == ["banner motd ^C", "hostname R1"]


def test_site_checks_for_ios_sites_include_mppe_required() -> None:
    """SITE402 applies where MPPE can be optional: an IOS site's model, not pppd."""
    site = load_files([ROOT / "inventory" / "sites" / "ruse.yaml"], load_resolver(None)).sites[0]
    codes = [(hit.code, hit.message.split(":")[0]) for hit in site_hits(site)]
    assert ("SITE401", "pptp_clients.sofia") in codes
    assert ("SITE402", "pptp_clients.sofia.mppe") in codes
    assert ("SITE401", "pptp_server") in codes and ("SITE402", "pptp_server.mppe") in codes


def test_every_rule_is_documented() -> None:
    doc = (ROOT / "docs" / "lint.md").read_text()
    rows = dict(re.findall(r"^\| (\w+\d{3}) \| (error|warning|info) \|", doc, re.M))
    assert rows == {rule.code: rule.severity for rule in RULES}


def test_rule_codes_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"(IOS|SITE)\d{3}", code) for code in codes)


def test_interface_definitions_in_every_spelling() -> None:
    config = read_config(
        "interface Dialer 2\n ip address negotiated\n"
        "interface FastEthernet0/0.10 point-to-point\n"
        "interface Virtual-Template1\n"
    )
    assert list(config.interfaces) == ["dialer2", "fastethernet0/0.10", "virtual-template1"]


def test_site_with_aaa_login_none_is_a_lint_error() -> None:
    """`aaa: {login: none}` renders `aaa authentication login default none`: IOS410, error."""
    from pathlib import Path

    from iosgen.lint import lint_site
    from iosgen.model.inventory import load_files, load_resolver

    path = Path(__file__).resolve().parents[2] / "inventory" / "sites" / "plovdiv.yaml"
    site = load_files([path], load_resolver(None)).sites[0]
    open_site = site.model_copy(update={"aaa": site.aaa.model_copy(update={"login": "none"})})
    findings = lint_site(open_site, path)
    assert [(f.code, f.severity) for f in findings if f.code == "IOS410"] == [("IOS410", "error")]
    assert "IOS410" not in {f.code for f in lint_site(site, path)}
