"""Every built /etc/wireguard/wgN.conf loaded by the real tools (wireguard-tools and
wireguard-go of Debian 12), each in an empty network namespace with a private /run:

- `wg-quick strip` of the file, `wg setconf` of the rest on a wireguard-go interface,
  then `wg showconf` and `wg show dump` read back: the keys (public keys as the real
  `wg pubkey` derives them), pre-shared keys, endpoints, allowed IPs and keepalives
  the model says;
- `wg-quick up` of the whole file: the address, the MTU and the PostUp routes with the
  tunnel's distance as their metric, and `wg-quick down` removes the interface;
- a control file with a broken key is refused by the same `wg setconf`;
- every unit of the units table (wg-quick@wgN, strongswan) enables with
  `systemctl --root` against the distribution's unit files.
"""

from __future__ import annotations

import shutil
from ipaddress import IPv4Network
from pathlib import Path

import pytest

from iosgen.build.linux.units import linux_units
from iosgen.build.linux.wireguard import WG_QUICK_ONLY_KEYS, public_key
from iosgen.model.site import Site
from tests.linux.vpn_support import (
    WG_GO,
    WG_QUICK,
    WG_SETCONF,
    built,
    checked,
    parse_dump,
    pubkey,
    require,
    sh,
    vpn_sites,
    wg_sandbox,
)

# (site, interface): every WireGuard interface of the test inventory
INTERFACES = [("lx-br1", "wg0"), ("lx-br2", "wg3"), ("lx-hq", "wg0")]
IDS = [f"{site}-{iface}" for site, iface in INTERFACES]


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return vpn_sites()


def _hq_private(sites: dict[str, Site]) -> str:
    server = sites["lx-hq"].wireguard_server
    assert server is not None
    return server.private_key.reveal()


def expected_peers(sites: dict[str, Site], host: str) -> dict[str, tuple[str, ...]]:
    """Each peer's public key (by the real `wg pubkey`) and the allowed IPs the model says."""
    site = sites[host]
    if host == "lx-hq":
        out = {}
        for branch in ("lx-br1", "lx-br2"):
            tunnel = sites[branch].wireguard_tunnels["hq-wg"]
            lans = [str(n) for n in sites[branch].lan_networks]
            ips = (str(IPv4Network(tunnel.address.ip)), *lans)
            out[pubkey(tunnel.private_key.reveal())] = tuple(sorted(ips))
        return out
    tunnel = site.wireguard_tunnels["hq-wg"]
    ips = [str(n) for n in tunnel.remote_networks] + ["10.254.0.1/32"]
    return {pubkey(_hq_private(sites)): tuple(sorted(ips))}


@pytest.mark.parametrize(("host", "iface"), INTERFACES, ids=IDS)
def test_wg_setconf_reads_back_what_the_model_says(
    sites: dict[str, Site], host: str, iface: str, tmp_path: Path
) -> None:
    site = sites[host]
    build = built(site, tmp_path / "root")
    conf = tmp_path / "root" / "etc" / "wireguard" / f"{iface}.conf"
    assert oct(conf.stat().st_mode & 0o777) == "0o600"
    out = wg_sandbox(WG_SETCONF, tmp_path, iface, str(conf))
    # wg-quick's own keys are gone, wg's are all there
    stripped = {line.split(" = ")[0] for line in out["strip"].splitlines() if " = " in line}
    assert not stripped & set(WG_QUICK_ONLY_KEYS)
    assert "PrivateKey" in stripped and "PublicKey" in stripped

    dump = parse_dump(out["dump"])
    if host == "lx-hq":
        private = _hq_private(sites)
        assert dump.listen_port == 51820
    else:
        tunnel = site.wireguard_tunnels["hq-wg"]
        private = tunnel.private_key.reveal()
        if tunnel.listen_port is not None:
            assert dump.listen_port == tunnel.listen_port
        else:
            assert dump.listen_port > 0  # none in the file: wireguard-go picks one
    assert dump.private_key == private
    assert dump.public_key == pubkey(private) == public_key(private)
    want = expected_peers(sites, host)
    assert {k: p.allowed_ips for k, p in dump.peers.items()} == want
    for key, peer in dump.peers.items():
        if host == "lx-hq":
            # the branches dial in: no endpoint, no keepalive of the hub's own
            assert (peer.endpoint, peer.keepalive) == ("(none)", "off"), key
        else:
            tunnel = site.wireguard_tunnels["hq-wg"]
            assert peer.endpoint == f"{tunnel.peer}:{tunnel.peer_port}"
            assert peer.keepalive == str(tunnel.keepalive_seconds)
            psk = tunnel.preshared_key
            assert peer.preshared_key == (psk.reveal() if psk is not None else "(none)")
    # the masked build shows no key that is a secret
    masked = build.masked(conf.read_text())
    assert private not in masked and "PrivateKey = <redacted>" in masked


