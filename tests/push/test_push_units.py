"""Pure parts of the push: how lines are typed, what is on the management path, IOS answers."""

from __future__ import annotations

from ipaddress import IPv4Network

import pytest

from iosgen.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREACHABLE
from iosgen.fleet.push import as_results
from iosgen.ios.dialogs import answer_lines, at_prompt, failure_in, open_dialog
from iosgen.ios.secrets import redact_line
from iosgen.model.site import Site
from iosgen.push import Final, PushOutcome, Status, management_findings, send_form


@pytest.mark.parametrize(
    ("output", "mode"),
    [
        ("show run\nR-ITD#", "exec"),
        ("R-ITD>", "user"),
        ("interface Dialer2\nR-ITD(config-if)#", "config-if"),
        ("request-dialin\nR-ITD(config-vpdn-req-in)#", "config-vpdn-req-in"),
        ("description WAN#", None),  # an echo that happens to end in '#'
        ("Building configuration...\n[OK]", None),
        ("Destination filename [x.cfg]? ", None),
    ],
    ids=["exec", "user", "interface", "vpdn-subgroup", "echo-with-hash", "ok", "question"],
)
def test_prompt(output: str, mode: str | None) -> None:
    assert at_prompt(output) == mode


@pytest.mark.parametrize(
    ("output", "question"),
    [
        (
            "Destination filename [iosgen-rollback-1.cfg]? ",
            "Destination filename [iosgen-rollback-1.cfg]?",
        ),
        ("Delete flash:x.cfg? [confirm]", "Delete flash:x.cfg? [confirm]"),
        (
            "no ip nat inside source route-map VPN interface Dialer2 overload\n"
            "Dynamic mapping in use, do you want to delete all entries? [no]: ",
            "Dynamic mapping in use, do you want to delete all entries? [no]:",
        ),
        ("Building configuration...\n[OK]", None),
        ("R-ITD(config)#", None),
    ],
    ids=["copy", "delete", "nat", "write-ok", "prompt"],
)
def test_question(output: str, question: str | None) -> None:
    assert open_dialog(output) == question


def test_failures_are_percent_lines() -> None:
    invalid = "              ^\n% Invalid input detected at '^' marker.\n\nR-ITD(config)#"
    assert failure_in(answer_lines(invalid))
    assert answer_lines(invalid) == "              ^\n% Invalid input detected at '^' marker."
    assert failure_in('% Ambiguous command:  "ip nat"')
    assert not failure_in("Building configuration...\n[OK]")


def test_send_form_types_exit_where_a_submode_ends() -> None:
    lines = (
        "vpdn-group 2",
        " request-dialin",
        "  protocol pptp",
        " initiate-to ip 203.0.113.10",
        "ip route 10.10.0.0 255.255.0.0 Dialer2",
        "no ip domain lookup",
        "interface Dialer2",
        " ppp chap password 7 0123035155",
    )
    assert send_form(lines) == [
        ("vpdn-group 2", None),
        ("request-dialin", "vpdn-group 2"),
        ("protocol pptp", "request-dialin"),
        ("exit", None),
        ("initiate-to ip 203.0.113.10", "vpdn-group 2"),
        ("exit", None),
        ("ip route 10.10.0.0 255.255.0.0 Dialer2", None),
        ("no ip domain lookup", None),  # a global line after a global one: no exit
        ("interface Dialer2", None),
        ("ppp chap password 7 0123035155", "interface Dialer2"),
    ]


