"""A Linux head office (`wireguard_server`) compiled from its WireGuard branches.

- the derivation: one [Peer] per branch tunnel that names the head office, by branch,
  with the branch's public key, pre-shared key, tunnel address and LANs; a branch's
  peer key and the head office's tunnel address taken from the head office; the
  mismatches the fleet can have are one clear error each;
- the real proof: the head office and each branch, built separately, brought up with
  `wg-quick up` in two network namespaces joined by a veth pair, complete a WireGuard
  handshake (wireguard-go; the keys, the pre-shared key and the endpoint must all agree).
"""

from __future__ import annotations

from ipaddress import IPv4Interface
from pathlib import Path

import pytest

from iosgen.build import build_site
from iosgen.build.linux.units import linux_units
from iosgen.build.linux.wireguard import dialers, public_key
from iosgen.errors import RenderError
from iosgen.model.inventory import load_files, load_resolver
from iosgen.model.site import Site
from tests.linux.vpn_support import (
    VPN_INVENTORY,
    WG_HEAD,
    built,
    parse_dump,
    pubkey,
    vpn_sites,
    wg_sandbox,
)


@pytest.fixture
def sites() -> dict[str, Site]:
    return vpn_sites()


def _wg(site: Site, name: str) -> str:
    build = build_site(site)
    return next(f.content for f in build.files if f.path == f"etc/wireguard/{name}.conf")


def test_head_office_has_one_peer_per_branch_tunnel(sites: dict[str, Site]) -> None:
    hq = sites["lx-hq"]
    found = [(d.branch.hostname, d.name) for d in dialers(hq, sites.values())]
    assert found == [("lx-br1", "hq-wg"), ("lx-br2", "hq-wg")]
    text = _wg(hq, "wg0")
    for branch, lans in (
        ("lx-br1", "192.168.61.0/24, 192.168.62.0/24"),
        ("lx-br2", "192.168.72.0/24"),
    ):
        tunnel = sites[branch].wireguard_tunnels["hq-wg"]
        block = text.split(f"# {branch} (tunnels.hq-wg)\n")[1].split("\n\n")[0] + "\n"
        assert f"PublicKey = {pubkey(tunnel.private_key.reveal())}\n" in block
        assert f"AllowedIPs = {tunnel.address.ip}/32, {lans}\n" in block
        assert "Endpoint" not in block  # the branches dial in
    # and routes back to every branch LAN
    for lan in ("192.168.61.0/24", "192.168.62.0/24", "192.168.72.0/24"):
        assert f"PostUp = ip route add {lan} dev %i\n" in text


def test_branch_takes_key_and_address_from_the_head_office(sites: dict[str, Site]) -> None:
    server = sites["lx-hq"].wireguard_server
    assert server is not None
    text = _wg(sites["lx-br2"], "wg3")
    assert f"PublicKey = {pubkey(server.private_key.reveal())}\n" in text
    assert "Endpoint = 203.0.113.50:51820\n" in text
    assert "AllowedIPs = 10.50.0.0/16, 10.51.0.0/16, 10.254.0.1/32\n" in text


def test_adding_a_branch_changes_the_head_office(sites: dict[str, Site]) -> None:
    hq = sites["lx-hq"]
    before = _wg(hq, "wg0")
    br2 = sites["lx-br2"]
    lan = br2.interfaces["eth1"].model_copy(update={"ipv4": IPv4Interface("192.168.73.1/24")})
    moved = br2.model_copy(
        update={"hostname": "lx-br3", "interfaces": {**br2.interfaces, "eth1": lan}}
    )
    tunnel = moved.wireguard_tunnels["hq-wg"]
    third = tunnel.model_copy(update={"address": IPv4Interface("10.254.0.9/24")})
    moved = moved.model_copy(update={"tunnels": {**moved.tunnels, "hq-wg": third}})
    hq.with_fleet((*sites.values(), moved))
    after = _wg(hq, "wg0")
    assert before.count("[Peer]") == 2 and after.count("[Peer]") == 3
    assert "# lx-br3 (tunnels.hq-wg)" in after
    assert "AllowedIPs = 10.254.0.9/32, 192.168.73.0/24\n" in after
    assert "PostUp = ip route add 192.168.73.0/24 dev %i\n" in after


def _with(sites: dict[str, Site], host: str, **changes: object) -> tuple[Site, ...]:
    site = sites[host]
    tunnel = site.wireguard_tunnels["hq-wg"].model_copy(update=changes)
    changed = site.model_copy(update={"tunnels": {**site.tunnels, "hq-wg": tunnel}})
    fleet = tuple(changed if s.hostname == host else s for s in sites.values())
    for s in fleet:
        s.with_fleet(fleet)
    return fleet


