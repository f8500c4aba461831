"""The pure rules of the WireGuard/IPsec push (iosgen.push.linux_vpn): the steps both
ways, and how the verify reads `wg show` and `swanctl --list-sas`."""

from __future__ import annotations

from iosgen.build import build_site
from iosgen.build.linux.wireguard import wireguard_interfaces
from iosgen.push.linux import reload_steps
from iosgen.push.linux_vpn import judge_vpn, stop_steps, unit_steps
from tests.linux.vpn_support import vpn_sites

WG = "etc/wireguard/wg0.conf"
SWAN = "etc/swanctl/conf.d/iosgen.conf"


def test_steps_forward_and_back() -> None:
    site = vpn_sites()["lx-br1"]
    built = {f.path for f in build_site(site).files}
    changed = {WG, SWAN}
    # a new box: enable, restart, reload; nothing stopped first
    assert unit_steps(site, changed, built, set()) == [
        "systemctl enable strongswan.service",
        "systemctl enable wg-quick@wg0.service",
        "systemctl restart wg-quick@wg0.service",
        "systemctl reload-or-restart strongswan.service",
    ]
    assert stop_steps(site, changed, built) == []
    # its rollback: the files go, so wg0 stops first and strongSwan reloads after
    assert stop_steps(site, changed, set()) == ["systemctl disable --now wg-quick@wg0.service"]
    assert unit_steps(site, changed, set(), built) == [
        "systemctl reload-or-restart strongswan.service"
    ]
    # a changed file of a running unit: no enable
    assert reload_steps(site, {WG}, "systemd", "", (), built, built) == [
        "systemctl restart wg-quick@wg0.service"
    ]
    # a dropped wg3 the build no longer has
    assert stop_steps(site, {"etc/wireguard/wg3.conf"}, built) == [
        "systemctl disable --now wg-quick@wg3.service"
    ]


def _wg_text(now: int, key: str, epoch: int) -> str:
    return f"@@now\n{now}\n@@wg wg0\n{key}\t{epoch}\n@@sas\n"


def test_a_handshake_must_follow_the_restart_or_be_fresh() -> None:
    site = vpn_sites()["lx-br1"]
    (wg,) = wireguard_interfaces(site)
    key = wg.peers[0].public_key
    restarted = frozenset({"wg0"})
    up = judge_vpn(site, _wg_text(1000, key, 995), since=990, restarted=restarted)
    assert up[0].up and up[0].address == "handshake 5 s ago"
    old = judge_vpn(site, _wg_text(1000, key, 980), since=990, restarted=restarted)
    assert old[0].problems == ("wg0: the latest handshake is from before the restart",)
    # not restarted (iosgen verify): within wg's 180 s
    assert judge_vpn(site, _wg_text(1000, key, 830))[0].up
    assert judge_vpn(site, _wg_text(1000, key, 810))[0].problems == (
        "wg0: the latest handshake is 190 s old",
    )
    # another peer's handshake is not ours
    assert not judge_vpn(site, _wg_text(1000, "b3RoZXI=", 999))[0].up
    gone = judge_vpn(site, "@@now\n1000\n@@wg wg0\nUnable to access interface\n@@failed\n")
    assert gone[0].problems == ("wg0 is not up (Unable to access interface)",)


def test_ipsec_states() -> None:
    site = vpn_sites()["lx-br1"]
    connecting = "@@now\n1\n@@wg wg0\n@@failed\n@@sas\nsofia-ipsec: #2, CONNECTING, IKEv1\n"
    state = judge_vpn(site, connecting)[-1]
    assert (state.name, state.up) == ("sofia-ipsec", False)
    assert state.problems == ("IKE SA sofia-ipsec is CONNECTING",)
    assert judge_vpn(site, "@@now\n1\n@@sas\n")[-1].problems == ("no IKE SA sofia-ipsec",)
