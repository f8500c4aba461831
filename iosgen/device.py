"""One SSH session to an IOS router: the only module that talks to netmiko and paramiko.

It pins host keys (known-hosts file, or the key a targets file names), logs in,
enters enable mode without netmiko's 10 s wait on a wrong secret, fetches the
running config and sends config lines checking IOS's answer to each one.
netmiko's and paramiko's exceptions become `DeviceError`s naming the host.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from iosgen.errors import DeviceError
from iosgen.targets import Target

DEFAULT_KNOWN_HOSTS = Path.home() / ".iosgen" / "known_hosts"

# What IOS prints when it refuses a line (ios-reference §5).
IOS_ERROR_MARKERS: tuple[str, ...] = (
    "% Invalid input detected",
    "% Incomplete command",
    "% Ambiguous command",
    "% Unknown command",
)
IOS_ERROR_RE = re.compile("|".join(re.escape(m) for m in IOS_ERROR_MARKERS))


class HostKeyError(DeviceError):
    """The router's SSH host key is unknown (and not accepted) or has changed."""


class AuthError(DeviceError):
    """Login or enable was refused."""


class ConfigLineError(DeviceError):
    """IOS rejected a config line; `answer` is exactly what it printed."""

    exit_code = 1

    def __init__(self, host: str, line: str, answer: str, sent: int) -> None:
        super().__init__(host, f"IOS rejected {line.strip()!r}: {answer.strip()}")
        self.line = line
        self.answer = answer
        self.sent = sent  # lines accepted before this one


@dataclass(frozen=True)
class DeviceOptions:
    known_hosts: Path | None = field(default_factory=lambda: DEFAULT_KNOWN_HOSTS)
    accept_new_host_key: bool = False
    conn_timeout: float = 5.0
    auth_timeout: float = 5.0
    read_timeout: float = 30.0
    session_log: Path | None = None


def _host_key_name(host: str, port: int) -> str:
    return host if port == 22 else f"[{host}]:{port}"


