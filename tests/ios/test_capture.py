"""What an operator saved becomes the config IOS prints: `ios.capture`.

Captures are made here from the real configs (tests/realconfigs/*.cfg) as an operator
makes them: with the terminal's prompts, and typed (unindented, `conf t` ... `end`, `wr`).
The proof is the tree: the capture parses to the same config as the file it came from.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.ios.capture import CaptureError, config_lines, running_config_text
from iosgen.ios.config import ConfigTextError, parse

ROOT = Path(__file__).resolve().parents[2]
REAL = sorted((ROOT / "tests" / "realconfigs").glob("*.cfg")) + sorted(
    (ROOT / "golden").glob("*.cfg")
)
# A typo IOS itself refuses (`passsive-interface`, in the ciscoconfparse fixture): typed
# without indentation, nothing tells which mode it was meant for.
REFUSED_TYPED = {"2600xm-ccp-pppoa-154.cfg": "passsive-interface FastEthernet0/0"}


def tree(text: str) -> list[str]:
    return parse(text).render()


def with_prompts(text: str, host: str = "R1") -> str:
    """A terminal capture of `show running-config`: the command, the header, the prompt."""
    return f"{host}#show running-config\nBuilding configuration...\n\n{text}\n{host}#\n"


def typed(text: str) -> str:
    """The config as an operator types it: no indentation, in a config session, saved."""
    body = "\n".join(line.lstrip() for line in text.splitlines())
    return f"enable\nconfigure terminal\n{body}\nend\nwrite memory\n"


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_a_printed_config_is_kept(path: Path) -> None:
    text = path.read_text()
    assert tree(running_config_text(text, path.name)) == tree(text)


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_a_capture_with_prompts_is_its_config(path: Path) -> None:
    text = path.read_text()
    got = running_config_text(with_prompts(text), path.name)
    assert tree(got) == tree(text)
    assert not [line for line in got.splitlines() if line.startswith(("R1#", "Building"))]


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_a_typed_config_is_reindented_or_refused_at_its_line(path: Path) -> None:
    text = path.read_text()
    capture = typed(text)
    if path.name in REFUSED_TYPED:
        with pytest.raises(CaptureError) as caught:
            running_config_text(capture, path.name)
        bad = REFUSED_TYPED[path.name]
        assert f"`{bad}`" in caught.value.message
        assert capture.splitlines()[caught.value.line - 1] == bad
        return
    got = running_config_text(capture, path.name)
    assert tree(got) == tree(text)
    assert not {"conf t", "configure terminal", "exit", "end", "write memory"} & set(
        got.splitlines()
    )


TYPED_SESSION = """\
R1#conf t
Enter configuration commands, one per line.  End with CNTL/Z.
R1(config)#interface Fa0/0
R1(config-if)#ip address dhcp
R1(config-if)#ip nat outside
R1(config-if)#ip nat inside source list 1 interface Fa0/0 overload
R1(config)#line vty 0 4
R1(config-line)#password 7 0822455D0A16
R1(config-line)#transport input ssh
R1(config-line)#end
R1#wr
Building configuration...
[OK]
R1#conf t
R1(config)#vpdn-group 2
R1(config-vpdn)#request-dialin
R1(config-vpdn-req-in)#protocol pptp
R1(config-vpdn-req-in)#pool-member 2
R1(config-vpdn)#initiate-to ip 203.0.113.10
R1(config-vpdn)#exit
R1(config)#banner motd ^C
Router#
end
interface nothing
^C
R1(config)#ip cef
R1(config)#end
R1#
"""
TYPED_WANT = """\
interface FastEthernet0/0
 ip address dhcp
 ip nat outside
ip nat inside source list 1 interface Fa0/0 overload
line vty 0 4
 password 7 0822455D0A16
 transport input ssh
vpdn-group 2
 request-dialin
  protocol pptp
  pool-member 2
 initiate-to ip 203.0.113.10
