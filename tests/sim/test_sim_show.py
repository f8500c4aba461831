"""The operational commands (show.py, ping.py) on a session without SSH, and over SSH."""

from __future__ import annotations

from typing import Any

import pytest
from netmiko.exceptions import NetmikoTimeoutException
from sim_helpers import connect

from iosgen.sim import SimFleet
from iosgen.sim.router import Router, RouterSpec
from iosgen.sim.server import vty_accepts
from iosgen.sim.shell import Shell

BRANCH = """\
hostname R1
username netops privilege 15 secret pw
interface FastEthernet0/0
 description WAN uplink
 ip address 203.0.113.2 255.255.255.252
interface FastEthernet0/1
 ip address 192.168.1.1 255.255.255.0
 shutdown
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip route 172.16.0.0 255.255.0.0 192.168.1.254
line vty 0 4
 transport input ssh
"""
ISOLATED = BRANCH.replace("ip route 0.0.0.0 0.0.0.0 203.0.113.1\n", "")


def session(config: str = BRANCH, user: str = "netops") -> Shell:
    shell = Shell(Router(RouterSpec("R1", "netops", "pw", initial_config=config)), user)
    say(shell, "terminal length 0\n")
    return shell


def say(shell: Shell, text: str) -> str:
    return "".join(t for t, answer in shell.feed(text) if answer)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (
            "show interfaces FastEthernet0/1",
            "FastEthernet0/1 is administratively down, line protocol is down \n",
        ),
        ("sh int fa0/0", "FastEthernet0/0 is up, line protocol is up \n"),
        ("show interfaces Loopback 0", "Loopback0 is up, line protocol is up \n"),
    ],
    ids=["shut-port", "abbreviated-up-port", "spaced-name"],
)
def test_show_interfaces_state_line(command: str, expected: str) -> None:
    assert say(session(), command + "\n").startswith(expected)


def test_show_interfaces_details() -> None:
    out = say(session(), "show interfaces FastEthernet0/0\n")
    assert "  Description: WAN uplink\n" in out
    assert "  Internet address is 203.0.113.2/30\n" in out
    assert "  MTU 1500 bytes, BW 100000 Kbit, DLY 100 usec, \n" in out
    assert "     0 packets input, 0 bytes, 0 no buffer\n" in out
    assert out.endswith("R1#")


def test_show_interfaces_all_has_a_down_one() -> None:
    out = say(session(), "show interfaces\n")
    assert out.count(" is up, line protocol is up") == 2
    assert "line protocol is down" in out  # what netmiko's send_multiline tests look for


def test_show_interfaces_unknown_name_is_refused() -> None:
    out = say(session(), "show interfaces FastEthernet0/9\n")
    assert "% Invalid input detected at '^' marker." in out
    assert out.endswith("R1#")


def test_ip_interface_brief_states() -> None:
    out = say(session(), "show ip interface brief\n")
    rows = {ln.split()[0]: ln.split()[1:] for ln in out.splitlines()[1:-1]}
    assert rows["FastEthernet0/1"] == [
        "192.168.1.1",
        "YES",
        "manual",
        "administratively",
        "down",
        "down",
    ]
    assert rows["FastEthernet0/0"] == ["203.0.113.2", "YES", "manual", "up", "up"]


def test_show_ip_route() -> None:
    out = say(session(), "show ip route\n")
    assert out.startswith("Codes: C - connected, S - static, R - RIP, M - mobile, B - BGP\n")
    assert "Gateway of last resort is 203.0.113.1 to network 0.0.0.0\n" in out
    assert "     203.0.113.0/30 is subnetted, 1 subnets\n" in out
    assert "C       203.0.113.0 is directly connected, FastEthernet0/0\n" in out
    assert "S*   0.0.0.0/0 [1/0] via 203.0.113.1\n" in out
    assert "192.168.1.0" not in out  # the shut port's network is not connected
    assert "172.16.0.0" not in out  # its next hop is behind the shut port


def test_show_ip_route_without_default() -> None:
    out = say(session(ISOLATED), "show ip route\n")
    assert "Gateway of last resort is not set\n" in out


@pytest.mark.parametrize(
    ("config", "command", "marks", "rate"),
    [
        (BRANCH, "ping 8.8.8.8", "!!!!!", "Success rate is 100 percent (5/5)"),
        (ISOLATED, "ping 8.8.8.8", ".....", "Success rate is 0 percent (0/5)"),
        (BRANCH, "ping 203.0.113.1 repeat 3", "!!!", "Success rate is 100 percent (3/3)"),
        (ISOLATED, "ping 192.168.1.5", ".....", "Success rate is 0 percent (0/5)"),
        (ISOLATED, "ping 10.255.0.1", "!!!!!", "Success rate is 100 percent (5/5)"),
    ],
    ids=["default-route", "no-route", "connected-repeat", "behind-shut-port", "own-address"],
)
def test_ping_follows_the_state(config: str, command: str, marks: str, rate: str) -> None:
    out = say(session(config), command + "\n")
    lines = out.splitlines()
    assert lines[0] == "Type escape sequence to abort."
    assert lines[2] == marks
    assert lines[3].startswith(rate)