def _fingerprint(key: Any) -> str:
    import base64
    import hashlib

    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def _connection_class() -> Any:
    """netmiko's IOS driver with our host-key handling (loaded lazily: it is heavy)."""
    import paramiko
    from netmiko.cisco.cisco_ios import CiscoIosSSH

    class _RecordNewKey(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
        def __init__(self, accept: bool) -> None:
            self.accept = accept
            self.new_key: Any = None

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            if not self.accept:
                raise paramiko.SSHException(f"unknown host key {_fingerprint(key)}")
            self.new_key = key
            client.get_host_keys().add(hostname, key.get_name(), key)

    class PinnedIosSSH(CiscoIosSSH):
        """Builds its paramiko client from our pinned keys instead of ~/.ssh."""

        def __init__(self, *args: Any, iosgen_keys: Any, iosgen_policy: Any, **kwargs: Any):
            self._iosgen_keys = iosgen_keys
            self._iosgen_policy = iosgen_policy
            super().__init__(*args, **kwargs)

        def _build_ssh_client(self) -> Any:
            client = paramiko.SSHClient()
            for hostname, keys in self._iosgen_keys.items():
                for key_type, key in keys.items():
                    client.get_host_keys().add(hostname, key_type, key)
            client.set_missing_host_key_policy(self._iosgen_policy)
            return client

    return PinnedIosSSH, _RecordNewKey


class Device:
    """A context manager around one netmiko session in enable mode."""

    def __init__(self, target: Target, options: DeviceOptions | None = None) -> None:
        self.target = target
        self.options = options or DeviceOptions()
        self.conn: Any = None

    # -- connection -----------------------------------------------------------------

    def _host_keys(self) -> Any:
        import paramiko

        keys = paramiko.HostKeys()
        known = self.options.known_hosts
        if known is not None and known.exists():
            keys.load(str(known))
        if self.target.host_key:
            key_type, _, blob = self.target.host_key.strip().partition(" ")
            entry = paramiko.hostkeys.HostKeyEntry.from_line(
                f"{_host_key_name(self.target.host, self.target.port)} {key_type} {blob}"
            )
            if entry is not None:
                for name in entry.hostnames:
                    keys.add(name, entry.key.get_name(), entry.key)
        return keys

    def _remember_key(self, key: Any) -> None:
        import paramiko

        known = self.options.known_hosts
        if known is None:
            return
        known.parent.mkdir(parents=True, exist_ok=True)
        keys = paramiko.HostKeys()
        if known.exists():
            keys.load(str(known))
        keys.add(_host_key_name(self.target.host, self.target.port), key.get_name(), key)
        keys.save(str(known))

    def connect(self) -> Device:
        import paramiko
        from netmiko.exceptions import NetmikoAuthenticationException, NetmikoTimeoutException

        conn_class, policy_class = _connection_class()
        policy = policy_class(self.options.accept_new_host_key)
        t = self.target
        secrets = {"password": t.password.reveal()}
        if t.enable_secret is not None:
            secrets["secret"] = t.enable_secret.reveal()
        name = t.hostname
        try:
            self.conn = conn_class(
                host=t.host,
                port=t.port,
                username=t.username,
                password=t.password.reveal(),
                secret=t.enable_secret.reveal() if t.enable_secret else "",
                conn_timeout=self.options.conn_timeout,
                auth_timeout=self.options.auth_timeout,
                banner_timeout=self.options.conn_timeout,
                read_timeout_override=None,
                fast_cli=True,
                use_keys=False,
                allow_agent=False,
                session_log=str(self.options.session_log) if self.options.session_log else None,
                no_log=secrets,  # netmiko redacts these values in its session log
                iosgen_keys=self._host_keys(),
                iosgen_policy=policy,
            )
        except paramiko.BadHostKeyException as exc:
            raise HostKeyError(
                name,
                f"SSH host key changed (got {_fingerprint(exc.key)}): refusing to connect",
                "if the router was really replaced, remove its entry from the known-hosts file",
            ) from None
        except NetmikoAuthenticationException:
            raise AuthError(name, f"login as {t.username!r} was refused") from None
        except NetmikoTimeoutException as exc:
            raise DeviceError(name, f"unreachable at {t.host}:{t.port}: {_short(exc)}") from None
        except paramiko.SSHException as exc:
            if "unknown host key" in str(exc):
                raise HostKeyError(
                    name,
                    f"SSH host key of {t.host}:{t.port} is not known ({_short(exc)})",
                    "check it, then run again with --accept-new-host-key",
                ) from None
            raise DeviceError(name, f"SSH failed: {_short(exc)}") from None
        except (OSError, EOFError, ValueError) as exc:
            raise DeviceError(name, f"unreachable at {t.host}:{t.port}: {_short(exc)}") from None
        if policy.new_key is not None:
            self._remember_key(policy.new_key)
        self._enable()
        return self

    def _enable(self) -> None:
        """Enter enable mode; a wrong secret is an error at once, not a 10 s timeout."""
        conn = self.conn
        prompt = conn.find_prompt()
        if prompt.endswith("#"):
            return
        if self.target.enable_secret is None:
            raise AuthError(self.target.hostname, "not in enable mode and no enable secret given")
        conn.write_channel("enable" + conn.RETURN)
        out = conn.read_until_pattern(r"[Pp]assword:|#\s*$", read_timeout=10)
        if "assword" in out:
            conn.write_channel(self.target.enable_secret.reveal() + conn.RETURN)
            out = conn.read_until_pattern(
                r"[Pp]assword:|[>#]\s*$|% (?:Bad|Access)", read_timeout=10
            )
            last = out.strip().splitlines()[-1] if out.strip() else ""
            if not last.endswith("#"):
                # IOS asks up to three times; end the dialogue before giving up.
                for _ in range(3):
                    conn.write_channel(conn.RETURN)
                self.close()
                raise AuthError(self.target.hostname, "the enable secret was refused")
        conn.set_base_prompt()

    def close(self) -> None:
        if self.conn is not None:
            # A dead session is already closed; nothing to report.
            with contextlib.suppress(Exception):
                self.conn.disconnect()
            self.conn = None

    def __enter__(self) -> Device:
        return self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- commands -------------------------------------------------------------------

    def command(self, command: str, read_timeout: float | None = None) -> str:
        try:
            return str(
                self.conn.send_command(
                    command, read_timeout=read_timeout or self.options.read_timeout
                )
            )
        except (OSError, EOFError) as exc:
            raise DeviceError(self.target.hostname, f"session lost: {_short(exc)}") from None
        except Exception as exc:
            if type(exc).__module__.startswith(("netmiko", "paramiko")):
                raise DeviceError(
                    self.target.hostname, f"{command!r} failed: {_short(exc)}"
                ) from None
            raise

    def running_config(self) -> str:
        return self.command("show running-config")

    def send_config(self, lines: list[str]) -> list[tuple[str, str]]:
        """Send lines in config mode, checking every answer; return (line, answer) pairs."""
        try:
            answers: list[tuple[str, str]] = []
            self.conn.config_mode()
            for index, line in enumerate(lines):
                out = self.conn.send_config_set(
                    [line],
                    enter_config_mode=False,
                    exit_config_mode=False,
                    read_timeout=self.options.read_timeout,
                )
                answer = _answer(str(out))
                answers.append((line, answer))
                if IOS_ERROR_RE.search(answer):
                    raise ConfigLineError(self.target.hostname, line, answer, index)
            self.conn.exit_config_mode()
            return answers
        except (OSError, EOFError) as exc:
            raise DeviceError(self.target.hostname, f"session lost: {_short(exc)}") from None
        except DeviceError:
            raise
        except Exception as exc:
            if type(exc).__module__.startswith(("netmiko", "paramiko")):
                raise DeviceError(self.target.hostname, f"config failed: {_short(exc)}") from None
            raise


_PROMPT_RE = re.compile(r"^[\w.\-]+(?:\([\w\-]+\))?[#>]")


def _answer(output: str) -> str:
    """IOS's answer to one line: the output without echoed commands and prompts."""
    return "\n".join(t for t in output.splitlines() if t.strip() and not _PROMPT_RE.match(t))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
