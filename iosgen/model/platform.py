"""The platforms a site builds for: the `platform:` key of a site file.

A StrEnum, so YAML keeps saying `platform: linux` and a member compares equal to its
text. `linux-pppd`, the name from before a Linux box could hold anything but pppd
tunnels, is still accepted and means `linux`. What each platform builds lives in
`iosgen.build.PLATFORMS`.

>>> Platform("linux-pppd") is Platform.LINUX
True
>>> Platform.LINUX_PPPD is Platform.LINUX
True
>>> Platform.IOS == "ios"
True
>>> platform_of("linux-pppd")
<Platform.LINUX: 'linux'>
>>> platform_of("junos")
'junos'
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Platform(StrEnum):
    IOS = "ios"  # a Cisco router on IOS 12.4: one running-config
    LINUX = "linux"  # a Linux box: pppd/pptp, WireGuard and strongSwan files, iptables
    LINUX_PPPD = "linux"  # the old name of LINUX (an alias: the same member)

    @classmethod
    def _missing_(cls, value: object) -> Platform | None:
        return cls.LINUX if value in ALIASES else None


# Old spellings of a platform, still read from site files.
ALIASES: dict[str, Platform] = {"linux-pppd": Platform.LINUX}
# What a site file may spell in `platform:` (the JSON Schema's enum).
SPELLINGS: tuple[str, ...] = ("ios", "linux", "linux-pppd")


def platform_of(value: Any) -> Platform | Any:
    """A raw `platform:` value as its member when it names one (an alias included), else
    as typed (validation then says what is wrong with it)."""
    if isinstance(value, Platform):
        return value
    try:
        return Platform(value)
    except ValueError:
        return value


__all__ = ["ALIASES", "SPELLINGS", "Platform", "platform_of"]
