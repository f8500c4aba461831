"""PPTP/MPPE findings made from the site model (SITE4xx), for sites with no IOS config.

Used for `platform: linux-pppd` sites when `iosgen.linux.lint` is not available:
the model still says which tunnels are PPTP and how MPPE is set.
"""

from __future__ import annotations

from collections.abc import Iterator

from iosgen.lint_rules.hit import Hit
from iosgen.model import Site

# Where a finding about a key path points in the site file (1-based line), or 0.
Locate = dict[tuple[str, ...], int]


def site_hits(site: Site, lines: Locate) -> Iterator[Hit]:
    for name, client in site.pptp_clients.items():
        line = lines.get(("pptp_clients", name), 0)
        yield Hit(
            "SITE401",
            line,
            f"pptp_clients.{name}: PPTP is broken cryptography (MS-CHAPv2 is cracked offline "
            "from one captured handshake; MPPE is RC4 without integrity); move it to IPsec",
        )
        mppe_line = lines.get(("pptp_clients", name, "mppe"), line)
        if client.mppe == "none":
            yield Hit(
                "SITE403",
                mppe_line,
                f"pptp_clients.{name}: mppe: none sends the tunnel traffic in clear",
            )
        elif not client.mppe_required:
            yield Hit(
                "SITE402",
                lines.get(("pptp_clients", name, "mppe_required"), mppe_line),
                f"pptp_clients.{name}: MPPE is not required, so the tunnel may come up "
                "unencrypted; set mppe_required: true",
            )
    server = site.pptp_server
    if server is not None:
        line = lines.get(("pptp_server",), 0)
        yield Hit(
            "SITE401",
            line,
            "pptp_server: PPTP is broken cryptography (MS-CHAPv2 is cracked offline from one "
            "captured handshake; MPPE is RC4 without integrity); offer IPsec instead",
        )
        if not server.mppe_required:
            yield Hit(
                "SITE402",
                lines.get(("pptp_server", "mppe_required"), line),
                "pptp_server: MPPE is not required, so users may connect unencrypted; "
                "set mppe_required: true",
            )