MISMATCHES = [
    (
        "lx-br2",
        {"peer_public_key": public_key("GPsVTjJ5OGBaA5I1kkPsAVvcVvhipMeV6XvRrgM+flg=")},
        "lx-br2: tunnels.hq-wg.peer_public_key is not the public key of lx-hq's wireguard_server",
    ),
    ("lx-br2", {"peer_port": 51999}, "peer_port 51999 is not lx-hq's wireguard_server.listen_port"),
    (
        "lx-br2",
        {"address": IPv4Interface("10.254.0.2/24")},
        "both use the tunnel address 10.254.0.2",
    ),
]


@pytest.mark.parametrize(
    ("host", "changes", "message"), MISMATCHES, ids=["foreign-key", "port", "same-address"]
)
def test_fleet_mismatch_is_one_clear_error(
    sites: dict[str, Site], host: str, changes: dict[str, object], message: str
) -> None:
    fleet = _with(sites, host, **changes)
    which = "lx-hq" if "both use" in message else host
    site = next(s for s in fleet if s.hostname == which)
    with pytest.raises(RenderError) as caught:
        build_site(site)
    assert message in str(caught.value)


def test_two_branches_with_one_lan_is_an_error(sites: dict[str, Site]) -> None:
    """WireGuard would give the network to whichever peer it read last: refused."""
    br2 = sites["lx-br2"]
    lan = br2.interfaces["eth1"].model_copy(update={"ipv4": IPv4Interface("192.168.62.1/24")})
    clash = br2.model_copy(update={"interfaces": {**br2.interfaces, "eth1": lan}})
    fleet = tuple(clash if s.hostname == "lx-br2" else s for s in sites.values())
    hq = sites["lx-hq"]
    hq.with_fleet(fleet)
    with pytest.raises(RenderError) as caught:
        build_site(hq)
    assert "lx-br2 (tunnels.hq-wg) and lx-br1 (tunnels.hq-wg) both route 192.168.62.0/24" in str(
        caught.value
    )


def test_branch_without_its_inventory_needs_a_key() -> None:
    # the loader gives a site of an inventory its fleet, even named alone
    path = VPN_INVENTORY / "sites" / "lx-br1.yaml"
    resolver = load_resolver(None, inventory=VPN_INVENTORY)
    assert build_site(load_files([path], resolver).sites[0]).files
    # a site put together in code, with no fleet attached, has none to read peers from
    alone = load_files([path], resolver).sites[0].model_copy()
    alone._fleet = None
    with pytest.raises(RenderError) as caught:
        build_site(alone)
    assert "peer_public_key is None and the site came without its inventory" in str(caught.value)


def test_units_table_names_wg_quick_and_strongswan(sites: dict[str, Site]) -> None:
    units = {u.name: u for u in linux_units(sites["lx-br1"])}
    assert sorted(units) == ["strongswan.service", "wg-quick@wg0.service"]
    assert units["wg-quick@wg0.service"].files == ("etc/wireguard/wg0.conf",)
    assert units["wg-quick@wg0.service"].action == "restart"
    assert units["strongswan.service"].files == ("etc/swanctl/conf.d/iosgen.conf",)
    assert units["strongswan.service"].action == "reload"
    assert [u.name for u in linux_units(sites["lx-hq"])] == ["wg-quick@wg0.service"]


# --- the handshake ----------------------------------------------------------------------

BRANCH = (
    WG_HEAD
    + """
conf=$1 iface=$2 wan=$3 office=$4 inside=$5 sync=$6
touch "$sync/branch.ready"
while ! ip link show vb >/dev/null 2>&1; do sleep 0.05; done
ip addr add "$wan/32" dev vb
ip link set vb up
ip route add "$office/32" dev vb
while [ ! -e "$sync/office.up" ]; do sleep 0.05; done
wg-quick up "$conf" 2>/run/up.log || { cat /run/up.log >&2; exit 1; }
# any packet for the tunnel starts the handshake; wait for it to complete
i=0
while wg show "$iface" latest-handshakes | awk '{ exit $2 != 0 }'; do
    i=$((i + 1)); [ "$i" -gt "${WG_WAIT:-100}" ] && break
    echo hello >/dev/udp/"$inside"/9 || true
    sleep 0.1
done
echo "@@branch"; wg show "$iface" dump
wg-quick down "$conf" 2>/dev/null
"""
)

