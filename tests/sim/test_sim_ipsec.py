"""IPsec between simulated routers (iosgen/sim/ipsec.py, docs/sim-ipsec.md): a VTI pair
that comes up only when proposals, keys, peers and PFS agree, a crypto-map pair with
mirrored ACLs, a DHCP-WAN branch to a dynamic crypto map, dead-peer detection, and the
show and debug commands as 12.4 prints them, offline and through SSH."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sim_helpers import connect

from iosgen.sim import RouterSpec, SimFleet, ping, show
from iosgen.sim.router import Router
from iosgen.sim.tunnels import Live

# The IPsec contract's route-based tunnel, head office and branch (documentation addresses)
HQ = """hostname HQ
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 5
crypto isakmp key S3cretKey address 198.51.100.2
crypto isakmp keepalive 10 3
crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac
crypto ipsec profile IOSGEN-BR
 set transform-set IOSGEN-AES256-SHA
 set pfs group5
interface Tunnel10
 description IPsec to br
 ip address 10.255.10.1 255.255.255.252
 tunnel source FastEthernet0/0
 tunnel destination 198.51.100.2
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile IOSGEN-BR
interface FastEthernet0/0
 ip address 203.0.113.10 255.255.255.0
interface FastEthernet0/1
 ip address 10.10.0.1 255.255.0.0
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip route 192.168.20.0 255.255.255.0 Tunnel10
end
"""

BR = """hostname BR
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 5
crypto isakmp key S3cretKey address 203.0.113.10
crypto isakmp keepalive 10 3
crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac
crypto ipsec profile IOSGEN-SOFIA
 set transform-set IOSGEN-AES256-SHA
 set pfs group5
interface Tunnel10
 description IPsec to sofia
 ip address 10.255.10.2 255.255.255.252
 ip tcp adjust-mss 1360
 tunnel source FastEthernet0/0
 tunnel destination 203.0.113.10
 tunnel mode ipsec ipv4
 tunnel protection ipsec profile IOSGEN-SOFIA
interface FastEthernet0/0
 ip address 198.51.100.2 255.255.255.0
interface FastEthernet0/1
 ip address 192.168.20.1 255.255.255.0
