"""One file of a build, below the build's root: what both platforms' renderers make.

Its own module so that `iosgen.build.linux` can make files without importing
`iosgen.build`, which imports it (the old build <-> linux cycle).
"""

from __future__ import annotations

from typing import NamedTuple

MODE_FILE = 0o644
# chap-secrets, and an IOS config with type-7 and md5 secrets inside: the owner's only.
MODE_SECRET = 0o600
# pppd runs the ip-up/ip-down scripts only when they are executable.
MODE_SCRIPT = 0o755


class BuiltFile(NamedTuple):
    path: str  # relative, POSIX separators
    content: str
    mode: int = MODE_FILE


def mask_tokens(text: str, tokens: dict[str, str]) -> str:
    """`text` with each secret token that ends a line replaced by its mask.

    Only a token between a space and the end of its line is replaced (` ppp chap
    password 7 0822455D0A16` becomes ` ppp chap password 7 <redacted>`), never the same
    characters inside another word.

    >>> mask_tokens(" ppp chap password 7 0822\\n", {"7 0822": "7 <redacted>"})
    ' ppp chap password 7 <redacted>\\n'
    """
    for token, mask in tokens.items():
        text = text.replace(f" {token}\n", f" {mask}\n")
    return text


__all__ = ["MODE_FILE", "MODE_SCRIPT", "MODE_SECRET", "BuiltFile", "mask_tokens"]