OFFICE = (
    WG_HEAD
    + """
conf=$1 bconf=$2 biface=$3 bwan=$4 office=$5 inside=$6
sync=$work/sync
mkdir -p "$sync"
unshare -n -m bash -c "$BRANCH" sb "$work" "$bconf" "$biface" "$bwan" "$office" "$inside" \\
    "$sync" >"$sync/branch.out" 2>"$sync/branch.err" &
branch=$!
while [ ! -e "$sync/branch.ready" ]; do sleep 0.05; done
ip link add va type veth peer name vb
ip link set vb netns "$branch"
ip addr add "$office/32" dev va
ip link set va up
ip route add "$bwan/32" dev va
wg-quick up "$conf" 2>/run/up.log || { cat /run/up.log >&2; exit 1; }
touch "$sync/office.up"
wait "$branch" || { cat "$sync/branch.err" >&2; exit 1; }
cat "$sync/branch.out"
echo "@@office"; wg show wg0 dump
wg-quick down "$conf" 2>/dev/null
"""
)

BRANCHES = [("lx-br1", "wg0", "203.0.113.61"), ("lx-br2", "wg3", "198.51.100.99")]


@pytest.mark.parametrize(("host", "iface", "wan"), BRANCHES, ids=[b[0] for b in BRANCHES])
def test_branch_and_head_office_complete_a_handshake(
    sites: dict[str, Site],
    host: str,
    iface: str,
    wan: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hq_root, br_root = tmp_path / "hq", tmp_path / "br"
    built(sites["lx-hq"], hq_root)
    built(sites[host], br_root)
    monkeypatch.setenv("BRANCH", BRANCH)
    out = wg_sandbox(
        OFFICE,
        tmp_path,
        str(hq_root / "etc/wireguard/wg0.conf"),
        str(br_root / f"etc/wireguard/{iface}.conf"),
        iface,
        wan,
        "203.0.113.50",
        "10.254.0.1",
        timeout=90,
    )
    branch, office = parse_dump(out["branch"]), parse_dump(out["office"])
    tunnel = sites[host].wireguard_tunnels["hq-wg"]
    mine = pubkey(tunnel.private_key.reveal())
    assert office.handshakes[mine] > 0, out
    assert branch.handshakes[office.public_key] > 0
    # the head office learnt the branch's endpoint from the handshake
    assert office.peers[mine].endpoint.startswith(f"{wan}:")
    # and its other branch stays without one
    others = [k for k in office.peers if k != mine]
    assert len(others) == 1 and office.handshakes[others[0]] == 0


def test_no_handshake_when_the_preshared_keys_differ(
    sites: dict[str, Site], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: the same sandbox, the head office's copy of lx-br1's pre-shared key
    changed by one key: WireGuard never completes the handshake."""
    hq_root, br_root = tmp_path / "hq", tmp_path / "br"
    built(sites["lx-hq"], hq_root)
    built(sites["lx-br1"], br_root)
    psk = sites["lx-br1"].wireguard_tunnels["hq-wg"].preshared_key
    assert psk is not None
    conf = hq_root / "etc/wireguard/wg0.conf"
    other = "QI8l4lCDlnwDbSTFyllitKQ9qwHimuvvOfwvvUtGJA0="  # another `wg genpsk`
    conf.write_text(conf.read_text().replace(psk.reveal(), other))
    monkeypatch.setenv("BRANCH", BRANCH)
    # 3 s: the first handshake initiation goes at once, a retry only after 5 s
    # (WireGuard's REKEY_TIMEOUT), and a matching pair completes in well under one
    monkeypatch.setenv("WG_WAIT", "30")
    out = wg_sandbox(
        OFFICE,
        tmp_path,
        str(conf),
        str(br_root / "etc/wireguard/wg0.conf"),
        "wg0",
        "203.0.113.61",
        "203.0.113.50",
        "10.254.0.1",
        timeout=90,
    )
    office = parse_dump(out["office"])
    assert all(seen == 0 for seen in office.handshakes.values())


def test_head_office_without_its_inventory_is_one_error() -> None:
    # the loader gives a site of an inventory its fleet, even named alone
    path = VPN_INVENTORY / "sites" / "lx-hq.yaml"
    resolver = load_resolver(None, inventory=VPN_INVENTORY)
    assert build_site(load_files([path], resolver).sites[0]).files
    # a site put together in code, with no fleet attached, has none to read peers from
    alone = load_files([path], resolver).sites[0].model_copy()
    alone._fleet = None
    with pytest.raises(RenderError) as caught:
        build_site(alone)
    assert "wireguard_server.from_branches compiles the head office" in str(caught.value)
    # and with from_branches off it builds, with no peer
    server = alone.wireguard_server
    assert server is not None
    hand = alone.model_copy(
        update={"wireguard_server": server.model_copy(update={"from_branches": False})}
    )
    assert "[Peer]" not in _wg(hand, "wg0")
