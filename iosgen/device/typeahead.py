"""Config lines typed ahead: a window of lines in flight, each answer found after its echo.

A 12.4 vty reads what arrives ahead of its prompt as type-ahead: it runs the lines
one by one, in order, each echoed after the prompt of the one before, exactly as if
they had been typed one at a time (docs/pipelining.md, with sources). So the output
of a window is `echo1 answer1 prompt1 echo2 answer2 prompt2 ...`, and each answer is
the text between the echo of its line and the prompt that the echo of the next line
follows. What cannot be typed ahead, and why, is the table below; everything else is.

The window is what lets the change cross a WAN in a few round trips instead of one per
line. The price is that when IOS refuses line k, the lines after it are already on
the way and IOS runs them too: they are read, recorded with a note, and the caller's
rollback (`configure replace`) undoes them with the rest.
"""

from __future__ import annotations

import re
import select
import time
from collections import deque
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Final

from iosgen.errors import ConfigLineError, SessionLost
from iosgen.ios.dialogs import (
    DIALOGS,
    NAT_MAPPING_RE,
    PROMPT,
    answer_lines,
    at_prompt,
    failure_in,
    in_config,
    open_dialog,
    without_unsolicited,
)

if TYPE_CHECKING:
    from iosgen.device.session import Device, LineAnswer

# Bytes typed ahead at most. A 12.x router advertises a 2144-byte TCP window by default
# (`ip tcp window-size`, Cisco IOS IP Configuration Guide 12.2, "Setting the TCP Window
# Size"), so a real router paces a bigger window by TCP's own flow control (nothing is
# lost, bytes wait in our send buffer). The bound is on how much IOS runs after a
# refused line (some 170 short lines), all of it undone by the rollback.
WINDOW_BYTES: Final = 8192
# The window is topped up once half of it has been answered: one write of many lines
# rather than a packet per answer.
REFILL: Final = 0.5

# Lines that may open a dialogue: a line typed ahead after one of them would be read as
# the answer. The window is drained before each, and each is typed alone, its known
# questions answered as in the line-by-line push.
MAY_ASK: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # `Dynamic mapping in use, do you want to delete all entries? [no]:` (Cisco Tech
    # Note 13779, "Dynamic mapping in use" messages when changing NAT)
    (NAT_MAPPING_RE, "removing a dynamic NAT mapping asks about its translations"),
    (
        re.compile(r"^\s*no ip nat outside source\b"),
        "removing an outside NAT mapping asks the same question (Tech Note 13779)",
    ),
    # `% You already have RSA keys defined ... Do you really want to replace them?
    # [yes/no]:` and `Do you really want to remove these keys? [yes/no]:` (Cisco IOS
    # Security Command Reference, `crypto key generate rsa`, `crypto key zeroize rsa`)
    (re.compile(r"^\s*crypto key (?:generate|zeroize)\b"), "RSA key questions"),
    # `crypto pki` / `crypto ca` enrolment and trustpoint removal ask [yes/no] (same
    # reference, `crypto pki authenticate`, `no crypto pki trustpoint`)
    (re.compile(r"^\s*(?:no\s+)?crypto (?:pki|ca)\b"), "PKI questions"),
)

# A banner is text until its delimiter, with no prompt per line: a change with one goes
# one line at a time, the way its own code in `Device.send_config` reads it.
BANNER_RE: Final = re.compile(r"^\s*(?:no\s+)?banner\b")

# A question in the middle of a stream (DIALOG_RE without its end anchor): `...? [..]`,
# `[..]? ` or `[..]: `.
QUESTION_RE: Final = re.compile(r"(?m)^[^\n]*(?:\?\s*\[[^\]\n]*\]|\[[^\]\n]*\]\s*[?:])")
# a prompt at the start of a line, wherever it is in the stream (PROMPT_RE needs the end)
PROMPT_ANYWHERE_RE: Final = re.compile(r"(?:^|\n)" + PROMPT + r" ?")

STOPPED_NOTE: Final = (
    "typed ahead before the push was stopped; IOS ran it, and the rollback undoes it"
)
TYPED_AHEAD_NOTE: Final = (
    "typed ahead before IOS refused an earlier line; IOS ran it, and the rollback undoes it"
)


