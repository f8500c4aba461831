"""The strongSwan view without the tools: key encodings, proposals, the units a push
needs for a path (the tools' own checks are test_strongswan_tools.py)."""

from __future__ import annotations

import base64

import pytest

from iosgen.build.linux.strongswan import DH_GROUPS, swanctl_secret
from iosgen.build.linux.units import unit_for_path

KEYS = [
    ("plain", '"plain"'),
    ("spaces # and 'quotes'", "\"spaces # and 'quotes'\""),
    ('a "quote"', None),  # a quote would end the quoted string
    ("back\\slash", None),  # the settings parser's escape
    ("0xdeadbeef", None),  # swanctl would read hex
    ("0sAAAA", None),  # swanctl would read base64
    ("0Xdead", None),
]


@pytest.mark.parametrize(("key", "quoted"), KEYS, ids=[k for k, _ in KEYS])
def test_psk_is_quoted_or_base64(key: str, quoted: str | None) -> None:
    written = swanctl_secret(key)
    if quoted is not None:
        assert written == quoted
    else:
        assert written.startswith("0s")
        assert base64.b64decode(written[2:]).decode() == key


def test_dh_groups_are_rfc3526_sizes() -> None:
    assert DH_GROUPS == {5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096"}


PATHS = [
    ("etc/wireguard/wg0.conf", "wg-quick@wg0.service"),
    ("etc/wireguard/wg12.conf", "wg-quick@wg12.service"),
    ("etc/swanctl/conf.d/iosgen.conf", "strongswan.service"),
    ("etc/wireguard/wgx.conf", None),
    ("etc/ppp/peers/sofia", None),
    ("etc/iptables/rules.v4", None),
]


@pytest.mark.parametrize(("path", "unit"), PATHS, ids=[p for p, _ in PATHS])
def test_unit_for_path(path: str, unit: str | None) -> None:
    assert unit_for_path(path) == unit
