"""One SSH session to an IOS router: the only module that talks to netmiko and paramiko.

netmiko opens the session (login, `terminal width 511`, `terminal length 0`);
after that every command is written and its answer read here, against the
IOS facts in `iosgen.ios.dialogs`: the prompt, the error markers and the
dialogues IOS opens (`Destination filename [...]? `, the NAT
`Dynamic mapping in use ... [no]: `, the `Save?` of a `reload`). Reading
waits on the channel itself (select), not on sleeps, and a line that opens an
unknown dialogue fails at once instead of hanging until a timeout.

Host keys are pinned (a known-hosts file, or the key a targets file names);
enable mode is entered without netmiko's 10 s wait on a wrong secret; the
session log, when asked for, is redacted line by line. netmiko's and
paramiko's exceptions become `DeviceError`s naming the host.
"""

from __future__ import annotations

import contextlib
import functools
import re
import select
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from iosgen.device import sshconfig
from iosgen.device.hostkeys import (
    DEFAULT_KNOWN_HOSTS,
    KeyCheck,
    connection_class,
    fingerprint,
    host_keys,
    remember_key,
)
from iosgen.device.sessionlog import redacting_log
from iosgen.device.typeahead import WINDOW_BYTES, Window, can_pipeline
from iosgen.errors import (
    AuthError,
    CommandError,
    ConfigLineError,
    DeviceError,
    HostKeyError,
    SessionLost,
    UsageError,
)
from iosgen.ios.config import BANNER_RE
from iosgen.ios.dialogs import (
    DIALOGS,
    ENABLE_REFUSED_RE,
    RELOAD_DIALOGS,
    Dialog,
    answer_lines,
    at_prompt,
    banner_text_delimiter,
    failure_in,
    in_config,
    open_dialog,
    without_unsolicited,
)
from iosgen.ios.secrets import redact_line
from iosgen.model.targets import Target


class LineAnswer(NamedTuple):
    """One config line and IOS's answer to it; `note` says how a dialogue was answered."""

    line: str
    answer: str
    note: str = ""


class _TransientConnectError(DeviceError):
    """An SSH handshake that failed in a way worth one more try."""


@dataclass(frozen=True)
class DeviceOptions:
    known_hosts: Path | None = field(default_factory=lambda: DEFAULT_KNOWN_HOSTS)
    accept_new_host_key: bool = False
    conn_timeout: float = 5.0
    auth_timeout: float = 5.0
    read_timeout: float = 30.0
    session_log: Path | None = None
    # Extra values to hide in the session log (the revealed secrets of the site).
    hide: tuple[str, ...] = ()
    # A failed SSH handshake (a busy router, a lost packet) is tried again this many
    # times; a refused login or a host-key problem never is.
    connect_retries: int = 1
    # Config lines typed ahead of IOS's answers, in bytes (docs/pipelining.md); 0 types
    # one line at a time, each after the answer to the one before.
    typeahead_bytes: int = WINDOW_BYTES


