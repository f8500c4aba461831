"""Secrets in config lines: find them by what the line is, and hide their values.

Where a command keeps its secret is `iosgen.ios.secrets.SECRET_SPECS`, the table
backups, diffs and session logs mask with; lint reads a line the way the session
log does (`redact_line`: out of place, its own rows first). A message that quotes
a config line which can carry a secret quotes `redact(line)`, never the line:
lint reports get pasted into tickets and chats.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from iosgen.ios.secrets import redact_line, secret_spans


@dataclass(frozen=True)
class SecretField:
    keyword: str  # the command up to the secret: `username admin privilege 15 password`
    type: str | None  # "0", "5", "7" ... or None when the line gives no type
    start: int
    end: int


def secret_fields(text: str, parent: str | None = None) -> Iterator[SecretField]:
    """The secrets of the line, left to right, located in `text` as given.

    >>> line = "username op privilege 1 password 7 044B0A151C36435C0D"
    >>> [(f.keyword, f.type, line[f.start : f.end]) for f in secret_fields(line)]
    [('username op privilege 1 password', '7', '044B0A151C36435C0D')]
    """
    for span in secret_spans(text, parent):
        yield SecretField(span.head, span.encoding or None, span.start, span.end)


def redact(text: str) -> str:
    """The line with its secret value (and any URL password) replaced by `<redacted>`."""
    return redact_line(text)
