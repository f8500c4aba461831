"""Cisco password encodings: type 7 (reversible) and type 5 (md5-crypt), reproducibly salted.

Type 7 is `salt` as two decimal digits, then the uppercase hex of each byte
XORed with a fixed 53-character key starting at offset `salt` (passlib
`cisco_type7`; netutils `password.py`). IOS picks salts 00-15; we derive ours
from the site and the key path, so two builds are byte-identical.
"""

from __future__ import annotations

import hashlib
import re
import warnings
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


@lru_cache(maxsize=4096)
def md5_crypt(plain: str, salt: str) -> str:
    """`$1$salt$hash`, as IOS stores `secret 5`; libc's crypt where present (5x faster)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import crypt  # removed in Python 3.13

            result = crypt.crypt(plain, f"$1${salt}$")
            if result and result.startswith("$1$"):
                return result
        except ImportError:
            pass
    from passlib.hash import md5_crypt as passlib_md5

    return str(passlib_md5.using(salt=salt).hash(plain))


def md5_crypt_verify(plain: str, hashed: str) -> bool:
    match = _MD5_CRYPT_RE.match(hashed)
    return match is not None and md5_crypt(plain, match["salt"]) == hashed
