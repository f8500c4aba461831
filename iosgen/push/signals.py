"""SIGTERM and SIGHUP stop a push the way Ctrl-C does: finish or roll back, then report.

`stop_signals()` (the CLI runs every push inside it) turns the first SIGINT,
SIGTERM or SIGHUP into a `Stopped` exception, a `KeyboardInterrupt`, so the
push's existing Ctrl-C paths roll the router back. Every later signal, and any
signal that arrives while the thread is `shielded()` (a rollback, the commit,
writing the record), is only noted: nothing may cut a rollback short. After the
push, `received()` says which signals came, for the exit code.

SIGKILL and power loss cannot be handled here: the router's own revert timer,
armed before the first line, is what heals the router then.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A stop signal (SIGINT, SIGTERM, SIGHUP) reached the push."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


_local = threading.local()
_received: list[str] = []


def _depth() -> int:
    return int(getattr(_local, "depth", 0))


def _handler(signum: int, frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    _received.append(name)
    # the handler runs in the main thread: its own shield decides
    if _depth() > 0 or len(_received) > 1:
        return
    raise Stopped(name)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """Signals are noted, not raised, in this thread while the block runs."""
    _local.depth = _depth() + 1
    try:
        yield
    finally:
        _local.depth = _depth() - 1


def received() -> tuple[str, ...]:
    return tuple(_received)


def why(exc: BaseException) -> str:
    """The outcome's words for an interrupt."""
    if isinstance(exc, Stopped) and exc.name != "SIGINT":
        return f"stopped by {exc.name}"
    return "interrupted by the operator"


@contextlib.contextmanager
def stop_signals() -> Iterator[None]:
    """Handle SIGINT, SIGTERM and SIGHUP as stops for the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    old = {s: signal.signal(s, _handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def exit_status() -> int | None:
    """128 + the first stop signal's number, as a shell reports it; None if none came."""
    if not _received:
        return None
    return 128 + int(signal.Signals[_received[0]])


__all__ = ["Stopped", "exit_status", "received", "shielded", "stop_signals", "why"]
