"""One file of a build, below the build's root: what both platforms' renderers make.

Its own module so that `iosgen.build.linux` can make files without importing
`iosgen.build`, which imports it (the old build <-> linux cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

MODE_FILE = 0o644
# chap-secrets, and an IOS config with type-7 and md5 secrets inside: the owner's only.
MODE_SECRET = 0o600
# pppd runs the ip-up/ip-down scripts only when they are executable.
MODE_SCRIPT = 0o755


@dataclass(frozen=True)
class BuiltFile:
    path: str  # relative, POSIX separators
    content: str
    mode: int = MODE_FILE


__all__ = ["MODE_FILE", "MODE_SCRIPT", "MODE_SECRET", "BuiltFile"]
