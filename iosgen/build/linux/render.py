"""Lay a `LinuxView` out as the box's file tree with Jinja2 (StrictUndefined).

Paths are relative to the root of the target system (`etc/ppp/...`); modes are
the ones the tools insist on: pppd refuses nothing, but a world-readable
chap-secrets gives the tunnel password to every local user (0600), and pppd
runs the ip-up/ip-down scripts only when they are executable (0755).
"""

from __future__ import annotations

from iosgen.build.files import MODE_FILE, MODE_SCRIPT, MODE_SECRET, BuiltFile
from iosgen.build.linux.facts import IPTABLES_RULES_PATH, OPTIONS_PPTP, OPTIONS_PPTP_PATH, PPPD
from iosgen.build.linux.strongswan import STRONGSWAN_UNIT, SWANCTL_CONF
from iosgen.build.linux.view import LinuxView, TunnelView
from iosgen.build.templating import render_template
from iosgen.model.platform import Platform

__all__ = ["MODE_FILE", "MODE_SCRIPT", "MODE_SECRET", "render_tree"]


def _render(template: str, **values: object) -> str:
    return render_template(f"linux/{template}", Platform.LINUX_PPPD, **values)


def render_tree(view: LinuxView) -> list[BuiltFile]:
    """Every file of the box, in a stable order (peers and units by tunnel name).

    The pppd files (etc/ppp/*, the pptp units, inittab.iosgen) only for a site with a
    PPTP tunnel: a WireGuard/IPsec-only box has no pppd to read them, and an empty
    chap-secrets would still be a secrets file to guard for nothing."""
    common = {"v": view, "pppd": PPPD, "options_path": OPTIONS_PPTP_PATH}
    tunnels = sorted(view.tunnels, key=lambda t: t.name)
    files = _pppd_files(tunnels, common) if tunnels else []
    files += [
        BuiltFile(IPTABLES_RULES_PATH, _render("rules.v4.j2", **common)),
        BuiltFile("etc/sysctl.d/90-iosgen.conf", _render("sysctl.conf.j2", **common)),
    ]
    # keys inside: the owner's only (wg-quick warns about a world-readable file)
    files += [
        BuiltFile(wg.path, _render("wireguard.conf.j2", wg=wg, **common), MODE_SECRET)
        for wg in view.wireguard
    ]
    if view.ipsec:
        text = _render(
            "swanctl.conf.j2",
            path=SWANCTL_CONF,
            unit=STRONGSWAN_UNIT,
            connections=view.ipsec,
            **common,
        )
        files.append(BuiltFile(SWANCTL_CONF, text, MODE_SECRET))
    return sorted(files, key=lambda f: f.path)


def _pppd_files(tunnels: list[TunnelView], common: dict[str, object]) -> list[BuiltFile]:
    files = [
        BuiltFile(
            "etc/ppp/options.pptp", _render("options.pptp.j2", options=OPTIONS_PPTP, **common)
        ),
        BuiltFile("etc/ppp/chap-secrets", _render("chap-secrets.j2", **common), MODE_SECRET),
    ]
    files += [
        BuiltFile(f"etc/ppp/peers/{t.name}", _render("peer.j2", t=t, **common)) for t in tunnels
    ]
    for event, up in (("ip-up", True), ("ip-down", False)):
        files.append(
            BuiltFile(
                f"etc/ppp/{event}.d/iosgen",
                _render("hook.sh.j2", event=event, up=up, **common),
                MODE_SCRIPT,
            )
        )
        files.append(
            BuiltFile(
                f"etc/ppp/{event}", _render("wrapper.sh.j2", event=event, **common), MODE_SCRIPT
            )
        )
    files += [
        BuiltFile(f"etc/systemd/system/pptp-{t.name}.service", _render("service.j2", t=t, **common))
        for t in tunnels
    ]
    files.append(BuiltFile("etc/inittab.iosgen", _render("inittab.j2", **common)))
    return files
