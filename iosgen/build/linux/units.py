"""The services a Linux build runs, as data: which unit reads which built files, and
what the box must do when they change. The push (iosgen.push.linux) reads this table
instead of knowing each kind of tunnel; pppd's units stay where push finds them today
(`etc/systemd/system/pptp-<tunnel>.service`, its own files).

Sources: wg-quick@.service and strongswan.service of Debian 12's wireguard-tools and
charon-systemd packages (see docs/linux-vpn.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from iosgen.build.linux.strongswan import STRONGSWAN_UNIT, SWANCTL_CONF, ipsec_connections
from iosgen.build.linux.wireguard import CONFIG_DIR, UNIT_TEMPLATE, wireguard_interfaces
from iosgen.model.site import Site

# restart: stop and start again on the new files (wg-quick's `reload` is `wg syncconf`,
# which skips Address, MTU and the PostUp routes); reload: the daemon rereads its
# files and keeps what did not change (strongswan.service: `swanctl --load-all`).
UnitAction = Literal["restart", "reload"]


@dataclass(frozen=True)
class Unit:
    name: str  # the systemd unit, e.g. wg-quick@wg0.service
    files: tuple[str, ...]  # built paths it reads: a change to one needs `action`
    action: UnitAction
    enable: bool = True  # `systemctl enable` it: started at boot
    packaged: bool = True  # the unit file is the distribution's, not in the build


def linux_units(site: Site) -> tuple[Unit, ...]:
    """The WireGuard and strongSwan units of the site's build, in a stable order."""
    units = [Unit(wg.unit, (wg.path,), "restart") for wg in wireguard_interfaces(site)]
    if ipsec_connections(site):
        units.append(Unit(STRONGSWAN_UNIT, (SWANCTL_CONF,), "reload"))
    return tuple(units)


_WG_CONF = re.compile(rf"{CONFIG_DIR}/(wg\d+)\.conf")


def unit_for_path(path: str) -> str | None:
    """The unit that reads a built path, also for a file no longer in the build (a
    removed tunnel: the push disables `wg-quick@wgN` and reloads strongSwan).

    >>> unit_for_path("etc/wireguard/wg3.conf")
    'wg-quick@wg3.service'
    >>> unit_for_path("etc/swanctl/conf.d/iosgen.conf")
    'strongswan.service'
    >>> unit_for_path("etc/ppp/peers/sofia") is None
    True
    """
    if path == SWANCTL_CONF:
        return STRONGSWAN_UNIT
    found = _WG_CONF.fullmatch(path)
    return UNIT_TEMPLATE.format(interface=found.group(1)) if found else None


__all__ = ["Unit", "UnitAction", "linux_units", "unit_for_path"]
