"""The session log: what the router printed, written whole lines at a time, each
line redacted first.

A line of `show running-config` can carry a secret (` ppp chap password 7 ...`,
`username netops privilege 15 secret 5 $1$...`); the log masks it with the same
table as every other printed line (`iosgen.ios.secrets.redact_line`) and hides
the site's clear-text secrets too. Buffering to the end of the line matters: a
secret split across two reads would otherwise reach the file half masked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iosgen.ios.secrets import redact_line


def redact_text(text: str, hide: tuple[str, ...] = ()) -> str:
    """Every line of `text` through `redact_line`.

    >>> redact_text("R-ITD#\\n username bob secret 5 $1$ab$cd", ("hunter2",))
    'R-ITD#\\n username bob secret 5 <redacted>'
    """
    return "\n".join(redact_line(line, hide) for line in text.split("\n"))


def redacting_log(path: Path, hide: tuple[str, ...]) -> Any:
    """A netmiko SessionLog that writes whole lines, each passed through `redact_line`."""
    from netmiko.session_log import SessionLog

    class _Log(SessionLog):
        def __init__(self) -> None:
            # append: a push that reconnects to roll back keeps the lines it sent first
            super().__init__(file_name=str(path), file_mode="append", no_log={})
            self._pending = ""

        def write(self, data: str) -> None:
            self._pending += data
            head, sep, tail = self._pending.rpartition("\n")
            if sep and self.session_log is not None:
                self._write(redact_text(head + sep, hide))
                self._pending = tail

        def close(self) -> None:
            if self._pending and self.session_log is not None:
                self._write(redact_text(self._pending, hide))
            self._pending = ""
            super().close()

    return _Log()


__all__ = ["redact_text", "redacting_log"]
