"""PPTP tunnels between simulated routers (iosgen/sim/tunnels.py): each failure reason,
the negotiated addresses and routes, ping across the tunnel, and the same through SSH."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sim_helpers import connect

from iosgen.sim import RouterSpec, SimFleet, ping, show
from iosgen.sim.router import Router
from iosgen.sim.tunnels import Live

HQ = """hostname HQ
aaa new-model
aaa authentication ppp default local
vpdn enable
vpdn-group 1
 accept-dialin
  protocol pptp
  virtual-template 1
username varna password 0 S3cret
interface FastEthernet0/0
 ip address 192.0.2.10 255.255.255.0
interface FastEthernet0/1
 ip address 10.10.0.1 255.255.0.0
interface Virtual-Template1
 ip unnumbered FastEthernet0/1
 peer default ip address pool PPTP-POOL
 ppp encrypt mppe auto
 ppp authentication ms-chap-v2
ip local pool PPTP-POOL 10.10.255.10 10.10.255.50
end
"""

BRANCH = """hostname BR
service internal
vpdn enable
vpdn-group 2
 request-dialin
  protocol pptp
  rotary-group 2
 initiate-to ip 192.0.2.10
interface FastEthernet0/0
 ip address 192.0.2.20 255.255.255.0
 ip nat outside
interface FastEthernet0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
interface Dialer2
 ip address negotiated
 ip nat outside
 encapsulation ppp
 dialer in-band
 dialer idle-timeout 0
 dialer string 123
 dialer vpdn
 dialer-group 2
 ppp encrypt mppe 128 required
 ppp chap hostname varna
 ppp chap password 0 S3cret