class Device:
    """A context manager around one SSH session in enable mode."""

    def __init__(self, target: Target, options: DeviceOptions | None = None) -> None:
        self.target = target
        self.options = options or DeviceOptions()
        self.conn: Any = None
        self.local_address: str | None = None  # our address, as the router sees it
        self._last_raw = ""  # the last command's output as printed, prompt included
        self.last_window: Window | None = None  # the last pipelined send, for its figures
        self._jump: Any = None  # the jump host's SSH client, when the route has one

    @property
    def name(self) -> str:
        return self.target.hostname

    # -- connection -----------------------------------------------------------------

    def connect(self) -> Device:
        for attempt in range(self.options.connect_retries + 1):
            try:
                return self._connect_once()
            except _TransientConnectError:
                if attempt == self.options.connect_retries:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def _connect_once(self) -> Device:
        conn_class = connection_class(_prepare_session)
        check = KeyCheck(self.options.accept_new_host_key)
        # IOS 12.4 offers only the legacy algorithms: allowed unless the host says not
        route = sshconfig.resolve(self.target, legacy_default=True)
        if route.jump is None and self.target.ssh.identity_file is not None:
            raise UsageError(
                f"{self.name}: identity_file is for a jump host or a Linux box: IOS 12.4 "
                "logs in with the password only (docs/ssh.md)"
            )
        t = route.target
        disabled = sshconfig.disabled_algorithms(route.legacy)
        if route.host_key_algorithms is not None:  # the config file's, as OpenSSH reads it
            disabled["keys"] = sshconfig.host_key_disabled(route.host_key_algorithms, route.legacy)
        sock = self._open_jump(route)
        hide = tuple(
            v for v in (t.password.reveal(), t.enable_secret and t.enable_secret.reveal()) if v
        ) + tuple(self.options.hide)
        log = redacting_log(self.options.session_log, hide) if self.options.session_log else None
        try:
            self.conn = self._session(
                conn_class,
                t,
                host=t.host,
                port=t.port,
                username=t.username,
                password=t.password.reveal(),
                secret=t.enable_secret.reveal() if t.enable_secret else "",
                conn_timeout=self.options.conn_timeout,
                auth_timeout=self.options.auth_timeout,
                banner_timeout=self.options.conn_timeout,
                fast_cli=True,
                # 12.4 has no public-key user authentication (docs/ssh.md)
                use_keys=False,
                allow_agent=False,
                sock=sock,
                disabled_algorithms=disabled,
                session_log=log,
                iosgen_keys=host_keys(t, self.options.known_hosts),
                iosgen_check=check,
            )
        except BaseException:
            self._close_jump()
            raise
        if check.new_key is not None:
            remember_key(t, self.options.known_hosts, check.new_key)
        with contextlib.suppress(Exception):
            if self._jump is not None:
                # the router sees the jump host's address: at best, the one we
                # reached it at: what the management-path guard must keep
                self.local_address = str(self._jump.get_transport().getpeername()[0])
            else:
                sock = self.conn.remote_conn.get_transport().sock
                self.local_address = str(sock.getsockname()[0])
        self._enable()
        return self

    def _session(self, conn_class: Any, t: Target, **kw: Any) -> Any:
        """netmiko's connection to `t`, its exceptions made DeviceErrors naming the host."""
        from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

        check: KeyCheck = kw["iosgen_check"]
        try:
            return conn_class(**kw)
        except NetmikoAuthenticationException:
            raise AuthError(self.name, f"login as {t.username!r} was refused") from None
        except NetmikoTimeoutException as exc:
            if check.changed_key is not None:
                raise HostKeyError(
                    self.name,
                    f"SSH host key of {t.host}:{t.port} has CHANGED "
                    f"(now {fingerprint(check.changed_key)}): refusing to connect",
                    "if the router was really replaced, remove its old key from the known-hosts "
                    "file (or the targets file) and check the new one",
                ) from None
            if check.unknown_key is not None:
                raise HostKeyError(
                    self.name,
                    f"SSH host key of {t.host}:{t.port} is not known "
                    f"({fingerprint(check.unknown_key)})",
                    "check the fingerprint, then run again with --accept-new-host-key",
                ) from None
            raise _TransientConnectError(self.name, *self._unreachable_hint(exc, t)) from None
        except (OSError, EOFError, ValueError) as exc:
            raise _TransientConnectError(self.name, self._unreachable(exc, t)) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("netmiko", "paramiko")):
                raise _TransientConnectError(self.name, *self._unreachable_hint(exc, t)) from None
            raise

    def _unreachable_hint(self, exc: BaseException, t: Target) -> tuple[str, str | None]:
        """`_unreachable`, and a hint when modern algorithms alone found nothing in common."""
        text = self._unreachable(exc, t)
        hint = None
        if "SSH negotiation failed" in text and self.target.ssh.legacy_algorithms is False:
            hint = "an IOS 12.4 router offers only the legacy algorithms: legacy_algorithms: true"
        return text, hint

    def _open_jump(self, route: sshconfig.Route) -> Any:
        """The channel through the route's jump host, or None for a direct connection."""
        if route.jump is None:
            return None
        o = self.options
        try:
            self._jump, channel = sshconfig.open_channel(
                self.name,
                route,
                o.known_hosts,
                o.accept_new_host_key,
                o.conn_timeout,
                lambda exc: _connect_reason(exc, o.conn_timeout),
            )
        except (HostKeyError, AuthError):
            raise
        except DeviceError as exc:  # unreachable: worth the one more try of connect()
            detail = exc.message.removeprefix(f"{self.name}: ")
            raise _TransientConnectError(self.name, detail) from None
        return channel

    def _close_jump(self) -> None:
        sshconfig.close_quietly(self._jump)
        self._jump = None

    def _unreachable(self, exc: BaseException, t: Target | None = None) -> str:
        """`unreachable at HOST:PORT: REASON`, the reason found under netmiko's wrapper.

        netmiko replaces paramiko's and the socket's exceptions by its own, whose text
        is a checklist ("TCP connection to device failed. Common causes...") or a
        header with the cause on a later line; the real cause is in the chain.
        """
        t = t or self.target
        reason = _connect_reason(exc, self.options.conn_timeout)
        via = self.target.ssh.proxy_jump
        return (
            f"unreachable at {t.host}:{t.port}" + (f" through {via}" if via else "") + f": {reason}"
        )

    def _enable(self) -> None:
        """Enter enable mode; a wrong secret is an error at once, not a 10 s timeout."""
        if getattr(self.conn, "iosgen_mode", None) == "exec":
            return  # privilege 15 at login: `R-ITD#`
        if self.target.enable_secret is None:
            self.close()
            raise AuthError(self.name, "not in enable mode and no enable secret given")
        self._write("enable")
        out = self._read(_enable_answered, 10.0, "enable")
        if "assword:" in out:
            # the secret is not echoed: IOS answers with the prompt, or asks again
            self._write(self.target.enable_secret.reveal())
            out = self._read(
                lambda buf: (
                    at_prompt(buf) is not None
                    or "assword:" in buf
                    or ENABLE_REFUSED_RE.search(buf) is not None
                ),
                10.0,
                "enable",
            )
        if at_prompt(out) != "exec":
            # IOS asks up to three times; the session is dropped instead.
            self.close()
            raise AuthError(
                self.name,
                "the enable secret was refused",
                "check enable_secret in the inventory (or `secret` in the targets file)",
            )

    def close(self) -> None:
        if self.conn is not None:
            # A dead session is already closed; nothing to report.
            with contextlib.suppress(Exception):
                self.conn.disconnect()
            self.conn = None
        self._close_jump()

    @property
    def alive(self) -> bool:
        if self.conn is None:
            return False
        chan = self.conn.remote_conn
        return bool(chan is not None and not chan.closed and chan.get_transport().is_active())

    def __enter__(self) -> Device:
        return self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- the channel ----------------------------------------------------------------

    def _write(self, text: str) -> None:
        # netmiko's session log records what the router sends, not what is typed
        # (record_writes is off), so an enable secret typed here never reaches it.
        if not self.alive:
            raise SessionLost(self.name, "the SSH session is closed")
        try:
            self.conn.write_channel(text + self.conn.RETURN)
        except (OSError, EOFError) as exc:
            raise SessionLost(self.name, f"session lost: {_short(exc)}") from None

    def _read(self, done: Callable[[str], bool], timeout: float, what: str) -> str:
        """Read until `done(output)`; wakes on the channel's own readiness, never sleeps."""
        if self.conn is None:
            raise SessionLost(self.name, "the SSH session is closed")
        return _read_until(self.conn, done, timeout, self.name, what)

    def _converse(
        self, text: str, dialogs: tuple[Dialog, ...], timeout: float, log: bool = True
    ) -> tuple[str, str, list[str]]:
        """Send one line; answer known dialogues; return (answer, final mode, notes).

        The answer is everything IOS printed after the echo of `text`, up to the
        prompt. An unknown dialogue ends the exchange with mode "dialog".
        """
        self._write(text)
        echo = text.strip()
        notes: list[str] = []
        transcript = ""
        while True:
            out = self._read(
                functools.partial(_answered, echo=echo),
                timeout,
                repr(redact_line(echo, self.options.hide)) if log else "a secret",
            )
            rest = _after_echo(out, echo) or ""
            mode = at_prompt(rest)
            if mode is not None:
                transcript += rest
                self._last_raw = transcript
                return answer_lines(transcript), mode, notes
            question = open_dialog(rest) or ""
            known = next((d for d in dialogs if d.pattern.search(question)), None)
            transcript += rest
            if known is None:
                # A question iosgen has no answer for (`Save? [yes/no]:` of a `reload`,
                # say). Any reply could be the wrong one, and Ctrl-C is not honoured by
                # every dialogue; IOS abandons a dialogue when its vty session ends, so
                # the session is dropped and the caller reconnects to roll back.
                self.close()
                return answer_lines(transcript), "dialog", notes
            if known.note:
                notes.append(known.note)
            echo = known.reply
            self._write(known.reply)
            if not known.reply:
                echo = ""

    # -- banners ----------------------------------------------------------------------

    def _banner_aware(self, timeout: float) -> Callable[[str], tuple[str, str, list[str]]]:
        """Types config lines as `_converse` does, a banner's text as IOS takes it.

        After `banner motd ^C` IOS prints `Enter TEXT message.  End with the character
        '^C'.` and no prompt until the line holding the delimiter (iosgen.ios.dialogs):
        each text line is answered by its echo alone.
        """
        delim: str | None = None  # while a banner's text is typed: the delimiter IOS waits for

        def type_line(line: str) -> tuple[str, str, list[str]]:
            nonlocal delim
            if delim is not None:
                ends = delim in line
                if ends:
                    delim = None
                return self._banner_text(line, ends, timeout)
            opened = BANNER_RE.match(line.strip())
            if opened is None or opened["delim"] in opened["rest"]:
                return self._converse(line, DIALOGS, timeout)
            answer, mode = self._banner_head(line, timeout)
            if mode == "banner":
                delim = banner_text_delimiter(answer) or opened["delim"]
                mode = "config"
            return answer, mode, []

        return type_line

    def _banner_head(self, line: str, timeout: float) -> tuple[str, str]:
        """`banner KIND D`: (answer, "banner") once IOS asks for the text, or its prompt."""
        self._write(line)
        echo = line.strip()

        def done(buf: str) -> bool:
            rest = _after_echo(buf, echo)
            return rest is not None and (
                banner_text_delimiter(rest) is not None or _answered(buf, echo)
            )

        out = self._read(done, timeout, repr(redact_line(echo, self.options.hide)))
        rest = _after_echo(out, echo) or ""
        self._last_raw = rest
        mode = at_prompt(rest)
        if mode is None and banner_text_delimiter(rest) is not None:
            return answer_lines(rest), "banner"
        if mode is None:  # a question instead: dropped, as `_converse` drops an unknown one
            self.close()
        return answer_lines(rest), mode or "dialog"

    def _banner_text(self, line: str, ends: bool, timeout: float) -> tuple[str, str, list[str]]:
        """A line of a banner's text: IOS echoes it; the line with the delimiter gets the prompt."""
        self._write(line)
        echo = line.strip()

        def done(buf: str) -> bool:
            rest = _after_echo(buf, echo)
            if rest is None:
                return False
            return at_prompt(rest) is not None if ends else "\n" in rest

        out = self._read(done, timeout, "a line of banner text")
        rest = _after_echo(out, echo) or ""
        self._last_raw = rest
        if not ends:
            return "", "config", []
        return answer_lines(rest), at_prompt(rest) or "dialog", []

    # -- exec commands ----------------------------------------------------------------

    def command(self, command: str, read_timeout: float | None = None) -> str:
        """Run an exec command, answering the known dialogues; return its output."""
        answer, mode, _notes = self._converse(
            command, DIALOGS, read_timeout or self.options.read_timeout
        )
        if mode == "dialog":
            raise CommandError(self.name, command, answer)
        return answer

    def checked(self, command: str, read_timeout: float | None = None) -> str:
        """`command`, and any `%` error line in its output is a `CommandError`."""
        out = self.command(command, read_timeout)
        if failure_in(out):
            raise CommandError(self.name, command, out)
        return out

    def running_config(self) -> str:
        """`show running-config` as IOS prints it, blank lines kept, without the prompt."""
        self.command("show running-config")
        lines = self._last_raw.replace("\r", "").split("\n")
        if lines and at_prompt("\n" + lines[-1]) is not None:
            lines = lines[:-1]
        text = "\n".join(lines)
        return text[1:] if text.startswith("\n") else text

    def startup_config(self) -> str | None:
        """`show startup-config` without its `Using N out of M bytes` line; None if none."""
        out = self.command("show startup-config")
        if "startup-config is not present" in out or failure_in(out):
            return None
        lines = out.split("\n")
        if lines and lines[0].startswith("Using "):
            lines = lines[1:]
        return "\n".join(lines)

    def copy_running_to(self, filename: str) -> str:
        """`copy running-config flash:NAME` (the `Destination filename` dialogue answered)."""
        return self.checked(f"copy running-config flash:{filename}")

    def delete_file(self, filename: str) -> str:
        return self.checked(f"delete flash:{filename}")

    def flash_files(self) -> list[str]:
        out = self.command("dir flash:")
        return re.findall(r"^\s*\d+\s+\S+\s+\d+.*?\s(\S+)\s*$", out, flags=re.M)

    def configure_replace(self, filename: str, minutes: int | None = None) -> str:
        """`configure replace flash:NAME force [time MIN]`: the router's own rollback."""
        command = f"configure replace flash:{filename} force"
        if minutes:
            command += f" time {minutes}"
        out = self.checked(command, read_timeout=max(self.options.read_timeout, 120.0))
        return out

    def configure_confirm(self) -> str:
        # A refused confirm leaves the revert timer running: it must not pass unseen.
        return self.checked("configure confirm")

    def reload_in(self, minutes: int) -> list[str]:
        """`reload in N`: the dead-man switch (`Save?` answered `no`, then confirmed).

        Returns the notes of the dialogues answered."""
        answer, mode, notes = self._converse(
            f"reload in {minutes}", RELOAD_DIALOGS, self.options.read_timeout
        )
        if mode == "dialog" or failure_in(answer):
            raise CommandError(self.name, f"reload in {minutes}", answer)
        return notes

    def reload_cancel(self) -> str:
        return self.checked("reload cancel")

    def reload_now(self) -> None:
        """`reload` (`Save?` answered `no`): back to the startup config; the session ends."""
        try:
            answer, mode, _notes = self._converse("reload", RELOAD_DIALOGS, 10.0)
        except SessionLost:
            self.close()
            return
        if mode == "dialog" or failure_in(answer):
            raise CommandError(self.name, "reload", answer)
        # the prompt came back before the session dropped: wait for the drop
        with contextlib.suppress(DeviceError):
            self._read(lambda _buf: False, 10.0, "reload")
        self.close()

    def write_memory(self) -> str:
        out = self.checked("write memory", read_timeout=max(self.options.read_timeout, 100.0))
        return out

    # -- config mode ----------------------------------------------------------------

    def send_config(
        self,
        lines: list[str],
        on_line: Callable[[LineAnswer], None] | None = None,
        alone: Collection[int] = (),
    ) -> list[LineAnswer]:
        """Send lines in config mode, checking IOS's answer to every one.

        Typed ahead in a window unless `typeahead_bytes` is 0; the lines at the
        indexes `alone` are typed on their own (docs/pipelining.md).

        A line IOS refuses (`% Invalid input ...`), or one that opens a dialogue
        iosgen does not know, raises `ConfigLineError` with IOS's exact answer;
        the lines before it are applied. Config mode is left before returning or
        raising, if the session is still up.
        """
        if self.options.typeahead_bytes and can_pipeline(lines):
            return self._send_typed_ahead(lines, on_line, alone)
        answers: list[LineAnswer] = []
        timeout = self.options.read_timeout
        _answer, mode, _ = self._converse("configure terminal", (), timeout)
        if not in_config(mode):
            raise CommandError(self.name, "configure terminal", _answer)
        try:
            type_line = self._banner_aware(timeout)
            for index, line in enumerate(lines):
                answer, mode, notes = type_line(line)
                item = LineAnswer(line, answer, "; ".join(notes))
                answers.append(item)
                if on_line is not None:
                    on_line(item)
                if mode == "dialog" or failure_in(answer) or not in_config(mode):
                    raise ConfigLineError(self.name, line, answer, index, mode == "dialog")
        finally:
            if self.alive:
                with contextlib.suppress(DeviceError):
                    self._converse("end", (), timeout)
        return answers

    def _send_typed_ahead(
        self,
        lines: list[str],
        on_line: Callable[[LineAnswer], None] | None,
        alone: Collection[int] = (),
    ) -> list[LineAnswer]:
        """`send_config` with a window of lines in flight (`iosgen.device.typeahead`)."""
        timeout = self.options.read_timeout
        answer, mode, _ = self._converse("configure terminal", (), timeout)
        if not in_config(mode):
            raise CommandError(self.name, "configure terminal", answer)
        window = Window(self, lines, on_line, self.options.typeahead_bytes, alone=alone)
        self.last_window = window
        try:
            return window.run()
        finally:
            if self.alive and window.pending:
                # stopped with lines in flight: IOS runs them anyway; read their answers
                # so that nothing typed later is matched against them
                try:
                    window.drain()
                except DeviceError:
                    self.close()
            if self.alive and not window.ended:
                with contextlib.suppress(DeviceError):
                    self._converse("end", (), timeout)


