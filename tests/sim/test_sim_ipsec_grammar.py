"""IPsec grammar and NVGEN of the simulator (docs/sim-ipsec.md): where 12.4 prints each
crypto line, its defaults, one key per peer, and the images that refuse crypto or VTI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sim_helpers import block, body, typed

from iosgen.sim.config import Config
from iosgen.sim.configmode import ConfigMode
from iosgen.sim.facts import MODE_PROMPTS

# The route-based branch of the IPsec contract, typed out of order
CONTRACT = [
    "interface Tunnel10",
    "tunnel protection ipsec profile IOSGEN-SOFIA",
    "tunnel mode ipsec ipv4",
    "tunnel destination 203.0.113.10",
    "tunnel source FastEthernet0/0",
    "ip tcp adjust-mss 1360",
    "ip address 10.255.10.2 255.255.255.252",
    "description IPsec to sofia",
    "crypto ipsec profile IOSGEN-SOFIA",
    "set pfs group5",
    "set transform-set IOSGEN-AES256-SHA",
    "crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac",
    "crypto isakmp keepalive 10 3",
    "crypto isakmp key S3cretKey address 203.0.113.10",
    "crypto isakmp policy 10",
    "group 5",
    "authentication pre-share",
    "encr aes 256",
]


def test_the_contract_prints_in_12_4_order() -> None:
    cfg, outputs = typed(CONTRACT)
    assert all(o == "" for o in outputs), outputs
    text = body(cfg)
    lines = text.splitlines()
    start = lines.index("crypto isakmp policy 10")
    assert lines[start : start + 8] == [
        "crypto isakmp policy 10",
        " encr aes 256",
        " authentication pre-share",
        " group 5",
        "crypto isakmp key S3cretKey address 203.0.113.10",
        "crypto isakmp keepalive 10 3",
        "crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac",
        "!",
    ]
    assert block(text, "crypto ipsec profile IOSGEN-SOFIA") == [
        "crypto ipsec profile IOSGEN-SOFIA",
        " set transform-set IOSGEN-AES256-SHA",
        " set pfs group5",
    ]
    assert block(text, "interface Tunnel10") == [
        "interface Tunnel10",
        " description IPsec to sofia",
        " ip address 10.255.10.2 255.255.255.252",
        " ip tcp adjust-mss 1360",
        " tunnel source FastEthernet0/0",
        " tunnel destination 203.0.113.10",
        " tunnel mode ipsec ipv4",
        " tunnel protection ipsec profile IOSGEN-SOFIA",
    ]
    # the crypto blocks print before the interfaces, the profile after the transform set
    assert lines.index("crypto ipsec profile IOSGEN-SOFIA") > lines.index(
        "crypto ipsec transform-set IOSGEN-AES256-SHA esp-aes 256 esp-sha-hmac"
    )
    assert lines.index("crypto ipsec profile IOSGEN-SOFIA") < lines.index("interface Tunnel10")


DEFAULTS = [
    ("isakmp-defaults", ["crypto isakmp policy 1", "encr des", "group 1", "lifetime 86400"], []),
    ("isakmp-hash-sha", ["crypto isakmp policy 1", "hash md5", "hash sha"], []),
    (
        "transform-mode-tunnel",
        ["crypto ipsec transform-set T esp-3des esp-sha-hmac", "mode tunnel"],
        [],
    ),
    (
        "transform-mode-transport",
        ["crypto ipsec transform-set T esp-3des esp-sha-hmac", "mode transport"],
        [" mode transport"],
    ),
]


@pytest.mark.parametrize(
    ("typed_lines", "children"), [d[1:] for d in DEFAULTS], ids=[d[0] for d in DEFAULTS]
)
def test_a_default_prints_nothing(typed_lines: list[str], children: list[str]) -> None:
    cfg, _ = typed(typed_lines)
    assert block(body(cfg), typed_lines[0]) == [typed_lines[0], *children]


def test_gre_mode_is_the_tunnel_default_and_prints_nothing() -> None:
    cfg, _ = typed(["interface Tunnel1", "tunnel mode ipsec ipv4", "tunnel mode gre ip"])
    assert block(body(cfg), "interface Tunnel1") == ["interface Tunnel1", " no ip address"]


def test_one_key_per_peer_the_new_one_replaces_the_old() -> None:
    cfg, _ = typed(
        [
            "crypto isakmp key OLD address 203.0.113.10",
            "crypto isakmp key WILD address 0.0.0.0 0.0.0.0",
            "crypto isakmp key NEW address 203.0.113.10",
        ]
    )
    keys = [ln for ln in body(cfg).splitlines() if ln.startswith("crypto isakmp key")]
    assert keys == [
        "crypto isakmp key WILD address 0.0.0.0 0.0.0.0",
        "crypto isakmp key NEW address 203.0.113.10",
    ]


def test_a_key_typed_with_type_0_is_the_clear_key() -> None:
    cfg, outputs = typed(["crypto isakmp key 0 K address 203.0.113.10"])
    assert outputs == [""]
    keys = [ln for ln in body(cfg).splitlines() if ln.startswith("crypto isakmp key")]
    assert keys == ["crypto isakmp key K address 203.0.113.10"]


def test_crypto_map_entries_print_by_name_then_number() -> None:
    cfg, _ = typed(
        [
            "crypto map VPN 20 ipsec-isakmp dynamic DYN",
            "crypto map VPN 10",
            "set peer 203.0.113.10",
            "crypto dynamic-map DYN 10",
            "set transform-set TS",
        ]
    )
    heads = [ln for ln in body(cfg).splitlines() if ln.startswith("crypto ")]
    assert heads == [
        "crypto dynamic-map DYN 10",
        "crypto map VPN 10 ipsec-isakmp",
        "crypto map VPN 20 ipsec-isakmp dynamic DYN",
    ]


MORE = [
    "crypto isakmp nat keepalive 20",
    "crypto isakmp invalid-spi-recovery",
    "crypto isakmp aggressive-mode disable",
    "crypto isakmp identity address",
    "crypto ipsec security-association lifetime seconds 28800",
    "crypto ipsec df-bit clear",
    "crypto ipsec nat-transparency udp-encapsulation",
    "crypto map VPN local-address FastEthernet0/0",
]


@pytest.mark.parametrize("line", MORE, ids=[" ".join(m.split()[1:4]) for m in MORE])
def test_more_crypto_lines_12_4_takes_print_back(line: str) -> None:
    cfg, outputs = typed([line])
    assert outputs == [""]
    assert line in body(cfg).splitlines()


def test_ipsec_profile_opens_its_own_sub_mode() -> None:
    session = ConfigMode(Config())
    assert session.feed("crypto ipsec profile P", "R1(config)#").output == ""
    assert MODE_PROMPTS[session.mode] == "(ipsec-profile)#"
    assert session.feed("set pfs group2", "R1(ipsec-profile)#").output == ""


REFUSED = [
    # (id, image, feature set, lines, the refused line, where the caret goes)
    ("no-k9-isakmp", "12.4(25d)", "advipservices", [], "crypto isakmp policy 10", "isakmp"),
    ("no-k9-map", "12.4(25d)", "ipbase", [], "crypto map VPN 10", "map"),
    (
        "no-k9-if-map",
        "12.4(25d)",
        "ipbase",
        ["interface FastEthernet0/0"],
        "crypto map VPN",
        "crypto",
    ),
    (
        "no-k9-protection",
        "12.4(25d)",
        "ipbase",
        ["interface Tunnel1"],
        "tunnel protection ipsec profile P",
        "protection",
    ),
    (
        "no-vti-before-12.3-14T",
        "12.3(11)T",
        "advipservicesk9",
        ["interface Tunnel1"],
        "tunnel mode ipsec ipv4",
        "ipsec",
    ),
    (
        "no-vti-12.3-mainline",
        "12.3(26)",
        "advipservicesk9",
        ["interface Tunnel1"],
        "tunnel mode ipsec ipv4",
        "ipsec",
    ),
    (
        "k8-no-aes-ike",
        "12.4(25d)",
        "advipservicesk8",
        ["crypto isakmp policy 1"],
        "encr aes 256",
        "aes",
    ),
    (
        "k8-no-3des-esp",
        "12.4(25d)",
        "advipservicesk8",
        [],
        "crypto ipsec transform-set T esp-3des esp-md5-hmac",
        "esp-3des",
    ),
    (
        "no-group-14-on-12.4",
        "12.4(25d)",
        "advipservicesk9",
        ["crypto isakmp policy 1"],
        "group 14",
        "14",
    ),
    (
        "no-pfs-14-on-12.4",
        "12.4(25d)",
        "advipservicesk9",
        ["crypto ipsec profile P"],
        "set pfs group14",
        "group14",
    ),
    (
        "tunnel-on-a-port",
        "12.4(25d)",
        "advipservicesk9",
        ["interface FastEthernet0/0"],
        "tunnel destination 203.0.113.10",
        "tunnel",
    ),
]


@pytest.mark.parametrize(
    ("image", "fs", "before", "line", "word"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_an_image_without_the_feature_refuses_the_line(
    image: str, fs: str, before: list[str], line: str, word: str
) -> None:
    cfg, outputs = typed([*before, line], Config(image=image, feature_set=fs))
    sub = {"interface": "(config-if)#", "crypto isakmp": "(config-isakmp)#"}
    sub["crypto ipsec profile"] = "(ipsec-profile)#"
    prompt = "R1" + next(
        (p for k, p in sub.items() if before and before[0].startswith(k)), "(config)#"
    )
    caret = " " * (len(prompt) + line.index(word)) + "^"
    assert outputs[-1] == caret + "\n% Invalid input detected at '^' marker.\n\n"
    assert line not in body(cfg) and f" {line}" not in body(cfg)


ACCEPTED = [
    ("vti-12.3-14T", "12.3(14)T"),
    ("vti-12.4-mainline", "12.4(25d)"),
    ("vti-15", "15.1(4)M"),
]


@pytest.mark.parametrize("image", [a[1] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_vti_from_12_3_14_t_on(image: str) -> None:
    lines = ["interface Tunnel1", "tunnel mode ipsec ipv4"]
    cfg, outputs = typed(lines, Config(image=image))
    assert outputs == ["", ""]
    assert " tunnel mode ipsec ipv4" in body(cfg).splitlines()


NEGATIONS = [
    (
        "isakmp-key",
        "crypto isakmp key K address 203.0.113.10",
        [],
        "no crypto isakmp key K address 203.0.113.10",
    ),
    ("keepalive", "crypto isakmp keepalive 10 3", [], "no crypto isakmp keepalive"),
    ("profile", "crypto ipsec profile P", ["set pfs group5"], "no crypto ipsec profile P"),
    ("dynamic-map", "crypto dynamic-map D 10", ["set pfs group5"], "no crypto dynamic-map D 10"),
    ("map-dynamic-entry", "crypto map M 20 ipsec-isakmp dynamic D", [], "no crypto map M 20"),
    ("map-entry", "crypto map M 10 ipsec-isakmp", ["set peer 203.0.113.10"], "no crypto map M 10"),
]


@pytest.mark.parametrize(
    ("head", "children", "negation"), [n[1:] for n in NEGATIONS], ids=[n[0] for n in NEGATIONS]
)
def test_no_takes_a_crypto_line_back(head: str, children: list[str], negation: str) -> None:
    cfg, outputs = typed([head, *children, "exit", negation])
    assert outputs[-1] == ""
    assert not any(ln.startswith("crypto") for ln in body(cfg).splitlines())


def test_no_on_a_tunnel_takes_its_lines_back() -> None:
    lines = ["interface Tunnel1", "tunnel mode ipsec ipv4", "tunnel protection ipsec profile P"]
    cfg, _ = typed([*lines, "no tunnel protection ipsec profile", "no tunnel mode"])
    assert block(body(cfg), "interface Tunnel1") == ["interface Tunnel1", " no ip address"]


ALLOWED = [
    ("k8-des", "12.4(25d)", "advipservicesk8", ["crypto isakmp policy 1", "encr des"]),
    (
        "k8-esp-des",
        "12.4(25d)",
        "advipservicesk8",
        ["crypto ipsec transform-set T esp-des esp-md5-hmac"],
    ),
    (
        "group-14-on-12.4-22T",
        "12.4(22)T",
        "advipservicesk9",
        ["crypto isakmp policy 14", "group 14"],
    ),
    ("policy-numbered-14", "12.4(25d)", "advipservicesk9", ["crypto isakmp policy 14", "group 5"]),
]


@pytest.mark.parametrize(
    ("image", "fs", "lines"), [a[1:] for a in ALLOWED], ids=[a[0] for a in ALLOWED]
)
def test_what_the_image_has_is_taken(image: str, fs: str, lines: list[str]) -> None:
    _, outputs = typed(lines, Config(image=image, feature_set=fs))
    assert outputs == [""] * len(lines)


def test_aes_128_is_the_default_length_and_prints_none() -> None:
    cfg, _ = typed(
        [
            "crypto isakmp policy 1",
            "encr aes 128",
            "crypto ipsec transform-set T esp-aes 128 esp-sha-hmac",
        ]
    )
    text = body(cfg)
    assert block(text, "crypto isakmp policy 1") == ["crypto isakmp policy 1", " encr aes"]
    assert "crypto ipsec transform-set T esp-aes esp-sha-hmac" in text.splitlines()
