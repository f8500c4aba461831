"""PPTP/MPPE findings made from the site model (SITE4xx), for sites with no IOS config.

The fallback for `platform: linux-pppd` sites while `iosgen.lint.checks.linux` is not
importable. Each message starts with the key path it is about
(`pptp_clients.sofia: ...`), which `iosgen.lint` turns into a line of the site file.
"""

from __future__ import annotations

from collections.abc import Iterator

from iosgen.lint.hit import Hit
from iosgen.model.platform import Platform
from iosgen.model.site import Site

_BROKEN = (
    "PPTP is broken cryptography (MS-CHAPv2 is cracked offline from one captured handshake; "
    "MPPE is RC4 without integrity)"
)


def site_hits(site: Site) -> Iterator[Hit]:
    # pppd's MPPE options refuse the link without MPPE (README.MPPE): never optional there.
    optional_mppe = site.platform != Platform.LINUX_PPPD
    for name, client in site.pptp_clients.items():
        key = f"pptp_clients.{name}"
        yield Hit(
            "SITE401",
            0,
            f"{key}: {_BROKEN}; move this tunnel to IPsec, staged and verified: "
            f"`iosgen migrate --host {site.hostname} --tunnel {name} --to ipsec`",
        )
        if client.mppe == "none":
            yield Hit("SITE403", 0, f"{key}.mppe: none sends the tunnel traffic in clear")
        elif optional_mppe and not client.mppe_required:
            yield Hit(
                "SITE402",
                0,
                f"{key}.mppe: MPPE is not required, so the tunnel may come up unencrypted; "
                "set mppe_required: true",
            )
    server = site.pptp_server
    if server is not None:
        yield Hit("SITE401", 0, f"pptp_server: {_BROKEN}; offer IPsec instead")
        if optional_mppe and not server.mppe_required:
            yield Hit(
                "SITE402",
                0,
                "pptp_server.mppe: MPPE is not required, so users may connect unencrypted; "
                "set mppe_required: true",
            )