banner motd ^C
Router#
end
interface nothing
^C
ip cef"""


def test_a_typed_session_with_prompts_is_the_config_it_made() -> None:
    # the falls back from a sub-mode (`ip nat inside source` after the interface's lines,
    # `initiate-to` after request-dialin's) are IOS's; the banner text is never read
    assert running_config_text(TYPED_SESSION).rstrip("\n") == TYPED_WANT


def test_a_line_keeps_its_number() -> None:
    capture = with_prompts("hostname R1\ninterface Fa0/0\n ip address dhcp")
    lines = config_lines(capture)
    assert len(lines) == len(capture.split("\n"))
    assert lines[4] == "interface Fa0/0"


REFUSED = {
    "empty": ("", 1, 1, "no configuration lines"),
    "comments-only": ("!\n! Last configuration change\n!\n", 1, 1, "no configuration lines"),
    "only-a-prompt": ("R1#show running-config\nR1#\n", 1, 1, "no configuration lines"),
    "nul": ("hostname R1\ninter\x00face", 2, 6, "binary data (a NUL byte)"),
    "not-utf8": ("\ufffd" * 40 + "\nhostname R1", 1, 1, "binary data (not UTF-8)"),
    "yaml": ("# a site\nhostname: R1\ninterfaces:\n", 2, 1, "looks like YAML or JSON"),
    "yaml-document": ("---\nhostname R1\n", 1, 1, "looks like YAML or JSON"),
    "json": ('{"hostname": "R1"}\n', 1, 1, "looks like YAML or JSON"),
    "typed-unknown-in-mode": (
        "interface Fa0/0\nip address dhcp\nfrobnicate 3\n",
        3,
        1,
        "`frobnicate 3` is not a command iosgen knows in `interface` mode",
    ),
    "typed-unknown-global": (
        "hostname R1\ninterface Fa0/0\nexit\nwidget on\n",
        4,
        1,
        "`widget on` is not a command iosgen knows in global config mode",
    ),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_what_is_no_config_is_refused_at_its_place(case: tuple[str, int, int, str]) -> None:
    text, line, column, message = case
    with pytest.raises(ConfigTextError) as caught:
        running_config_text(text, "saved.cfg")
    assert (caught.value.source, caught.value.line, caught.value.column) == (
        "saved.cfg",
        line,
        column,
    )
    assert message in caught.value.message
    assert str(caught.value).startswith(f"saved.cfg:{line}:{column}: ")


def test_a_refused_line_never_shows_its_secret() -> None:
    text = "interface Dialer2\nppp chap hostname plovdiv\nfrob password 0 Hunter2Clear\n"
    with pytest.raises(CaptureError) as caught:
        running_config_text(text)
    assert "Hunter2Clear" not in str(caught.value)
    assert "frob password 0 <redacted>" in caught.value.message


def test_a_printed_config_is_never_reindented() -> None:
    # one indented line says the file is printed: its top-level lines stay top-level,
    # whatever they are (a global command iosgen has no table for)
    text = "interface Fa0/0\n ip address dhcp\nwidget on\n"
    assert running_config_text(text) == text


def test_the_question_a_typed_banner_asks_is_no_banner_text() -> None:
    capture = (
        "R1#conf t\nR1(config)#banner motd ^C\n"
        "Enter TEXT message.  End with the character '^C'.\nAuthorised use only\n^C\n"
        "R1(config)#end\n"
    )
    lines = config_lines(capture)
    assert len(lines) == len(capture.split("\n"))
    assert [line for line in lines if line] == ["banner motd ^C", "Authorised use only", "^C"]
    assert tree(running_config_text(capture)) == ["banner motd ^C\nAuthorised use only\n^C"]


ABBREVIATED = {
    "int": ("int g1/0", "interface GigabitEthernet1/0"),
    "int-dialer-space": ("int dialer 1", "interface Dialer1"),
    "interface-lowercase-template": ("interface virtual-template 1", "interface Virtual-Template1"),
    "subinterface-keyword": (
        "int fa0/0.10 point-to-point",
        "interface FastEthernet0/0.10 point-to-point",
    ),
    "no-shut": ("no shut", "no shutdown"),
    "ip-add": ("ip add 192.168.1.1 255.255.255.0", "ip address 192.168.1.1 255.255.255.0"),
    "ip-nat-ins": ("ip nat ins", "ip nat inside"),
    "full-kept": ("ip address dhcp", "ip address dhcp"),
    "domain-name": ("ip domain-name tfg.uoc", "ip domain name tfg.uoc"),
    "no-domain-lookup": ("no ip domain-lookup", "no ip domain lookup"),
    "line-console": ("line console 0", "line con 0"),
    "not-a-prefix": ("interfaces", "interfaces"),
}


@pytest.mark.parametrize(("typed_line", "full"), ABBREVIATED.values(), ids=ABBREVIATED.keys())
def test_a_typed_line_is_read_in_full(typed_line: str, full: str) -> None:
    from iosgen.ios.capture import typed_in_full

    assert typed_in_full(typed_line) == full


ACTIONS = {
    # `crypto key generate rsa` asks for the modulus; the answer typed after it is no config
    "rsa-asks": ("crypto key generate rsa\n1024\n", []),
    "rsa-modulus-given": ("crypto key generate rsa modulus 2048\n", []),
    # given the modulus, the next line is config again, even a number-like one is kept
    "rsa-then-config": (
        "crypto key generate rsa modulus 1024\nip ssh version 2\n",
        ["ip ssh version 2"],
    ),
    "enroll": ("crypto pki enroll TP\nip ssh version 2\n", ["ip ssh version 2"]),
    "do-write": ("do wri mem\ndo copy run start\nip ssh version 2\n", ["ip ssh version 2"]),
}


@pytest.mark.parametrize(("typed_lines", "kept"), ACTIONS.values(), ids=ACTIONS.keys())
def test_commands_that_act_once_are_no_config(typed_lines: str, kept: list[str]) -> None:
    loopback = "interface Loopback0\nip address 192.0.2.1 255.255.255.255\n"
    text = f"conf t\nhostname R1\n{typed_lines}{loopback}end\n"
    got = running_config_text(text).splitlines()
    assert got == [
        "hostname R1",
        *kept,
        "interface Loopback0",
        " ip address 192.0.2.1 255.255.255.255",
    ]


# A global command typed right after a section's lines leaves the section, as IOS does
# when the sub-mode has no such command; one the sub-mode has stays in it.
FALLS_BACK = {
    "crypto-map-entry-after-interface": (
        "interface Tunnel101\nip address 192.168.20.6 255.255.255.252\n"
        "crypto map UMAPA 10 ipsec-isakmp\nset peer 2.20.0.1",
        [
            "interface Tunnel101",
            " ip address 192.168.20.6 255.255.255.252",
            "crypto map UMAPA 10 ipsec-isakmp",
            " set peer 2.20.0.1",
        ],
    ),
    "crypto-map-on-interface": (
        "interface Serial0/1/1\ncrypto map UMAPA",
        ["interface Serial0/1/1", " crypto map UMAPA"],
    ),
    "clock-after-interface": (
        "interface Serial0/0\nclock rate 64000\nclock timezone CET 1",
        ["interface Serial0/0", " clock rate 64000", "clock timezone CET 1"],
    ),
    "login-block-after-vty": (
        "line vty 0 4\nlogin local\nlogin block-for 30 attempts 5 within 15",
        ["line vty 0 4", " login local", "login block-for 30 attempts 5 within 15"],
    ),
    "logging-after-log-config": (
        "archive\nlog config\nlogging enable\nhidekeys\nlogging 192.0.2.9",
        ["archive", " log config", "  logging enable", "  hidekeys", "logging 192.0.2.9"],
    ),
    "key-chain-after-group": (
        "crypto isakmp client configuration group EZ\nkey S3cretGroupKey\n"
        "key chain EIGRP\nkey 1\nkey-string K",
        [
            "crypto isakmp client configuration group EZ",
            " key S3cretGroupKey",
            "key chain EIGRP",
            " key 1",
            "  key-string K",
        ],
    ),
    # the IPsec sub-modes (the contract of docs/tunnels.md, and a hub's dynamic map)
    "ipsec-profile-and-dynamic-map": (
        "crypto ipsec profile IOSGEN-SOFIA\nset transform-set TS\nset pfs group5\n"
        "crypto dynamic-map DYN 10\nset transform-set TS\nset pfs group5\n"
        "crypto map VPN 65535 ipsec-isakmp dynamic DYN\n"
        "crypto keyring KR\npre-shared-key address 0.0.0.0 0.0.0.0 key K\n"
        "crypto isakmp profile IP\nkeyring KR\nmatch identity address 0.0.0.0\n"
        "ip route 0.0.0.0 0.0.0.0 192.0.2.1",
        [
            "crypto ipsec profile IOSGEN-SOFIA",
            " set transform-set TS",
            " set pfs group5",
            "crypto dynamic-map DYN 10",
            " set transform-set TS",
            " set pfs group5",
            "crypto map VPN 65535 ipsec-isakmp dynamic DYN",
            "crypto keyring KR",
            " pre-shared-key address 0.0.0.0 0.0.0.0 key K",
            "crypto isakmp profile IP",
            " keyring KR",
            " match identity address 0.0.0.0",
            "ip route 0.0.0.0 0.0.0.0 192.0.2.1",
        ],
    ),
    "cdp-log-stays-on-interface": (
        "interface FastEthernet0/0\nno cdp log mismatch duplex\ncdp run",
        ["interface FastEthernet0/0", " no cdp log mismatch duplex", "cdp run"],
    ),
}


@pytest.mark.parametrize(("typed_lines", "want"), FALLS_BACK.values(), ids=FALLS_BACK.keys())
def test_a_global_command_leaves_the_section(typed_lines: str, want: list[str]) -> None:
    assert running_config_text(f"conf t\n{typed_lines}\nend\n").splitlines() == want


def test_the_global_prompt_says_the_line_is_global() -> None:
    """`R1(config)#` before a line: IOS was in global config mode, whatever the line is
    (here a vty's `password`, which no global command is: refused, not nested)."""
    capture = (
        "R1#conf t\nR1(config)#line vty 0 4\nR1(config-line)#login\n"
        "R1(config)#password 7 0822455D0A16\n"
    )
    with pytest.raises(CaptureError) as caught:
        running_config_text(capture)
    assert caught.value.line == 4 and "global config mode" in caught.value.message
    assert "0822455D0A16" not in str(caught.value)
    nested = capture.replace("R1(config)#password", "R1(config-line)#password")
    assert running_config_text(nested).splitlines()[-1] == " password 7 0822455D0A16"