ip route 0.0.0.0 0.0.0.0 198.51.100.1
ip route 10.10.0.0 255.255.0.0 Tunnel10
end
"""

MGMT = (
    "username netops privilege 15 secret 0 pw\n"
    "ip ssh version 2\nline vty 0 4\n transport input ssh\nend\n"
)


def network(
    hq: str = HQ, br: str = BR, minute: float = 60.0, br_dhcp: tuple[tuple[str, str, str], ...] = ()
) -> dict[str, Router]:
    net: dict[str, Router] = {}
    for name, text in (("HQ", hq), ("BR", br)):
        dhcp = br_dhcp if name == "BR" else ()
        router = Router(
            RouterSpec(name, "netops", "pw", initial_config=text, minute=minute, dhcp=dhcp)
        )
        assert router.load_errors == [], router.load_errors
        router.network = net
        net[name] = router
    return net


def live(router: Router) -> Live:
    router.refresh_tunnels()
    view = router.running.live
    assert isinstance(view, Live)
    return view


def outcome(net: dict[str, Router], host: str = "BR") -> str:
    """The first IPsec side of `host`: "up", or why not."""
    sides = live(net[host]).ipsec
    assert sides, f"{host} has no IPsec side"
    return sides[0].reason or "up"


BROKEN = [
    # (id, head office, branch, reason, the branch's ISAKMP state)
    ("group-mismatch", HQ.replace(" group 5", " group 2"), BR, "policy", "MM_NO_STATE"),
    ("encr-mismatch", HQ.replace(" encr aes 256", " encr 3des"), BR, "policy", "MM_NO_STATE"),
    (
        "hash-mismatch",
        HQ.replace(" authentication pre-share", " hash md5\n authentication pre-share"),
        BR,
        "policy",
        "MM_NO_STATE",
    ),
    (
        "rsa-sig-default",
        HQ.replace(" authentication pre-share\n", ""),
        BR.replace(" authentication pre-share\n", ""),
        "auth",
        "MM_KEY_EXCH",
    ),
    ("key-mismatch", HQ.replace("key S3cretKey", "key OtherKey"), BR, "key", "MM_KEY_EXCH"),
    (
        "no-key-at-hq",
        HQ.replace("crypto isakmp key S3cretKey address 198.51.100.2\n", ""),
        BR,
        "no-key",
        "MM_NO_STATE",
    ),
    (
        "no-key-at-branch",
        HQ,
        BR.replace("crypto isakmp key S3cretKey address 203.0.113.10\n", ""),
        "no-key",
        "MM_NO_STATE",  # the head office calls; the branch cannot answer
    ),
    (
        "no-key-either-end",
        HQ.replace("crypto isakmp key S3cretKey address 198.51.100.2\n", ""),
        BR.replace("crypto isakmp key S3cretKey address 203.0.113.10\n", ""),
        "no-key",
        None,
    ),
    (
        "wrong-peer",
        HQ,
        BR.replace("203.0.113.10", "203.0.113.99"),  # the tunnel and its key
        "peer",
        "MM_NO_STATE",
    ),
    (
        "transform-mismatch",
        HQ.replace("esp-aes 256 esp-sha-hmac", "esp-3des esp-sha-hmac"),
        BR,
        "transform",
        "QM_IDLE",
    ),
    (
        "transport-mode-on-a-vti",
        HQ.replace("esp-aes 256 esp-sha-hmac\n", "esp-aes 256 esp-sha-hmac\n mode transport\n"),
        BR.replace("esp-aes 256 esp-sha-hmac\n", "esp-aes 256 esp-sha-hmac\n mode transport\n"),
        "transform",
        "QM_IDLE",
    ),
    ("pfs-group-mismatch", HQ.replace("set pfs group5", "set pfs group2"), BR, "pfs", "QM_IDLE"),
    (
        "no-route-to-peer",
        HQ,
        BR.replace("ip route 0.0.0.0 0.0.0.0 198.51.100.1\n", ""),
        "peer",  # the head office's call reaches the branch, whose answer has no route
        "MM_NO_STATE",
    ),
]


@pytest.mark.parametrize(
    ("hq", "br", "reason", "state"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_a_mismatch_keeps_the_tunnel_down_for_its_reason(
    hq: str, br: str, reason: str, state: str | None
) -> None:
    net = network(hq, br)
    assert outcome(net) == reason
    branch = net["BR"].running
    rows = show.show_crypto_isakmp_sa(branch).splitlines()
    if state is None:
        assert rows[1:] == [""]  # no ISAKMP SA at all
    else:
        assert rows[1].split()[2] == state
    assert "Tunnel10 is up, line protocol is down" in show.show_interfaces(branch, "Tunnel10")
    out = ping.run(branch, "10.10.0.1", source="192.168.20.1")
    assert "Success rate is 0 percent" in out


AGREE = [
    ("same", HQ, BR),
    # either end calls: the branch's shorter lifetime is below the head office's
    ("lifetime-lower", HQ, BR.replace(" group 5", " group 5\n lifetime 3600")),
    # a responder without PFS accepts the initiator's offer (`set pfs`)
    ("pfs-one-side", HQ.replace(" set pfs group5\n", ""), BR),
    (
        "wildcard-key",
        HQ.replace("address 198.51.100.2", "address 0.0.0.0 0.0.0.0"),
        BR,
    ),
    (
        "second-policy-matches",
        HQ.replace(
            "crypto isakmp policy 10",
            "crypto isakmp policy 5\n encr 3des\n group 2\ncrypto isakmp policy 10",
        ),
        BR,
    ),
    (
        "source-by-address",
        HQ,
        BR.replace("tunnel source FastEthernet0/0", "tunnel source 198.51.100.2"),
    ),
]


@pytest.mark.parametrize(("hq", "br"), [a[1:] for a in AGREE], ids=[a[0] for a in AGREE])
def test_proposals_that_agree_bring_the_tunnel_up(hq: str, br: str) -> None:
    net = network(hq, br)
    assert outcome(net) == "up"
    assert outcome(net, "HQ") == "up"


def test_an_up_vti_shows_its_sas_routes_and_carries_pings() -> None:
    net = network()
    branch, hq = net["BR"].running, net["HQ"].running
    assert outcome(net) == "up"
    isakmp = show.show_crypto_isakmp_sa(branch).splitlines()
    assert isakmp[0] == "dst             src             state          conn-id slot status"
    assert isakmp[1] == "203.0.113.10    198.51.100.2    QM_IDLE           1001    0 ACTIVE"
    tunnel = show.show_interfaces(branch, "Tunnel10")
    assert "Tunnel10 is up, line protocol is up" in tunnel
    assert "  Tunnel protocol/transport IPSEC/IP" in tunnel
    assert '  Tunnel protection via IPSec (profile "IOSGEN-SOFIA")' in tunnel
    assert "  Tunnel source 198.51.100.2 (FastEthernet0/0), destination 203.0.113.10" in tunnel
    assert "S       10.10.0.0/16 is directly connected, Tunnel10" in show.show_ip_route(branch)
    out = ping.run(branch, "10.10.0.1", source="192.168.20.1")
    assert "Success rate is 100 percent (5/5)" in out
    live(net["BR"])
    sa = show.show_crypto_ipsec_sa(branch)
    assert "interface: Tunnel10" in sa
    assert "    Crypto map tag: Tunnel10-head-0, local addr 198.51.100.2" in sa
    assert "   local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)" in sa
    assert "    #pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5" in sa
    assert "    #pkts decaps: 5, #pkts decrypt: 5, #pkts verify: 5" in sa
    assert "     local crypto endpt.: 198.51.100.2, remote crypto endpt.: 203.0.113.10" in sa
    assert "        transform: esp-aes 256 esp-sha-hmac ," in sa
    assert "        in use settings ={Tunnel, }" in sa
    # the SPIs of one direction agree: the branch's outbound is the head office's inbound
    live(net["HQ"])
    hq_sa = show.show_crypto_ipsec_sa(hq)
    out_spi = next(ln for ln in sa.splitlines() if "current outbound spi" in ln).split()[-1]
    inbound = hq_sa.split("inbound esp sas:")[1].splitlines()[1].split()[-1]
    assert out_spi == inbound
    assert "    #pkts decaps: 5, #pkts decrypt: 5, #pkts verify: 5" in hq_sa
    session = show.show_crypto_session(branch)
    assert "Session status: UP-ACTIVE" in session
    assert "  IKE SA: local 198.51.100.2/500 remote 203.0.113.10/500 Active" in session


def test_the_secret_key_is_in_no_show_output() -> None:
    net = network(HQ.replace("key S3cretKey", "key OtherKey"))
    branch = net["BR"].running
    live(net["BR"])
    every = (
        show.show_crypto_isakmp_sa(branch)
        + show.show_crypto_ipsec_sa(branch)
        + show.show_crypto_session(branch)
        + "".join(row for s in live(net["BR"]).ipsec for row in s.debug_lines())
    )
    assert "S3cretKey" not in every and "OtherKey" not in every


# ---- a crypto-map pair: mirrored ACLs, NAT exemption --------------------------------------
HQ_MAP = """hostname HQ
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 5
crypto isakmp key S3cretKey address 198.51.100.2
crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac
crypto map IOSGEN-VPN 10 ipsec-isakmp
 description IPsec to br
 set peer 198.51.100.2
 set transform-set IOSGEN-AES256-SHA
 set pfs group5
 match address IOSGEN-BR
