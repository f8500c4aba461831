"""Weak IPsec in an IOS config (IOS411-IOS420, IOS504), judged by what the image offers.

A setting is a fault of the config only when the image has something better: 3DES is
flagged where the image has AES, group 2 where it has group 5, group 5 (as info) only
where it has group 14. The image is the site's `hardware` when the caller knows it
(`ipsec_checks`), else the `show version` lines backup tools keep as comments, else the
`version 12.4` line read as 12.4 mainline, the least capable 12.4 (`ios.ipsec`).
Absent lines count: an ISAKMP policy printed without ` encr` negotiates DES, without
` group` group 1, because IOS never prints a default. Facts and sources:
docs/ipsec-facts.md; the rules: docs/lint.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from iosgen.ios import ipsec
from iosgen.ios.hardware import Image, parse_image
from iosgen.lint.checks.config import Config, Line
from iosgen.lint.checks.secrets import redact
from iosgen.lint.hit import Hit

# Without any version in the text, the project's baseline: IOS 12.4 mainline.
BASELINE_IMAGE = Image(12, 4, 0, "")


@dataclass(frozen=True)
class Platform:
    """What the router can do: its image (feature level) and, when known, its feature set."""

    image: Image
    described: str  # for messages: "12.4(25d)", "12.4 (train unknown: read as mainline)"
    feature_set: str | None = None

    @property
    def strength(self) -> ipsec.CryptoStrength:
        # An unknown feature set is taken as a k9 image: it printed crypto lines.
        return "strong" if self.feature_set is None else ipsec.crypto_strength(self.feature_set)


def platform_of(config: Config) -> Platform:
    """The router a saved config describes (comments, then `version`, then the baseline)."""
    found = ipsec.image_of_config(config.source)
    feature_set = ipsec.feature_set_of_config(config.source)
    if found is None:
        return Platform(BASELINE_IMAGE, "12.4 assumed (no `version` line)", feature_set)
    return Platform(found.image, found.describe(), feature_set)


def ipsec_checks(image: str | None, feature_set: str | None) -> Callable[[Config], Iterator[Hit]]:
    """The IPsec checks for a router whose image the caller knows (a site's `hardware`)."""
    parsed = parse_image(image) if image else None

    def check(config: Config) -> Iterator[Hit]:
        platform = platform_of(config)
        if parsed is not None:
            platform = Platform(parsed, str(image), feature_set or platform.feature_set)
        elif feature_set:
            platform = Platform(platform.image, platform.described, feature_set)
        yield from ipsec_hits(config, platform)

    return check


def check_ipsec(config: Config) -> Iterator[Hit]:
    """The IPsec checks for a config on its own: the image is what its text says."""
    yield from ipsec_hits(config, platform_of(config))


def ipsec_hits(config: Config, platform: Platform) -> Iterator[Hit]:
    hits = [
        *_crypto_image(config, platform),
        *_isakmp_policies(config, platform),
        *_transform_sets(config, platform),
        *_pfs(config, platform),
        *_aggressive_mode(config),
        *_wildcard_keys(config),
    ]
    yield from sorted(hits, key=lambda hit: (hit.line, hit.code))


# --- IOS504: crypto on an image without it ------------------------------------------------

_IPSEC_LINE = re.compile(r"^crypto (isakmp|ipsec|map|dynamic-map|keyring) ")


def _crypto_image(config: Config, platform: Platform) -> Iterator[Hit]:
    if platform.feature_set is None or ipsec.is_crypto_image(platform.feature_set):
        return
    first = next((line for line in config.top if _IPSEC_LINE.match(line.text)), None)
    if first is not None:
        yield Hit(
            "IOS504",
            first.number,
            f"`{redact(first.text)}`: the {platform.feature_set} feature set carries no "
            "crypto (IPsec needs a k9 image, e.g. advipservicesk9): IOS refuses these lines",
        )


# --- ISAKMP policies (IKE phase 1) --------------------------------------------------------


def _child(parent: Line, *first_words: str) -> Line | None:
    return next((c for c in parent.children if c.words[:1] and c.words[0] in first_words), None)


# what makes IKE phase 1 run: a crypto map entry bound to IKE, or a VTI's ipsec profile
_IKE_USER = re.compile(r"^crypto (map \S+ \d+ ipsec-isakmp|ipsec profile \S+)")


def _no_policy(config: Config, platform: Platform) -> Iterator[Hit]:
    """Keys and crypto maps but no `crypto isakmp policy` (real: 2801-serpa-beta): IKE
    offers only the default suite, DES, SHA, RSA signatures, group 1 (ipsec-facts.md)."""
    if any(config.matching(r"^crypto isakmp policy \d+$", top_only=True)):
        return
    first = next((line for line in config.top if _IKE_USER.match(line.text)), None)
    if first is None or platform.strength == "des":
        return
    d = ipsec.ISAKMP_DEFAULTS
    better = ipsec.recommended_encryption(platform.image)
    yield Hit(
        "IOS412",
        first.number,
        f"`{redact(first.text)}` but no `crypto isakmp policy`: IKE offers only the default "
        f"suite ({d.encryption.upper()}, {d.hash.upper()}, {d.authentication}, group "
        f"{d.group}), DES broken by brute force and RSA signatures where a pre-shared key is "
        f"set; add `crypto isakmp policy 10` with `encr {better}`, "
        "`authentication pre-share` and a group",
    )


def _isakmp_policies(config: Config, platform: Platform) -> Iterator[Hit]:
    image = platform.image
    yield from _no_policy(config, platform)
    for policy, _m in config.matching(r"^crypto isakmp policy \d+$", top_only=True):
        encr = _child(policy, "encr", "encryption")
        value = " ".join(encr.words[1:]) if encr is not None else ipsec.ISAKMP_DEFAULTS.encryption
        yield from _encryption(policy, encr, value, platform)
        hash_line = _child(policy, "hash")
        if hash_line is not None and hash_line.words[1:2] == ["md5"]:
            yield from _md5(hash_line, "`hash sha`", platform, ipsec.isakmp_hashes(image))
        group_line = _child(policy, "group")
        if group_line is None:
            yield from _weak_group(policy, ipsec.ISAKMP_DEFAULTS.group, platform, default=True)
        elif group_line.words[1:2] and group_line.words[1].isdigit():
            yield from _weak_group(group_line, int(group_line.words[1]), platform)


def _encryption(policy: Line, encr: Line | None, value: str, platform: Platform) -> Iterator[Hit]:
    better = ipsec.recommended_encryption(platform.image)
    if value == "des":
        if platform.strength == "des":
            return  # a k8 image has DES only: nothing better to configure
        if encr is None:
            yield Hit(
                "IOS412",
                policy.number,
                f"`{policy.text}` has no `encr` line, so it negotiates DES (56-bit, broken by "
                f"brute force), the default IOS never prints; add `encr {better}`",
            )
        else:
            yield Hit(
                "IOS411",
                encr.number,
                f"`{encr.text}` under `{policy.text}`: DES (56-bit) is broken by brute "
                f"force; use `encr {better}`",
            )
    elif value == "3des" and encr is not None and ipsec.has(platform.image, "aes"):
        yield Hit(
            "IOS413",
            encr.number,
            f"`{encr.text}` under `{policy.text}`: 3DES has a 64-bit block (Sweet32) and is "
            f"deprecated; this image, {platform.described}, has AES: use `encr {better}`",
        )


def _md5(line: Line, instead: str, platform: Platform, offered: tuple[str, ...]) -> Iterator[Hit]:
    if "sha" in offered or "esp-sha-hmac" in offered:
        where = f" under `{line.parent.text}`" if line.parent is not None else ""
        yield Hit(
            "IOS415",
            line.number,
            f"`{redact(line.text)}`{where}: MD5 is broken for collisions and deprecated for "
            f"IPsec; this image, {platform.described}, has SHA-1: use {instead}",
        )


def _weak_group(line: Line, group: int, platform: Platform, default: bool = False) -> Iterator[Hit]:
    """A DH group weaker than the image could do: group 1/2 (warning), group 5 (info)."""
    offered = ipsec.dh_groups(platform.image)
    best = ipsec.recommended_dh_group(platform.image)
    bits = ipsec.DH_GROUP_BITS.get(group, "?")
    if default:
        what = (
            f"`{line.text}` has no `group` line, so it uses group {group} ({bits}), a default "
            "IOS never prints"
        )
    else:
        where = f" under `{line.parent.text}`" if line.parent is not None else ""
        what = f"`{line.text}`{where}: DH group {group} ({bits})"
    pfs = line.words[:2] == ["set", "pfs"]
    fix = f"`set pfs {ipsec.pfs_keyword(best)}`" if pfs else f"`group {best}`"
    if group in (1, 2) and 5 in offered:
        yield Hit(
            "IOS414",
            line.number,
            f"{what}: within reach of precomputation attacks (Logjam); this image, "
            f"{platform.described}, has group {best}: use {fix}",
        )
    elif group == 5 and 14 in offered:
        yield Hit(
            "IOS420",
            line.number,
            f"{what}: this image, {platform.described}, has group 14 (2048-bit): use {fix}",
        )


# --- transform sets (IKE phase 2) ---------------------------------------------------------


def _transform_sets(config: Config, platform: Platform) -> Iterator[Hit]:
    image = platform.image
    pattern = r"^crypto ipsec transform-set \S+ "
    for line, _m in config.matching(pattern, top_only=True):
        transforms = [w for w in line.words[3:] if w in ipsec.TRANSFORMS]
        kinds = {ipsec.TRANSFORMS[t].kind for t in transforms}
        if "esp-des" in transforms and platform.strength != "des":
            yield Hit(
                "IOS411",
                line.number,
                f"`{line.text}`: esp-des (56-bit DES) is broken by brute force; "
                f"use `esp-{ipsec.recommended_encryption(image)}`",
            )
        if "esp-3des" in transforms and ipsec.has(image, "aes"):
            yield Hit(
                "IOS413",
                line.number,
                f"`{line.text}`: 3DES has a 64-bit block (Sweet32) and is deprecated; this "
                f"image, {platform.described}, has AES: use `esp-aes 256`",
            )
        md5 = [t for t in transforms if t.endswith("md5-hmac")]
        if md5:
            sha = md5[0].replace("md5", "sha")
            yield from _md5(line, f"`{sha}`", platform, ipsec.transform_keywords(image))
        encrypting = {t for t in transforms if ipsec.TRANSFORMS[t].kind == "esp-encryption"}
        if "esp-encryption" not in kinds or encrypting <= {"esp-null"}:
            yield Hit(
                "IOS419",
                line.number,
                f"`{line.text}` has no ESP encryption: the tunnel's traffic is authenticated "
                "but crosses the Internet in clear; add `esp-aes 256`",
            )


# --- PFS ----------------------------------------------------------------------------------

# Entries that negotiate IPsec SAs with IKE: static and dynamic crypto map entries, and the
# ipsec profiles a VTI (`tunnel protection ipsec profile P`) uses. `crypto map M 10
# ipsec-isakmp dynamic D` only points at D, whose entries are checked themselves.
_SA_ENTRIES = (
    r"^crypto map \S+ \d+ ipsec-isakmp$",
    r"^crypto dynamic-map \S+ \d+$",
    r"^crypto ipsec profile \S+$",
)


def _pfs(config: Config, platform: Platform) -> Iterator[Hit]:
    for pattern in _SA_ENTRIES:
        for entry, _m in config.matching(pattern, top_only=True):
            pfs = next((c for c in entry.children if c.words[:2] == ["set", "pfs"]), None)
            if pfs is None:
                best = ipsec.pfs_keyword(ipsec.recommended_dh_group(platform.image))
                yield Hit(
                    "IOS417",
                    entry.number,
                    f"`{entry.text}` has no `set pfs`: every IPsec key derives from the one IKE "
                    "exchange, so a key broken later opens all past traffic; add "
                    f"`set pfs {best}`",
                )
                continue
            word = pfs.words[2] if len(pfs.words) > 2 else f"group{ipsec.PFS_DEFAULT_GROUP}"
            number = word.removeprefix("group")
            if number.isdigit():
                yield from _weak_group(pfs, int(number), platform)


# --- aggressive mode and wildcard keys ----------------------------------------------------

_AGGRESSIVE = (
    # crypto isakmp peer address 203.0.113.10 / set aggressive-mode client-endpoint ...
    (r"^crypto isakmp peer ", r"^set aggressive-mode (password|client-endpoint)\b"),
    # crypto isakmp profile P / initiate mode aggressive
    (r"^crypto isakmp profile ", r"^initiate mode aggressive$"),
    # Easy VPN server: a group pre-shared key authenticates clients in aggressive mode
    (r"^crypto isakmp client configuration group ", r"^key "),
    # Easy VPN remote: `group G key K` makes the router initiate aggressive mode
    (r"^crypto ipsec client ezvpn ", r"^group \S+ key "),
)


def _aggressive_mode(config: Config) -> Iterator[Hit]:
    for parent_pattern, child_pattern in _AGGRESSIVE:
        child = re.compile(child_pattern)
        for parent, _m in config.matching(parent_pattern, top_only=True):
            for line in parent.children:
                if child.match(line.text):
                    yield Hit(
                        "IOS416",
                        line.number,
                        f"`{redact(line.text)}` under `{redact(parent.text)}`: aggressive mode "
                        "sends a hash of the pre-shared key before the peer is authenticated, "
                        "so anyone who asks can crack the key offline; use main mode (a "
                        "`crypto isakmp key` per peer address) or certificates",
                    )


# `crypto isakmp key K address 0.0.0.0 0.0.0.0`, keyring ` pre-shared-key address 0.0.0.0 ...`
_KEY_ADDRESS = re.compile(
    r"^(?:crypto isakmp key (?:[06] )?\S+|pre-shared-key) address "
    r"(?P<address>[0-9.]+)(?: (?P<mask>[0-9.]+))?"
)


def _wildcard_keys(config: Config) -> Iterator[Hit]:
    for line in config.lines:
        match = _KEY_ADDRESS.match(line.text)
        if match is None:
            continue
        mask = match["mask"]
        if mask == "0.0.0.0" or (match["address"] == "0.0.0.0" and mask is None):
            yield Hit(
                "IOS418",
                line.number,
                f"`{redact(line.text)}`: a wildcard pre-shared key: any host on the Internet "
                "that learns this one key is a peer; give each fixed peer its own key "
                "(`crypto isakmp key ... address A`), keep the wildcard for DHCP peers only",
            )
