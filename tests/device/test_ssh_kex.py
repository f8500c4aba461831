"""The cheaper client key exchange (iosgen.device.kex): OpenSSH's exponent length, the
arithmetic in OpenSSL, the same keys as paramiko's, against the real simulator."""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

import paramiko
import pytest
from paramiko.kex_group1 import KexGroup1
from paramiko.kex_group14 import KexGroup14
from paramiko.kex_group16 import KexGroup16SHA512

from iosgen.device import kex
from iosgen.device.session import Device, DeviceOptions
from iosgen.errors import DeviceError
from iosgen.model.sshoptions import SshOptions
from iosgen.model.targets import Target


class Negotiated:
    """What `exponent_bits` reads of a transport: the algorithms agreed on."""

    def __init__(self, cipher: str, mac: str) -> None:
        self.local_cipher = self.remote_cipher = cipher
        self.local_mac = self.remote_mac = mac
        self._cipher_info = paramiko.Transport._cipher_info
        self._mac_info = paramiko.Transport._mac_info


@pytest.mark.parametrize(
    ("cipher", "mac", "modulus", "bits"),
    [
        ("aes128-cbc", "hmac-sha1", 2048, 512),  # what the simulator and 12.4 agree on
        ("aes256-cbc", "hmac-sha1", 2048, 512),  # need 256 bits
        ("3des-cbc", "hmac-md5", 1024, 512),  # need below the 256-bit floor
        ("aes256-ctr", "hmac-sha2-512", 4096, 1024),  # a 64-byte MAC key: need 512 bits
        ("aes256-ctr", "hmac-sha2-512", 1024, 1023),  # never as long as the modulus
    ],
    ids=["sim", "aes256", "floor", "sha2-512", "capped"],
)
def test_exponent_length_is_openssh_s(cipher: str, mac: str, modulus: int, bits: int) -> None:
    assert kex.exponent_bits(Negotiated(cipher, mac), modulus) == bits
    x = kex.short_exponent(bits)
    assert x.bit_length() == bits


@pytest.mark.parametrize("group", [KexGroup14, KexGroup16SHA512], ids=["group14", "group16"])
def test_openssl_gives_the_same_numbers_as_pow(group: Any) -> None:
    fast = kex._openssl_for(group.P, group.G)
    assert fast is not None
    for _ in range(3):
        x = kex.short_exponent(512)
        f = pow(group.G, secrets.randbits(1024), group.P)
        assert fast.public(x) == pow(group.G, x, group.P)
        assert fast.shared(x, f) == pow(f, x, group.P)


def test_group1_stays_in_python() -> None:
    # OpenSSL does not know the 1024-bit Oakley group: a load would test its primality
    assert kex._openssl_for(KexGroup1.P, KexGroup1.G) is None


@pytest.mark.parametrize("f", ["one", "p-1"])
def test_a_bad_server_value_is_refused(f: str) -> None:
    fast = kex._openssl_for(KexGroup14.P, KexGroup14.G)
    assert fast is not None
    value = 1 if f == "one" else KexGroup14.P - 1
    with pytest.raises(paramiko.SSHException, match="not a valid public key"):
        fast.shared(kex.short_exponent(512), value)


@pytest.fixture
def exponents(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bit lengths of the exponents the real handshakes drew."""
    drawn: list[int] = []
    real = kex.short_exponent

    def recording(bits: int) -> int:
        drawn.append(bits)
        return real(bits)

    monkeypatch.setattr(kex, "short_exponent", recording)
    return drawn


@pytest.mark.parametrize("arithmetic", ["openssl", "python-fallback"])
def test_session_to_the_simulator_uses_the_cheaper_exchange(
    target: Target,
    known: Path,
    exponents: list[int],
    monkeypatch: pytest.MonkeyPatch,
    arithmetic: str,
) -> None:
    if arithmetic == "python-fallback":  # cryptography without finite-field DH
        monkeypatch.setattr(kex, "_DH", None)
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        assert "R-DEV" in dev.command("show running-config | include hostname")
        transport = dev.conn.remote_conn.get_transport()
        assert transport._kex_info["diffie-hellman-group14-sha1"] is kex.Group14
        assert (transport.local_cipher, transport.local_mac) == ("aes128-cbc", "hmac-sha1")
    assert exponents == [512]
    # per transport: paramiko's own table is untouched for other code in the process
    assert paramiko.Transport._kex_info["diffie-hellman-group14-sha1"] is KexGroup14


def test_legacy_algorithms_off_cannot_reach_a_12_4_router(target: Target, known: Path) -> None:
    modern = replace(target, ssh=SshOptions(legacy_algorithms=False))
    with pytest.raises(DeviceError) as caught:
        Device(modern, DeviceOptions(known_hosts=known, connect_retries=0)).connect()
    assert caught.value.message == (
        f"R-DEV: unreachable at 127.0.0.1:{target.port}: SSH negotiation failed: "
        "Incompatible ssh peer (no acceptable kex algorithm)"
    )
    assert caught.value.hint is not None and "legacy_algorithms: true" in caught.value.hint
