"""One push per router at a time on this machine: `.iosgen/locks/<HOST>.lock`.

The lock is an `fcntl.flock` on the file, held for the whole push; the file
says who holds it (pid, user, start time, command) so a second push can name
the holder when it is refused at once. The kernel drops a flock when its
process dies, however it dies, so a stale file of a killed push locks nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path


class LockHeld(Exception):
    """Another push holds this router's lock; `holder` is what its file says."""

    def __init__(self, host: str, holder: str) -> None:
        super().__init__(f"another push to {host} is running ({holder}): not started")
        self.host = host
        self.holder = holder


def _describe(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return "holder unknown"
    if not isinstance(data, dict):
        return "holder unknown"
    return (
        f"pid {data.get('pid')}, user {data.get('user')}, since {data.get('started')}, "
        f"`{data.get('command')}`"
    )


def _holder(fd: int) -> str:
    """What the holder wrote; it may be writing it this very moment, so read again."""
    for _ in range(50):
        try:
            text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        except OSError:
            break
        if text.endswith("\n"):
            return _describe(text)
        time.sleep(0.01)
    return "holder unknown"


def lock_path(lock_dir: Path, host: str) -> Path:
    return lock_dir / f"{host}.lock"


@contextlib.contextmanager
def host_lock(lock_dir: Path, host: str, command: str | None = None) -> Iterator[Path]:
    """Hold `host`'s lock for the block, or raise `LockHeld` at once (never waits)."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_path(lock_dir, host)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeld(host, _holder(fd)) from None
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = str(os.getuid())
        data = {
            "pid": os.getpid(),
            "user": user,
            "started": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "command": command or " ".join(["iosgen", *sys.argv[1:]])[:300],
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(data) + "\n").encode(), 0)
        try:
            yield path
        finally:
            # never removed (a push about to lock must lock this very file, not a new
            # one beside it) nor emptied: the next holder rewrites it at once
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


__all__ = ["LockHeld", "host_lock", "lock_path"]