def _read_until(
    conn: Any, done: Callable[[str], bool], timeout: float, host: str, what: str
) -> str:
    """Read netmiko's channel until `done(output)`, waiting on the channel (select)."""
    chan = conn.remote_conn
    buf = ""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if chan.recv_ready():
                buf += str(conn.read_channel())
                if done(buf):
                    return buf
                continue
            if chan.closed or chan.eof_received or not chan.get_transport().is_active():
                raise SessionLost(host, f"session closed by the router during {what}")
        except (OSError, EOFError) as exc:
            raise SessionLost(host, f"session lost during {what}: {_short(exc)}") from None
        if done(buf):
            return buf
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SessionLost(host, f"no answer within {timeout:.0f} s during {what}", _tail(buf))
        select.select([chan], [], [], min(remaining, 0.5))


def _prepare_session(conn: Any, host: str, timeout: float) -> None:
    """What netmiko's IOS session preparation does, without its fixed sleeps (~0.17 s).

    Waits for the prompt IOS prints after login, then `terminal width 511` and
    `terminal length 0` (no `--More--` paging), and keeps the base prompt netmiko
    wants: the hostname, cut to 16 characters as IOS cuts it in config prompts.
    Nothing is typed before the answer to the previous line is read in full (no
    bare Enter "to see the prompt"): an answer left unread would be taken for the
    answer to the next line.
    """
    _read_until(conn, lambda b: at_prompt(b) is not None, timeout, host, "login")
    for command in ("terminal width 511", "terminal length 0"):
        conn.write_channel(command + conn.RETURN)
        out = _read_until(conn, functools.partial(_answered, echo=command), timeout, host, command)
    prompt = out.replace("\r", "").rstrip().split("\n")[-1].strip()
    conn.base_prompt = prompt[:-1][:16]
    conn.iosgen_mode = at_prompt(out)


