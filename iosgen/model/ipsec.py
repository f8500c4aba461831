"""What a site's IPsec tunnels resolve to on IOS: mode, tunnel interface number, names.

Pure and offline. The model checks (iosgen.model.checks), the IOS build
(iosgen/build/ipsec.py) and the head office (iosgen.model.headoffice) read the same
answers from here, so a number or a name is decided once. The IOS facts behind them
(which image has VTI, which DH groups) are iosgen.ios.ipsec's; docs/ipsec.md says why
each name and default is what it is.
"""

from __future__ import annotations

from typing import Final, Literal

from iosgen.ios import ipsec as facts
from iosgen.ios.hardware import Image, parse_image
from iosgen.ios.names import canonical_ios_name
from iosgen.model.site import IkePolicy, IpsecCipher, IpsecProposal, IpsecTunnel, Site

Mode = Literal["tunnel-interface", "crypto-map"]
VTI: Final[Mode] = "tunnel-interface"
CRYPTO_MAP: Final[Mode] = "crypto-map"

# The one crypto map iosgen puts on a WAN interface (IOS takes one map per interface;
# each tunnel is an entry of it, 10, 20, ... in file order).
CRYPTO_MAP_NAME: Final = "IOSGEN-VPN"
CRYPTO_MAP_STEP: Final = 10
# The head office's dynamic crypto map for branches with no fixed WAN address, and the
# entry of IOSGEN-VPN that holds it: the last number, so static peers match first.
DYNAMIC_MAP_NAME: Final = "IOSGEN-DYN"
DYNAMIC_MAP_ENTRY: Final = 65535
# ISAKMP policies are numbered 10, 20, ... in the order their proposal first appears.
POLICY_STEP: Final = 10
# The named ACL that keeps the Internet PAT off the traffic a crypto map encrypts.
NAT_EXEMPT_ACL: Final = "IOSGEN-NAT"
# What `crypto isakmp key K address 0.0.0.0 0.0.0.0` means: any peer (the wildcard key).
WILDCARD: Final = "0.0.0.0 0.0.0.0"

# `encr` keyword (ISAKMP) and `esp-aes` key length by the model's cipher; IOS prints
# `encr aes` and `esp-aes` for 128 bits (iosgen.ios.ipsec.ESP_AES_DEFAULT_BITS).
_BITS: Final[dict[IpsecCipher, int]] = {"aes-128": 128, "aes-192": 192, "aes-256": 256}


def image_of(site: Site) -> Image:
    """The site's image (validated by the model, so it parses)."""
    image = parse_image(site.hardware.image)
    assert image is not None, site.hardware.image
    return image


def mode_of(site: Site, tunnel: IpsecTunnel) -> Mode:
    """The tunnel's mode: as typed, else route-based where the image has static VTI."""
    if tunnel.mode is not None:
        return tunnel.mode
    return VTI if facts.supports_vti(image_of(site)) else CRYPTO_MAP


def isakmp_encryption(cipher: IpsecCipher) -> str:
    """The ` encr` value: `aes`, `aes 192`, `aes 256`."""
    bits = _BITS[cipher]
    return "aes" if bits == facts.ESP_AES_DEFAULT_BITS else f"aes {bits}"


def esp_encryption(cipher: IpsecCipher) -> str:
    """The transform: `esp-aes`, `esp-aes 192`, `esp-aes 256`."""
    bits = _BITS[cipher]
    return "esp-aes" if bits == facts.ESP_AES_DEFAULT_BITS else f"esp-aes {bits}"


def transforms(proposal: IpsecProposal) -> str:
    """`esp-aes 256 esp-sha-hmac`: the model offers SHA-1 HMAC only."""
    return f"{esp_encryption(proposal.encryption)} esp-{proposal.integrity}-hmac"


def transform_set_name(proposal: IpsecProposal) -> str:
    """`IOSGEN-AES256-SHA`: named by what it holds, so tunnels with one proposal share it."""
    return f"IOSGEN-AES{_BITS[proposal.encryption]}-{proposal.integrity.upper()}"


def pfs_group(tunnel: IpsecTunnel) -> int:
    """The `set pfs` group: as typed, else the IKE policy's (PFS is always on)."""
    return tunnel.ipsec.pfs_group or tunnel.ike.group


def profile_name(tunnel_name: str) -> str:
    """`crypto ipsec profile IOSGEN-SOFIA` for tunnel `sofia`."""
    return f"IOSGEN-{tunnel_name.upper()}"


def crypto_acl_name(tunnel_name: str) -> str:
    """The crypto map entry's `match address IOSGEN-SOFIA` (an extended named ACL)."""
    return f"IOSGEN-{tunnel_name.upper()}"


def nat_route_map(tunnel_name: str) -> str:
    """The route-map of a tunnel's PAT (`nat: true`), as for a PPTP tunnel: the name upper-cased."""
    return tunnel_name.upper()


def ike_key(ike: IkePolicy) -> tuple[str, str, int, int]:
    """What makes two ISAKMP policies one."""
    return (ike.encryption, ike.hash, ike.group, ike.lifetime_seconds)


def typed_tunnel_numbers(site: Site) -> set[int]:
    """`interface TunnelN` the site types itself (interfaces, extra_config sections)."""
    names = list(site.interfaces)
    names += [
        header.removeprefix("interface ")
        for header, _lines, _after in site.extra_config.section_items()
        if header.startswith("interface ")
    ]
    found: set[int] = set()
    for name in names:
        canonical = canonical_ios_name(name) or name
        rest = canonical.removeprefix("Tunnel")
        if rest != canonical and rest.isdigit():
            found.add(int(rest))
    return found


def tunnel_numbers(site: Site) -> dict[str, int]:
    """`interface TunnelN` of each route-based IPsec tunnel, by tunnel name in file order:
    the typed `tunnel_interface`, else the lowest number nothing else takes."""
    vti = {n: t for n, t in site.ipsec_tunnels.items() if mode_of(site, t) == VTI}
    taken = typed_tunnel_numbers(site)
    taken |= {t.tunnel_interface for t in vti.values() if t.tunnel_interface is not None}
    numbers: dict[str, int] = {}
    free = 0
    for name, tunnel in vti.items():
        if tunnel.tunnel_interface is not None:
            numbers[name] = tunnel.tunnel_interface
            continue
        while free in taken:
            free += 1
        numbers[name] = free
        taken.add(free)
    return numbers


def crypto_map_entries(site: Site) -> dict[str, int]:
    """The entry number of each crypto-map tunnel in IOSGEN-VPN (10, 20, ...), file order."""
    names = [n for n, t in site.ipsec_tunnels.items() if mode_of(site, t) == CRYPTO_MAP]
    return {name: CRYPTO_MAP_STEP * (i + 1) for i, name in enumerate(names)}


__all__ = [
    "CRYPTO_MAP",
    "CRYPTO_MAP_NAME",
    "DYNAMIC_MAP_ENTRY",
    "DYNAMIC_MAP_NAME",
    "NAT_EXEMPT_ACL",
    "VTI",
    "WILDCARD",
    "Mode",
    "crypto_acl_name",
    "crypto_map_entries",
    "esp_encryption",
    "image_of",
    "isakmp_encryption",
    "mode_of",
    "nat_route_map",
    "pfs_group",
    "profile_name",
    "transform_set_name",
    "transforms",
    "tunnel_numbers",
    "typed_tunnel_numbers",
]
