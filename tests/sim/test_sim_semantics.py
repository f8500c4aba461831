"""What applying config lines does, as IOS 12.4 does it (no SSH: the config model alone)."""

from __future__ import annotations

import random
import re

import pytest
from sim_helpers import FIXTURES, body, typed

from iosgen.sim.config import Config
from iosgen.sim.configmode import ConfigMode, load_text
from iosgen.sim.secrets import type7_decode, type7_encode

SAMPLE = (FIXTURES / "plovdiv-sample.cfg").read_text()


def blocks(text: str) -> list[list[str]]:
    """Top-level lines with their indented children, `!` and `end` dropped."""
    out: list[list[str]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("!") or line == "end":
            continue
        if line.startswith(" ") and out:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def test_sample_config_round_trips() -> None:
    cfg = Config()
    assert load_text(cfg, SAMPLE) == []
    assert body(cfg) == SAMPLE


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ios_order_whatever_the_typing_order(seed: int) -> None:
    parts = blocks(SAMPLE)
    random.Random(seed).shuffle(parts)
    lines = [ln.strip() for part in parts for ln in part]
    # typed without indentation and without `exit`: fall-through does the rest
    cfg, outputs = typed(lines)
    assert [o for o in outputs if o] == []
    assert body(cfg) == SAMPLE


def test_single_value_commands_replace() -> None:
    cfg, _ = typed(
        [
            "interface Dialer2",
            "description first",
            "description second",
            "mtu 1500",
            "mtu 1460",
            "ip address 10.1.1.1 255.255.255.0",
            "ip address negotiated",
            "ppp encrypt mppe auto",
            "ppp encrypt mppe 128 required",
            "ppp chap password 0 one",
            "ppp chap password two",
        ]
    )
    text = body(cfg)
    assert " description second\n" in text and "first" not in text
    assert " mtu 1460\n" in text and "mtu 1500" not in text
    assert " ip address negotiated\n" in text and "10.1.1.1" not in text
    assert " ppp encrypt mppe 128 required\n" in text and "mppe auto" not in text
    assert " ppp chap password 0 two\n" in text and "one" not in text


def test_no_forms_remove() -> None:
    cfg, _ = typed(
        [
            "interface FastEthernet0/0",
            "description WAN",
            "ip address dhcp",
            "no description",
            "no ip address",
            "no ip domain lookup",
            "ip route 10.20.0.0 255.255.0.0 Dialer2",
            "ip route 10.30.0.0 255.255.0.0 Dialer2",
            "no ip route 10.20.0.0 255.255.0.0",
        ]
    )
    text = body(cfg)
    assert "description" not in text
    assert "interface FastEthernet0/0\n no ip address\n duplex auto\n speed auto\n" in text
    assert "no ip domain lookup\n" in text
    assert "ip route 10.30.0.0 255.255.0.0 Dialer2\n" in text and "10.20.0.0" not in text
    cfg, _ = typed(["ip domain lookup"], cfg)
    assert "domain lookup" not in body(cfg)


def test_no_access_list_deletes_the_whole_numbered_list() -> None:
    cfg, _ = typed(
        [
            "access-list 10 permit 192.168.50.0 0.0.0.255",
            "access-list 10 permit 192.168.60.0 0.0.0.255",
            "access-list 11 permit 10.0.0.0 0.255.255.255",
            "no access-list 10 permit 192.168.60.0 0.0.0.255",
        ]
    )
    text = body(cfg)
    assert "access-list 10" not in text
    assert "access-list 11 permit 10.0.0.0 0.255.255.255\n" in text


def test_numbered_acl_entries_keep_their_order_and_are_normalised() -> None:
    cfg, _ = typed(
        [
            "access-list 10 permit host 10.0.0.9",
            "access-list 10 permit 192.168.50.7 0.0.0.255",
            "access-list 10 deny 0.0.0.0 255.255.255.255",
            "access-list 100 permit ip 10.0.0.1 0.0.0.0 any",
            "access-list 100 permit tcp any host 10.0.0.2 eq 22",
        ]
    )
    acl = [ln for ln in body(cfg).splitlines() if ln.startswith("access-list")]
    assert acl == [
        "access-list 10 permit 10.0.0.9",
        "access-list 10 permit 192.168.50.0 0.0.0.255",
        "access-list 10 deny any",
        "access-list 100 permit ip host 10.0.0.1 any",
        "access-list 100 permit tcp any host 10.0.0.2 eq 22",
    ]


def test_no_interface_deletes_logical_interfaces_only() -> None:
    cfg, out = typed(
        [
            "interface Dialer2",
            "mtu 1460",
            "interface Virtual-Template1",
            "exit",
            "no interface Dialer2",
            "no interface Virtual-Template1",
            "no interface FastEthernet0/0",
        ]
    )
    text = body(cfg)
    assert "Dialer2" not in text and "Virtual-Template1" not in text
    assert "interface FastEthernet0/0" in text
    assert out[-1] == "% Removal of physical interfaces is not permitted\n"


def test_automatic_lines() -> None:
    cfg, _ = typed(
        [
            "interface FastEthernet0/1",
            "ip nat inside",
            "username bob password secret1",
            "aaa new-model",
        ]
    )
    text = body(cfg)
    assert (
        "interface FastEthernet0/1\n no ip address\n ip nat inside\n ip virtual-reassembly\n"
        " duplex auto\n speed auto\n"
    ) in text
    assert "username bob password 0 secret1\n" in text
    assert "aaa new-model\n" in text and "aaa session-id common\n" in text
    assert "no shutdown" not in text


def test_no_shutdown_is_never_printed_and_shutdown_is() -> None:
    cfg, _ = typed(["interface FastEthernet0/0", "shutdown"])
    assert " shutdown\n" in body(cfg)
    cfg, _ = typed(["interface FastEthernet0/0", "no shutdown"], cfg)
    assert "shutdown" not in body(cfg)


def test_service_password_encryption_turns_clear_passwords_into_type_7() -> None:
    cfg, _ = typed(
        [
            "enable secret letmein",
            "enable password clear1",
            "username ivan password ivanpw",
            "interface Dialer2",
            "ppp chap password 0 chappw",
            "line vty 0 4",
            "password linepw",
            "service password-encryption",
        ]
    )
    text = body(cfg)
    assert "service password-encryption\n" in text
    assert re.search(r"^enable secret 5 \$1\$", text, re.M)
    found = dict(
        re.findall(
            r"^\s*(enable password|username ivan password|ppp chap password|password) 7 (\w+)$",
            text,
            re.M,
        )
    )
    assert {k: type7_decode(v) for k, v in found.items()} == {
        "enable password": "clear1",
        "username ivan password": "ivanpw",
        "ppp chap password": "chappw",
        "password": "linepw",
    }
    for value in found.values():
        assert 0 <= int(value[:2]) <= 15
    # typed while it is on: stored as type 7 at once
    cfg, _ = typed(["username maria password mariapw"], cfg)
    line = next(ln for ln in body(cfg).splitlines() if ln.startswith("username maria"))
    assert line.startswith("username maria password 7 ")
    assert type7_decode(line.split()[-1]) == "mariapw"


def test_type7_salts_vary_and_known_vectors_decode() -> None:
    assert type7_encode("cisco", 7) == "070C285F4D06"
    assert type7_decode("044B0A151C36435C0D") == "password"
    assert type7_decode("426756075B") == "Pe5n"
    assert len({type7_encode("same") for _ in range(40)}) > 1


def test_vpdn_fall_through_and_prompts() -> None:
    cfg = Config()
    mode = ConfigMode(cfg)
    seen = []
    for line in [
        "vpdn-group 2",
        "request-dialin",
        "protocol pptp",
        "rotary-group 2",
        "initiate-to ip 203.0.113.10",
        "interface Dialer2",
        "route-map VPN",
        "match ip address 10",
        "line vty 0 4",
        "exec-timeout 5 0",
    ]:
        mode.feed(line, "")
        seen.append(mode.mode)
    assert seen == [
        "config-vpdn",
        "config-vpdn-req-in",
        "config-vpdn-req-in",
        "config-vpdn-req-in",
        "config-vpdn",  # initiate-to is a group-level command
        "config-if",
        "config-route-map",
        "config-route-map",
        "config-line",
        "config-line",
    ]
    text = body(cfg)
    assert (
        "vpdn-group 2\n request-dialin\n  protocol pptp\n  rotary-group 2\n"
        " initiate-to ip 203.0.113.10\n!\n" in text
    )
    assert "route-map VPN permit 10\n match ip address 10\n!\n" in text
    assert "line vty 0 4\n exec-timeout 5 0\n" in text


def test_virtual_template_needs_protocol_and_goes_with_it() -> None:
    cfg, out = typed(["vpdn-group 1", "accept-dialin", "virtual-template 1"])
    assert out[-1].startswith("%")
    cfg, out = (
        typed(["protocol pptp", "virtual-template 1"], cfg)
        if False
        else typed(["vpdn-group 1", "accept-dialin", "protocol pptp", "virtual-template 1"], cfg)
    )
    text = body(cfg)
    assert (
        "vpdn-group 1\n! Default PPTP VPDN group\n accept-dialin\n  protocol pptp\n"
        "  virtual-template 1\n"
    ) in text
    cfg, _ = typed(["vpdn-group 1", "accept-dialin", "no protocol"], cfg)
    assert "virtual-template" not in body(cfg)


def test_unknown_lines_are_rejected_and_never_stored() -> None:
    cfg, out = typed(["interface Dialer2", "ip nat middle", "frobnicate now"])
    assert all("% Invalid input detected at '^' marker." in o for o in out[1:])
    text = body(cfg)
    assert "middle" not in text and "frobnicate" not in text


def test_banner_motd_multi_line() -> None:
    cfg, out = typed(["banner motd #", "Authorised access only", "#", "hostname R9"])
    assert out[0] == "Enter TEXT message.  End with the character '#'.\n"
    text = body(cfg)
    assert "banner motd ^C\nAuthorised access only\n^C\n" in text
    assert "hostname R9\n" in text
    # and a printed banner loads back
    again = Config()
    assert load_text(again, text) == []
    assert body(again) == text


def test_no_forms_that_stop_early() -> None:
    cfg, out = typed(
        [
            "dialer-list 2 protocol ip permit",
            "no dialer-list 2",
            "no ip forward-protocol nd",
            "username bob privilege 15 secret x",
            "no username bob",
            "interface Virtual-Template1",
            "ip unnumbered FastEthernet0/1",
            "no ip address",
        ]
    )
    text = body(cfg)
    assert [o for o in out if o] == []
    assert "dialer-list" not in text and "username bob" not in text
    assert "no ip forward-protocol nd\n" in text
    assert "interface Virtual-Template1\n no ip address\n" in text


def test_route_map_match_clauses_are_lists() -> None:
    cfg, _ = typed(
        [
            "access-list 10 permit 192.168.50.0 0.0.0.255",
            "access-list 20 permit 192.168.60.0 0.0.0.255",
            "route-map VPN permit 10",
            "match ip address 10",
            "match ip address 20",
            "match interface FastEthernet0/0",
        ]
    )
    assert "route-map VPN permit 10\n match ip address 10 20\n" in body(cfg)
    cfg, _ = typed(["route-map VPN permit 10", "no match ip address 10"], cfg)
    assert " match ip address 20\n" in body(cfg)
    cfg, _ = typed(["route-map VPN permit 10", "no match ip address 20"], cfg)
    assert "match ip address" not in body(cfg)
    assert " match interface FastEthernet0/0\n" in body(cfg)


def test_ip_local_pool_ranges_add_up_and_go_one_by_one() -> None:
    cfg, _ = typed(
        [
            "ip local pool PPTP 10.1.1.10 10.1.1.20",
            "ip local pool PPTP 10.1.1.30 10.1.1.40",
        ]
    )
    text = body(cfg)
    assert (
        "ip local pool PPTP 10.1.1.10 10.1.1.20\nip local pool PPTP 10.1.1.30 10.1.1.40\n" in text
    )
    cfg, _ = typed(["no ip local pool PPTP 10.1.1.10 10.1.1.20"], cfg)
    assert "10.1.1.10" not in body(cfg) and "10.1.1.30" in body(cfg)
    cfg, _ = typed(["no ip local pool PPTP"], cfg)
    assert "ip local pool" not in body(cfg)


def test_defaults_nvgen_leaves_out() -> None:
    cfg, _ = typed(
        [
            "username bob privilege 1 secret bobs",
            "line vty 0 4",
            "exec-timeout 5 0",
            "exec-timeout 10 0",
        ]
    )
    text = body(cfg)
    assert "username bob secret 5 $1$" in text
    assert "privilege 1" not in text
    assert "exec-timeout" not in text


def test_a_subnet_another_interface_has_is_refused() -> None:
    cfg, out = typed(
        [
            "interface FastEthernet0/1",
            "ip address 192.168.10.1 255.255.255.0",
            "interface FastEthernet0/0",
            "ip address 192.168.10.2 255.255.255.128",
        ]
    )
    assert out[3].startswith("% 192.168.10.0 overlaps with FastEthernet0/1")
    assert "192.168.10.2" not in body(cfg)
    cfg, out = typed(
        ["interface FastEthernet0/1", "no ip address", "interface FastEthernet0/0",
         "ip address 192.168.10.2 255.255.255.128"],
        cfg,
    )  # fmt: skip
    assert out[3] == ""
    assert " ip address 192.168.10.2 255.255.255.128\n" in body(cfg)