def test_ping_source_interface() -> None:
    out = say(session(), "ping 8.8.8.8 source Loopback0\n")
    assert "Packet sent with a source address of 10.255.0.1 \n" in out
    bad = say(session(), "ping 8.8.8.8 source FastEthernet0/1\n")
    assert bad.startswith("% Invalid source address")


def test_extended_ping_dialog() -> None:
    shell = session()
    answers = [
        ("ping\n", "Protocol [ip]: "),
        ("\n", "Target IP address: "),
        ("8.8.8.8\n", "Repeat count [5]: "),
        ("100\n", "Datagram size [100]: "),
        ("\n", "Timeout in seconds [2]: "),
        ("\n", "Extended commands [n]: "),
        ("\n", "Sweep range of sizes [n]: "),
    ]
    for typed, prompt in answers:
        assert say(shell, typed) == prompt
    out = say(shell, "\n")
    assert "Sending 100, 100-byte ICMP Echos to 8.8.8.8, timeout is 2 seconds:\n" in out
    assert out.count("!") == 100
    assert "!" * 70 + "\n" + "!" * 30 + "\n" in out  # 70 marks a line
    assert out.endswith("R1#")


def test_extended_ping_bad_target_ends_the_dialog() -> None:
    shell = session()
    say(shell, "ping\n")
    say(shell, "\n")
    assert say(shell, "nowhere\n") == "% Bad IP address\nR1#"


def test_traceroute() -> None:
    out = say(session(), "traceroute 8.8.8.8\n")
    assert "  1 203.0.113.1 " in out
    assert "  2 8.8.8.8 " in out


@pytest.mark.parametrize(
    ("command", "first"),
    [
        ("show users", "    Line       User       Host(s)              Idle       Location"),
        ("show vpdn", "%No active L2TP tunnels"),
        ("show version | include register", "Configuration register is 0x2102"),
    ],
    ids=["users", "vpdn", "version-register"],
)
def test_other_shows(command: str, first: str) -> None:
    assert say(session(), command + "\n").splitlines()[0] == first


def test_ssh_refused_when_no_vty_takes_it(state_dir: Any) -> None:
    telnet = BRANCH.replace(" transport input ssh", " transport input telnet")
    specs = [
        RouterSpec("R1", "netops", "pw", initial_config=telnet),
        RouterSpec("R2", "netops", "pw", initial_config=BRANCH),
    ]
    with SimFleet(specs, state_dir=state_dir / "show") as fleet:
        conn = connect(fleet, "R2")
        assert "!!!!!" in conn.send_command("ping 8.8.8.8")
        conn.disconnect()
        with pytest.raises(NetmikoTimeoutException, match="Error reading SSH protocol banner"):
            connect(fleet, "R1", conn_timeout=5, banner_timeout=5)


def test_show_ip_route_variably_subnetted() -> None:
    config = BRANCH.replace("10.255.0.1 255.255.255.255", "10.255.0.1 255.255.255.255\n").replace(
        "interface Loopback0\n",
        "interface Loopback1\n ip address 10.1.1.1 255.255.255.0\ninterface Loopback0\n",
    )
    out = say(session(config), "show ip route\n")
    assert "     10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks\n" in out
    assert "C       10.1.1.0/24 is directly connected, Loopback1\n" in out
    assert "C       10.255.0.1/32 is directly connected, Loopback0\n" in out


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("show interfaces | include line protocol", 3),
        ("sh int | count is up", 2),
    ],
    ids=["include", "count"],
)
def test_operational_output_takes_pipes(command: str, expected: int) -> None:
    out = say(session(), command + "\n")
    if "count" in command:
        assert out == f"Number of lines which match regexp = {expected}\nR1#"
    else:
        assert len(out.splitlines()) - 1 == expected


def test_user_mode_ping_has_no_dialog() -> None:
    config = BRANCH.replace("username netops privilege 15 secret pw", "username netops secret pw")
    shell = session(config)
    assert shell.prompt() == "R1>"
    assert say(shell, "ping\n") == "% Incomplete command.\n\nR1>"
    assert "!!!!!" in say(shell, "ping 8.8.8.8\n")


@pytest.mark.parametrize(
    ("vty", "allowed"),
    [
        (" transport input ssh", True),
        (" transport input telnet", False),
        (" transport input none", False),
        (" transport input all", True),
        (" transport input telnet ssh", True),
        (" login local", True),  # no transport input: 12.4's default, all
        (" transport input telnet\nline vty 5 15\n transport input ssh", True),
    ],
    ids=["ssh", "telnet", "none", "all", "telnet-ssh", "default", "second-range"],
)
def test_vty_accepts_ssh(vty: str, allowed: bool) -> None:
    config = BRANCH.replace(" transport input ssh", vty)
    assert (
        vty_accepts(Router(RouterSpec("R1", "netops", "pw", initial_config=config)), "ssh")
        is allowed
    )


def test_static_nat_in_translations() -> None:
    config = BRANCH + "ip nat inside source static 192.168.1.10 203.0.113.5\n"
    out = say(session(config), "show ip nat translations\n")
    assert out.splitlines()[1] == "--- 203.0.113.5        192.168.1.10       ---                ---"
