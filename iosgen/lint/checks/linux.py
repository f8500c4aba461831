"""Site-model checks of a `linux-pppd` site, for `iosgen lint` (pure: no files, no tools).

Codes are the SITE4xx ones of `iosgen.lint.rules`, shared with IOS sites
that are linted from their model. pppd's MPPE is required whenever it is on
(README.MPPE), so SITE402 (MPPE may come up unencrypted) never applies here.
"""

from __future__ import annotations

from iosgen.model.site import Site

Finding = tuple[str, str, str]  # code, severity, message


def linux_findings(site: Site) -> list[Finding]:
    """PPTP/MPPE weaknesses of each tunnel, in tunnel order: (code, severity, message)."""
    findings: list[Finding] = []
    for name, client in site.pptp_clients.items():
        findings.append(
            (
                "SITE401",
                "warning",
                f"pptp_clients.{name}: PPTP's MS-CHAPv2 falls to one DES search and MPPE is "
                "RC4; replace the tunnel with IPsec or WireGuard",
            )
        )
        if client.mppe == "none":
            findings.append(
                (
                    "SITE403",
                    "warning",
                    f"pptp_clients.{name}.mppe: none: pppd negotiates no MPPE, so the "
                    f"tunnel's traffic to {client.server} crosses the Internet in clear",
                )
            )
    return findings
