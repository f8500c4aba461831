"""The push of a WireGuard/IPsec site (tests/linux/vpn's lx-br1: no PPTP tunnel) to a real
sshd box: which units it enables, restarts, reloads and stops, in which order, and the
verify of the handshake and the SAs, with the rollback when they do not come up.

wg-quick@wgN and charon cannot run in this box (no systemd as PID 1, no WireGuard or
ESP in this kernel's XFRM): the recording `systemctl`, `wg` and `swanctl` of the box's
bin/ (conftest.RECORDING) stand in, and each test asserts what was called, in order.
Stopping wg-quick@wgN fails, as `wg-quick down` does, once its file is gone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from iosgen.build import build_site
from iosgen.diff.linux import BoxFile
from iosgen.model.site import Site
from iosgen.push.linux import guard, push_linux_host, verify_linux_site
from iosgen.push.outcome import Final, PushOutcome, Status
from tests.linux.vpn_support import vpn_sites
from tests.linux_box.conftest import Box, _serve, start_box

# `swanctl --list-sas` of charon-systemd 5.9.8: the IKE SA as the real exchange of
# tests/linux/test_strongswan_tools.py printed it, and the child SA line in the format
# of src/swanctl/commands/list_sas.c (this kernel cannot install one).
IKE_SA = """\
sofia-ipsec: #1, ESTABLISHED, IKEv1, 606c27bdfe10bd3c_i* 72a129589bdbe05c_r
  local  '203.0.113.61' @ 203.0.113.61[500]
  remote '203.0.113.10' @ 203.0.113.10[500]
  AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536
  established 0s ago, reauth in 72315s
"""
CHILD_SA = """\
  sofia-ipsec: #1, reqid 1, INSTALLED, TUNNEL, ESP:AES_CBC-256/HMAC_SHA1_96/MODP_1536
    installed 0s ago, rekeying in 3148s, expires in 3600s
    in  cd1066b1,      0 bytes,     0 packets
    out caca99de,      0 bytes,     0 packets
    local  192.168.61.0/24 192.168.62.0/24
    remote 10.10.0.0/16 10.11.0.0/16
