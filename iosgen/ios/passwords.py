"""Cisco password encodings: type 7 (reversible) and type 5 (md5-crypt), reproducibly salted.

Type 7 is `salt` as two decimal digits, then the uppercase hex of each byte
XORed with a fixed 53-character key starting at offset `salt` (passlib
`cisco_type7`; netutils `password.py`). IOS picks salts 00-15; we derive ours
from the site and the key path, so two builds are byte-identical.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_TYPE7_KEY = b"dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87"
_TYPE7_RE = re.compile(r"^(?P<salt>[0-9]{2})(?P<hex>(?:[0-9A-Fa-f]{2})*)$")
_CRYPT_ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_MD5_CRYPT_RE = re.compile(r"^\$1\$(?P<salt>[./0-9A-Za-z]{0,8})\$[./0-9A-Za-z]{22}$")


def is_type7(text: str) -> bool:
    match = _TYPE7_RE.match(text)
    return bool(match) and int(text[:2]) < len(_TYPE7_KEY) and len(text) > 2


def type7_decode(encoded: str) -> str:
    """Decode a type-7 string; salts 00-52 are accepted (IOS itself writes 00-15)."""
    match = _TYPE7_RE.match(encoded)
    if not match or int(match["salt"]) >= len(_TYPE7_KEY):
        raise ValueError("not a type-7 string")
    salt = int(match["salt"])
    data = bytes.fromhex(match["hex"])
    return bytes(b ^ _TYPE7_KEY[(salt + i) % len(_TYPE7_KEY)] for i, b in enumerate(data)).decode(
        "latin-1"
    )


def type7_encode(plain: str, salt: int) -> str:
    if not 0 <= salt < len(_TYPE7_KEY):
        raise ValueError("type-7 salt must be 0-52")
    raw = plain.encode("latin-1")
    body = "".join(f"{b ^ _TYPE7_KEY[(salt + i) % len(_TYPE7_KEY)]:02X}" for i, b in enumerate(raw))
    return f"{salt:02d}{body}"


def derived_salt_type7(*context: str) -> int:
    """A salt 0-15 (IOS's own range) derived from the site and the key path."""
    return hashlib.sha256("\0".join(context).encode()).digest()[0] % 16


def derived_salt_md5(*context: str) -> str:
    """A 4-character md5-crypt salt (IOS uses four) derived from site and user."""
    digest = hashlib.sha256("\0".join(context).encode()).digest()
    return "".join(_CRYPT_ALPHABET[b % 64] for b in digest[:4])


# md5-crypt's 1000 rounds: round i hashes the password (odd i) or the last digest (even
# i), the salt unless 3 divides i, the password unless 7 divides i, then the digest (odd)
# or the password (even). What stands around the digest repeats every 42 (2 * 3 * 7).
_MD5_ROUNDS = 1000
_MD5_PERIOD = 42
# Which digest bytes make each group of four output characters (the last group, byte 11
# alone, makes two): the order of PHK's md5crypt.c.
_MD5_OUTPUT_ORDER = ((0, 6, 12), (1, 7, 13), (2, 8, 14), (3, 9, 15), (4, 10, 5))
_MD5_SALT_RE = re.compile(r"[./0-9A-Za-z]{0,8}")


def _crypt64(value: int, count: int) -> str:
    """`count` characters of crypt's base 64, least significant six bits first."""
    out = []
    for _ in range(count):
        out.append(_CRYPT_ALPHABET[value & 0x3F])
        value >>= 6
    return "".join(out)


@lru_cache(maxsize=4096)
def md5_crypt(plain: str, salt: str) -> str:
    """`$1$salt$hash`, as IOS stores `secret 5`: Poul-Henning Kamp's md5-crypt (FreeBSD
    md5crypt.c, glibc's and OpenSSL's `passwd -1`), over hashlib's MD5. Written out, not
    taken from `crypt` (deprecated, gone in 3.13, ~6 ms to import on every start)."""
    if not _MD5_SALT_RE.fullmatch(salt):
        raise ValueError("an md5-crypt salt is 0-8 characters of [./0-9A-Za-z]")
    md5 = hashlib.md5
    pw, sb = plain.encode(), salt.encode()
    alternate = md5(pw + sb + pw).digest()
    start = pw + b"$1$" + sb + (alternate * (len(pw) // 16 + 1))[: len(pw)]
    # then, for each bit of the length from the lowest: a NUL for a 1, the first byte of
    # the password for a 0 (as md5crypt.c does; the "bug" every implementation keeps)
    n = len(pw)
    while n:
        start += b"\0" if n & 1 else pw[:1]
        n >>= 1
    digest = md5(start).digest()
    # each round's fixed bytes: the digest goes after them in odd rounds, before in even
    parts = []
    for i in range(_MD5_PERIOD):
        middle = (sb if i % 3 else b"") + (pw if i % 7 else b"")
        parts.append(pw + middle if i & 1 else middle + pw)
    for i in range(_MD5_ROUNDS):
        part = parts[i % _MD5_PERIOD]
        digest = md5(part + digest if i & 1 else digest + part).digest()
    text = "".join(
        _crypt64(digest[a] << 16 | digest[b] << 8 | digest[c], 4) for a, b, c in _MD5_OUTPUT_ORDER
    )
    return f"$1${salt}${text}{_crypt64(digest[11], 2)}"


def md5_crypt_verify(plain: str, hashed: str) -> bool:
    match = _MD5_CRYPT_RE.match(hashed)
    return match is not None and md5_crypt(plain, match["salt"]) == hashed
