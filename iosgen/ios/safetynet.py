"""Which safety net an IOS image offers a push, from Cisco's feature history.

One table, `FEATURES`: the IOS feature, the commands it gives, and the first
release of each train that has it (sources in docs/rollback.md). Push reads
it through `safety_net(image)`:

- `configure replace URL force time N` + `configure confirm` (Configuration
  Replace and Configuration Rollback): the router puts the old config back by
  itself if iosgen does not confirm within N minutes. Needs `archive` / `path`.
- otherwise `reload in N` / `reload cancel` (every image): the dead-man switch,
  which returns to the *startup* config, so only usable when it equals the
  running one.

The image string is parsed by `iosgen.hardware.parse_image`, the model's own check.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from iosgen.ios.hardware import Image as Release
from iosgen.ios.hardware import parse_image


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[str, ...]
    # first release per train; a later major.minor of a listed train has it too, and
    # every release from `all_from` on (a mainline that inherited it)
    since: tuple[str, ...]
    all_from: tuple[int, int] | None
    source: str


CONFIG_REPLACE = "Configuration Replace and Configuration Rollback"
CONFIRMED_CHANGE = "Configuration Rollback Confirmed Change"
RELOAD = "Scheduled reload"

FEATURES: tuple[Feature, ...] = (
    Feature(
        CONFIG_REPLACE,
        (
            "configure replace URL [list] [force] [time N] [nolock]",
            "configure confirm",
            "archive / path URL",
        ),
        ("12.3(7)T", "12.2(25)S", "12.2(27)SBC", "12.2(31)SB2", "12.2(33)SRA", "12.2(33)SXH"),
        (12, 4),  # 12.4 mainline was built from 12.3T: it has it
        "Cisco 12.3T feature guide 'Configuration Replace and Configuration Rollback' "
        "(configure confirm, time); napalm docs/support/ios.rst release list",
    ),
    Feature(
        CONFIRMED_CHANGE,
        ("configure terminal revert timer N", "configure revert now|timer", "configure confirm"),
        ("12.4(20)T", "12.2(33)SRC", "12.2(33)SB", "12.2(33)SXI"),
        (15, 0),
        "Cisco 'Configuration Rollback Confirmed Change' module; napalm docs/support/ios.rst",
    ),
    Feature(
        RELOAD,
        ("reload in N", "reload cancel"),
        (),
        (0, 0),
        "Cisco IOS command reference, `reload` (every release)",
    ),
)


def has(image: str, feature_name: str) -> bool:
    """Does `image` have the feature? An image iosgen cannot parse: assume not."""
    feature = next(f for f in FEATURES if f.name == feature_name)
    release = parse_image(image)
    if release is None:
        return feature.all_from == (0, 0)
    if feature.all_from is not None and (release.major, release.minor) >= feature.all_from:
        return True
    for text in feature.since:
        first = parse_image(text)
        assert first is not None
        if release.train != first.train:
            continue
        if (release.major, release.minor) > (first.major, first.minor):
            return True
        if (release.major, release.minor) == (first.major, first.minor) and (
            release.release,
            release.rebuild,
        ) >= (first.release, first.rebuild):
            return True
    return False


class Net(StrEnum):
    REVERT_TIMER = "revert timer"  # configure replace ... time N
    RELOAD = "reload in"  # reload in N
    NONE = "none"


def safety_net(image: str) -> Net:
    """The best net the image offers (the router may still refuse it: then `reload in`)."""
    if has(image, CONFIG_REPLACE):
        return Net.REVERT_TIMER
    return Net.RELOAD


def can_replace(image: str) -> bool:
    """Can iosgen roll back with `configure replace ... force`? Else it rolls back by reload."""
    return has(image, CONFIG_REPLACE)


__all__ = [
    "CONFIG_REPLACE",
    "CONFIRMED_CHANGE",
    "FEATURES",
    "RELOAD",
    "Feature",
    "Net",
    "Release",
    "can_replace",
    "has",
    "parse_image",
    "safety_net",
]
