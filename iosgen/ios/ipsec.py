"""IPsec on IOS 12.4: what an image offers, and what IOS assumes when a line is absent.

Pure data with small lookups, for the build (what to write), lint (what is weak, and
whether the image could do better) and push. Each fact is written once, here; its
source and confidence are in docs/ipsec-facts.md. The simulator keeps its own facts.

Releases are compared by *feature level*: the T-train release whose features an image
has. A T image (12.4(15)T7) is its own level; a mainline image has the features of the
T train it consolidated (12.4 mainline = 12.3(14)T), so `tunnel mode ipsec ipv4`
(12.3(14)T) is on every 12.4 mainline image while DH group 14 (12.4(22)T) is not.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from iosgen.ios.hardware import Image, parse_image

Level = tuple[int, int, int]  # (major, minor, release) of a T-train release

# Each mainline (and 15.0M) is the previous T train frozen: its features are those of the
# last T release it was cut from (Cisco IOS Software Reference Guide, "release trains").
MAINLINE_LEVEL: dict[tuple[int, int], Level] = {
    (12, 2): (12, 1, 5),
    (12, 3): (12, 2, 15),
    (12, 4): (12, 3, 14),
    (15, 0): (12, 4, 24),
}


def feature_level(image: Image) -> Level:
    """The T-train release whose features `image` has.

    >>> feature_level(Image(12, 4, 25, "", "d"))  # 12.4 mainline = 12.3(14)T's features
    (12, 3, 14)
    >>> feature_level(Image(12, 4, 24, "T"))
    (12, 4, 24)
    """
    if image.train == "":
        return MAINLINE_LEVEL.get((image.major, image.minor), (image.major, image.minor, 0))
    # T, M (15.x M releases add features too) and special trains (XJ...) branch from T.
    return (image.major, image.minor, image.release)


class Feature(NamedTuple):
    since: Level  # first T-train release with it
    what: str


# The feature levels iosgen relies on (docs/ipsec-facts.md has the source of each).
FEATURES: dict[str, Feature] = {
    "3des": Feature((11, 3, 0), "3DES for IKE (`encr 3des`) and ESP (`esp-3des`)"),
    "dh-group5": Feature((12, 1, 3), "DH group 5 (1536-bit) for IKE and PFS"),
    "dpd": Feature((12, 2, 8), "dead-peer detection, `crypto isakmp keepalive S R`"),
    "aes": Feature((12, 2, 13), "AES 128/192/256 for IKE (`encr aes`) and ESP (`esp-aes`)"),
    "nat-t": Feature((12, 2, 13), "NAT traversal (ESP in UDP 4500), on by default"),
    "dpd-periodic": Feature((12, 3, 7), "`crypto isakmp keepalive S R periodic`"),
    "seal": Feature((12, 3, 7), "SEAL software encryption for ESP (`esp-seal`)"),
    "vti": Feature((12, 3, 14), "static VTI: `tunnel mode ipsec ipv4`, `tunnel protection`"),
    "dvti": Feature((12, 4, 2), "dynamic VTI (`virtual-template` type tunnel)"),
    "dh-group14": Feature((12, 4, 22), "DH groups 14, 15, 16 (2048/3072/4096-bit)"),
    "ikev2": Feature((15, 1, 1), "IKEv2 (`crypto ikev2 ...`)"),
    "suite-b": Feature((15, 1, 2), "DH 19/20/24, `esp-gcm`, `esp-sha256-hmac` (Suite B)"),
    "isakmp-sha2": Feature((15, 3, 3), "`hash sha256|sha384|sha512` in an ISAKMP policy"),
}


def has(image: Image, feature: str) -> bool:
    """Whether `image` has `feature` (a key of FEATURES).

    >>> has(Image(12, 4, 25, "", "d"), "vti"), has(Image(12, 3, 11, "T"), "vti")
    (True, False)
    """
    return feature_level(image) >= FEATURES[feature].since


def supports_vti(image: Image) -> bool:
    """Static VTI (`tunnel mode ipsec ipv4`): 12.3(14)T, so every 12.4 image.

    >>> supports_vti(Image(12, 4, 25, "", "d")), supports_vti(Image(12, 3, 8, "T"))
    (True, False)
    """
    return has(image, "vti")


def ike_versions(image: Image) -> tuple[int, ...]:
    """IKE versions the image speaks: IOS 12.4 speaks IKEv1 only (IKEv2 is 15.1(1)T).

    >>> ike_versions(Image(12, 4, 24, "T"))
    (1,)
    """
    return (1, 2) if has(image, "ikev2") else (1,)


# --- ISAKMP (IKE phase 1) ----------------------------------------------------------------


class IsakmpPolicy(NamedTuple):
    encryption: str  # as printed after `encr`: des, 3des, aes, aes 192, aes 256
    hash: str  # sha, md5
    authentication: str  # rsa-sig, rsa-encr, pre-share
    group: int
    lifetime: int  # seconds


ISAKMP_DEFAULTS = IsakmpPolicy(
    encryption="des", hash="sha", authentication="rsa-sig", group=1, lifetime=86400
)
"""What a `crypto isakmp policy N` assumes for each parameter not configured."""

isakmp_defaults = ISAKMP_DEFAULTS  # the brief's spelling; the same object

# show running-config leaves out every line of an ISAKMP policy that equals the default:
# a policy printed with no ` encr` line negotiates DES, with no ` group` line group 1.
ISAKMP_PRINTED_WHEN_DEFAULT: dict[str, bool] = {
    "encryption": False,
    "hash": False,
    "authentication": False,
    "group": False,
    "lifetime": False,
}
ISAKMP_LIFETIME_RANGE = (60, 86400)

# IKE encryption keywords (as printed after ` encr`) and the feature that brings them.
ISAKMP_ENCRYPTIONS: dict[str, str | None] = {
    "des": None,
    "3des": "3des",
    "aes": "aes",  # 128-bit
    "aes 192": "aes",
    "aes 256": "aes",
}
ISAKMP_HASHES: dict[str, str | None] = {
    "md5": None,
    "sha": None,
    "sha256": "isakmp-sha2",
    "sha384": "isakmp-sha2",
    "sha512": "isakmp-sha2",
}
ISAKMP_AUTHENTICATIONS = ("rsa-sig", "rsa-encr", "pre-share")

# DH groups for IKE (`group N`) and PFS (`set pfs groupN`), with the feature bringing each.
DH_GROUPS: dict[int, str | None] = {
    1: None,  # 768-bit MODP
    2: None,  # 1024-bit MODP
    5: "dh-group5",  # 1536-bit MODP
    14: "dh-group14",  # 2048-bit MODP
    15: "dh-group14",  # 3072-bit MODP
    16: "dh-group14",  # 4096-bit MODP
    19: "suite-b",  # 256-bit ECP
    20: "suite-b",  # 384-bit ECP
    24: "suite-b",  # 2048-bit MODP, 256-bit subgroup
}
DH_GROUP_BITS: dict[int, str] = {
    1: "768-bit",
    2: "1024-bit",
    5: "1536-bit",
    14: "2048-bit",
    15: "3072-bit",
    16: "4096-bit",
    19: "256-bit ECP",
    20: "384-bit ECP",
    24: "2048-bit, 256-bit subgroup",
}
# Strength order for "could the image do better?" (ECP 19/20 above the MODP groups).
DH_GROUP_STRENGTH: tuple[int, ...] = (1, 2, 5, 24, 14, 15, 16, 19, 20)


def _offered(image: Image, table: dict[str, str | None]) -> tuple[str, ...]:
    return tuple(k for k, feature in table.items() if feature is None or has(image, feature))


def dh_groups(image: Image) -> tuple[int, ...]:
    """The DH groups `image` offers for IKE and PFS, in strength order.

    >>> dh_groups(Image(12, 4, 25, "", "d"))
    (1, 2, 5)
    >>> dh_groups(Image(12, 4, 24, "T"))
    (1, 2, 5, 14, 15, 16)
    """
    offered = {g for g, feature in DH_GROUPS.items() if feature is None or has(image, feature)}
    return tuple(g for g in DH_GROUP_STRENGTH if g in offered)


def best_dh_group(image: Image) -> int:
    """The strongest DH group `image` offers.

    >>> best_dh_group(Image(12, 4, 25, "", "d")), best_dh_group(Image(12, 4, 22, "T"))
    (5, 16)
    """
    return dh_groups(image)[-1]


# What to write instead, first offered wins: group 14 is the strongest MODP group that every
# IKEv1 peer of this era speaks and a branch ISR computes in time; 15/16 cost far more CPU.
DH_GROUP_PREFERENCE: tuple[int, ...] = (14, 5, 2, 1)


def recommended_dh_group(image: Image) -> int:
    """The DH group to configure on `image`.

    >>> recommended_dh_group(Image(12, 4, 25, "", "d")), recommended_dh_group(Image(12, 4, 24, "T"))
    (5, 14)
    """
    offered = set(dh_groups(image))
    return next(g for g in DH_GROUP_PREFERENCE if g in offered)


def recommended_encryption(image: Image) -> str:
    """The IKE `encr` value to configure on `image` (its ESP twin is `esp-` + the same).

    >>> recommended_encryption(Image(12, 4, 25, "", "d"))
    'aes 256'
    >>> recommended_encryption(Image(12, 2, 8, "T"))  # AES came with 12.2(13)T
    '3des'
    """
    return "aes 256" if has(image, "aes") else "3des"


def isakmp_encryptions(image: Image) -> tuple[str, ...]:
    """IKE `encr` keywords of `image`, weakest first.

    >>> isakmp_encryptions(Image(12, 4, 25, "", "d"))
    ('des', '3des', 'aes', 'aes 192', 'aes 256')
    """
    return _offered(image, ISAKMP_ENCRYPTIONS)


def isakmp_hashes(image: Image) -> tuple[str, ...]:
    """IKE `hash` keywords of `image`: no SHA-2 on any 12.4 image.

    >>> isakmp_hashes(Image(12, 4, 24, "T"))
    ('md5', 'sha')
    """
    return _offered(image, ISAKMP_HASHES)


# --- IPsec (IKE phase 2) -----------------------------------------------------------------

TransformKind = Literal["esp-encryption", "esp-auth", "ah", "compression"]


class Transform(NamedTuple):
    kind: TransformKind
    feature: str | None  # None: every crypto image has it
    key_sizes: tuple[int, ...] = ()  # `esp-aes 256`: the number follows the keyword


# `crypto ipsec transform-set NAME <transform> [<transform>...]` keywords.
TRANSFORMS: dict[str, Transform] = {
    "esp-des": Transform("esp-encryption", None),
    "esp-3des": Transform("esp-encryption", "3des"),
    "esp-aes": Transform("esp-encryption", "aes", (128, 192, 256)),  # 128 is not printed
    "esp-seal": Transform("esp-encryption", "seal"),
    "esp-null": Transform("esp-encryption", None),
    "esp-gcm": Transform("esp-encryption", "suite-b", (128, 192, 256)),
    "esp-gmac": Transform("esp-encryption", "suite-b", (128, 192, 256)),
    "esp-md5-hmac": Transform("esp-auth", None),
    "esp-sha-hmac": Transform("esp-auth", None),
    "esp-sha256-hmac": Transform("esp-auth", "suite-b"),
    "esp-sha384-hmac": Transform("esp-auth", "suite-b"),
    "esp-sha512-hmac": Transform("esp-auth", "suite-b"),
    "ah-md5-hmac": Transform("ah", None),
    "ah-sha-hmac": Transform("ah", None),
    "comp-lzs": Transform("compression", None),
}
# AES for ESP with the default key length: IOS prints `esp-aes` for 128 bits.
ESP_AES_DEFAULT_BITS = 128
# A transform set is tunnel mode unless ` mode transport` is printed under it; a VTI needs
# tunnel mode.
TRANSFORM_SET_DEFAULT_MODE = "tunnel"


def transform_keywords(image: Image) -> tuple[str, ...]:
    """Transform-set keywords `image` accepts.

    >>> "esp-aes" in transform_keywords(Image(12, 4, 25, "", "d"))
    True
    >>> "esp-sha256-hmac" in transform_keywords(Image(12, 4, 24, "T"))
    False
    """
    return tuple(k for k, t in TRANSFORMS.items() if t.feature is None or has(image, t.feature))


class SaLifetime(NamedTuple):
    seconds: int
    kilobytes: int


IPSEC_SA_LIFETIME = SaLifetime(seconds=3600, kilobytes=4608000)
"""`crypto ipsec security-association lifetime` defaults (printed only when changed)."""

# `set pfs` without a group means group 1; no `set pfs` line means no PFS is requested
# (a responder still accepts the initiator's PFS group).
PFS_DEFAULT_GROUP = 1


def pfs_keyword(group: int) -> str:
    """The `set pfs` keyword of a DH group.

    >>> pfs_keyword(5)
    'group5'
    """
    return f"group{group}"


class Proposal(NamedTuple):
    """The strongest IKEv1 + ESP proposal every router of a tunnel speaks."""

    encryption: str  # ` encr` value: aes 256, or 3des before AES
    hash: str  # ` hash` value; `sha` is the default, so IOS prints no line for it
    group: int  # ` group N` and `set pfs groupN`
    transforms: tuple[str, ...]  # `crypto ipsec transform-set NAME` words

    @property
    def pfs(self) -> str:
        return pfs_keyword(self.group)


def proposal_for(*images: Image) -> Proposal:
    """What both ends of a tunnel can agree on, each at its best (IKE proposals must match).

    The contract's proposal on 12.4 mainline; group 14 only where every end has it:

    >>> proposal_for(Image(12, 4, 25, "", "d"), Image(12, 4, 24, "T"))
    Proposal(encryption='aes 256', hash='sha', group=5, transforms=('esp-aes 256', 'esp-sha-hmac'))
    >>> proposal_for(Image(12, 4, 24, "T"), Image(12, 4, 22, "T")).pfs
    'group14'
    """
    if not images:
        raise ValueError("a proposal needs the image of at least one router")
    common = set.intersection(*(set(dh_groups(image)) for image in images))
    group = next(g for g in DH_GROUP_PREFERENCE if g in common)
    aes = all(has(image, "aes") for image in images)
    encryption = "aes 256" if aes else "3des"
    esp = "esp-aes 256" if aes else "esp-3des"
    return Proposal(encryption, ISAKMP_DEFAULTS.hash, group, (esp, "esp-sha-hmac"))


# --- images and feature sets -------------------------------------------------------------

CryptoStrength = Literal["none", "des", "strong"]


def crypto_strength(feature_set: str) -> CryptoStrength:
    """What crypto a feature set carries: `k9` images strong (3DES/AES), `k8` DES only.

    >>> crypto_strength("advipservicesk9"), crypto_strength("ipbase")
    ('strong', 'none')
    """
    name = feature_set.lower()
    if "k9" in name:
        return "strong"
    if "k8" in name:
        return "des"
    return "none"


def is_crypto_image(feature_set: str) -> bool:
    """Whether a feature set carries IPsec at all (a `k9` or `k8` image).

    >>> is_crypto_image("advsecurityk9"), is_crypto_image("advipservices")
    (True, False)
    """
    return crypto_strength(feature_set) != "none"


# Where a saved config names its image: the `version 12.4` line (major.minor only), and the
# `show version` lines that backup tools (oxidized, RANCID) keep as comments at the top.
_VERSION_IN_TEXT = re.compile(
    r"Version (?P<v>[0-9]{2}\.[0-9]\([0-9]{1,3}[a-z]?\)[A-Z]{0,3}[0-9]{0,2})", re.ASCII
)
_IMAGE_FILE = re.compile(
    r"\b[a-z0-9]+-(?P<fs>[a-z0-9]+)(?:_[a-z0-9]+)?-mz\.", re.ASCII | re.IGNORECASE
)
_FEATURE_SET_IN_BANNER = re.compile(r"\((?:C[0-9A-Z]+)-(?P<fs>[A-Z0-9]+?)(?:_[A-Z0-9]+)?-M\)")
_VERSION_LINE = re.compile(r"^version (?P<major>[0-9]{2})\.(?P<minor>[0-9])\s*$", re.ASCII)


class ConfigImage(NamedTuple):
    image: Image
    exact: bool  # False: only `version 12.4` was there; the train is unknown
    text: str = ""  # the version as the config wrote it: `12.4(24)T5`

    def describe(self) -> str:
        if self.exact:
            return self.text or str(self.image)
        return f"{self.image.major}.{self.image.minor} (train unknown: read as mainline)"


def image_of_config(text: str) -> ConfigImage | None:
    """The image a saved config names: `Version X` in its comment header, else `version`.

    With only `version 12.4` the train is unknown and the image is read as mainline, the
    least capable 12.4: lint then never blames the config for what the image cannot do.

    >>> found = image_of_config("! Cisco IOS Software, Version 12.4(24)T5\\nversion 12.4\\n")
    >>> found.image, found.describe()
    (Image(major=12, minor=4, release=24, train='T', rebuild=''), '12.4(24)T5')
    >>> image_of_config("version 12.4\\n").describe()
    '12.4 (train unknown: read as mainline)'
    """
    exact: Image | None = None
    written = ""
    version: Image | None = None
    for line in text.splitlines():
        if line.startswith("!") and exact is None:
            match = _VERSION_IN_TEXT.search(line)
            if match:
                exact, written = parse_image(match["v"]), match["v"]
        elif version is None:
            vmatch = _VERSION_LINE.match(line)
            if vmatch:
                version = Image(int(vmatch["major"]), int(vmatch["minor"]), 0, "")
    if exact is not None:
        return ConfigImage(exact, True, written)
    if version is not None:
        return ConfigImage(version, False)
    return None


def feature_set_of_config(text: str) -> str | None:
    """The feature set a saved config's comment header names, lower-case; None if none.

    >>> feature_set_of_config("! Cisco IOS Software, 2800 Software (C2800NM-ADVIPSERVICESK9-M)")
    'advipservicesk9'
    >>> feature_set_of_config('! System image file is "flash:c2800nm-ipbase-mz.124-25d.bin"')
    'ipbase'
    """
    for line in text.splitlines():
        if not line.startswith("!"):
            continue
        match = _FEATURE_SET_IN_BANNER.search(line) or _IMAGE_FILE.search(line)
        if match:
            return match["fs"].lower()
    return None