def test_head_office_psk_is_the_branchs(sites: dict[str, Site], tmp_path: Path) -> None:
    built(sites["lx-hq"], tmp_path / "root")
    conf = tmp_path / "root" / "etc" / "wireguard" / "wg0.conf"
    dump = parse_dump(wg_sandbox(WG_SETCONF, tmp_path, "wg0", str(conf))["dump"])
    br1 = sites["lx-br1"].wireguard_tunnels["hq-wg"]
    br2 = sites["lx-br2"].wireguard_tunnels["hq-wg"]
    assert br1.preshared_key is not None
    assert dump.peers[pubkey(br1.private_key.reveal())].preshared_key == br1.preshared_key.reveal()
    assert dump.peers[pubkey(br2.private_key.reveal())].preshared_key == "(none)"


@pytest.mark.parametrize(("host", "iface"), INTERFACES, ids=IDS)
def test_wg_quick_up_sets_address_mtu_and_routes(
    sites: dict[str, Site], host: str, iface: str, tmp_path: Path
) -> None:
    site = sites[host]
    built(site, tmp_path / "root")
    conf = tmp_path / "root" / "etc" / "wireguard" / f"{iface}.conf"
    out = wg_sandbox(WG_QUICK, tmp_path, iface, str(conf))
    if host == "lx-hq":
        server = site.wireguard_server
        assert server is not None
        address, mtu, metric = server.address, None, None
        nets = sorted(str(n) for b in ("lx-br1", "lx-br2") for n in sites[b].lan_networks)
    else:
        tunnel = site.wireguard_tunnels["hq-wg"]
        address, mtu, metric = tunnel.address, tunnel.mtu, tunnel.distance
        nets = sorted(str(n) for n in tunnel.remote_networks)
    assert f"inet {address} " in out["addr"]
    if mtu is not None:
        assert f" mtu {mtu} " in out["link"]
    routes = {line.split()[0]: line for line in out["routes"].splitlines()}
    # the tunnel's own subnet (from Address) and exactly the model's networks
    assert sorted(routes) == sorted([*nets, str(address.network)])
    for net in nets:
        if metric is None:
            assert " metric " not in routes[net], routes[net]
        else:
            assert routes[net].endswith(f"metric {metric} "), routes[net]
    assert "does not exist" in out["after"]


def test_broken_key_is_refused_by_wg(sites: dict[str, Site], tmp_path: Path) -> None:
    """The control: the same sandbox fails on a key wg cannot read."""
    built(sites["lx-br2"], tmp_path / "root")
    conf = tmp_path / "root" / "etc" / "wireguard" / "wg3.conf"
    text = conf.read_text()
    bad = tmp_path / "wg3.conf"
    bad.write_text(text.replace("PublicKey = ", "PublicKey = x", 1))
    bad.chmod(0o600)
    wrapper = tmp_path / "wg-go"
    wrapper.write_text(WG_GO)
    wrapper.chmod(0o755)
    args = ["unshare", "-n", "-m", "bash", "-c", WG_SETCONF, "sb", str(tmp_path), "wg3", str(bad)]
    result = sh(args)
    assert result.returncode != 0
    assert "Key is not the correct length or format" in result.stderr


UNIT_FILES = ("wg-quick@.service", "strongswan.service")


@pytest.mark.parametrize("host", ["lx-br1", "lx-br2", "lx-hq"], ids=["lx-br1", "lx-br2", "lx-hq"])
def test_every_unit_of_the_units_table_enables(
    sites: dict[str, Site], host: str, tmp_path: Path
) -> None:
    """`systemctl --root enable` of each unit the push is told to enable, in a root with
    the built tree and the distribution's unit files (wireguard-tools, charon-systemd):
    each names a unit that exists, and is enabled for boot."""
    require("systemctl")
    root = tmp_path / "root"
    built(sites[host], root)
    units = root / "lib/systemd/system"
    units.mkdir(parents=True)
    for name in UNIT_FILES:
        shutil.copy2(Path("/lib/systemd/system") / name, units / name)
    table = linux_units(sites[host])
    assert table and all(u.packaged and u.enable for u in table)
    for unit in table:
        checked(["systemctl", f"--root={root}", "enable", unit.name])
        state = sh(["systemctl", f"--root={root}", "is-enabled", unit.name]).stdout.strip()
        assert state == "enabled", unit.name
    # the control: a name no package ships is refused by the same command
    assert sh(["systemctl", f"--root={root}", "enable", "wgquick@wg0.service"]).returncode != 0
