"""The services a Linux build runs, as data: which unit reads which built files, and
what the box must do when they change. The push (iosgen.push.linux) reads this table
instead of knowing each kind of tunnel; pppd's units stay where push finds them today
(`etc/systemd/system/pptp-<tunnel>.service`, its own files).

Sources: wg-quick@.service and strongswan.service of Debian 12's wireguard-tools and
charon-systemd packages (see docs/linux-vpn.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from iosgen.build.linux.strongswan import STRONGSWAN_UNIT, SWANCTL_CONF, ipsec_connections
from iosgen.build.linux.wireguard import wireguard_interfaces
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


__all__ = ["Unit", "UnitAction", "linux_units"]
