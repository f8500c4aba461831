"""The password encodings IOS 12.4 stores: type 7 (reversible) and type 5 (md5-crypt).

Type 7: two decimal digits (the salt, an offset into a fixed 53-character key) then
the uppercase hex of each byte XOR-ed with the key (ios-reference §4). IOS itself
picks salts 00-15 and re-salts on every write; decoding accepts 00-52.
"""

from __future__ import annotations

import secrets as _random
from functools import lru_cache

from passlib.hash import md5_crypt

from iosgen.sim.facts import TYPE7_KEY


def type7_encode(plain: str, salt: int | None = None) -> str:
    """`type7_encode("cisco", 7)` -> "070C285F4D06"; a random salt 0-15 when not given."""
    if salt is None:
        salt = _random.randbelow(16)
    out = [f"{salt:02d}"]
    for i, ch in enumerate(plain):
        out.append(f"{ord(ch) ^ ord(TYPE7_KEY[(salt + i) % len(TYPE7_KEY)]):02X}")
    return "".join(out)


def type7_decode(encoded: str) -> str | None:
    """The clear text of a type-7 string, or None when it is not one."""
    if len(encoded) < 2 or len(encoded) % 2 or not encoded[:2].isdigit():
        return None
    salt = int(encoded[:2])
    try:
        data = bytes.fromhex(encoded[2:])
    except ValueError:
        return None
    return "".join(chr(b ^ ord(TYPE7_KEY[(salt + i) % len(TYPE7_KEY)])) for i, b in enumerate(data))


def md5_secret(plain: str) -> str:
    """A `secret 5` hash as IOS makes it: md5-crypt with a 4-character salt."""
    return str(md5_crypt.using(salt_size=4).hash(plain))


def md5_verify(plain: str, hashed: str) -> bool:
    """Whether `plain` is the password of the md5-crypt `hashed`.

    passlib computes md5-crypt in pure Python here (~2 ms, 1,000 rounds of MD5), and a
    fleet's every login checks the same few pairs again: each pair's answer is kept (a
    wrong password's too: it stays wrong). The simulator holds its clear passwords in
    its specs anyway.
    """
    return _md5_verify(plain, hashed)


@lru_cache(maxsize=4096)
def _md5_verify(plain: str, hashed: str) -> bool:
    try:
        return bool(md5_crypt.verify(plain, hashed))
    except (ValueError, TypeError):
        return False
