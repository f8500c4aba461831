"""SSH on loopback for one simulated router (asyncssh), as a 2801 on 12.4 offers it.

12.4's SSH server: an RSA host key signed with `ssh-rsa` (SHA-1), key exchange
diffie-hellman-group1-sha1 / group14-sha1, aes128/192/256-cbc, hmac-sha1, no
compression, password login. `modern_ssh` lifts the algorithm limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import socket
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncssh

from iosgen.sim.router import Router
from iosgen.sim.shell import Shell

log = logging.getLogger(__name__)

LEGACY_KEX = ("diffie-hellman-group14-sha1", "diffie-hellman-group1-sha1")
LEGACY_CIPHERS = ("aes128-cbc", "aes192-cbc", "aes256-cbc")
LEGACY_MACS = ("hmac-sha1",)
KEY_BITS = 1024  # `crypto key generate rsa modulus 1024`, the usual size on a 2801


def load_or_create_key(path: Path) -> asyncssh.SSHKey:
    """The router's persistent RSA host key (created on first start).

    A private key: the file is the owner's only (0600) in a folder that is too
    (0700), as OpenSSH keeps its own; a key left readable by an older version is
    closed up when it is read.
    """
    private_dir(path.parent)
    if path.exists():
        os.chmod(path, 0o600)
        return asyncssh.read_private_key(path)
    key = asyncssh.generate_private_key("ssh-rsa", key_size=KEY_BITS)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
    return key


def private_dir(path: Path) -> None:
    """Make `path` (and missing parents) a folder only its owner can enter."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def public_key_text(key: asyncssh.SSHKey) -> str:
    return (
        key.export_public_key("openssh").decode().split()[0]
        + " "
        + (key.export_public_key("openssh").decode().split()[1])
    )


