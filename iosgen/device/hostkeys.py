"""Pinned SSH host keys: the known-hosts file, the key a targets file names, and the
netmiko IOS driver that checks them (instead of `~/.ssh/known_hosts`).

A router's key is accepted only if it is pinned, or if the operator said
`--accept-new-host-key` (then it is written to the known-hosts file). A key that
changed is always refused: a replaced router, or someone in the middle. netmiko
turns paramiko's host-key exceptions into timeouts, so what the check saw is kept
in a `KeyCheck` and read back after the connect failed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iosgen.model.targets import Target

DEFAULT_KNOWN_HOSTS = Path.home() / ".iosgen" / "known_hosts"

# (netmiko connection, host name, timeout): the session preparation after login
Prepare = Callable[[Any, str, float], None]


def host_key_name(host: str, port: int) -> str:
    """The known-hosts name of an address: `198.51.100.10`, or `[127.0.0.1]:2201`."""
    return host if port == 22 else f"[{host}]:{port}"


def fingerprint(key: Any) -> str:
    """OpenSSH's fingerprint of a key: `SHA256:` and base64 without padding."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@dataclass
class KeyCheck:
    """What the host-key check saw; netmiko turns paramiko's exceptions into timeouts."""

    accept: bool
    new_key: Any = None
    unknown_key: Any = None
    changed_key: Any = None


def host_keys(target: Target, known: Path | None) -> Any:
    """The keys pinned for this router: the known-hosts file, then the targets file's."""
    import paramiko

    keys = paramiko.HostKeys()
    if known is not None and known.exists():
        keys.load(str(known))
    if target.host_key:
        key_type, _, blob = target.host_key.strip().partition(" ")
        entry = paramiko.hostkeys.HostKeyEntry.from_line(
            f"{host_key_name(target.host, target.port)} {key_type} {blob.split()[0]}"
        )
        if entry is not None:
            for name in entry.hostnames:
                # The targets file is the authority for this address: it replaces
                # whatever an older known-hosts entry said.
                keys.pop(name, None)
                keys.add(name, entry.key.get_name(), entry.key)
    return keys


def remember_key(target: Target, known: Path | None, key: Any) -> None:
    """Add a newly accepted key to the known-hosts file (nothing without one)."""
    import paramiko

    if known is None:
        return
    known.parent.mkdir(parents=True, exist_ok=True)
    keys = paramiko.HostKeys()
    if known.exists():
        keys.load(str(known))
    keys.add(host_key_name(target.host, target.port), key.get_name(), key)
    keys.save(str(known))


def connection_class(prepare: Prepare) -> Any:
    """netmiko's IOS driver with our host keys and a fast close (loaded lazily: heavy).

    `prepare` replaces netmiko's session preparation (its fixed sleeps)."""
    import logging

    import paramiko

    # paramiko's transport thread logs "Socket exception: Broken pipe" when a router
    # drops the session; with no handler Python prints that on stderr. The drop is
    # reported as a SessionLost where it matters.
    logging.getLogger("paramiko").addHandler(logging.NullHandler())
    from netmiko.cisco.cisco_ios import CiscoIosSSH

    class _Policy(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
        def __init__(self, check: KeyCheck) -> None:
            self.check = check

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            if not self.check.accept:
                self.check.unknown_key = key
                raise paramiko.SSHException(f"unknown host key {fingerprint(key)}")
            self.check.new_key = key
            client.get_host_keys().add(hostname, key.get_name(), key)

    class _Client(paramiko.SSHClient):  # type: ignore[misc]
        def __init__(self, check: KeyCheck) -> None:
            super().__init__()
            self.check = check

        def connect(self, *args: Any, **kwargs: Any) -> None:
            from iosgen.device import kex

            # the cheaper client key exchange, on this client's transport only
            kwargs.setdefault("transport_factory", kex.transport_factory())
            try:
                super().connect(*args, **kwargs)
            except paramiko.BadHostKeyException as exc:
                self.check.changed_key = exc.key
                raise

    class PinnedIosSSH(CiscoIosSSH):
        """Builds its paramiko client from our pinned keys instead of ~/.ssh."""

        def __init__(self, *args: Any, iosgen_keys: Any, iosgen_check: KeyCheck, **kw: Any):
            self._iosgen_keys = iosgen_keys
            self._iosgen_check = iosgen_check
            super().__init__(*args, **kw)

        def _build_ssh_client(self) -> Any:
            client = _Client(self._iosgen_check)
            for hostname, keys in self._iosgen_keys.items():
                for key_type, key in keys.items():
                    client.get_host_keys().add(hostname, key_type, key)
            client.set_missing_host_key_policy(_Policy(self._iosgen_check))
            return client

        def _try_session_preparation(self, force_data: bool = True) -> None:
            try:
                prepare(self, self.host, float(self.conn_timeout) + 5.0)
            except Exception:
                self.disconnect()
                raise

        def cleanup(self, command: str = "exit") -> None:
            # netmiko checks the mode first (a round trip); iosgen always leaves
            # config mode itself, so `exit` ends the exec session at once.
            with contextlib.suppress(Exception):
                self.write_channel(command + self.RETURN)

    return PinnedIosSSH


__all__ = [
    "DEFAULT_KNOWN_HOSTS",
    "KeyCheck",
    "connection_class",
    "fingerprint",
    "host_key_name",
    "host_keys",
    "remember_key",
]