def may_ask(line: str) -> bool:
    return any(pattern.search(line) for pattern, _why in MAY_ASK)


def can_pipeline(lines: list[str]) -> bool:
    """A change with a banner goes line by line (its text has no prompts to match)."""
    return len(lines) > 1 and not any(BANNER_RE.match(line) for line in lines)


class Window:
    """One pipelined `send_config`: `run()` types every line, reads every answer."""

    def __init__(
        self,
        device: Device,
        lines: list[str],
        on_line: Callable[[LineAnswer], None] | None,
        budget: int = WINDOW_BYTES,
        end: bool = True,
        alone: Collection[int] = (),
    ) -> None:
        self.device = device
        # lines the caller wants typed alone (the management path): each only once every
        # line before it was accepted, and nothing after it before it was
        self.alone = frozenset(alone)
        # `end` typed ahead after the last line (not if a line is refused first): its
        # answer, the exec prompt, is read like the others and given to no line
        self.ends = end
        self.ended = False
        self.lines = [*lines, "end"] if end else list(lines)
        self.echoes = [line.strip() for line in self.lines]
        self.on_line = on_line
        self.budget = max(1, budget)
        self.answers: list[LineAnswer] = []
        self.pending: deque[int] = deque()  # typed, not answered yet, in order
        self.inflight = 0  # bytes of `pending`
        self.buf = ""  # output read and not yet given to a line
        self.mode = "config"  # the mode of the last prompt read
        self.failed: ConfigLineError | None = None
        self.note = ""  # said of each answer read from now on

    # -- the loop ---------------------------------------------------------------------

    def run(self) -> list[LineAnswer]:
        timeout = self.device.options.read_timeout
        index = 0
        while self.pending or (self.failed is None and index < len(self.lines)):
            if self.failed is None and index < len(self.lines):
                index = self._type(index, timeout)
            if self.pending:
                self._read_one(timeout)
        if self.failed is not None:
            raise self.failed
        return self.answers

    def _type(self, index: int, timeout: float) -> int:
        """Type lines from `index` while the window has room; the next index to type."""
        chunk: list[int] = []
        if self.pending and self.inflight > self.budget * REFILL:
            return index
        room = self.budget - self.inflight
        while index < len(self.lines):
            line = self.lines[index]
            alone = may_ask(line) or index in self.alone
            # `exit` leaves the sub-mode only if IOS is in it: were the line that opened
            # it refused, an `exit` typed ahead would leave config mode and the lines
            # after it would run as exec commands. So IOS's mode is read first.
            drain = alone or self.echoes[index] == "exit"
            if drain and (self.pending or chunk):
                break
            if (self.pending or chunk) and len(line) + 1 > room:
                break
            if alone or (drain and self.mode == "config"):
                self._one_at_a_time(index, timeout)
                return index + 1
            chunk.append(index)
            room -= len(line) + 1
            if drain:
                break
            index += 1
        if chunk:
            self._write(chunk)
            return chunk[-1] + 1
        return index

    def _write(self, chunk: list[int]) -> None:
        conn = self.device.conn
        if conn is None or not self.device.alive:
            raise SessionLost(self.device.name, "the SSH session is closed")
        text = "".join(self.lines[i] + conn.RETURN for i in chunk)
        try:
            conn.write_channel(text)
        except (OSError, EOFError) as exc:
            raise SessionLost(self.device.name, f"session lost: {exc}") from None
        for i in chunk:
            self.pending.append(i)
            self.inflight += len(self.lines[i]) + 1

    def _one_at_a_time(self, index: int, timeout: float) -> None:
        """A line that may ask a question: typed alone, its known questions answered."""
        line = self.lines[index]
        answer, mode, notes = self.device._converse(line, DIALOGS, timeout)
        self.mode = mode
        self._record(index, answer, "; ".join(notes))
        if mode == "dialog" or failure_in(answer) or not in_config(mode):
            raise ConfigLineError(self.device.name, line, answer, index, mode == "dialog")

    # -- reading ----------------------------------------------------------------------

    def _read_one(self, timeout: float) -> None:
        """Read until the oldest line in flight is answered, and give it its answer."""
        deadline = time.monotonic() + timeout
        while not self._take():
            self._pull(deadline)

    def _take(self) -> bool:
        """Give the oldest line in flight its answer, if all of it has been read."""
        index = self.pending[0]
        echo = self.echoes[index]
        at = self.buf.find(echo)
        if at < 0:
            return False
        rest = self.buf[at + len(echo) :]
        # the next line's echo; its leading spaces (a sub-mode line's, as typed) are not
        # told from the one a prompt may end with
        following = self.echoes[self.pending[1]] if len(self.pending) > 1 else None
        for number, match in enumerate(PROMPT_ANYWHERE_RE.finditer(rest)):
            after = rest[match.end() :]
            typed = after.lstrip(" ")
            if following is None:
                if without_unsolicited(after).strip():
                    continue
            elif not typed.startswith(following):
                if not following.startswith(typed):
                    continue  # followed by something else: not the prompt that ends it
                if number:
                    return False  # a later prompt, the next echo not all here: wait
                # the first prompt after the echo, the next echo not (all) here yet
            self._answered(index, rest[: match.end()])
            self.buf = after if following is not None else ""
            return True
        if open_dialog(rest) is not None:
            self._question(index, rest)
            return True
        return False

    def _answered(self, index: int, transcript: str) -> None:
        self.pending.popleft()
        self.inflight -= len(self.lines[index]) + 1
        mode = at_prompt(transcript) or "dialog"
        if self.ends and index == len(self.lines) - 1:
            self.mode = mode
            self.ended = True  # out of config mode: nothing more is typed in this window
            return
        answer = answer_lines(transcript)
        if QUESTION_RE.search(answer):
            # a question IOS asked and the lines typed ahead answered: not ours to judge
            self._question(index, transcript)
            return
        self.mode = mode
        note = TYPED_AHEAD_NOTE if self.failed is not None else self.note
        self._record(index, answer, note)
        if self.failed is None and (failure_in(answer) or not in_config(mode)):
            # IOS runs the lines already typed ahead: they are read (and recorded), the
            # window stops growing, and the error is raised once they are all in
            self.failed = ConfigLineError(self.device.name, self.lines[index], answer, index)

    def _question(self, index: int, transcript: str) -> None:
        """An unknown dialogue in the window: drop the session (IOS abandons it), fail."""
        answer = answer_lines(transcript)
        self.pending.clear()
        self.inflight = 0
        self._record(index, answer, "")
        self.device.close()
        raise ConfigLineError(self.device.name, self.lines[index], answer, index, True)

    def _record(self, index: int, answer: str, note: str) -> None:
        from iosgen.device.session import LineAnswer

        item = LineAnswer(self.lines[index], answer, note)
        self.answers.append(item)
        if self.on_line is not None:
            self.on_line(item)

    def _pull(self, deadline: float) -> None:
        """Wait for more output (select on the channel, never a sleep)."""
        conn = self.device.conn
        name = self.device.name
        what = repr(self.echoes[self.pending[0]]) if self.pending else "the window"
        if conn is None:
            raise SessionLost(name, "the SSH session is closed")
        chan = conn.remote_conn
        try:
            if chan.recv_ready():
                self.buf += str(conn.read_channel())
                return
            if chan.closed or chan.eof_received or not chan.get_transport().is_active():
                raise SessionLost(name, f"session closed by the router during {what}")
        except (OSError, EOFError) as exc:
            raise SessionLost(name, f"session lost during {what}: {exc}") from None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SessionLost(name, f"no answer within the read timeout during {what}")
        select.select([chan], [], [], min(remaining, 0.5))

    def drain(self) -> None:
        """Read the answers still in flight after an exception (a stop signal, say):
        IOS runs those lines anyway, so they are recorded, with a note."""
        deadline = time.monotonic() + self.device.options.read_timeout
        self.note = STOPPED_NOTE
        while self.pending:
            if not self._take():
                self._pull(deadline)


__all__ = ["MAY_ASK", "WINDOW_BYTES", "Window", "can_pipeline", "may_ask"]
