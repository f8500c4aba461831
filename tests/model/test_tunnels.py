"""The `tunnels:` key: one mapping of every tunnel by name, its `kind` choosing the model,
and `pptp_clients:` read as the tunnels of kind pptp (the key from before kinds)."""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import Any

import pytest

from iosgen.model.platform import Platform
from iosgen.model.secret import SecretResolver
from iosgen.model.site import IpsecTunnel, PptpClient, Site, WireguardTunnel
from tests.compiler.sitefactory import ENV, IOS_SITE, LINUX_SITE, problems_of

# A WireGuard key as `wg genkey` prints it: 32 bytes, base64.
WG_KEY = base64.b64encode(bytes(range(32))).decode()
WG_PEER = base64.b64encode(bytes(range(1, 33))).decode()
PSK = "psk-of-the-branch-2026"


def _site(data: dict[str, Any], env: dict[str, str] | None = None) -> Site:
    resolver = SecretResolver(environ={**ENV, **(env or {})})
    return Site.model_validate(data, context={"resolver": resolver})


def _ios(**tunnels: Any) -> dict[str, Any]:
    data = copy.deepcopy(IOS_SITE)
    data.pop("pptp_clients", None)
    data["tunnels"] = tunnels
    return data


def _ipsec(**changes: Any) -> dict[str, Any]:
    return {"kind": "ipsec", "peer": "203.0.113.10", "pre_shared_key": "${INJ_PSK}", **changes}


def test_pptp_clients_is_read_as_tunnels_of_kind_pptp() -> None:
    site = _site(copy.deepcopy(IOS_SITE))
    assert set(site.tunnels) == set(IOS_SITE["pptp_clients"])
    assert all(isinstance(t, PptpClient) and t.kind == "pptp" for t in site.tunnels.values())
    assert site.pptp_clients == site.tunnels


def test_one_site_holds_tunnels_of_several_kinds_in_file_order() -> None:
    pptp = {"kind": "pptp", **IOS_SITE["pptp_clients"]["sofia"]}
    site = _site(_ios(old=pptp, new=_ipsec(remote_networks=["10.10.0.0/16"])), {"INJ_PSK": PSK})
    assert list(site.tunnels) == ["old", "new"]
    assert list(site.pptp_clients) == ["old"] and list(site.ipsec_tunnels) == ["new"]
    new = site.ipsec_tunnels["new"]
    assert isinstance(new, IpsecTunnel)
    # the defaults are the strong ones: AES-256, SHA, group 5, PFS on (the IKE group)
    assert (new.ike.encryption, new.ike.hash, new.ike.group) == ("aes-256", "sha", 5)
    assert new.ipsec.pfs_group is None and new.ipsec.lifetime_seconds == 3600
    assert new.pre_shared_key.reveal() == PSK and PSK not in repr(new)


def test_model_copy_of_pptp_clients_replaces_the_pptp_tunnels_only() -> None:
    pptp = {"kind": "pptp", **IOS_SITE["pptp_clients"]["sofia"]}
    site = _site(_ios(old=pptp, new=_ipsec()), {"INJ_PSK": PSK})
    moved = site.pptp_clients["old"].model_copy(update={"mtu": 1400})
    copied = site.model_copy(update={"pptp_clients": {"old": moved}})
    assert copied.pptp_clients["old"].mtu == 1400 and "new" in copied.ipsec_tunnels
    assert site.model_copy(update={"pptp_clients": {}}).tunnels.keys() == {"new"}


def test_a_wireguard_tunnel_on_a_linux_site() -> None:
    data = copy.deepcopy(LINUX_SITE)
    data["platform"] = "linux"
    data.pop("pptp_clients", None)
    data["tunnels"] = {
        "hq": {
            "kind": "wireguard",
            "peer": "203.0.113.10",
            "private_key": "${INJ_WG}",
            "peer_public_key": WG_PEER,
            "address": "10.99.0.2/30",
            "remote_networks": ["10.10.0.0/16"],
        }
    }
    site = _site(data, {"INJ_WG": WG_KEY})
    assert site.platform is Platform.LINUX
    tunnel = site.wireguard_tunnels["hq"]
    assert isinstance(tunnel, WireguardTunnel) and tunnel.private_key.reveal() == WG_KEY