interface FastEthernet0/0
 ip address 203.0.113.10 255.255.255.0
 crypto map IOSGEN-VPN
interface FastEthernet0/1
 ip address 10.10.0.1 255.255.0.0
ip route 0.0.0.0 0.0.0.0 203.0.113.1
ip access-list extended IOSGEN-BR
 permit ip 10.10.0.0 0.0.255.255 192.168.20.0 0.0.0.255
end
"""

BR_MAP = """hostname BR
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 5
crypto isakmp key S3cretKey address 203.0.113.10
crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac
crypto map IOSGEN-VPN 10 ipsec-isakmp
 description IPsec to sofia
 set peer 203.0.113.10
 set transform-set IOSGEN-AES256-SHA
 set pfs group5
 match address IOSGEN-SOFIA
interface FastEthernet0/0
 ip address 198.51.100.2 255.255.255.0
 ip nat outside
 crypto map IOSGEN-VPN
interface FastEthernet0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
ip route 0.0.0.0 0.0.0.0 198.51.100.1
ip nat inside source list NAT interface FastEthernet0/0 overload
ip access-list extended IOSGEN-SOFIA
 permit ip 192.168.20.0 0.0.0.255 10.10.0.0 0.0.255.255
ip access-list extended NAT
 deny   ip 192.168.20.0 0.0.0.255 10.10.0.0 0.0.255.255
 permit ip 192.168.20.0 0.0.0.255 any
