"""SSH as a 2801 on 12.4 offers it, and what clients make of it.

IOS 12.4 offers diffie-hellman-group1/14-sha1, an `ssh-rsa` (SHA-1) host key,
aes-cbc and hmac-sha1. Paramiko 4 (pinned through netmiko[par4]) still speaks
that; paramiko 5 dropped the SHA-1 key exchanges and `ssh-rsa`, so it stops at
"Incompatible ssh peer (no acceptable kex algorithm)" (checked with paramiko
5.1.0, see docs/simulator.md). `PARAMIKO5_LIKE` removes the same algorithms from
paramiko 4 to show it here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import paramiko
import pytest
import yaml

from iosgen.sim import RouterSpec, SimFleet

PARAMIKO5_LIKE: dict[str, list[str]] = {
    "kex": [
        "diffie-hellman-group1-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group-exchange-sha1",
    ],
    "pubkeys": ["ssh-rsa"],
    "keys": ["ssh-rsa"],
}


def handshake(host: str, port: int, disabled: dict[str, list[str]] | None = None) -> Any:
    transport = paramiko.Transport((host, port), disabled_algorithms=disabled or {})
    transport.start_client(timeout=10)
    return transport


@pytest.fixture(scope="module")
def legacy(state_dir: Path) -> Any:
    with SimFleet([RouterSpec("L1", "netops", "pw")], state_dir=state_dir / "ssh") as fleet:
        yield fleet


def test_paramiko_4_is_what_netmiko_uses() -> None:
    assert paramiko.__version__.startswith("4.")


def test_legacy_algorithms_are_negotiated(legacy: SimFleet) -> None:
    t = legacy.targets["L1"]
    transport = handshake(t.host, t.port)
    try:
        assert transport.host_key_type == "ssh-rsa"
        assert transport.remote_cipher in ("aes128-cbc", "aes192-cbc", "aes256-cbc")
        assert transport.remote_mac == "hmac-sha1"
        assert t.host_key.startswith("ssh-rsa AAAA")
        transport.auth_password("netops", "pw")
        assert transport.is_authenticated()
    finally:
        transport.close()


@pytest.mark.parametrize("kex", ["diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1"])
def test_both_sha1_key_exchanges_are_offered(legacy: SimFleet, kex: str) -> None:
    t = legacy.targets["L1"]
    others = [k for k in paramiko.Transport._preferred_kex if k != kex]
    transport = handshake(t.host, t.port, {"kex": others})
    transport.close()


@pytest.mark.parametrize(
    "disabled",
    [
        PARAMIKO5_LIKE,
        {"ciphers": ["aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc"]},
        {"macs": ["hmac-sha1", "hmac-sha1-96"]},
    ],
    ids=["paramiko-5-like", "no-cbc", "no-hmac-sha1"],
)
def test_a_modern_only_client_cannot_connect(
    legacy: SimFleet, disabled: dict[str, list[str]]
) -> None:
    t = legacy.targets["L1"]
    with pytest.raises(paramiko.SSHException, match=r"Incompatible ssh (peer|server)"):
        handshake(t.host, t.port, disabled)


def test_modern_ssh_lets_it_connect(state_dir: Path) -> None:
    with SimFleet(
        [RouterSpec("M1", "netops", "pw")], state_dir=state_dir / "ssh-modern", modern_ssh=True
    ) as fleet:
        t = fleet.targets["M1"]
        transport = handshake(t.host, t.port, PARAMIKO5_LIKE)
        try:
            transport.auth_password("netops", "pw")
            assert transport.is_authenticated()
        finally:
            transport.close()


def test_targets_file(legacy: SimFleet) -> None:
    data = yaml.safe_load(legacy.targets_file.read_text())
    t = legacy.targets["L1"]
    assert data == {
        "L1": {
            "host": "127.0.0.1",
            "port": t.port,
            "username": "netops",
            "password": "pw",
            "secret": None,
            "host_key": t.host_key,
        }
    }
