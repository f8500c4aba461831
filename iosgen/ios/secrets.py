"""Redact the secrets of a config by what each line is, keeping everything else byte for byte.

A line's secret is found by parsing it (iosconfig.secret_field: the command,
its sub-mode, the keyword, the optional type digit), not by a list of
patterns, so `ppp pap sent-username plovdiv password 7 0822455D0A16` and
`l2tp tunnel password 7 ...` are caught like `username ... secret 5 ...`.
The value becomes `<redacted>`; the type digit stays, so the reader still
sees which encoding the router used. Banner bodies are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from iosgen.ios.config import mask_line, mask_urls
from iosgen.model.secret import MASK

_BANNER_RE = re.compile(r"^banner \S+ (?P<delim>\^C|\S)(?P<rest>.*)$")


def redact(text: str) -> str:
    """The config with every secret value replaced by `<redacted>`."""
    out: list[str] = []
    parents: list[tuple[int, str]] = []  # (indent, text) of the open sections
    banner_end: str | None = None
    for raw in text.split("\n"):
        body = raw.rstrip("\r")
        if banner_end is not None:
            out.append(raw)
            if banner_end in body:
                banner_end = None
            continue
        stripped = body.strip()
        if not stripped or stripped.startswith("!"):
            out.append(raw)
            continue
        indent = len(body) - len(body.lstrip())
        while parents and parents[-1][0] >= indent:
            parents.pop()
        if indent == 0 and (banner := _BANNER_RE.match(stripped)):
            if banner["delim"] not in banner["rest"]:
                banner_end = banner["delim"]
            out.append(raw)
            continue
        parent = parents[-1][1] if parents else None
        normal = " ".join(stripped.split())
        masked = mask_line(normal, parent)
        if masked != normal:
            ending = raw[len(body) :]
            raw = " " * indent + masked + ending
        out.append(raw)
        parents.append((indent, normal))
    return "\n".join(out)


# --- single lines without their section (session logs, history) ---------------------------
# A session log line has lost its parent, so the parsed field above can miss it; this
# safety net masks the word after any secret keyword (and its type digit), e.g.
#      ppp pap sent-username plovdiv password 7 0822455D0A16
# and the literal values the caller knows (the site's revealed secrets).

# keyword, optional encryption type, the secret itself
_SECRET_FIELD_RE: Final = re.compile(
    r"(?P<key>\b(?:password|secret|community|key-string|key)\s+)(?P<type>[0-9]\s+)?(?P<value>\S+)"
)


def hide_values(text: str, hide: Iterable[str]) -> str:
    """`text` with every literal secret value masked."""
    for value in sorted(hide, key=len, reverse=True):
        if value and len(value) >= 3:
            text = text.replace(value, MASK)
    return text


def redact_line(line: str, hide: Iterable[str] = ()) -> str:
    out = _SECRET_FIELD_RE.sub(lambda m: f"{m['key']}{m['type'] or ''}{MASK}", mask_urls(line))
    return hide_values(out, hide)


def redact_text(text: str, hide: Iterable[str] = ()) -> str:
    values = tuple(hide)
    return "\n".join(redact_line(line, values) for line in text.split("\n"))