end
"""

MAP_CASES = [
    # (id, head office, branch, reason, LAN-to-LAN ping, ping to the Internet)
    ("mirrored", HQ_MAP, BR_MAP, "up", True, True),
    (
        "not-mirrored",
        HQ_MAP.replace("192.168.20.0 0.0.0.255\n", "192.168.30.0 0.0.0.255\n"),
        BR_MAP,
        "proxy",
        False,
        True,
    ),
    # without the NAT exemption the LAN is translated first and leaves in the clear
    (
        "no-nat-exemption",
        HQ_MAP,
        BR_MAP.replace(" deny   ip 192.168.20.0 0.0.0.255 10.10.0.0 0.0.255.255\n", ""),
        "up",
        False,
        True,
    ),
    (
        "transform-mismatch",
        HQ_MAP.replace("esp-aes 256 esp-sha-hmac", "esp-3des esp-md5-hmac"),
        BR_MAP,
        "transform",
        False,
        True,
    ),
]


@pytest.mark.parametrize(
    ("hq", "br", "reason", "lan", "internet"),
    [m[1:] for m in MAP_CASES],
    ids=[m[0] for m in MAP_CASES],
)
def test_a_crypto_map_pair_needs_mirrored_acls_and_nat_exemption(
    hq: str, br: str, reason: str, lan: bool, internet: bool
) -> None:
    net = network(hq, br)
    assert outcome(net) == reason
    branch = net["BR"].running
    out = ping.run(branch, "10.10.0.1", source="192.168.20.1")
    assert ("Success rate is 100 percent" in out) is lan, out
    out = ping.run(branch, "192.0.2.80", source="192.168.20.1")
    assert ("Success rate is 100 percent" in out) is internet, out


def test_a_crypto_map_sa_shows_the_acl_proxies() -> None:
    net = network(HQ_MAP, BR_MAP)
    branch = net["BR"].running
    live(net["BR"])  # the fleet's view, through which the ping goes
    assert "Success rate is 100 percent" in ping.run(branch, "10.10.0.1", source="192.168.20.1")
    sa = show.show_crypto_ipsec_sa(branch)
    assert "interface: FastEthernet0/0" in sa
    assert "    Crypto map tag: IOSGEN-VPN, local addr 198.51.100.2" in sa
    assert "   local  ident (addr/mask/prot/port): (192.168.20.0/255.255.255.0/0/0)" in sa
    assert "   remote ident (addr/mask/prot/port): (10.10.0.0/255.255.0.0/0/0)" in sa
    assert "    #pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5" in sa
    session = show.show_crypto_session(branch)
    assert "  IPSEC FLOW: permit ip 192.168.20.0/255.255.255.0 10.10.0.0/255.255.0.0 " in session


# ---- a DHCP-WAN branch to the head office's dynamic crypto map ---------------------------------
HQ_DYN = """hostname HQ
crypto isakmp policy 10
 encr aes 256
 authentication pre-share
 group 5
