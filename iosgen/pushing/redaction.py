"""Secrets out of everything iosgen writes down: session logs, history, printed lines.

Config text goes through the audit engine's redaction (`iosgen.redact`) when it
is installed; single lines of a session log, and the fallback, mask the value
of every secret field IOS prints: the word after `password` / `secret` (and
its type digit), e.g.
    username netops privilege 15 secret 5 $1$Jw63$K/0bbUC1dcBONvGTC6o/i.
     ppp chap password 7 0123035155
     ppp pap sent-username plovdiv password 7 0822455D0A16
     l2tp tunnel password 7 011057175804
plus the literal values the caller knows (the site's revealed secrets).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

MASK: Final = "<redacted>"

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
    out = _SECRET_FIELD_RE.sub(lambda m: f"{m['key']}{m['type'] or ''}{MASK}", line)
    return hide_values(out, hide)


def redact_text(text: str, hide: Iterable[str] = ()) -> str:
    values = tuple(hide)
    return "\n".join(redact_line(line, values) for line in text.split("\n"))