def _enable_answered(buf: str) -> bool:
    """`enable` echoed, then `Password: ` (or a prompt: no secret is set)."""
    rest = _after_echo(buf, "enable")
    return rest is not None and ("assword:" in rest or at_prompt(rest) is not None)


def _answered(buf: str, echo: str) -> bool:
    """IOS has echoed the line and now waits: at a prompt, or on a question."""
    rest = _after_echo(buf, echo)
    return rest is not None and (at_prompt(rest) is not None or open_dialog(rest) is not None)


def _after_echo(buf: str, echo: str) -> str | None:
    """The output after the echo of the line just typed, or None while it has not come."""
    if not echo:
        return buf
    index = buf.find(echo)
    # a broadcast after the prompt (`*** --- SHUTDOWN ABORTED ---`) is not the answer
    return None if index < 0 else without_unsolicited(buf[index + len(echo) :])


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it was raised from or during, outermost first; the
    per-address errors of paramiko's NoValidConnectionsError included."""
    out: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop(0)
        if any(current is seen for seen in out) or len(out) > 20:
            continue
        out.append(current)
        errors = getattr(current, "errors", None)
        if isinstance(errors, dict):
            todo += [e for e in errors.values() if isinstance(e, BaseException)]
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]
    return out


def _socket_reason(cause: BaseException) -> str | None:
    """A socket error that says it all: no such name, refused, no route."""
    import errno
    import socket

    if isinstance(cause, socket.gaierror):
        return f"the host name does not resolve ({cause.strerror or cause})"
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused (nothing listens on that port)"
    if isinstance(cause, OSError) and cause.errno in {errno.EHOSTUNREACH, errno.ENETUNREACH}:
        return f"no route to the host ({cause.strerror})"
    return None