crypto isakmp key S3cretKey address 0.0.0.0 0.0.0.0
crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac
crypto dynamic-map IOSGEN-DYN 10
 set transform-set IOSGEN-AES256-SHA
 set pfs group5
crypto map IOSGEN-VPN 65535 ipsec-isakmp dynamic IOSGEN-DYN
interface FastEthernet0/0
 ip address 203.0.113.10 255.255.255.0
 crypto map IOSGEN-VPN
interface FastEthernet0/1
 ip address 10.10.0.1 255.255.0.0
ip route 0.0.0.0 0.0.0.0 203.0.113.1
end
"""
BR_DHCP = BR_MAP.replace(" ip address 198.51.100.2 255.255.255.0", " ip address dhcp").replace(
    "ip route 0.0.0.0 0.0.0.0 198.51.100.1\n", ""
)
LEASE = (("FastEthernet0/0", "198.51.100.77/24", "198.51.100.1"),)


def test_a_dhcp_branch_reaches_the_dynamic_crypto_map_with_the_wildcard_key() -> None:
    net = network(HQ_DYN, BR_DHCP, br_dhcp=LEASE)
    branch, hq = net["BR"].running, net["HQ"].running
    assert outcome(net) == "up"
    assert outcome(net, "HQ") == "up"
    brief = {row[0]: row[1:3] for row in show.ip_interface_brief(branch)}
    assert brief["FastEthernet0/0"] == ("198.51.100.77", "DHCP")
    assert "S*   0.0.0.0/0 [254/0] via 198.51.100.1" in show.show_ip_route(branch)
    isakmp = show.show_crypto_isakmp_sa(hq).splitlines()
    assert isakmp[1].split()[:3] == ["203.0.113.10", "198.51.100.77", "QM_IDLE"]
    # the head office's answer goes back through the SA the branch set up
    assert "Success rate is 100 percent" in ping.run(branch, "10.10.0.1", source="192.168.20.1")
    live(net["HQ"])
    assert "   remote ident (addr/mask/prot/port): (192.168.20.0/255.255.255.0/0/0)" in (
        show.show_crypto_ipsec_sa(hq)
    )


def test_a_dhcp_branch_without_a_lease_never_calls() -> None:
    net = network(HQ_DYN, BR_DHCP)
    assert live(net["BR"]).ipsec == []  # no address: the crypto map has no endpoint
    assert live(net["HQ"]).ipsec == []


def test_a_dynamic_map_never_calls_and_needs_the_wildcard_key() -> None:
    hq = HQ_DYN.replace("address 0.0.0.0 0.0.0.0", "address 198.51.100.99")
    net = network(hq, BR_DHCP, br_dhcp=LEASE)
    assert outcome(net) == "no-key"


# ---- dead-peer detection ----------------------------------------------------------------
# one IOS minute is 1.2 s: an IOS second is 0.02 s, DPD's 10 + 5 x 3 s are 0.5 s
DPD_MINUTE = 1.2
DPD_SECONDS = (10 + 5 * 3) * DPD_MINUTE / 60


@pytest.mark.parametrize("dpd", [True, False], ids=["keepalive", "no-keepalive"])
def test_a_peer_gone_takes_the_sa_down_after_dpd_only(dpd: bool) -> None:
    br = BR if dpd else BR.replace("crypto isakmp keepalive 10 3\n", "")
    net = network(HQ, br, minute=DPD_MINUTE)
    assert outcome(net) == "up"
    branch = net["BR"].running
    # the head office loses its WAN: its side goes at once, the branch does not know yet
    net["HQ"].set_running(HQ.replace(" ip address 203.0.113.10 255.255.255.0\n", ""))
    assert outcome(net) == "up"
    assert "line protocol is up" in show.show_interfaces(branch, "Tunnel10")
    assert "Success rate is 0 percent" in ping.run(branch, "10.10.0.1", source="192.168.20.1")
    time.sleep(DPD_SECONDS * 1.5)
    if dpd:
        assert outcome(net) == "peer"
        assert "line protocol is down" in show.show_interfaces(branch, "Tunnel10")
    else:  # no keepalives: the branch keeps black-holing until the SA's lifetime ends
        assert outcome(net) == "up"


KEEPALIVES = [
    # (id, keepalive line, ping after the loss, down after the DPD time)
    ("on-demand-with-traffic", "crypto isakmp keepalive 10 3", True, True),
    ("on-demand-silent", "crypto isakmp keepalive 10 3", False, False),
    ("periodic-silent", "crypto isakmp keepalive 10 3 periodic", False, True),
]


@pytest.mark.parametrize(
    ("line", "traffic", "down"), [k[1:] for k in KEEPALIVES], ids=[k[0] for k in KEEPALIVES]
)
def test_on_demand_dpd_waits_for_traffic_periodic_does_not(
    line: str, traffic: bool, down: bool
) -> None:
    net = network(HQ, BR.replace("crypto isakmp keepalive 10 3", line), minute=DPD_MINUTE)
    assert outcome(net) == "up"
    net["HQ"].set_running(HQ.replace(" ip address 203.0.113.10 255.255.255.0\n", ""))
    assert outcome(net) == "up"
    if traffic:
        out = ping.run(net["BR"].running, "10.10.0.1", source="192.168.20.1")
        assert "Success rate is 0 percent" in out
    time.sleep(DPD_SECONDS * 1.5)
    assert outcome(net) == ("peer" if down else "up")


def test_the_sa_comes_back_when_the_peer_returns() -> None:
    net = network(HQ, BR, minute=DPD_MINUTE)
    assert outcome(net) == "up"
    net["HQ"].set_running(HQ.replace(" ip address 203.0.113.10 255.255.255.0\n", ""))
    assert outcome(net) == "up"  # stale: the branch does not know yet
    assert "Success rate is 0 percent" in ping.run(
        net["BR"].running, "10.10.0.1", source="192.168.20.1"
    )
    time.sleep(DPD_SECONDS * 1.5)
    assert outcome(net) == "peer"
    net["HQ"].set_running(HQ)
    assert outcome(net) == "up"
    assert "Success rate is 100 percent" in ping.run(
        net["BR"].running, "10.10.0.1", source="192.168.20.1"
    )


# ---- through SSH ------------------------------------------------------------------------
def test_through_ssh_the_shows_and_the_debug_tell_what_happened(tmp_path: Path) -> None:
    specs = [
        RouterSpec("HQ", "netops", "pw", initial_config=HQ.replace("end\n", MGMT)),
        RouterSpec("BR", "netops", "pw", initial_config=BR.replace("end\n", MGMT)),
    ]
    with SimFleet(specs, state_dir=tmp_path) as fleet:
        conn = connect(fleet, "BR")
        try:
            out = conn.send_command("show crypto isakmp sa")
            assert "203.0.113.10    198.51.100.2    QM_IDLE           1001    0 ACTIVE" in out
            out = conn.send_command("ping 10.10.0.1 source FastEthernet0/1")
            assert "Success rate is 100 percent" in out
            assert "#pkts encaps: 5" in conn.send_command("show crypto ipsec sa")
            assert "UP-ACTIVE" in conn.send_command("show crypto session")
            # cleared, the SA is negotiated again at once, its counters from zero
            assert conn.send_command("clear crypto sa").strip() == ""
            assert "#pkts encaps: 0" in conn.send_command("show crypto ipsec sa")
            assert "line protocol is up" in conn.send_command("show interfaces Tunnel10")
            fleet.router("HQ").set_running(
                HQ.replace("key S3cretKey", "key Changed").replace("end\n", MGMT)
            )
            out = conn.send_command("show crypto isakmp sa")
            assert "MM_KEY_EXCH" in out
            assert "line protocol is down" in conn.send_command("show interfaces Tunnel10")
            conn.send_command("terminal monitor")
            debug = conn.send_command("debug crypto isakmp")
            assert "Crypto ISAKMP debugging is on" in debug
            assert "retransmitting phase 1 MM_KEY_EXCH" in debug
            assert "S3cretKey" not in debug and "Changed" not in debug
        finally:
            conn.disconnect()
        hq = connect(fleet, "HQ")
        try:
            hq.send_command("terminal monitor")
            debug = hq.send_command("debug crypto isakmp")
            assert "IKE message from 198.51.100.2 failed its sanity check or is malformed" in debug
        finally:
            hq.disconnect()


def test_a_non_k9_image_has_no_crypto_show(tmp_path: Path) -> None:
    spec = RouterSpec("R1", "netops", "pw", feature_set="ipbase")
    with SimFleet([spec], state_dir=tmp_path) as fleet:
        conn = connect(fleet, "R1")
        try:
            out = conn.send_command("show crypto isakmp sa")
            assert "% Invalid input detected at '^' marker." in out
            caret = next(ln for ln in out.splitlines() if ln.strip() == "^")
            assert caret.index("^") == len("R1#show ")
        finally:
            conn.disconnect()


CONFIGS = [
    ("vti-hq", HQ),
    ("vti-br", BR),
    ("map-hq", HQ_MAP),
    ("map-br", BR_MAP),
    ("dyn-hq", HQ_DYN),
]


@pytest.mark.parametrize("text", [c[1] for c in CONFIGS], ids=[c[0] for c in CONFIGS])
def test_each_config_loads_without_a_refusal_and_prints_back_the_same(text: str) -> None:
    first = Router(RouterSpec("R", "netops", "pw", initial_config=text))
    assert first.load_errors == []
    printed = first.running_text()
    again = Router(RouterSpec("R", "netops", "pw", initial_config=printed))
    assert again.load_errors == []
    assert again.running_text() == printed


def test_show_crypto_isakmp_policy_lists_each_policy_then_the_default_suite() -> None:
    router = Router(RouterSpec("BR", "netops", "pw", initial_config=BR))
    out = show.show_crypto_isakmp_policy(router.running).splitlines()
    assert out[1:8] == [
        "Global IKE policy",
        "Protection suite of priority 10",
        "        encryption algorithm:   AES - Advanced Encryption Standard (256 bit keys).",
        "        hash algorithm:         Secure Hash Standard",
        "        authentication method:  Pre-Shared Key",
        "        Diffie-Hellman group:   #5 (1536 bit)",
        "        lifetime:               86400 seconds, no volume limit",
    ]
    assert out[8] == "Default protection suite"
    assert out[11] == "        authentication method:  Rivest-Shamir-Adleman Signature"


def test_a_head_office_serves_a_vti_branch_and_a_dhcp_branch_at_once() -> None:
    # the contract's head office: a tunnel per fixed-address branch, the dynamic map and
    # the wildcard key for the DHCP ones, all on one WAN address
    hq = (
        HQ.replace(
            "crypto isakmp keepalive 10 3\n",
            "crypto isakmp key DynKey address 0.0.0.0 0.0.0.0\ncrypto isakmp keepalive 10 3\n",
        )
        .replace(
            "interface Tunnel10\n",
            "crypto dynamic-map IOSGEN-DYN 10\n set transform-set IOSGEN-AES256-SHA\n"
            "crypto map IOSGEN-VPN 65535 ipsec-isakmp dynamic IOSGEN-DYN\ninterface Tunnel10\n",
        )
        .replace(
            " ip address 203.0.113.10 255.255.255.0\n",
            " ip address 203.0.113.10 255.255.255.0\n crypto map IOSGEN-VPN\n",
        )
    )
    br2 = (
        BR_DHCP.replace("hostname BR", "hostname BR2")
        .replace("S3cretKey", "DynKey")
        .replace(" set pfs group5\n", "")
        .replace("192.168.20.", "192.168.30.")
    )
    net: dict[str, Router] = {}
    for name, text, dhcp in (
        ("HQ", hq, ()),
        ("BR", BR, ()),
        ("BR2", br2, (("FastEthernet0/0", "198.51.100.88/24", "198.51.100.1"),)),
    ):
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text, dhcp=dhcp))
        assert router.load_errors == [], (name, router.load_errors)
        router.network = net
        net[name] = router
    assert outcome(net, "BR") == "up"
    assert outcome(net, "BR2") == "up"
    kinds = sorted(s.endpoint.kind for s in live(net["HQ"]).ipsec if s.up)
    assert kinds == ["dynamic", "vti"]
    for name, source in (("BR", "192.168.20.1"), ("BR2", "192.168.30.1")):
        out = ping.run(net[name].running, "10.10.0.1", source=source)
        assert "Success rate is 100 percent" in out, name


HEADS = [
    # (id, image, the lines before the first row)
    (
        "12.4-mainline",
        "12.4(25d)",
        ["dst             src             state          conn-id slot status"],
    ),
    (
        "12.4T",
        "12.4(24)T",
        [
            "IPv4 Crypto ISAKMP SA",
            "dst             src             state          conn-id slot status",
        ],
    ),
    (
        "15.x",
        "15.1(4)M",
        ["IPv4 Crypto ISAKMP SA", "dst             src             state          conn-id status"],
    ),
]


@pytest.mark.parametrize(("image", "head"), [h[1:] for h in HEADS], ids=[h[0] for h in HEADS])
def test_show_crypto_isakmp_sa_prints_as_the_image_does(image: str, head: list[str]) -> None:
    net: dict[str, Router] = {}
    for name, text in (("HQ", HQ), ("BR", BR)):
        router = Router(RouterSpec(name, "netops", "pw", initial_config=text, image=image))
        router.network = net
        net[name] = router
    assert outcome(net) == "up"
    rows = show.show_crypto_isakmp_sa(net["BR"].running).splitlines()
    assert rows[: len(head)] == head
    row = rows[len(head)]
    assert row.startswith("203.0.113.10    198.51.100.2    QM_IDLE           1001")
    assert row.endswith("    0 ACTIVE" if "slot" in head[-1] else "1001 ACTIVE")


def test_show_crypto_map_lists_the_entries_and_their_interface() -> None:
    net = network(HQ_MAP, BR_MAP)
    assert outcome(net) == "up"
    out = show.show_crypto_map(net["BR"].running).splitlines()
    pad = " " * 8
    assert out == [
        'Crypto Map "IOSGEN-VPN" 10 ipsec-isakmp',
        f"{pad}Description: IPsec to sofia",
        f"{pad}Peer = 203.0.113.10",
        f"{pad}Extended IP access list IOSGEN-SOFIA",
        f"{pad}    access-list IOSGEN-SOFIA permit ip 192.168.20.0 0.0.0.255 10.10.0.0 0.0.255.255",
        f"{pad}Current peer: 203.0.113.10",
        f"{pad}Security association lifetime: 4608000 kilobytes/3600 seconds",
        f"{pad}PFS (Y/N): Y",
        f"{pad}DH group:  group5",
        f"{pad}Transform sets={{ ",
        f"{pad}{pad}IOSGEN-AES256-SHA, ",
        f"{pad}}}",
        f"{pad}Interfaces using crypto map IOSGEN-VPN:",
        f"{pad}{pad}FastEthernet0/0",
        "",
    ]
