"""A cheaper client key exchange for paramiko's finite-field Diffie-Hellman.

IOS 12.4 offers only `diffie-hellman-group14-sha1` and `group1-sha1`
(docs/ssh.md), and paramiko computes them in pure Python: a 1023-bit private
exponent, two 2048-bit modular exponentiations, about 20 ms of CPU a session
(bench/kex_bench.py), which a 1,000-router audit pays a thousand times.

Two changes, neither weaker than what OpenSSH's own client does:

- the private exponent has OpenSSH's length (`dh_gen_key` in dh.c): twice the
  bits the session needs, `need` being the largest key, block or MAC size of
  the ciphers and MACs just negotiated, at least 256 bits (RFC 4419 section 6.2,
  RFC 3526 section 8: an exponent of twice the wanted strength resists the
  square-root attacks on it; the group itself tops out near 112 bits for 2048-bit
  groups). A group14 session with aes128-cbc and hmac-sha1 gets 512 bits;
- for the fixed RFC 3526 groups, both exponentiations run in OpenSSL (through
  `cryptography`): g^x as the DH "shared secret" with the generator as the peer,
  and f^x with the server's f, which OpenSSL also checks (range and subgroup).
  Where `cryptography` has no finite-field DH (it is deprecated there), Python's
  `pow` does it with the same short exponent.

Installed per transport (`transport_factory`), never by patching paramiko: a
process that also runs other paramiko code keeps paramiko's own classes.
"""

from __future__ import annotations

import secrets
import warnings
from collections.abc import Callable
from typing import Any

import paramiko
from paramiko.kex_gex import KexGex, KexGexSHA256
from paramiko.kex_group1 import KexGroup1
from paramiko.kex_group14 import KexGroup14, KexGroup14SHA256
from paramiko.kex_group16 import KexGroup16SHA512
from paramiko.message import Message
from paramiko.ssh_exception import SSHException

# SSH_MSG_KEXDH_INIT / SSH_MSG_KEXDH_REPLY (RFC 4253 section 8)
_KEXDH_INIT, _KEXDH_REPLY = 30, 31
# OpenSSH's floor for `need` (dh.c: `if (need < 256) need = 256`)
_MIN_NEED_BITS = 256


def exponent_bits(transport: Any, modulus_bits: int) -> int:
    """OpenSSH's private exponent length for this transport's negotiated algorithms.

    `need` (kex.c, kex_choose_conf) is the largest of the cipher key, block and IV
    sizes and the MAC key size, both directions; the exponent has 2 * need bits,
    need at least 256, and fewer bits than the modulus."""
    need = 0
    for cipher in (transport.local_cipher, transport.remote_cipher):
        info = transport._cipher_info.get(cipher, {})
        need = max(need, int(info.get("key-size", 0)), int(info.get("block-size", 0)))
    for mac in (transport.local_mac, transport.remote_mac):
        info = transport._mac_info.get(mac, {})
        need = max(need, int(info.get("size", 0)))
    bits = max(need * 8, _MIN_NEED_BITS)
    return min(2 * bits, modulus_bits - 1)


def short_exponent(bits: int) -> int:
    """A random exponent of exactly `bits` bits (top bit set), from the OS's CSPRNG."""
    return secrets.randbits(bits) | (1 << (bits - 1))


def _openssl_dh() -> Any:
    """cryptography's finite-field DH, or None where it has none."""
    try:
        from cryptography.hazmat.primitives.asymmetric import dh
        from cryptography.utils import CryptographyDeprecationWarning
    except ImportError:
        return None
    # FFDH is deprecated in cryptography in favour of elliptic curves, which IOS 12.4
    # lacks; this module's own use is the one silenced.
    warnings.filterwarnings(
        "ignore", category=CryptographyDeprecationWarning, module=r"iosgen\.device\.kex"
    )
    return dh if hasattr(dh, "DHPrivateNumbers") else None


_DH = _openssl_dh()


class _PowOpenSsl:
    """g^x and f^x mod p in OpenSSL for one fixed group (p, g)."""

    def __init__(self, p: int, g: int) -> None:
        self.numbers = _DH.DHParameterNumbers(p, g)
        self.generator = _DH.DHPublicNumbers(g, self.numbers)

    def power(self, x: int, base_numbers: Any) -> int:
        # The key's own public half is never used by exchange(): the generator stands in.
        private = _DH.DHPrivateNumbers(x, self.generator).private_key()
        return int.from_bytes(private.exchange(base_numbers.public_key()), "big")

    def public(self, x: int) -> int:
        return self.power(x, self.generator)

    def shared(self, x: int, f: int) -> int:
        try:
            return self.power(x, _DH.DHPublicNumbers(f, self.numbers))
        except ValueError:
            raise SSHException('Server kex "f" is not a valid public key') from None


