"""Which exec commands a simulated router's IOS image has (the simulator's own table).

From Cisco's feature histories (docs/rollback.md lists the sources):

- Configuration Replace and Configuration Rollback: `configure replace ...
  [time N]`, `configure confirm`. First in 12.3(7)T (also 12.2(25)S and the SB,
  SRA, SXH trains); 12.4 mainline and every later release have it.
- Configuration Rollback Confirmed Change: `configure terminal revert timer N`,
  `configure revert`. First in 12.4(20)T (and 12.2(33)SRC/SB/SXI); 15.0 on.
- `reload in N` / `reload cancel`: every image.
- Static IPsec virtual tunnel interfaces (`tunnel mode ipsec ipv4`): first in 12.3(14)T
  (Cisco, *IPSec Virtual Tunnel Interface* feature history: "12.3(14)T This feature was
  introduced"); 12.4 mainline, which carries the 12.3T features, and every later release.
- Crypto at all (`crypto isakmp`, `crypto ipsec`, `crypto map`, `tunnel protection`,
  `show crypto`): only a k9 feature set (`advipservicesk9`, `advsecurityk9`, ...) or a
  k8 one (DES only: no 3DES, no AES); without either, no crypto commands
  (docs/sim-ipsec.md).

An image the table cannot read is taken as the oldest: only what every image has.
"""

from __future__ import annotations

import re

REPLACE = "configure-replace"
REVERT = "configure-revert"
VTI = "ipsec-vti"
DH14 = "dh-group14"
IKE6 = "ike-ipv6"
SLOTLESS = "isakmp-sa-no-slot"

_RE = re.compile(r"^(\d+)\.(\d+)\((\d+)[a-z]*\)([A-Z]*)")

# feature -> (every release from this major.minor on, {train: first (major, minor, build)})
_TABLE: dict[str, tuple[tuple[int, int], dict[str, tuple[int, int, int]]]] = {
    REPLACE: (
        (12, 4),
        {"T": (12, 3, 7), "S": (12, 2, 25), "SRA": (12, 2, 33), "SXH": (12, 2, 33)},
    ),
    REVERT: (
        (15, 0),
        {"T": (12, 4, 20), "SRC": (12, 2, 33), "SB": (12, 2, 33), "SXI": (12, 2, 33)},
    ),
    VTI: ((12, 4), {"T": (12, 3, 14)}),
    # DH groups 14, 15, 16 (`group 14`, `set pfs group14`): 12.4(22)T, 15.0 on (Security
    # Command Reference, `group (ISAKMP)` history) [M]
    DH14: ((15, 0), {"T": (12, 4, 22)}),
    # IPv6 IPsec (12.4(4)T): `show crypto isakmp sa` splits into "IPv4 Crypto ISAKMP SA"
    # and "IPv6 Crypto ISAKMP SA" sections; 15.x prints no slot column (captures in
    # docs/sim-ipsec.md) [M]
    IKE6: ((15, 0), {"T": (12, 4, 4)}),
    SLOTLESS: ((15, 0), {}),
}
# The feature-set words that mark a crypto image (c2801-advipservicesk9-mz...): k9 strong
# crypto, k8 DES only ("k8 images carry DES only"; the AES feature guide: AES needs "the
# k9 subsystem") [M]
CRYPTO_MARK = "k9"
DES_ONLY_MARK = "k8"


def has_crypto(feature_set: str) -> bool:
    """Whether the feature set has IPsec at all (k9, or k8 with DES only)."""
    low = feature_set.lower()
    return CRYPTO_MARK in low or DES_ONLY_MARK in low


def strong_crypto(feature_set: str) -> bool:
    """Whether the image has 3DES and AES (k9)."""
    return CRYPTO_MARK in feature_set.lower()


def image_has(image: str, feature: str) -> bool:
    match = _RE.match(image.strip())
    if match is None:
        return False
    major, minor, build = (int(match[i]) for i in (1, 2, 3))
    train = match[4]
    every, trains = _TABLE[feature]
    if (major, minor) >= every:
        return True
    first = trains.get(train)
    return first is not None and (major, minor, build) >= first
