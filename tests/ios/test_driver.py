"""ios.driver: iosgen's IOS 12.4 rules as a hier_config driver, used by hier_config itself."""

from __future__ import annotations

import pytest
from hier_config import get_hconfig
from hier_config.platforms.cisco_ios.driver import HConfigDriverCiscoIOS

from iosgen.ios.driver import SHORT_NEGATIONS, SINGLE_VALUE, HConfigDriverIOS124, driver, negation


@pytest.mark.parametrize(
    ("line", "parents", "typed"),
    [
        (
            "username ivan privilege 15 secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0",
            [],
            "no username ivan",
        ),
        ("username ivan autocommand ppp", [], "no username ivan autocommand"),
        ("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", [], "no enable secret"),
        ("snmp-server community public RO 10", [], "no snmp-server community public"),
        ("access-list 10 permit 192.168.10.0 0.0.0.255", [], "no access-list 10"),
        ("banner motd ^C\nAuthorised access only\n^C", [], "no banner motd"),
        ("ppp chap password 7 0822455D0A16", ["interface Dialer2"], "no ppp chap password"),
        ("ip address 192.168.10.1 255.255.255.0", ["interface FastEthernet0/1"], "no ip address"),
        ("description WAN", ["interface FastEthernet0/0"], "no description"),
        ("password 7 0822455D0A16", ["line vty 0 4"], "no password"),
        ("l2tp tunnel password 7 0822455D0A16", ["vpdn-group 2"], "no l2tp tunnel password"),
        ("mtu 1400", ["interface Dialer2"], "no mtu 1400"),
        ("password 7 0822455D0A16", ["interface Dialer2"], "no password 7 0822455D0A16"),
        ("no cdp run", [], "cdp run"),
    ],
    ids=[
        "username",
        "username-autocommand",
        "enable-secret",
        "snmp-community",
        "numbered-acl",
        "banner",
        "chap-password",
        "ip-address",
        "description",
        "line-password",
        "l2tp-password",
        "no-short-form",
        "short-form-only-in-its-mode",
        "undo-no",
    ],
)
def test_negation(line: str, parents: list[str], typed: str) -> None:
    assert negation(line, parents) == typed


def test_driver_is_the_ios_driver_with_iosgen_rules() -> None:
    rules = HConfigDriverIOS124().rules
    base = HConfigDriverCiscoIOS().rules
    assert rules.indentation == 1
    # hier_config's IOS-XE callbacks renumber named-ACL entries and drop remarks: not on 12.4
    assert rules.post_load_callbacks == []
    assert rules.per_line_sub == []
    assert rules.negation_sub[-len(SHORT_NEGATIONS) :] == list(SHORT_NEGATIONS)
    assert rules.idempotent_commands == [*base.idempotent_commands, *SINGLE_VALUE]
    assert driver() is driver()


RUNNING = """\
username ivan password 7 060506324F41
interface Dialer2
 mtu 1460
 ppp chap hostname plovdiv
 ppp chap password 7 0822455D0A16
"""


@pytest.mark.parametrize(
    ("intended", "expected"),
    [
        (RUNNING.replace("username ivan password 7 060506324F41\n", ""), ["no username ivan"]),
        (RUNNING.replace("mtu 1460", "mtu 1400"), ["interface Dialer2", " mtu 1400"]),
        (
            RUNNING.replace(" ppp chap password 7 0822455D0A16\n", ""),
            ["interface Dialer2", " no ppp chap password"],
        ),
        (
            RUNNING.replace("chap password 7 0822455D0A16", "chap password 7 1511021F0725"),
            ["interface Dialer2", " ppp chap password 7 1511021F0725"],
        ),
    ],
    ids=["user-removed-short", "mtu-replaced", "chap-removed-short", "chap-replaced"],
)
def test_hier_config_uses_the_rules(intended: str, expected: list[str]) -> None:
    """The single values are typed over, never negated first; removals are the short form."""
    ios = driver()
    remediation = get_hconfig(ios, RUNNING).config_to_get_to(get_hconfig(ios, intended))
    lines = [line for line in remediation.all_children_sorted() if line]
    assert [line.cisco_style_text() for line in lines] == expected


def test_an_enable_secret_of_another_level_is_removed_by_its_level() -> None:
    """`no enable secret` removes the level-15 secret the model keeps; IOS removes a
    level-7 one with `no enable secret level 7`."""
    from iosgen.diff.remediation import remediate
    from iosgen.ios.config import parse

    intended = "hostname R\nenable secret 5 $1$Nqw3$T1y1T.ZFJRpArE6vQc8ls0\n"
    running = intended + "enable secret level 7 5 $1$abcd$T1y1T.ZFJRpArE6vQc8ls0\n"
    lines = remediate(parse(intended), parse(running)).lines(show_secrets=True)
    assert lines == ["no enable secret level 7"], lines