_OPENSSL: dict[int, _PowOpenSsl] = {}


def _openssl_for(p: int, g: int) -> _PowOpenSsl | None:
    """The OpenSSL helper for an RFC 3526 group (load is cheap there), else None."""
    if _DH is None or p not in _OPENSSL_GROUPS:
        return None
    if p not in _OPENSSL:
        _OPENSSL[p] = _PowOpenSsl(p, g)
    return _OPENSSL[p]


# OpenSSL knows these as named groups (modp_2048, modp_4096) and loads them without
# a primality test; group1's 1024-bit prime it does not (a load costs ~100 ms).
_OPENSSL_GROUPS = frozenset({KexGroup14.P, KexGroup16SHA512.P})


class _FixedGroup(KexGroup1):  # type: ignore[misc]
    """The client side of a fixed-group exchange (RFC 4253 section 8), cheaper."""

    def _generate_x(self) -> None:
        self.x = short_exponent(exponent_bits(self.transport, self.P.bit_length()))

    def _pow(self, base: int) -> int:
        fast = _openssl_for(self.P, self.G)
        if fast is None:
            return pow(base, self.x, self.P)
        return fast.public(self.x) if base == self.G else fast.shared(self.x, base)

    def start_kex(self) -> None:
        if self.transport.server_mode:
            super().start_kex()
            return
        self._generate_x()
        self.e = self._pow(self.G)
        m = Message()
        m.add_byte(bytes([_KEXDH_INIT]))
        m.add_mpint(self.e)
        self.transport._send_message(m)
        self.transport._expect_packet(_KEXDH_REPLY)

    def _parse_kexdh_reply(self, m: Any) -> None:
        # paramiko's own steps, with K computed by _pow
        host_key = m.get_string()
        self.f = m.get_mpint()
        if (self.f < 1) or (self.f > self.P - 1):
            raise SSHException('Server kex "f" is out of range')
        sig = m.get_binary()
        K = self._pow(self.f)  # RFC 4253's name for the shared secret
        hm = Message()
        hm.add(
            self.transport.local_version,
            self.transport.remote_version,
            self.transport.local_kex_init,
            self.transport.remote_kex_init,
        )
        hm.add_string(host_key)
        hm.add_mpint(self.e)
        hm.add_mpint(self.f)
        hm.add_mpint(K)
        self.transport._set_K_H(K, self.hash_algo(hm.asbytes()).digest())
        self.transport._verify_key(host_key, sig)
        self.transport._activate_outbound()


class Group1(_FixedGroup):
    P, G, name, hash_algo = KexGroup1.P, KexGroup1.G, KexGroup1.name, KexGroup1.hash_algo


class Group14(_FixedGroup):
    P, G, name, hash_algo = KexGroup14.P, KexGroup14.G, KexGroup14.name, KexGroup14.hash_algo


class Group14SHA256(_FixedGroup):
    P, G = KexGroup14SHA256.P, KexGroup14SHA256.G
    name, hash_algo = KexGroup14SHA256.name, KexGroup14SHA256.hash_algo


class Group16SHA512(_FixedGroup):
    P, G = KexGroup16SHA512.P, KexGroup16SHA512.G
    name, hash_algo = KexGroup16SHA512.name, KexGroup16SHA512.hash_algo


class _ShortGex:
    """Group exchange (RFC 4419): the server's group, OpenSSH's exponent length."""

    transport: Any
    p: int
    x: int

    def _generate_x(self) -> None:
        self.x = short_exponent(exponent_bits(self.transport, self.p.bit_length()))


class Gex(_ShortGex, KexGex):  # type: ignore[misc]
    pass


class GexSHA256(_ShortGex, KexGexSHA256):  # type: ignore[misc]
    pass


# The replacements, by algorithm name (paramiko's Transport._kex_info keys).
CHEAPER_KEX: dict[str, type] = {
    k.name: k for k in (Group1, Group14, Group14SHA256, Group16SHA512, Gex, GexSHA256)
}


def install(transport: Any) -> Any:
    """Give this one transport the cheaper classes (an instance attribute)."""
    transport._kex_info = {**type(transport)._kex_info, **CHEAPER_KEX}
    return transport


def transport_factory() -> Callable[..., Any]:
    """For `SSHClient.connect(transport_factory=...)` (paramiko 3.2+)."""

    def make(sock: Any, **kw: Any) -> Any:
        return install(paramiko.Transport(sock, **kw))

    return make


__all__ = ["CHEAPER_KEX", "exponent_bits", "install", "short_exponent", "transport_factory"]