ip route 0.0.0.0 0.0.0.0 192.0.2.1
ip route 10.10.0.0 255.255.0.0 Dialer2
ip nat inside source list 10 interface Dialer2 overload
access-list 10 permit 192.168.20.0 0.0.0.255
end
"""


# the management account the SSH test logs in with
MGMT = (
    "username netops privilege 15 secret 0 pw\n"
    "ip ssh version 2\nline vty 0 4\n transport input ssh\n"
)


def network(hq: str = HQ, branch: str = BRANCH) -> dict[str, Router]:
    net: dict[str, Router] = {}
    for name, text in (("HQ", hq), ("BR", branch)):
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text))
        assert router.load_errors == [], router.load_errors
        router.network = net
        net[name] = router
    return net


def session_of(net: dict[str, Router]) -> str:
    net["BR"].refresh_tunnels()
    view = net["BR"].running.live
    assert isinstance(view, Live)
    (s,) = view.dials
    return s.reason or "up"


BROKEN = [
    ("no-user", HQ.replace("username varna password 0 S3cret\n", ""), BRANCH, "chap"),
    ("other-secret", HQ.replace("0 S3cret", "0 Other"), BRANCH, "chap"),
    ("secret-5", HQ.replace("password 0 S3cret", "secret 0 S3cret"), BRANCH, "chap"),
    ("no-aaa-ppp", HQ.replace("aaa authentication ppp default local\n", ""), BRANCH, "chap"),
    ("no-vpdn", HQ.replace("vpdn enable\n", ""), BRANCH, "pptp"),
    ("no-template", HQ.replace("  virtual-template 1\n", ""), BRANCH, "pptp"),
    (
        "wrong-address",
        HQ,
        BRANCH.replace("initiate-to ip 192.0.2.10", "initiate-to ip 192.0.2.99"),
        "server",
    ),
    ("mppe-40-vs-128", HQ.replace("ppp encrypt mppe auto", "ppp encrypt mppe 40"), BRANCH, "mppe"),
    (
        "mppe-plain-chap",
        HQ.replace("ppp authentication ms-chap-v2", "ppp authentication chap"),
        BRANCH,
        "mppe",
    ),
    (
        "no-pool",
        HQ.replace("ip local pool PPTP-POOL 10.10.255.10 10.10.255.50\n", ""),
        BRANCH,
        "ipcp",
    ),
    (
        "no-wan-route",
        HQ,
        BRANCH.replace(
            "interface FastEthernet0/0\n ip address 192.0.2.20",
            "interface FastEthernet0/0\n ip address 198.51.100.20",
        ),
        "route",
    ),
]


@pytest.mark.parametrize(
    ("hq", "branch", "reason"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_broken_end_keeps_the_tunnel_down_for_its_reason(
    hq: str, branch: str, reason: str
) -> None:
    assert session_of(network(hq, branch)) == reason


MPPE_OK = [
    ("auto-128", "auto", "128 required"),
    ("none-none", None, None),
    ("auto-auto", "auto", "auto"),
]


@pytest.mark.parametrize(
    ("server", "client"), [m[1:] for m in MPPE_OK], ids=[m[0] for m in MPPE_OK]
)
def test_mppe_settings_that_agree_come_up(server: str | None, client: str | None) -> None:
    hq = (
        HQ.replace("ppp encrypt mppe auto", f"ppp encrypt mppe {server}")
        if server
        else HQ.replace(" ppp encrypt mppe auto\n", "")
    )
    br = (
        BRANCH.replace("ppp encrypt mppe 128 required", f"ppp encrypt mppe {client}")
        if client
        else BRANCH.replace(" ppp encrypt mppe 128 required\n", "")
    )
    assert session_of(network(hq, br)) == "up"


def test_an_up_tunnel_gives_both_ends_their_addresses_and_routes() -> None:
    net = network()
    assert session_of(net) == "up"
    br, hq = net["BR"].running, net["HQ"].running
    brief = {row[0]: row[1] for row in show.ip_interface_brief(br)}
    assert brief["Dialer2"] == "10.10.255.10"
    table = show.show_ip_route(br)
    assert "C       10.10.0.1/32 is directly connected, Dialer2" in table
    assert "S       10.10.0.0/16 is directly connected, Dialer2" in table
    net["HQ"].refresh_tunnels()
    assert "C       10.10.255.10/32 is directly connected, Virtual-Access2" in show.show_ip_route(
        hq
    )
    assert "Vi2     varna" in show.show_vpdn(hq)
    assert "192.0.2.10     1723" in show.show_vpdn(br)


HQ_LOOP = HQ + "interface Loopback0\n ip address 10.20.0.1 255.255.255.255\n"
PINGS = [
    ("lan-host", HQ, BRANCH, "192.168.20.77", True),
    ("hq-lan-host-through-tunnel", HQ, BRANCH, "10.10.3.3", True),
    ("nat-into-tunnel", HQ, BRANCH, "10.10.0.1", True),
    (
        "no-nat-no-route-back",
        HQ,
        BRANCH.replace("ip nat inside source list 10 interface Dialer2 overload\n", ""),
        "10.10.0.1",
        False,
    ),
    (
        "no-nat-route-back",
        HQ + "ip route 192.168.20.0 255.255.255.0 10.10.255.10\n",
        BRANCH.replace("ip nat inside source list 10 interface Dialer2 overload\n", ""),
        "10.10.0.1",
        True,
    ),
    # the peer's own address answers through the host route PPP installs; another
    # head-office network needs a route through the Dialer
    ("no-route-to-hq-net", HQ_LOOP, BRANCH, "10.20.0.1", False),
    (
        "route-to-hq-net",
        HQ_LOOP,
        BRANCH + "ip route 10.20.0.0 255.255.0.0 Dialer2\n",
        "10.20.0.1",
        True,
    ),
    ("tunnel-down", HQ.replace("0 S3cret", "0 Other"), BRANCH, "10.10.0.1", False),
    ("internet-without-pat", HQ, BRANCH, "198.51.100.7", False),
    (
        "internet-with-pat",
        HQ,
        BRANCH + "ip nat inside source list 10 interface FastEthernet0/0 overload\n",
        "198.51.100.7",
        True,
    ),
]


@pytest.mark.parametrize(
    ("hq", "branch", "target", "ok"), [p[1:] for p in PINGS], ids=[p[0] for p in PINGS]
)
def test_ping_from_the_lan_follows_routes_nat_and_the_tunnel(
    hq: str, branch: str, target: str, ok: bool
) -> None:
    net = network(hq, branch)
    net["BR"].refresh_tunnels()
    out = ping.run(net["BR"].running, target, source="192.168.20.1")
    assert ("Success rate is 100 percent" in out) is ok, out


def test_a_router_alone_pings_the_internet_from_its_wan_address() -> None:
    router = Router(RouterSpec("BR", "netops", "pw", initial_config=BRANCH))
    router.refresh_tunnels()
    assert "Success rate is 100 percent" in ping.run(router.running, "198.51.100.7")
    assert "Success rate is 0 percent" in ping.run(router.running, "10.10.0.1")


def test_through_ssh_the_tunnel_shows_and_breaking_the_server_brings_it_down(
    tmp_path: Path,
) -> None:
    specs = [
        RouterSpec("HQ", "netops", "pw", initial_config=HQ),
        RouterSpec("BR", "netops", "pw", initial_config=BRANCH.replace("end\n", MGMT)),
    ]
    with SimFleet(specs, state_dir=tmp_path) as fleet:
        assert fleet.router("BR").tunnels() == {"Dialer2": "up"}
        conn = connect(fleet, "BR")
        try:
            assert "Internet address is 10.10.255.10/32" in conn.send_command(
                "show interfaces Dialer2"
            )
            assert "estabd" in conn.send_command("show vpdn")
            out = conn.send_command("ping 10.10.0.1 source FastEthernet0/1")
            assert "Success rate is 100 percent" in out
            fleet.router("HQ").set_running(HQ.replace("0 S3cret", "0 Changed"))
            assert "%No active PPTP tunnels" in conn.send_command("show vpdn")
            assert "Success rate is 0 percent" in conn.send_command(
                "ping 10.10.0.1 source 192.168.20.1"
            )
            conn.send_command("terminal monitor")
            debug = conn.send_command("debug ppp authentication")
            assert "PPP authentication debugging is on" in debug
            assert 'MS-CHAP-V2: I FAILURE id 1 len 26 msg is "Authentication failure"' in debug
            assert "S3cret" not in debug and "Changed" not in debug
            assert "All possible debugging has been turned off" in conn.send_command("undebug all")
        finally:
            conn.disconnect()
        assert fleet.router("BR").tunnels() == {"Dialer2": "chap"}


def branch_number(n: int) -> str:
    return (
        BRANCH.replace("hostname BR", f"hostname BR{n}")
        .replace("192.0.2.20", f"198.18.{n // 250}.{n % 250 + 2}")
        .replace("255.255.255.0\n ip nat outside", "255.255.0.0\n ip nat outside", 1)
        .replace("192.168.20.", f"172.16.{n}.")
        .replace("192.168.20.0", f"172.16.{n}.0")
        .replace("ppp chap hostname varna", f"ppp chap hostname b{n}")
        .replace("ip route 0.0.0.0 0.0.0.0 192.0.2.1", "ip route 0.0.0.0 0.0.0.0 198.18.0.1")
    )


def test_a_hundred_tunnels_up_at_once_under_2_mb_a_router() -> None:
    users = "".join(f"username b{n} password 0 S3cret\n" for n in range(100))
    hq = HQ.replace("username varna password 0 S3cret\n", users).replace(
        "interface FastEthernet0/0\n ip address 192.0.2.10 255.255.255.0",
        "interface FastEthernet0/0\n ip address 192.0.2.10 255.255.255.0\n"
        " ip address 198.18.0.1 255.255.0.0 secondary",
    )
    hq = hq.replace(
        "ip local pool PPTP-POOL 10.10.255.10 10.10.255.50",
        "ip local pool PPTP-POOL 10.10.254.1 10.10.254.200",
    )
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    net: dict[str, Router] = {}
    for name, text in [("HQ", hq), *((f"BR{n}", branch_number(n)) for n in range(100))]:
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text))
        router.network = net
        net[name] = router
    for router in net.values():
        router.refresh_tunnels()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    view = net["HQ"].running.live
    assert isinstance(view, Live)
    assert len(view.vaccess) == 100, [s.reason for s in net["HQ"].running.live.state.sessions][:3]
    per_router = used / len(net)
    print(f"memory: {used / 1e6:.1f} MB for {len(net)} routers, {per_router / 1e3:.0f} kB a router")
    assert per_router < 2_000_000


def test_a_clone_of_the_running_config_leaves_the_fleet_view_behind() -> None:
    net = network()
    net["BR"].refresh_tunnels()
    assert isinstance(net["BR"].running.live, Live)
    assert net["BR"].running.clone().live is None  # a rollback point copies no fleet