def _handshake_reason(causes: list[BaseException], timeout: float) -> str | None:
    """paramiko's texts for a server that accepted TCP but never spoke SSH."""
    texts = [str(c) for c in causes]
    silent = f"no SSH handshake within {timeout:g} s (a busy router, or not an SSH server)"
    if any("Error reading SSH protocol banner" in text for text in texts):
        if any(isinstance(c, EOFError | ConnectionResetError) for c in causes):
            return "closed before the SSH greeting (a busy router, or not an SSH server)"
        return silent
    if any("No existing session" in text for text in texts):
        # paramiko's transport was not up when its timeout ran out (the same silent
        # server gives this or the banner error, as the two timers race)
        return silent
    return None


def _dropped_reason(cause: BaseException, timeout: float) -> str | None:
    """A connection that timed out, or was reset or closed during the handshake."""
    if isinstance(cause, TimeoutError):
        return f"no answer within {timeout:g} s (connection timed out)"
    if isinstance(cause, ConnectionResetError):
        return "the connection was reset during the SSH handshake"
    if isinstance(cause, EOFError):
        return "the connection was closed during the SSH handshake"
    return None


def _connect_reason(exc: BaseException, timeout: float) -> str:
    """One short reason for a failed connection: refused, timed out, no route, no name,
    closed before SSH started, SSH negotiation failed (most telling first)."""
    causes = _causes(exc)
    found = next((r for c in causes if (r := _socket_reason(c)) is not None), None)
    found = found or _handshake_reason(causes, timeout)
    found = found or next(
        (r for c in causes if (r := _dropped_reason(c, timeout)) is not None), None
    )
    if found is not None:
        return found
    for cause in causes:
        if type(cause).__module__.startswith("paramiko") and str(cause).strip():
            # "Incompatible ssh peer (no acceptable kex algorithm)", ...
            return f"SSH negotiation failed: {_short(cause)}"
    for cause in reversed(causes):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[0].lower() + cause.strerror[1:]
    return _short(causes[-1])


def _tail(buf: str) -> str:
    """The last line the router printed, for the error hint: it may be a config line
    with a secret (` ppp chap password 7 ...`), so it is redacted like a log line."""
    from iosgen.ios.secrets import redact_line

    lines = [line for line in buf.splitlines() if line.strip()]
    return f"last output: {redact_line(lines[-1])[-120:]!r}" if lines else "no output at all"


def _short(exc: BaseException) -> str:
    text = [line for line in str(exc).strip().splitlines() if line.strip()]
    return text[0] if text else type(exc).__name__


# The exceptions live in iosgen.errors; the names stay importable from here.
__all__ = [
    "DEFAULT_KNOWN_HOSTS",
    "AuthError",
    "CommandError",
    "ConfigLineError",
    "Device",
    "DeviceError",
    "DeviceOptions",
    "HostKeyError",
    "KeyCheck",
    "LineAnswer",
    "SessionLost",
    "fingerprint",
]