"""


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return vpn_sites()


def _units(box: Box) -> list[str]:
    return [c for c in box.calls if c.split()[0] in ("systemctl", "wg", "swanctl")]


def _push(box: Box, site: Site, **kw: object) -> PushOutcome:
    return push_linux_host(
        site,
        build_site(site),
        box.options(**kw),
        target=replace(box.target, hostname=site.hostname),
    )


def test_first_push_enables_restarts_and_verifies_in_order(
    box: Box, sites: dict[str, Site]
) -> None:
    (box.dir / "sas.next").write_text(IKE_SA + CHILD_SA)
    out = push_linux_host(
        sites["lx-br1"],
        None,
        box.options(force=True, verify_tunnels=True, tunnel_wait_seconds=3),
        target=box.target,
    )
    assert out.status is Status.PUSHED, (out.message, out.notes)
    assert _units(box) == [
        "systemctl enable strongswan.service",
        "systemctl enable wg-quick@wg0.service",
        "systemctl restart wg-quick@wg0.service",
        "systemctl reload-or-restart strongswan.service",
        "wg show wg0 latest-handshakes",
        "swanctl --list-sas",
    ]
    # the gateway's own files first, as for a PPTP site
    assert box.calls[0].startswith("iptables-restore ")
    assert any("sofia-ipsec up on sofia-ipsec (TUNNEL, ESP:AES_CBC-256" in n for n in out.notes), (
        out.notes
    )
    assert any("hq-wg up on wg0 (handshake" in n for n in out.notes), out.notes
    # no pppd on this site: nothing of it written
    assert sorted(box.tree()) == [
        "etc/iptables/rules.v4",
        "etc/swanctl/conf.d/iosgen.conf",
        "etc/sysctl.d/90-iosgen.conf",
        "etc/wireguard/wg0.conf",
    ]
    assert "preflight: wireguard-tools" in " ".join(out.notes)
    # again: nothing to do, nothing restarted
    before = len(box.calls)
    again = push_linux_host(sites["lx-br1"], None, box.options(force=True), target=box.target)
    assert again.status is Status.IN_SYNC
    assert len(box.calls) == before
    # `iosgen verify` of the box: the same reading, the handshake within wg's 180 s
    states = verify_linux_site(sites["lx-br1"], box.options().device, target=box.target)
    assert [(s.name, s.interface, s.up) for s in states] == [
        ("hq-wg", "wg0", True),
        ("sofia-ipsec", "sofia-ipsec", True),
    ]
    (box.dir / "sas").write_text("")  # charon lost the SA
    states = verify_linux_site(sites["lx-br1"], box.options().device, target=box.target)
    assert states[1].problems == ("no IKE SA sofia-ipsec",)


def test_no_handshake_rolls_back_and_stops_the_new_interface(
    box: Box, sites: dict[str, Site]
) -> None:
    (box.dir / "sas.next").write_text(IKE_SA + CHILD_SA)
    (box.dir / "no-handshake").touch()
    out = push_linux_host(
        sites["lx-br1"],
        None,
        box.options(force=True, verify_tunnels=True, tunnel_wait_seconds=2),
        target=box.target,
    )
    assert out.status is Status.ROLLED_BACK, out.message
    assert out.final is Final.OLD
    assert "hq-wg: wg0: no handshake with the peer yet" in out.message
    calls = _units(box)
    # stopped while its file was still there (the stand-in fails otherwise), then reloaded
    tail = calls[calls.index("systemctl disable --now wg-quick@wg0.service") :]
    assert tail == [
        "systemctl disable --now wg-quick@wg0.service",
        "systemctl reload-or-restart strongswan.service",
    ]
    assert "(rollback) systemctl disable --now wg-quick@wg0.service" in [s.line for s in out.sent]
    assert box.tree() == {}


def test_ike_without_an_installed_child_rolls_back(box: Box, sites: dict[str, Site]) -> None:
    (box.dir / "sas.next").write_text(IKE_SA)  # what this kernel really gets: no ESP SA
    out = push_linux_host(
        sites["lx-br1"],
        None,
        box.options(force=True, verify_tunnels=True, tunnel_wait_seconds=2),
        target=box.target,
    )
    assert out.status is Status.ROLLED_BACK
    assert "IKE SA sofia-ipsec is ESTABLISHED but no child SA is INSTALLED" in out.message
    assert box.tree() == {}


def test_a_dropped_wireguard_tunnel_is_stopped_before_its_file_goes(
    box: Box, sites: dict[str, Site]
) -> None:
    site = sites["lx-br1"]
    assert _push(box, site, force=True).status is Status.PUSHED
    ipsec_only = site.model_copy(update={"tunnels": dict(site.ipsec_tunnels)})
    mark = len(box.calls)
    out = push_linux_host(ipsec_only, None, box.options(force=True), target=box.target)
    assert out.status is Status.PUSHED, out.message
    calls = box.calls[mark:]
    assert calls[0] == "systemctl disable --now wg-quick@wg0.service"
    assert [c for c in calls if c.startswith("iptables-restore")]  # the wg0 MASQUERADE went
    assert not [c for c in calls if "strongswan" in c]  # its file did not change
    assert "etc/wireguard/wg0.conf" not in box.tree()
    assert "remove /etc/wireguard/wg0.conf" in [s.line for s in out.sent]


def test_migration_off_pptp_removes_the_pppd_files(box: Box, site: Site) -> None:
    """plovdiv-gw with its PPTP tunnel dropped: the push removes etc/ppp/*, the unit and
    chap-secrets it wrote (the manifest's "gone" files) and stops the tunnel."""
    assert (
        push_linux_host(site, None, box.options(force=True), target=box.target).status
        is Status.PUSHED
    )
    assert "etc/ppp/chap-secrets" in box.tree()
    bare = site.model_copy(update={"tunnels": {}})
    mark = len(box.calls)
    out = push_linux_host(bare, None, box.options(force=True), target=box.target)
    assert out.status is Status.PUSHED, out.message
    assert not [p for p in box.tree() if p.startswith("etc/ppp/") or "pptp" in p], box.tree()
    removed = [s.line for s in out.sent if s.line.startswith("remove ")]
    assert "remove /etc/ppp/chap-secrets" in removed
    assert "remove /etc/systemd/system/pptp-sofia.service" in removed
    assert "systemctl disable --now pptp-sofia.service" in box.calls[mark:]
    again = push_linux_host(bare, None, box.options(force=True), target=box.target)
    assert again.status is Status.IN_SYNC


def test_preflight_refuses_without_the_vpn_tools(tmp_path: Path, sites: dict[str, Site]) -> None:
    bare = start_box(tmp_path / "box", without=("wg", "wg-quick", "swanctl"))
    for running in _serve(bare):
        out = push_linux_host(
            sites["lx-br1"], None, running.options(force=True), target=running.target
        )
        assert out.status is Status.REFUSED
        assert out.final is Final.OLD
        assert "wg and wg-quick are not installed: apt-get install wireguard-tools" in out.message
        assert "swanctl is not installed" in out.message
        assert "nothing written" in out.message
        # pppd is not asked for: the site has no PPTP tunnel
        assert "pppd" not in out.message
        assert running.tree() == {}


def test_guard_refuses_a_restart_carrying_the_manager(sites: dict[str, Site]) -> None:
    site = sites["lx-br1"]
    files = {f.path for f in build_site(site).files}
    wg = {"etc/wireguard/wg0.conf"}
    swan = {"etc/swanctl/conf.d/iosgen.conf"}
    assert guard(site, wg, "10.50.3.4") == [
        "tunnel hq-wg restarts (wg-quick@wg0.service) and its network 10.50.0.0/16 holds "
        "the management endpoint 10.50.3.4"
    ]
    assert guard(site, swan, "10.11.0.9") == [
        "tunnel sofia-ipsec reloads (strongswan.service) and its remote network "
        "10.11.0.0/16 holds the management endpoint 10.11.0.9"
    ]
    assert files >= wg | swan
    assert guard(site, set(), "10.50.3.4") == []  # nothing restarts
    assert guard(site, wg, "192.0.2.1") == []
    # a tunnel the build dropped: its old file says what it carried
    old = BoxFile("etc/wireguard/wg7.conf", "[Peer]\nAllowedIPs = 10.70.0.0/16, 10.254.0.1/32\n")
    assert guard(site, {old.path}, "10.70.1.1", {old.path: old}) == [
        "wg-quick@wg7.service stops (its file goes) and its network 10.70.0.0/16 holds "
        "the management endpoint 10.70.1.1"
    ]
