"""verify's reading of the crypto show commands and of floating routes, on the layouts
12.4 prints (Cisco's "IPSec Virtual Tunnel Interface" verification examples and the
`show crypto isakmp sa` table of *The Complete Cisco VPN Configuration Guide*)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from iosgen.model.inventory import load_inventory, load_resolver
from iosgen.model.migration import MigrationState, site_at_step
from iosgen.network.verify import (
    _interface_down,
    _ipsec_down_reason,
    crypto_view,
    ipsec_interfaces,
    preferred_tunnels,
)

ISAKMP = """\
dst             src             state          conn-id slot status
203.0.113.10    198.51.100.42   QM_IDLE           1001    0 ACTIVE
192.0.2.50      198.51.100.42   MM_KEY_EXCH       1002    0 ACTIVE
192.0.2.60      198.51.100.42   MM_NO_STATE       1003    0 ACTIVE

"""
# a later image's layout: no `slot` column
ISAKMP_15 = """\
IPv4 Crypto ISAKMP SA
dst             src             state          conn-id status
203.0.113.10    198.51.100.42   QM_IDLE           1001 ACTIVE
"""
IPSEC = """\
interface: Tunnel0
    Crypto map tag: Tunnel0-head-0, local addr 198.51.100.42

   protected vrf: (none)
   local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)
   remote ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/0/0)
   current_peer 203.0.113.10 port 500
     PERMIT, flags={origin_is_acl,}
    #pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5
    #pkts decaps: 5, #pkts decrypt: 5, #pkts verify: 5

     local crypto endpt.: 198.51.100.42, remote crypto endpt.: 203.0.113.10
     current outbound spi: 0x9DD1B2A4(2647765668)

     inbound esp sas:
      spi: 0x1B9A0E2C(463080492)
        transform: esp-aes 256 esp-sha-hmac ,
        Status: ACTIVE

     inbound ah sas:

     outbound esp sas:
      spi: 0x9DD1B2A4(2647765668)
        Status: ACTIVE

interface: Tunnel1
    Crypto map tag: Tunnel1-head-0, local addr 198.51.100.42

   current_peer 192.0.2.70 port 500
     PERMIT, flags={origin_is_acl,}
     current outbound spi: 0x0(0)

     inbound esp sas:

     inbound ah sas:

     outbound esp sas:
"""


def test_phase_1_and_2_per_peer() -> None:
    view = crypto_view(ISAKMP, IPSEC)
    assert view.isakmp == {
        "203.0.113.10": "QM_IDLE",
        "198.51.100.42": "QM_IDLE",
        "192.0.2.50": "MM_KEY_EXCH",
        "192.0.2.60": "MM_NO_STATE",
    }
    assert view.ipsec_up == {"203.0.113.10": "Tunnel0"}  # Tunnel1 has no inbound SA
    assert crypto_view(ISAKMP_15, "").isakmp["203.0.113.10"] == "QM_IDLE"


@pytest.mark.parametrize(
    ("peer", "reason"),
    [
        ("203.0.113.10", None),
        ("192.0.2.50", "pre-shared key mismatch: phase 1 stopped at authentication"),
        ("192.0.2.60", "phase 1 did not start (MM_NO_STATE)"),
        ("192.0.2.99", "no IKE exchange with 192.0.2.99"),
    ],
    ids=["up", "wrong-key", "no-policy", "silent-peer"],
)
def test_the_reason_a_tunnel_is_down(peer: str, reason: str | None) -> None:
    got = _ipsec_down_reason(crypto_view(ISAKMP, IPSEC), peer)
    assert got is None if reason is None else got is not None and got.startswith(reason)


def test_phase_1_up_without_an_ipsec_sa_is_phase_2() -> None:
    view = crypto_view(ISAKMP.replace("MM_NO_STATE", "QM_IDLE    "), IPSEC)
    reason = _ipsec_down_reason(view, "192.0.2.60")
    assert reason is not None and "no IPsec SA" in reason


@pytest.mark.parametrize(
    ("first", "reason"),
    [
        ("Tunnel0 is up, line protocol is up ", None),
        ("Tunnel0 is up, line protocol is down ", "line protocol is down"),
        ("Tunnel0 is administratively down, line protocol is down ", "is shut down"),
        ("% Invalid input detected at '^' marker.", "is not configured"),
    ],
    ids=["up", "protocol-down", "shutdown", "missing"],
)
def test_the_tunnel_interface(first: str, reason: str | None) -> None:
    got = _interface_down(f"{first}\n  Hardware is Tunnel\n", "Tunnel0")
    assert got is None if reason is None else got is not None and reason in got


def test_floating_routes_are_not_the_preferred_ones(inventory: Path) -> None:
    site = load_inventory(inventory).find("R-VARNA")
    resolver = load_resolver(None, inventory=inventory)
    key = "${IOSGEN_R_VARNA_SOFIA_PSK}"
    state = MigrationState("R-VARNA", "sofia", "sofia-ipsec", key, "R-SOFIA")
    sofia = ipaddress.IPv4Network("10.10.0.0/16")
    bourgas = ipaddress.IPv4Network("10.30.0.0/16")
    for step, winner in ((0, "sofia"), (1, "sofia"), (2, "sofia-ipsec"), (3, "sofia-ipsec")):
        best = preferred_tunnels(site_at_step(site, state, step, resolver))
        assert best[sofia] == {winner}, step
        assert best[bourgas] == {"bourgas"}
    assert ipsec_interfaces(site_at_step(site, state, 1, resolver)) == {"sofia-ipsec": 0}
