"""md5-crypt (`secret 5`) written over hashlib: the same hashes as OpenSSL's `passwd -1`
and passlib (two independent implementations), and no `crypt` import on the way."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from passlib.hash import md5_crypt as passlib_md5

from iosgen.ios.passwords import derived_salt_md5, md5_crypt, md5_crypt_verify

# (password, salt): lengths around the 16-byte digest, every length bit pattern up to
# 17, an empty password and salt, an 8-character salt, non-ASCII (UTF-8) and spaces
CASES = [
    ("cisco", "abcd"),
    ("", "xyz"),
    ("pw", ""),
    ("a" * 15, "Ab/."),
    ("x" * 16, "q"),
    ("y" * 17, "12345678"),
    ("a" * 40, "saltsalt"),
    ("päss wörd", "./9Z"),
    ("with spaces and $ signs", "zz"),
]
IDS = [f"len{len(p)}-salt{len(s)}" for p, s in CASES]

# Known vectors, taken once from `openssl passwd -1 -salt SALT PASSWORD` (OpenSSL 3):
# they hold even where no openssl binary is installed.
KNOWN = {
    ("cisco", "abcd"): "$1$abcd$2hDGYdE0UrwK2pqoiF6BB1",
    ("", "xyz"): "$1$xyz$kjXWClpYD0.j9bPLUk/Ii.",
    ("y" * 17, "12345678"): "$1$12345678$qBOJ1KPKkkraFk1hZNRKt/",
}


@pytest.mark.parametrize(("plain", "salt"), list(KNOWN), ids=list(map(str, range(len(KNOWN)))))
def test_known_vectors(plain: str, salt: str) -> None:
    assert md5_crypt(plain, salt) == KNOWN[(plain, salt)]


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl binary on PATH")
@pytest.mark.parametrize(("plain", "salt"), CASES, ids=IDS)
def test_same_as_openssl_passwd(plain: str, salt: str) -> None:
    expected = subprocess.run(
        ["openssl", "passwd", "-1", "-salt", salt, plain],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert expected.startswith(f"$1${salt}$")
    assert md5_crypt(plain, salt) == expected


@pytest.mark.parametrize(("plain", "salt"), CASES, ids=IDS)
def test_same_as_passlib(plain: str, salt: str) -> None:
    assert md5_crypt(plain, salt) == passlib_md5.using(salt=salt).hash(plain)


def test_verify_takes_its_own_hash_and_refuses_another_password() -> None:
    hashed = md5_crypt("s3cret", derived_salt_md5("R-ITD", "enable"))
    assert md5_crypt_verify("s3cret", hashed)
    assert not md5_crypt_verify("s3cret!", hashed)
    assert not md5_crypt_verify("s3cret", hashed[:-1] + ("A" if hashed[-1] != "A" else "B"))


@pytest.mark.parametrize("salt", ["ab$c", "123456789", "ab c"], ids=["dollar", "nine", "space"])
def test_a_salt_crypt_would_cut_is_refused(salt: str) -> None:
    with pytest.raises(ValueError, match="md5-crypt salt"):
        md5_crypt("x", salt)


def test_hashing_imports_no_crypt() -> None:
    code = (
        "import sys\nfrom iosgen.ios.passwords import md5_crypt\n"
        "md5_crypt('cisco', 'abcd')\nprint('crypt' in sys.modules, '_crypt' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["False", "False"]