class _Session(asyncssh.SSHServerSession[bytes]):
    """One interactive session: bytes from the client into a Shell and back."""

    def __init__(self, router: Router, username: str) -> None:
        self._router = router
        self._shell = Shell(router, username)
        self._chan: Any = None
        self._due = 0.0
        self._loop = asyncio.get_event_loop()
        self._later = _InFlight()  # delay-ms answers, and what must follow them, in order
        self._hangup: Any = None  # the connection to close once the channel has

    def connection_made(self, chan: Any) -> None:
        self._chan = chan

    def connection_lost(self, exc: Exception | None) -> None:
        if self._hangup is not None:
            self._hangup.close()

    def pty_requested(self, term_type: str, term_size: Any, term_modes: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        return False

    def session_started(self) -> None:
        with self._router.lock:
            self._send(self._shell.greeting(), True)
        if self._shell.closed:  # an autocommand ran and the router hung up
            self._close_later()

    def data_received(self, data: bytes, datatype: Any) -> None:
        try:
            chunks = self._shell.feed(data.decode("latin-1"))
        except Exception as exc:  # a simulator bug: say so on the wire, keep the session
            log.exception("simulator error on %s", self._router.spec.hostname)
            chunks = [(f"\n% simulator error: {exc!r}\n{self._shell.prompt()}", True)]
        if self._delay() or self._due > self._loop.time():
            for text, answer in chunks:
                if text:
                    self._send(text, answer)
        else:  # echo, answer and prompt in one write: one packet, as netmiko likes it
            self._send("".join(text for text, _ in chunks), False)
        if self._shell.syslog:
            # a moment after the prompt, as IOS's logger process does
            for message in self._shell.syslog:
                when = max(self._due, self._loop.time()) + 0.005
                data = message.replace("\n", "\r\n").encode()
                self._later.put_at(when, functools.partial(self._write, data))
            self._shell.syslog.clear()
        if self._shell.closed:
            self._close_later()

    def _delay(self) -> float:
        fault = self._router.fault("delay-ms")
        return int(fault.value) / 1000.0 if fault else 0.0

    def _send(self, text: str, answer: bool) -> None:
        data = text.replace("\n", "\r\n").encode("latin-1", "replace")
        delay = self._delay() if answer else 0.0
        now = self._loop.time()
        if delay or self._due > now:
            self._due = max(self._due, now) + delay
            self._later.put_at(self._due, functools.partial(self._write, data))
        else:
            self._write(data)

    def _write(self, data: bytes) -> None:
        chan = self._chan
        if chan is not None and not chan.is_closing():
            chan.write(data)

    def _close_later(self) -> None:
        def close() -> None:
            chan = self._chan
            if chan is not None:
                conn = chan.get_extra_info("connection")
                if self._shell.reload_requested:
                    self._router.reload_now()  # drops every session
                elif self._shell.dropped and conn is not None:
                    conn.abort()  # the link just dies
                else:  # `exit`: the router ends the session cleanly
                    # the connection goes once the channel has closed, so what is
                    # still queued on it (the last answer) reaches the client first
                    self._hangup = conn
                    chan.close()

        self._later.put_at(max(self._due, self._loop.time()), close)

    def eof_received(self) -> bool:
        return False

    def break_received(self, msec: int) -> bool:
        return False


class _Server(asyncssh.SSHServer):
    def __init__(self, router: Router, live: set[Any]) -> None:
        self._router = router
        self._username = ""
        self._live = live
        self._conn: Any = None

    def connection_made(self, conn: Any) -> None:
        self._conn = conn
        if not vty_accepts(self._router, "ssh"):
            # No vty line takes SSH (`transport input telnet`): IOS finds no line for
            # the connection and drops it before the SSH exchange.
            log.info("%s: no vty line accepts ssh, connection dropped", self._router.hostname)
            conn.abort()
            return
        self._live.add(conn)
        _slow_link(conn, self._router)
        _quick_ack(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self._live.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        self._username = username
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self._router.check_login(username, password)

    def session_requested(self) -> _Session:
        session = _Session(self._router, self._username)
        return session


# IOS 12.4's default for `transport input` on the vty lines is `all` (the Cisco IOS
# Terminal Services Command Reference, "transport input": "Default: all" before 15.x
# images changed it to none); `transport input telnet` leaves SSH out.
TRANSPORT_DEFAULT = ("all",)


def vty_accepts(router: Router, protocol: str) -> bool:
    """Whether some vty line lets `protocol` (ssh, telnet) log in."""
    blocks = [
        ln
        for ln in router.running.root
        if ln.words[:2] == ["line", "vty"] and ln.children is not None
    ]
    if not blocks:
        return True
    for block in blocks:
        words: list[str] = list(TRANSPORT_DEFAULT)
        for ln in block.children or []:
            if ln.words[:2] == ["transport", "input"] and not ln.negated:
                words = ln.words[2:]
        if protocol in words or "all" in words:
            return True
    return False


def _cancel(handle: object) -> None:
    if isinstance(handle, asyncio.TimerHandle):
        handle.cancel()


class _InFlight:
    """Things due later, done in the order they were put, each at its time or after.

    One direction of a link N ms long (each chunk handed on N ms after it was sent,
    however many are on the way: a pipe, not a queue), or a slow router's answers.
    asyncio's timers alone would not do: two due at the same instant may run in
    either order, and an echo would overtake the answer before it.
    """

    def __init__(self) -> None:
        self._loop = asyncio.get_event_loop()
        self._queue: deque[tuple[float, Callable[[], None]]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def last_due(self) -> float:
        return self._queue[-1][0] if self._queue else 0.0

    def put(self, fn: Callable[[], None], delay: float) -> None:
        if not delay and not self._queue:
            fn()
            return
        self.put_at(self._loop.time() + delay, fn)

    def put_at(self, due: float, fn: Callable[[], None]) -> None:
        # never before what was put earlier, even if the delay just changed
        self._queue.append((max(due, self.last_due), fn))
        if self._timer is None:
            self._timer = self._loop.call_at(self._queue[0][0], self._flush)

    def _flush(self) -> None:
        self._timer = None
        now = self._loop.time()
        while self._queue and self._queue[0][0] <= now:
            self._queue.popleft()[1]()
        if self._queue:
            self._timer = self._loop.call_at(self._queue[0][0], self._flush)


def _slow_link(conn: Any, router: Router) -> None:
    """The latency-ms fault: every byte of the TCP stream, both ways and from the SSH
    greeting on, N ms late, with bytes kept in flight; read per chunk, so a fault set
    while a session is open applies from then on.

    It sits under asyncssh's SSH layer, on its raw-bytes hooks (`data_received`, and
    `_send`, the one method that writes to the transport), so the encryption and the
    shell above see a real link's timing, not a slow router's.
    """
    received = conn.data_received
    send = conn._send

    def delay() -> float:
        fault = router.fault("latency-ms")
        return int(fault.value) / 1000.0 if fault else 0.0

    def deliver_in(data: bytes) -> None:
        if not conn.is_closed():
            received(data)

    inbound = _InFlight()
    outbound = _InFlight()

    def data_received(data: bytes, datatype: Any = None) -> None:
        inbound.put(functools.partial(deliver_in, data), delay())

    def send_later(data: bytes) -> None:
        # asyncssh's `_send` drops data once the transport is gone
        outbound.put(functools.partial(send, data), delay())

    conn.data_received = data_received
    conn._send = send_later


def _quick_ack(conn: Any) -> None:
    """ACK every segment at once (Linux TCP_QUICKACK, re-armed on each read).

    SSH clients (paramiko) write small packets back to back without TCP_NODELAY;
    with the kernel's delayed ACK each such pair stalls 40 ms in the handshake and
    after every command. A router answers promptly, so the simulator ACKs promptly.
    """
    quickack = getattr(socket, "TCP_QUICKACK", None)
    sock = conn.get_extra_info("socket")
    if quickack is None or sock is None:
        return
    received = conn.data_received

    def data_received(data: bytes, datatype: Any = None) -> None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
        received(data, datatype)

    conn.data_received = data_received


class RouterServer:
    """The listening SSH endpoint of one router."""

    def __init__(self, router: Router, key: asyncssh.SSHKey, modern_ssh: bool) -> None:
        self.router = router
        self.key = key
        self.modern_ssh = modern_ssh
        self.port = 0
        self._acceptor: Any = None
        self._live: set[Any] = set()

    def _options(self) -> dict[str, Any]:
        kw: dict[str, Any] = {
            "server_host_keys": [self.key],
            "line_editor": False,
            "allow_pty": True,
            "agent_forwarding": False,
            "x11_forwarding": False,
            "allow_scp": False,
            "login_timeout": 60,
            "encoding": None,
        }
        if not self.modern_ssh:
            # Offer the RSA key with SHA-1 signatures only, as 12.4 does (no rsa-sha2-*).
            self.key.sig_algorithms = (b"ssh-rsa",)
            kw |= {
                "kex_algs": list(LEGACY_KEX),
                "encryption_algs": list(LEGACY_CIPHERS),
                "mac_algs": list(LEGACY_MACS),
                "compression_algs": ["none"],
            }
        return kw

    async def start(self, port: int = 0) -> int:
        router = self.router
        loop = asyncio.get_running_loop()
        router.schedule = lambda delay, fn: loop.call_later(delay, fn)
        router.cancel = _cancel

        def drop_sessions() -> None:  # may be called from the test thread
            loop.call_soon_threadsafe(self._abort_all)

        router.drop_sessions = drop_sessions
        self._acceptor = await asyncssh.create_server(
            lambda: _Server(router, self._live),
            "127.0.0.1",
            port,
            reuse_address=True,
            **self._options(),
        )
        self.port = int(self._acceptor.sockets[0].getsockname()[1])
        return self.port

    def _abort_all(self) -> None:
        for conn in list(self._live):
            conn.abort()

    async def restart(self, key: asyncssh.SSHKey) -> None:
        """Listen again on the same port with another host key (new-host-key fault)."""
        self.key = key
        await self.stop(sessions=False)
        await self.start(self.port)

    async def stop(self, sessions: bool = True) -> None:
        """Stop listening; with `sessions`, also drop every open connection."""
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
            self._acceptor = None
        if sessions:
            live = list(self._live)
            for conn in live:
                conn.abort()
            for conn in live:
                await conn.wait_closed()
            self._live.clear()