def _messages(tmp_path: Path, data: dict[str, Any], env: dict[str, str]) -> list[str]:
    return [f"{p.path}: {p.message}" for p in problems_of(tmp_path, data, env)]


@pytest.mark.parametrize(
    ("tunnel", "expected"),
    [
        ({"peer": "203.0.113.10"}, "tunnels.x: required key 'kind' is missing"),
        ({"kind": "gre", "peer": "203.0.113.10"}, "tunnels.x: kind 'gre' is not a tunnel kind"),
        (_ipsec(peer="203.0.113.999"), "tunnels.x.peer: '203.0.113.999' is not an IPv4 address"),
        (_ipsec(ike={"encryption": "des"}), "tunnels.x.ike.encryption: 'des': input should be"),
        (_ipsec(ike={"group": 1}), "tunnels.x.ike.group: 1: input should be"),
        (_ipsec(ike={"hash": "md5"}), "tunnels.x.ike.hash: 'md5': input should be 'sha'"),
        (_ipsec(dpd={"interval": 5}), "tunnels.x.dpd.interval: 5: input should be greater"),
    ],
    ids=["no-kind", "unknown-kind", "bad-peer", "des", "group-1", "md5", "dpd-too-fast"],
)
def test_a_bad_tunnel_is_named_at_its_key_without_the_union_tag(
    tmp_path: Path, tunnel: dict[str, Any], expected: str
) -> None:
    messages = _messages(tmp_path, _ios(x=tunnel), {"INJ_PSK": PSK})
    assert len(messages) == 1 and messages[0].startswith(expected), messages


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("two words", "is not one word"),
        ("k" * 129, "is longer than the 128 characters IOS takes here"),
        ("what?", "contains '?'"),
    ],
    ids=["space", "too-long", "question-mark"],
)
def test_a_pre_shared_key_ios_cannot_take_is_refused_without_showing_it(
    tmp_path: Path, key: str, why: str
) -> None:
    problems = problems_of(tmp_path, _ios(x=_ipsec()), {"INJ_PSK": key})
    assert len(problems) == 1 and problems[0].path == "tunnels.x.pre_shared_key"
    assert why in problems[0].message and key not in problems[0].message


def test_a_wireguard_key_that_is_not_one_is_refused_without_showing_it(tmp_path: Path) -> None:
    data = copy.deepcopy(LINUX_SITE)
    data.pop("pptp_clients", None)
    data["tunnels"] = {
        "hq": {
            "kind": "wireguard",
            "peer": "203.0.113.10",
            "private_key": "${INJ_WG}",
            "address": "10.99.0.2/30",
        }
    }
    problems = problems_of(tmp_path, data, {"INJ_WG": "not-a-key-at-all"})
    assert [p.path for p in problems] == ["tunnels.hq.private_key"]
    assert "not a WireGuard key" in problems[0].message and "not-a-key" not in problems[0].message


def test_a_tunnel_under_both_keys_is_one_clear_error(tmp_path: Path) -> None:
    data = copy.deepcopy(IOS_SITE)
    data["tunnels"] = {"sofia": _ipsec()}
    messages = _messages(tmp_path, data, {"INJ_PSK": PSK})
    assert messages == [
        "pptp_clients.sofia: tunnel 'sofia' is under both pptp_clients and tunnels: keep one"
    ]


def test_an_error_under_pptp_clients_is_named_and_placed_as_typed(tmp_path: Path) -> None:
    data = copy.deepcopy(IOS_SITE)
    data["pptp_clients"]["sofia"]["mtu"] = 99
    problems = problems_of(tmp_path, data)
    assert [p.path for p in problems] == ["pptp_clients.sofia.mtu"]
    text = (tmp_path / "site.yaml").read_text().splitlines()
    assert text[problems[0].line - 1].strip().startswith("mtu:")
