"""strongSwan on a Linux site: a `kind: ipsec` tunnel as a swanctl.conf(5) connection.

The far end is an IOS 12.4 head office, so the connection speaks what 12.4 does: IKEv1
main mode with a pre-shared key (12.4 has no IKEv2), the model's AES/SHA-1/MODP
proposal for both phases, PFS in the ESP proposal, IOS's lifetimes and dead-peer
detection. The tunnel is policy-based: its traffic selectors are the LANs and the
remote networks, which the head office's crypto ACL mirrors. The file goes to
`etc/swanctl/conf.d/iosgen.conf`: Debian's own swanctl.conf (a conffile) includes
`conf.d/*.conf`. Facts and sources: docs/linux-vpn.md.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from ipaddress import IPv4Interface
from typing import Final

from iosgen.errors import RenderError
from iosgen.model.checks import LINUX_IPSEC_UNBUILT
from iosgen.model.secret import MASK
from iosgen.model.site import IpsecTunnel, Site

SWANCTL_CONF: Final = "etc/swanctl/conf.d/iosgen.conf"
# charon-systemd's unit (Debian 12: lib/systemd/system/strongswan.service); its
# ExecReload runs `swanctl --reload` and `swanctl --load-all`.
STRONGSWAN_UNIT: Final = "strongswan.service"

# The model's names in strongSwan's proposal keywords (strongSwan "IKEv1 and IKEv2
# Cipher Suites"; MODP groups of RFC 3526).
CIPHERS: Final[dict[str, str]] = {"aes-128": "aes128", "aes-192": "aes192", "aes-256": "aes256"}
HASHES: Final[dict[str, str]] = {"sha": "sha1"}  # HMAC-SHA-1, IOS's `hash sha`/`esp-sha-hmac`
DH_GROUPS: Final[dict[int, str]] = {5: "modp1536", 14: "modp2048", 15: "modp3072", 16: "modp4096"}

# IOS declares a peer dead after five unanswered DPD retries, `retry` seconds apart
# (`crypto isakmp keepalive SECONDS RETRY`); strongSwan's IKEv1 dpd_timeout is the
# whole wait, so it is interval + 5 x retry.
IOS_DPD_RETRIES: Final = 5
# strongSwan proposes reauth_time + over_time as the IKEv1 SA lifetime (main_mode.c) and
# life_time as the IPsec SA lifetime (quick_mode.c). IOS accepts a phase-1 proposal whose
# lifetime is at most its own: proposing exactly the model's lifetime matches the head
# office, and the SA is renewed a tenth of it early.
EARLY: Final = 10  # renew after 9/10 of the lifetime

# A PSK between double quotes is read back as typed unless it holds a quote or a
# backslash (a quoted `\` does not survive strongSwan 5.9.8's settings parser: tried,
# docs/linux-vpn.md), or starts with 0x / 0s, which swanctl reads as hex / base64
# (swanctl.conf(5), secrets.ike.secret). Those go as 0s base64.
_QUOTABLE = re.compile(r"(?!0[xXsS])[ !#-\[\]-~]+")


def swanctl_secret(psk: str) -> str:
    """The PSK as the value of `secret =`, read back by swanctl exactly as typed.

    >>> swanctl_secret("plain-key")
    '"plain-key"'
    >>> swanctl_secret("0xdeadbeef")
    '0sMHhkZWFkYmVlZg=='
    """
    if _QUOTABLE.fullmatch(psk):
        return f'"{psk}"'
    return "0s" + base64.b64encode(psk.encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class IpsecConnection:
    name: str
    peer: str
    local_address: str | None  # a static WAN address; None: whatever the WAN has (DHCP)
    proposals: str
    esp_proposals: str
    reauth_time: int
    over_time: int
    rekey_time: int  # the child SA's
    life_time: int
    dpd_delay: int
    dpd_timeout: int
    local_ts: tuple[str, ...]
    remote_ts: tuple[str, ...]
    secret: str  # the value of `secret =`


def _refuse_unbuilt(site: Site, name: str, tunnel: IpsecTunnel) -> None:
    # the loader reports these at their key (model.checks.linux_ipsec_tunnels); a site
    # put together in code meets them here
    for key, why in LINUX_IPSEC_UNBUILT.items():
        value = getattr(tunnel, key)
        if value is not None and value is not False:
            raise RenderError(f"{site.hostname}: tunnels.{name}.{key}: not built on Linux: {why}")
    if not tunnel.remote_networks:
        raise RenderError(
            f"{site.hostname}: tunnels.{name}.remote_networks is empty: a policy-based "
            "tunnel carries only the networks it names"
        )


def _proposal(encryption: str, integrity: str, group: int) -> str:
    return f"{CIPHERS[encryption]}-{HASHES[integrity]}-{DH_GROUPS[group]}"


def ipsec_connections(site: Site) -> tuple[IpsecConnection, ...]:
    """Every `kind: ipsec` tunnel of the site as a swanctl connection, by name."""
    _, wan = site.wan
    local = str(wan.ipv4.ip) if isinstance(wan.ipv4, IPv4Interface) else None
    lans = tuple(str(n) for n in site.lan_networks)
    out = []
    for name, tunnel in sorted(site.ipsec_tunnels.items()):
        _refuse_unbuilt(site, name, tunnel)
        ike, esp, dpd = tunnel.ike, tunnel.ipsec, tunnel.dpd
        pfs = esp.pfs_group if esp.pfs_group is not None else ike.group
        out.append(
            IpsecConnection(
                name=name,
                peer=str(tunnel.peer),
                local_address=local,
                proposals=_proposal(ike.encryption, ike.hash, ike.group),
                esp_proposals=_proposal(esp.encryption, esp.integrity, pfs),
                reauth_time=ike.lifetime_seconds - ike.lifetime_seconds // EARLY,
                over_time=ike.lifetime_seconds // EARLY,
                rekey_time=esp.lifetime_seconds - esp.lifetime_seconds // EARLY,
                life_time=esp.lifetime_seconds,
                dpd_delay=dpd.interval,
                dpd_timeout=dpd.interval + IOS_DPD_RETRIES * dpd.retry,
                # nat: the LANs go hidden behind this end's own address, which is then
                # the only local selector (strongSwan's `dynamic`)
                local_ts=() if tunnel.nat else lans,
                remote_ts=tuple(str(n) for n in tunnel.remote_networks),
                secret=swanctl_secret(tunnel.pre_shared_key.reveal()),
            )
        )
    return tuple(out)


def ipsec_tokens(connections: tuple[IpsecConnection, ...]) -> dict[str, str]:
    """Each `secret = VALUE` line end, masked."""
    return {c.secret: f'"{MASK}"' for c in connections}


def nat_exemptions(site: Site) -> tuple[tuple[str, str, str], ...]:
    """(tunnel, LAN, remote network) whose traffic must not be masqueraded out of the WAN:
    MASQUERADE would give it the WAN's source address, which no IPsec policy of a tunnel
    with `nat: false` matches."""
    if not site.internet_nat:
        return ()
    return tuple(
        (name, str(lan), str(net))
        for name, tunnel in sorted(site.ipsec_tunnels.items())
        if not tunnel.nat
        for lan in site.lan_networks
        for net in tunnel.remote_networks
    )


def nat_masquerades(site: Site) -> tuple[tuple[str, str, str], ...]:
    """(tunnel, LAN, remote network) hidden behind the WAN address for a tunnel with
    `nat: true`: MASQUERADE out of the WAN gives the packet the address the tunnel's
    selector names, and the kernel looks the IPsec policy up again after NAT."""
    return tuple(
        (name, str(lan), str(net))
        for name, tunnel in sorted(site.ipsec_tunnels.items())
        if tunnel.nat
        for lan in site.lan_networks
        for net in tunnel.remote_networks
    )


__all__ = [
    "CIPHERS",
    "DH_GROUPS",
    "STRONGSWAN_UNIT",
    "SWANCTL_CONF",
    "IpsecConnection",
    "ipsec_connections",
    "ipsec_tokens",
    "nat_exemptions",
    "nat_masquerades",
    "swanctl_secret",
]
