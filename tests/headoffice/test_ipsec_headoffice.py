"""The IPsec head office compiled from its branches (docs/head-office.md, docs/ipsec.md):
R-HQ of tests/build/ipsec/ with 0, 1 and 3 IPsec branches, the same office typed by hand,
and every problem of the derivation at its YAML node through the loader."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from iosgen.build import build_site
from iosgen.build.headoffice import compiled
from iosgen.build.ios import render
from iosgen.errors import InputError
from iosgen.model.inventory import load_inventory, load_resolver, load_site
from iosgen.model.site import Site

ROOT = Path(__file__).parents[1] / "build" / "ipsec"
GOLDEN = ROOT / "golden" / "R-HQ.cfg"


def _fleet(root: Path = ROOT) -> dict[str, Site]:
    return {s.hostname: s for s in load_inventory(root).sites}


def _ipsec_only(hq: Site) -> Site:
    """R-HQ without its PPTP side: an IPsec head office only."""
    return hq.model_copy(update={"pptp_server": None})


def _text(hq: Site, branches: list[Site]) -> str:
    built = build_site(hq, fleet=[hq, *branches]).single
    assert built is not None
    return built.content


def test_the_loaded_head_office_matches_its_golden_file() -> None:
    assert render(_fleet()["R-HQ"]).text == GOLDEN.read_text(encoding="utf-8")


# (id, branches, the tunnel interfaces, the keys' peers, a dynamic crypto map)
COUNTS = [
    ("none", [], [], [], False),
    ("one", ["R-VTI"], ["interface Tunnel100"], ["198.51.100.21"], False),
    (
        "three",
        ["R-VTI", "R-MAP", "R-PAT"],
        ["interface Tunnel100", "interface Tunnel101"],
        ["198.51.100.41", "198.51.100.21", "0.0.0.0 0.0.0.0"],
        True,
    ),
]


@pytest.mark.parametrize(
    ("branches", "interfaces", "peers", "dynamic"),
    [c[1:] for c in COUNTS],
    ids=[c[0] for c in COUNTS],
)
def test_head_office_with_0_1_3_ipsec_branches(
    branches: list[str], interfaces: list[str], peers: list[str], dynamic: bool
) -> None:
    sites = _fleet()
    text = _text(_ipsec_only(sites["R-HQ"]), [sites[b] for b in branches])
    lines = text.splitlines()
    assert [ln for ln in lines if ln.startswith("interface Tunnel")] == interfaces
    keys = [ln.split(" address ", 1)[1] for ln in lines if ln.startswith("crypto isakmp key ")]
    assert keys == peers
    assert ("crypto map IOSGEN-VPN 65535 ipsec-isakmp dynamic IOSGEN-DYN" in lines) == dynamic
    assert (" crypto map IOSGEN-VPN" in lines) == dynamic
    if not branches:
        assert not any(ln.startswith("crypto ") for ln in lines)
        # no IPsec branch yet: the build is the office's without an ipsec_server at all
        plain = _ipsec_only(sites["R-HQ"]).model_copy(update={"ipsec_server": None})
        assert text == _text(plain, [])


def test_each_static_branch_gets_its_tunnel_key_and_routes() -> None:
    sites = _fleet()
    text = _text(_ipsec_only(sites["R-HQ"]), [sites["R-VTI"], sites["R-PAT"]])
    lines = text.splitlines()
    at = lines.index("interface Tunnel101")
    assert lines[at : at + 9] == [
        "interface Tunnel101",
        " description IPsec to r-vti",
        " ip address 10.255.10.1 255.255.255.252",  # the other end of R-VTI's /30
        " ip mtu 1400",
        " ip tcp adjust-mss 1360",
        " tunnel source FastEthernet0/0",
        " tunnel destination 198.51.100.21",
        " tunnel mode ipsec ipv4",
        " tunnel protection ipsec profile IOSGEN-R-VTI",
    ]
    assert "ip route 192.168.21.0 255.255.255.0 Tunnel101" in lines
    # R-PAT's tunnel floats (mid-migration) and asks for DH group 14: so does its peer
    assert "ip route 192.168.23.0 255.255.255.0 Tunnel100 250" in lines
    assert " set pfs group14" in lines
    assert "crypto isakmp key Vti-Psk-demo-0001 address 198.51.100.21" in lines


def test_dhcp_branches_through_the_dynamic_map_and_the_wildcard_key() -> None:
    text = render(_fleet()["R-HQ"]).text
    lines = text.splitlines()
    at = lines.index("crypto dynamic-map IOSGEN-DYN 10")
    assert lines[at : at + 5] == [
        "crypto dynamic-map IOSGEN-DYN 10",
        " set security-association lifetime seconds 1800",
        " set transform-set IOSGEN-AES128-SHA",
        " set pfs group5",
        " reverse-route",
    ]
    assert "crypto isakmp key Map-Psk-demo-0002 address 0.0.0.0 0.0.0.0" in lines
    # R-MAP's IKE proposal is one of the head office's policies
    assert " lifetime 28800" in lines
    # the Internet PAT leaves the head office's traffic to R-MAP's LAN alone
    assert " deny   ip 10.10.0.0 0.0.255.255 192.168.22.0 0.0.0.255" in lines


def test_the_key_of_each_branch_is_masked_at_the_head_office() -> None:
    rendered = render(_fleet()["R-HQ"])
    masked = rendered.masked()
    for key in ("Vti-Psk-demo-0001", "Map-Psk-demo-0002", "Pat-Psk-demo-0003"):
        assert key in rendered.text and key not in masked


def test_compiling_again_changes_nothing() -> None:
    sites = _fleet()
    once = compiled(sites["R-HQ"])
    assert render(compiled(once)).text == render(once).text == GOLDEN.read_text()


HAND_TYPED = """\
tunnels:
  r-pat:
    kind: ipsec
    peer: 198.51.100.41
    pre_shared_key: secret:pat_psk
    mode: tunnel-interface
    tunnel_interface: 100
    ike: {group: 14}
    remote_networks: [192.168.23.0/24]
    distance: 250
  r-vti:
    kind: ipsec
    peer: 198.51.100.21
    pre_shared_key: secret:vti_psk
    mode: tunnel-interface
    tunnel_interface: 101
    address: 10.255.10.1/30
    mtu: 1400
    tcp_mss: 1360
    remote_networks: [192.168.21.0/24]
