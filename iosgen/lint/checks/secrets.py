"""Secrets in config lines: find them by what the line is, and hide their values.

A message that quotes a config line which can carry a secret quotes
`redact(line)`, never the line: lint reports get pasted into tickets and chats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from iosgen.ios.secrets import mask_urls

# Group `type` is the IOS encryption type (0 clear, 5 md5, 7 reversible), group `value`
# the secret. Order matters: the first pattern that matches a span wins.
SECRET_PATTERNS: tuple[re.Pattern[str], ...] = (
    # ntp authentication-key 1 md5 0822455D0A16 7   (the type comes after the value)
    re.compile(r"\bauthentication-key \d+ md5 (?P<value>\S+)(?: (?P<type>\d))?$"),
    # ip ospf message-digest-key 1 md5 7 0822455D0A16
    re.compile(r"\bmd5 (?:(?P<type>\d) )?(?P<value>\S+)"),
    # username u password 7 0822455D0A16 / ppp chap password 0 x / enable secret 5 $1$...
    re.compile(r"\b(?:password|secret|key-string) (?:(?P<type>\d) )?(?P<value>\S+)"),
    # tacacs-server key 7 ... / crypto isakmp key x address y; not `key chain X`, not `key 1`
    re.compile(r"(?<![-\w])key (?!chain )(?!\d+$)(?:(?P<type>\d) )?(?P<value>\S+)"),
    re.compile(r"^snmp-server community (?P<value>\S+)"),
)


@dataclass(frozen=True)
class SecretField:
    keyword: str  # the command up to the secret: `username admin privilege 15 password`
    type: str | None  # "0", "5", "7" ... or None when the line gives no type
    start: int
    end: int


def secret_fields(text: str) -> Iterator[SecretField]:
    taken: list[tuple[int, int]] = []
    for pattern in SECRET_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("value")
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            kind = match.groupdict().get("type")
            cut = match.start("type") if kind and match.start("type") < start else start
            yield SecretField(text[:cut].rstrip(), kind, start, end)


def redact(text: str) -> str:
    """The line with every secret value replaced by `<redacted>`."""
    spans = sorted((f.start, f.end) for f in secret_fields(text))
    out, pos = [], 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append("<redacted>")
        pos = end
    out.append(text[pos:])
    return mask_urls("".join(out))
