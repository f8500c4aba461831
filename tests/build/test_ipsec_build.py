"""The IOS build of `kind: ipsec` tunnels (docs/ipsec.md): line for line as 12.4 prints
them, the key masked everywhere but the config, and each bad input at its key path.

tests/build/ipsec/ is an inventory: R-VTI (route-based, static WAN, its own /30), R-MAP
(crypto map behind a DHCP WAN, with the Internet PAT), R-PAT (mid-migration: PPTP beside
a floating IPsec tunnel with PAT, on 12.4(24)T for DH group 14). Their builds are pinned
in golden/; ISRGEN_UPDATE_IPSEC_GOLDEN=1 rewrites them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from iosgen.build.ios import render
from iosgen.errors import InputError
from iosgen.model.inventory import load_resolver, load_site
from iosgen.model.secret import MASK
from iosgen.model.site import Site

ROOT = Path(__file__).parent / "ipsec"
SITES = {"R-VTI": "vti", "R-MAP": "map", "R-PAT": "pat"}


def _site(host: str) -> Site:
    path = ROOT / "sites" / f"{SITES[host]}.yaml"
    return load_site(path, load_resolver(None, inventory=ROOT))


def _block(text: str, head: str) -> list[str]:
    """`head` and its indented children, as printed."""
    lines = text.splitlines()
    at = lines.index(head)
    out = [head]
    for line in lines[at + 1 :]:
        if not line.startswith(" "):
            break
        out.append(line)
    return out


@pytest.mark.parametrize("host", list(SITES), ids=list(SITES))
def test_build_matches_its_golden_file(host: str) -> None:
    golden = ROOT / "golden" / f"{host}.cfg"
    text = render(_site(host)).text
    if os.environ.get("IOSGEN_UPDATE_IPSEC_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_route_based_branch_prints_the_contract_in_12_4_order() -> None:
    text = render(_site("R-VTI")).text
    lines = text.splitlines()
    at = lines.index("crypto isakmp policy 10")
    assert lines[at : at + 9] == [
        "crypto isakmp policy 10",
        " encr aes 256",
        " authentication pre-share",
        " group 5",
        "crypto isakmp key Vti-Psk-demo-0001 address 203.0.113.10",
        "crypto isakmp keepalive 10 3",
        "!",
        "!",
        "crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac",
    ]
    assert _block(text, "crypto ipsec profile IOSGEN-HQ") == [
        "crypto ipsec profile IOSGEN-HQ",
        " set transform-set IOSGEN-AES256-SHA",
        " set pfs group5",
    ]
    assert _block(text, "interface Tunnel10") == [
        "interface Tunnel10",
        " description IPsec to hq",
        " ip address 10.255.10.2 255.255.255.252",
        " ip mtu 1400",
        " ip tcp adjust-mss 1360",
        " tunnel source FastEthernet0/0",
        " tunnel destination 203.0.113.10",
        " tunnel mode ipsec ipv4",
        " tunnel protection ipsec profile IOSGEN-HQ",
    ]
    assert "ip route 10.10.0.0 255.255.0.0 Tunnel10" in lines
    assert "ip route 10.11.0.0 255.255.0.0 Tunnel10" in lines
    # crypto after `ip ssh`, before the interfaces (Tunnel before the ports)
    assert lines.index("ip ssh version 2") < at < lines.index("interface Tunnel10")
    assert lines.index("interface Tunnel10") < lines.index("interface FastEthernet0/0")
    # the Internet PAT needs no exemption: tunnel traffic leaves through Tunnel10
    assert "ip access-list extended IOSGEN-NAT" not in lines


def test_crypto_map_branch_exempts_tunnel_traffic_from_the_internet_pat() -> None:
    text = render(_site("R-MAP")).text
    lines = text.splitlines()
    assert _block(text, "crypto isakmp policy 10") == [
        "crypto isakmp policy 10",
        " encr aes",
        " authentication pre-share",
        " group 5",
        " lifetime 28800",
    ]
    assert "crypto ipsec transform-set IOSGEN-AES128-SHA esp-aes esp-sha-hmac" in lines
    assert _block(text, "crypto map IOSGEN-VPN 10 ipsec-isakmp") == [
        "crypto map IOSGEN-VPN 10 ipsec-isakmp",
        " description IPsec to hq",
        " set peer 203.0.113.10",
        " set security-association lifetime seconds 1800",
        " set transform-set IOSGEN-AES128-SHA",
        " set pfs group5",
        " match address IOSGEN-HQ",
    ]
    # the map is the WAN's last line, after duplex/speed
    assert _block(text, "interface FastEthernet0/0")[-3:] == [
        " duplex auto",
        " speed auto",
        " crypto map IOSGEN-VPN",
    ]
    assert _block(text, "ip access-list extended IOSGEN-HQ") == [
        "ip access-list extended IOSGEN-HQ",
        " permit ip 192.168.22.0 0.0.0.255 10.10.0.0 0.0.255.255",
    ]
    assert _block(text, "ip access-list extended IOSGEN-NAT") == [
        "ip access-list extended IOSGEN-NAT",
        " deny   ip 192.168.22.0 0.0.0.255 10.10.0.0 0.0.255.255",
        " permit ip 192.168.22.0 0.0.0.255 any",
    ]
    assert _block(text, "route-map INTERNET permit 10") == [
        "route-map INTERNET permit 10",
        " match ip address IOSGEN-NAT",
        " match interface FastEthernet0/0",
    ]
    # nothing else uses the standard NAT ACL, so it is not printed; no route: the map
    # encrypts what the default route sends out of the WAN
    assert not any(line.startswith("access-list 10 ") for line in lines)
    assert not any(line.startswith("ip route 10.10.") for line in lines)


def test_floating_ipsec_beside_pptp_with_pat_behind_the_tunnel() -> None:
    text = render(_site("R-PAT")).text
    lines = text.splitlines()
    assert "ip route 10.10.0.0 255.255.0.0 Dialer2" in lines
    assert "ip route 10.10.0.0 255.255.0.0 Tunnel0 250" in lines
    assert _block(text, "interface Tunnel0")[:5] == [
        "interface Tunnel0",
        " description IPsec to hq-ipsec",
        " ip unnumbered FastEthernet0/1",
        " ip nat outside",
        " ip virtual-reassembly",
    ]
    assert "ip nat inside source route-map HQ-IPSEC interface Tunnel0 overload" in lines
    assert _block(text, "route-map HQ-IPSEC permit 10") == [
        "route-map HQ-IPSEC permit 10",
        " match ip address 10",
        " match interface Tunnel0",
    ]
    assert "crypto isakmp keepalive 30 5" in lines
    assert " group 14" in lines and " set pfs group14" in lines


def test_pptp_distance_floats_the_dialer_route(tmp_path: Path) -> None:
    site = _site("R-PAT")
    pptp = site.pptp_clients["hq"].model_copy(update={"distance": 200})
    text = render(site.model_copy(update={"pptp_clients": {"hq": pptp}})).text
    assert "ip route 10.10.0.0 255.255.0.0 Dialer2 200" in text.splitlines()


@pytest.mark.parametrize("host", list(SITES), ids=list(SITES))
def test_the_key_is_masked_everywhere_but_the_config(host: str) -> None:
    rendered = render(_site(host))
    site = _site(host)
    key = next(iter(site.ipsec_tunnels.values())).pre_shared_key.reveal()
    assert key in rendered.text
    masked = rendered.masked()
    assert key not in masked
    assert f"crypto isakmp key {MASK} address 203.0.113.10" in masked.splitlines()
    assert key not in repr(site)


def test_default_mode_is_a_crypto_map_on_an_image_without_vti(tmp_path: Path) -> None:
    data = _data("vti")
    data["hardware"] = {"image": "12.3(11)T9"}
    del data["tunnels"]["hq"]["tunnel_interface"]
    text = render(_load(tmp_path, data)).text
    assert "crypto map IOSGEN-VPN 10 ipsec-isakmp" in text.splitlines()
    assert "tunnel mode ipsec ipv4" not in text


def _data(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "sites" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _load(tmp_path: Path, data: dict[str, Any]) -> Site:
    (tmp_path / "sites").mkdir(exist_ok=True)
    (tmp_path / "secrets.yaml").write_text(
        (ROOT / "secrets.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = tmp_path / "sites" / "site.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_site(path, load_resolver(None, inventory=tmp_path))


def _hq(data: dict[str, Any]) -> dict[str, Any]:
    tunnel = data["tunnels"]["hq"]
    assert isinstance(tunnel, dict)
    return tunnel


def _second(data: dict[str, Any], **changes: Any) -> None:
    data["tunnels"]["hq2"] = {**_hq(data), "peer": "203.0.113.20", **changes}


# (id, site, change, key path, words of the message)
BAD: list[tuple[str, str, Any, str, str]] = [
    (
        "no-k9",
        "vti",
        lambda d: d.update(hardware={"feature_set": "advipservices"}),
        "tunnels.hq.kind",
        "needs a crypto (k9) image",
    ),
    (
        "k8-des-only",
        "vti",
        lambda d: d.update(hardware={"feature_set": "ipbasek8"}),
        "tunnels.hq.kind",
        "has DES only",
    ),
    (
        "vti-before-12.3-14T",
        "vti",
        lambda d: (
            d.update(hardware={"image": "12.3(11)T9"}),
            _hq(d).update(mode="tunnel-interface"),
        ),
        "tunnels.hq.mode",
        "no `tunnel mode ipsec ipv4`",
    ),
    (
        "group14-on-mainline",
        "vti",
        lambda d: _hq(d).update(ike={"group": 14}),
        "tunnels.hq.ike.group",
        "has no DH group 14",
    ),
    (
        "pfs14-on-mainline",
        "vti",
        lambda d: _hq(d).update(ipsec={"pfs_group": 14}),
        "tunnels.hq.ipsec.pfs_group",
        "has no DH group 14",
    ),
    (
        "crypto-map-with-nat",
        "map",
        lambda d: _hq(d).update(nat=True),
        "tunnels.hq.nat",
        "nat: false",
    ),
    (
        "tunnel-number-twice",
        "vti",
        lambda d: _second(d),
        "tunnels.hq2.tunnel_interface",
        "Tunnel10 is already tunnel 'hq'",
    ),
    (
        "tunnel-number-typed",
        "vti",
        lambda d: (
            d["extra_config"].update(sections={"interface Tunnel10": ["no ip address"]})
            if "extra_config" in d
            else d.update(extra_config={"sections": {"interface Tunnel10": ["no ip address"]}})
        ),
        "tunnels.hq.tunnel_interface",
        "typed by the site",
    ),
    (
        "remote-overlaps-lan",
        "vti",
        lambda d: _hq(d).update(remote_networks=["10.10.0.0/16", "192.168.0.0/16"]),
        "tunnels.hq.remote_networks.1",
        "overlaps LAN FastEthernet0/1",
    ),
    (
        "remote-holds-peer",
        "vti",
        lambda d: _hq(d).update(remote_networks=["203.0.113.0/24"]),
        "tunnels.hq.remote_networks.0",
        "routing loop",
    ),
    (
        "peer-twice",
        "vti",
        lambda d: _second(d, peer="203.0.113.10", tunnel_interface=11),
        "tunnels.hq2.peer",
        "one key per peer address",
    ),
    (
        "peer-is-me",
        "vti",
        lambda d: _hq(d).update(peer="198.51.100.21"),
        "tunnels.hq.peer",
        "this router's own address",
    ),
    (
        "dpd-differs",
        "vti",
        lambda d: _second(d, tunnel_interface=11, dpd={"interval": 20}),
        "tunnels.hq2.dpd",
        "one global `crypto isakmp keepalive`",
    ),
    (
        "mss-over-mtu",
        "vti",
        lambda d: _hq(d).update(tcp_mss=1380),
        "tunnels.hq.tcp_mss",
        "at most 1360",
    ),
    (
        "crypto-map-without-remote",
        "map",
        lambda d: _hq(d).update(remote_networks=[]),
        "tunnels.hq.remote_networks",
        "at least one",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "where", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_input_is_reported_at_its_key(
    tmp_path: Path, name: str, change: Any, where: str, words: str
) -> None:
    data = _data(name)
    change(data)
    with pytest.raises(InputError) as caught:
        _load(tmp_path, data)
    rendered = [p.render() for p in caught.value.problems]
    hit = [r for r in rendered if f": {where}: " in r and words in r]
    assert hit, rendered
    # file:line:column, and the key's line is in the file we wrote
    path, line, column = hit[0].split(":")[:3]
    assert path.endswith("site.yaml") and int(line) > 0 and int(column) > 0
    for site_name in ("vti", "map", "pat"):
        assert "Psk-demo" not in "\n".join(rendered), site_name