"""


def test_the_same_head_office_typed_by_hand_builds_the_same(tmp_path: Path) -> None:
    sites = _fleet()
    derived = _text(_ipsec_only(sites["R-HQ"]), [sites["R-VTI"], sites["R-PAT"]])
    inv = tmp_path / "inv"
    shutil.copytree(ROOT, inv)
    hq = inv / "sites" / "hq.yaml"
    data = yaml.safe_load(hq.read_text())
    del data["pptp_server"], data["ipsec_server"]
    data.update(yaml.safe_load(HAND_TYPED))
    hq.write_text(yaml.safe_dump(data, sort_keys=False))
    hand = load_site(hq, load_resolver(None, inventory=inv))
    assert render(hand).text == derived


def _broken(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    inv = tmp_path / "inv"
    shutil.copytree(ROOT, inv)
    path = inv / "sites" / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))
    with pytest.raises(InputError) as caught:
        load_inventory(inv)
    return [p.render() for p in caught.value.problems]


# (id, file, old text, new text, the file and key path of the problem, words)
PROBLEMS = [
    (
        "dhcp-branch-route-based",
        "map.yaml",
        "mode: crypto-map",
        "mode: tunnel-interface",
        "map.yaml:14:11: tunnels.hq.mode",
        "dynamic crypto map",
    ),
    (
        "dhcp-branch-other-key",
        "map.yaml",
        "secret:map_psk",
        "secret:vti_psk",
        "map.yaml:16:21: tunnels.hq.pre_shared_key",
        "wildcard key",
    ),
    (
        "no-dynamic-key",
        "hq.yaml",
        "  dynamic_key: secret:map_psk\n",
        "",
        "hq.yaml:20:18: ipsec_server.from_branches",
        "needs ipsec_server.dynamic_key",
    ),
    (
        "crypto-map-acl-not-mirrored",
        "map.yaml",
        "remote_networks: [10.10.0.0/16]",
        "remote_networks: [10.10.0.0/16, 10.11.0.0/16]",
        "map.yaml:19:22: tunnels.hq.remote_networks",
        "R-HQ's LANs (10.10.0.0/16)",
    ),
    (
        "head-office-image-lacks-group-14",
        "hq.yaml",
        "hardware: {image: 12.4(24)T4}",
        "hardware: {image: 12.4(25d)}",
        "pat.yaml:24:18: tunnels.hq-ipsec.ike.group",
        "DH group 14: R-HQ's image 12.4(25d) offers 1, 2, 5",
    ),
    (
        "first-tunnel-interface-taken",
        "hq.yaml",
        "  dynamic_key: secret:map_psk\n",
        "  dynamic_key: secret:map_psk\n  first_tunnel_interface: 7\n"
        "extra_config:\n  sections:\n    interface Tunnel8: [no ip address]\n",
        "hq.yaml:22:27: ipsec_server.first_tunnel_interface",
        "Tunnel8 (for R-VTI (tunnels.hq)) is already an interface of R-HQ",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "words"),
    [p[1:] for p in PROBLEMS],
    ids=[p[0] for p in PROBLEMS],
)
def test_a_problem_of_the_derivation_is_at_its_node(
    tmp_path: Path, file: str, old: str, new: str, where: str, words: str
) -> None:
    problems = _broken(tmp_path, file, old, new)
    hit = [p for p in problems if where in p and words in p]
    assert hit, problems
    assert not any("Psk-demo" in p for p in problems)