def _behind_sofia(site: Site) -> Site:
    sofia = site.pptp_clients["sofia"]
    nets = [*sofia.remote_networks, IPv4Network("10.99.0.0/16")]
    return site.model_copy(
        update={"pptp_clients": {"sofia": sofia.model_copy(update={"remote_networks": nets})}}
    )


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (("interface FastEthernet0/0", " ip address 198.51.100.10 255.255.255.0"), "WAN"),
        (("interface FastEthernet0/0", " no ip nat outside"), "WAN"),
        (("interface FastEthernet0/0", " description WAN uplink"), None),
        (("no ip nat inside source route-map INTERNET interface FastEthernet0/0 overload",), "WAN"),
        (("line vty 0 4", " transport input telnet ssh"), "vty"),
        (("aaa new-model",), "AAA"),
        (("ip ssh version 1",), "SSH"),
        (("username netops privilege 15 secret 5 $1$x$y",), "management account"),
        (("username ivan password 7 00071A150754",), None),
        (("interface Dialer2", " mtu 1400"), "tunnel"),
        (("no ip route 10.10.0.0 255.255.0.0 Dialer2",), "tunnel"),
        (("route-map VPN permit 10", " match interface Dialer3"), "tunnel"),
        (("vpdn-group 2", " initiate-to ip 192.0.2.1"), "tunnel"),
        (("interface FastEthernet0/1", " description LAN"), None),
    ],
    ids=[
        "wan-address", "wan-nat", "wan-description", "wan-pat", "vty", "aaa", "ssh",
        "mgmt-user", "other-user", "dialer", "tunnel-route", "tunnel-route-map",
        "vpdn-group", "lan",
    ],
)  # fmt: skip
def test_management_path(itd: Site, lines: tuple[str, ...], reason: str | None) -> None:
    site = _behind_sofia(itd)
    found = management_findings(site, lines, ["10.99.1.20"])
    if reason is None:
        assert found == ()
    else:
        assert len(found) == 1 and reason in found[0].reason, found
        assert found[0].line.endswith(lines[-1].strip())


def test_tunnel_lines_are_free_when_management_is_elsewhere(itd: Site) -> None:
    lines = ("interface Dialer2", " mtu 1400", "no ip route 10.10.0.0 255.255.0.0 Dialer2")
    assert management_findings(itd, lines, ["198.51.100.10", "192.0.2.7"]) == ()
    assert len(management_findings(itd, lines, ["10.10.3.4"])) == 2


def test_exit_codes() -> None:
    def o(status: Status) -> PushOutcome:
        return PushOutcome("R", status, Final.OLD)

    assert as_results([o(Status.PUSHED), o(Status.IN_SYNC)]).exit_code == EXIT_OK
    assert as_results([o(Status.PUSHED), o(Status.ROLLED_BACK)]).exit_code == EXIT_FINDINGS
    assert as_results([o(Status.REFUSED)]).exit_code == EXIT_FINDINGS
    assert as_results([o(Status.SKIPPED), o(Status.UNREACHABLE)]).exit_code == EXIT_UNREACHABLE


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        (" ppp chap password 7 0123035155", " ppp chap password 7 <redacted>"),
        ("username netops secret 5 $1$Jw63$K/0b", "username netops secret 5 <redacted>"),
        (" l2tp tunnel password 7 011057175804", " l2tp tunnel password 7 <redacted>"),
        ("Password: ", "Password: "),
    ],
    ids=["chap", "md5", "l2tp", "prompt"],
)
def test_session_log_lines(line: str, shown: str) -> None:
    assert redact_line(line) == shown


def test_guard_sees_lan_paths_routes_and_the_login_account(itd: Site) -> None:
    """Managed from the LAN: its address is on the path, so is a route to iosgen's host."""
    lines = [
        "interface FastEthernet0/1",
        " ip address 192.168.11.1 255.255.255.0",
        "ip route 10.99.0.0 255.255.0.0 192.168.10.254",
        "no username admin",
        "ip domain name other.example",
    ]
    found = management_findings(itd, lines, ["192.168.10.1", "10.99.1.20"], login="admin")
    reasons = [f.reason for f in found]
    assert len(found) == 3, reasons
    assert "interface iosgen reaches it through, FastEthernet0/1" in reasons[0]
    assert reasons[1] == "a static route toward the management endpoints"
    assert reasons[2] == "the management account 'admin'"
