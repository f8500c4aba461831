"""One SSH session to a Linux box: commands, file reads and atomic writes, through paramiko.

The router's session (`iosgen.device.session`) types into an interactive
shell; a Linux box needs none: each command runs in its own exec channel
(`sh -c`) with its exit status, and files go up over SFTP. Host keys are
pinned with `iosgen.device.hostkeys` exactly as for routers. When the login
is not root every command runs under `sudo -S` with our own prompt: the
password goes to sudo's stdin, never on a command line, and a refusal is an
`AuthError` at the first command, before anything is written.

`root` is a prefix put before every managed path (`""` on a real box); the
tests point it at a throwaway folder, so a real sshd writes real files there
(`IOSGEN_LINUX_ROOT` for the command line's commands, which the tests run too).
paramiko's exceptions become `DeviceError`s naming the host.

The session log (`LinuxOptions.session_log`, as the router's `--session-log`):
each command and what it printed, appended, every line through the routers'
redaction (`iosgen.device.sessionlog.redact_text`) with the site's clear secrets
hidden. File contents never reach it: an upload is logged by path and size, and
a read of the managed files (base64, which no redaction would recognise) by the
paths read.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import posixpath
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from iosgen.device.hostkeys import DEFAULT_KNOWN_HOSTS, fingerprint, host_keys, remember_key
from iosgen.diff.linux import OWNER, BoxFile
from iosgen.errors import AuthError, DeviceError, HostKeyError, SessionLost
from iosgen.model.secret import Secret
from iosgen.model.targets import Target

ROOT_ENV = "IOSGEN_LINUX_ROOT"
# sudo's prompt, set with -p so that it is told apart from a command's output.
SUDO_PROMPT = "[iosgen-sudo] password: "
# What sudo prints when it refuses (sudo 1.9, plugins/sudoers/logging.c and check.c).
SUDO_REFUSED = ("incorrect password", "a password is required", "is not in the sudoers")


@dataclass(frozen=True)
class LinuxOptions:
    known_hosts: Path | None = field(default_factory=lambda: DEFAULT_KNOWN_HOSTS)
    accept_new_host_key: bool = False
    conn_timeout: float = 10.0
    read_timeout: float = 30.0
    key_file: Path | None = None  # a private key to log in with, else the password
    sudo_password: Secret | None = None  # management.sudo_password (else the login's)
    # test-only prefix before every managed path; the command line's commands take it
    # from IOSGEN_LINUX_ROOT (never set on a real box: the tree goes to /)
    root: str = field(default_factory=lambda: os.environ.get(ROOT_ENV, ""))
    session_log: Path | None = None  # appended, redacted (see the module's docstring)
    hide: tuple[str, ...] = ()  # clear-text secrets never written to the log


@dataclass(frozen=True)
class Result:
    status: int
    out: str
    err: str


class LinuxBox:
    """A context manager around one SSH connection to a Linux box (exec + SFTP)."""

    def __init__(self, target: Target, options: LinuxOptions | None = None) -> None:
        self.target = target
        self.options = options or LinuxOptions()
        self.client: Any = None
        self.local_address: str | None = None  # our address, as the box sees it
        self._jump: Any = None  # the jump host's SSH client, when the route has one

    @property
    def name(self) -> str:
        return self.target.hostname

    @property
    def sudo(self) -> bool:
        return self.target.username != "root"

    def path(self, rel: str) -> str:
        """The box's absolute path of a build path (`etc/ppp/peers/sofia`)."""
        return posixpath.join(self.options.root or "/", rel)

    # -- connection -----------------------------------------------------------------

    def connect(self) -> LinuxBox:
        """Log in as a router's session does (iosgen.device.session): the route of
        `sshconfig.resolve` (ssh_config's HostName, Port, User, IdentityFile,
        HostKeyAlgorithms; one ProxyJump hop through `sshconfig.open_channel`), modern
        algorithms unless `legacy_algorithms`, iosgen's key exchange."""
        import logging

        import paramiko

        from iosgen.device import kex, sshconfig

        logging.getLogger("paramiko").addHandler(logging.NullHandler())
        # a Linux box speaks OpenSSH: the legacy algorithms only when asked for
        route = sshconfig.resolve(self.target, legacy_default=False)
        t = route.target
        disabled = sshconfig.disabled_algorithms(route.legacy)
        disabled["keys"] = sshconfig.host_key_disabled(route.host_key_algorithms, route.legacy)
        user = self.target.username or route.user or ""
        self.target = replace(self.target, username=user)
        check: dict[str, Any] = {}
        accept = self.options.accept_new_host_key

        class _Policy(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
            def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
                if not accept:
                    check["unknown"] = key
                    raise paramiko.SSHException("unknown host key")
                check["new"] = key
                client.get_host_keys().add(hostname, key.get_name(), key)

        sock = None
        if route.jump is not None:
            self._jump, sock = sshconfig.open_channel(
                self.name,
                route,
                self.options.known_hosts,
                accept,
                self.options.conn_timeout,
                _short,
            )
        client = paramiko.SSHClient()
        for hostname, keys in host_keys(t, self.options.known_hosts).items():
            for key_type, key in keys.items():
                client.get_host_keys().add(hostname, key_type, key)
        client.set_missing_host_key_policy(_Policy())
        # iosgen's key option, else the ssh options' identity_file / IdentityFile
        own = self.options.key_file
        keys = [str(own)] if own else list(route.identity_files)
        via = f" through jump host {route.jump.spec}" if route.jump else ""
        try:
            client.connect(
                t.host,
                port=t.port,
                username=user,
                password=None if keys else t.password.reveal(),
                key_filename=keys or None,
                timeout=self.options.conn_timeout,
                banner_timeout=self.options.conn_timeout,
                auth_timeout=self.options.conn_timeout,
                allow_agent=False,
                look_for_keys=False,
                sock=sock,
                disabled_algorithms=disabled,
                transport_factory=kex.transport_factory(),
            )
        except paramiko.BadHostKeyException as exc:
            self._close_jump()
            raise HostKeyError(
                self.name,
                f"SSH host key of {t.host}:{t.port} has CHANGED "
                f"(now {fingerprint(exc.key)}): refusing to connect",
                "if the box was really replaced, remove its old key from the known-hosts file",
            ) from None
        except paramiko.AuthenticationException:
            self._close_jump()
            raise AuthError(self.name, f"login as {user!r} was refused{via}") from None
        except (paramiko.SSHException, OSError, EOFError) as exc:
            self._close_jump()
            if "unknown" in check:
                raise HostKeyError(
                    self.name,
                    f"SSH host key of {t.host}:{t.port} is not known "
                    f"({fingerprint(check['unknown'])})",
                    "check the fingerprint, then run again with --accept-new-host-key",
                ) from None
            raise DeviceError(
                self.name, f"unreachable at {t.host}:{t.port}{via}: {_short(exc)}"
            ) from None
        if "new" in check:
            remember_key(t, self.options.known_hosts, check["new"])
        self.client = client
        with contextlib.suppress(Exception):
            if self._jump is not None:
                # the box sees the jump host's address: at best the one we reached it
                # at, which the management-path guard must keep (as session.py)
                self.local_address = str(self._jump.get_transport().getpeername()[0])
            else:
                self.local_address = str(client.get_transport().sock.getsockname()[0])
        how = "sudo" if self.sudo else "root"
        self.log(f"-- {self.name}: connected to {t.host}:{t.port}{via} as {user} ({how})")
        return self

    def _close_jump(self) -> None:
        from iosgen.device.sshconfig import close_quietly

        close_quietly(self._jump)
        self._jump = None

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        self._close_jump()

    @property
    def alive(self) -> bool:
        transport = self.client.get_transport() if self.client is not None else None
        return bool(transport is not None and transport.is_active())

    def __enter__(self) -> LinuxBox:
        return self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- commands -------------------------------------------------------------------

    def log(self, text: str) -> None:
        """Append to the session log, redacted; a log that cannot be written is dropped
        (the push's own record is the one that must not be lost)."""
        path = self.options.session_log
        if path is None:
            return
        from iosgen.device.sessionlog import redact_text

        hide = (*self.options.hide, *self._secrets())
        try:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(redact_text(text.rstrip("\n"), hide) + "\n")
        except OSError:
            self.options = replace(self.options, session_log=None)

    def _secrets(self) -> tuple[str, ...]:
        values = [self.target.password.reveal()]
        if self.options.sudo_password is not None:
            values.append(self.options.sudo_password.reveal())
        return tuple(v for v in values if v)

    def run(
        self,
        script: str,
        *,
        privileged: bool = True,
        stdin: bytes = b"",
        log_output: bool = True,
    ) -> Result:
        """Run a shell script (as root: under sudo when the login is not root)."""
        result = self._run(script, privileged=privileged, stdin=stdin)
        shown = (result.out + result.err) if log_output else "(output not logged)\n"
        self.log(f"{self.name}$ {script.strip()}\n{shown}[exit {result.status}]")
        return result

    def _run(self, script: str, *, privileged: bool, stdin: bytes) -> Result:
        if not self.alive:
            raise SessionLost(self.name, "the SSH session is closed")
        command = f"sh -c {shlex.quote(script)}"
        feed = stdin
        if privileged and self.sudo:
            secret = self.options.sudo_password or self.target.password
            # -S: the password from stdin; -p: our prompt; -k: never a cached ticket,
            # so a wrong password is found at once and not at the next timeout.
            command = f"sudo -S -k -p {shlex.quote(SUDO_PROMPT)} -- {command}"
            feed = secret.reveal().encode() + b"\n" + stdin
        try:
            chan = self.client.get_transport().open_session(timeout=self.options.conn_timeout)
            chan.settimeout(self.options.read_timeout)
            chan.exec_command(command)
            if feed:
                chan.sendall(feed)
            chan.shutdown_write()
            out = _read_all(chan.recv)
            err = _read_all(chan.recv_stderr)
            status = chan.recv_exit_status()
            chan.close()
        except (TimeoutError, OSError, EOFError) as exc:
            raise SessionLost(self.name, f"session lost: {_short(exc)}") from None
        except Exception as exc:
            if type(exc).__module__.startswith("paramiko"):
                raise SessionLost(self.name, f"session lost: {_short(exc)}") from None
            raise
        if status == -1:
            raise SessionLost(self.name, "the session ended before the command did")
        err = err.replace(SUDO_PROMPT, "")
        if privileged and self.sudo and status != 0 and any(s in err for s in SUDO_REFUSED):
            raise AuthError(
                self.name,
                f"sudo refused {self.target.username!r}: {_short_text(err)}",
                "check management.sudo_password, and that the login may run sudo",
            )
        return Result(status, out, err)

    def checked(
        self, script: str, what: str, *, privileged: bool = True, log_output: bool = True
    ) -> str:
        result = self.run(script, privileged=privileged, log_output=log_output)
        if result.status != 0:
            raise DeviceError(
                self.name, f"{what} failed (exit {result.status}): {_short_text(result.err)}"
            )
        return result.out

    # -- files ----------------------------------------------------------------------

    def read_files(self, paths: Iterable[str]) -> dict[str, BoxFile]:
        """Content, mode and owner of each build path; a missing file has content None."""
        paths = list(paths)
        if not paths:
            return {}
        script = (
            'for p in "$@"; do if [ -f "$p" ]; then stat -c "%a %U:%G" "$p" && '
            'base64 -w0 "$p" && echo || exit 1; else echo MISSING; echo; fi; done'
        )
        args = " ".join(shlex.quote(self.path(p)) for p in paths)
        out = self.checked(
            f"set -- {args}; {script}", "reading the managed files", log_output=False
        )
        lines = out.split("\n")
        box: dict[str, BoxFile] = {}
        for index, rel in enumerate(paths):
            head, data = lines[2 * index], lines[2 * index + 1]
            if head == "MISSING":
                box[rel] = BoxFile(rel, None)
                continue
            mode, owner = head.split(" ", 1)
            text = base64.b64decode(data).decode("utf-8", errors="replace")
            box[rel] = BoxFile(rel, text, int(mode, 8), owner)
        return box

    def staging(self) -> str:
        """A fresh folder of the login's own (0700) for the uploads."""
        return self.checked("mktemp -d /tmp/iosgen.XXXXXXXX", "mktemp", privileged=False).strip()

    def upload(
        self, folder: str, files: Iterable[tuple[str, str]], on_file: Callable[[str], None]
    ) -> None:
        """SFTP each (build path, content) to `folder/<n>`; nothing is placed yet."""
        try:
            sftp = self.client.open_sftp()
            try:
                for index, (rel, content) in enumerate(files):
                    on_file(rel)
                    data = content.encode("utf-8")
                    sftp.putfo(io.BytesIO(data), f"{folder}/{index}")
                    self.log(
                        f"{self.name} sftp: put /{rel} as {folder}/{index} ({len(data)} bytes)"
                    )
            finally:
                sftp.close()
        except (OSError, EOFError) as exc:
            raise SessionLost(self.name, f"session lost during the upload: {_short(exc)}") from None
        except Exception as exc:
            if type(exc).__module__.startswith("paramiko"):
                raise SessionLost(self.name, f"upload failed: {_short(exc)}") from None
            raise

    def place(self, staged: str, rel: str, mode: int) -> None:
        """Put an uploaded file at its path atomically: a temp file in the target's
        folder, its mode and owner set, fsync'd, renamed over the old one, the folder
        fsync'd. A reader sees the old file or the new one, never half of either."""
        target = self.path(rel)
        folder = posixpath.dirname(target)
        tmp = posixpath.join(folder, f".iosgen-{posixpath.basename(target)}.tmp")
        q = shlex.quote
        script = (
            f"set -e; trap 'rm -f {q(tmp)}' EXIT; mkdir -p {q(folder)}; "
            f"cp {q(staged)} {q(tmp)}; chown {OWNER} {q(tmp)}; chmod {mode:04o} {q(tmp)}; "
            f"sync {q(tmp)}; mv -f {q(tmp)} {q(target)}; trap - EXIT; sync {q(folder)}"
        )
        self.checked(script, f"writing /{rel}")

    def remove(self, rel: str) -> None:
        target = self.path(rel)
        self.checked(
            f"rm -f {shlex.quote(target)}; sync {shlex.quote(posixpath.dirname(target))}",
            f"removing /{rel}",
        )

    def cleanup(self, folder: str) -> None:
        with contextlib.suppress(DeviceError):
            self.run(f"rm -rf {shlex.quote(folder)}", privileged=False)


def _read_all(recv: Callable[[int], bytes]) -> str:
    chunks = []
    while True:
        data = recv(65536)
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", errors="replace")


def _short_text(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"


def _short(exc: BaseException) -> str:
    text = [line for line in str(exc).strip().splitlines() if line.strip()]
    return text[0] if text else type(exc).__name__


__all__ = ["SUDO_PROMPT", "LinuxBox", "LinuxOptions", "Result"]
