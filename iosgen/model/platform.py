"""The platforms a site builds for: the `platform:` key of a site file.

A StrEnum, so YAML keeps saying `platform: linux-pppd` and a member compares equal
to its text. What each platform builds lives in `iosgen.build.PLATFORMS`.

>>> Platform("linux-pppd") is Platform.LINUX_PPPD
True
>>> Platform.IOS == "ios"
True
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    IOS = "ios"  # a Cisco router on IOS 12.4: one running-config
    LINUX_PPPD = "linux-pppd"  # a Linux box: pppd, pptp-linux, iptables files


__all__ = ["Platform"]
